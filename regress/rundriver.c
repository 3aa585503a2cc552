/*
 * rundriver: run one job through a real runner without the daemon.
 *
 *	rundriver [-jv] [-k kernels] [-m memory] [-u uid] -o object query
 *
 * It resolves the query against the kernel specs, spawns a runner with
 * the monitor's own code (namespaces, cgroup, exec), hands it the job and
 * the object as a sealed memfd exactly as the monitor does, and prints the
 * answer the client would get.  Exit status: 0 for an OK run, 2 for any
 * other outcome, 1 for a usage or setup error.
 */
#include <sys/types.h>
#include <sys/mman.h>
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
#include "../daemon/daemon.h"

static __dead void
usage(void)
{
	fprintf(stderr, "usage: rundriver [-jv] [-k kernels] [-m memory] "
	    "[-u uid] -o object query\n");
	exit(1);
}

static int
object_memfd(const char *path, uint64_t *size)
{
	char		 buf[65536];
	ssize_t		 n;
	int		 in, fd;

	if ((in = open(path, O_RDONLY)) == -1)
		err(1, "%s", path);
	if ((fd = memfd_create("object", MFD_CLOEXEC | MFD_ALLOW_SEALING)) ==
	    -1)
		err(1, "memfd_create");
	*size = 0;
	while ((n = read(in, buf, sizeof(buf))) > 0) {
		if (write(fd, buf, (size_t)n) != n)
			err(1, "write");
		*size += (uint64_t)n;
	}
	if (n == -1)
		err(1, "%s", path);
	close(in);
	if (memfd_seal_all(fd) == -1)
		err(1, "seal");
	return fd;
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
	struct imsgbuf		 ibuf;
	struct imsg		 imsg;
	struct http_res		 hr;
	const char		*kernels = "kernels", *object = NULL;
	const char		*errstr;
	struct run_req		 rr;
	char			 errbuf[512], prog[PATH_MAX + 32], dir[PATH_MAX];
	char			 cgname[64];
	uint64_t		 size;
	ssize_t			 n;
	pid_t			 pid;
	int			 ch, json = 0, verbose = 0, code, fd, sock;
	int			 status, got = 0, ncg, cgfds[4], rc;

	memset(&lim, 0, sizeof(lim));
	lim.memory = 256 * 1024 * 1024;
	lim.repeat_max = 100000;
	lim.repeat_default = 25;
	lim.warmup = 2;
	memset(&rs, 0, sizeof(rs));
	rs.uid = rs.gid = 61999;
	while ((ch = getopt(argc, argv, "jk:m:o:u:v")) != -1) {
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
		case 'u':
			rs.uid = rs.gid = (uid_t)strtonum(optarg, 1, 1 << 30,
			    &errstr);
			if (errstr != NULL)
				errx(1, "uid %s", errstr);
			break;
		case 'v':
			verbose++;
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
	fd = object_memfd(object, &size);
	job.size = size;
	job.memmax = lim.memory;

	if (cgroup_init("", errbuf, sizeof(errbuf)) == -1)
		errx(1, "%s", errbuf);
	snprintf(cgname, sizeof(cgname), "driver-%d", (int)getpid());
	if ((ncg = cgroup_create(cgname, lim.memory + 64 * 1024 * 1024, 8,
	    cgfds, 4, errbuf, sizeof(errbuf))) == -1)
		errx(1, "%s", errbuf);
	while (ncg > 0)
		close(cgfds[--ncg]);	/* the runner joins by path */
	if (exec_dir(dir, sizeof(dir)) == -1)
		err(1, "exec_dir");
	snprintf(prog, sizeof(prog), "%s/../webrunnerd-runner", dir);
	rs.prog = prog;
	rs.cgname = cgname;
	rs.root = "/var/empty";
	rs.cpu_secs = 60;
	rs.debug = 1;
	rs.verbose = verbose;
	if ((pid = runner_spawn(&rs, &sock, errbuf, sizeof(errbuf))) == -1)
		errx(1, "%s", errbuf);

	imsgbuf_init(&ibuf, sock);
	memset(&res, 0, sizeof(res));
	for (;;) {
		if ((n = imsg_get(&ibuf, &imsg)) == -1)
			errx(1, "malformed message from the runner");
		if (n == 0) {
			if ((n = imsgbuf_read(&ibuf)) == -1)
				err(1, "read");
			if (n == 0)
				break;
			continue;
		}
		if (imsg.hdr.type == IMSG_RUNNER_READY) {
			if (imsg_compose(&ibuf, IMSG_JOB, 1, fd, &job,
			    sizeof(job)) == -1 || imsgbuf_flush(&ibuf) == -1)
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
	if (waitpid(pid, &status, 0) == -1)
		err(1, "waitpid");
	if (cgroup_oom_kills(cgname) && !got) {
		res.status = RS_MEMORY_LIMIT;
		got = 1;
	}
	cgroup_destroy(cgname);
	if (!got) {
		res.status = RS_INTERNAL;
		if (WIFSIGNALED(status))
			snprintf(res.reason, sizeof(res.reason), "runner "
			    "killed by SIG%s", signame(WTERMSIG(status)));
		else
			snprintf(res.reason, sizeof(res.reason), "runner "
			    "exited with %d", WEXITSTATUS(status));
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
