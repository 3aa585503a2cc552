/*
 * The runner slots: each slot's runner as a row of the process table
 * (proc.c).  A slot asks the runner template (template.c) for a runner
 * in a cgroup of the slot's: it sends the template the cgroup's
 * directories and the runner's socket; the template answers with the
 * runner's pid, and the runner says it is ready.  The slot then waits
 * for the pool (pool.c) to give it a request, keeps its deadline, kills
 * it, and when it is reaped starts the next runner: at once, or after
 * proc.c's backoff when runners fail to start.  A program runner's
 * cgroup is removed once it is reaped, so that the next one's peaks are
 * its own; a kernel runner's is kept for the next runner if nothing of
 * the last is left in it (cgroup_reuse()), and replaced if anything is.
 * What a runner may send, and what becomes of its request, are its
 * pool_kind's; the pool hears of ready and lost runners through the
 * hooks it gave slots_init().
 */
#include <sys/types.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "common.h"
#include "monitor.h"

/* Runners reaped before the template said their pid. */
#define MAX_ORPHANS		64
static struct {
	pid_t			 pid;
	int			 status;
	uint64_t		 cpu;		/* usecs */
} orphans[MAX_ORPHANS];
static int		 norphans;

static void	 slot_start(struct proc *);
static void	 slot_lost(struct proc *, const char *, int);
static void	 slot_exited(struct proc *, int, const struct rusage *);
static void	 slot_deadline(int, short, void *);
static int	 slot_left(const struct slot *, struct timeval *);
static void	 slot_idle(struct slot *);
static void	 slot_spawn_failed(struct slot *, const char *);
static int	 slot_cgroup(struct slot *, uint64_t, uint32_t, int *, char *,
		    size_t);
static void	 slot_cgroup_drop(struct slot *);
static int	 slot_alive(const struct slot *);
static void	 template_up(struct pool *);
static void	 template_lost(struct pool *, const char *);
static void	 template_spawned(struct pool *, const struct spawn_res *);
static uint64_t	 usecs(const struct timeval *);

static const struct template_hooks tpl_hooks = {
	.up = template_up,
	.lost = template_lost,
	.spawned = template_spawned
};

static int		 cgroups_ok;

/*
 * The cgroups, once for every pool: main() calls it before the monitor
 * gives up CAP_DAC_OVERRIDE and before any pool starts.  Where the
 * hierarchy's root is mode 0555 (as a container runtime mounts it), only
 * that capability lets root make webrunnerd/ there.  What is made below
 * it later is the monitor's own.
 */
void
cgroups_init(void)
{
	char	 err[WR_REASONLEN];
	int	 n;

	if (cgroup_init(mon->conf->cgroup_v2, err, sizeof(err)) == -1)
		log_warnx("cgroups: %s; runners will fail to start", err);
	else {
		cgroups_ok = 1;
		log_info("using cgroup v%d", cgroup_version());
		if ((n = cgroup_sweep()) > 0)
			log_info("removed %d runner cgroups of a monitor that "
			    "is gone", n);
	}
}

void
slots_init(struct pool *pl, const struct slot_hooks *h)
{
	struct proc_kind	*pk;
	char			 name[64];
	int			 i;

	pl->slot_hooks = h;
	strlcpy(pl->last_error, "no runner started yet",
	    sizeof(pl->last_error));
	if ((pk = calloc(1, sizeof(*pk))) == NULL)
		fatal("calloc");
	pk->quiet_eof = 1;	/* its end is judged when it is reaped */
	pk->start = slot_start;
	pk->lost = slot_lost;
	pk->exited = slot_exited;
	pk->msgs = pl->kind->msgs;
	pk->nmsgs = pl->kind->nmsgs;
	/*
	 * Twice `runners' slots: while `runners' jobs run, as many runners
	 * wait ready, so a job's replacement is spawned while it runs.
	 */
	pl->nslots = 2 * (int)pl->kind->running();
	if (pl->nslots > MAX_RUNNERS)
		pl->nslots = MAX_RUNNERS;
	if ((pl->slots = calloc((size_t)pl->nslots, sizeof(*pl->slots))) ==
	    NULL)
		fatal("calloc");
	template_init(pl, &tpl_hooks);
	for (i = 0; i < pl->nslots; i++) {
		snprintf(name, sizeof(name), "%s slot %d", pl->kind->name, i);
		proc_init(&pl->slots[i].p, pk, name);
		pl->slots[i].index = i;
		pl->slots[i].pool = pl;
		if ((pl->slots[i].deadline = evtimer_new(mon->base,
		    slot_deadline, &pl->slots[i])) == NULL)
			fatalx("evtimer_new");
		slot_start(&pl->slots[i].p);
	}
}

