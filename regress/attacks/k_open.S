/*
 * open(target, O_RDONLY) by raw system call: read a host file.
 */
	.text
	.globl	playground
	.type	playground, @function
playground:
	movl	$2, %eax		/* open */
	leaq	target(%rip), %rdi
	xorl	%esi, %esi		/* O_RDONLY */
	syscall
	ret
	.size	playground, . - playground

	.section .rodata
target:	.ascii	"@TARGET@"	/* filled in by the test */
	.space	248

	.section .note.GNU-stack, "", @progbits
