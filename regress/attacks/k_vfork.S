/*
 * vfork(2) by raw system call; a child that shares our memory would
 * return into the harness twice.
 */
	.text
	.globl	playground
	.type	playground, @function
playground:
	movl	$58, %eax		/* vfork */
	syscall
	ret
	.size	playground, . - playground

	.section .note.GNU-stack, "", @progbits
