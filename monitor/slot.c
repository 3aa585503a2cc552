/*
 * The runner slots: each slot's runner as a row of the process table
 * (proc.c).  A slot asks the runner template (template.c) for a runner
 * in a fresh cgroup: it creates the cgroup and sends the template its
 * directories and the runner's socket; the template answers with the
 * runner's pid, and the runner says it is ready.  The slot then waits
 * for the pool (pool.c) to give it a request, keeps its deadline, kills
 * it, and when it is reaped removes its cgroup and starts the next
 * runner: at once, or after proc.c's backoff when runners fail to
 * start.  What a runner may send, and what becomes of its request, are
 * its pool_kind's; the pool hears of ready and lost runners through the
 * hooks it gave slots_init().
 */
#include <sys/types.h>
#include <sys/resource.h>
#include <sys/socket.h>
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

#define MAX_RUNNERS		512	/* two per `runners' */

/* Runners reaped before the template said their pid. */
#define MAX_ORPHANS		64
static struct {
	pid_t			 pid;
	int			 status;
} orphans[MAX_ORPHANS];
static int		 norphans;

static void	 slot_start(struct proc *);
static void	 slot_lost(struct proc *, const char *, int);
static void	 slot_exited(struct proc *, int, const struct rusage *);
static void	 slot_deadline(int, short, void *);
static void	 slot_idle(struct slot *);
static void	 slot_spawn_failed(struct slot *, const char *);
static int	 slot_alive(const struct slot *);
static void	 template_up(void);
static void	 template_lost(const char *);
static void	 template_spawned(const struct spawn_res *);
static uint64_t	 usecs(const struct timeval *);

static const struct template_hooks tpl_hooks = {
	.up = template_up,
	.lost = template_lost,
	.spawned = template_spawned
};

static const struct pool_kind	*pk;
static const struct slot_hooks	*hooks;
static struct proc_kind	 slot_kind = {
	.quiet_eof = 1,		/* its end is judged when it is reaped */
	.start = slot_start,
	.lost = slot_lost,
	.exited = slot_exited
};
static struct slot	 slots[MAX_RUNNERS];
static int		 nslots;
static uint32_t		 seq;
static uint32_t		 spawn_seq;
static int		 ready_once;	/* a runner got ready since a failure */
static char		 last_error[WR_REASONLEN] = "no runner started yet";
static int		 cgroups_ok;
static uint64_t		 spawn_count;
static uint64_t		 spawn_usecs;	/* sum over spawn_count runners */
static uint64_t		 cpu_usecs;	/* reaped runners' CPU time */

void
slots_init(const struct pool_kind *kind, const struct slot_hooks *h)
{
	char	 err[WR_REASONLEN], name[32];
	int	 i;

	pk = kind;
	hooks = h;
	slot_kind.msgs = kind->msgs;
	slot_kind.nmsgs = kind->nmsgs;
	if (cgroup_init(mon->conf->cgroup_v2, err, sizeof(err)) == -1)
		log_warnx("cgroups: %s; runners will fail to start", err);
	else {
		cgroups_ok = 1;
		log_info("using cgroup v%d", cgroup_version());
		if ((i = cgroup_sweep()) > 0)
			log_info("removed %d runner cgroups of a monitor that "
			    "is gone", i);
	}
	/*
	 * Twice `runners' slots: while `runners' jobs run, as many runners
	 * wait ready, so a job's replacement is spawned while it runs.
	 */
	nslots = 2 * (int)mon->conf->runners;
	if (nslots > MAX_RUNNERS)
		nslots = MAX_RUNNERS;
	template_init(&tpl_hooks);
	for (i = 0; i < nslots; i++) {
		snprintf(name, sizeof(name), "runner slot %d", i);
		proc_init(&slots[i].p, &slot_kind, name);
		slots[i].index = i;
		if ((slots[i].deadline = evtimer_new(mon->base, slot_deadline,
		    &slots[i])) == NULL)
			fatalx("evtimer_new");
		slot_start(&slots[i].p);
	}
}

void
slots_stop(void)
{
	struct slot	*s;
	int		 i;

	template_stop();
	for (i = 0; i < nslots; i++) {
		s = &slots[i];
		evtimer_del(s->deadline);
		proc_stop(&s->p);
		if (s->p.pid != -1)
			kill(s->p.pid, SIGKILL);
		else if (s->p.state == SLOT_STARTING)
			cgroup_destroy(s->cgname);	/* kills it */
	}
	/* Reap here: the event loop is about to end. */
	for (i = 0; i < nslots; i++) {
		s = &slots[i];
		if (s->p.pid != -1 && waitpid(s->p.pid, NULL, 0) != -1) {
			s->p.pid = -1;
			cgroup_destroy(s->cgname);
		}
		if (s->req != NULL)
			pk->free(s->req);
		s->req = NULL;
	}
	cgroup_retry();
}

