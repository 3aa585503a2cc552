/*
 * The runner pool.
 *
 * 2 * `runners' slots each hold one runner that was spawned ahead of
 * demand and waits, already confined, for a job; at most `runners' jobs
 * run at once, so as many runners stay ready while they do.  Runners are
 * cloned by the runner template (runner/template.c), which the monitor
 * starts once and restarts if it dies: the monitor creates the runner's
 * cgroup and sends the template its directories and the runner's socket;
 * the template answers with the pid of the runner, which is the monitor's
 * child.  A request takes an idle runner (no fork, exec, namespace or
 * cgroup work on the request path), or waits in a bounded queue, or gets
 * 503.  A runner serves one job and exits; its cgroup is removed and a
 * fresh runner takes the slot.
 *
 * A runner's messages are hostile once its kernel has run: the result has
 * a fixed size, every count and string in it is checked, and anything odd
 * is a failed run for that request only.
 */
#include <sys/types.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>
#include <seccomp.h>

#include "common.h"
#include "monitor.h"

#define MAX_RUNNERS		512	/* two per `runners' */
#define RESPAWN_MIN_MS		100
#define RESPAWN_MAX_MS		10000

enum runner_state {
	R_EMPTY = 0,		/* slot waits for its respawn timer */
	R_STARTING,		/* spawned, not ready yet */
	R_IDLE,			/* ready, waiting for a job */
	R_BUSY,			/* running a job */
	R_DONE			/* answered or failed, waiting to be reaped */
};

struct request {
	TAILQ_ENTRY(request)	 entry;
	uint32_t		 reqid;
	uint32_t		 gen;		/* net_generation() when asked */
	int			 memfd;
	int			 json;
	struct job		 job;
	struct resolved		 rsv;
	/* Internal requests (the self-test) are answered here instead. */
	void			(*done)(const struct run_result *, void *);
	void			*done_arg;
};
TAILQ_HEAD(requests, request);

struct runner {
	int			 slot;
	enum runner_state	 state;
	pid_t			 pid;
	char			 cgname[64];
	struct imsgev		 iev;
	int			 iev_up;
	struct request		*req;		/* R_BUSY, R_DONE */
	int			 answered;
	int			 timed_out;
	int			 fails;		/* spawn failures in a row */
	int			 ready;		/* said IMSG_RUNNER_READY */
	uint32_t		 spawn_id;	/* its IMSG_SPAWN */
	struct timeval		 spawned;	/* when it was asked for */
	struct event		*timer;		/* time limit or respawn */
};

/* Runners reaped before the template said their pid. */
#define MAX_ORPHANS		64
static struct {
	pid_t			 pid;
	int			 status;
} orphans[MAX_ORPHANS];
static int		 norphans;

static void	 runner_spawn_slot(struct runner *);
static void	 runner_dispatch(int, short, void *);
static void	 runner_timer(int, short, void *);
static void	 runner_kill(struct runner *, const char *);
static void	 runner_bad(struct runner *, const char *);
static void	 runner_start_job(struct runner *, struct request *);
static void	 runner_result(struct runner *, struct imsg *);
static void	 answer(struct runner *, const struct run_result *);
static void	 answer_client(const struct request *,
		    const struct run_result *);
static void	 queue_run(void);
static void	 request_free(struct request *);
static void	 request_fail(struct request *, const char *);
static void	 runner_idle(struct runner *);
static void	 schedule_respawn(struct runner *);
static void	 spawn_failed(struct runner *, const char *);
static int	 slot_alive(const struct runner *);
static struct runner *next_runner(void);
static uint64_t	 usecs(const struct timeval *);
static int	 pool_alive(char *, size_t);
static void	 pool_check(void);

