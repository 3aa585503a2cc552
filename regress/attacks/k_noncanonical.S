/*
 * A jump to a non-canonical address: SIGSEGV.
 */
	.text
	.globl	playground
	.type	playground, @function
playground:
	movabsq	$0x8000000000000000, %rax
	jmp	*%rax
	.size	playground, . - playground

	.section .note.GNU-stack, "", @progbits
