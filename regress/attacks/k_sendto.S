/*
 * sendto(2) on the result socket (fd 3), addressed to the sockaddr_in
 * in target: use the one socket the kernel has to reach the network.
 */
	.text
	.globl	playground
	.type	playground, @function
playground:
	movl	$44, %eax		/* sendto */
	movl	$3, %edi
	leaq	target(%rip), %rsi	/* any bytes will do */
	movl	$4, %edx
	xorl	%r10d, %r10d
	leaq	target(%rip), %r8
	movl	$16, %r9d
	syscall
	ret
	.size	playground, . - playground

	.section .rodata
target:	.ascii	"@TARGET@"	/* filled in by the test */
	.space	248

	.section .note.GNU-stack, "", @progbits