static struct runner	 pool[MAX_RUNNERS];
static int		 npool;
static struct requests	 queue = TAILQ_HEAD_INITIALIZER(queue);
static uint32_t		 nqueued;
static uint32_t		 ninternal;	/* of them the self-test's */
static uint32_t		 seq;
static uint32_t		 spawn_seq;
static int		 ready_once;	/* a runner got ready since a failure */
static char		 last_error[WR_REASONLEN] = "no runner started yet";
static int		 cgroups_ok;
static uint64_t		 runs_by_status[RS_UNAVAILABLE + 1];
static uint64_t		 spawn_count;
static uint64_t		 spawn_usecs;	/* sum over spawn_count runners */
static uint64_t		 cpu_usecs;	/* reaped runners' CPU time */

void
runners_init(void)
{
	char	 err[WR_REASONLEN];
	int	 i;

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
	npool = 2 * (int)mon->conf->runners;
	if (npool > MAX_RUNNERS)
		npool = MAX_RUNNERS;
	template_init();
	for (i = 0; i < npool; i++) {
		pool[i].slot = i;
		pool[i].pid = -1;
		if ((pool[i].timer = evtimer_new(mon->base, runner_timer,
		    &pool[i])) == NULL)
			fatalx("evtimer_new");
		runner_spawn_slot(&pool[i]);
	}
}

void
runners_stop(void)
{
	struct request	*rq;
	int		 i;

	while ((rq = TAILQ_FIRST(&queue)) != NULL) {
		TAILQ_REMOVE(&queue, rq, entry);
		request_free(rq);
	}
	template_stop();
	for (i = 0; i < npool; i++) {
		evtimer_del(pool[i].timer);
		if (pool[i].pid != -1)
			kill(pool[i].pid, SIGKILL);
		else if (pool[i].state == R_STARTING)
			cgroup_destroy(pool[i].cgname);	/* kills it */
	}
	/* Reap here: the event loop is about to end. */
	for (i = 0; i < npool; i++) {
		if (pool[i].pid != -1 && waitpid(pool[i].pid, NULL, 0) != -1) {
			pool[i].pid = -1;
			cgroup_destroy(pool[i].cgname);
		}
		if (pool[i].iev_up) {
			imsgev_clear(&pool[i].iev);
			close(pool[i].iev.ibuf.fd);
			pool[i].iev_up = 0;
		}
		request_free(pool[i].req);
		pool[i].req = NULL;
	}
	cgroup_retry();
}

/* An internal request that cannot run: its owner learns why. */
static void
request_fail(struct request *rq, const char *why)
{
	struct run_result	 res;

	memset(&res, 0, sizeof(res));
	res.status = RS_UNAVAILABLE;
	strlcpy(res.reason, why, sizeof(res.reason));
	rq->done(&res, rq->done_arg);
}

static void
request_free(struct request *rq)
{
	if (rq == NULL)
		return;
	if (rq->memfd != -1)
		close(rq->memfd);
	free(rq);
}

static void
runner_spawn_slot(struct runner *r)
{
	struct spawn_req	 req;
	char			 err[WR_REASONLEN];
	int			 cgfds[4], ncg, sp[2], i;

	r->state = R_EMPTY;
	r->answered = r->timed_out = r->ready = 0;
	r->pid = -1;
	if (mon->shutdown)
		return;
	/* The monitor's pid keeps two daemons on one host apart. */
	snprintf(r->cgname, sizeof(r->cgname), "runner-%d-%d-%u",
	    (int)getpid(), r->slot, seq++);
	if (!cgroups_ok) {
		strlcpy(last_error, "cgroups are not usable", sizeof(last_error));
		goto fail;
	}
	if (!template_ready()) {
		strlcpy(last_error, "the runner template is not running",
		    sizeof(last_error));
		goto fail;
	}
	if ((ncg = cgroup_create(r->cgname, mon->conf->memory_limit,
	    mon->conf->pids_limit, cgfds, 4, err, sizeof(err))) == -1) {
		strlcpy(last_error, err, sizeof(last_error));
		goto fail;
	}
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp) == -1) {
		snprintf(last_error, sizeof(last_error), "cgroup %s: %s",
		    r->cgname, strerror(errno));
		for (i = 0; i < ncg; i++)
			close(cgfds[i]);
		cgroup_destroy(r->cgname);
		goto fail;
	}
	memset(&req, 0, sizeof(req));
	req.id = r->spawn_id = ++spawn_seq;
	req.uid = mon->conf->runner_uid + (uint32_t)r->slot;
	req.gid = req.uid;
	req.cpu_secs = mon->conf->time_limit / 1000 + 1;
	template_spawn(&req, cgfds, ncg, sp[1]);
	if (imsgev_init(&r->iev, mon->base, sp[0], runner_dispatch, r) == -1)
		fatal("imsgev_init");
	r->iev_up = 1;
	r->state = R_STARTING;
	gettimeofday(&r->spawned, NULL);
	return;
