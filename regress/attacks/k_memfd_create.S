/*
 * memfd_create("x", 0): anonymous files, writable and executable.
 */
	.text
	.globl	playground
	.type	playground, @function
playground:
	movl	$319, %eax		/* memfd_create */
	leaq	name(%rip), %rdi
	xorl	%esi, %esi
	syscall
	ret
	.size	playground, . - playground

	.section .rodata
name:	.asciz	"x"

	.section .note.GNU-stack, "", @progbits
