/*
 * Sixteen bytes of garbage on the result socket: a message header that
 * claims 1 GiB.
 */
	.text
	.globl	playground
	.type	playground, @function
playground:
	movl	$1, %eax		/* write */
	movl	$3, %edi		/* the result socket */
	leaq	msg(%rip), %rsi
	movl	$msglen, %edx
	syscall
	ret
	.size	playground, . - playground

	.section .rodata
msg:	.long	0x41414141, 0x40000000, 0x41414141, 0
	.set	msglen, . - msg

	.section .note.GNU-stack, "", @progbits
