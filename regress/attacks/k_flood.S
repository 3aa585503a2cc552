/*
 * An endless flood of zero bytes on the result socket, the one
 * descriptor the kernel may write to.
 */
	.text
	.globl	playground
	.type	playground, @function
playground:
1:	movl	$1, %eax		/* write */
	movl	$3, %edi
	leaq	zeros(%rip), %rsi
	movl	$4096, %edx
	syscall
	jmp	1b
	.size	playground, . - playground

	.section .rodata
zeros:	.space	4096

	.section .note.GNU-stack, "", @progbits
