/*
 * A runner's confinement, all of it, in the order it happens.
 *
 * Three steps belong to the monitor, because they need what a runner
 * must never hold (the cgroup tree, the monitor's own nice level):
 *
 *	- it makes the runner's cgroup and writes its memory and pids
 *	  limits (monitor/cgroup.c), and sends the template its directories;
 *	- it starts the template with nothing of its own but a socket, with
 *	  a parent-death signal (monitor/spawn.c);
 *	- it sets each runner's nice level once it is ready
 *	  (monitor/slot.c).
 *
 * Everything else is here, top to bottom:
 *
 * Once, in the template, still root (sandbox_template()):
 *	1. new mount, network, IPC and UTS namespaces, mounts private, the
 *	   host name "runner";
 *	2. the empty read-only root;
 *	3. both seccomp stages compiled from their tables (spawn[] and
 *	   stage1[], stage2[] below); then, once the template is set up,
 *	   stage 1 installed in the template itself
 *	   (sandbox_confine_template()), so that each runner inherits it
 *	   and only loads stage 2.
 *
 * For each runner, in the template (sandbox_clone()):
 *	4. clone into a new pid namespace, sharing the template's others;
 *	   on cgroup v2 born in its cgroup.
 *
 * In the new runner, before it sees a job (sandbox_enter()):
 *	5. parent-death signal; its cgroups joined (v1); a cgroup namespace
 *	   rooted there;
 *	6. its socket as RUNNER_SOCKFD, nothing else open but stdio and the
 *	   log's socket;
 *	7. rlimits -> groups, gid, uid -> parent-death signal again ->
 *	   capabilities -> no_new_privs -> not dumpable, all under stage 1.
 *
 * Once the object is loaded and the counters are open (sandbox_final()):
 *	8. seccomp stage 2, the final allowlist the untrusted kernel runs
 *	   under.
 *
 * regress/floor goes through the same steps 1 to 8, without the monitor.
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
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
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

/*
 * One seccomp rule: allow system call `nr' when its first `narg'
 * arguments compare as `arg' says, for the reason `why'.
 */
struct seccomp_rule {
	int			 nr;
	unsigned int		 narg;
	struct scmp_arg_cmp	 arg[2];
	const char		*why;
};

#define ALLOW(name, why) \
	{ SCMP_SYS(name), 0, { { 0, 0, 0, 0 } }, why }
#define ALLOW_IF(name, a, why) \
	{ SCMP_SYS(name), 1, { a }, why }
#define ALLOW_IF2(name, a, b, why) \
	{ SCMP_SYS(name), 2, { a, b }, why }
#define ARG_EQ(n, v) \
	{ n, SCMP_CMP_EQ, (scmp_datum_t)(v), 0 }
#define ARG_MASKED_EQ(n, mask, v) \
	{ n, SCMP_CMP_MASKED_EQ, (scmp_datum_t)(mask), (scmp_datum_t)(v) }
/* pid and cpu are ints: only their low 32 bits are compared. */
#define ARG_INT_EQ(n, v)	ARG_MASKED_EQ(n, 0xffffffff, (v) & 0xffffffff)
/* Counter fds are COUNTERS_FDBASE and up, where nothing else lives. */
#define ARG_COUNTER_FD(n) \
	ARG_MASKED_EQ(n, ~(scmp_datum_t)(COUNTERS_MAXFDS - 1), COUNTERS_FDBASE)

/*
 * Stage 1, the template's own filter, which every runner inherits with
 * it instead of loading one (sandbox_confine_template()).  A load in each
 * runner cost more than a tenth of the runner's CPU: the kernel compiles
 * the filter, and runs it for every system call number of both
 * architectures, with interrupts off, to cache which are always allowed.
 *
 * stage1[] is what a runner needs to announce itself, receive the job
 * and the object, load it, lay out the buffers and open its own
 * counters.  spawn[] adds what the template needs to clone runners and a
 * new runner to confine itself, each call narrowed so that a runner,
 * once it has dropped its uid and capabilities, gets nothing from it
 * (regress/unit/t_sandbox.c tries).  No file can be opened but for
 * writing, which the empty read-only root refuses, no socket made,
 * nothing started.  Nor may either stage ever allow a call that reads or
 * changes a mount, IPC, UTS or network namespace: kernel runners share
 * the template's (sandbox_clone()).
 */
