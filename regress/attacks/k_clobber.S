/*
 * Return to the harness with every callee-saved register and the stack
 * pointer destroyed: the runner must still report, not hang or lie.
 */
	.text
	.globl	playground
	.type	playground, @function
playground:
	movabsq	$0x4141414141414141, %rax
	movq	%rax, %rbx
	movq	%rax, %rbp
	movq	%rax, %r12
	movq	%rax, %r13
	movq	%rax, %r14
	movq	%rax, %r15
	popq	%rcx
	movq	%rax, %rsp
	jmp	*%rcx
	.size	playground, . - playground

	.section .note.GNU-stack, "", @progbits
