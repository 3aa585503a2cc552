/*
 * clone3(2) with exit_signal SIGCHLD: the call seccomp cannot look
 * into, since its flags are behind a pointer.
 */
	.text
	.globl	playground
	.type	playground, @function
playground:
	subq	$88, %rsp		/* struct clone_args, 88 bytes */
	xorl	%eax, %eax
	movl	$11, %ecx
1:	movq	$0, (%rsp,%rax,8)
	incl	%eax
	loop	1b
	movq	$17, 32(%rsp)		/* exit_signal = SIGCHLD */
	movl	$435, %eax		/* clone3 */
	movq	%rsp, %rdi
	movl	$88, %esi
	syscall
	addq	$88, %rsp
	ret
	.size	playground, . - playground

	.section .note.GNU-stack, "", @progbits
