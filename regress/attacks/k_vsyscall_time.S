/*
 * A call into the vsyscall page at its time() entry
 * (0xffffffffff600400).
 */
	.text
	.globl	playground
	.type	playground, @function
playground:
	subq	$8, %rsp
	xorl	%edi, %edi
	movq	$0xffffffffff600400, %rax
	call	*%rax
	addq	$8, %rsp
	ret
	.size	playground, . - playground

	.section .note.GNU-stack, "", @progbits
