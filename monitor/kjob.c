/*
 * The kernel job: what the pool (pool.c) runs for a kernel request.  It
 * says what a kernel runner may send in which state, what it is sent
 * (the job and the sealed object), how its report is checked, how its
 * death becomes an outcome, and how either becomes the answer to the
 * client, or to the monitor's own self-test.
 *
 * A runner's messages are hostile once its kernel has run: the result has
 * a fixed size, every count and string in it is checked, and anything odd
 * is a failed run for that request only.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <seccomp.h>
#include <x86intrin.h>

#include "common.h"
#include "monitor.h"

/* A kernel request in the pool's queue or in a slot. */
struct kreq {
	struct preq		 q;		/* first: the pool's part */
	uint32_t		 reqid;
	uint32_t		 gen;		/* net_generation() when asked */
	int			 memfd;
	int			 json;
	struct job		 job;
	struct resolved		 rsv;
	/* Internal requests (the self-test) are answered here instead. */
	void			(*done)(const struct run_result *, void *);
	void			*done_arg;
	struct stepper		 step;		/* without a PMU */
	uint64_t		 tsc0;		/* when the job went */
	struct timespec		 stage;		/* pool_stage()'s clock */
	int			 planned;	/* plan was sent */
	struct run_plan		 plan;		/* IMSG_RUNNER_PLAN */
	int			 witness;	/* its fd, or -1 */
};

static struct kreq *kreq_of(struct preq *);
static void	 request_fail(struct kreq *, const char *);
static void	 kjob_start(struct slot *);
static void	 kjob_send(void *, int);
static void	 kjob_broke(struct slot *, const char *);
static void	 kjob_died(struct slot *, int);
static void	 kjob_fail(struct preq *, const char *);
static void	 kjob_free(struct preq *);
static int	 kjob_result(struct proc *, struct imsg *);
static int	 kjob_plan(struct proc *, struct imsg *);
static int	 kjob_stale(const struct preq *);
static void	 answer(struct slot *, const struct run_result *);
static void	 answer_client(const struct kreq *, const struct run_result *);

/*
 * What a kernel runner may send the monitor: proto.h's "RUN -> MON".
 * It says it is ready once, while it starts; it plans and reports once
 * each, while it serves its job; anything else is a violation (proc.c).
 */
static const struct proc_msg runner_msgs[] = {
	{ IMSG_RUNNER_READY, "ready message", PS(SLOT_STARTING), PM_ONCE,
	    0, slot_ready },
	{ IMSG_RUNNER_PLAN, "plan", PS(SLOT_BUSY), PM_ONCE | PM_MAYFD,
	    sizeof(struct run_plan), kjob_plan },
	{ IMSG_RESULT, "result", PS(SLOT_BUSY), PM_ONCE,
	    sizeof(struct run_result), kjob_result },
};

static uint32_t	 kjob_running(void);
static void	 kjob_spawn(struct spawn_req *, uint64_t *, uint32_t *);

static const struct pool_kind kernel_kind = {
	.name = "runner",
	.cgtag = "",
	.keep_cgroup = 1,
	.running = kjob_running,
	.spawn = kjob_spawn,
	.msgs = runner_msgs,
	.nmsgs = sizeof(runner_msgs) / sizeof(runner_msgs[0]),
	.start = kjob_start,
	.broke = kjob_broke,
	.died = kjob_died,
	.fail = kjob_fail,
	.free = kjob_free
};

static struct pool	 kpool;
static uint64_t		 runs_by_status[RS_UNAVAILABLE + 1];
static uint64_t		 disagreements;

void
kjob_init(void)
{
	(void)host_pmu(NULL);
	pool_init(&kpool, &kernel_kind);
}

void
kjob_stop(void)
{
	pool_stop(&kpool);
}

/* Who is told when kernel runners get ready again after failing. */
void
kjob_on_recover(void (*cb)(void))
{
	pool_on_recover(&kpool, cb);
}

/* Whether kernels can run now; if not, why not in reason. */
int
kjob_healthy(char *reason, size_t len)
{
	return slots_healthy(&kpool, reason, len);
}

