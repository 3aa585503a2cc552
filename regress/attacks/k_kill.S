/*
 * kill(pid, SIGKILL), the pid from the test: -1 for everything we may
 * signal, or the monitor.
 */
	.text
	.globl	playground
	.type	playground, @function
playground:
	movl	$62, %eax		/* kill */
	movslq	target(%rip), %rdi
	movl	$9, %esi		/* SIGKILL */
	syscall
	ret
	.size	playground, . - playground

	.section .rodata
target:	.ascii	"@TARGET@"	/* the test puts a pid here */
	.space	248

	.section .note.GNU-stack, "", @progbits
