/*
 * rt_sigreturn(2) on a forged signal frame (sigreturn-oriented
 * programming): the frame would load every register, rip included.
 */
	.text
	.globl	playground
	.type	playground, @function
playground:
	subq	$1024, %rsp		/* a frame of zeros, rip and all */
	movq	%rsp, %rdi
	xorl	%eax, %eax
	movl	$128, %ecx
	rep stosq
	movl	$15, %eax		/* rt_sigreturn */
	syscall
	addq	$1024, %rsp
	ret
	.size	playground, . - playground

	.section .note.GNU-stack, "", @progbits
