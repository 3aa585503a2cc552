/*
 * umount2(target, MNT_DETACH): take away a host mount.
 */
	.text
	.globl	playground
	.type	playground, @function
playground:
	movl	$166, %eax		/* umount2 */
	leaq	target(%rip), %rdi
	movl	$2, %esi		/* MNT_DETACH */
	syscall
	ret
	.size	playground, . - playground

	.section .rodata
target:	.ascii	"@TARGET@"	/* filled in by the test */
	.space	248

	.section .note.GNU-stack, "", @progbits
