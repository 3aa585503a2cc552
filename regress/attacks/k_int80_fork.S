/*
 * fork through int 0x80 (i386 number 2, x86-64 open).
 */
	.text
	.globl	playground
	.type	playground, @function
playground:
	movl	$2, %eax		/* i386 fork */
	int	$0x80
	ret
	.size	playground, . - playground

	.section .note.GNU-stack, "", @progbits
