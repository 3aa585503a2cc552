/*
 * Unbounded recursion: the stack overflows into its guard page,
 * SIGSEGV, which the runner must still report from its alternate stack.
 */
	.text
	.globl	playground
	.type	playground, @function
playground:
	pushq	%rbp
	call	playground
	popq	%rbp
	ret
	.size	playground, . - playground

	.section .note.GNU-stack, "", @progbits
