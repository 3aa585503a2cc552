/*
 * An unaligned load with the alignment check flag set: SIGBUS.
 */
	.text
	.globl	playground
	.type	playground, @function
playground:
	pushfq
	orl	$0x40000, (%rsp)	/* EFLAGS.AC */
	popfq
	leaq	-9(%rsp), %rax
	movq	(%rax), %rax
	pushfq
	andl	$~0x40000, (%rsp)
	popfq
	ret
	.size	playground, . - playground

	.section .note.GNU-stack, "", @progbits
