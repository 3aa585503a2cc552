/* objs: runner/sandbox.o common/util.o common/log.o */
/*
 * Stage 1 as a runner has it: the template's own filter, inherited, once
 * the runner has dropped its uid and capabilities (runner/sandbox.c).
 * Each probe runs in a child that builds the template's sandbox, puts
 * itself under stage 1 as the template does, confines itself the rest of
 * the way as a new runner does (sandbox_enter(): its cgroup namespace,
 * rlimits, uid, capabilities) and makes one system call.  The calls the
 * template and a new runner need pass only as narrowly as they make
 * them, and then the kernel refuses them to a runner; anything else
 * traps (SIGSYS).
 */
#include <sys/types.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "runner.h"
#include "test.h"

#define ROOT		"/var/empty"
#define PROBE_UID	61999

/* What one probe does: its call's result, and errno. */
typedef long	(*probe_fn)(void);

static long
p_unshare_user(void)
{
	return unshare(CLONE_NEWUSER);
}

static long
p_unshare_ns(void)
{
	return unshare(CLONE_NEWNS);
}

static long
p_unshare_cgroup(void)
{
	return unshare(CLONE_NEWCGROUP);
}

static long
p_open_read(void)
{
	return openat(AT_FDCWD, "/", O_RDONLY | O_CLOEXEC);
}

static long
p_open_create(void)
{
	return openat(AT_FDCWD, "/x", O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
}

static long
p_open_write(void)
{
	return openat(AT_FDCWD, "/", O_WRONLY | O_CLOEXEC);
}

static long
p_dumpable(void)
{
	return prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
}

static long
p_ptracer(void)
{
	return prctl(PR_SET_PTRACER, PR_SET_PTRACER_ANY, 0, 0, 0);
}

static long
p_rlimit_other(void)
{
	struct rlimit	 rl;

	return syscall(SYS_prlimit64, 1, RLIMIT_NOFILE, NULL, &rl);
}

static long
p_rlimit_raise(void)
{
	struct rlimit	 rl = { RLIM_INFINITY, RLIM_INFINITY };

	return syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, &rl, NULL);
}

static long
p_nice_other(void)
{
	return setpriority(PRIO_PROCESS, 1, 0);
}

static long
p_clone(void)
{
	long	 r;

	/* As the template clones: RLIMIT_NPROC 1 must stop it. */
	if ((r = syscall(SYS_clone, SIGCHLD, NULL, NULL, NULL, 0)) == 0)
		syscall(SYS_exit_group, 1);
	return r;
}

static long
p_setuid(void)
{
	return setuid(0);
}

static long
p_socket(void)
{
	return socket(AF_UNIX, SOCK_STREAM, 0);
}

static long
p_mount(void)
{
	return mount("none", "/", "tmpfs", 0, NULL);
}

static long
p_perf_other(void)
{
	return syscall(SYS_perf_event_open, NULL, 1, -1, -1, 0);
}

/*
 * Runs fn in a new runner-to-be; returns its wait status, or -1 if the
 * child could not get as far as the call (its exit code 100 and up).
 * The child exits 0 if the call failed with errno `want', else 1.
 */
static int
probe(probe_fn fn, int want)
{
	struct sandbox_opts	 so;
	char			 err[256];
	int			 status;
	long			 r;
	pid_t			 pid;

	if ((pid = fork()) == -1)
		return -1;
	if (pid == 0) {
		if (sandbox_template(ROOT, err, sizeof(err)) == -1)
			syscall(SYS_exit_group, 100);
		if (sandbox_confine_template(NULL, 0, err, sizeof(err)) == -1)
			syscall(SYS_exit_group, 101);
		memset(&so, 0, sizeof(so));
		so.sock = -1;
		so.uid = so.gid = PROBE_UID;
		if (sandbox_enter(&so, err, sizeof(err)) == -1)
			syscall(SYS_exit_group, 102);
		errno = 0;
		r = fn();
		/* Straight out: no sanitizer's teardown under the filter. */
		syscall(SYS_exit_group, r == -1 && errno == want ? 0 : 1);
	}
	if (waitpid(pid, &status, 0) == -1 ||
	    (WIFEXITED(status) && WEXITSTATUS(status) >= 100))
		return -1;
	return status;
}

static int
trapped(int status)
{
	return status != -1 && WIFSIGNALED(status) &&
	    WTERMSIG(status) == SIGSYS;
}

static int
refused(int status)
{
	return status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

int
main(void)
{
	const struct {
		const char	*name;
		probe_fn	 fn;
	} traps[] = {
		{ "unshare(CLONE_NEWUSER) traps", p_unshare_user },
		{ "unshare(CLONE_NEWNS) traps", p_unshare_ns },
		{ "openat for reading traps", p_open_read },
		{ "openat with O_CREAT traps", p_open_create },
		{ "PR_SET_DUMPABLE 1 traps", p_dumpable },
		{ "PR_SET_PTRACER traps", p_ptracer },
		{ "prlimit64 of another process traps", p_rlimit_other },
		{ "setpriority of another process traps", p_nice_other },
		{ "socket traps", p_socket },
		{ "mount traps", p_mount },
		{ "perf_event_open of another process traps", p_perf_other },
	};
	const struct {
		const char	*name;
		probe_fn	 fn;
		int		 want;
	} refusals[] = {
		{ "unshare(CLONE_NEWCGROUP) passes, and is refused",
		    p_unshare_cgroup, EPERM },
		{ "openat for writing passes, and the root refuses it",
		    p_open_write, EISDIR },
		{ "raising an rlimit passes, and is refused", p_rlimit_raise,
		    EPERM },
		{ "setuid(0) passes, and is refused", p_setuid, EPERM },
		{ "clone passes, and RLIMIT_NPROC refuses it", p_clone,
		    EAGAIN },
	};
	size_t	 i;
	int	 st;

	log_init(1, 0);
	if (geteuid() != 0) {
		for (i = 0; i < sizeof(traps) / sizeof(traps[0]); i++)
			SKIP(traps[i].name, "needs root");
		for (i = 0; i < sizeof(refusals) / sizeof(refusals[0]); i++)
			SKIP(refusals[i].name, "needs root");
		return TEST_DONE();
	}
	st = probe(p_setuid, EPERM);
	CHECK(st != -1, "a child builds the sandbox and confines itself as "
	    "a runner under stage 1");
	for (i = 0; i < sizeof(traps) / sizeof(traps[0]); i++)
		CHECK(trapped(probe(traps[i].fn, 0)), traps[i].name);
	for (i = 0; i < sizeof(refusals) / sizeof(refusals[0]); i++)
		CHECK(refused(probe(refusals[i].fn, refusals[i].want)),
		    refusals[i].name);
	return TEST_DONE();
}
