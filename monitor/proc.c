/*
 * The monitor's table of processes: the lowest layer of monitor/.
 *
 * The network process, the runner template and every runner slot is a
 * struct proc whose struct proc_kind says how it starts, what it may send
 * in which state (a table of struct proc_msg, like OpenSSH's mon_table),
 * and what its owner does when it is lost or exits.  One reader serves
 * them all: a message that is not in the table, not allowed in the
 * process's state, sent twice where once is allowed, of the wrong size,
 * with a descriptor where none belongs or none where one does, or that
 * its handler rejects, is a violation, handled in proc_fault(): logged
 * once, the channel closed, the owner told, the process killed.  Its
 * exit then comes back through proc_reaped(), and its owner restarts it
 * with proc_restart(), the one backoff of the monitor.
 *
 * This file calls nothing else in monitor/: the owners (netproc.c,
 * template.c, slot.c) reach it, and it reaches them only through their
 * proc_kind.  It also starts the network process's executable:
 * proc_exec() is fork + exec.  The template is cloned into its
 * namespaces by spawn.c, and the runners are clones of the template.
 */
#include <sys/types.h>
#include <sys/prctl.h>
#include <sys/queue.h>
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

#define RESPAWN_MIN_MS		100
#define RESPAWN_MAX_MS		10000

static void	 proc_dispatch(int, short, void *);
static void	 proc_handle(struct proc *, struct imsg *);
static void	 proc_fault(struct proc *, const char *, const char *, int);
static void	 proc_timer(int, short, void *);
static void	 proc_backoff(int, struct timeval *);

static LIST_HEAD(, proc) procs = LIST_HEAD_INITIALIZER(procs);

/*
 * fork + exec prog with fds[i] as descriptor 3 + i and nothing else open
 * beyond stdin, stdout and stderr.  PR_SET_PDEATHSIG makes the kernel
 * kill it if the monitor dies, so that it never outlives the monitor.
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

/*
 * How long to wait before another try after `fails' failures in a row
 * (0 for the first): RESPAWN_MIN_MS, doubled per failure, at most
 * RESPAWN_MAX_MS.
 */
static void
proc_backoff(int fails, struct timeval *tv)
{
	int	 ms = RESPAWN_MIN_MS, i;

	for (i = 0; i < fails && ms < RESPAWN_MAX_MS; i++)
		ms *= 2;
	if (ms > RESPAWN_MAX_MS)
		ms = RESPAWN_MAX_MS;
	tv->tv_sec = ms / 1000;
	tv->tv_usec = (ms % 1000) * 1000;
}

/* A row of the table: it has no process and no channel yet. */
void
proc_init(struct proc *p, const struct proc_kind *kind, const char *name)
{
	memset(p, 0, sizeof(*p));
	p->kind = kind;
	p->pid = -1;
	strlcpy(p->name, name, sizeof(p->name));
	if ((p->timer = evtimer_new(mon->base, proc_timer, p)) == NULL)
		fatalx("evtimer_new");
	LIST_INSERT_HEAD(&procs, p, entry);
}

/* A fresh process: it may send again what it may send once. */
void
proc_open(struct proc *p, int fd)
{
	p->seen = 0;
	if (imsgev_init(&p->iev, mon->base, fd, proc_dispatch, p) == -1)
		fatal("imsgev_init");
	p->up = 1;
}

void
proc_set_pid(struct proc *p, pid_t pid)
{
	p->pid = pid;
	p->started = time(NULL);
}

/* Stop listening to it and close the monitor's end of its channel. */
void
proc_close(struct proc *p)
{
	if (!p->up)
		return;
	imsgev_clear(&p->iev);
	close(p->iev.ibuf.fd);
	p->up = 0;
}

/* Send it a message; fd passes to the queue, or is closed. */
int
proc_compose(struct proc *p, uint32_t type, uint32_t id, int fd,
    const void *data, size_t len)
{
	if (!p->up) {
		if (fd != -1)
			close(fd);
		return -1;
	}
	return imsgev_compose(&p->iev, type, id, fd, data, len);
}

/*
 * Log once, close the channel, let the owner answer for what the
 * process was doing (broke: by breaking the protocol, else its channel
 * failed), and kill it.  Its restart follows its exit.
 */
static void
proc_fault(struct proc *p, const char *why, const char *detail, int broke)
{
	if (!p->up)
		return;
	log_warnx("%s: %s%s; restarting it", p->name, why,
	    detail != NULL ? detail : "");
	proc_close(p);
	if (p->kind->lost != NULL)
		p->kind->lost(p, why, broke);
	if (p->pid != -1)
		kill(p->pid, SIGKILL);
}