static const struct seccomp_rule spawn[] = {
	ALLOW(clone,		"the runners (sandbox_clone()); a runner may "
				"start no process (RLIMIT_NPROC 1, its pids "
				"cgroup)"),
	ALLOW(clone3,		"the same, born in their cgroup"),
	ALLOW_IF(setpriority, ARG_INT_EQ(1, 0),
				"the template's own nice level, which its "
				"runners inherit; without CAP_SYS_NICE a "
				"runner can only lower its own"),
	ALLOW_IF(prctl, ARG_INT_EQ(0, PR_SET_NAME),
				"names in ps(1)"),
	ALLOW_IF(prctl, ARG_INT_EQ(0, PR_SET_PDEATHSIG),
				"a runner dies with the monitor"),
	ALLOW_IF(prctl, ARG_INT_EQ(0, PR_SET_NO_NEW_PRIVS),
				"no_new_privs, which cannot be unset"),
	ALLOW_IF2(prctl, ARG_INT_EQ(0, PR_SET_DUMPABLE), ARG_INT_EQ(1, 0),
				"not dumpable, and never dumpable again"),
	ALLOW_IF2(prctl, ARG_INT_EQ(0, PR_CAP_AMBIENT),
	    ARG_INT_EQ(1, PR_CAP_AMBIENT_CLEAR_ALL),
				"clearing the ambient capabilities"),
	ALLOW_IF(prctl, ARG_INT_EQ(0, PR_GET_SECCOMP),
				"a runner checks that it is under this filter"),
	ALLOW_IF(openat, ARG_INT_EQ(2, O_WRONLY | O_CLOEXEC),
				"a runner's v1 cgroup tasks files, by the "
				"directory fds it then closes: in the empty, "
				"read-only root nothing opens for writing"),
	ALLOW_IF(unshare, ARG_EQ(0, CLONE_NEWCGROUP),
				"a runner's cgroup namespace, while it still "
				"has CAP_SYS_ADMIN"),
	ALLOW(dup2,		"a runner's socket into place"),
	ALLOW(dup3,		"dup2 on newer libc"),
	ALLOW(close_range,	"a runner's other descriptors"),
	ALLOW_IF(prlimit64, ARG_EQ(0, 0),
				"a runner's own rlimits, which without "
				"CAP_SYS_RESOURCE it can only lower"),
	ALLOW(setrlimit,	"the same, on older libc"),
	ALLOW(setgroups,	"a runner's uid and gid, which without "
				"capabilities it cannot change again"),
	ALLOW(setresgid,	"the same"),
	ALLOW(setresuid,	"the same"),
	ALLOW(setuid,		"checking that uid 0 is out of reach"),
	ALLOW(getresgid,	"checking the ids"),
	ALLOW(getresuid,	"the same"),
	ALLOW(capget,		"dropping the capabilities"),
	ALLOW(capset,		"the same; they can only shrink"),
	ALLOW(tgkill,		"abort(3)"),
};

static const struct seccomp_rule stage1[] = {
	ALLOW(read,		"the monitor's socket"),
	ALLOW(write,		"the monitor's socket; last words to stderr "
				"or the log's socket"),
	ALLOW(recvmsg,		"the job and its object's memfd"),
	ALLOW(sendmsg,		"imsg writes"),
	ALLOW(poll,		"imsgbuf_flush"),
	ALLOW(fcntl,		"checking the memfd's seals"),
	ALLOW(fstat,		"the memfd's size"),
	ALLOW(newfstatat,	"fstat on newer libc"),
	ALLOW(close,		"descriptors we are done with"),
	ALLOW(mmap,		"the object, sections, buffers"),
	ALLOW(munmap,		"undoing the above"),
	ALLOW(mprotect,		"W^X of the loaded sections"),
	ALLOW(madvise,		"malloc; a new runner's first pages made "
				"present (template.c, runner_born())"),
	ALLOW(brk,		"malloc"),
	ALLOW(ioctl,		"perf counter enable/disable/reset"),
	ALLOW(rt_sigaction,	"fault reporting handlers"),
	ALLOW(rt_sigprocmask,	"libc"),
	ALLOW(sigaltstack,	"handlers for stack overflows"),
	ALLOW(clock_gettime,	"libc time, without vDSO; a runner's CPU "
				"marks (template.c, cpu_now_ns())"),
	ALLOW(getpid,		"logging"),
	ALLOW(gettid,		"perf_event_open on this thread"),
	ALLOW_IF2(perf_event_open, ARG_INT_EQ(1, 0), ARG_INT_EQ(2, -1),
				"counters on this process only (pid 0), any "
				"cpu (-1): never another process"),
	ALLOW(seccomp,		"loading stage 2, which only narrows this one"),
	ALLOW(exit,		"leaving"),
	ALLOW(exit_group,	"leaving"),
	ALLOW(pause,		"waiting, result sent, for the monitor to end "
				"it"),
};

