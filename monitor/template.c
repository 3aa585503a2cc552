/*
 * The monitor's side of the runner template (runner/template.c).
 *
 * The monitor starts the template once, as root, through runner_spawn()
 * (spawn.c), and sends it one IMSG_SPAWN per runner, preceded by the
 * runner's cgroup directories; the template answers IMSG_SPAWNED with the
 * runner's pid, which runners.c takes from there.  A template that dies,
 * closes its socket or says something unexpected is lost: the runners
 * asked of it will not come, and it is restarted with a backoff.  This
 * file holds no runner; runners.c holds no template.
 */
#include <sys/types.h>
#include <sys/time.h>
#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "common.h"
#include "monitor.h"

static void	 template_start(void);
static void	 template_timer(int, short, void *);
static void	 template_dispatch(int, short, void *);
static void	 template_lost(const char *);
static void	 template_close(void);

static struct {
	pid_t			 pid;
	struct imsgev		 iev;
	int			 iev_up;
	int			 fails;		/* starts in a row that died */
	struct event		*timer;		/* restart */
} tpl = { .pid = -1 };

void
template_init(void)
{
	if ((tpl.timer = evtimer_new(mon->base, template_timer, NULL)) == NULL)
		fatalx("evtimer_new");
	template_start();
}

void
template_stop(void)
{
	evtimer_del(tpl.timer);
	if (tpl.pid != -1) {
		kill(tpl.pid, SIGKILL);
		waitpid(tpl.pid, NULL, 0);
		tpl.pid = -1;
	}
	template_close();
}

/* Whether a runner can be asked for now. */
int
template_ready(void)
{
	return tpl.iev_up;
}

/*
 * Ask for a runner: its cgroup directories, then the runner's end of its
 * socket with the spawn request.  Every fd passes to the queue, which
 * closes it once sent.
 */
void
template_spawn(const struct spawn_req *req, const int *cgfds, int ncg,
    int sock)
{
	int	 i;

	for (i = 0; i < ncg; i++)
		imsgev_compose(&tpl.iev, IMSG_SPAWN_CGROUP, req->id, cgfds[i],
		    NULL, 0);
	imsgev_compose(&tpl.iev, IMSG_SPAWN, req->id, sock, req, sizeof(*req));
}

/*
 * The monitor's SIGCHLD handler asks here first: 1 if pid was the
 * template's, which is then restarted.
 */
int
template_reaped(pid_t pid, int status)
{
	char	 why[64];

	if (pid != tpl.pid)
		return 0;
	tpl.pid = -1;
	if (WIFSIGNALED(status))
		snprintf(why, sizeof(why), "killed by SIG%s",
		    signame(WTERMSIG(status)));
	else
		snprintf(why, sizeof(why), "exited with status %d",
		    WEXITSTATUS(status));
	template_lost(why);
	return 1;
}

static void
template_start(void)
{
	struct runner_spawn	 rs;
	char			 prog[1100], err[WR_REASONLEN];
	int			 sock;

	if (mon->shutdown)
		return;
	snprintf(prog, sizeof(prog), "%s/webrunnerd-runner", mon->libexec);
	memset(&rs, 0, sizeof(rs));
	rs.prog = prog;
	rs.cgname = "";
	rs.root = mon->conf->chroot;
	rs.debug = mon->debug;
	rs.verbose = mon->verbose;
	rs.template = 1;
	if ((tpl.pid = runner_spawn(&rs, &sock, err, sizeof(err))) == -1) {
		template_lost(err);
		return;
	}
	if (imsgev_init(&tpl.iev, mon->base, sock, template_dispatch,
	    NULL) == -1)
		fatal("imsgev_init");
	tpl.iev_up = 1;
	runners_template_up();
}

static void
template_timer(int fd, short event, void *arg)
{
	(void)fd;
	(void)event;
	(void)arg;
	template_start();
}

/*
 * The template is gone or useless: runners it was asked for will not
 * come; it is restarted with a backoff like the network process.
 */
static void
template_lost(const char *why)
{
	struct timeval	 tv;

	log_warnx("runner template: %s", why);
	template_close();
	if (tpl.pid != -1)
		kill(tpl.pid, SIGKILL);		/* reaped: template_reaped() */
	runners_template_lost(why);
	if (mon->shutdown || tpl.pid != -1)
		return;		/* restarted once it has been reaped */
	respawn_delay(tpl.fails++, &tv);
	evtimer_add(tpl.timer, &tv);
}

/* Stop listening to the template and close our end of its socket. */
static void
template_close(void)
{
	if (!tpl.iev_up)
		return;
	imsgev_clear(&tpl.iev);
	close(tpl.iev.ibuf.fd);
	tpl.iev_up = 0;
}

static void
template_dispatch(int fd, short event, void *arg)
{
	struct imsg		 imsg;
	struct spawn_res	 res;
	ssize_t			 n;

	(void)fd;
	(void)arg;
	if (event & EV_WRITE) {
		template_lost("cannot write to it");
		return;
	}
	if ((n = imsgbuf_read(&tpl.iev.ibuf)) == -1 && errno != EAGAIN) {
		template_lost("read failed");
		return;
	}
	if (n == 0) {
		template_lost("it closed its socket");
		return;
	}
	for (;;) {
		if ((n = imsg_get(&tpl.iev.ibuf, &imsg)) == -1) {
			template_lost("malformed message");
			return;
		}
		if (n == 0)
			break;
		if (imsg.hdr.type != IMSG_SPAWNED ||
		    imsg_get_data(&imsg, &res, sizeof(res)) == -1) {
			imsg_free(&imsg);
			template_lost("unexpected message");
			return;
		}
		imsg_free(&imsg);
		if (res.pid > 0)
			tpl.fails = 0;
		runners_spawned(&res);
		if (!tpl.iev_up)
			return;
	}
	imsgev_add(&tpl.iev);
}
