/*
 * prctl(PR_SET_DUMPABLE, 1): make the runner traceable again.
 */
	.text
	.globl	playground
	.type	playground, @function
playground:
	movl	$157, %eax		/* prctl */
	movl	$4, %edi		/* PR_SET_DUMPABLE */
	movl	$1, %esi
	syscall
	ret
	.size	playground, . - playground

	.section .note.GNU-stack, "", @progbits