/*
 * Stage 2, the final allowlist the kernel runs under.  The counters are
 * not open yet when it is built, so it allows their whole fd range.
 */
static const struct seccomp_rule stage2[] = {
	ALLOW_IF(write, ARG_EQ(0, RUNNER_SOCKFD),
				"the result, on the monitor's socket only"),
	ALLOW_IF(read, ARG_COUNTER_FD(0),
				"reading our own counters"),
	ALLOW_IF2(ioctl, ARG_COUNTER_FD(0),
	    ARG_EQ(1, PERF_EVENT_IOC_ENABLE),
				"starting our own counters"),
	ALLOW_IF2(ioctl, ARG_COUNTER_FD(0),
	    ARG_EQ(1, PERF_EVENT_IOC_DISABLE),
				"stopping our own counters"),
	ALLOW(pause,		"waiting, result sent, for the monitor to end "
				"it (runner.c, send_result())"),
	ALLOW_IF(exit, ARG_EQ(0, RUNNER_EXIT_DONE),
				"the runner's own exit after its result; a "
				"kernel's exit is a forbidden call"),
	ALLOW_IF(exit_group, ARG_EQ(0, RUNNER_EXIT_DONE),
				"the same, for exit(3)"),
};

static int	 empty_root(const char *);
static int	 set_limits(const struct sandbox_opts *);
static int	 drop_ids(uid_t, gid_t);
static int	 drop_caps(void);
static int	 build_stage(const struct seccomp_rule *, size_t,
		    const struct seccomp_rule *, size_t, const int *, size_t,
		    struct sock_fprog *);
static int	 build_template(const int *, size_t);
static int	 load_prog(const struct sock_fprog *);

/* Both stages, compiled in the template before any runner exists. */
static struct sock_fprog	 prog_stage1, prog_stage2;
/* The log's socket, kept open in every runner (common/log.c). */
static int			 log_sock = -1;

/*
 * Step 1, for both templates (the program template's is runner/prog.c).
 *
 * The log's socket is connected first, while /dev/log can still be
 * reached, and kept: neither the new root nor the runners' filters
 * would let a runner open it again, but they let it write there, so a
 * runner's last words reach the log (common/log.c, log_confine()).
 *
 * The runners share this network namespace: it has nothing in it but a
 * loopback that is down, no filter lets a kernel make a socket, and one
 * per runner would cost most of a millisecond of CPU, and more to tear
 * down.
 */
int
sandbox_unshare(const char **step)
{
	log_sock = log_confine();
	*step = "namespaces";
	if (unshare(CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWIPC |
	    CLONE_NEWUTS) == -1)
		return -1;
	*step = "private mounts";
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == -1)
		return -1;
	*step = "host name";
	if (sethostname("runner", 6) == -1)
		return -1;
	return 0;
}

/*
 * Steps 1 to 3, once, in the kernel template.
 */
int
sandbox_template(const char *root, char *err, size_t errlen)
{
	const char	*step;

	if (sandbox_unshare(&step) == -1)
		goto fail;
	step = "empty root";
	if (empty_root(root) == -1)
		goto fail;
	/* Built here, before the template makes its heap ready. */
	step = "seccomp stage 1";
	if (build_template(NULL, 0) == -1)
		goto fail;
	step = "seccomp stage 2";
	if (build_stage(stage2, sizeof(stage2) / sizeof(stage2[0]), NULL, 0,
	    NULL, 0, &prog_stage2) == -1)
		goto fail;
	return 0;
fail:
	snprintf(err, errlen, "sandbox: %s: %s", step, strerror(errno));
	return -1;
}

