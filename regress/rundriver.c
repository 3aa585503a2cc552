/*
 * rundriver: run one job through a real runner without the daemon.
 *
 *	rundriver [-jsv] [-k kernels] [-m memory] [-u uid]
 *	    [-X runner | template] -o object query
 *
 * It resolves the query against the kernel specs and does what the
 * monitor does, by the same way: it starts the runner template
 * (monitor/spawn.c), makes the runner's cgroup (monitor/cgroup.c), asks
 * the template for a runner with IMSG_SPAWN_CGROUP and IMSG_SPAWN, hands
 * the runner the job and the object as a sealed memfd, and prints the
 * answer the client would get.  Exit status: 0 for an OK run, 2 for any
 * other outcome, 1 for a usage or setup error.
 *
 * -s leaves the template and the runner in syslog mode, as a daemon
 * without -d runs them.  -X sends the runner (instead of its job) or the
 * template (instead of the spawn request) a message it must refuse: its
 * last words then tell why it ended (regress/t-last-words.sh).  Only this
 * driver, which plays the monitor, can say something wrong; no client
 * can.
 */
#include <sys/types.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "monitor.h"
#include "driver.h"
#include "../daemon/daemon.h"

static __dead void usage(void);
static pid_t	 spawn_runner(struct imsgbuf *, const struct spawn_req *,
		    const int *, int, int, int *);

static __dead void
usage(void)
{
	fprintf(stderr, "usage: rundriver [-jsv] [-k kernels] [-m memory] "
	    "[-u uid]\n\t[-X runner | template] -o object query\n");
	exit(1);
}


