/*
 * progdriver: run one program through a real program runner without the
 * daemon.
 *
 *	progdriver [-v] [-e var=value] [-i input] [-M memory] [-m path]
 *	    [-p pids] [-t tmpfs] [-u uid] [-w seconds] command [arg ...]
 *
 * It does what the monitor does, by the same way: it makes a cgroup
 * (monitor/cgroup.c), starts the program template (monitor/spawn.c, -P
 * with each -m), asks it for a runner with IMSG_SPAWN_CGROUP and
 * IMSG_SPAWN, and hands the runner the command: fd 0 a sealed memfd of
 * the input file (closed without -i), fds 1 and 2 pipes it drains, then
 * IMSG_PJOB.  The program's output goes to ours; the last line on
 * stdout is the runner's answer:
 *
 *	exited CODE peak N
 *	signalled SIGNAL peak N: reason
 *	exec-failed ERRNO peak N: reason
 *	syscall NUMBER peak N: name
 *	setup-failed ERRNO peak N: reason
 *	runner died: why
 *
 * After -w seconds (default 60) it kills the runner, as the monitor's
 * clock limit would.  Exit status: 0 once an answer came, 2 if none, 1
 * for a usage or setup error.
 */
#include <sys/types.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common.h"
#include "monitor.h"
#include "driver.h"

static __dead void usage(void);
static size_t	 pack(char *, size_t, char **, int);
static int	 drain(int, int);

static __dead void
usage(void)
{
	fprintf(stderr, "usage: progdriver [-v] [-e var=value] [-i input] "
	    "[-M memory] [-m path]\n\t[-p pids] [-t tmpfs] [-u uid] "
	    "[-w seconds] command [arg ...]\n");
	exit(1);
}

