/*
 * process_vm_writev(2) into another process (the test names the
 * monitor): 8 bytes of ours over its memory at 0x400000.
 */
	.text
	.globl	playground
	.type	playground, @function
playground:
	subq	$40, %rsp
	leaq	playground(%rip), %rax
	movq	%rax, 0(%rsp)		/* local iovec */
	movq	$8, 8(%rsp)
	movq	$0x400000, 16(%rsp)	/* remote iovec */
	movq	$8, 24(%rsp)
	movl	$311, %eax		/* process_vm_writev */
	movslq	target(%rip), %rdi
	movq	%rsp, %rsi
	movl	$1, %edx
	leaq	16(%rsp), %r10
	movl	$1, %r8d
	xorl	%r9d, %r9d
	syscall
	addq	$40, %rsp
	ret
	.size	playground, . - playground

	.section .rodata
target:	.ascii	"@TARGET@"	/* the test puts a pid here */
	.space	248

	.section .note.GNU-stack, "", @progbits
