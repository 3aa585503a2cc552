/*
 * openat(AT_FDCWD, target, O_RDONLY) by raw system call: read a host
 * file.
 */
	.text
	.globl	playground
	.type	playground, @function
playground:
	movl	$257, %eax		/* openat */
	movq	$-100, %rdi		/* AT_FDCWD */
	leaq	target(%rip), %rsi
	xorl	%edx, %edx		/* O_RDONLY */
	syscall
	ret
	.size	playground, . - playground

	.section .rodata
target:	.ascii	"@TARGET@"	/* filled in by the test */
	.space	248

	.section .note.GNU-stack, "", @progbits
