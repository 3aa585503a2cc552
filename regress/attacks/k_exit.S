/*
 * exit_group(0): leave without a result, as the runner itself would.
 */
	.text
	.globl	playground
	.type	playground, @function
playground:
	movl	$231, %eax		/* exit_group */
	xorl	%edi, %edi
	syscall
	ret
	.size	playground, . - playground

	.section .note.GNU-stack, "", @progbits