void
slots_stop(struct pool *pl)
{
	struct slot	*s;
	int		 i;

	template_stop(pl);
	for (i = 0; i < pl->nslots; i++) {
		s = &pl->slots[i];
		evtimer_del(s->deadline);
		proc_stop(&s->p);
		if (s->p.pid != -1)
			kill(s->p.pid, SIGKILL);
		else if (s->p.state == SLOT_STARTING)
			slot_cgroup_drop(s);	/* kills it */
	}
	/* Reap here: the event loop is about to end. */
	for (i = 0; i < pl->nslots; i++) {
		s = &pl->slots[i];
		if (s->p.pid != -1 && waitpid(s->p.pid, NULL, 0) != -1)
			s->p.pid = -1;
		/* Kept or not, with the runner reaped or not: it goes. */
		if (s->p.pid == -1 && s->ncg > 0)
			slot_cgroup_drop(s);
		if (s->req != NULL)
			pl->kind->free(s->req);
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
	struct pool		*pl = s->pool;
	struct spawn_req	 req;
	struct timespec		 t0;
	char			 err[WR_REASONLEN];
	uint64_t		 memory;
	uint32_t		 pids;
	int			 cgfds[4], ncg, sp[2], i;

	p->state = SLOT_EMPTY;
	s->answered = s->timed_out = s->ready = 0;
	s->cpu_usecs = 0;
	s->plan_ns = 0;
	p->pid = -1;
	snprintf(p->name, sizeof(p->name), "%s slot %d", pl->kind->name,
	    s->index);
	if (mon->shutdown)
		return;
	if (cgroups_ok != 1) {
		strlcpy(pl->last_error, "cgroups are not usable",
		    sizeof(pl->last_error));
		goto fail;
	}
	if (!template_ready(pl)) {
		snprintf(pl->last_error, sizeof(pl->last_error), "the %s "
		    "template is not running", pl->kind->name);
		goto fail;
	}
	memset(&req, 0, sizeof(req));
	pl->kind->spawn(&req, &memory, &pids);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ncg = slot_cgroup(s, memory, pids, cgfds, err, sizeof(err));
	pool_stage(pl, STAGE_CGROUP, &t0);
	if (ncg == -1) {
		strlcpy(pl->last_error, err, sizeof(pl->last_error));
		goto fail;
	}
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp) == -1) {
		snprintf(pl->last_error, sizeof(pl->last_error), "cgroup %s: "
		    "%s", s->cgname, strerror(errno));
		for (i = 0; i < ncg; i++)
			close(cgfds[i]);
		slot_cgroup_drop(s);
		goto fail;
	}
	req.id = s->spawn_id = ++pl->spawn_seq;
	req.uid += (uint32_t)s->index;
	req.gid = req.uid;
	template_spawn(pl, &req, cgfds, ncg, sp[1]);
	proc_open(p, sp[0]);
	p->state = SLOT_STARTING;
	gettimeofday(&s->spawned, NULL);
	return;
fail:
	log_warnx("%s: %s", p->name, pl->last_error);
	pl->ready_once = 0;
	proc_restart(p, 1);
	pl->slot_hooks->gone(pl);
}

/*
 * The cgroup for the slot's next runner, its directories dup'ed into fds
 * for the template: the slot's own if its kind keeps it and it can be
 * reused, else a new one.  Returns how many fds, or -1 with why in err.
 */
