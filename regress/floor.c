/*
 * floor: what the kernel alone charges for one runner's sandbox.
 *
 *	floor [-m] [-n count] [-u uid]
 *
 * make bench runs it beside bwrap and the daemon.  In a loop, with no
 * daemon, it does for each runner what the monitor and the template do
 * and nothing more: the runner's cgroups made and limited by the
 * monitor's own code (monitor/cgroup.c: one cgroup, made once and made
 * ready again for each runner as a slot keeps it), and the runner's whole
 * confinement by the runner's own code (runner/sandbox.c: the
 * template's namespaces, empty root and seccomp stages once, stage 1
 * installed in the template, then for each runner the clone into a new
 * pid namespace, its cgroups and cgroup namespace, rlimits, uid,
 * capabilities, stage 2), its exit and the reap.  No
 * HTTP, no imsg, no exec, no counters, no object: every request pays at
 * least this, on top of its own work.
 *
 * It prints the wall time per runner and the CPU time the whole machine
 * spent per runner (from /proc/stat, so kernel threads and work the
 * kernel defers count as well), less what the machine spends idle over
 * the same time.
 *
 * It first runs itself again set up as the daemon's kernel template is
 * started (monitor/spawn.c, runner_exec_setup()).
 *
 * With -m each runner also gets mount, IPC and UTS namespaces of its own,
 * as a program runner does (SANDBOX_PROG_NS) and as kernel runners once
 * did: the difference from a run without -m is what those three cost
 * each runner.
 */
#include <sys/types.h>
#include <sys/personality.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <err.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common.h"
#include "monitor.h"
#include "runner.h"

#define SETTLE_NS	200000000L	/* for work the kernel defers */
#define IDLE_NS		500000000L	/* /proc/stat counts in 10 ms ticks */
#define MEMORY		(64 * 1024 * 1024)

static int	 statfd = -1;
/*
 * What the monitor's part needs besides stage 1, the template's: making
 * the cgroup ready again and removing it (monitor/cgroup.c), reaping,
 * reading /proc/stat, waiting for the work the kernel defers.
 */
static const int monitor_calls[] = {
	SYS_openat, SYS_faccessat2, SYS_access, SYS_newfstatat, SYS_fstat,
	SYS_pread64, SYS_mkdirat, SYS_mkdir, SYS_unlinkat, SYS_rmdir,
	SYS_faccessat, SYS_wait4, SYS_clock_nanosleep, SYS_nanosleep, SYS_kill,
	SYS_lseek,
};

static __dead void	 usage(void);
static long long	 busy_us(void);
static long long	 now_us(void);
static __dead void	 child(const struct sandbox_opts *);

static __dead void
usage(void)
{
	fprintf(stderr, "usage: floor [-m] [-n count] [-u uid]\n");
	exit(1);
}

