/*
 * The runner pool: the queue of requests in front of the slots
 * (slot.c), for any kind of job.  A request takes an idle runner (no
 * fork, exec, namespace or cgroup work on the request path), or waits in
 * a bounded queue, or is refused; at most `runners' jobs run at once, so
 * that as many runners stay ready while they do.  What a job is, what
 * its runner is sent and how its end becomes an answer are the
 * pool_kind's (kjob.c for kernels); a program runner will be another
 * kind beside it.
 */
#include <sys/types.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "monitor.h"

static void	 slot_ready_hook(int);
static void	 dequeue(struct preq *);
static void	 pool_check(void);

static const struct slot_hooks	 hooks = {
	.ready = slot_ready_hook,
	.gone = pool_check
};

static const struct pool_kind	*pk;
static TAILQ_HEAD(, preq) queue = TAILQ_HEAD_INITIALIZER(queue);
static uint32_t		 nqueued;
static uint32_t		 ninternal;	/* of them the monitor's own */
static void		(*recovered)(void);

void
pool_init(const struct pool_kind *kind)
{
	pk = kind;
	slots_init(kind, &hooks);
}

/* Who is told when runners get ready again after failing. */
void
pool_on_recover(void (*cb)(void))
{
	recovered = cb;
}

void
pool_stop(void)
{
	struct preq	*rq;

	while ((rq = TAILQ_FIRST(&queue)) != NULL) {
		TAILQ_REMOVE(&queue, rq, entry);
		pk->free(rq);
	}
	slots_stop();
}

/* A runner is ready: a request may take it. */
static void
slot_ready_hook(int first)
{
	pool_run();
	/* The first runner after a failure: check the service now. */
	if (first && recovered != NULL)
		recovered();
}

static void
dequeue(struct preq *rq)
{
	TAILQ_REMOVE(&queue, rq, entry);
	nqueued--;
	if (rq->internal)
		ninternal--;
}

/*
 * When no slot can get a runner, queued requests would wait for as long
 * as the cause lasts: the kind answers them now.
 */
static void
pool_check(void)
{
	struct preq	*rq;
	char		 why[WR_REASONLEN + 32];

	if (slots_alive(why, sizeof(why)))
		return;
	while ((rq = TAILQ_FIRST(&queue)) != NULL) {
		dequeue(rq);
		pk->fail(rq, why);
		pk->free(rq);
	}
}

/* Drop the queued requests that match, say those of a lost client. */
void
pool_drop(int (*match)(const struct preq *))
{
	struct preq	*rq, *next;

	TAILQ_FOREACH_SAFE(rq, &queue, entry, next) {
		if (match(rq)) {
			dequeue(rq);
			pk->free(rq);
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
pool_submit(struct preq *rq, char *err, size_t errlen)
{
	if (!slots_alive(err, errlen))
		return -1;
	if (!rq->internal && slots_next((int)mon->conf->runners) == NULL &&
	    nqueued - ninternal >= mon->conf->queue) {
		snprintf(err, errlen, "all %u runners are busy and %u requests "
		    "wait; try again", mon->conf->runners, nqueued - ninternal);
		return -1;
	}
	TAILQ_INSERT_TAIL(&queue, rq, entry);
	nqueued++;
	if (rq->internal)
		ninternal++;
	pool_run();
	return 0;
}

/*
 * Hand queued requests to runners, oldest request first; called again
 * whenever a job is answered, since one fewer is running.
 */
void
pool_run(void)
{
	struct preq	*rq;
	struct slot	*s;

	/* slots_next() anew each time: the kind's start() can answer. */
	while ((rq = TAILQ_FIRST(&queue)) != NULL &&
	    (s = slots_next((int)mon->conf->runners)) != NULL) {
		dequeue(rq);
		s->req = rq;
		s->p.state = SLOT_BUSY;
		pk->start(s);
	}
}

void
pool_stats(struct pool_stats *ps)
{
	slots_stats(ps);
	ps->queued = nqueued;
	ps->queue_max = mon->conf->queue;
}
