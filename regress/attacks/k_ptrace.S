/*
 * ptrace(PTRACE_ATTACH, pid): take over a process of the host (the test
 * names the monitor).
 */
	.text
	.globl	playground
	.type	playground, @function
playground:
	movl	$101, %eax		/* ptrace */
	movl	$16, %edi		/* PTRACE_ATTACH */
	movslq	target(%rip), %rsi
	xorl	%edx, %edx
	xorl	%r10d, %r10d
	syscall
	ret
	.size	playground, . - playground

	.section .rodata
target:	.ascii	"@TARGET@"	/* the test puts a pid here */
	.space	248

	.section .note.GNU-stack, "", @progbits
