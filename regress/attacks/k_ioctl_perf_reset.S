/*
 * ioctl(32, PERF_EVENT_IOC_RESET, 0) on the runner's first counter fd:
 * the counters are the runner's, and the final filter allows only the
 * ENABLE and DISABLE requests it uses itself.
 */
	.text
	.globl	playground
	.type	playground, @function
playground:
	movl	$16, %eax		/* ioctl */
	movl	$32, %edi		/* COUNTERS_FDBASE */
	movl	$0x2403, %esi		/* PERF_EVENT_IOC_RESET */
	xorl	%edx, %edx
	syscall
	ret
	.size	playground, . - playground

	.section .note.GNU-stack, "", @progbits