int
main(int argc, char *argv[])
{
	struct kspecs		 specs;
	struct job		 job;
	struct resolved		 rsv;
	struct run_result	 res;
	struct run_limits	 lim;
	struct runner_spawn	 rs;
	struct spawn_req	 req;
	struct imsgbuf		 tibuf, ibuf;
	struct imsg		 imsg;
	struct http_res		 hr;
	const char		*kernels = "kernels", *object = NULL;
	const char		*errstr, *wrong = NULL;
	struct run_req		 rr;
	char			 errbuf[512], prog[PATH_MAX + 32], dir[PATH_MAX];
	char			 cgname[64];
	uint64_t		 size;
	pid_t			 pid, tpid;
	int			 ch, json = 0, verbose = 0, code, fd, sock, tsock;
	int			 status, got = 0, ncg, cgfds[4], rc;

	memset(&lim, 0, sizeof(lim));
	lim.memory = 256 * 1024 * 1024;
	lim.repeat_max = 100000;
	lim.repeat_default = 25;
	lim.warmup = 2;
	memset(&req, 0, sizeof(req));
	req.id = 1;
	req.uid = req.gid = 61999;
	req.cpu_secs = 60;
	memset(&rs, 0, sizeof(rs));
	rs.debug = 1;
	while ((ch = getopt(argc, argv, "jk:m:o:su:vX:")) != -1) {
		switch (ch) {
		case 'j':
			json = 1;
			break;
		case 'k':
			kernels = optarg;
			break;
		case 'm':
			lim.memory = strtonum(optarg, 4096, 1LL << 40, &errstr);
			if (errstr != NULL)
				errx(1, "memory %s", errstr);
			break;
		case 'o':
			object = optarg;
			break;
		case 's':
			rs.debug = 0;
			break;
		case 'u':
			req.uid = req.gid = (uint32_t)strtonum(optarg, 1,
			    1 << 30, &errstr);
			if (errstr != NULL)
				errx(1, "uid %s", errstr);
			break;
		case 'v':
			verbose++;
			break;
		case 'X':
			if (strcmp(optarg, "runner") != 0 &&
			    strcmp(optarg, "template") != 0)
				usage();
			wrong = optarg;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 1 || object == NULL)
		usage();
	log_init(1, 0);
	log_procinit("rundriver");
	log_setverbose(verbose);

	TAILQ_INIT(&specs);
	if (kspecs_load(kernels, &specs, errbuf, sizeof(errbuf)) == -1)
		errx(1, "%s", errbuf);
	memset(&job, 0, sizeof(job));
	memset(&rsv, 0, sizeof(rsv));
	/* The query as the network process parses it. */
	rc = query_parse(argv[0], &rr, &code, errbuf, sizeof(errbuf));
	if (rc == 0)
		rc = kspec_resolve(&specs, &rr, &lim, &job, &rsv, &code,
		    errbuf, sizeof(errbuf));
	/* The job and rsv are copies: the specs are done with. */
	kspecs_free(&specs);
	if (rc == -1) {
		format_error(code, RS_BAD_JOB, errbuf, json, &hr);
		fwrite(hr.body, 1, hr.len, stdout);
		return 2;
	}
	fd = file_memfd(object, "object", &size);
	job.size = size;
	job.memmax = lim.memory;

	/* The monitor's part: cgroups, then the template, as root. */
	if (cgroup_init("", errbuf, sizeof(errbuf)) == -1)
		errx(1, "%s", errbuf);
	snprintf(cgname, sizeof(cgname), "driver-%d", (int)getpid());
	if ((ncg = cgroup_create(cgname, lim.memory + 64 * 1024 * 1024, 8, 0,
	    cgfds, 4, errbuf, sizeof(errbuf))) == -1)
		errx(1, "%s", errbuf);
	if (exec_dir(dir, sizeof(dir)) == -1)
		err(1, "exec_dir");
	snprintf(prog, sizeof(prog), "%s/../webrunnerd-runner", dir);
	rs.prog = prog;
	rs.root = "/var/empty";
	rs.verbose = verbose;
	if ((tpid = runner_spawn(&rs, &tsock, errbuf, sizeof(errbuf))) == -1)
		errx(1, "%s", errbuf);
	imsgbuf_init(&tibuf, tsock);
	pid = spawn_runner(&tibuf, &req, cgfds, ncg,
	    wrong != NULL && strcmp(wrong, "template") == 0, &sock);

	imsgbuf_init(&ibuf, sock);
	memset(&res, 0, sizeof(res));
	while (pid != -1 && next_imsg(&ibuf, &imsg) == 1) {
		if (imsg.hdr.type == IMSG_RUNNER_READY) {
			/* Made at SPAWN_NICE; the monitor's level is 0. */
			if (setpriority(PRIO_PROCESS, pid, 0) == -1)
				err(1, "setpriority");
			if (wrong != NULL)
				rc = imsg_compose(&ibuf, IMSG_SPAWNED, 1, -1,
				    NULL, 0);
			else
				rc = imsg_compose(&ibuf, IMSG_JOB, 1, fd,
				    &job, sizeof(job));
			if (rc == -1 || imsgbuf_flush(&ibuf) == -1)
				err(1, "send job");
		} else if (imsg.hdr.type == IMSG_RESULT &&
		    imsg_get_data(&imsg, &res, sizeof(res)) == 0)
			got = 1;
		imsg_free(&imsg);
		if (got)
			break;
	}
	/* As the monitor does: the runner sleeps after its result. */
	imsgbuf_clear(&ibuf);
	close(sock);
	if (got)
		kill(pid, SIGKILL);
	if (pid != -1 && waitpid(pid, &status, 0) == -1)
		err(1, "waitpid");
	/* The template ends when its socket closes. */
	imsgbuf_clear(&tibuf);
	close(tsock);
	if (pid == -1) {
		if (waitpid(tpid, &status, 0) == -1)
			err(1, "waitpid");
	} else if (waitpid(tpid, NULL, 0) == -1)
		err(1, "waitpid");
	if (cgroup_oom_kills(cgname) && !got) {
		res.status = RS_MEMORY_LIMIT;
		got = 1;
	}
	cgroup_destroy(cgname);
	if (!got) {
		res.status = RS_INTERNAL;
		if (WIFSIGNALED(status))
			snprintf(res.reason, sizeof(res.reason), "%s "
			    "killed by SIG%s", pid == -1 ? "template" :
			    "runner", signame(WTERMSIG(status)));
		else
			snprintf(res.reason, sizeof(res.reason), "%s "
			    "exited with %d", pid == -1 ? "template" :
			    "runner", WEXITSTATUS(status));
	}
	res.reason[sizeof(res.reason) - 1] = '\0';
	if (res.status == RS_OK)
		format_result(&rsv, &res, json, &hr);
	else
		format_error(status_http_code(res.status), res.status,
		    res.reason, json, &hr);
	fwrite(hr.body, 1, hr.len, stdout);
	return res.status == RS_OK ? 0 : 2;
}

/*
 * Ask the template for a runner as the monitor does (monitor/template.c):
 * its cgroups' directories, then the request with the runner's end of its
 * socket; our end comes back in *sock.  With `wrong', the request goes
 * without the socket, which the template must refuse.  Returns the
 * runner's pid (our child), or -1 once the template has gone.
 */
static pid_t
spawn_runner(struct imsgbuf *tibuf, const struct spawn_req *req,
    const int *cgfds, int ncg, int wrong, int *sock)
{
	struct imsg		 imsg;
	struct spawn_res	 res;
	int			 i, sp[2];

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp) == -1)
		err(1, "socketpair");
	*sock = sp[0];
	/* The queue closes every fd once it is sent. */
	for (i = 0; i < ncg; i++)
		if (imsg_compose(tibuf, IMSG_SPAWN_CGROUP, req->id, cgfds[i],
		    NULL, 0) == -1)
			err(1, "imsg_compose");
	if (wrong)
		close(sp[1]);
	if (imsg_compose(tibuf, IMSG_SPAWN, req->id, wrong ? -1 : sp[1], req,
	    sizeof(*req)) == -1 || imsgbuf_flush(tibuf) == -1)
		err(1, "ask the template for a runner");
	if (next_imsg(tibuf, &imsg) != 1)
		return -1;
	if (imsg.hdr.type != IMSG_SPAWNED ||
	    imsg_get_data(&imsg, &res, sizeof(res)) == -1)
		errx(1, "unexpected message %u from the template",
		    imsg.hdr.type);
	imsg_free(&imsg);
	if (res.pid <= 0)
		errx(1, "the template could not clone: %s",
		    strerror(res.error));
	return res.pid;
}

