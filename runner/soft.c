/*
 * Counts without a hardware PMU (most virtual machines have none):
 * retired instructions by single-stepping one call, reference cycles by
 * the time-stamp counter around every call.  counters.c decides when they
 * stand in for an event perf_event_open(2) could not open, and reports
 * them like the others.
 *
 * Single-stepping.  soft_call() sets the trap flag just before it calls
 * f and clears it just after, so the CPU raises a debug trap after every
 * instruction in between and the SIGTRAP handler counts them.  A step is
 * counted only when the instruction pointer has moved since the last
 * trap: a REP-prefixed string instruction traps once per iteration with
 * the pointer still on it, and counts once, as a hardware counter counts
 * it.  The path from setting the flag to clearing it is the same for the
 * kernel and the empty function except for the called function (call.c
 * says why), so the kernel's steps less the empty function's are its own
 * instructions less its final `ret', exactly what the PMU path reports.
 * A trap costs a signal delivery and a return from it, some microseconds
 * (far more in a virtual machine, where a debug trap is a VM exit), so
 * there is a bound on the traps of one call, and the call runs once per
 * request.  Past the bound the handler clears the flag in the context it
 * returns to, and the kernel runs on untraced.
 *
 * The count is only as honest as the kernel: one that clears the trap
 * flag (popf) stops the count, and one that sets it outside soft_call()
 * gets the SIGTRAP it asked for.  An int3 raises a SIGTRAP that is not a
 * single-step trap (si_code is not TRAP_TRACE) and is reported as a fault
 * as before.
 *
 * The handler returns through rt_sigreturn(2), which the final seccomp
 * filter allows only with the first argument our own restorer passes
 * (sandbox.c): the kernel ignores that argument, and the value is no
 * secret, but a kernel that calls rt_sigreturn(2) the usual way is still
 * told it made a forbidden system call.
 */
#include <sys/types.h>
#include <sys/syscall.h>

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>

#include "runner.h"

#define EFLAGS_TF	0x100

#ifndef SA_RESTORER
#define SA_RESTORER	0x04000000
#endif

/* The kernel's struct sigaction, which names its own restorer. */
struct ksigaction {
	void		(*ks_handler)(int, siginfo_t *, void *);
	unsigned long	 ks_flags;
	void		(*ks_restorer)(void);
	uint64_t	 ks_mask;
};

/*
 * What the handler needs, set before stepping and read after: volatile,
 * since the handler changes it behind the back of the code around
 * soft_call().
 */
static volatile struct {
	void		(*fault)(int, siginfo_t *, void *);
	int		 stepping;
	uint64_t	 traps;
	uint64_t	 moves;
	uint64_t	 max;
	uintptr_t	 lastpc;
	int		 over;
} ss;

uint64_t	 soft_call(uint64_t (*)(void *), void *);
void		 soft_restorer(void);

/*
 * uint64_t soft_call(uint64_t (*f)(void *), void *arg): f(arg) with the
 * trap flag set.  In assembly, so that no compiler-generated code sits
 * between the flag and the call, and pushfq cannot clobber a red zone.
 */
__asm__(
	".text\n"
	".p2align 4\n"
	".globl soft_call\n"
	".type soft_call, @function\n"
	"soft_call:\n"
	"\tsubq $8, %rsp\n"			/* the call's stack alignment */
	"\tmovq %rdi, %rax\n"
	"\tmovq %rsi, %rdi\n"
	"\tpushfq\n"
	"\torq $0x100, (%rsp)\n"
	"\tpopfq\n"
	"\tcall *%rax\n"
	"\tpushfq\n"
	"\tandq $-0x101, (%rsp)\n"
	"\tpopfq\n"
	"\taddq $8, %rsp\n"
	"\tret\n"
	".size soft_call, . - soft_call\n"
	"\n"
	".p2align 4\n"
	".globl soft_restorer\n"
	".type soft_restorer, @function\n"
	"soft_restorer:\n"
	"\tmovq $" SOFT_RESTORER_TAG_S ", %rdi\n"
	"\tmovl $15, %eax\n"			/* rt_sigreturn */
	"\tsyscall\n"
	"\thlt\n"
	".size soft_restorer, . - soft_restorer\n");

static void	 trap_handler(int, siginfo_t *, void *);
static uint64_t	 steps(uint64_t (*)(void *), void *);
static void	 tsc_samples(uint64_t *, uint32_t, uint64_t (*)(void *),
		    void *) __attribute__((__noinline__));

