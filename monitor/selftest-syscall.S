/*
 * The self-test's forbidden kernel, built into the monitor:
 * void selftest(void) calls socket(AF_INET, SOCK_STREAM, 0), which the
 * runner's final seccomp filter must stop ("Dangerous syscall").
 */
	.text
	.globl	selftest
	.type	selftest, @function
selftest:
	movl	$41, %eax		/* socket */
	movl	$2, %edi		/* AF_INET */
	movl	$1, %esi		/* SOCK_STREAM */
	xorl	%edx, %edx
	syscall
	ret
	.size	selftest, . - selftest

	.section .note.GNU-stack, "", @progbits
