/*
 * sendmsg(2) on the result socket (fd 3) passing fd 0 with SCM_RIGHTS:
 * hand the monitor a descriptor it did not expect.
 */
	.text
	.globl	playground
	.type	playground, @function
playground:
	subq	$104, %rsp
	/* struct msghdr at 0(%rsp) */
	movq	$0, 0(%rsp)		/* msg_name */
	movq	$0, 8(%rsp)		/* msg_namelen */
	leaq	56(%rsp), %rax
	movq	%rax, 16(%rsp)		/* msg_iov */
	movq	$1, 24(%rsp)		/* msg_iovlen */
	leaq	72(%rsp), %rax
	movq	%rax, 32(%rsp)		/* msg_control */
	movq	$24, 40(%rsp)		/* msg_controllen: CMSG_SPACE(4) */
	movq	$0, 48(%rsp)		/* msg_flags */
	/* struct iovec at 56(%rsp): one byte of our code */
	leaq	playground(%rip), %rax
	movq	%rax, 56(%rsp)
	movq	$1, 64(%rsp)
	/* struct cmsghdr at 72(%rsp): SOL_SOCKET, SCM_RIGHTS, fd 0 */
	movq	$20, 72(%rsp)		/* cmsg_len: CMSG_LEN(4) */
	movl	$1, 80(%rsp)		/* SOL_SOCKET */
	movl	$1, 84(%rsp)		/* SCM_RIGHTS */
	movq	$0, 88(%rsp)		/* the descriptor */
	movl	$46, %eax		/* sendmsg */
	movl	$3, %edi
	movq	%rsp, %rsi
	xorl	%edx, %edx
	syscall
	addq	$104, %rsp
	ret
	.size	playground, . - playground

	.section .note.GNU-stack, "", @progbits
