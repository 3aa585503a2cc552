/*
 * The stepper: where no hardware PMU counts instructions, a child of the
 * monitor, webrunnerd-stepper (stepmain.c), counts one call of the kernel
 * by single-stepping it from the outside, with ptrace(2).  The count
 * never passes through the runner's memory, so a kernel that overwrites
 * the runner's counters or sends a report of its own cannot change it:
 * the monitor puts the stepper's count in the answer, not the runner's.
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

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/perf_event.h>

#include <event.h>

#include "common.h"
#include "monitor.h"

static pid_t	*live;		/* steppers not reaped yet */
static size_t	 nlive, maxlive;

static int	 spawn(char *const[], int, pid_t *);
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
 * Start a stepper that attaches to the runner pid, then becomes its uid,
 * and counts at most max steps per call.  attached(arg, ok) is called
 * once, with ok 1 when it has attached and 0 when it could not (logged).
 * -1 if no stepper could be started.
 */
int
stepper_start(struct stepper *st, pid_t runner, uid_t uid, uint64_t max,
    void (*attached)(void *, int), void *arg)
{
	char	 a[3][24];
	char	*argv[] = { "webrunnerd-stepper", a[0], a[1], a[2], NULL };
	pid_t	*p;
	int	 pfd[2], error;

	if (nlive == maxlive) {
		if ((p = reallocarray(live, maxlive + 8, sizeof(*p))) == NULL)
			return -1;
		live = p;
		maxlive += 8;
	}
	snprintf(a[0], sizeof(a[0]), "%d", (int)runner);
	snprintf(a[1], sizeof(a[1]), "%u", (unsigned int)uid);
	snprintf(a[2], sizeof(a[2]), "%llu", (unsigned long long)max);
	if (pipe2(pfd, O_CLOEXEC) == -1)
		return -1;
	error = spawn(argv, pfd[1], &st->pid);
	close(pfd[1]);
	if (error != 0) {
		st->pid = -1;
		close(pfd[0]);
		errno = error;
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
 * webrunnerd-stepper with argv, its pipe fd as descriptor 3 and nothing
 * else open, every signal blocked and at its default, and an empty
 * environment; its pid in *pid.  0, or an errno.
 *
 * posix_spawn(3), not fork(2): the child shares the monitor's memory
 * until it execs, so nothing of the monitor's is copied, nor faulted
 * back in by either process.
 */
static int
spawn(char *const argv[], int fd, pid_t *pid)
{
	posix_spawn_file_actions_t	 fa;
	posix_spawnattr_t		 sa;
	sigset_t			 all;
	char				 prog[PATH_MAX];
	char				*envp[] = { NULL };
	int				 i, error;

	snprintf(prog, sizeof(prog), "%s/webrunnerd-stepper", mon->libexec);
	sigfillset(&all);
	if ((error = posix_spawn_file_actions_init(&fa)) != 0)
		return error;
	if ((error = posix_spawnattr_init(&sa)) != 0) {
		posix_spawn_file_actions_destroy(&fa);
		return error;
	}
	error = posix_spawn_file_actions_adddup2(&fa, fd, 3);
	for (i = 0; i < 3 && error == 0; i++)
		error = posix_spawn_file_actions_addclose(&fa, i);
	if (error == 0)
		error = posix_spawn_file_actions_addclosefrom_np(&fa, 4);
	if (error == 0)
		error = posix_spawnattr_setsigmask(&sa, &all);
	if (error == 0)
		error = posix_spawnattr_setsigdefault(&sa, &all);
	if (error == 0)
		error = posix_spawnattr_setflags(&sa, POSIX_SPAWN_SETSIGMASK |
		    POSIX_SPAWN_SETSIGDEF);
	if (error == 0)
		error = posix_spawn(pid, prog, &fa, &sa, argv, envp);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&sa);
	return error;
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
