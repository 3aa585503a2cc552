/*
 * openat(AT_FDCWD, target, O_WRONLY | O_TRUNC): wipe a host file.
 */
	.text
	.globl	playground
	.type	playground, @function
playground:
	movl	$257, %eax		/* openat */
	movq	$-100, %rdi		/* AT_FDCWD */
	leaq	target(%rip), %rsi
	movl	$0x201, %edx		/* O_WRONLY | O_TRUNC */
	syscall
	ret
	.size	playground, . - playground

	.section .rodata
target:	.ascii	"@TARGET@"	/* filled in by the test */
	.space	248

	.section .note.GNU-stack, "", @progbits
