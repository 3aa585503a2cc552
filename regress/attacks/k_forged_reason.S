/*
 * A forged signal report whose reason fills its field, with no
 * terminating NUL, a newline and control bytes.
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
msg:	.long	8, 3880, 0, 0	/* IMSG_RESULT, length, id, no flags */
	.long	7, 0, 1, 0	/* status, nevents, repeat, sysno */
	.quad	0		/* retval */
	.ascii	"SIGFAKE\nX-Injected: yes\033[2J"
	.fill	(msg + 16 + 24 + 256) - ., 1, 0x41	/* no NUL */
	.space	3880 - (. - msg)
	.set	msglen, . - msg

	.section .note.GNU-stack, "", @progbits