/* A slot's proc is its first member. */
struct slot *
slot_of(struct proc *p)
{
	return (struct slot *)(void *)p;
}

static void
slot_start(struct proc *p)
{
	struct slot		*s = slot_of(p);
	struct spawn_req	 req;
	char			 err[WR_REASONLEN];
	int			 cgfds[4], ncg, sp[2], i;

	p->state = SLOT_EMPTY;
	s->answered = s->timed_out = s->ready = 0;
	p->pid = -1;
	snprintf(p->name, sizeof(p->name), "runner slot %d", s->index);
	if (mon->shutdown)
		return;
	/* The monitor's pid keeps two daemons on one host apart. */
	snprintf(s->cgname, sizeof(s->cgname), "runner-%d-%d-%u",
	    (int)getpid(), s->index, seq++);
	if (!cgroups_ok) {
		strlcpy(last_error, "cgroups are not usable", sizeof(last_error));
		goto fail;
	}
	if (!template_ready()) {
		strlcpy(last_error, "the runner template is not running",
		    sizeof(last_error));
		goto fail;
	}
	if ((ncg = cgroup_create(s->cgname, mon->conf->memory_limit,
	    mon->conf->pids_limit, cgfds, 4, err, sizeof(err))) == -1) {
		strlcpy(last_error, err, sizeof(last_error));
		goto fail;
	}
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp) == -1) {
		snprintf(last_error, sizeof(last_error), "cgroup %s: %s",
		    s->cgname, strerror(errno));
		for (i = 0; i < ncg; i++)
			close(cgfds[i]);
		cgroup_destroy(s->cgname);
		goto fail;
	}
	memset(&req, 0, sizeof(req));
	req.id = s->spawn_id = ++spawn_seq;
	req.uid = mon->conf->runner_uid + (uint32_t)s->index;
	req.gid = req.uid;
	req.cpu_secs = mon->conf->time_limit / 1000 + 1;
	template_spawn(&req, cgfds, ncg, sp[1]);
	proc_open(p, sp[0]);
	p->state = SLOT_STARTING;
	gettimeofday(&s->spawned, NULL);
	return;
fail:
	log_warnx("runner slot %d: %s", s->index, last_error);
	ready_once = 0;
	proc_restart(p, 1);
	hooks->gone();
}

/* A runner that never got as far as a pid: undo its slot. */
static void
slot_spawn_failed(struct slot *s, const char *why)
{
	strlcpy(last_error, why, sizeof(last_error));
	log_warnx("runner slot %d: %s", s->index, why);
	proc_close(&s->p);
	cgroup_destroy(s->cgname);
	ready_once = 0;
	s->p.state = SLOT_EMPTY;
	proc_restart(&s->p, 1);
	hooks->gone();
}

/* The template is back: slots that waited for it try again now. */
static void
template_up(void)
{
	int	 i;

	for (i = 0; i < nslots; i++)
		if (slots[i].p.timer != NULL && slots[i].p.state == SLOT_EMPTY &&
		    slots[i].req == NULL)
			proc_restart_now(&slots[i].p);
}

/* The template is lost: the runners asked of it will not come. */
static void
template_lost(const char *why)
{
	int	 i;

	strlcpy(last_error, why, sizeof(last_error));
	for (i = 0; i < nslots; i++)
		if (slots[i].p.state == SLOT_STARTING && slots[i].p.pid == -1)
			slot_spawn_failed(&slots[i], "the runner template died");
}

/* The template says which pid a runner got. */
static void
template_spawned(const struct spawn_res *res)
{
	struct slot	*s = NULL;
	char		 why[WR_REASONLEN];
	int		 i, status;

	for (i = 0; i < nslots; i++)
		if (slots[i].p.state == SLOT_STARTING && slots[i].p.pid == -1 &&
		    slots[i].spawn_id == res->id)
			s = &slots[i];
	if (s == NULL) {
		/* Its slot gave up on it; it must not live on. */
		if (res->pid > 0)
			kill(res->pid, SIGKILL);
		return;
	}
	if (res->pid <= 0) {
		snprintf(why, sizeof(why), "the template cannot clone: %s",
		    strerror(res->error));
		slot_spawn_failed(s, why);
		return;
	}
	proc_set_pid(&s->p, res->pid);
	snprintf(s->p.name, sizeof(s->p.name), "runner slot %d pid %d",
	    s->index, (int)res->pid);
	/* SIGCHLD can come first: the runner died already. */
	for (i = 0; i < norphans; i++)
		if (orphans[i].pid == res->pid) {
			status = orphans[i].status;
			orphans[i] = orphans[--norphans];
			s->p.pid = -1;
			slot_exited(&s->p, status, NULL);
			return;
		}
	if (s->ready)
		slot_idle(s);
}

