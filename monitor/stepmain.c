/*
 * webrunnerd-stepper: the stepper (stepper.c), a program of its own.
 *
 *	webrunnerd-stepper uid
 *
 * The monitor starts one for a runner slot the first time one of the
 * slot's kernel jobs is single-stepped, where no hardware PMU counts
 * instructions, and keeps it for the slot's later runners: a process made
 * and unmade per job cost more than the stepping, and more than a third
 * of a stepped request's CPU.  Descriptor 3 is a SOCK_SEQPACKET socket
 * to the monitor and nothing else is open.  On it come requests, struct
 * step_req, one at a time: attach to this runner, then count its
 * marked call with at most so many steps (stepcount.c); back go a
 * struct step_msg saying whether it attached and, if it did, one with
 * the report, each with the request's sequence number.  The runner goes
 * on from its counted call, detached, only once the report is written.
 * It ends when the monitor closes the socket, or dies.
 *
 * It starts as uid 0 and so, under execve(2)'s rules, with the monitor's
 * bounding set (monitor/caps.c), which holds CAP_SYS_PTRACE where this
 * program is used.  Before it reads a request it empties its bounding
 * set but for that one capability, takes the uid and gid it was given
 * (the slot's runner's, so it is no other user's process) keeping only
 * CAP_SYS_PTRACE, enough to attach to a runner that is not dumpable,
 * sets no_new_privs, and confines itself to the system calls of
 * filter[].  What it reads of a runner is registers and signal
 * information, which it only compares; what it changes, besides stepping
 * it, is the CPUs the runner may use, pinned to the stepper's own for
 * the stepped call and put back after (stepcount.c).  The runner it
 * traces dies with it (PTRACE_O_EXITKILL), so a runner is never left
 * stopped, and it dies with the monitor.
 */
#include <sys/types.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>

#include <errno.h>
#include <grp.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <seccomp.h>
#include <sys/capability.h>

#include "stepcount.h"

#define STEP_FD		3

/* All it does once confined, and why. */
static const struct {
	int		 nr;
	const char	*why;
} filter[] = {
	{ SCMP_SYS(read),	"the monitor's requests" },
	{ SCMP_SYS(write),	"the replies" },
	{ SCMP_SYS(ptrace),	"attaching, stepping, detaching" },
	{ SCMP_SYS(wait4),	"the runner's stops" },
	{ SCMP_SYS(sched_getaffinity), "the CPUs it and the runner may use" },
	{ SCMP_SYS(sched_setaffinity), "it and the runner on one CPU while it "
				"steps (stepcount.c), then back" },
	{ SCMP_SYS(getcpu),	"which CPU that is, where libc asks the "
				"kernel" },
	{ SCMP_SYS(exit_group),	"the end" },
};

static int	 confine(uid_t, pid_t);
static void	 serve(const struct step_req *);
static void	 say(struct step_msg *, uint64_t);

int
main(int argc, char *argv[])
{
	struct step_req	 rq;
	sigset_t	 none;
	char		*end;
	unsigned long	 uid;
	ssize_t		 n;

	if (argc != 2 || argv[1][0] < '0' || argv[1][0] > '9')
		return 2;
	errno = 0;
	uid = strtoul(argv[1], &end, 10);
	if (errno != 0 || *end != '\0' || uid == 0 || uid >= UINT32_MAX)
		return 2;
	/* The monitor's posix_spawn(3) blocked them all around the exec. */
	sigemptyset(&none);
	(void)sigprocmask(SIG_SETMASK, &none, NULL);
	(void)prctl(PR_SET_NAME, "wr-stepper");
	if (confine((uid_t)uid, getppid()) == -1)
		return 1;
	while ((n = read(STEP_FD, &rq, sizeof(rq))) == (ssize_t)sizeof(rq))
		serve(&rq);
	_exit(n == 0 ? 0 : 1);
}

/*
 * The bounding set, the ids with CAP_SYS_PTRACE kept across the change,
 * the capability sets, the flags, the filter; then whether the monitor,
 * which the parent-death signal now follows, is still the parent.
 */
static int
confine(uid_t uid, pid_t monitor)
{
	static const cap_value_t	 keep = CAP_SYS_PTRACE;
	scmp_filter_ctx			 ctx;
	cap_t				 caps;
	cap_value_t			 c;
	gid_t				 gid = (gid_t)uid;
	size_t				 i;
	int				 rc;

	for (c = 0; c < (cap_value_t)cap_max_bits(); c++)
		if (c != keep && cap_drop_bound(c) == -1)
			return -1;
	if (prctl(PR_SET_KEEPCAPS, 1) == -1 || setgroups(1, &gid) == -1 ||
	    setresgid(gid, gid, gid) == -1 ||
	    setresuid(uid, uid, uid) == -1 || prctl(PR_SET_KEEPCAPS, 0) == -1)
		return -1;
	if ((caps = cap_init()) == NULL)
		return -1;
	rc = cap_set_flag(caps, CAP_PERMITTED, 1, &keep, CAP_SET);
	if (rc == 0)
		rc = cap_set_flag(caps, CAP_EFFECTIVE, 1, &keep, CAP_SET);
	if (rc == 0)
		rc = cap_set_proc(caps);
	cap_free(caps);
	if (rc == -1 || prctl(PR_SET_DUMPABLE, 0) == -1 ||
	    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1 ||
	    prctl(PR_SET_PDEATHSIG, SIGKILL) == -1 || getppid() != monitor)
		return -1;
	if ((ctx = seccomp_init(SCMP_ACT_KILL_PROCESS)) == NULL)
		return -1;
	rc = 0;
	for (i = 0; i < sizeof(filter) / sizeof(filter[0]) && rc == 0; i++)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, filter[i].nr, 0);
	if (rc == 0)
		rc = seccomp_load(ctx);
	seccomp_release(ctx);
	return rc == 0 ? 0 : -1;
}

/* One request: attach, say so, count, report, detach. */
static void
serve(const struct step_req *rq)
{
	struct step_msg	 m;
	uint64_t	 n;
	uint32_t	 sys;
	int		 sig, rc;

	memset(&m, 0, sizeof(m));
	m.kind = STEP_ATTACHED;
	if (rq->pid < 2 || ptrace(PTRACE_SEIZE, (pid_t)rq->pid, NULL,
	    (void *)(long)PTRACE_O_EXITKILL) == -1) {
		m.kind = STEP_NOTATTACHED;
		m.error = rq->pid < 2 ? EINVAL : errno;
	}
	say(&m, rq->seq);
	if (m.kind != STEP_ATTACHED)
		return;

	rc = step_call((pid_t)rq->pid, rq->max, &n, &sys, &sig);
	memset(&m, 0, sizeof(m));
	m.kind = STEP_REPORT;
	m.rep.status = (uint32_t)rc;
	m.rep.syscalls = sys;
	if (rc == STEP_OK)
		m.rep.steps = n;
	say(&m, rq->seq);
	if (rc != STEP_GONE)
		(void)ptrace(PTRACE_DETACH, (pid_t)rq->pid, NULL,
		    (void *)(long)sig);
}

/* One message; a stepper that cannot say it ends, and its runner too. */
static void
say(struct step_msg *m, uint64_t seq)
{
	m->seq = seq;
	if (write(STEP_FD, m, sizeof(*m)) != (ssize_t)sizeof(*m))
		_exit(1);
}
