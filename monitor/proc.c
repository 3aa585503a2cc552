/*
 * Starting helper processes, and the life of the network process.
 *
 * Every helper is started with fork + exec so it gets a fresh address
 * space holding none of the monitor's memory, and with exactly the
 * descriptors it needs renumbered from 3 up.  PR_SET_PDEATHSIG makes the
 * kernel kill it if the monitor dies, so no helper outlives the monitor.
 */
#include <sys/types.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "common.h"
#include "monitor.h"

#define NET_STABLE_SECS		30	/* uptime that resets the backoff */

static void	 net_dispatch(int, short, void *);
static void	 net_restart_cb(int, short, void *);
static void	 net_log_send(uint32_t, int);

static struct imsgev	 net_iev;
static int		 net_up;
static uint32_t		 net_gen;	/* which network process this is */
static pid_t		 net_pid = -1;
static time_t		 net_started;
static int		 net_fails;	/* restarts since it last held */
static struct event	*net_restart_ev;

/*
 * fork + exec prog with fds[i] as descriptor 3 + i and nothing else open
 * beyond stdin, stdout and stderr.
 */
pid_t
proc_exec(const char *prog, char *const argv[], const int *fds, int nfds)
{
	sigset_t	 all, old;
	pid_t		 pid;
	int		 i, tmp[16], target[16];

	if (nfds > 16) {
		errno = EINVAL;
		return -1;
	}
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	switch (pid = fork()) {
	case -1:
		sigprocmask(SIG_SETMASK, &old, NULL);
		return -1;
	case 0:
		break;
	default:
		sigprocmask(SIG_SETMASK, &old, NULL);
		return pid;
	}

	/* Child. */
	for (i = 1; i < NSIG; i++)
		signal(i, SIG_DFL);
	sigprocmask(SIG_SETMASK, &old, NULL);
	sigemptyset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1)
		_exit(127);
	if (getppid() == 1)
		_exit(127);
	/* Move fds out of the way first, so dup2 never clobbers a source. */
	for (i = 0; i < nfds; i++) {
		if ((tmp[i] = fcntl(fds[i], F_DUPFD_CLOEXEC, 64)) == -1)
			_exit(127);
		target[i] = 3 + i;
	}
	for (i = 0; i < nfds; i++)
		if (dup2(tmp[i], target[i]) == -1)
			_exit(127);
	closefrom_except(3, target, nfds);
	execv(prog, argv);
	dprintf(STDERR_FILENO, "exec %s: %s\n", prog, strerror(errno));
	_exit(127);
}

void
net_start(void)
{
	struct listen_addr	*la;
	char			 prog[1100], nl[16], nm[16], verbose[8];
	char			*argv[16];
	int			 fds[16], sp[2], n = 0, argc = 0, nlisten;

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

	if ((net_pid = proc_exec(prog, argv, fds, n)) == -1)
		fatal("starting %s", prog);
	close(sp[1]);
	net_started = time(NULL);
	if (imsgev_init(&net_iev, mon->base, sp[0], net_dispatch, NULL) == -1)
		fatal("imsgev_init");
	net_up = 1;
	net_gen++;
	log_debug("network process started, pid %d", (int)net_pid);
	net_config_send();
}

void
net_config_send(void)
{
	struct net_config	 nc;

	if (!net_up)
		return;
	memset(&nc, 0, sizeof(nc));
	strlcpy(nc.machine_id, mon->conf->machine_id, sizeof(nc.machine_id));
	nc.max_body = mon->conf->max_body;
	nc.max_headers = mon->conf->max_headers;
	nc.timeout = mon->conf->timeout;
	nc.max_conns = mon->conf->max_conns;
	nc.auth_monitor_open = mon->conf->auth_monitor_open != 0;
	strlcpy(nc.auth_token, mon->conf->auth_token, sizeof(nc.auth_token));
	nc.access_log = mon->access_fd != -1 ? LOGD_FILE :
	    mon->conf->access_log == LOGD_OFF ? LOGD_OFF : LOGD_SYSLOG;
	nc.error_log = mon->error_fd != -1 ? LOGD_FILE : LOGD_SYSLOG;
	/* The files first, so that the new settings' lines go to them. */
	net_log_send(NET_LOG_ACCESS, mon->access_fd);
	net_log_send(NET_LOG_ERROR, mon->error_fd);
	imsgev_compose(&net_iev, IMSG_NET_CONFIG, 0, -1, &nc, sizeof(nc));
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
	imsgev_compose(&net_iev, IMSG_NET_LOG, 0, dfd, &nl, sizeof(nl));
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
	if (!net_up) {
		if (fd != -1)
			close(fd);
		return -1;
	}
	return imsgev_compose(&net_iev, type, id, fd, data, len);
}