static int
slot_cgroup(struct slot *s, uint64_t memory, uint32_t pids, int *fds,
    char *err, size_t errlen)
{
	struct pool	*pl = s->pool;
	int		 i, n;

	if (s->ncg > 0 && cgroup_reuse(s->cgname, s->cgfds, s->ncg, &s->kept,
	    memory, pids, &s->ooms, err, errlen) == -1) {
		log_warnx("%s: %s; a new one takes its place", s->p.name, err);
		slot_cgroup_drop(s);
	}
	if (s->ncg == 0) {
		/* The monitor's pid keeps two daemons on one host apart. */
		snprintf(s->cgname, sizeof(s->cgname), "runner-%d-%s%d-%u",
		    (int)getpid(), pl->kind->cgtag, s->index, pl->seq++);
		if ((n = cgroup_create(s->cgname, memory, pids,
		    pl->kind->program, s->cgfds, 4, err, errlen)) == -1)
			return -1;
		s->ncg = n;
		s->ooms = 0;
		cgroup_kept_init(&s->kept, memory, pids);
	}
	for (i = 0; i < s->ncg; i++)
		if ((fds[i] = fcntl(s->cgfds[i], F_DUPFD_CLOEXEC, 0)) == -1) {
			snprintf(err, errlen, "cgroup %s: %s", s->cgname,
			    strerror(errno));
			while (i-- > 0)
				close(fds[i]);
			return -1;
		}
	return s->ncg;
}

/* Remove the slot's cgroup, killing what is left in it. */
static void
slot_cgroup_drop(struct slot *s)
{
	int	 i;

	if (s->ncg == 0)
		return;
	for (i = 0; i < s->ncg; i++)
		close(s->cgfds[i]);
	s->ncg = 0;
	cgroup_kept_close(&s->kept);
	if (cgroup_destroy(s->cgname) == -1)
		log_warn("cannot remove cgroup %s", s->cgname);
}

/* Whether the memory limit killed something of the slot's runner. */
int
slot_oom_killed(struct slot *s)
{
	return s->ncg > 0 && cgroup_kept_ooms(s->cgname, &s->kept) > s->ooms;
}

/* A runner that never got as far as a pid: undo its slot. */
static void
slot_spawn_failed(struct slot *s, const char *why)
{
	struct pool	*pl = s->pool;

	strlcpy(pl->last_error, why, sizeof(pl->last_error));
	log_warnx("%s: %s", s->p.name, why);
	proc_close(&s->p);
	slot_cgroup_drop(s);
	pl->ready_once = 0;
	s->p.state = SLOT_EMPTY;
	proc_restart(&s->p, 1);
	pl->slot_hooks->gone(pl);
}

/* The template is back: slots that waited for it try again now. */
static void
template_up(struct pool *pl)
{
	struct slot	*s;
	int		 i;

	for (i = 0; i < pl->nslots; i++) {
		s = &pl->slots[i];
		if (s->p.timer != NULL && s->p.state == SLOT_EMPTY &&
		    s->req == NULL)
			proc_restart_now(&s->p);
	}
}

/* The template is lost: the runners asked of it will not come. */
static void
template_lost(struct pool *pl, const char *why)
{
	int	 i;

	strlcpy(pl->last_error, why, sizeof(pl->last_error));
	for (i = 0; i < pl->nslots; i++)
		if (pl->slots[i].p.state == SLOT_STARTING &&
		    pl->slots[i].p.pid == -1)
			slot_spawn_failed(&pl->slots[i], "the runner template "
			    "died");
}

/* The template says which pid a runner got. */
static void
template_spawned(struct pool *pl, const struct spawn_res *res)
{
	struct slot	*s = NULL;
	char		 why[WR_REASONLEN];
	int		 i, status;

	for (i = 0; i < pl->nslots; i++)
		if (pl->slots[i].p.state == SLOT_STARTING &&
		    pl->slots[i].p.pid == -1 &&
		    pl->slots[i].spawn_id == res->id)
			s = &pl->slots[i];
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
	snprintf(s->p.name, sizeof(s->p.name), "%s slot %d pid %d",
	    pl->kind->name, s->index, (int)res->pid);
	/* SIGCHLD can come first: the runner died already. */
	for (i = 0; i < norphans; i++)
		if (orphans[i].pid == res->pid) {
			status = orphans[i].status;
			s->cpu_usecs = orphans[i].cpu;
			pl->cpu_usecs += orphans[i].cpu;
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
	struct pool	*pl = s->pool;
	struct timeval	 now, d;
	int		 first = !pl->ready_once;

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
		pl->spawn_count++;
		pl->spawn_usecs += usecs(&d);
	}
	s->p.state = SLOT_IDLE;
	proc_proven(&s->p);
	pl->ready_once = 1;
	pl->slot_hooks->ready(pl, first);
}

/*
 * The job's time is up: kill it, unless its kind ends it its own way;
 * the reaper tells the kind so.
 */
