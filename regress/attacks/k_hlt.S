/*
 * hlt, a privileged instruction: a general protection fault, SIGSEGV.
 */
	.text
	.globl	playground
	.type	playground, @function
playground:
	hlt
	ret
	.size	playground, . - playground

	.section .note.GNU-stack, "", @progbits
