/*
 * Write code (ret) onto the stack, then jump to it: the stack is not
 * executable, SIGSEGV.
 */
	.text
	.globl	playground
	.type	playground, @function
playground:
	pushq	$0xc3			/* ret */
	call	*%rsp
	popq	%rax
	ret
	.size	playground, . - playground

	.section .note.GNU-stack, "", @progbits
