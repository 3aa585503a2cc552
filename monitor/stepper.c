/*
 * The stepper: where no hardware PMU counts instructions, a child of the
 * monitor counts one call of the kernel by single-stepping it from the
 * outside, with ptrace(2).  The count never passes through the runner's
 * memory, so a kernel that overwrites the runner's counters or sends a
 * report of its own cannot change it: the monitor puts the stepper's
 * count in the answer, not the runner's.
 *
 * The stepper attaches to the runner before the runner has its job, so
 * before any of the kernel's code has run.  The runner then marks the
 * two calls it wants counted, the empty function's and the kernel's, each
 * with an int3 just before the `call *%rax' of its one call site, after
 * the arguments are loaded (runner/soft.c, runner/call.c).  Both marks
 * come before the kernel's first instruction, so the stepper trusts the
 * first two SIGTRAPs it sees to be them; from each it steps until the
 * instruction pointer reaches the instruction after the call, counting a
 * step only when the pointer has moved (a REP-prefixed string instruction
 * traps once per iteration in place and counts once, as a hardware
 * counter counts it).  The kernel's steps less the empty function's are
 * its instructions less its final `ret', as the PMU path reports them.
 * Then it writes its report to the monitor and detaches; the runner
 * measures the rest without it.
 *
 * Each step is a trap, a stop, and two system calls of the stepper's:
 * some tens of microseconds in a virtual machine, where the trap is a VM
 * exit.  So the steps of one call are bounded (single-step-limit); past
 * the bound the stepper reports that and lets the kernel run on.  A
 * signal other than the trap of a step (the kernel faulted, or executed
 * int3 itself) ends the count: the signal goes on to the runner, whose
 * fault handler reports it as without a stepper.
 *
 * The monitor never waits for the stepper: it learns on a pipe that the
 * stepper has attached (only then is the job sent) and reads the report,
 * which the stepper writes before it lets the runner go on, when the
 * runner's result comes.
 */
#include <sys/types.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/perf_event.h>

#include <sys/capability.h>

#include <event.h>

#include "common.h"
#include "monitor.h"

/* What the stepper writes on its pipe: each fits in one atomic write. */
struct step_msg {
	uint32_t	 kind;			/* STEP_ATTACHED, STEP_REPORT */
	int32_t		 error;			/* errno, if not attached */
	struct step_report rep;
};

#define STEP_ATTACHED	1
#define STEP_NOTATTACHED 2
#define STEP_REPORT	3

static pid_t	*live;		/* steppers not reaped yet */
static size_t	 nlive, maxlive;

static void	 stepper_main(pid_t, uid_t, uint64_t, int)
		    __attribute__((__noreturn__));
static int	 attach(pid_t, uid_t);
static int	 stepper_live(pid_t);
static void	 stepper_read(int, short, void *);
static void	 stepper_msg(struct stepper *, const struct step_msg *);

/*
 * Whether a hardware counter of instructions can be opened on this host,
 * asked once; if not, why, in *why.  Where it can, nothing is stepped.
 */
int
host_pmu(const char **why)
{
	static int	 probed, have;
	static char	 reason[WR_NAMELEN * 2];
	int		 error;

	if (!probed) {
		probed = 1;
		if ((error = perf_hw_probe(PERF_COUNT_HW_INSTRUCTIONS)) != 0)
			snprintf(reason, sizeof(reason), "no hardware PMU "
			    "(perf_event_open: %s)", strerror(error));
		else
			have = 1;
	}
	if (why != NULL)
		*why = reason;
	return have;
}

void
stepper_init(struct stepper *st)
{
	memset(st, 0, sizeof(*st));
	st->pid = -1;
	st->fd = -1;
}

/*
 * Fork a stepper that attaches to the runner pid, then becomes its uid,
 * and counts at most max steps per call.  attached(arg, ok) is called once, with ok 1 when it
 * has attached and 0 when it could not (logged).  -1 if no stepper could
 * be started.
 */
