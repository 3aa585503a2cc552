/*
 * Counting by single-stepping, for the stepper (stepper.c): the marked
 * call of a runner this process is attached to, counted from outside it
 * with ptrace(2).  A file of its own, with nothing of the monitor's, so
 * that the runner's unit test can count with it too.
 *
 * From the mark (an int3 the runner makes just before `call *%rax') it
 * steps until the instruction pointer reaches the instruction after the
 * call, and counts a step only when the pointer has moved: a
 * REP-prefixed string instruction traps once per iteration in place and
 * counts once, as a hardware counter counts it.  It also counts the
 * system calls the kernel's call makes: the step after one traps as
 * TRAP_BRKPT, not TRAP_TRACE.  The only one a kernel could mean is a write
 * to the result socket, a report from inside the counted call, and the
 * monitor refuses a result after any (monitor/counts.c).
 *
 * While it steps, the runner and this process share one CPU, this one's:
 * each step is then a switch between the two on that CPU, where across
 * two CPUs it was a wake-up of the other (an interrupt to it, and its
 * way out of idle, both exits to the hypervisor on a virtual machine)
 * and the same again back.  Each goes back to its own CPUs afterwards.
 * Where either cannot be pinned (a CPU the runner may not use), the
 * steps go on unpinned.
 */
#include <sys/types.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>

#include "stepcount.h"

/* `call *%rax', the instruction each mark stands before. */
#define CALL_RAX_LEN	2
#define EFLAGS_TF	0x100

/* The CPUs the runner and this process may use, while both are pinned. */
struct pin {
	cpu_set_t	 runner, self;
	int		 on;
};

static int	 step_to(pid_t, uint64_t, uint64_t *, uint32_t *, int *);
static void	 pin(pid_t, struct pin *);
static void	 unpin(pid_t, struct pin *);
static int	 wait_stop(pid_t, int *);

/*
 * Wait for the running runner's mark, then step the kernel's call after
 * it, at most max steps, and leave the runner stopped.  The steps into
 * *count, the system calls among them into *sys, whatever the status;
 * STEP_OK, or why not, with the signal the runner is still owed in *sig.
 */
int
step_call(pid_t runner, uint64_t max, uint64_t *count, uint32_t *sys,
    int *sig)
{
	struct pin	 p;
	siginfo_t	 si;
	int		 s;

	*sig = 0;
	*sys = 0;
	/* To the mark: the runner's own code, which passes on its signals. */
	for (;;) {
		if ((s = wait_stop(runner, sig)) != STEP_OK)
			return s;
		if (*sig == SIGTRAP &&
		    ptrace(PTRACE_GETSIGINFO, runner, NULL, &si) == 0 &&
		    si.si_code == SI_KERNEL)
			break;
		if (ptrace(PTRACE_CONT, runner, NULL, (void *)(long)*sig) == -1)
			return STEP_GONE;
	}
	*sig = 0;
	pin(runner, &p);
	s = step_to(runner, max, count, sys, sig);
	unpin(runner, &p);
	return s;
}

/* From the mark, stopped there: step_call()'s steps. */
static int
step_to(pid_t runner, uint64_t max, uint64_t *count, uint32_t *sys, int *sig)
{
	struct user_regs_struct	 regs;
	siginfo_t		 si;
	uintptr_t		 last, end;
	uint64_t		 moves = 0, traps = 0;
	int			 s;

	if (ptrace(PTRACE_GETREGS, runner, NULL, &regs) == -1)
		return STEP_GONE;
	last = regs.rip;
	end = regs.rip + CALL_RAX_LEN;
	while (regs.rip != end) {
		if (traps++ == max)
			return STEP_OVER;
		if (ptrace(PTRACE_SINGLESTEP, runner, NULL, NULL) == -1 ||
		    (s = wait_stop(runner, sig)) != STEP_OK)
			return STEP_GONE;
		/*
		 * A step's trap; after a system call the kernel reports it
		 * as TRAP_BRKPT.  An int3 of the kernel's is SI_KERNEL.
		 */
		if (*sig != SIGTRAP ||
		    ptrace(PTRACE_GETSIGINFO, runner, NULL, &si) == -1 ||
		    (si.si_code != TRAP_TRACE && si.si_code != TRAP_BRKPT))
			return STEP_FAULT;
		if (si.si_code == TRAP_BRKPT && *sys < UINT32_MAX)
			(*sys)++;
		*sig = 0;
		if (ptrace(PTRACE_GETREGS, runner, NULL, &regs) == -1)
			return STEP_GONE;
		if (regs.rip != last)
			moves++;
		last = regs.rip;
	}
	/*
	 * Back in the runner's code, which never sets the trap flag: a
	 * kernel that played with it (pushf, popf) may have left it set
	 * where detaching would not clear it.
	 */
	if (regs.eflags & EFLAGS_TF) {
		regs.eflags &= ~(unsigned long long)EFLAGS_TF;
		if (ptrace(PTRACE_SETREGS, runner, NULL, &regs) == -1)
			return STEP_GONE;
	}
	*count = moves;
	return STEP_OK;
}

/* The stopped runner onto this process's CPU, and this one with it. */
static void
pin(pid_t runner, struct pin *p)
{
	cpu_set_t	 one;
	int		 cpu;

	p->on = 0;
	if ((cpu = sched_getcpu()) == -1 ||
	    sched_getaffinity(runner, sizeof(p->runner), &p->runner) == -1 ||
	    !CPU_ISSET(cpu, &p->runner) ||
	    sched_getaffinity(0, sizeof(p->self), &p->self) == -1)
		return;
	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	if (sched_setaffinity(0, sizeof(one), &one) == -1)
		return;
	if (sched_setaffinity(runner, sizeof(one), &one) == -1) {
		(void)sched_setaffinity(0, sizeof(p->self), &p->self);
		return;
	}
	p->on = 1;
}

/* Each back to its CPUs; a runner that is gone needs none. */
static void
unpin(pid_t runner, struct pin *p)
{
	if (!p->on)
		return;
	(void)sched_setaffinity(runner, sizeof(p->runner), &p->runner);
	(void)sched_setaffinity(0, sizeof(p->self), &p->self);
}

/* The runner's next stop, its signal in *sig; STEP_GONE if it ended. */
static int
wait_stop(pid_t runner, int *sig)
{
	int	 status;

	for (;;) {
		if (waitpid(runner, &status, __WALL) == -1) {
			if (errno == EINTR)
				continue;
			return STEP_GONE;
		}
		if (!WIFSTOPPED(status))
			return STEP_GONE;
		*sig = WSTOPSIG(status);
		return STEP_OK;
	}
}
