/*
 * rt_sigaction(SIGSYS, handler that returns, NULL, 8): ignore the traps
 * of the seccomp filter.
 */
	.text
	.globl	playground
	.type	playground, @function
playground:
	subq	$40, %rsp
	leaq	handler(%rip), %rax
	movq	%rax, 0(%rsp)		/* sa_handler */
	movq	$0x04000000, 8(%rsp)	/* sa_flags = SA_RESTORER */
	movq	%rax, 16(%rsp)		/* sa_restorer */
	movq	$0, 24(%rsp)		/* sa_mask */
	movl	$13, %eax		/* rt_sigaction */
	movl	$31, %edi		/* SIGSYS */
	movq	%rsp, %rsi
	xorl	%edx, %edx
	movl	$8, %r10d
	syscall
	addq	$40, %rsp
	ret
handler:
	ret
	.size	playground, . - playground

	.section .note.GNU-stack, "", @progbits
