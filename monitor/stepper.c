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
 * kernel's call it wants counted with an int3 just before the `call
 * *%rax' of its one call site, after the arguments are loaded
 * (runner/soft.c, runner/call.c).  The mark comes before the kernel's
 * first instruction, so the stepper trusts the first SIGTRAP it sees to
 * be it; from there it steps until the instruction pointer reaches the
 * instruction after the call, counting a step only when the pointer has
 * moved (a REP-prefixed string instruction traps once per iteration in
 * place and counts once, as a hardware counter counts it).  The steps
 * less those of any call (STEP_FRAME, the call and the callee's ret) are
 * the kernel's instructions less its final `ret', as the PMU path reports
 * them (counts.c).  Then it writes its report to the monitor and
 * detaches; the runner measures the rest without it.
 *
 * Each step is a trap, a stop, a switch to the stepper and back (the two
 * share one CPU while it steps) and four system calls of the stepper's:
 * some tens of microseconds in a virtual machine, where the trap is a VM
 * exit.  So the steps of one call are bounded (single-step-limit); past
 * the bound the stepper reports that and lets the kernel run on.  A
 * signal other than the trap of a step (the kernel faulted, or executed
 * int3 itself) ends the count: the signal goes on to the runner, whose
 * fault handler reports it as without a stepper.
 *
 * The monitor never waits for the stepper: it learns on its socket that
 * the stepper has attached (only then is the job sent) and reads the report,
 * which the stepper writes before it lets the runner go on, when the
 * runner's result comes.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/wait.h>

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

/* A stepper process, one per kernel runner slot that has needed one. */
struct stepproc {
	int			 slot;
	pid_t			 pid;		/* -1: none */
	int			 fd;		/* its socket, or -1 */
	struct event		*ev;
	uid_t			 uid;		/* it runs as */
	uint64_t		 seq;		/* the last request's */
	struct stepper		*job;		/* waiting for a reply */
};

static struct stepproc	**procs;	/* by slot; each its events' arg */
static size_t		 nprocs;
static pid_t		*live;		/* steppers not reaped yet */
static size_t		 nlive, maxlive;

static struct stepproc	*proc_get(int);
static int		 proc_spawn(struct stepproc *, uid_t);
static void		 proc_lost(struct stepproc *);
static int		 spawn(char *const[], int, pid_t *);
static int		 stepper_live(pid_t);
static void		 stepper_read(int, short, void *);
static void		 stepper_msg(struct stepproc *, const struct step_msg *);

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
	st->slot = -1;
}

/*
 * Have slot's stepper, started as uid if it has none yet, attach to the
 * runner pid and count at most max steps per call.  attached(arg, ok) is
 * called once, with ok 1 when it has attached and 0 when it could not
 * (logged).  -1 if no stepper could be asked.
 */
int
stepper_start(struct stepper *st, int slot, pid_t runner, uid_t uid,
    uint64_t max, void (*attached)(void *, int), void *arg)
{
	struct stepproc	*sp;
	struct step_req	 rq;

	if ((sp = proc_get(slot)) == NULL)
		return -1;
	/* A reload gave the slot's runners another uid. */
	if (sp->fd != -1 && sp->uid != uid)
		proc_lost(sp);
	if (sp->fd == -1 && proc_spawn(sp, uid) == -1)
		return -1;
	if (sp->job != NULL)
		stepper_stop(sp->job);
	memset(&rq, 0, sizeof(rq));
	rq.seq = ++sp->seq;
	rq.pid = (int32_t)runner;
	rq.max = max;
	if (send(sp->fd, &rq, sizeof(rq), MSG_DONTWAIT | MSG_NOSIGNAL) !=
	    (ssize_t)sizeof(rq)) {
		proc_lost(sp);
		return -1;
	}
	st->slot = slot;
	st->seq = rq.seq;
	st->attached = attached;
	st->arg = arg;
	st->have = 0;
	sp->job = st;
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
	struct stepproc	*sp;

	if (st->slot != -1 && !st->have) {
		sp = procs[st->slot];
		if (sp->job == st && sp->fd != -1)
			stepper_read(sp->fd, EV_READ, sp);
	}
	if (!st->have)
		return -1;
	*rep = st->rep;
	return 0;
}

/*
 * Forget the job: a reply still to come is dropped.  The stepper stays
 * for the slot's next runner; the one it may still trace is being
 * killed, and it goes on once it has seen that.
 */
void
stepper_stop(struct stepper *st)
{
	if (st->slot != -1 && procs[st->slot]->job == st)
		procs[st->slot]->job = NULL;
	st->slot = -1;
	st->attached = NULL;
}

/* 1 if pid was a stepper, which is now reaped. */
int
stepper_reaped(pid_t pid)
{
	size_t	 i;

	if (!stepper_live(pid))
		return 0;
	for (i = 0; i < nlive; i++)
		if (live[i] == pid)
			live[i] = live[--nlive];
	/* Not one the monitor ended: it died before its socket said so. */
	for (i = 0; i < nprocs; i++)
		if (procs[i]->pid == pid) {
			log_warnx("runner slot %d: the stepper ended",
			    procs[i]->slot);
			procs[i]->pid = -1;
			proc_lost(procs[i]);
		}
	return 1;
}