fail:
	log_warnx("runner slot %d: %s", r->slot, last_error);
	ready_once = 0;
	r->fails++;
	schedule_respawn(r);
	pool_check();
}

/* A runner that never got as far as a pid: undo its slot. */
static void
spawn_failed(struct runner *r, const char *why)
{
	strlcpy(last_error, why, sizeof(last_error));
	log_warnx("runner slot %d: %s", r->slot, why);
	if (r->iev_up) {
		imsgev_clear(&r->iev);
		close(r->iev.ibuf.fd);
		r->iev_up = 0;
	}
	cgroup_destroy(r->cgname);
	ready_once = 0;
	r->fails++;
	schedule_respawn(r);
	pool_check();
}

/*
 * The template is back: slots that waited for it try again now.
 */
void
runners_template_up(void)
{
	int	 i;

	for (i = 0; i < npool; i++)
		if (pool[i].timer != NULL && pool[i].state == R_EMPTY &&
		    pool[i].req == NULL) {
			evtimer_del(pool[i].timer);
			pool[i].fails = 0;
			runner_spawn_slot(&pool[i]);
		}
}

/* The template is lost: the runners asked of it will not come. */
void
runners_template_lost(const char *why)
{
	int	 i;

	strlcpy(last_error, why, sizeof(last_error));
	for (i = 0; i < npool; i++)
		if (pool[i].state == R_STARTING && pool[i].pid == -1)
			spawn_failed(&pool[i], "the runner template died");
}

/* The template says which pid a runner got. */
void
runners_spawned(const struct spawn_res *res)
{
	struct runner	*r = NULL;
	char		 why[WR_REASONLEN];
	int		 i, status;

	for (i = 0; i < npool; i++)
		if (pool[i].state == R_STARTING && pool[i].pid == -1 &&
		    pool[i].spawn_id == res->id)
			r = &pool[i];
	if (r == NULL) {
		/* Its slot gave up on it; it must not live on. */
		if (res->pid > 0)
			kill(res->pid, SIGKILL);
		return;
	}
	if (res->pid <= 0) {
		snprintf(why, sizeof(why), "the template cannot clone: %s",
		    strerror(res->error));
		spawn_failed(r, why);
		return;
	}
	r->pid = res->pid;
	/* SIGCHLD can come first: the runner died already. */
	for (i = 0; i < norphans; i++)
		if (orphans[i].pid == r->pid) {
			status = orphans[i].status;
			orphans[i] = orphans[--norphans];
			runners_reaped(r->pid, status, NULL);
			return;
		}
	if (r->ready)
		runner_idle(r);
}

/* Spawned, confined and known by its pid: it can take a job. */
static void
runner_idle(struct runner *r)
{
	struct timeval	 now, d;
	int		 first = !ready_once;

	/*
	 * Made at the template's SPAWN_NICE, the runner serves its job at
	 * the configured level.  Failing that (it died since it said it was
	 * ready) it is not given a job; the reaper replaces it.
	 */
	if (setpriority(PRIO_PROCESS, r->pid, mon->conf->nice) == -1) {
		runner_kill(r, "cannot set its nice level");
		return;
	}
	gettimeofday(&now, NULL);
	timersub(&now, &r->spawned, &d);
	if (d.tv_sec >= 0 && d.tv_sec < 3600) {
		spawn_count++;
		spawn_usecs += usecs(&d);
	}
	r->state = R_IDLE;
	r->fails = 0;
	ready_once = 1;
	queue_run();
	/* The first runner after a failure: check the service now. */
	if (first)
		selftest_kick();
}

