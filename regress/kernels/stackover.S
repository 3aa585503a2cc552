/*
 * Runs off the end of its stack: writes a byte to every page below its
 * stack pointer until it faults.  The page below the stack a kernel runs
 * on faults (runner/template.c, template_low_stack()), so it ends with
 * SIGSEGV and its place, not in whatever lies below.
 */
	.text
	.globl	playground
	.type	playground, @function
playground:
	movq	%rsp, %rax
1:	subq	$4096, %rax
	movb	$0, (%rax)
	jmp	1b
	.section .note.GNU-stack, "", @progbits
