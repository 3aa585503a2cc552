/*
 * unshare(CLONE_NEWUSER | CLONE_NEWNS): a user namespace would give
 * back every capability inside it.
 */
	.text
	.globl	playground
	.type	playground, @function
playground:
	movl	$272, %eax		/* unshare */
	movl	$0x10020000, %edi	/* CLONE_NEWUSER | CLONE_NEWNS */
	syscall
	ret
	.size	playground, . - playground

	.section .note.GNU-stack, "", @progbits
