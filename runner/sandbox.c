/*
 * The runner's confinement.  Before this, the runner template cloned it
 * into new pid, mount, IPC and UTS namespaces (its network namespace is
 * the template's, empty), it joined its own cgroup and unshared a cgroup
 * namespace (runner/template.c; regress/rundriver starts a single runner
 * through monitor/spawn.c instead).  What is left happens here, in one
 * order:
 *
 *	empty read-only root -> rlimits -> nice -> groups, gid, uid ->
 *	parent-death signal -> capabilities -> no_new_privs -> seccomp stage 1
 *
 * and, once the object is loaded and the counters are open, seccomp stage
 * 2, the final allowlist under which the untrusted kernel runs.
 */
#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include <linux/filter.h>
#include <linux/perf_event.h>
#include <linux/seccomp.h>

#include <errno.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <seccomp.h>
#include <sys/capability.h>

#include "common.h"
#include "runner.h"

#define RUNNER_NOFILE	64	/* counters, the socket, the object */

static int	 empty_root(const char *);
static int	 set_limits(const struct sandbox_opts *);
static int	 drop_ids(uid_t, gid_t);
static int	 drop_caps(void);
static scmp_filter_ctx new_filter(void);
static int	 build_loading(void);
static int	 build_final(int);
static int	 export_prog(scmp_filter_ctx, struct sock_fprog *);
static int	 load_prog(const struct sock_fprog *);

/* Both filters, built before anything untrusted arrives. */
static struct sock_fprog	 prog_loading, prog_final;
static int			 prog_resultfd = -1;

/*
 * Replace the root with an empty tmpfs, read-only once we are inside it.
 * Runs in the runner's private mount namespace, so the host never sees it.
 */
static int
empty_root(const char *dir)
{
	if (mount("tmpfs", dir, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
	    "size=4k,nr_inodes=4,mode=0555") == -1)
		return -1;
	if (chdir(dir) == -1)
		return -1;
	/* Stack the new root on the old one, then drop the old one. */
	if (syscall(SYS_pivot_root, ".", ".") == -1)
		return -1;
	if (umount2(".", MNT_DETACH) == -1)
		return -1;
	if (chdir("/") == -1)
		return -1;
	if (mount(NULL, "/", NULL, MS_REMOUNT | MS_RDONLY | MS_NOSUID |
	    MS_NODEV | MS_NOEXEC, NULL) == -1)
		return -1;
	return 0;
}

/* The template's root: the same empty one, before any runner exists. */
int
sandbox_root(const char *dir, char *err, size_t errlen)
{
	if (empty_root(dir) == -1) {
		snprintf(err, errlen, "sandbox: empty root: %s",
		    strerror(errno));
		return -1;
	}
	return 0;
}

static int
set_limits(const struct sandbox_opts *so)
{
	struct rlimit	 rl;

	rl.rlim_cur = rl.rlim_max = 0;
	if (setrlimit(RLIMIT_CORE, &rl) == -1 ||
	    setrlimit(RLIMIT_FSIZE, &rl) == -1 ||
	    setrlimit(RLIMIT_MEMLOCK, &rl) == -1 ||
	    setrlimit(RLIMIT_MSGQUEUE, &rl) == -1)
		return -1;
	/* The runner's uid is its own: one process, and no new one. */
	rl.rlim_cur = rl.rlim_max = 1;
	if (setrlimit(RLIMIT_NPROC, &rl) == -1)
		return -1;
	rl.rlim_cur = rl.rlim_max = RUNNER_NOFILE;
	if (setrlimit(RLIMIT_NOFILE, &rl) == -1)
		return -1;
	if (so->cpu_secs > 0) {
		rl.rlim_cur = so->cpu_secs;
		rl.rlim_max = so->cpu_secs + 1;
		if (setrlimit(RLIMIT_CPU, &rl) == -1)
			return -1;
	}
	if (so->nice != 0 && setpriority(PRIO_PROCESS, 0, so->nice) == -1)
		return -1;
	return 0;
}

static int
drop_ids(uid_t uid, gid_t gid)
{
	uid_t	 r, e, s;
	gid_t	 rg, eg, sg;

	if (uid == 0 || gid == 0) {
		errno = EPERM;
		return -1;
	}
	if (setgroups(1, &gid) == -1 ||
	    setresgid(gid, gid, gid) == -1 ||
	    setresuid(uid, uid, uid) == -1)
		return -1;
	if (getresuid(&r, &e, &s) == -1 || getresgid(&rg, &eg, &sg) == -1)
		return -1;
	if (r != uid || e != uid || s != uid || rg != gid || eg != gid ||
	    sg != gid || setuid(0) != -1) {
		errno = EPERM;
		return -1;
	}
	return 0;
}