/*
 * How long to wait before another try after `fails' failures in a row:
 * RESPAWN_MIN_MS, doubled per failure, at most RESPAWN_MAX_MS.  The
 * network process, the template and each runner slot all wait so.
 */
void
respawn_delay(int fails, struct timeval *tv)
{
	int	 ms = RESPAWN_MIN_MS, i;

	for (i = 0; i < fails && ms < RESPAWN_MAX_MS; i++)
		ms *= 2;
	if (ms > RESPAWN_MAX_MS)
		ms = RESPAWN_MAX_MS;
	tv->tv_sec = ms / 1000;
	tv->tv_usec = (ms % 1000) * 1000;
}

/* A slot gets its next runner at once, or after failures a while later. */
static void
schedule_respawn(struct runner *r)
{
	struct timeval	 tv = { 0, 0 };

	r->state = R_EMPTY;
	if (r->fails > 0)
		respawn_delay(r->fails, &tv);
	evtimer_add(r->timer, &tv);
}

static void
runner_timer(int fd, short event, void *arg)
{
	struct runner	*r = arg;

	(void)fd;
	(void)event;
	if (r->state == R_EMPTY) {
		runner_spawn_slot(r);
		return;
	}
	if (r->state == R_BUSY) {
		r->timed_out = 1;
		runner_kill(r, NULL);
	}
}

/* Kill a runner; its pid namespace, and with it everything, goes too. */
static void
runner_kill(struct runner *r, const char *why)
{
	if (why != NULL)
		log_warnx("runner slot %d pid %d: %s", r->slot, (int)r->pid,
		    why);
	if (r->pid != -1) {
		/* Its teardown, too, yields to the jobs still running. */
		setpriority(PRIO_PROCESS, r->pid, SPAWN_NICE);
		kill(r->pid, SIGKILL);
	}
	if (r->iev_up) {
		imsgev_clear(&r->iev);
		close(r->iev.ibuf.fd);
		r->iev_up = 0;
	}
	if (r->state == R_BUSY)
		r->state = R_DONE;
}

/*
 * A runner broke the protocol.  Once the job is out that is its kernel's
 * doing (the result socket is the one thing the kernel may write to), and
 * the request fails with that reason now: left to the reaper, the answer
 * would depend on whether the kill or the runner's own exit came first.
 */
static void
runner_bad(struct runner *r, const char *why)
{
	struct run_result	 res;

	if (r->state == R_BUSY && !r->answered) {
		memset(&res, 0, sizeof(res));
		res.status = RS_INTERNAL;
		snprintf(res.reason, sizeof(res.reason), "%s from the runner",
		    why);
		answer(r, &res);
	}
	runner_kill(r, why);
}

int
runners_healthy(char *reason, size_t len)
{
	int	 i;

	for (i = 0; i < npool; i++)
		if (pool[i].state == R_IDLE || pool[i].state == R_BUSY ||
		    pool[i].state == R_DONE)
			return 1;
	/* Between runs every slot may be respawning; that is fine. */
	if (ready_once)
		return pool_alive(reason, len);
	snprintf(reason, len, "no runner is ready yet: %s", last_error);
	return 0;
}

/*
 * A slot that has or will soon have a runner: anything but one waiting
 * out a backoff after failures.  A slot between a finished runner and its
 * replacement, respawned at once, counts.
 */
static int
slot_alive(const struct runner *r)
{
	return r->state != R_EMPTY || r->fails == 0;
}

/* Whether any slot is alive; if none, why not, in err. */
static int
pool_alive(char *err, size_t errlen)
{
	int	 i;

	for (i = 0; i < npool; i++)
		if (slot_alive(&pool[i]))
			return 1;
	snprintf(err, errlen, "no runner can start: %s", last_error);
	return 0;
}

