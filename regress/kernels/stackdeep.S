/*
 * Uses 6 MB of stack: writes a byte to every page from its stack pointer
 * down to 6 MB below it, then returns.  A kernel runs on a stack as large
 * as the daemon's RLIMIT_STACK (runner/template.c, template_low_stack()),
 * 8 MB by default, so this one returns normally.
 */
	.text
	.globl	playground
	.type	playground, @function
playground:
	movq	%rsp, %rax
	leaq	-(6 << 20)(%rsp), %rdx
1:	subq	$4096, %rax
	movb	$0, (%rax)
	cmpq	%rdx, %rax
	ja	1b
	ret
	.section .note.GNU-stack, "", @progbits
