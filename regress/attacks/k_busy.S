/*
 * Spin for `iterations' rounds: with a billion and the default
 * repetitions, a long legal kernel that must meet the wall-clock limit.
 */
	.text
	.globl	playground
	.type	playground, @function
playground:
1:	subq	$1, %rdi
	jnz	1b
	xorps	%xmm0, %xmm0
	ret
	.size	playground, . - playground

	.section .note.GNU-stack, "", @progbits
