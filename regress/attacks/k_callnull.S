/*
 * A call through a null function pointer: SIGSEGV with the pc at 0,
 * outside the object.
 */
	.text
	.globl	playground
	.type	playground, @function
playground:
	xorl	%eax, %eax
	call	*%rax
	ret
	.size	playground, . - playground

	.section .note.GNU-stack, "", @progbits
