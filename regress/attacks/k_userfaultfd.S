/*
 * userfaultfd(0): the usual helper for winning kernel races.
 */
	.text
	.globl	playground
	.type	playground, @function
playground:
	movl	$323, %eax		/* userfaultfd */
	xorl	%edi, %edi
	syscall
	ret
	.size	playground, . - playground

	.section .note.GNU-stack, "", @progbits
