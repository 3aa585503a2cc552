/*
 * libc's syscall() reached through the harness: the return address on
 * our stack points into the runner's code, page by page below it lies the
 * runner's ELF header, its PLT relocations name the GOT slot that holds
 * syscall()'s address in libc.  Then syscall(SYS_openat, AT_FDCWD, target,
 * O_RDONLY) from inside libc.  A static runner has no GOT, but libc's
 * code is in its own image: then the first syscall instruction found
 * there does the same openat.  If the walk fails the kernel just returns,
 * and the test fails for want of the outcome it expects.
 */
	.text
	.globl	playground
	.type	playground, @function
playground:
	pushq	%rbx
	pushq	%r12
	subq	$8, %rsp
	movq	24(%rsp), %rdi		/* our return address */
	call	elf_base
	movq	%rax, %r12		/* the runner's image */
	movq	%rax, %rdi
	leaq	fname(%rip), %rsi
	call	plt_slot
	testq	%rax, %rax
	jz	2f
	movq	(%rax), %rbx		/* syscall() */
	movl	$257, %edi		/* SYS_openat */
	movq	$-100, %rsi		/* AT_FDCWD */
	leaq	target(%rip), %rdx
	xorl	%ecx, %ecx		/* O_RDONLY */
	call	*%rbx
	jmp	1f
2:	movq	%r12, %rdi		/* static: its own syscall insn */
	movl	$257, %esi		/* SYS_openat */
	movq	$-100, %rdx		/* AT_FDCWD */
	leaq	target(%rip), %rcx
	xorl	%r8d, %r8d		/* O_RDONLY */
	call	image_syscall
1:	addq	$8, %rsp
	popq	%r12
	popq	%rbx
	ret
	.size	playground, . - playground

#include "elfwalk.h"

	.section .rodata
fname:	.asciz	"syscall"
target:	.ascii	"@TARGET@"	/* filled in by the test */
	.space	248

	.section .note.GNU-stack, "", @progbits
