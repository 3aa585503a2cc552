/*
 * The runner pool: the queue of requests in front of the slots
 * (slot.c), for any kind of job.  A request takes an idle runner (no
 * fork, exec, namespace or cgroup work on the request path), or waits in
 * a bounded queue, or is refused; at most `runners' jobs run at once, so
 * that as many runners stay ready while they do.  What a job is, what
 * its runner is sent and how its end becomes an answer are the
 * pool_kind's: kjob.c for kernels, pjob.c for programs, each with a
 * pool of its own.
 */
#include <sys/types.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "monitor.h"

static void	 slot_ready_hook(struct pool *, int);
static void	 dequeue(struct pool *, struct preq *);
static void	 pool_check(struct pool *);

static const struct slot_hooks	 hooks = {
	.ready = slot_ready_hook,
	.gone = pool_check
};

void
pool_init(struct pool *pl, const struct pool_kind *kind)
{
	pl->kind = kind;
	TAILQ_INIT(&pl->queue);
	slots_init(pl, &hooks);
}

/* Who is told when runners get ready again after failing. */
void
pool_on_recover(struct pool *pl, void (*cb)(void))
{
	pl->recovered = cb;
}

void
pool_stop(struct pool *pl)
{
	struct preq	*rq;

	if (pl->kind == NULL)
		return;		/* never started */
	while ((rq = TAILQ_FIRST(&pl->queue)) != NULL) {
		TAILQ_REMOVE(&pl->queue, rq, entry);
		pl->kind->free(rq);
	}
	slots_stop(pl);
}

/* A runner is ready: a request may take it. */
static void
slot_ready_hook(struct pool *pl, int first)
{
	pool_run(pl);
	/* The first runner after a failure: check the service now. */
	if (first && pl->recovered != NULL)
		pl->recovered();
}

static void
dequeue(struct pool *pl, struct preq *rq)
{
	TAILQ_REMOVE(&pl->queue, rq, entry);
	pl->nqueued--;
	if (rq->internal)
		pl->ninternal--;
}

/*
 * When no slot can get a runner, queued requests would wait for as long
 * as the cause lasts: the kind answers them now.
 */
static void
pool_check(struct pool *pl)
{
	struct preq	*rq;
	char		 why[WR_REASONLEN + 32];

	if (slots_alive(pl, why, sizeof(why)))
		return;
	while ((rq = TAILQ_FIRST(&pl->queue)) != NULL) {
		dequeue(pl, rq);
		pl->kind->fail(rq, why);
		pl->kind->free(rq);
	}
}

/* Drop the queued requests that match, say those of a lost client. */
void
pool_drop(struct pool *pl, int (*match)(const struct preq *))
{
	struct preq	*rq, *next;

	TAILQ_FOREACH_SAFE(rq, &pl->queue, entry, next) {
		if (match(rq)) {
			dequeue(pl, rq);
			pl->kind->free(rq);
		}
	}
}

/*
 * Queue a request, to run when a runner is free.  -1 when it cannot be
 * taken (no runner can start, or the queue is full), why in err; the
 * caller still owns it then.  The monitor's own requests take no
 * client's place in the queue.
 */
int
pool_submit(struct pool *pl, struct preq *rq, char *err, size_t errlen)
{
	uint32_t	 running = pl->kind->running();

	if (!slots_alive(pl, err, errlen))
		return -1;
	if (rq->nslots > running) {
		snprintf(err, errlen, "%u jobs at once, more than the %u %ss",
		    rq->nslots, running, pl->kind->name);
		return -1;
	}
	if (!rq->internal && slots_next(pl, (int)running) == NULL &&
	    pl->nqueued - pl->ninternal >= mon->conf->queue) {
		snprintf(err, errlen, "all %u %ss are busy and %u requests "
		    "wait; try again", running, pl->kind->name,
		    pl->nqueued - pl->ninternal);
		return -1;
	}
	clock_gettime(CLOCK_MONOTONIC, &rq->queued);
	TAILQ_INSERT_TAIL(&pl->queue, rq, entry);
	pl->nqueued++;
	if (rq->internal)
		pl->ninternal++;
	pool_run(pl);
	return 0;
}

