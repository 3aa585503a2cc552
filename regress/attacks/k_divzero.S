/*
 * An integer division by zero: SIGFPE.
 */
	.text
	.globl	playground
	.type	playground, @function
playground:
	xorl	%ecx, %ecx
	movl	$1, %eax
	xorl	%edx, %edx
	divl	%ecx
	ret
	.size	playground, . - playground

	.section .note.GNU-stack, "", @progbits