int
main(int argc, char *argv[])
{
	struct timespec	 settle = { 0, SETTLE_NS }, idlewait = { 0, IDLE_NS };
	struct sandbox_opts so;
	const char	*errstr;
	char		 errbuf[512], name[64];
	long long	 t0, t1, b0, b1, idle;
	uint64_t	 ooms;
	struct cgroup_kept ck;
	int		 ch, i, k, n = 1000, kept[SANDBOX_MAXCG], nkept;
	uint64_t	 ns = 0;
	int		 status, pers;
	pid_t		 pid;

	if ((pers = personality(0xffffffff)) == -1)
		err(1, "personality");
	if ((pers & ADDR_NO_RANDOMIZE) == 0) {
		if (runner_exec_setup(0) == -1)
			err(1, "runner_exec_setup");
		execv("/proc/self/exe", argv);
		err(1, "execv");
	}
	/* A runner's: uid and gid from runner-uid's default, no nice. */
	memset(&so, 0, sizeof(so));
	so.sock = -1;
	so.uid = so.gid = WR_RUNNER_UID;
	so.cpu_secs = 10;
	while ((ch = getopt(argc, argv, "mn:u:")) != -1) {
		switch (ch) {
		case 'm':
			ns = SANDBOX_PROG_NS;
			break;
		case 'n':
			n = (int)strtonum(optarg, 1, 1000000, &errstr);
			if (errstr != NULL)
				usage();
			break;
		case 'u':
			so.uid = so.gid = (uid_t)strtonum(optarg, 1,
			    UINT32_MAX - 1, &errstr);
			if (errstr != NULL)
				usage();
			break;
		default:
			usage();
		}
	}
	if (argc != optind)
		usage();
	log_init(1, 0);
	if ((statfd = open("/proc/stat", O_RDONLY | O_CLOEXEC)) == -1)
		err(1, "/proc/stat");
	/* Opens the webrunnerd cgroup directories, used by fd from here. */
	if (cgroup_init("", errbuf, sizeof(errbuf)) == -1)
		errx(1, "%s", errbuf);
	/* The template's: namespaces, empty root, both seccomp stages. */
	if (sandbox_template(WR_CHROOT, errbuf, sizeof(errbuf)) == -1)
		errx(1, "%s", errbuf);

	/* What the machine spends meanwhile on everything else. */
	b0 = busy_us();
	t0 = now_us();
	nanosleep(&idlewait, NULL);
	idle = (busy_us() - b0) * 1000000 / (now_us() - t0);

	snprintf(name, sizeof(name), "floor-%d", (int)getpid());
	if ((nkept = cgroup_create(name, MEMORY, 1, 0, kept, SANDBOX_MAXCG,
	    errbuf, sizeof(errbuf))) == -1)
		errx(1, "%s", errbuf);
	so.ncg = nkept;
	cgroup_kept_init(&ck, MEMORY, 1);
	/* Stage 1, in the template, which each runner inherits. */
	if (sandbox_confine_template(monitor_calls, sizeof(monitor_calls) /
	    sizeof(monitor_calls[0]), errbuf, sizeof(errbuf)) == -1)
		errx(1, "%s", errbuf);
	b0 = busy_us();
	t0 = now_us();
	for (i = 0; i < n; i++) {
		if (cgroup_reuse(name, kept, nkept, &ck, MEMORY, 1, &ooms,
		    errbuf, sizeof(errbuf)) == -1)
			errx(1, "%s", errbuf);
		for (k = 0; k < nkept; k++)
			if ((so.cgfds[k] = fcntl(kept[k], F_DUPFD_CLOEXEC,
			    0)) == -1)
				err(1, "dup");
		/* The template's clone, SIGCHLD in CLONE_PARENT's place. */
		pid = sandbox_clone(SIGCHLD | ns, &so);
		if (pid == -1)
			err(1, "clone");
		if (pid == 0)
			child(&so);
		for (k = 0; k < so.ncg; k++)
			close(so.cgfds[k]);
		if (waitpid(pid, &status, 0) == -1)
			err(1, "waitpid");
		if (!WIFEXITED(status) || WEXITSTATUS(status) !=
		    RUNNER_EXIT_DONE)
			errx(1, "the child could not confine itself "
			    "(status %#x)", status);
	}
	t1 = now_us();
	for (k = 0; k < nkept; k++)
		close(kept[k]);
	cgroup_kept_close(&ck);
	if (cgroup_destroy(name) == -1)
		errx(1, "cannot remove cgroup %s", name);
	nanosleep(&settle, NULL);
	b1 = busy_us();
	printf("wall %lld us, cpu %lld us per runner (%d runners, cgroup "
	    "v%d%s)\n", (t1 - t0) / n,
	    (b1 - b0 - idle * (now_us() - t0) / 1000000) / n, n,
	    cgroup_version(), ns != 0 ? ", own mount, IPC and UTS namespaces" :
	    "");
	/*
	 * Leave with exit_group directly, as the child does: LeakSanitizer's
	 * check at exit needs /proc, which the empty root does not have.
	 */
	fflush(stdout);
	syscall(SYS_exit_group, 0);
	abort();
}

/* What the runner does before and after its job (main(), finish()). */
static __dead void
child(const struct sandbox_opts *so)
{
	char	 err[WR_REASONLEN];

	if (sandbox_enter(so, err, sizeof(err)) == -1 ||
	    sandbox_final(NULL, 0) == -1)
		_exit(1);
	/*
	 * The runner's exit, made directly: under SANITIZE=1, _exit() would
	 * first run the sanitizer's teardown, which stage 2 refuses.
	 */
	syscall(SYS_exit_group, RUNNER_EXIT_DONE);
	abort();
}

/* CPU time of all CPUs but idle and iowait, from /proc/stat's first line. */
static long long
busy_us(void)
{
	char		 buf[512];
	long long	 v[8];
	ssize_t		 r;

	if ((r = pread(statfd, buf, sizeof(buf) - 1, 0)) <= 0)
		err(1, "/proc/stat");
	buf[r] = '\0';
	if (sscanf(buf, "cpu %lld %lld %lld %lld %lld %lld %lld %lld", &v[0],
	    &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]) != 8)
		errx(1, "/proc/stat: unexpected format");
	/* user nice system idle iowait irq softirq steal */
	return (v[0] + v[1] + v[2] + v[5] + v[6] + v[7]) * 1000000 /
	    sysconf(_SC_CLK_TCK);
}

static long long
now_us(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}
