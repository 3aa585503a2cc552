/*
 * The network process as a row of the process table (proc.c): how it is
 * started (fork + exec of webrunnerd-net with the listening sockets),
 * what it is told (its configuration and log files), and how it is
 * restarted.  What it may send, and the handlers, are dispatch.c's table,
 * given to net_init(); who must hear of its loss (the requests it asked
 * for have no client any more) is given there too.
 */
#include <sys/types.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "common.h"
#include "monitor.h"

#define NET_STABLE_SECS		30	/* uptime that resets the backoff */

static void	 net_start(struct proc *);
static void	 net_lost(struct proc *, const char *, int);
static void	 net_exited(struct proc *, int, const struct rusage *);
static void	 net_log_send(uint32_t, int);

static struct proc_kind	 net_kind = {
	.stable_secs = NET_STABLE_SECS,
	.start = net_start,
	.lost = net_lost,
	.exited = net_exited
};
static struct proc	 net;
static uint32_t		 net_gen;	/* which network process this is */
static void		(*net_gone)(void);

/*
 * Start the network process, whose messages are msgs (dispatch.c); gone
 * is called whenever one is lost, before the next one starts.
 */
void
net_init(const struct proc_msg *msgs, size_t nmsgs, void (*gone)(void))
{
	net_kind.msgs = msgs;
	net_kind.nmsgs = nmsgs;
	net_gone = gone;
	proc_init(&net, &net_kind, "network process");
	net_start(&net);
}

static void
net_start(struct proc *p)
{
	struct listen_addr	*la;
	char			 prog[1100], nl[16], nm[16], verbose[8];
	char			*argv[16];
	int			 fds[16], sp[2], n = 0, argc = 0, nlisten;
	pid_t			 pid;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp) == -1)
		fatal("socketpair");
	fds[n++] = sp[1];
	TAILQ_FOREACH(la, &mon->conf->listens, entry) {
		if (n >= 16)
			fatalx("too many listen addresses (at most 15)");
		fds[n++] = la->fd;
	}
	nlisten = n - 1;
	/* The metrics listeners follow the others. */
	TAILQ_FOREACH(la, &mon->conf->metrics, entry) {
		if (n >= 16)
			fatalx("too many listen addresses (at most 15, "
			    "metrics included)");
		fds[n++] = la->fd;
	}
	snprintf(prog, sizeof(prog), "%s/webrunnerd-net", mon->libexec);
	snprintf(nl, sizeof(nl), "%d", nlisten);
	snprintf(nm, sizeof(nm), "%d", n - 1 - nlisten);
	argv[argc++] = "webrunnerd-net";
	argc = log_flags(argv, argc, mon->debug, mon->verbose, verbose);
	argv[argc++] = "-u";
	argv[argc++] = mon->conf->user;
	argv[argc++] = "-c";
	argv[argc++] = mon->conf->chroot;
	argv[argc++] = "-l";
	argv[argc++] = nl;
	argv[argc++] = "-m";
	argv[argc++] = nm;
	argv[argc] = NULL;

	if ((pid = proc_exec(prog, argv, fds, n)) == -1)
		fatal("starting %s", prog);
	close(sp[1]);
	proc_set_pid(p, pid);
	proc_open(p, sp[0]);
	net_gen++;
	log_debug("network process started, pid %d", (int)pid);
	net_config_send();
}

void
net_config_send(void)
{
	struct net_config	 nc;

	if (!net.up)
		return;
	memset(&nc, 0, sizeof(nc));
	strlcpy(nc.machine_id, mon->conf->machine_id, sizeof(nc.machine_id));
	nc.max_body = mon->conf->max_body;
	nc.max_headers = mon->conf->max_headers;
	nc.timeout = mon->conf->timeout;
	nc.max_conns = mon->conf->max_conns;
	nc.max_conns_addr = mon->conf->max_conns_addr;
	nc.nexempt = mon->conf->nexempt;
	memcpy(nc.exempt, mon->conf->exempt, sizeof(nc.exempt));
	nc.head_ms = mon->conf->head_timeout;
	nc.body_ms = mon->conf->body_timeout;
	nc.body_rate = mon->conf->body_rate;
	nc.send_ms = mon->conf->send_timeout;
	nc.auth_monitor_open = mon->conf->auth_monitor_open != 0;
	nc.program_mode = mon->conf->program_mode != 0;
	nc.program_max_body = mon->conf->program_max_body;
	strlcpy(nc.auth_token, mon->conf->auth_token, sizeof(nc.auth_token));
	nc.access_log = mon->access_fd != -1 ? LOGD_FILE :
	    mon->conf->access_log == LOGD_OFF ? LOGD_OFF : LOGD_SYSLOG;
	nc.error_log = mon->error_fd != -1 ? LOGD_FILE : LOGD_SYSLOG;
	/* The files first, so that the new settings' lines go to them. */
	net_log_send(NET_LOG_ACCESS, mon->access_fd);
	net_log_send(NET_LOG_ERROR, mon->error_fd);
	proc_compose(&net, IMSG_NET_CONFIG, 0, -1, &nc, sizeof(nc));
	explicit_bzero(&nc, sizeof(nc));
}

