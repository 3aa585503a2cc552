/*
 * A runner-ready message in the middle of the job: a runner must never
 * announce itself twice.
 */
#include "forge.h"

	forge_kernel

	.section .rodata
msg:	.long	FORGE_IMSG_RUNNER_READY, FORGE_HDR_LEN, 0, 0		/* IMSG_RUNNER_READY, no payload */
	.set	msglen, . - msg

	.section .note.GNU-stack, "", @progbits
