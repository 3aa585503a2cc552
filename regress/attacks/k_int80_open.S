/*
 * open(target, O_RDONLY) through the 32-bit int 0x80 entry (number 5),
 * which a filter written for x86-64 numbers alone would read as fstat.
 */
	.text
	.globl	playground
	.type	playground, @function
playground:
	pushq	%rbx
	movl	$5, %eax		/* i386 open */
	leaq	target(%rip), %rbx
	xorl	%ecx, %ecx		/* O_RDONLY */
	int	$0x80
	popq	%rbx
	ret
	.size	playground, . - playground

	.section .rodata
target:	.ascii	"@TARGET@"	/* filled in by the test */
	.space	248

	.section .note.GNU-stack, "", @progbits
