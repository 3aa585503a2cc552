/*
 * Write code (mov $42, %eax; ret) into our own writable data, then jump
 * to it: data is never executable (W^X), SIGSEGV.
 */
	.text
	.globl	playground
	.type	playground, @function
playground:
	leaq	buf(%rip), %rax
	movl	$0x00002ab8, (%rax)	/* b8 2a 00 00 00: mov $42, %eax */
	movw	$0xc300, 4(%rax)	/* 00 c3: ret */
	call	*%rax
	ret
	.size	playground, . - playground

	.data
buf:	.space	16

	.section .note.GNU-stack, "", @progbits