/* Read what it sent and dispatch every whole message. */
void
proc_read(struct proc *p)
{
	struct imsg	 imsg;
	ssize_t		 n;

	if ((n = imsgbuf_read(&p->iev.ibuf)) == -1 && errno != EAGAIN &&
	    errno != EWOULDBLOCK) {
		proc_fault(p, "read failed", NULL, 0);
		return;
	}
	if (n == 0) {
		if (p->kind->quiet_eof)
			proc_close(p);
		else
			proc_fault(p, "closed its channel", NULL, 0);
		return;
	}
	while (p->up) {
		if ((n = imsg_get(&p->iev.ibuf, &imsg)) == -1) {
			proc_fault(p, "malformed message", NULL, 1);
			return;
		}
		if (n == 0)
			break;
		proc_handle(p, &imsg);
		imsg_free(&imsg);
	}
	if (p->up)
		imsgev_add(&p->iev);
}

static void
proc_dispatch(int fd, short event, void *arg)
{
	struct proc	*p = arg;

	(void)fd;
	if (event & EV_WRITE) {
		proc_fault(p, "cannot write to it", NULL, 0);
		return;
	}
	proc_read(p);
}

/* One message against the process's table. */
static void
proc_handle(struct proc *p, struct imsg *imsg)
{
	const struct proc_msg	*m = NULL;
	char			 why[64], detail[64];
	uint32_t		 type = imsg->hdr.type, bit;
	size_t			 i;

	for (i = 0; i < p->kind->nmsgs; i++)
		if (p->kind->msgs[i].type == type)
			m = &p->kind->msgs[i];
	bit = type < 32 ? 1U << type : 0;
	if (m == NULL || (m->states & PS(p->state)) == 0 ||
	    ((m->flags & PM_ONCE) && (p->seen & bit))) {
		snprintf(detail, sizeof(detail), " (type %u in state %d)",
		    type, p->state);
		proc_fault(p, "unexpected message", detail, 1);
		return;
	}
	snprintf(why, sizeof(why), "malformed %s", m->name);
	if (imsg->len != m->len ||
	    (!(m->flags & PM_MAYFD) &&
	    (imsg->fd != -1) != ((m->flags & PM_FD) != 0))) {
		snprintf(detail, sizeof(detail), " (%zu bytes%s)", imsg->len,
		    imsg->fd != -1 ? " and a descriptor" : "");
		proc_fault(p, why, detail, 1);
		return;
	}
	p->seen |= bit;
	if (m->handler(p, imsg) == -1)
		proc_fault(p, why, NULL, 1);
}

/*
 * The monitor's SIGCHLD handler asks here first: 1 if pid was one of the
 * table's processes, whose owner then learns how it ended.
 */
int
proc_reaped(pid_t pid, int status, const struct rusage *ru)
{
	struct proc	*p;

	LIST_FOREACH(p, &procs, entry) {
		if (p->pid != pid)
			continue;
		/* Reaped: its pid may be anyone's now, never signalled. */
		p->pid = -1;
		p->kind->exited(p, status, ru);
		return 1;
	}
	return 0;
}

/* It did what a healthy process does: its next failure starts afresh. */
void
proc_proven(struct proc *p)
{
	p->fails = 0;
}

/*
 * Start it again: at once if it has not failed, else after the backoff
 * of its failures in a row.  A process that ran for its kind's
 * stable_secs has not failed in a row.  Returns the delay in ms.
 */
long
proc_restart(struct proc *p, int failed)
{
	struct timeval	 tv = { 0, 0 };

	if (p->kind->stable_secs > 0 &&
	    time(NULL) - p->started >= p->kind->stable_secs)
		p->fails = 0;
	if (failed)
		p->fails++;
	if (p->fails > 0)
		proc_backoff(p->fails - 1, &tv);
	evtimer_del(p->timer);
	evtimer_add(p->timer, &tv);
	return (long)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

/* Start it now, forgetting its failures: what it waited for is back. */
void
proc_restart_now(struct proc *p)
{
	evtimer_del(p->timer);
	p->fails = 0;
	p->kind->start(p);
}

/* At shutdown: no restart, no channel. */
void
proc_stop(struct proc *p)
{
	evtimer_del(p->timer);
	proc_close(p);
}

static void
proc_timer(int fd, short event, void *arg)
{
	struct proc	*p = arg;

	(void)fd;
	(void)event;
	if (!mon->shutdown)
		p->kind->start(p);
}