/*
 * Hand queued requests to runners, oldest request first; called again
 * whenever a job is answered, since one fewer is running.  A request of
 * several jobs waits until it has slots for all of them, and those
 * behind it wait too, so that it is never starved.
 */
void
pool_run(struct pool *pl)
{
	struct preq	*rq;
	struct slot	*s[MAX_RUNNERS];
	uint32_t	 i, n;
	int		 running;

	/* Slots anew each time: the kind's start() can answer. */
	for (;;) {
		running = (int)pl->kind->running();
		if ((rq = TAILQ_FIRST(&pl->queue)) == NULL)
			return;
		n = rq->nslots > 1 ? rq->nslots : 1;
		if ((uint32_t)slots_free(pl, running) < n)
			return;
		dequeue(pl, rq);
		pool_stage(pl, STAGE_QUEUE, &rq->queued);
		rq->refs = n;
		for (i = 0; i < n; i++) {
			s[i] = slots_next(pl, running);
			s[i]->req = rq;
			s[i]->part = i;
			s[i]->p.state = SLOT_BUSY;
		}
		for (i = 0; i < n; i++)
			pl->kind->start(s[i]);
	}
}

const char *const pool_stage_names[NSTAGES] = {
	"queue", "attach", "load", "measure", "teardown", "cgroup"
};

const char *const cpu_stage_names[NCPUSTAGES] = {
	"start", "setup", "wait", "load", "finish"
};

/* ns of a runner's CPU time, to stage. */
void
pool_cpu(struct pool *pl, enum cpu_stage stage, uint64_t ns)
{
	pl->cpu_stage_ns[stage] += ns;
	pl->cpu_stage_count[stage]++;
}

/*
 * The CPU marks of s's runner, from its plan (proto.h, struct run_plan),
 * sent while only the runner's own code had run: each stage up to the
 * plan.  The rest is counted once the runner is reaped (slot.c,
 * slot_exited()).  Marks out of order, or a first one of zero (its clock
 * failed), count nothing.
 */
void
pool_cpu_marks(struct pool *pl, struct slot *s, const uint64_t *marks)
{
	int	 i;

	if (marks[CPU_BORN] == 0)
		return;
	for (i = 1; i < CPU_NMARKS; i++)
		if (marks[i] < marks[i - 1])
			return;
	pool_cpu(pl, CS_START, marks[CPU_BORN]);
	pool_cpu(pl, CS_SETUP, marks[CPU_READY] - marks[CPU_BORN]);
	pool_cpu(pl, CS_WAIT, marks[CPU_JOB] - marks[CPU_READY]);
	pool_cpu(pl, CS_LOAD, marks[CPU_PLAN] - marks[CPU_JOB]);
	s->plan_ns = marks[CPU_PLAN];
}

/* The time since *since, to stage; *since becomes now. */
void
pool_stage(struct pool *pl, enum pool_stage stage, struct timespec *since)
{
	struct timespec	 now;
	int64_t		 us;

	clock_gettime(CLOCK_MONOTONIC, &now);
	us = (int64_t)(now.tv_sec - since->tv_sec) * 1000000 +
	    (now.tv_nsec - since->tv_nsec) / 1000;
	pl->stage_usecs[stage] += us > 0 ? (uint64_t)us : 0;
	pl->stage_count[stage]++;
	*since = now;
}

void
pool_stats(struct pool *pl, struct pool_stats *ps)
{
	slots_stats(pl, ps);
	memcpy(ps->stage_usecs, pl->stage_usecs, sizeof(ps->stage_usecs));
	memcpy(ps->stage_count, pl->stage_count, sizeof(ps->stage_count));
	memcpy(ps->cpu_stage_ns, pl->cpu_stage_ns, sizeof(ps->cpu_stage_ns));
	memcpy(ps->cpu_stage_count, pl->cpu_stage_count,
	    sizeof(ps->cpu_stage_count));
	ps->queued = pl->nqueued;
	ps->queue_max = mon->conf->queue;
}
