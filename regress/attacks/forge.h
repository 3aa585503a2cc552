/*
 * What the forged-report attacks need, in one place: the protocol numbers
 * and offsets they copy from common/proto.h (regress/unit/t_imsg.c
 * checks at compile time that they still hold), and, for assembly, the
 * kernel that writes msg[0, msglen) to the runner's result socket, fd 3,
 * and returns.
 */
#define FORGE_IMSG_RUNNER_READY	6
#define FORGE_IMSG_RESULT	8
#define FORGE_HDR_LEN		16	/* struct imsg_hdr */
#define FORGE_RESULT_LEN	3880	/* the header and struct run_result */
#define FORGE_OFF_REASON	(FORGE_HDR_LEN + 24)	/* run_result.reason */
#define FORGE_REASON_LEN	256
#define FORGE_OFF_EV		(FORGE_HDR_LEN + 280)	/* run_result.ev[0] */
#define FORGE_EVNAME_LEN	64
#define FORGE_RS_SIGNALLED	7

#ifdef __ASSEMBLER__
	.macro	forge_kernel
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
	.endm
#endif