/*
 * Take SIGTRAP over from the fault handler: single-step traps are
 * counted, every other SIGTRAP goes on to fault(), which does not return.
 * Before this, nothing is single-stepped.
 */
int
soft_install(void (*fault)(int, siginfo_t *, void *))
{
	struct ksigaction	 ksa;

	memset(&ksa, 0, sizeof(ksa));
	ksa.ks_handler = trap_handler;
	ksa.ks_flags = SA_SIGINFO | SA_ONSTACK | SA_RESTORER;
	ksa.ks_restorer = soft_restorer;
	ksa.ks_mask = ~(uint64_t)0;
	ss.fault = fault;
	if (syscall(SYS_rt_sigaction, SIGTRAP, &ksa, NULL,
	    sizeof(ksa.ks_mask)) == -1) {
		ss.fault = NULL;
		return -1;
	}
	return 0;
}

int
soft_ready(void)
{
	return ss.fault != NULL;
}

/*
 * The instructions of one call of fn(arg), less its final `ret', into
 * *count.  Returns 0, 1 when a call took more than max traps, -1 when
 * nothing is installed to count them.
 */
int
soft_instructions(uint64_t (*fn)(void *), uint64_t (*empty)(void *),
    void *arg, uint64_t max, uint64_t *count)
{
	uint64_t	 e, k;

	if (ss.fault == NULL || max == 0) {
		errno = EINVAL;
		return -1;
	}
	ss.max = max;
	e = steps(empty, arg);
	if (ss.over)
		return 1;
	k = steps(fn, arg);
	if (ss.over)
		return 1;
	/* A kernel that cleared the flag itself may have counted less. */
	*count = k > e ? k - e : 0;
	return 0;
}

static uint64_t
steps(uint64_t (*f)(void *), void *arg)
{
	ss.traps = 0;
	ss.moves = 0;
	ss.lastpc = 0;
	ss.over = 0;
	ss.stepping = 1;
	(void)soft_call(f, arg);
	ss.stepping = 0;
	return ss.moves;
}

/*
 * On the alternate stack, all signals blocked, the trap flag clear (the
 * kernel clears it for the handler and restores it from the context).
 */
static void
trap_handler(int sig, siginfo_t *si, void *uctx)
{
	ucontext_t	*uc = uctx;
	uintptr_t	 pc;

	if (!ss.stepping || si->si_code != TRAP_TRACE) {
		ss.fault(sig, si, uctx);
		_exit(RUNNER_EXIT_DONE);
	}
	pc = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
	if (pc != ss.lastpc) {
		ss.moves++;
		ss.lastpc = pc;
	}
	if (++ss.traps >= ss.max) {
		ss.over = 1;
		uc->uc_mcontext.gregs[REG_EFL] &= ~(greg_t)EFLAGS_TF;
	}
}

/*
 * Reference cycles: the time-stamp counter around each of `repeat' calls
 * of fn(arg), less the median of as many calls of empty(arg), as median,
 * minimum and maximum in out[0..2].  vals holds `repeat' samples.  For
 * jobs whose software events take a pass anyway, counters.c reads the
 * counter in that pass instead, with no calls of its own.
 */
void
soft_tsc(uint64_t *vals, uint32_t warmup, uint32_t repeat,
    uint64_t (*fn)(void *), uint64_t (*empty)(void *), void *arg,
    int64_t out[3])
{
	uint64_t	 over;
	uint32_t	 w;

	for (w = 0; w < warmup; w++)
		(void)fn(arg);
	tsc_samples(vals, repeat, empty, arg);
	counters_sort(vals, repeat);
	over = counters_median(vals, repeat);
	tsc_samples(vals, repeat, fn, arg);
	counters_sort(vals, repeat);
	out[0] = (int64_t)(counters_median(vals, repeat) - over);
	out[1] = (int64_t)(vals[0] - over);
	out[2] = (int64_t)(vals[repeat - 1] - over);
}

/* One call site for the kernel and the empty function alike. */
static void
tsc_samples(uint64_t *vals, uint32_t repeat, uint64_t (*f)(void *),
    void *arg)
{
	uint64_t	 t0;
	uint32_t	 r;

	for (r = 0; r < repeat; r++) {
		t0 = soft_tsc_begin();
		(void)f(arg);
		vals[r] = soft_tsc_end() - t0;
	}
}
