/*
 * Sixteen bytes of garbage on the result socket: a message header that
 * claims 1 GiB.
 */
#include "forge.h"

	forge_kernel

	.section .rodata
msg:	.long	0x41414141, 0x40000000, 0x41414141, 0
	.set	msglen, . - msg

	.section .note.GNU-stack, "", @progbits