int
main(int argc, char *argv[])
{
	static struct pjob	 pj;
	struct runner_spawn	 rs;
	struct spawn_req	 req;
	struct spawn_res	 sres;
	struct presult		 pr;
	struct pjob_fd		 pf;
	struct imsgbuf		 tibuf, ibuf;
	struct imsg		 imsg;
	struct pollfd		 pfd[3];
	const char		*errstr, *input = NULL;
	char			*env[WR_MAXARGV];
	char			 errbuf[512], prog[PATH_MAX + 32], dir[PATH_MAX];
	char			 cgname[64];
	uint64_t		 memory = 512ULL << 20;
	uint64_t		 isize;
	uint32_t		 pids = 64;
	pid_t			 pid = -1, tpid;
	time_t			 deadline;
	long long		 wait_s = 60;
	int			 ch, i, nenv = 0, ncg, cgfds[4], tsock, sp[2];
	int			 outp[2], errp[2], status = 0, got = 0, n;
	int			 verbose = 0;

	memset(&rs, 0, sizeof(rs));
	rs.debug = 1;
	rs.program = 1;
	memset(&req, 0, sizeof(req));
	req.id = 1;
	req.uid = req.gid = 61999;
	req.cpu_secs = 60;
	req.tmpfs_bytes = 256ULL << 20;
	env[nenv++] = "PATH=/usr/local/bin:/usr/bin:/bin";
	while ((ch = getopt(argc, argv, "+e:i:M:m:p:t:u:vw:")) != -1) {
		switch (ch) {
		case 'e':
			if (nenv == WR_MAXARGV)
				usage();
			env[nenv++] = optarg;
			break;
		case 'i':
			input = optarg;
			break;
		case 'M':
			memory = (uint64_t)strtonum(optarg, 1 << 20, 1LL << 40,
			    &errstr);
			if (errstr != NULL)
				errx(1, "memory %s", errstr);
			break;
		case 'm':
			if (rs.nmounts == SPAWN_MAXMOUNTS)
				usage();
			rs.mounts[rs.nmounts++] = optarg;
			break;
		case 'p':
			pids = (uint32_t)strtonum(optarg, 2, 1 << 20, &errstr);
			if (errstr != NULL)
				errx(1, "pids %s", errstr);
			break;
		case 't':
			req.tmpfs_bytes = (uint64_t)strtonum(optarg, 4096,
			    1LL << 40, &errstr);
			if (errstr != NULL)
				errx(1, "tmpfs %s", errstr);
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
		case 'w':
			wait_s = strtonum(optarg, 1, 3600, &errstr);
			if (errstr != NULL)
				errx(1, "seconds %s", errstr);
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1 || argc > WR_MAXARGV)
		usage();
	log_init(1, 0);
	log_procinit("progdriver");
	log_setverbose(verbose);

	memset(&pj, 0, sizeof(pj));
	pj.nargs = (uint32_t)argc;
	pj.nenv = (uint32_t)nenv;
	if (pack(pj.args, sizeof(pj.args), argv, argc) == 0 ||
	    pack(pj.env, sizeof(pj.env), env, nenv) == 0)
		errx(1, "arguments or environment too long");
	pj.file_size = 64ULL << 20;
	pj.nofile = 256;
	pj.cpu_secs = 30;

	/* The monitor's part: a cgroup, then the template, as root. */
	if (cgroup_init("", errbuf, sizeof(errbuf)) == -1)
		errx(1, "%s", errbuf);
	snprintf(cgname, sizeof(cgname), "progdriver-%d", (int)getpid());
	if ((ncg = cgroup_create(cgname, memory, pids, 1, cgfds, 4, errbuf,
	    sizeof(errbuf))) == -1)
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

	/* A runner, as the monitor asks for one (monitor/template.c). */
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp) == -1)
		err(1, "socketpair");
	for (i = 0; i < ncg; i++)
		if (imsg_compose(&tibuf, IMSG_SPAWN_CGROUP, req.id, cgfds[i],
		    NULL, 0) == -1)
			err(1, "imsg_compose");
	if (imsg_compose(&tibuf, IMSG_SPAWN, req.id, sp[1], &req,
	    sizeof(req)) == -1 || imsgbuf_flush(&tibuf) == -1)
		err(1, "ask the template for a runner");
	if (next_imsg(&tibuf, &imsg) == 1) {
		if (imsg.hdr.type != IMSG_SPAWNED ||
		    imsg_get_data(&imsg, &sres, sizeof(sres)) == -1)
			errx(1, "unexpected message %u from the template",
			    imsg.hdr.type);
		imsg_free(&imsg);
		if (sres.pid <= 0)
			errx(1, "the template could not clone: %s",
			    strerror(sres.error));
		pid = sres.pid;
	}

	imsgbuf_init(&ibuf, sp[0]);
	if (pipe2(outp, O_CLOEXEC) == -1 || pipe2(errp, O_CLOEXEC) == -1)
		err(1, "pipe");
	if (pid != -1 && next_imsg(&ibuf, &imsg) == 1) {
		if (imsg.hdr.type != IMSG_RUNNER_READY)
			errx(1, "unexpected message %u from the runner",
			    imsg.hdr.type);
		imsg_free(&imsg);
		/* Made at SPAWN_NICE; the monitor's level is 0. */
		if (setpriority(PRIO_PROCESS, pid, 0) == -1)
			err(1, "setpriority");
		/* The queue closes each fd once it is sent. */
		if (input != NULL) {
			pf.fd = 0;
			if (imsg_compose(&ibuf, IMSG_PJOB_FD, 1,
			    file_memfd(input, "input", &isize), &pf,
			    sizeof(pf)) == -1)
				err(1, "imsg_compose");
		}
		pf.fd = 1;
		if (imsg_compose(&ibuf, IMSG_PJOB_FD, 1, outp[1], &pf,
		    sizeof(pf)) == -1)
			err(1, "imsg_compose");
		pf.fd = 2;
		if (imsg_compose(&ibuf, IMSG_PJOB_FD, 1, errp[1], &pf,
		    sizeof(pf)) == -1 ||
		    imsg_compose(&ibuf, IMSG_PJOB, 1, -1, &pj,
		    sizeof(pj)) == -1 || imsgbuf_flush(&ibuf) == -1)
			err(1, "send the job");
	} else {
		close(outp[1]);
		close(errp[1]);
	}

	/* Drain the collectors while waiting for the answer. */
	memset(&pr, 0, sizeof(pr));
	pfd[0].fd = sp[0];
	pfd[1].fd = outp[0];
	pfd[2].fd = errp[0];
	for (i = 0; i < 3; i++)
		pfd[i].events = POLLIN;
	deadline = time(NULL) + wait_s;
	while (pfd[0].fd != -1 || pfd[1].fd != -1 || pfd[2].fd != -1) {
		if (time(NULL) >= deadline && pid != -1) {
			kill(pid, SIGKILL);
			deadline = time(NULL) + 3600;
		}
		if ((n = poll(pfd, 3, 1000)) == -1) {
			if (errno == EINTR)
				continue;
			err(1, "poll");
		}
		for (i = 1; i < 3; i++)
			if (pfd[i].revents != 0 &&
			    drain(pfd[i].fd, i) <= 0) {
				close(pfd[i].fd);
				pfd[i].fd = -1;
			}
		if (pfd[0].revents == 0)
			continue;
		if ((n = (int)imsgbuf_read(&ibuf)) == -1 && errno != EAGAIN &&
		    errno != ECONNRESET)
			err(1, "read");
		while (n > 0 && imsg_get(&ibuf, &imsg) > 0) {
			if (imsg.hdr.type == IMSG_PRESULT &&
			    imsg_get_data(&imsg, &pr, sizeof(pr)) == 0)
				got = 1;
			imsg_free(&imsg);
		}
		if (n <= 0 && (n == 0 || errno == ECONNRESET)) {
			pfd[0].fd = -1;
			/* Whatever still holds the pipes is the runner's. */
			if (pid != -1)
				kill(pid, SIGKILL);
		}
	}
	if (pid != -1 && waitpid(pid, &status, 0) == -1)
		err(1, "waitpid");
	imsgbuf_clear(&ibuf);
	close(sp[0]);
	/* The template ends when its socket closes. */
	imsgbuf_clear(&tibuf);
	close(tsock);
	if (waitpid(tpid, NULL, 0) == -1)
		err(1, "waitpid");
	cgroup_destroy(cgname);

	fflush(stderr);
	pr.reason[sizeof(pr.reason) - 1] = '\0';
	if (!got) {
		if (pid == -1)
			printf("runner died: the template is gone\n");
		else if (WIFSIGNALED(status))
			printf("runner died: killed by SIG%s\n",
			    signame(WTERMSIG(status)));
		else
			printf("runner died: exited with %d\n",
			    WEXITSTATUS(status));
		return 2;
	}
	printf("%s %d peak %llu%s%s\n",
	    pr.how == PR_EXITED ? "exited" :
	    pr.how == PR_SIGNALLED ? "signalled" :
	    pr.how == PR_EXEC_FAILED ? "exec-failed" :
	    pr.how == PR_SYSCALL ? "syscall" :
	    pr.how == PR_SETUP_FAILED ? "setup-failed" : "unknown",
	    pr.code, (unsigned long long)pr.proc_peak,
	    pr.reason[0] != '\0' ? ": " : "", pr.reason);
	return 0;
}


/* n strings NUL-separated into buf: the bytes used, 0 if they overflow. */
static size_t
pack(char *buf, size_t len, char **s, int n)
{
	size_t	 off = 0, l;
	int	 i;

	for (i = 0; i < n; i++) {
		l = strlen(s[i]) + 1;
		if (l > len - off)
			return 0;
		memcpy(buf + off, s[i], l);
		off += l;
	}
	return off == 0 ? 1 : off;
}

/* Copy what the pipe has to our fd `to'; 0 at EOF. */
static int
drain(int fd, int to)
{
	char	 buf[65536];
	ssize_t	 n;

	if ((n = read(fd, buf, sizeof(buf))) <= 0)
		return n == -1 && errno == EINTR ? 1 : 0;
	if (to == 1)
		fwrite(buf, 1, (size_t)n, stdout);
	else
		fwrite(buf, 1, (size_t)n, stderr);
	return 1;
}

