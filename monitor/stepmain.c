/*
 * webrunnerd-stepper: the stepper (stepper.c), a program of its own.
 *
 *	webrunnerd-stepper runner-pid uid max-steps
 *
 * The monitor starts it with posix_spawn(3) for each kernel job where no
 * hardware PMU counts instructions, with the write end of its pipe as
 * descriptor 3 and nothing else open; it reports there in struct
 * step_msg (stepcount.h).  A fork of the monitor would copy the
 * monitor's page tables, and both would then fault on every page either
 * writes; this program is small, static and touches a few pages of its
 * own.
 *
 * It starts as uid 0 and so, under execve(2)'s rules, with the monitor's
 * bounding set (monitor/caps.c), which includes CAP_SYS_PTRACE where this
 * program is used: enough to attach to a runner of another user that is
 * not dumpable.  Right after that it takes the runner's uid and gid,
 * which takes every capability away, and the parent-death signal, which
 * a change of uid clears, last.  The runner dies with it
 * (PTRACE_O_EXITKILL) while it is attached, so a runner is never left
 * stopped.  Nothing it does reads a file or the network, and it is
 * built without the libraries or the sanitizers of the monitor, which it
 * does not need.
 */
#include <sys/types.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>

#include <errno.h>
#include <grp.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "stepcount.h"

#define STEP_FD		3

static int	 number(const char *, uint64_t, uint64_t *);
static int	 attach(pid_t, uid_t, pid_t);
static void	 say(const struct step_msg *);

int
main(int argc, char *argv[])
{
	struct step_msg	 m;
	sigset_t	 none;
	uint64_t	 pid, uid, max, n[2];
	uint32_t	 sys;
	pid_t		 monitor = getppid();
	int		 sig, rc;

	if (argc != 4 || number(argv[1], INT_MAX, &pid) == -1 ||
	    number(argv[2], UINT32_MAX - 1, &uid) == -1 ||
	    number(argv[3], UINT64_MAX, &max) == -1 || pid < 2 || uid == 0)
		return 2;
	/* The monitor's posix_spawn(3) blocked them all around the exec. */
	sigemptyset(&none);
	(void)sigprocmask(SIG_SETMASK, &none, NULL);
	(void)prctl(PR_SET_NAME, "wr-stepper");

	memset(&m, 0, sizeof(m));
	m.kind = STEP_ATTACHED;
	if (attach((pid_t)pid, (uid_t)uid, monitor) == -1) {
		m.kind = STEP_NOTATTACHED;
		m.error = errno;
	}
	say(&m);
	if (m.kind != STEP_ATTACHED)
		_exit(1);

	rc = step_calls((pid_t)pid, max, n, &sys, &sig);
	memset(&m, 0, sizeof(m));
	m.kind = STEP_REPORT;
	m.rep.status = (uint32_t)rc;
	m.rep.syscalls = sys;
	if (rc == STEP_OK) {
		m.rep.empty = n[0];
		m.rep.kernel = n[1];
	}
	say(&m);
	if (rc != STEP_GONE)
		(void)ptrace(PTRACE_DETACH, (pid_t)pid, NULL,
		    (void *)(long)sig);
	_exit(0);
}

/* A decimal number up to max, and nothing else. */
static int
number(const char *s, uint64_t max, uint64_t *out)
{
	char	*end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	*out = strtoull(s, &end, 10);
	return errno != 0 || *end != '\0' || *out > max ? -1 : 0;
}

/*
 * PTRACE_SEIZE, then the runner's uid and gid; the parent-death signal
 * last, and then whether the monitor is still the parent (it may have
 * died before).
 */
static int
attach(pid_t runner, uid_t uid, pid_t monitor)
{
	gid_t	 gid = (gid_t)uid;

	if (ptrace(PTRACE_SEIZE, runner, NULL,
	    (void *)(long)PTRACE_O_EXITKILL) == -1)
		return -1;
	if (setgroups(1, &gid) == -1 || setresgid(gid, gid, gid) == -1 ||
	    setresuid(uid, uid, uid) == -1 ||
	    prctl(PR_SET_PDEATHSIG, SIGKILL) == -1)
		return -1;
	if (getppid() != monitor)
		_exit(1);
	return 0;
}

/* One message, in one atomic write; a stepper that cannot say it ends. */
static void
say(const struct step_msg *m)
{
	if (write(STEP_FD, m, sizeof(*m)) != (ssize_t)sizeof(*m))
		_exit(1);
}