/*
 * When no slot can get a runner, queued requests would wait for as long
 * as the cause lasts: answer them now, as the monitor route does.
 */
static void
pool_check(void)
{
	struct request	*rq;
	struct http_res	 hr;
	char		 why[WR_REASONLEN + 32];

	if (pool_alive(why, sizeof(why)))
		return;
	while ((rq = TAILQ_FIRST(&queue)) != NULL) {
		TAILQ_REMOVE(&queue, rq, entry);
		nqueued--;
		if (rq->done != NULL) {
			ninternal--;
			request_fail(rq, why);
		}
		else if (rq->gen == net_generation()) {
			runs_by_status[RS_UNAVAILABLE]++;
			format_error(503, RS_UNAVAILABLE, why, rq->json, &hr);
			hr.retry_after = 5;
			net_compose(IMSG_HTTP_RES, rq->reqid, -1, &hr,
			    HTTP_RES_SIZE(&hr));
		}
		request_free(rq);
	}
}

/* The network process is gone: its queued requests have no client. */
void
runners_net_lost(void)
{
	struct request	*rq, *next;

	TAILQ_FOREACH_SAFE(rq, &queue, entry, next) {
		if (rq->done == NULL && rq->gen == net_generation()) {
			TAILQ_REMOVE(&queue, rq, entry);
			nqueued--;
			request_free(rq);
		}
	}
}

