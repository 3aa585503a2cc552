/*
 * A libc function the harness never calls: from the return address on
 * our stack to the runner's GOT (as in k_got.S), from the address of
 * syscall() found there to libc's own ELF header, and from libc's dynamic
 * symbol table to execve().  Then execve("/bin/sh", {"/bin/sh", "-c",
 * target}, NULL).  If a walk fails the kernel just returns.
 */
	.text
	.globl	playground
	.type	playground, @function
playground:
	pushq	%rbx
	movq	8(%rsp), %rdi		/* our return address */
	call	elf_base
	movq	%rax, %rdi
	leaq	fname(%rip), %rsi
	call	plt_slot
	testq	%rax, %rax
	jz	1f
	movq	(%rax), %rdi		/* syscall(), inside libc */
	call	elf_base
	movq	%rax, %rdi
	leaq	ename(%rip), %rsi
	call	dynsym
	testq	%rax, %rax
	jz	1f
	movq	%rax, %rbx		/* execve() */
	subq	$32, %rsp
	leaq	sh(%rip), %rdi
	movq	%rdi, 0(%rsp)
	leaq	dashc(%rip), %rax
	movq	%rax, 8(%rsp)
	leaq	target(%rip), %rax
	movq	%rax, 16(%rsp)
	movq	$0, 24(%rsp)
	movq	%rsp, %rsi
	xorl	%edx, %edx
	call	*%rbx
	addq	$32, %rsp
1:	popq	%rbx
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