static void
slot_deadline(int fd, short event, void *arg)
{
	struct slot	*s = arg;
	struct timeval	 tv;

	(void)fd;
	(void)event;
	if (s->p.state != SLOT_BUSY)
		return;
	/* Early, by libevent's coarse clock: the rest, then. */
	if (slot_left(s, &tv)) {
		evtimer_add(s->deadline, &tv);
		return;
	}
	if (s->pool->kind->expire != NULL && s->pool->kind->expire(s) == 0)
		return;
	s->timed_out = 1;
	slot_kill(s);
}

/* The job may run so long, from now. */
void
slot_set_deadline(struct slot *s, uint64_t ms)
{
	struct timeval	 tv;

	clock_gettime(CLOCK_MONOTONIC, &s->due);
	s->due.tv_sec += (time_t)(ms / 1000);
	s->due.tv_nsec += (long)(ms % 1000) * 1000000;
	if (s->due.tv_nsec >= 1000000000) {
		s->due.tv_sec++;
		s->due.tv_nsec -= 1000000000;
	}
	(void)slot_left(s, &tv);
	/*
	 * From now, not from the loop's cached time, which is as old as the
	 * callbacks run before this one and would fire the timer early.
	 */
	event_base_update_cache_time(mon->base);
	evtimer_add(s->deadline, &tv);
}

/*
 * What is left of the job's time, by CLOCK_MONOTONIC, as runTime is
 * read, into *tv, rounded up: 1 if any is, else 0 and *tv zero.
 * libevent times its events by the coarse monotonic clock (webrunnerd.c
 * says why not the precise one), which can lag by a tick, so its timer
 * may fire before the deadline has come.
 */
static int
slot_left(const struct slot *s, struct timeval *tv)
{
	struct timespec	 now;
	long long	 left;

	clock_gettime(CLOCK_MONOTONIC, &now);
	left = (long long)(s->due.tv_sec - now.tv_sec) * 1000000000 +
	    (s->due.tv_nsec - now.tv_nsec);
	left = left > 0 ? (left + 999) / 1000 : 0;
	tv->tv_sec = (time_t)(left / 1000000);
	tv->tv_usec = (suseconds_t)(left % 1000000);
	return left > 0;
}