static uint32_t
kjob_running(void)
{
	return mon->conf->runners;
}

/* A kernel runner's cgroup limits and identity. */
static void
kjob_spawn(struct spawn_req *req, uint64_t *memory, uint32_t *pids)
{
	req->uid = mon->conf->runner_uid;
	req->cpu_secs = mon->conf->time_limit / 1000 + 1;
	*memory = mon->conf->memory_limit;
	*pids = mon->conf->pids_limit;
}

/* One more answer of this outcome, for the metrics. */
void
kjob_count(uint32_t status)
{
	if (status <= RS_UNAVAILABLE)
		runs_by_status[status]++;
}

static struct kreq *
kreq_of(struct preq *q)
{
	return (struct kreq *)(void *)q;
}

/* An internal request that cannot run: its owner learns why. */
static void
request_fail(struct kreq *rq, const char *why)
{
	struct run_result	 res;

	memset(&res, 0, sizeof(res));
	res.status = RS_UNAVAILABLE;
	strlcpy(res.reason, why, sizeof(res.reason));
	rq->done(&res, rq->done_arg);
}

/* No runner can start: the queued request is answered now. */
static void
kjob_fail(struct preq *q, const char *why)
{
	struct kreq	*rq = kreq_of(q);
	struct http_res	 hr;

	if (rq->done != NULL)
		request_fail(rq, why);
	else if (rq->gen == net_generation()) {
		kjob_count(RS_UNAVAILABLE);
		format_error(503, RS_UNAVAILABLE, why, rq->json, &hr);
		hr.retry_after = 5;
		net_compose(IMSG_HTTP_RES, rq->reqid, -1, &hr,
		    HTTP_RES_SIZE(&hr));
	}
}

static void
kjob_free(struct preq *q)
{
	struct kreq	*rq = kreq_of(q);

	if (rq->memfd != -1)
		close(rq->memfd);
	if (rq->witness != -1)
		close(rq->witness);
	stepper_stop(&rq->step);
	free(rq);
}

/* A client's request asked through the network process that is gone. */
static int
kjob_stale(const struct preq *q)
{
	const struct kreq	*rq = (const struct kreq *)(const void *)q;

	return rq->done == NULL && rq->gen == net_generation();
}

/* The network process is gone: its queued requests have no client. */
void
runners_net_lost(void)
{
	pool_drop(&kpool, kjob_stale);
}

