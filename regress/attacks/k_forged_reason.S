/*
 * A forged signal report whose reason fills its field, with no
 * terminating NUL, a newline and control bytes.
 * Laid out as struct imsg_hdr and struct run_result (common/proto.h).
 */
#include "forge.h"

	forge_kernel

	.section .rodata
	.p2align 3
msg:	.long	FORGE_IMSG_RESULT, FORGE_RESULT_LEN, 0, 0	/* id, no flags */
	.long	FORGE_RS_SIGNALLED, 0, 1, 0	/* status, nevents, repeat, sysno */
	.quad	0		/* retval */
	.ascii	"SIGFAKE\nX-Injected: yes\033[2J"
	.fill	(msg + FORGE_OFF_REASON + FORGE_REASON_LEN) - ., 1, 0x41	/* no NUL */
	.space	FORGE_RESULT_LEN - (. - msg)
	.set	msglen, . - msg

	.section .note.GNU-stack, "", @progbits