static int
drop_caps(void)
{
	cap_t	 caps;
	int	 rc;

	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) == -1 &&
	    errno != EINVAL)
		return -1;
	if ((caps = cap_init()) == NULL)
		return -1;
	rc = cap_set_proc(caps);
	cap_free(caps);
	return rc;
}

/*
 * Both stages: trap what is not allowed, kill a foreign architecture.
 * The allowed calls are found by a binary search instead of one compare
 * after another: every runner loads both filters, and the kernel runs
 * each filter for every system call number when it loads it (to cache
 * which are always allowed), so a shorter path is a cheaper load (stage
 * 1: about 70 us down to 47).  A libseccomp without the attribute just
 * builds the longer filter.
 */
static scmp_filter_ctx
new_filter(void)
{
	scmp_filter_ctx	 ctx;

	if ((ctx = seccomp_init(SCMP_ACT_TRAP)) == NULL)
		return NULL;
	if (seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH,
	    SCMP_ACT_KILL_PROCESS) < 0) {
		seccomp_release(ctx);
		return NULL;
	}
	(void)seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
	return ctx;
}

/*
 * Stage 1: what the runner needs to announce itself, receive the job and
 * the object, load it, lay out the buffers and open its own counters.  No
 * file can be opened (there is nothing to open either), no socket made,
 * nothing started.
 */
static int
build_loading(void)
{
	static const struct {
		int		 nr;
		const char	*why;
	} allow[] = {
		{ SCMP_SYS(read),	  "the monitor's socket" },
		{ SCMP_SYS(write),	  "the monitor's socket, stderr" },
		{ SCMP_SYS(recvmsg),	  "the job and its object's memfd" },
		{ SCMP_SYS(sendmsg),	  "imsg writes" },
		{ SCMP_SYS(poll),	  "imsgbuf_flush" },
		{ SCMP_SYS(fcntl),	  "checking the memfd's seals" },
		{ SCMP_SYS(fstat),	  "the memfd's size" },
		{ SCMP_SYS(newfstatat),	  "fstat on newer libc" },
		{ SCMP_SYS(close),	  "descriptors we are done with" },
		{ SCMP_SYS(mmap),	  "the object, sections, buffers" },
		{ SCMP_SYS(munmap),	  "undoing the above" },
		{ SCMP_SYS(mprotect),	  "W^X of the loaded sections" },
		{ SCMP_SYS(madvise),	  "malloc" },
		{ SCMP_SYS(brk),	  "malloc" },
		{ SCMP_SYS(ioctl),	  "perf counter enable/disable/reset" },
		{ SCMP_SYS(rt_sigaction), "fault reporting handlers" },
		{ SCMP_SYS(rt_sigprocmask), "libc" },
		{ SCMP_SYS(sigaltstack),  "handlers for stack overflows" },
		{ SCMP_SYS(clock_gettime), "libc time, without vDSO" },
		{ SCMP_SYS(getpid),	  "logging" },
		{ SCMP_SYS(gettid),	  "perf_event_open on this thread" },
		{ SCMP_SYS(seccomp),	  "loading stage 2, which only "
					  "narrows this one" },
		{ SCMP_SYS(exit),	  "leaving" },
		{ SCMP_SYS(exit_group),	  "leaving" },
		{ SCMP_SYS(pause),	  "waiting, result sent, for the "
					  "monitor to end it" },
	};
	scmp_filter_ctx	 ctx;
	size_t		 i;
	int		 rc = -1;

	/*
	 * Trap rather than kill: both stages stay installed and the
	 * stricter action wins, so a kill here would hide stage 2's trap
	 * (and its report) for every call stage 1 does not allow.  Before
	 * the handlers are installed a trap kills just the same.
	 */
	if ((ctx = new_filter()) == NULL)
		return -1;
	for (i = 0; i < sizeof(allow) / sizeof(allow[0]); i++)
		if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, allow[i].nr, 0) < 0)
			goto out;
	/* Counters on this process only, any cpu: never another pid. */
	/* pid and cpu are ints: compare the low 32 bits only. */
	if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(perf_event_open),
	    2, SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffff, 0),
	    SCMP_A2(SCMP_CMP_MASKED_EQ, 0xffffffff, 0xffffffff)) < 0)
		goto out;
	rc = export_prog(ctx, &prog_loading);
out:
	seccomp_release(ctx);
	return rc;
}

int
sandbox_enter(const struct sandbox_opts *so, char *err, size_t errlen)
{
	const char	*step;

	step = "seccomp filters not prepared";
	errno = EINVAL;
	if (prog_loading.filter == NULL)
		goto fail;
	/* A runner forked from the template is in an empty root already. */
	step = "empty root";
	if (so->root != NULL && empty_root(so->root) == -1)
		goto fail;
	step = "rlimits";
	if (set_limits(so) == -1)
		goto fail;
	step = "uid and gid";
	if (drop_ids(so->uid, so->gid) == -1)
		goto fail;
	/*
	 * Changing uids clears the parent-death signal: set it again, or a
	 * runner would outlive a monitor killed while the runner spins.
	 */
	step = "parent-death signal";
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1)
		goto fail;
	step = "capabilities";
	if (drop_caps() == -1)
		goto fail;
	step = "no_new_privs";
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
		goto fail;
	/* No ptrace or core of us by anyone with our (unique) uid. */
	step = "dumpable";
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == -1)
		goto fail;
	step = "seccomp";
	if (load_prog(&prog_loading) == -1)
		goto fail;
	return 0;
