/*
 * What the forged-report attacks need, in one place: the protocol numbers
 * and offsets they copy from common/proto.h (regress/unit/t_imsg.c
 * checks at compile time that they still hold), and, for assembly, the
 * kernel that writes msg[0, msglen) to the runner's result socket, fd 3,
 * and returns, and the parts of a result.
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
#define FORGE_EV_LEN		224	/* struct ev_result */
#define FORGE_EV_OK		0
#define FORGE_EV_UNAVAILABLE	1
#define FORGE_SRC_NONE		0
#define FORGE_SRC_SOFTWARE	2
#define FORGE_SRC_SINGLESTEP	3
#define FORGE_SRC_TSC		4

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

/*
 * The same, on the kernel's second call only: the first is the one a
 * stepper counts, and it only counts the calls (4 instructions, less the
 * ret).
 */
	.macro	forge_kernel_second
	.text
	.globl	playground
	.type	playground, @function
playground:
	leaq	calls(%rip), %rax
	addq	$1, (%rax)
	cmpq	$2, (%rax)
	jne	1f
	movl	$1, %eax		/* write */
	movl	$3, %edi		/* the result socket */
	leaq	msg(%rip), %rsi
	movl	$msglen, %edx
	syscall
1:	ret
	.size	playground, . - playground
	.data
	.p2align 3
calls:	.quad	0
	.endm

/*
 * The message in two writes: its header from the kernel's first call,
 * the one a stepper counts, and the rest from its second, so that the
 * whole message comes after the stepper's report.
 */
	.macro	forge_kernel_split
	.text
	.globl	playground
	.type	playground, @function
playground:
	leaq	calls(%rip), %rax
	addq	$1, (%rax)
	leaq	msg(%rip), %rsi
	movl	$FORGE_HDR_LEN, %edx
	cmpq	$1, (%rax)
	je	1f
	cmpq	$2, (%rax)
	jne	2f
	addq	$FORGE_HDR_LEN, %rsi
	movl	$(msglen - FORGE_HDR_LEN), %edx
1:	movl	$1, %eax		/* write */
	movl	$3, %edi		/* the result socket */
	syscall
2:	ret
	.size	playground, . - playground
	.data
	.p2align 3
calls:	.quad	0
	.endm

/* One struct ev_result. */
	.macro	forge_ev name, state, source, median, min, max
1:	.ascii	"\name"
	.space	FORGE_EVNAME_LEN - (. - 1b)
	.long	\state, \source
	.quad	\median, \min, \max
	.space	FORGE_EV_LEN - (. - 1b)
	.endm

/*
 * A whole RS_OK result with the events a playground request lists on a
 * host without a PMU (what its runner plans), Instructions, Reference
 * cycles and Task clock as given, the rest plausible.
 */
	.macro	forge_nopmu_result instr, ref, clock=1
	.section .rodata
	.p2align 3
msg:	.long	FORGE_IMSG_RESULT, FORGE_RESULT_LEN, 0, 0	/* id, no flags */
	.long	0, 5, 25, 0	/* status, nevents, repeat, sysno */
	.quad	0		/* retval */
	.space	256		/* reason */
	forge_ev "Cycles", FORGE_EV_UNAVAILABLE, FORGE_SRC_NONE, 0, 0, 0
	forge_ev "Instructions", FORGE_EV_OK, FORGE_SRC_SINGLESTEP, \instr, \instr, \instr
	forge_ev "Reference cycles", FORGE_EV_OK, FORGE_SRC_TSC, \ref, \ref, \ref
	forge_ev "Task clock (ns)", FORGE_EV_OK, FORGE_SRC_SOFTWARE, \clock, \clock, \clock
	forge_ev "Page faults", FORGE_EV_OK, FORGE_SRC_SOFTWARE, 0, 0, 0
	.space	FORGE_RESULT_LEN - (. - msg)
	.set	msglen, . - msg
	.endm
#endif