int
runners_submit(uint32_t reqid, const struct job *job, int memfd,
    const struct resolved *rsv, int json, int *code, char *err,
    size_t errlen)
{
	struct request	*rq;

	if (!pool_alive(err, errlen)) {
		close(memfd);
		*code = 503;
		runs_by_status[RS_UNAVAILABLE]++;
		return -1;
	}
	/* The self-test's jobs take no client's place in the queue. */
	if (next_runner() == NULL && nqueued - ninternal >= mon->conf->queue) {
		close(memfd);
		*code = 503;
		snprintf(err, errlen, "all %u runners are busy and %u requests "
		    "wait; try again", mon->conf->runners, nqueued - ninternal);
		runs_by_status[RS_UNAVAILABLE]++;
		return -1;
	}
	if ((rq = calloc(1, sizeof(*rq))) == NULL) {
		close(memfd);
		*code = 500;
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	rq->reqid = reqid;
	rq->gen = net_generation();
	rq->memfd = memfd;
	rq->json = json;
	rq->job = *job;
	rq->rsv = *rsv;
	TAILQ_INSERT_TAIL(&queue, rq, entry);
	nqueued++;
	queue_run();
	return 0;
}

/*
 * The runner the next job goes to: the idle one that has waited longest,
 * so that none of the pool sits unused; NULL when none is idle or
 * `runners' jobs are running already.
 */
static struct runner *
next_runner(void)
{
	struct runner	*r = NULL;
	int		 i, running = 0;

	for (i = 0; i < npool; i++)
		if (pool[i].state == R_BUSY && !pool[i].answered)
			running++;
	if (running >= (int)mon->conf->runners)
		return NULL;
	for (i = 0; i < npool; i++)
		if (pool[i].state == R_IDLE && (r == NULL ||
		    timercmp(&pool[i].spawned, &r->spawned, <)))
			r = &pool[i];
	return r;
}

/* Hand queued requests to runners, oldest request first. */
static void
queue_run(void)
{
	struct request	*rq;
	struct runner	*r;

	/* next_runner() anew each time: runner_start_job() can answer. */
	while ((rq = TAILQ_FIRST(&queue)) != NULL &&
	    (r = next_runner()) != NULL) {
		TAILQ_REMOVE(&queue, rq, entry);
		nqueued--;
		if (rq->done != NULL)
			ninternal--;
		runner_start_job(r, rq);
	}
}

static void
runner_start_job(struct runner *r, struct request *rq)
{
	struct run_result	 res;
	struct timeval		 tv;
	char			 path[PATH_MAX + 32];
	int			 fd;

	r->req = rq;
	r->state = R_BUSY;
	/* A request that asked for less memory gets it before it runs. */
	if (rq->rsv.memory_limit == 0)
		rq->rsv.memory_limit = mon->conf->memory_limit;
	else if (rq->rsv.memory_limit < mon->conf->memory_limit &&
	    cgroup_set_memory(r->cgname, rq->rsv.memory_limit, path,
	    sizeof(path)) == -1) {
		log_warn("runner slot %d: %s", r->slot, path);
		memset(&res, 0, sizeof(res));
		res.status = RS_INTERNAL;
		strlcpy(res.reason, "cannot set the memory limit",
		    sizeof(res.reason));
		answer(r, &res);
		runner_kill(r, NULL);
		return;
	}
	if (rq->rsv.time_limit == 0)
		rq->rsv.time_limit = mon->conf->time_limit;
	fd = rq->memfd;
	rq->memfd = -1;
	if (imsgev_compose(&r->iev, IMSG_JOB, rq->reqid, fd, &rq->job,
	    sizeof(rq->job)) == -1) {
		runner_kill(r, "cannot send the job");
		return;
	}
	tv.tv_sec = rq->rsv.time_limit / 1000;
	tv.tv_usec = (rq->rsv.time_limit % 1000) * 1000;
	evtimer_add(r->timer, &tv);
}

static void
runner_dispatch(int fd, short event, void *arg)
{
	struct runner	*r = arg;
	struct imsg	 imsg;
	ssize_t		 n;

	(void)fd;
	if (event & EV_WRITE) {
		runner_kill(r, "write failed");
		return;
	}
	if ((n = imsgbuf_read(&r->iev.ibuf)) == -1 && errno != EAGAIN) {
		runner_kill(r, "read failed");
		return;
	}
	if (n == 0) {
		/* EOF: the outcome is decided when it is reaped. */
		imsgev_clear(&r->iev);
		close(r->iev.ibuf.fd);
		r->iev_up = 0;
		return;
	}
	for (;;) {
		if ((n = imsg_get(&r->iev.ibuf, &imsg)) == -1) {
			runner_bad(r, "malformed message");
			return;
		}
		if (n == 0)
			break;
		if (imsg.hdr.type == IMSG_RUNNER_READY &&
		    r->state == R_STARTING && !r->ready && imsg.len == 0 &&
		    imsg.fd == -1) {
			/* Idle once the template told us its pid, too. */
			r->ready = 1;
			imsg_free(&imsg);
			if (r->pid != -1)
				runner_idle(r);
		} else if (imsg.hdr.type == IMSG_RESULT &&
		    r->state == R_BUSY && !r->answered) {
			runner_result(r, &imsg);
			imsg_free(&imsg);
			/*
			 * Answered: the runner sleeps until it is killed
			 * (runner.c, send_result()), and nothing it could
			 * still send would change the answer.
			 */
			runner_kill(r, NULL);
			return;
		} else {
			imsg_free(&imsg);
			runner_bad(r, "unexpected message");
			return;
		}
		if (!r->iev_up)
			return;
	}
	imsgev_add(&r->iev);
}

/* Make a string from a runner printable and terminated. */
static void
sanitize(char *s, size_t len)
{
	size_t	 i;

	s[len - 1] = '\0';
	for (i = 0; s[i] != '\0'; i++)
		if (!isprint((unsigned char)s[i]))
			s[i] = '?';
}

static void
runner_result(struct runner *r, struct imsg *imsg)
{
	struct run_result	 res;
	char			*name;
	uint32_t		 i;

	if (imsg_get_data(imsg, &res, sizeof(res)) == -1 ||
	    res.nevents > WR_MAXEVENTS ||
	    (res.status != RS_OK && res.status != RS_LOAD_ERROR &&
	    res.status != RS_BAD_JOB && res.status != RS_NO_MEMORY &&
	    res.status != RS_COUNTER_ERROR && res.status != RS_SIGNALLED &&
	    res.status != RS_SYSCALL && res.status != RS_INTERNAL)) {
		runner_bad(r, "malformed result");
		return;
	}
	sanitize(res.reason, sizeof(res.reason));
	for (i = 0; i < res.nevents; i++) {
		sanitize(res.ev[i].name, sizeof(res.ev[i].name));
		sanitize(res.ev[i].reason, sizeof(res.ev[i].reason));
		if (res.ev[i].state != EV_OK &&
		    res.ev[i].state != EV_UNAVAILABLE) {
			runner_bad(r, "malformed result");
			return;
		}
	}
	if (res.status == RS_SYSCALL && res.sysno == WR_SYSNO_INT80)
		snprintf(res.reason, sizeof(res.reason), "system call refused "
		    "outright (int 0x80: this host has no 32-bit system "
		    "calls)");
	else if (res.status == RS_SYSCALL) {
		name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE,
		    res.sysno);
		snprintf(res.reason, sizeof(res.reason), "%s (%d)",
		    name != NULL ? name : "unknown", res.sysno);
		free(name);
	}
	answer(r, &res);
}

