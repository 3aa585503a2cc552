/*
 * The runner template.
 *
 * Creating a sandbox from nothing for every job (clone into fresh
 * namespaces, exec, libpfm4's event tables, compiling two seccomp
 * filters) costs several milliseconds of CPU, most of it the same every
 * time.  The template pays for it once: the monitor starts it as root in
 * its own mount, network, IPC and UTS namespaces (monitor/spawn.c); it
 * learns the event tables, builds both seccomp filters and moves into the
 * empty read-only root.  Then, for every IMSG_SPAWN, it clones a runner:
 *
 *	CLONE_PARENT	the runner is the monitor's child, so the monitor
 *			reaps it and sees how it died;
 *	CLONE_NEWPID	the runner is pid 1 of its own pid namespace;
 *	CLONE_NEWNS	a private copy of the (empty) mount table;
 *	CLONE_NEWIPC, CLONE_NEWUTS	its own, cheap to make.
 *
 * On cgroup v2 the child is born in its cgroup (CLONE_INTO_CGROUP with the
 * directory fd the monitor sent); on v1 it joins its cgroups through
 * those fds.  It unshares the cgroup namespace and returns to main(),
 * which confines it the rest of the way (sandbox_enter) before it sees a
 * job.  Runners share the template's network namespace, the one
 * namespace that is expensive to create (most of a millisecond of CPU,
 * and more to tear down): it has nothing in it but a loopback that is
 * down, and neither seccomp stage lets a runner create a socket.  Runners
 * also share the template's address-space layout, which tells code
 * already running in a runner nothing it could use.
 *
 * The template runs at nice SPAWN_NICE and its runners inherit it: making
 * runners yields to the jobs being served.  The monitor gives each runner
 * the configured level once it is ready (monitor/runners.c).
 *
 * The template never sees a job, an object or a request; it runs no
 * code but this file's loop, and exits when the monitor closes fd 3.
 */
#include <sys/types.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "runner.h"

#define TEMPLATE_MAXCG	4	/* cgroup directories of one runner */

static void	 child_setup(int, const int *, int, int);

/*
 * Returns only in a freshly cloned runner, with *so filled in and its
 * socket on fd `monfd'.
 */
void
template_run(int monfd, const char *root, struct sandbox_opts *so)
{
	struct imsgbuf		 ibuf;
	struct imsg		 imsg;
	struct spawn_req	 req;
	struct spawn_res	 res;
	char			 err[WR_REASONLEN];
	int			 cgfds[TEMPLATE_MAXCG], ncg = 0, fd, i;
	int			 joined;
	ssize_t			 n;
	pid_t			 pid;

	prctl(PR_SET_NAME, "wr-template");
	/* Inherited by the runners: the monitor raises each once ready. */
	if (setpriority(PRIO_PROCESS, 0, SPAWN_NICE) == -1)
		fatal("setpriority");
	if (sandbox_root(root, err, sizeof(err)) == -1)
		fatalx("%s", err);
	imsgbuf_init(&ibuf, monfd);
	for (;;) {
		if ((n = imsg_get(&ibuf, &imsg)) == -1)
			fatal("bad message from the monitor");
		if (n == 0) {
			if ((n = imsgbuf_read(&ibuf)) == -1 && errno != EAGAIN)
				fatal("read");
			if (n == 0)
				exit(0);	/* the monitor is gone */
			continue;
		}
		fd = imsg_take_fd(&imsg);
		if (imsg.hdr.type == IMSG_SPAWN_CGROUP && fd != -1 &&
		    imsg.len == 0 && ncg < TEMPLATE_MAXCG) {
			cgfds[ncg++] = fd;
			imsg_free(&imsg);
			continue;
		}
		if (imsg.hdr.type != IMSG_SPAWN || fd == -1 ||
		    imsg_get_data(&imsg, &req, sizeof(req)) == -1)
			fatalx("unexpected message %u from the monitor",
			    imsg.hdr.type);
		imsg_free(&imsg);

		/* On v2 born in its cgroup; on v1 it joins them. */
		pid = clone_into(CLONE_PARENT | CLONE_NEWPID | CLONE_NEWNS |
		    CLONE_NEWIPC | CLONE_NEWUTS, cgfds, ncg, &joined);
		if (pid == 0) {
			child_setup(fd, cgfds, ncg, joined);
			so->root = NULL;
			so->uid = req.uid;
			so->gid = req.gid;
			so->nice = 0;		/* left to the monitor */
			so->cpu_secs = req.cpu_secs;
			return;
		}
		memset(&res, 0, sizeof(res));
		res.id = req.id;
		res.pid = pid;
		res.error = pid == -1 ? errno : 0;
		close(fd);
		for (i = 0; i < ncg; i++)
			close(cgfds[i]);
		ncg = 0;
		if (imsg_compose(&ibuf, IMSG_SPAWNED, req.id, -1, &res,
		    sizeof(res)) == -1 || imsgbuf_flush(&ibuf) == -1)
			fatal("answer the monitor");
	}
}

/*
 * In the new runner: into its cgroup unless born there, then a cgroup
 * namespace rooted there, its socket on fd 3 and nothing else open above
 * stderr.  Any failure ends it; the monitor sees it exit before it said
 * it was ready.
 */
static void
child_setup(int sock, const int *cgfds, int ncg, int joined)
{
	int	 i, keep = 3;

	prctl(PR_SET_NAME, "wr-runner");
	/* The monitor is the parent: the runner must not outlive it. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1)
		fatal("PR_SET_PDEATHSIG");
	for (i = 0; i < ncg && !joined; i++)
		if (cgroup_join(cgfds[i]) == -1)
			fatal("cannot enter my cgroup");
	if (unshare(CLONE_NEWCGROUP) == -1)
		fatal("unshare cgroup namespace");
	if (dup2(sock, keep) == -1)
		fatal("dup2");
	closefrom_except(keep, &keep, 1);
}
