/*
 * creat(target, 0644): leave a file on the host.
 */
	.text
	.globl	playground
	.type	playground, @function
playground:
	movl	$85, %eax		/* creat */
	leaq	target(%rip), %rdi
	movl	$0644, %esi
	syscall
	ret
	.size	playground, . - playground

	.section .rodata
target:	.ascii	"@TARGET@"	/* filled in by the test */
	.space	248

	.section .note.GNU-stack, "", @progbits