/* A copy of a log file's descriptor: the imsg layer closes what it sends. */
static void
net_log_send(uint32_t kind, int fd)
{
	struct net_log	 nl;
	int		 dfd;

	if (fd == -1)
		return;
	if ((dfd = fcntl(fd, F_DUPFD_CLOEXEC, 3)) == -1) {
		log_warn("%s: dup", __func__);
		return;
	}
	memset(&nl, 0, sizeof(nl));
	nl.kind = kind;
	proc_compose(&net, IMSG_NET_LOG, 0, dfd, &nl, sizeof(nl));
}

/*
 * Answers carry the generation they were asked in: a restarted network
 * process must never get the answers meant for its predecessor's clients.
 */
uint32_t
net_generation(void)
{
	return net_gen;
}

int
net_compose(uint32_t type, uint32_t id, int fd, const void *data,
    size_t len)
{
	return proc_compose(&net, type, id, fd, data, len);
}

/* Its channel failed or it broke the protocol; proc.c kills it. */
static void
net_lost(struct proc *p, const char *why, int broke)
{
	(void)p;
	(void)why;
	(void)broke;
	net_gone();
}

static void
net_exited(struct proc *p, int status, const struct rusage *ru)
{
	(void)ru;
	if (p->up) {
		proc_close(p);
		net_gone();
	}
	if (mon->shutdown)
		return;
	if (WIFSIGNALED(status))
		log_warnx("network process killed by %s",
		    signame(WTERMSIG(status)));
	else
		log_warnx("network process exited with status %d",
		    WEXITSTATUS(status));
	log_info("restarting the network process in %ld ms",
	    proc_restart(p, 1));
}

void
net_stop(void)
{
	proc_stop(&net);
	if (net.pid != -1)
		kill(net.pid, SIGTERM);
}

/* At shutdown: wait for the network process, killing it if it lingers. */
void
net_wait(void)
{
	int	 i;

	for (i = 0; net.pid != -1 && i < 200; i++) {
		if (waitpid(net.pid, NULL, WNOHANG) == net.pid) {
			net.pid = -1;
			return;
		}
		usleep(10000);
	}
	if (net.pid != -1) {
		kill(net.pid, SIGKILL);
		waitpid(net.pid, NULL, 0);
		net.pid = -1;
	}
}

/*
 * A JSON answer: in the message when it fits, else in a sealed memfd,
 * which is how outputs of any size up to their limits travel.
 */
void
net_answer_json(uint32_t id, int code, json_t *j)
{
	static struct http_res	 hr;	/* 60 KiB, off the stack */
	char			*body;
	size_t			 len, off;
	ssize_t			 n;
	int			 fd;

	if ((body = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY)) == NULL)
		fatalx("json_dumps");
	len = strlen(body);
	memset(&hr, 0, HTTP_RES_HDRSIZE);
	hr.code = code;
	hr.json = 1;
	hr.outcome = RS_OK;
	if (len + 1 <= sizeof(hr.body)) {
		memcpy(hr.body, body, len);
		hr.body[len++] = '\n';
		hr.len = (uint32_t)len;
		net_compose(IMSG_HTTP_RES, id, -1, &hr,
		    HTTP_RES_SIZE(&hr));
		free(body);
		return;
	}
	if ((fd = memfd_create("answer", MFD_CLOEXEC | MFD_ALLOW_SEALING)) ==
	    -1)
		goto fail;
	for (off = 0; off < len; off += (size_t)n)
		if ((n = write(fd, body + off, len - off)) <= 0) {
			close(fd);
			goto fail;
		}
	if (write(fd, "\n", 1) != 1 || memfd_seal_all(fd) == -1) {
		close(fd);
		goto fail;
	}
	free(body);
	net_compose(IMSG_HTTP_BODY, id, fd, &hr, HTTP_RES_HDRSIZE);
	return;
fail:
	log_warn("answer of %zu bytes", len);
	free(body);
	format_error(500, RS_INTERNAL, "cannot pass the answer on", 1, &hr);
	net_compose(IMSG_HTTP_RES, id, -1, &hr, HTTP_RES_SIZE(&hr));
}

/*
 * A program-mode error: JSON in the one shape; a 503 says when to try
 * again.
 */
void
net_answer_error(uint32_t id, int code, const char *reason)
{
	struct http_res	 hr;

	format_error(code, code == 503 ? RS_UNAVAILABLE : code >= 500 ?
	    RS_INTERNAL : RS_BAD_JOB, reason, 1, &hr);
	if (code == 503)
		hr.retry_after = 5;
	net_compose(IMSG_HTTP_RES, id, -1, &hr, HTTP_RES_SIZE(&hr));
}
