/*
 * seccomp(SECCOMP_SET_MODE_FILTER, 0, prog) with a filter that allows
 * everything: stacking filters only narrows, but try.
 */
	.text
	.globl	playground
	.type	playground, @function
playground:
	subq	$24, %rsp
	leaq	allow(%rip), %rax
	movq	$1, 0(%rsp)		/* sock_fprog.len */
	movq	%rax, 8(%rsp)		/* sock_fprog.filter */
	movl	$317, %eax		/* seccomp */
	movl	$1, %edi		/* SECCOMP_SET_MODE_FILTER */
	xorl	%esi, %esi
	movq	%rsp, %rdx
	syscall
	addq	$24, %rsp
	ret
	.size	playground, . - playground

	.section .rodata
	.p2align 3
allow:	.short	0x06		/* BPF_RET | BPF_K */
	.byte	0, 0
	.long	0x7fff0000	/* SECCOMP_RET_ALLOW */

	.section .note.GNU-stack, "", @progbits
