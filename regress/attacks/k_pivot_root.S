/*
 * pivot_root(target, target): swap the root for a host directory.
 */
	.text
	.globl	playground
	.type	playground, @function
playground:
	movl	$155, %eax		/* pivot_root */
	leaq	target(%rip), %rdi
	leaq	target(%rip), %rsi
	syscall
	ret
	.size	playground, . - playground

	.section .rodata
target:	.ascii	"@TARGET@"	/* filled in by the test */
	.space	248

	.section .note.GNU-stack, "", @progbits
