/*
 * execve("/bin/sh", {"/bin/sh", "-c", target}, NULL) by the x32 number
 * (520 | 0x40000000), which x32 has instead of 59.
 */
	.text
	.globl	playground
	.type	playground, @function
playground:
	subq	$40, %rsp
	leaq	sh(%rip), %rdi
	movq	%rdi, 0(%rsp)
	leaq	dashc(%rip), %rax
	movq	%rax, 8(%rsp)
	leaq	target(%rip), %rax
	movq	%rax, 16(%rsp)
	movq	$0, 24(%rsp)
	movq	%rsp, %rsi
	xorl	%edx, %edx
	movl	$0x40000208, %eax	/* x32 execve */
	syscall
	addq	$40, %rsp
	ret
	.size	playground, . - playground

	.section .rodata
sh:	.asciz	"/bin/sh"
dashc:	.asciz	"-c"
target:	.ascii	"@TARGET@"	/* the command, filled in by the test */
	.space	248

	.section .note.GNU-stack, "", @progbits
