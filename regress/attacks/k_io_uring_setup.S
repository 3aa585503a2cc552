/*
 * io_uring_setup(8, params): a ring would do system calls seccomp never
 * sees.
 */
	.text
	.globl	playground
	.type	playground, @function
playground:
	subq	$128, %rsp		/* struct io_uring_params, zeroed */
	xorl	%eax, %eax
	movl	$16, %ecx
1:	movq	$0, (%rsp,%rax,8)
	incl	%eax
	loop	1b
	movl	$425, %eax		/* io_uring_setup */
	movl	$8, %edi
	movq	%rsp, %rsi
	syscall
	addq	$128, %rsp
	ret
	.size	playground, . - playground

	.section .note.GNU-stack, "", @progbits