int
stepper_start(struct stepper *st, pid_t runner, uid_t uid, uint64_t max,
    void (*attached)(void *, int), void *arg)
{
	sigset_t	 all, old;
	pid_t		*p;
	int		 pfd[2];

	if (nlive == maxlive) {
		if ((p = reallocarray(live, maxlive + 8, sizeof(*p))) == NULL)
			return -1;
		live = p;
		maxlive += 8;
	}
	if (pipe2(pfd, O_CLOEXEC) == -1)
		return -1;
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	st->pid = fork();
	if (st->pid == 0) {
		close(pfd[0]);
		stepper_main(runner, uid, max, pfd[1]);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	close(pfd[1]);
	if (st->pid == -1) {
		close(pfd[0]);
		return -1;
	}
	live[nlive++] = st->pid;
	st->fd = pfd[0];
	st->attached = attached;
	st->arg = arg;
	if (fcntl(st->fd, F_SETFL, O_NONBLOCK) == -1 ||
	    (st->ev = event_new(mon->base, st->fd, EV_READ | EV_PERSIST,
	    stepper_read, st)) == NULL || event_add(st->ev, NULL) == -1) {
		stepper_stop(st);
		return -1;
	}
	return 0;
}

/*
 * The report, if the stepper has written it: 0 and *rep, or -1.  The
 * stepper writes it before the runner goes on from the kernel's counted
 * call, so a runner's result that comes before it was not the runner's.
 */
int
stepper_report(struct stepper *st, struct step_report *rep)
{
	if (st->fd != -1)
		stepper_read(st->fd, EV_READ, st);
	if (!st->have)
		return -1;
	*rep = st->rep;
	return 0;
}

/* Kill it, if it still runs, and forget it; SIGCHLD reaps it. */
void
stepper_stop(struct stepper *st)
{
	if (st->ev != NULL)
		event_free(st->ev);
	st->ev = NULL;
	if (st->fd != -1)
		close(st->fd);
	st->fd = -1;
	/* Not one reaped already: its pid may be anyone's now. */
	if (st->pid != -1 && stepper_live(st->pid))
		kill(st->pid, SIGKILL);
	st->pid = -1;
	st->attached = NULL;
}

static int
stepper_live(pid_t pid)
{
	size_t	 i;

	for (i = 0; i < nlive; i++)
		if (live[i] == pid)
			return 1;
	return 0;
}

/* 1 if pid was a stepper, which is now reaped. */
int
stepper_reaped(pid_t pid)
{
	size_t	 i;

	for (i = 0; i < nlive; i++)
		if (live[i] == pid) {
			live[i] = live[--nlive];
			return 1;
		}
	return 0;
}

static void
stepper_read(int fd, short event, void *arg)
{
	struct stepper	*st = arg;
	struct step_msg	 m;
	ssize_t		 n;

	(void)event;
	while ((n = read(fd, &m, sizeof(m))) == (ssize_t)sizeof(m))
		stepper_msg(st, &m);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	/* The end, or a short message, which a stepper never writes. */
	event_free(st->ev);
	st->ev = NULL;
	close(st->fd);
	st->fd = -1;
	if (st->attached != NULL) {
		log_warnx("runner %d: the stepper ended before it attached",
		    (int)st->pid);
		stepper_msg(st, &(struct step_msg){ .kind = STEP_NOTATTACHED });
	}
}

static void
stepper_msg(struct stepper *st, const struct step_msg *m)
{
	void	(*cb)(void *, int) = st->attached;

	if (m->kind == STEP_REPORT && cb == NULL) {
		st->rep = m->rep;
		st->have = 1;
		return;
	}
	if (cb == NULL)
		return;
	st->attached = NULL;
	if (m->kind != STEP_ATTACHED && m->error != 0) {
		errno = m->error;
		log_warn("cannot single-step runner %d: ptrace", (int)st->pid);
	}
	cb(st->arg, m->kind == STEP_ATTACHED);
}

/*
 * The stepper process.  It holds nothing of the monitor's but the pipe,
 * and dies with the monitor; the runner dies with it (PTRACE_O_EXITKILL)
 * while it is attached, so a runner is never left stopped.  Once
 * attached it is the runner's user, with no capability: ptrace(2) asks
 * for none on a tracee already attached.
 */
static void
stepper_main(pid_t runner, uid_t uid, uint64_t max, int fd)
{
	struct step_msg	 m;
	sigset_t	 none;
	uint64_t	 n[2];
	uint32_t	 sys;
	int		 i, sig = 0, rc;

	for (i = 1; i < NSIG; i++)
		signal(i, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (dup2(fd, 3) == -1)
		_exit(1);
	i = 3;
	closefrom_except(3, &i, 1);
	(void)prctl(PR_SET_NAME, "wr-stepper");
	memset(&m, 0, sizeof(m));
	m.kind = STEP_ATTACHED;
	if (attach(runner, uid) == -1) {
		m.kind = STEP_NOTATTACHED;
		m.error = errno;
	}
	if (write(3, &m, sizeof(m)) != (ssize_t)sizeof(m) ||
	    m.kind != STEP_ATTACHED)
		_exit(1);

	rc = step_calls(runner, max, n, &sys, &sig);
	memset(&m, 0, sizeof(m));
	m.kind = STEP_REPORT;
	m.rep.status = (uint32_t)rc;
	m.rep.syscalls = sys;
	if (rc == STEP_OK) {
		m.rep.empty = n[0];
		m.rep.kernel = n[1];
	}
	if (write(3, &m, sizeof(m)) != (ssize_t)sizeof(m))
		_exit(1);
	if (rc != STEP_GONE)
		(void)ptrace(PTRACE_DETACH, runner, NULL, (void *)(long)sig);
	_exit(0);
}

/*
 * PTRACE_SEIZE with the monitor's permitted CAP_SYS_PTRACE (the runner is
 * another user, and not dumpable), then the runner's uid and gid, which
 * take every capability away; the parent-death signal, which a change of
 * uid clears, last.
 */
static int
attach(pid_t runner, uid_t uid)
{
	static const cap_value_t	 need[] = {
		CAP_SYS_PTRACE, CAP_SETUID, CAP_SETGID
	};
	cap_t				 caps;
	gid_t				 gid = (gid_t)uid;
	int				 rc;

	if ((caps = cap_get_proc()) == NULL)
		return -1;
	rc = cap_set_flag(caps, CAP_EFFECTIVE, 3, need, CAP_SET);
	if (rc == 0)
		rc = cap_set_proc(caps);
	cap_free(caps);
	if (rc == -1 || ptrace(PTRACE_SEIZE, runner, NULL,
	    (void *)(long)PTRACE_O_EXITKILL) == -1)
		return -1;
	if (setgroups(1, &gid) == -1 || setresgid(gid, gid, gid) == -1 ||
	    setresuid(uid, uid, uid) == -1 ||
	    prctl(PR_SET_PDEATHSIG, SIGKILL) == -1)
		return -1;
	return 0;
}
