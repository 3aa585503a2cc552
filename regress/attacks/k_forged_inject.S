/*
 * A forged result, one event whose name carries a CR LF and an HTTP
 * header: not the events the runner planned, and the answer's framing
 * must not break.
 * Laid out as struct imsg_hdr and struct run_result (common/proto.h).
 */
#include "forge.h"

	forge_kernel

	.section .rodata
	.p2align 3
msg:	.long	FORGE_IMSG_RESULT, FORGE_RESULT_LEN, 0, 0	/* id, no flags */
	.long	0, 1, 1, 0	/* status, nevents, repeat, sysno */
	.quad	0		/* retval */
	.space	256		/* reason */
	.ascii	"Cycles\r\nX-Injected: yes\r\n\r\n<html>"	/* ev[0].name */
	.space	(msg + FORGE_OFF_EV + FORGE_EVNAME_LEN) - .
	.long	0, 0		/* EV_OK */
	.quad	1, 1, 1		/* median, min, max */
	.space	FORGE_RESULT_LEN - (. - msg)
	.set	msglen, . - msg

	.section .note.GNU-stack, "", @progbits