/*
 * Step 3, last, once the template has nothing left to set up: stage 1
 * (spawn[] and stage1[]), in the template, which its runners inherit.
 * The template has no handler for the trap: a call it should not make
 * kills it.  regress/floor, which does the monitor's part in the same
 * process, names the nalso system calls (SYS_*) that needs in also.
 */
int
sandbox_confine_template(const int *also, size_t nalso, char *err,
    size_t errlen)
{
	errno = EINVAL;
	if (prog_stage1.filter == NULL)
		goto fail;
	if (nalso > 0 && build_template(also, nalso) == -1)
		goto fail;
	if (load_prog(&prog_stage1) == -1)
		goto fail;
	return 0;
fail:
	snprintf(err, errlen, "sandbox: seccomp stage 1: %s",
	    strerror(errno));
	return -1;
}

/*
 * Replace the root with an empty tmpfs, read-only once we are inside it.
 * Runs in the template's private mount namespace, so the host never sees
 * it; each runner gets a copy of it.
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

/*
 * Step 4, for each runner, in the template: `how' is CLONE_PARENT (the
 * runner is the monitor's child, so the monitor reaps it) or, in
 * regress/floor, an exit signal, and any namespaces the runner needs of
 * its own beyond its pid namespace: a program runner's are
 * SANDBOX_PROG_NS (prog.c).  The runner is pid 1 of its own pid
 * namespace: when it dies, the kernel kills everything else in there.
 *
 * A kernel runner shares the template's mount, network, IPC and UTS
 * namespaces, as it shares its address-space layout: neither seccomp
 * stage allows a system call that could read or change one of them (no
 * open but for writing, which the empty read-only root refuses, no
 * mount, umount2 or pivot_root, no SysV IPC or POSIX message queue, no
 * sethostname; spawn[], stage1[] and stage2[] above), so one of its
 * own would hide nothing.  Making and unmaking a mount and an IPC
 * namespace for every runner cost about a seventh of a request's CPU.
 * Returns as fork(2) does; the runner goes on with sandbox_enter().
 */
pid_t
sandbox_clone(uint64_t how, struct sandbox_opts *so)
{
	return clone_into(how | CLONE_NEWPID, so->cgfds, so->ncg,
	    &so->joined);
}

/* Steps 5 to 7, in the new runner. */
int
sandbox_enter(const struct sandbox_opts *so, char *err, size_t errlen)
{
	const char	*step;

	/* Stage 1 came with the clone. */
	step = "seccomp stage 1 not inherited";
	errno = EINVAL;
	if (prctl(PR_GET_SECCOMP) != 2)
		goto fail;
	step = "seccomp stage 2 not prepared";
	if (prog_stage2.filter == NULL)
		goto fail;
	if (sandbox_join(so, &step) == -1)
		goto fail;
	step = "rlimits";
	if (set_limits(so) == -1)
		goto fail;
	if (sandbox_drop(so, &step) == -1)
		goto fail;
	return 0;
fail:
	snprintf(err, errlen, "sandbox: %s: %s", step, strerror(errno));
	return -1;
}

/*
 * Steps 5 and 6, for both kinds of runner: into its cgroup and a cgroup
 * namespace rooted there, with nothing open but its socket and the log's.
 */
int
sandbox_join(const struct sandbox_opts *so, const char **step)
{
	int	 i, keep[2], nkeep = 0;

	/* Its parent is the monitor: it must not outlive it. */
	*step = "parent-death signal";
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1)
		return -1;
	/*
	 * A process can only be moved, or cloned, into a cgroup its cgroup
	 * namespace can see: the runner makes its own once it is there.
	 */
	*step = "cgroup";
	for (i = 0; i < so->ncg && !so->joined; i++)
		if (cgroup_join(so->cgfds[i]) == -1)
			return -1;
	*step = "cgroup namespace";
	if (unshare(CLONE_NEWCGROUP) == -1)
		return -1;
	/* The template's socket on RUNNER_SOCKFD goes with the rest. */
	*step = "descriptors";
	if (so->sock != -1) {
		if (dup2(so->sock, RUNNER_SOCKFD) == -1)
			return -1;
		keep[nkeep++] = RUNNER_SOCKFD;
	}
	if (log_sock != -1)
		keep[nkeep++] = log_sock;
	closefrom_except(RUNNER_SOCKFD, keep, nkeep);
	return 0;
}

