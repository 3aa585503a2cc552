/*
 * Half a result: a header announcing 3880 bytes, then nothing but
 * spinning.
 * Laid out as struct imsg_hdr and struct run_result (common/proto.h).
 */
#include "forge.h"

	.text
	.globl	playground
	.type	playground, @function
playground:
	movl	$1, %eax		/* write */
	movl	$3, %edi
	leaq	msg(%rip), %rsi
	movl	$16, %edx		/* the header only */
	syscall
1:	jmp	1b
	.size	playground, . - playground

	.section .rodata
	.p2align 3
msg:	.long	FORGE_IMSG_RESULT, FORGE_RESULT_LEN, 0, 0	/* id, no flags */
	.long	0, 0, 1, 0	/* status, nevents, repeat, sysno */
	.quad	0		/* retval */
	.space	256		/* reason */
	.space	FORGE_RESULT_LEN - (. - msg)
	.set	msglen, . - msg

	.section .note.GNU-stack, "", @progbits
