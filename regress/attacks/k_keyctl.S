/*
 * keyctl(KEYCTL_JOIN_SESSION_KEYRING, NULL): reach the kernel keyrings.
 */
	.text
	.globl	playground
	.type	playground, @function
playground:
	movl	$250, %eax		/* keyctl */
	movl	$1, %edi		/* KEYCTL_JOIN_SESSION_KEYRING */
	xorl	%esi, %esi
	syscall
	ret
	.size	playground, . - playground

	.section .note.GNU-stack, "", @progbits