/*
 * The network process misbehaved or died: drop the channel and kill it.
 * Its exit is noticed in net_reaped(), which schedules the restart.
 */
static void
net_kill(const char *why)
{
	if (net_up) {
		log_warnx("network process: %s; restarting it", why);
		imsgev_clear(&net_iev);
		close(net_iev.ibuf.fd);
		net_up = 0;
		runners_net_lost();
	}
	if (net_pid != -1)
		kill(net_pid, SIGKILL);
}

void
net_stop(void)
{
	if (net_up) {
		imsgev_clear(&net_iev);
		close(net_iev.ibuf.fd);
		net_up = 0;
	}
	if (net_pid != -1)
		kill(net_pid, SIGTERM);
	if (net_restart_ev != NULL)
		event_del(net_restart_ev);
}

int
net_reaped(pid_t pid, int status)
{
	struct timeval	 tv;

	if (pid != net_pid)
		return 0;
	net_pid = -1;
	if (net_up) {
		imsgev_clear(&net_iev);
		close(net_iev.ibuf.fd);
		net_up = 0;
		runners_net_lost();
	}
	if (mon->shutdown)
		return 1;
	if (WIFSIGNALED(status))
		log_warnx("network process killed by %s",
		    signame(WTERMSIG(status)));
	else
		log_warnx("network process exited with status %d",
		    WEXITSTATUS(status));
	if (time(NULL) - net_started >= NET_STABLE_SECS)
		net_fails = 0;
	respawn_delay(net_fails++, &tv);
	log_info("restarting the network process in %lld ms",
	    (long long)tv.tv_sec * 1000 + tv.tv_usec / 1000);
	if (net_restart_ev == NULL &&
	    (net_restart_ev = evtimer_new(mon->base, net_restart_cb,
	    NULL)) == NULL)
		fatalx("evtimer_new");
	evtimer_add(net_restart_ev, &tv);
	return 1;
}

static void
net_restart_cb(int fd, short event, void *arg)
{
	(void)fd;
	(void)event;
	(void)arg;
	if (!mon->shutdown && net_pid == -1)
		net_start();
}

static void
net_dispatch(int fd, short event, void *arg)
{
	struct imsg	 imsg;
	ssize_t		 n;

	(void)fd;
	(void)arg;
	if (event & EV_WRITE) {
		net_kill("write failed");
		return;
	}
	if ((n = imsgbuf_read(&net_iev.ibuf)) == -1) {
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			goto done;
		net_kill("read failed");
		return;
	}
	if (n == 0) {
		net_kill("closed its channel");
		return;
	}
	for (;;) {
		if ((n = imsg_get(&net_iev.ibuf, &imsg)) == -1) {
			net_kill("sent a malformed message");
			return;
		}
		if (n == 0)
			break;
		dispatch_net(&imsg);
		imsg_free(&imsg);
		if (!net_up)
			return;
	}
done:
	imsgev_add(&net_iev);
}

/* A protocol violation by the network process ends it, not the monitor. */
void
net_violation(const char *why)
{
	net_kill(why);
}

/* At shutdown: wait for the network process, killing it if it lingers. */
void
net_wait(void)
{
	int	 i;

	for (i = 0; net_pid != -1 && i < 200; i++) {
		if (waitpid(net_pid, NULL, WNOHANG) == net_pid) {
			net_pid = -1;
			return;
		}
		usleep(10000);
	}
	if (net_pid != -1) {
		kill(net_pid, SIGKILL);
		waitpid(net_pid, NULL, 0);
		net_pid = -1;
	}
}
