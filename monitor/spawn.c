/*
 * Starting one runner inside its namespaces and cgroup.
 *
 * clone() puts the child in new pid, mount, network, IPC and UTS
 * namespaces; the child joins its cgroup and only then unshares the cgroup
 * namespace, so the runner sees its own cgroup as the root.  The child is
 * pid 1 of its pid namespace: when it dies, the kernel kills everything
 * else in there.  It makes its mounts private and execs the runner binary,
 * which does the rest of the confinement itself (runner/sandbox.c) before
 * it ever sees a job.
 *
 * The monitor starts its runner template this way (rs->template: no pid
 * namespace, no cgroup), and the template clones the runners
 * (runner/template.c).  regress/rundriver starts single runners directly
 * with the same code, which uses no libevent.
 */
#include <sys/types.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "monitor.h"

#define NS_FLAGS	(CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWNET | \
			 CLONE_NEWIPC | CLONE_NEWUTS)
/* The template stays in our pid namespace: its clones are our children. */
#define TEMPLATE_NS_FLAGS (CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWIPC | \
			 CLONE_NEWUTS)

static __dead void child(const struct runner_spawn *, int);

pid_t
runner_spawn(const struct runner_spawn *rs, int *sock, char *err,
    size_t errlen)
{
	sigset_t	 all, old;
	pid_t		 pid;
	int		 sp[2];

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp) == -1) {
		snprintf(err, errlen, "socketpair: %s", strerror(errno));
		return -1;
	}
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	pid = (pid_t)syscall(SYS_clone, (rs->template ? TEMPLATE_NS_FLAGS :
	    NS_FLAGS) | SIGCHLD, NULL, NULL, NULL, 0);
	if (pid == 0)
		child(rs, sp[1]);
	sigprocmask(SIG_SETMASK, &old, NULL);
	close(sp[1]);
	if (pid == -1) {
		snprintf(err, errlen, "clone: %s", strerror(errno));
		close(sp[0]);
		return -1;
	}
	*sock = sp[0];
	return pid;
}

static __dead void
child(const struct runner_spawn *rs, int fd)
{
	char	 uid[16], gid[16], nice[16], cpu[16], verbose[8], root[1024];
	char	*argv[20];
	sigset_t none;
	int	 i, argc = 0, tmp;


	for (i = 1; i < NSIG; i++)
		signal(i, SIG_DFL);
	/* The parent blocked everything around clone(); undo it here. */
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1)
		goto fail;
	if (rs->cgname[0] != '\0' && cgroup_enter(rs->cgname) == -1) {
		dprintf(STDERR_FILENO, "runner: cannot enter cgroup %s: %s\n",
		    rs->cgname, strerror(errno));
		goto fail;
	}
	/*
	 * Not the template: a process can only be moved, or cloned, into a
	 * cgroup its cgroup namespace can see, and on v2 the template sits
	 * in the monitor's leaf (<own>/monitor), beside <own>/webrunnerd
	 * and not above it.  Each runner makes its own namespace once it is
	 * in its cgroup (runner/template.c); the template runs no job.
	 */
	if (!rs->template && unshare(CLONE_NEWCGROUP) == -1)
		goto fail;
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == -1)
		goto fail;
	if (sethostname("runner", 6) == -1)
		goto fail;

	if ((tmp = fcntl(fd, F_DUPFD, 64)) == -1 || dup2(tmp, 3) == -1)
		goto fail;
	i = 3;
	closefrom_except(3, &i, 1);

	snprintf(uid, sizeof(uid), "%u", (unsigned)rs->uid);
	snprintf(gid, sizeof(gid), "%u", (unsigned)rs->gid);
	snprintf(nice, sizeof(nice), "%d", rs->nice);
	snprintf(cpu, sizeof(cpu), "%u", rs->cpu_secs);
	argv[argc++] = "webrunnerd-runner";
	argc = log_flags(argv, argc, rs->debug, rs->verbose, verbose);
	if (rs->template) {
		argv[argc++] = "-T";
		goto root;
	}
	argv[argc++] = "-u";
	argv[argc++] = uid;
	argv[argc++] = "-g";
	argv[argc++] = gid;
	argv[argc++] = "-n";
	argv[argc++] = nice;
	argv[argc++] = "-t";
	argv[argc++] = cpu;
root:
	argv[argc++] = "-r";
	strlcpy(root, rs->root, sizeof(root));
	argv[argc++] = root;
	argv[argc] = NULL;
	execv(rs->prog, argv);
fail:
	dprintf(STDERR_FILENO, "runner: setup failed: %s\n", strerror(errno));
	_exit(127);
}
