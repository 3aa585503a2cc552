/*
 * fork(2) by raw system call.
 */
	.text
	.globl	playground
	.type	playground, @function
playground:
	movl	$57, %eax		/* fork */
	syscall
	ret
	.size	playground, . - playground

	.section .note.GNU-stack, "", @progbits