/*
 * IMSG_RUNNER_READY, in every kind's table: the runner is confined and
 * waits.  It is idle once the template has told its pid, too.
 */
int
slot_ready(struct proc *p, struct imsg *imsg)
{
	struct slot	*s = slot_of(p);

	(void)imsg;
	s->ready = 1;
	if (p->pid != -1)
		slot_idle(s);
	return 0;
}

/* Spawned, confined and known by its pid: it can take a job. */
static void
slot_idle(struct slot *s)
{
	struct timeval	 now, d;
	int		 first = !ready_once;

	/*
	 * Made at the template's SPAWN_NICE, the runner serves its job at
	 * the configured level.  Failing that (it died since it said it was
	 * ready) it is not given a job; the reaper replaces it.
	 */
	if (setpriority(PRIO_PROCESS, s->p.pid, mon->conf->nice) == -1) {
		log_warnx("%s: cannot set its nice level", s->p.name);
		slot_kill(s);
		return;
	}
	gettimeofday(&now, NULL);
	timersub(&now, &s->spawned, &d);
	if (d.tv_sec >= 0 && d.tv_sec < 3600) {
		spawn_count++;
		spawn_usecs += usecs(&d);
	}
	s->p.state = SLOT_IDLE;
	proc_proven(&s->p);
	ready_once = 1;
	hooks->ready(first);
}

/* The job's time is up: kill it; the reaper tells the kind so. */
static void
slot_deadline(int fd, short event, void *arg)
{
	struct slot	*s = arg;

	(void)fd;
	(void)event;
	if (s->p.state == SLOT_BUSY) {
		s->timed_out = 1;
		slot_kill(s);
	}
}

/* The job may run so long, from now. */
void
slot_set_deadline(struct slot *s, uint64_t ms)
{
	struct timeval	 tv;

	tv.tv_sec = ms / 1000;
	tv.tv_usec = (ms % 1000) * 1000;
	evtimer_add(s->deadline, &tv);
}

/* Kill a runner; its pid namespace, and with it everything, goes too. */
void
slot_kill(struct slot *s)
{
	if (s->p.pid != -1) {
		/* Its teardown, too, yields to the jobs still running. */
		setpriority(PRIO_PROCESS, s->p.pid, SPAWN_NICE);
		kill(s->p.pid, SIGKILL);
	}
	proc_close(&s->p);
	if (s->p.state == SLOT_BUSY)
		s->p.state = SLOT_DONE;
}

/*
 * Its channel failed, or it broke the protocol.  Once the job is out, a
 * broken protocol is its kernel's doing (the result socket is the one
 * thing the kernel may write to), and the request fails with that reason
 * now: left to the reaper, the answer would depend on whether the kill or
 * the runner's own exit came first.  proc.c kills it after this.
 */
static void
slot_lost(struct proc *p, const char *why, int broke)
{
	struct slot	*s = slot_of(p);

	if (broke && p->state == SLOT_BUSY && !s->answered)
		pk->broke(s, why);
	slot_kill(s);
}

/*
 * Whether a runner is ready or serving: the service can run jobs; if
 * not, why not in reason.
 */
int
slots_healthy(char *reason, size_t len)
{
	int	 i;

	for (i = 0; i < nslots; i++)
		if (slots[i].p.state == SLOT_IDLE ||
		    slots[i].p.state == SLOT_BUSY ||
		    slots[i].p.state == SLOT_DONE)
			return 1;
	/* Between runs every slot may be respawning; that is fine. */
	if (ready_once)
		return slots_alive(reason, len);
	snprintf(reason, len, "no runner is ready yet: %s", last_error);
	return 0;
}

/*
 * A slot that has or will soon have a runner: anything but one waiting
 * out a backoff after failures.  A slot between a finished runner and its
 * replacement, respawned at once, counts.
 */
static int
slot_alive(const struct slot *s)
{
	return s->p.state != SLOT_EMPTY || s->p.fails == 0;
}