static void
answer(struct runner *r, const struct run_result *res)
{
	if (r->answered || r->req == NULL)
		return;
	r->answered = 1;
	if (r->req->done != NULL)
		r->req->done(res, r->req->done_arg);
	else {
		if (res->status <= RS_UNAVAILABLE)
			runs_by_status[res->status]++;
		/* Else its client went with the old network process. */
		if (r->req->gen == net_generation())
			answer_client(r->req, res);
	}
	/*
	 * One job fewer running: a waiting request may take an idle runner,
	 * once this answer is on its way.
	 */
	queue_run();
}

/* A client's request: its answer, to the network process. */
static void
answer_client(const struct request *rq, const struct run_result *res)
{
	struct http_res	 hr;
	int		 rc;

	if (res->status == RS_OK)
		rc = format_result(&rq->rsv, res, rq->json, &hr);
	else
		rc = format_error(status_http_code(res->status), res->status,
		    res->reason, rq->json, &hr);
	if (rc == -1)
		format_error(500, RS_INTERNAL, "answer too large", rq->json,
		    &hr);
	net_compose(IMSG_HTTP_RES, rq->reqid, -1, &hr, HTTP_RES_SIZE(&hr));
}

/*
 * The runner is gone.  If the request was not answered yet, the way it
 * died is the answer; then the cgroup goes and a new runner takes over.
 */
