/*
 * pause(2), which both seccomp stages allow so that a runner can wait,
 * its result sent, for the monitor to kill it: called by the kernel, it
 * only sleeps until the wall-clock limit.
 */
	.text
	.globl	playground
	.type	playground, @function
playground:
	movl	$34, %eax		/* SYS_pause */
	syscall
	ret
	.size	playground, . - playground

	.section .note.GNU-stack, "", @progbits
