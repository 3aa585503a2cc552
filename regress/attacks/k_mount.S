/*
 * mount("none", target, "tmpfs", 0, NULL): cover a host directory.
 */
	.text
	.globl	playground
	.type	playground, @function
playground:
	movl	$165, %eax		/* mount */
	leaq	none(%rip), %rdi
	leaq	target(%rip), %rsi
	leaq	tmpfs(%rip), %rdx
	xorl	%r10d, %r10d
	xorl	%r8d, %r8d
	syscall
	ret
	.size	playground, . - playground

	.section .rodata
none:	.asciz	"none"
tmpfs:	.asciz	"tmpfs"
target:	.ascii	"@TARGET@"	/* filled in by the test */
	.space	248

	.section .note.GNU-stack, "", @progbits
