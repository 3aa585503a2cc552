/*
 * A result message whose header says a descriptor comes with it, which
 * none does.
 * Laid out as struct imsg_hdr and struct run_result (common/proto.h).
 */
	.text
	.globl	playground
	.type	playground, @function
playground:
	movl	$1, %eax		/* write */
	movl	$3, %edi		/* the result socket */
	leaq	msg(%rip), %rsi
	movl	$msglen, %edx
	syscall
	ret
	.size	playground, . - playground

	.section .rodata
	.p2align 3
msg:	.long	8, 3880, 0, 1	/* IMSG_RESULT, length, id, IMSGF_HASFD */
	.long	0, 0, 1, 0	/* status, nevents, repeat, sysno */
	.quad	0		/* retval */
	.space	256		/* reason */
	.space	3880 - (. - msg)
	.set	msglen, . - msg

	.section .note.GNU-stack, "", @progbits
