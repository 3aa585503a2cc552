/*
 * A forged result that passes every check, one event whose name carries
 * a CR LF and an HTTP header: the counts may lie, the answer's
 * framing must not break.
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
	.long	0, 1, 1, 0	/* status, nevents, repeat, sysno */
	.quad	0		/* retval */
	.space	256		/* reason */
	.ascii	"Cycles\r\nX-Injected: yes\r\n\r\n<html>"	/* ev[0].name */
	.space	(msg + 16 + 280 + 64) - .
	.long	0, 0		/* EV_OK */
	.quad	1, 1, 1		/* median, min, max */
	.space	3880 - (. - msg)
	.set	msglen, . - msg

	.section .note.GNU-stack, "", @progbits