/* At the monitor's exit: every stepper ended and reaped. */
void
stepper_shutdown(void)
{
	size_t	 i;

	for (i = 0; i < nprocs; i++) {
		procs[i]->job = NULL;
		proc_lost(procs[i]);
	}
	for (i = 0; i < nlive; i++)
		(void)waitpid(live[i], NULL, 0);
	nlive = 0;
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

/* slot's entry, made on first use. */
static struct stepproc *
proc_get(int slot)
{
	struct stepproc	**p;

	if (slot < 0)
		return NULL;
	while ((size_t)slot >= nprocs) {
		if ((p = reallocarray(procs, nprocs + 1, sizeof(*p))) == NULL)
			return NULL;
		procs = p;
		if ((procs[nprocs] = calloc(1, sizeof(**p))) == NULL)
			return NULL;
		procs[nprocs]->slot = (int)nprocs;
		procs[nprocs]->pid = -1;
		procs[nprocs]->fd = -1;
		nprocs++;
	}
	return procs[slot];
}

/* Start slot's stepper as uid, with a socket to it. */
static int
proc_spawn(struct stepproc *sp, uid_t uid)
{
	char	 a[24];
	char	*argv[] = { "webrunnerd-stepper", a, NULL };
	pid_t	*p;
	int	 sv[2], error;

	if (nlive == maxlive) {
		if ((p = reallocarray(live, maxlive + 8, sizeof(*p))) == NULL)
			return -1;
		live = p;
		maxlive += 8;
	}
	snprintf(a, sizeof(a), "%u", (unsigned int)uid);
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == -1)
		return -1;
	error = spawn(argv, sv[1], &sp->pid);
	close(sv[1]);
	if (error != 0) {
		sp->pid = -1;
		close(sv[0]);
		errno = error;
		return -1;
	}
	live[nlive++] = sp->pid;
	sp->fd = sv[0];
	sp->uid = uid;
	if (fcntl(sp->fd, F_SETFL, O_NONBLOCK) == -1 ||
	    (sp->ev = event_new(mon->base, sp->fd, EV_READ | EV_PERSIST,
	    stepper_read, sp)) == NULL || event_add(sp->ev, NULL) == -1) {
		proc_lost(sp);
		return -1;
	}
	return 0;
}

/*
 * The stepper is gone, or is to go: kill it if it still runs, and tell a
 * job still waiting for it to attach that it never will.
 */
static void
proc_lost(struct stepproc *sp)
{
	struct stepper	*st = sp->job;
	void		(*cb)(void *, int);

	if (sp->ev != NULL)
		event_free(sp->ev);
	sp->ev = NULL;
	if (sp->fd != -1)
		close(sp->fd);
	sp->fd = -1;
	/* Not one reaped already: its pid may be anyone's now. */
	if (sp->pid != -1 && stepper_live(sp->pid))
		kill(sp->pid, SIGKILL);
	sp->pid = -1;
	sp->job = NULL;
	if (st != NULL && (cb = st->attached) != NULL) {
		log_warnx("runner slot %d: the stepper ended before it "
		    "attached", sp->slot);
		st->attached = NULL;
		st->slot = -1;
		cb(st->arg, 0);
	}
}

/*
 * webrunnerd-stepper with argv, fd as its descriptor 3 and nothing else
 * open, every signal blocked and at its default, and an empty
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

static void
stepper_read(int fd, short event, void *arg)
{
	struct stepproc	*sp = arg;
	struct step_msg	 m;
	ssize_t		 n;

	(void)event;
	while ((n = recv(fd, &m, sizeof(m), MSG_DONTWAIT)) ==
	    (ssize_t)sizeof(m))
		stepper_msg(sp, &m);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	/* The end, or a short message, which a stepper never writes. */
	log_warnx("runner slot %d: the stepper %s", sp->slot, n == 0 ?
	    "ended" : "broke its protocol");
	proc_lost(sp);
}

/* A reply to the job now waiting, if it is that job's. */
static void
stepper_msg(struct stepproc *sp, const struct step_msg *m)
{
	struct stepper	*st = sp->job;
	void		(*cb)(void *, int);

	if (st == NULL || m->seq != st->seq)
		return;
	if (m->kind == STEP_REPORT && st->attached == NULL) {
		st->rep = m->rep;
		st->have = 1;
		sp->job = NULL;
		return;
	}
	if ((cb = st->attached) == NULL)
		return;
	st->attached = NULL;
	if (m->kind != STEP_ATTACHED) {
		errno = m->error;
		log_warn("cannot single-step runner slot %d: ptrace",
		    sp->slot);
		sp->job = NULL;
	}
	cb(st->arg, m->kind == STEP_ATTACHED);
}
