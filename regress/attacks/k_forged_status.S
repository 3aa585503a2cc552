/*
 * A well-formed result message with a status that does not exist (99).
 * Laid out as struct imsg_hdr and struct run_result (common/proto.h).
 */
#include "forge.h"

	forge_kernel

	.section .rodata
	.p2align 3
msg:	.long	FORGE_IMSG_RESULT, FORGE_RESULT_LEN, 0, 0	/* id, no flags */
	.long	99, 0, 1, 0	/* status, nevents, repeat, sysno */
	.quad	0		/* retval */
	.space	256		/* reason */
	.space	FORGE_RESULT_LEN - (. - msg)
	.set	msglen, . - msg

	.section .note.GNU-stack, "", @progbits