fail:
	snprintf(err, errlen, "sandbox: %s: %s", step, strerror(errno));
	return -1;
}

/*
 * Stage 2, the final allowlist the kernel runs under: read and the
 * ENABLE and DISABLE ioctls on our own counters, write on the result
 * socket, pause, and exit with the runner's own status.  Anything else
 * traps into the runner's SIGSYS handler, which reports the system call;
 * a foreign architecture (int 0x80, x32) kills the process outright.
 * The counters are not open yet when this is built, so it allows their
 * whole fd range, COUNTERS_FDBASE and up, where counters.c puts them and
 * nothing else lives.
 */
static int
build_final(int resultfd)
{
	static const unsigned long ioctls[] = {
		PERF_EVENT_IOC_ENABLE,
		PERF_EVENT_IOC_DISABLE,
	};
	const scmp_datum_t	 mask = ~(scmp_datum_t)(COUNTERS_MAXFDS - 1);
	scmp_filter_ctx		 ctx;
	size_t			 j;
	int			 rc = -1;

	if ((ctx = new_filter()) == NULL)
		return -1;
	if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(write), 1,
	    SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)resultfd)) < 0)
		goto out;
	if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(read), 1,
	    SCMP_A0(SCMP_CMP_MASKED_EQ, mask, COUNTERS_FDBASE)) < 0)
		goto out;
	/* Waiting for the monitor to end it (runner.c, send_result()). */
	if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(pause), 0) < 0)
		goto out;
	for (j = 0; j < sizeof(ioctls) / sizeof(ioctls[0]); j++)
		if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 2,
		    SCMP_A0(SCMP_CMP_MASKED_EQ, mask, COUNTERS_FDBASE),
		    SCMP_A1(SCMP_CMP_EQ, ioctls[j])) < 0)
			goto out;
	/* Only the runner's own exit, after its result (see runner.h). */
	if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(exit), 1,
	    SCMP_A0(SCMP_CMP_EQ, RUNNER_EXIT_DONE)) < 0 ||
	    seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(exit_group), 1,
	    SCMP_A0(SCMP_CMP_EQ, RUNNER_EXIT_DONE)) < 0)
		goto out;
	rc = export_prog(ctx, &prog_final);
out:
	seccomp_release(ctx);
	return rc;
}

/*
 * libseccomp compiles; the BPF is kept so that every runner (most are
 * forked from the template, which prepares once) only has to load it.
 */
static int
export_prog(scmp_filter_ctx ctx, struct sock_fprog *prog)
{
	struct stat		 st;
	struct sock_filter	*insns = NULL;
	int			 fd, saved;

	if ((fd = memfd_create("seccomp-bpf", MFD_CLOEXEC)) == -1)
		return -1;
	if (seccomp_export_bpf(ctx, fd) < 0 || fstat(fd, &st) == -1 ||
	    st.st_size <= 0 || st.st_size > BPF_MAXINSNS *
	    (off_t)sizeof(*insns) || st.st_size % sizeof(*insns) != 0 ||
	    (insns = malloc((size_t)st.st_size)) == NULL ||
	    pread(fd, insns, (size_t)st.st_size, 0) != st.st_size) {
		saved = errno != 0 ? errno : EINVAL;
		free(insns);
		close(fd);
		errno = saved;
		return -1;
	}
	close(fd);
	free(prog->filter);
	prog->filter = insns;
	prog->len = (unsigned short)(st.st_size / sizeof(*insns));
	return 0;
}

static int
load_prog(const struct sock_fprog *prog)
{
	return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, prog);
}

/* Build both filters; resultfd is the only fd the kernel may write to. */
int
sandbox_prepare(int resultfd)
{
	if (build_loading() == -1 || build_final(resultfd) == -1)
		return -1;
	prog_resultfd = resultfd;
	return 0;
}

/* Install stage 2, once the counters are open in their range. */
int
sandbox_final(int resultfd, const int *ctrfds, int nctr)
{
	int	 i;

	if (prog_final.filter == NULL || resultfd != prog_resultfd)
		return -1;
	for (i = 0; i < nctr; i++)
		if (ctrfds[i] < COUNTERS_FDBASE ||
		    ctrfds[i] >= COUNTERS_FDBASE + COUNTERS_MAXFDS)
			return -1;
	return load_prog(&prog_final);
}