int
runners_submit(uint32_t reqid, const struct job *job, int memfd,
    const struct resolved *rsv, int json, int *code, char *err,
    size_t errlen)
{
	struct kreq	*rq;

	if ((rq = calloc(1, sizeof(*rq))) == NULL) {
		close(memfd);
		*code = 500;
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	stepper_init(&rq->step);
	rq->witness = -1;
	rq->reqid = reqid;
	rq->gen = net_generation();
	rq->memfd = memfd;
	rq->json = json;
	rq->job = *job;
	rq->rsv = *rsv;
	if (pool_submit(&kpool, &rq->q, err, errlen) == -1) {
		kjob_free(&rq->q);
		*code = 503;
		kjob_count(RS_UNAVAILABLE);
		return -1;
	}
	return 0;
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
	struct kreq	*rq;

	if ((rq = calloc(1, sizeof(*rq))) == NULL) {
		close(memfd);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	stepper_init(&rq->step);
	rq->witness = -1;
	rq->q.internal = 1;
	rq->memfd = memfd;
	rq->job = *job;
	rq->rsv.time_limit = time_limit;
	rq->done = done;
	rq->done_arg = arg;
	if (pool_submit(&kpool, &rq->q, err, errlen) == -1) {
		kjob_free(&rq->q);
		return -1;
	}
	return 0;
}

/* The slot's runner takes the request the pool gave it. */
static void
kjob_start(struct slot *s)
{
	struct kreq		*rq = kreq_of(s->req);
	struct run_result	 res;
	char			 path[PATH_MAX + 32];

	/*
	 * A request that asked for less memory gets it before it runs, and
	 * the next runner its own again (cgroup_reuse()).
	 */
	if (rq->rsv.memory_limit == 0)
		rq->rsv.memory_limit = mon->conf->memory_limit;
	else if (rq->rsv.memory_limit < mon->conf->memory_limit) {
		if (cgroup_set_memory(s->cgname, &s->kept,
		    rq->rsv.memory_limit, path, sizeof(path)) == -1) {
			log_warn("runner slot %d: %s", s->index, path);
			memset(&res, 0, sizeof(res));
			res.status = RS_INTERNAL;
			strlcpy(res.reason, "cannot set the memory limit",
			    sizeof(res.reason));
			answer(s, &res);
			slot_kill(s);
			return;
		}
	}
	if (rq->rsv.time_limit == 0)
		rq->rsv.time_limit = mon->conf->time_limit;
	clock_gettime(CLOCK_MONOTONIC, &rq->stage);
	/*
	 * Without a PMU the stepper counts instructions: the job goes once
	 * it has attached, before the runner has anything to run.
	 */
	if (rq->job.stepmax != 0 && !host_pmu(NULL)) {
		/*
		 * The slot's stepper serves its runners one at a time: should
		 * it never attach, the time limit ends the wait, and the
		 * runner, which frees it.
		 */
		slot_set_deadline(s, rq->rsv.time_limit);
		if (stepper_start(&rq->step, s->index, s->p.pid,
		    (uid_t)(mon->conf->runner_uid + (uint32_t)s->index),
		    rq->job.stepmax, kjob_send, s) == 0)
			return;
		log_warn("runner slot %d: cannot start a stepper", s->index);
	}
	kjob_send(s, 0);
}

/* The job, to the slot's runner; stepped: whether a stepper is on it. */
static void
kjob_send(void *arg, int stepped)
{
	struct slot	*s = arg;
	struct kreq	*rq = kreq_of(s->req);
	int		 fd;

	if (!stepped)
		rq->job.stepmax = 0;
	pool_stage(&kpool, STAGE_ATTACH, &rq->stage);
	fd = rq->memfd;
	rq->memfd = -1;
	rq->tsc0 = __rdtsc();
	if (proc_compose(&s->p, IMSG_JOB, rq->reqid, fd, &rq->job,
	    sizeof(rq->job)) == -1) {
		log_warnx("%s: cannot send the job", s->p.name);
		slot_kill(s);
		return;
	}
	slot_set_deadline(s, rq->rsv.time_limit);
}

/*
 * IMSG_RESULT: the report of a runner whose kernel has run.  -1, a
 * violation, for anything a runner cannot have meant.
 */
static int
kjob_result(struct proc *p, struct imsg *imsg)
{
	struct slot		*s = slot_of(p);
	struct kreq		*rq;
	struct run_result	 res;
	char			*name, why[WR_REASONLEN / 2];

	if (imsg_get_data(imsg, &res, sizeof(res)) == -1 ||
	    (res.status != RS_OK && res.status != RS_LOAD_ERROR &&
	    res.status != RS_BAD_JOB && res.status != RS_NO_MEMORY &&
	    res.status != RS_COUNTER_ERROR && res.status != RS_SIGNALLED &&
	    res.status != RS_SYSCALL && res.status != RS_INTERNAL) ||
	    events_clean(&res) == -1)
		return -1;
	str_clean(res.reason, sizeof(res.reason), res.reason,
	    sizeof(res.reason));
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
	rq = kreq_of(s->req);
	if (rq->planned)
		pool_stage(&kpool, STAGE_MEASURE, &rq->stage);
	if (res.status == RS_OK && counts_check(&res, rq->planned ?
	    &rq->plan : NULL, rq->witness, &rq->step, rq->job.stepmax,
	    rq->tsc0, why, sizeof(why)) == -1) {
		log_warnx("%s: counters disagree: %s", p->name, why);
		disagreements++;
		memset(&res, 0, sizeof(res));
		res.status = RS_INTERNAL;
		snprintf(res.reason, sizeof(res.reason), "counters disagree "
		    "(%s)", why);
	}
	answer(s, &res);
	/*
	 * Answered: the runner sleeps until it is killed (runner.c,
	 * send_result()), and nothing it could still send would change the
	 * answer.
	 */
	slot_kill(s);
	return 0;
}

/*
 * IMSG_RUNNER_PLAN: the events the result will list and the witness
 * counters, sent before the kernel runs, so the runner's own.  Kept to
 * hold the result to.
 */
static int
kjob_plan(struct proc *p, struct imsg *imsg)
{
	struct kreq	*rq = kreq_of(slot_of(p)->req);

	rq->witness = imsg_take_fd(imsg);
	if (imsg_get_data(imsg, &rq->plan, sizeof(rq->plan)) == -1 ||
	    events_clean(&rq->plan.res) == -1 ||
	    rq->plan.nwitness > WR_MAXWITNESS)
		return -1;
	rq->planned = 1;
	pool_stage(&kpool, STAGE_LOAD, &rq->stage);
	pool_cpu_marks(&kpool, slot_of(p), rq->plan.cpu_ns);
	return 0;
}

/* A busy runner broke the protocol: the request fails with why. */
static void
kjob_broke(struct slot *s, const char *why)
{
	struct run_result	 res;

	memset(&res, 0, sizeof(res));
	res.status = RS_INTERNAL;
	snprintf(res.reason, sizeof(res.reason), "%s from the runner", why);
	answer(s, &res);
}

/* A busy runner died without a report: how it died is the answer. */
static void
kjob_died(struct slot *s, int status)
{
	struct kreq		*rq = kreq_of(s->req);
	struct run_result	 res;

	memset(&res, 0, sizeof(res));
	if (s->timed_out) {
		res.status = RS_TIME_LIMIT;
		snprintf(res.reason, sizeof(res.reason), "ran longer than "
		    "%llu ms", (unsigned long long)rq->rsv.time_limit);
	} else if (slot_oom_killed(s)) {
		res.status = RS_MEMORY_LIMIT;
		snprintf(res.reason, sizeof(res.reason), "used more than %llu "
		    "bytes", (unsigned long long)rq->rsv.memory_limit);
	} else if (WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS) {
		res.status = RS_SYSCALL;
		snprintf(res.reason, sizeof(res.reason), "system call "
		    "refused outright (int 0x80, x32, or before the kernel "
		    "ran)");
	} else if (WIFSIGNALED(status) && WTERMSIG(status) == SIGXCPU) {
		res.status = RS_TIME_LIMIT;
		snprintf(res.reason, sizeof(res.reason), "CPU time limit "
		    "reached");
	} else if (WIFSIGNALED(status)) {
		res.status = RS_SIGNALLED;
		snprintf(res.reason, sizeof(res.reason), "SIG%s",
		    signame(WTERMSIG(status)));
	} else {
		res.status = RS_INTERNAL;
		snprintf(res.reason, sizeof(res.reason), "runner exited with "
		    "status %d and no result", WEXITSTATUS(status));
	}
	answer(s, &res);
}

static void
answer(struct slot *s, const struct run_result *res)
{
	struct kreq	*rq;

	if (s->answered || s->req == NULL)
		return;
	s->answered = 1;
	rq = kreq_of(s->req);
	if (rq->done != NULL)
		rq->done(res, rq->done_arg);
	else {
		kjob_count(res->status);
		/* Else its client went with the old network process. */
		if (rq->gen == net_generation())
			answer_client(rq, res);
	}
	/*
	 * One job fewer running: a waiting request may take an idle runner,
	 * once this answer is on its way.
	 */
	pool_run(&kpool);
}

/* A client's request: its answer, to the network process. */
static void
answer_client(const struct kreq *rq, const struct run_result *res)
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

/* The pool's numbers, and the answers by outcome. */
void
runners_stats(struct pool_stats *ps)
{
	int	 i;

	pool_stats(&kpool, ps);
	for (i = 0; i <= RS_UNAVAILABLE; i++)
		ps->runs[i] = runs_by_status[i];
	ps->disagree = disagreements;
}
