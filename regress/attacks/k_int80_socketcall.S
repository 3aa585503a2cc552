/*
 * socketcall(SYS_SOCKET, args) through int 0x80 (i386 number 102):
 * sockets by the old multiplexer.
 */
	.text
	.globl	playground
	.type	playground, @function
playground:
	pushq	%rbx
	subq	$16, %rsp
	movl	$2, 0(%rsp)		/* AF_INET */
	movl	$1, 4(%rsp)		/* SOCK_STREAM */
	movl	$0, 8(%rsp)
	movl	$102, %eax		/* i386 socketcall */
	movl	$1, %ebx		/* SYS_SOCKET */
	movl	%esp, %ecx
	int	$0x80
	addq	$16, %rsp
	popq	%rbx
	ret
	.size	playground, . - playground

	.section .note.GNU-stack, "", @progbits
