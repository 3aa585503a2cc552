/*
 * setns(3, 0): join whatever namespace fd 3 stands for.
 */
	.text
	.globl	playground
	.type	playground, @function
playground:
	movl	$308, %eax		/* setns */
	movl	$3, %edi
	xorl	%esi, %esi
	syscall
	ret
	.size	playground, . - playground

	.section .note.GNU-stack, "", @progbits