/* Kill a runner; its pid namespace, and with it everything, goes too. */
void
slot_kill(struct slot *s)
{
	if (s->p.pid != -1) {
		/* Its teardown, too, yields to the jobs still running. */
		setpriority(PRIO_PROCESS, s->p.pid, SPAWN_NICE);
		kill(s->p.pid, SIGKILL);
		if (s->killed.tv_sec == 0 && s->killed.tv_nsec == 0)
			clock_gettime(CLOCK_MONOTONIC, &s->killed);
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
		s->pool->kind->broke(s, why);
	slot_kill(s);
}

/*
 * Whether a runner is ready or serving: the service can run jobs; if
 * not, why not in reason.
 */
int
slots_healthy(struct pool *pl, char *reason, size_t len)
{
	int	 i;

	for (i = 0; i < pl->nslots; i++)
		if (pl->slots[i].p.state == SLOT_IDLE ||
		    pl->slots[i].p.state == SLOT_BUSY ||
		    pl->slots[i].p.state == SLOT_DONE)
			return 1;
	/* Between runs every slot may be respawning; that is fine. */
	if (pl->ready_once)
		return slots_alive(pl, reason, len);
	snprintf(reason, len, "no %s is ready yet: %s", pl->kind->name,
	    pl->last_error);
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
slots_alive(struct pool *pl, char *err, size_t errlen)
{
	int	 i;

	for (i = 0; i < pl->nslots; i++)
		if (slot_alive(&pl->slots[i]))
			return 1;
	snprintf(err, errlen, "no %s can start: %s", pl->kind->name,
	    pl->last_error);
	return 0;
}

/*
 * The slot the next job goes to: the idle one that has waited longest,
 * so that none of the pool sits unused; NULL when none is idle or
 * `running' jobs are running already.
 */
struct slot *
slots_next(struct pool *pl, int running)
{
	struct slot	*s = NULL, *t;
	int		 i, n = 0;

	for (i = 0; i < pl->nslots; i++)
		if (pl->slots[i].p.state == SLOT_BUSY && !pl->slots[i].answered)
			n++;
	if (n >= running)
		return NULL;
	for (i = 0; i < pl->nslots; i++) {
		t = &pl->slots[i];
		if (t->p.state == SLOT_IDLE && (s == NULL ||
		    timercmp(&t->spawned, &s->spawned, <)))
			s = t;
	}
	return s;
}

/* How many jobs could start now: idle slots, within `running'. */
int
slots_free(struct pool *pl, int running)
{
	int	 i, busy = 0, idle = 0;

	for (i = 0; i < pl->nslots; i++) {
		if (pl->slots[i].p.state == SLOT_BUSY &&
		    !pl->slots[i].answered)
			busy++;
		if (pl->slots[i].p.state == SLOT_IDLE)
			idle++;
	}
	return busy >= running ? 0 : idle < running - busy ? idle :
	    running - busy;
}

/*
 * A child that is no row of the process table: a runner whose pid the
 * template has not told yet.  Its CPU time counts when its slot learns
 * its pid.
 */
void
slots_orphan(pid_t pid, int status, const struct rusage *ru)
{
	struct timeval	 cpu;

	timeradd(&ru->ru_utime, &ru->ru_stime, &cpu);
	if (norphans == MAX_ORPHANS)
		memmove(&orphans[0], &orphans[1],
		    sizeof(orphans[0]) * --norphans);
	orphans[norphans].pid = pid;
	orphans[norphans].cpu = usecs(&cpu);
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
	struct pool	*pl = s->pool;
	struct timespec	 t0;
	struct timeval	 cpu;
	int		 i, failed = 0;

	/*
	 * Its CPU time is the whole run's: it is the only process of its
	 * pid namespace and can start none.  NULL: counted already, as an
	 * orphan.
	 */
	if (ru != NULL) {
		timeradd(&ru->ru_utime, &ru->ru_stime, &cpu);
		s->cpu_usecs = usecs(&cpu);
		pl->cpu_usecs += s->cpu_usecs;
		pl->reaped++;
		pl->faults += (uint64_t)ru->ru_minflt +
		    (uint64_t)ru->ru_majflt;
		/*
		 * From its plan on: what its plan's marks did not count
		 * (nothing, should usage in microseconds round below them).
		 */
		if (s->plan_ns != 0)
			pool_cpu(pl, CS_FINISH, s->cpu_usecs * 1000 >
			    s->plan_ns ? s->cpu_usecs * 1000 - s->plan_ns : 0);
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
		pl->kind->died(s, status);
	else if (p->state == SLOT_STARTING) {
		pl->ready_once = 0;
		failed = 1;
		snprintf(pl->last_error, sizeof(pl->last_error), "%s failed "
		    "to start (%s %d)", pl->kind->name, WIFSIGNALED(status) ?
		    "signal" : "status", WIFSIGNALED(status) ?
		    WTERMSIG(status) : WEXITSTATUS(status));
		log_warnx("%s slot %d: %s", pl->kind->name, s->index,
		    pl->last_error);
	}
	if (s->req != NULL)
		pl->kind->free(s->req);
	s->req = NULL;
	if (s->killed.tv_sec != 0 || s->killed.tv_nsec != 0)
		pool_stage(pl, STAGE_TEARDOWN, &s->killed);
	memset(&s->killed, 0, sizeof(s->killed));
	/* A runner that failed to start leaves nothing to trust. */
	if (!pl->kind->keep_cgroup || failed) {
		clock_gettime(CLOCK_MONOTONIC, &t0);
		slot_cgroup_drop(s);
		pool_stage(pl, STAGE_CGROUP, &t0);
	}
	p->state = SLOT_EMPTY;
	proc_restart(p, failed);
	pl->slot_hooks->gone(pl);
}

void
slots_stats(struct pool *pl, struct pool_stats *ps)
{
	int	 i;

	memset(ps, 0, sizeof(*ps));
	ps->size = pl->nslots;
	for (i = 0; i < pl->nslots; i++) {
		switch (pl->slots[i].p.state) {
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
	ps->cgroup_version = cgroups_ok == 1 ? cgroup_version() : 0;
	ps->spawns = pl->spawn_count;
	ps->spawn_usecs = pl->spawn_usecs;
	ps->cpu_usecs = pl->cpu_usecs;
	ps->reaped = pl->reaped;
	ps->faults = pl->faults;
	strlcpy(ps->last_error, pl->last_error, sizeof(ps->last_error));
}

static uint64_t
usecs(const struct timeval *tv)
{
	return (uint64_t)tv->tv_sec * 1000000 + (uint64_t)tv->tv_usec;
}
