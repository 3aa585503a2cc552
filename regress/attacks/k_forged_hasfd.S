/*
 * A result message whose header says a descriptor comes with it, which
 * none does.
 * Laid out as struct imsg_hdr and struct run_result (common/proto.h).
 */
#include "forge.h"

	forge_kernel

	.section .rodata
	.p2align 3
msg:	.long	FORGE_IMSG_RESULT, FORGE_RESULT_LEN, 0, 1	/* id, IMSGF_HASFD */
	.long	0, 0, 1, 0	/* status, nevents, repeat, sysno */
	.quad	0		/* retval */
	.space	256		/* reason */
	.space	FORGE_RESULT_LEN - (. - msg)
	.set	msglen, . - msg

	.section .note.GNU-stack, "", @progbits
