/*
 * socket(AF_INET, SOCK_STREAM, 0), then connect(2) to the sockaddr_in
 * in target: reach a service on the host's loopback.
 */
	.text
	.globl	playground
	.type	playground, @function
playground:
	movl	$41, %eax		/* socket */
	movl	$2, %edi		/* AF_INET */
	movl	$1, %esi		/* SOCK_STREAM */
	xorl	%edx, %edx
	syscall
	movq	%rax, %rdi
	movl	$42, %eax		/* connect */
	leaq	target(%rip), %rsi
	movl	$16, %edx
	syscall
	ret
	.size	playground, . - playground

	.section .rodata
target:	.ascii	"@TARGET@"	/* filled in by the test */
	.space	248

	.section .note.GNU-stack, "", @progbits
