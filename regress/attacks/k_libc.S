/*
 * A libc function the harness never calls: from the return address on
 * our stack to the runner's GOT (as in k_got.S), from the address of
 * syscall() found there to libc's own ELF header, and from libc's dynamic
 * symbol table to execve().  Then execve("/bin/sh", {"/bin/sh", "-c",
 * target}, NULL).  A static runner has neither GOT nor dynamic symbols
 * (and no execve() linked in): there the first syscall instruction in
 * its image makes the same execve.  If a walk fails the kernel just
 * returns.
 */
	.text
	.globl	playground
	.type	playground, @function
playground:
	pushq	%rbx
	pushq	%r12
	subq	$40, %rsp
	leaq	sh(%rip), %rdi		/* argv at 0(%rsp) */
	movq	%rdi, 0(%rsp)
	leaq	dashc(%rip), %rax
	movq	%rax, 8(%rsp)
	leaq	target(%rip), %rax
	movq	%rax, 16(%rsp)
	movq	$0, 24(%rsp)
	movq	56(%rsp), %rdi		/* our return address */
	call	elf_base
	movq	%rax, %r12		/* the runner's image */
	movq	%rax, %rdi
	leaq	fname(%rip), %rsi
	call	plt_slot
	testq	%rax, %rax
	jz	2f
	movq	(%rax), %rdi		/* syscall(), inside libc */
	call	elf_base
	movq	%rax, %rdi
	leaq	ename(%rip), %rsi
	call	dynsym
	testq	%rax, %rax
	jz	1f
	movq	%rax, %rbx		/* execve() */
	leaq	sh(%rip), %rdi
	movq	%rsp, %rsi
	xorl	%edx, %edx
	call	*%rbx
	jmp	1f
2:	movq	%r12, %rdi		/* static: its own syscall insn */
	movl	$59, %esi		/* SYS_execve */
	leaq	sh(%rip), %rdx
	movq	%rsp, %rcx		/* argv */
	xorl	%r8d, %r8d
	call	image_syscall
1:	addq	$40, %rsp
	popq	%r12
	popq	%rbx
	ret
	.size	playground, . - playground

#include "elfwalk.h"

	.section .rodata
fname:	.asciz	"syscall"
ename:	.asciz	"execve"
sh:	.asciz	"/bin/sh"
dashc:	.asciz	"-c"
target:	.ascii	"@TARGET@"	/* the command, filled in by the test */
	.space	248

	.section .note.GNU-stack, "", @progbits
