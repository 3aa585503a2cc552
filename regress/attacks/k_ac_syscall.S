/*
 * Set the alignment check flag, then make a forbidden system call
 * (openat of target): the flag survives into the runner's signal handler,
 * whose report must still name the call, not die of SIGBUS on the way.
 */
	.text
	.globl	playground
	.type	playground, @function
playground:
	pushfq
	orl	$0x40000, (%rsp)	/* EFLAGS.AC */
	popfq
	movl	$257, %eax		/* openat */
	movq	$-100, %rdi		/* AT_FDCWD */
	leaq	target(%rip), %rsi
	xorl	%edx, %edx		/* O_RDONLY */
	syscall
	pushfq
	andl	$~0x40000, (%rsp)
	popfq
	ret
	.size	playground, . - playground

	.section .rodata
target:	.ascii	"@TARGET@"	/* filled in by the test */
	.space	248

	.section .note.GNU-stack, "", @progbits