int
runners_reaped(pid_t pid, int status, const struct rusage *ru)
{
	struct run_result	 res;
	struct runner		*r = NULL;
	struct timeval		 cpu;
	int			 i;

	/*
	 * Every child but the network process and the template is a
	 * runner.  Its CPU time is the whole run's: it is the only process
	 * of its pid namespace and can start none.  NULL: counted already,
	 * when it was first reaped.
	 */
	if (ru != NULL) {
		timeradd(&ru->ru_utime, &ru->ru_stime, &cpu);
		cpu_usecs += usecs(&cpu);
	}
	for (i = 0; i < npool; i++)
		if (pool[i].pid == pid)
			r = &pool[i];
	if (r == NULL) {
		/* A runner whose pid the template has not told us yet. */
		if (norphans == MAX_ORPHANS)
			memmove(&orphans[0], &orphans[1],
			    sizeof(orphans[0]) * --norphans);
		orphans[norphans].pid = pid;
		orphans[norphans++].status = status;
		return 1;
	}
	evtimer_del(r->timer);
	/* Reaped: its pid may be anyone's now, never to be signalled. */
	r->pid = -1;
	/*
	 * SIGCHLD can be handled before the socket shows readable: whatever
	 * the runner wrote before it exited is in the socket now, so read it
	 * first; only a runner that wrote nothing is answered by its death.
	 */
	for (i = 0; i < 8 && r->iev_up && r->req != NULL && !r->answered; i++)
		runner_dispatch(r->iev.ibuf.fd, EV_READ, r);
	if (r->iev_up) {
		imsgev_clear(&r->iev);
		close(r->iev.ibuf.fd);
		r->iev_up = 0;
	}
	if (r->req != NULL && !r->answered) {
		memset(&res, 0, sizeof(res));
		if (r->timed_out) {
			res.status = RS_TIME_LIMIT;
			snprintf(res.reason, sizeof(res.reason), "ran longer "
			    "than %llu ms",
			    (unsigned long long)r->req->rsv.time_limit);
		} else if (cgroup_oom_kills(r->cgname)) {
			res.status = RS_MEMORY_LIMIT;
			snprintf(res.reason, sizeof(res.reason), "used more "
			    "than %llu bytes", (unsigned long long)
			    r->req->rsv.memory_limit);
		} else if (WIFSIGNALED(status) &&
		    WTERMSIG(status) == SIGSYS) {
			res.status = RS_SYSCALL;
			snprintf(res.reason, sizeof(res.reason), "system call "
			    "refused outright (int 0x80, x32, or before the "
			    "kernel ran)");
		} else if (WIFSIGNALED(status) &&
		    WTERMSIG(status) == SIGXCPU) {
			res.status = RS_TIME_LIMIT;
			snprintf(res.reason, sizeof(res.reason), "CPU time "
			    "limit reached");
		} else if (WIFSIGNALED(status)) {
			res.status = RS_SIGNALLED;
			snprintf(res.reason, sizeof(res.reason), "SIG%s",
			    signame(WTERMSIG(status)));
		} else {
			res.status = RS_INTERNAL;
			snprintf(res.reason, sizeof(res.reason), "runner "
			    "exited with status %d and no result",
			    WEXITSTATUS(status));
		}
		answer(r, &res);
	} else if (r->state == R_STARTING) {
		ready_once = 0;
		r->fails++;
		snprintf(last_error, sizeof(last_error), "runner failed to "
		    "start (%s %d)", WIFSIGNALED(status) ? "signal" : "status",
		    WIFSIGNALED(status) ? WTERMSIG(status) :
		    WEXITSTATUS(status));
		log_warnx("runner slot %d: %s", r->slot, last_error);
	}
	request_free(r->req);
	r->req = NULL;
	if (cgroup_destroy(r->cgname) == -1)
		log_warn("cannot remove cgroup %s", r->cgname);
	schedule_respawn(r);
	pool_check();
	return 1;
}

/*
 * A job of the monitor's own (the self-test), queued like a request and
 * run by the next idle runner, so that it proves what a request would
 * get.  done is called exactly once unless this returns -1, or the
 * daemon shuts down first.
 */
int
runners_submit_internal(const struct job *job, int memfd,
    uint64_t time_limit, void (*done)(const struct run_result *, void *),
    void *arg, char *err, size_t errlen)
{
	struct request	*rq;

	if (!pool_alive(err, errlen)) {
		close(memfd);
		return -1;
	}
	if ((rq = calloc(1, sizeof(*rq))) == NULL) {
		close(memfd);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	rq->memfd = memfd;
	rq->job = *job;
	rq->rsv.time_limit = time_limit;
	rq->done = done;
	rq->done_arg = arg;
	TAILQ_INSERT_TAIL(&queue, rq, entry);
	nqueued++;
	ninternal++;
	queue_run();
	return 0;
}

void
runners_stats(struct pool_stats *ps)
{
	int	 i;

	memset(ps, 0, sizeof(*ps));
	ps->size = npool;
	for (i = 0; i < npool; i++) {
		switch (pool[i].state) {
		case R_IDLE:
			ps->idle++;
			break;
		case R_BUSY:
		case R_DONE:
			ps->busy++;
			break;
		case R_STARTING:
			ps->starting++;
			break;
		case R_EMPTY:
			ps->empty++;
			break;
		}
	}
	ps->queued = nqueued;
	ps->queue_max = mon->conf->queue;
	ps->cgroup_version = cgroups_ok ? cgroup_version() : 0;
	for (i = 0; i <= RS_UNAVAILABLE; i++)
		ps->runs[i] = runs_by_status[i];
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