/*
 * Step 7 after the rlimits, for both kinds of runner: its own uid and
 * gid, no capabilities, no_new_privs, not dumpable.
 */
int
sandbox_drop(const struct sandbox_opts *so, const char **step)
{
	*step = "uid and gid";
	if (drop_ids(so->uid, so->gid) == -1)
		return -1;
	/*
	 * Changing uids clears the parent-death signal: set it again, or a
	 * runner would outlive a monitor killed while the runner spins.
	 */
	*step = "parent-death signal";
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1)
		return -1;
	*step = "capabilities";
	if (drop_caps() == -1)
		return -1;
	*step = "no_new_privs";
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
		return -1;
	/* No ptrace or core of us by anyone with our (unique) uid. */
	*step = "dumpable";
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == -1)
		return -1;
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

/* Step 8: stage 2, once the counters are open in their range. */
int
sandbox_final(const int *ctrfds, int nctr)
{
	int	 i;

	if (prog_stage2.filter == NULL)
		return -1;
	for (i = 0; i < nctr; i++)
		if (ctrfds[i] < COUNTERS_FDBASE ||
		    ctrfds[i] >= COUNTERS_FDBASE + COUNTERS_MAXFDS)
			return -1;
	return load_prog(&prog_stage2);
}

/*
 * Compile a stage from the rules of two tables and the calls of `also',
 * whatever their arguments.  What is not allowed traps into the runner's
 * SIGSYS handler, which reports the system call (before the handlers are
 * installed, and in the template, a trap kills just the same); a foreign
 * architecture (int 0x80, x32) kills the process outright.  Trap rather
 * than kill in stage 1 too: both stages stay installed and the stricter
 * action wins, so a kill there would hide stage 2's trap, and its
 * report, for every call stage 1 does not allow.
 *
 * The allowed calls are found by a binary search instead of one compare
 * after another: the kernel runs each filter for every system call
 * number when it loads it (to cache which are always allowed), so a
 * shorter path is a cheaper load (stage 1: about 70 us down to 47).  A
 * libseccomp without the attribute just builds the longer filter.
 */
static int
build_stage(const struct seccomp_rule *rules, size_t n,
    const struct seccomp_rule *more, size_t nmore, const int *also,
    size_t nalso, struct sock_fprog *prog)
{
	scmp_filter_ctx	 ctx;
	size_t		 i;
	int		 rc = -1;

	if ((ctx = seccomp_init(SCMP_ACT_TRAP)) == NULL)
		return -1;
	if (seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH,
	    SCMP_ACT_KILL_PROCESS) < 0)
		goto out;
	(void)seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
	for (i = 0; i < n; i++)
		if (seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, rules[i].nr,
		    rules[i].narg, rules[i].arg) < 0)
			goto out;
	for (i = 0; i < nmore; i++)
		if (seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, more[i].nr,
		    more[i].narg, more[i].arg) < 0)
			goto out;
	for (i = 0; i < nalso; i++)
		if (seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, also[i], 0,
		    NULL) < 0)
			goto out;
	rc = sandbox_export(ctx, prog);
out:
	seccomp_release(ctx);
	return rc;
}

/* Stage 1: spawn[], stage1[] and the calls of also[]. */
static int
build_template(const int *also, size_t nalso)
{
	return build_stage(spawn, sizeof(spawn) / sizeof(spawn[0]), stage1,
	    sizeof(stage1) / sizeof(stage1[0]), also, nalso, &prog_stage1);
}

/*
 * libseccomp compiles; the BPF is kept so that every runner only has to
 * load it.
 */
int
sandbox_export(void *ctx, struct sock_fprog *prog)
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
