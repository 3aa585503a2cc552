/*
 * openat(AT_FDCWD, target, O_RDONLY) by the x32 system call numbers
 * (257 | 0x40000000).
 */
	.text
	.globl	playground
	.type	playground, @function
playground:
	movl	$0x40000101, %eax	/* x32 openat */
	movq	$-100, %rdi
	leaq	target(%rip), %rsi
	xorl	%edx, %edx
	syscall
	ret
	.size	playground, . - playground

	.section .rodata
target:	.ascii	"@TARGET@"	/* filled in by the test */
	.space	248

	.section .note.GNU-stack, "", @progbits