/* Whether any slot is alive; if none, why not, in err. */
int
slots_alive(char *err, size_t errlen)
{
	int	 i;

	for (i = 0; i < nslots; i++)
		if (slot_alive(&slots[i]))
			return 1;
	snprintf(err, errlen, "no runner can start: %s", last_error);
	return 0;
}

/*
 * The slot the next job goes to: the idle one that has waited longest,
 * so that none of the pool sits unused; NULL when none is idle or
 * `running' jobs are running already.
 */
struct slot *
slots_next(int running)
{
	struct slot	*s = NULL;
	int		 i, n = 0;

	for (i = 0; i < nslots; i++)
		if (slots[i].p.state == SLOT_BUSY && !slots[i].answered)
			n++;
	if (n >= running)
		return NULL;
	for (i = 0; i < nslots; i++)
		if (slots[i].p.state == SLOT_IDLE && (s == NULL ||
		    timercmp(&slots[i].spawned, &s->spawned, <)))
			s = &slots[i];
	return s;
}

/*
 * A child that is no row of the process table: a runner whose pid the
 * template has not told yet.  Its CPU time counts now.
 */
void
slots_orphan(pid_t pid, int status, const struct rusage *ru)
{
	struct timeval	 cpu;

	timeradd(&ru->ru_utime, &ru->ru_stime, &cpu);
	cpu_usecs += usecs(&cpu);
	if (norphans == MAX_ORPHANS)
		memmove(&orphans[0], &orphans[1],
		    sizeof(orphans[0]) * --norphans);
	orphans[norphans].pid = pid;
	orphans[norphans++].status = status;
}

/*
 * The runner is gone.  If its request was not answered yet, the kind
 * makes its death the answer; then the cgroup goes and a new runner
 * takes over.
 */
static void
slot_exited(struct proc *p, int status, const struct rusage *ru)
{
	struct slot	*s = slot_of(p);
	struct timeval	 cpu;
	int		 i, failed = 0;

	/*
	 * Its CPU time is the whole run's: it is the only process of its
	 * pid namespace and can start none.  NULL: counted already, as an
	 * orphan.
	 */
	if (ru != NULL) {
		timeradd(&ru->ru_utime, &ru->ru_stime, &cpu);
		cpu_usecs += usecs(&cpu);
	}
	evtimer_del(s->deadline);
	/*
	 * SIGCHLD can be handled before the socket shows readable: whatever
	 * the runner wrote before it exited is in the socket now, so read it
	 * first; only a runner that wrote nothing is answered by its death.
	 */
	for (i = 0; i < 8 && p->up && s->req != NULL && !s->answered; i++)
		proc_read(p);
	proc_close(p);
	if (s->req != NULL && !s->answered)
		pk->died(s, status);
	else if (p->state == SLOT_STARTING) {
		ready_once = 0;
		failed = 1;
		snprintf(last_error, sizeof(last_error), "runner failed to "
		    "start (%s %d)", WIFSIGNALED(status) ? "signal" : "status",
		    WIFSIGNALED(status) ? WTERMSIG(status) :
		    WEXITSTATUS(status));
		log_warnx("runner slot %d: %s", s->index, last_error);
	}
	if (s->req != NULL)
		pk->free(s->req);
	s->req = NULL;
	if (cgroup_destroy(s->cgname) == -1)
		log_warn("cannot remove cgroup %s", s->cgname);
	p->state = SLOT_EMPTY;
	proc_restart(p, failed);
	hooks->gone();
}

void
slots_stats(struct pool_stats *ps)
{
	int	 i;

	memset(ps, 0, sizeof(*ps));
	ps->size = nslots;
	for (i = 0; i < nslots; i++) {
		switch (slots[i].p.state) {
		case SLOT_IDLE:
			ps->idle++;
			break;
		case SLOT_BUSY:
		case SLOT_DONE:
			ps->busy++;
			break;
		case SLOT_STARTING:
			ps->starting++;
			break;
		case SLOT_EMPTY:
			ps->empty++;
			break;
		}
	}
	ps->cgroup_version = cgroups_ok ? cgroup_version() : 0;
	ps->spawns = spawn_count;
	ps->spawn_usecs = spawn_usecs;
	ps->cpu_usecs = cpu_usecs;
	strlcpy(ps->last_error, last_error, sizeof(ps->last_error));
}

static uint64_t
usecs(const struct timeval *tv)
{
	return (uint64_t)tv->tv_sec * 1000000 + (uint64_t)tv->tv_usec;
}
