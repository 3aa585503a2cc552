/*
 * fork by the x32 system call numbers (57 | 0x40000000).
 */
	.text
	.globl	playground
	.type	playground, @function
playground:
	movl	$0x40000039, %eax	/* x32 fork */
	syscall
	ret
	.size	playground, . - playground

	.section .note.GNU-stack, "", @progbits
