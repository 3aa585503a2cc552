/*
 * The program job: what the pool of program runners (pool.c, slot.c,
 * runner/prog.c) runs for POST /run, go-judge's API.
 *
 * The network process sends a request as IMSG_PRUN_FILE (a command's
 * input, a sealed memfd), IMSG_PRUN_CMD (each command) and IMSG_PRUN_REQ
 * (complete); they come back to back, so one request is put together at
 * a time, and anything out of that order is a violation.  Each command is
 * checked and clamped again (prun.c).  The command's runner is already
 * in its namespaces and cgroup; it is given its memory and process
 * limits, its input memfds and the write ends of pipes that collect its
 * outputs, then the job.  The monitor drains the pipes itself, each into
 * a buffer with its byte budget, keeps the clock, polls the CPU time of
 * the whole cgroup, and on any limit kills every process of the command
 * but the runner's init, which brings back the copyOut files (the runner
 * with it if that takes long): the runner's own
 * report (how the command ended) is believed only for that, and every
 * figure in the answer is the monitor's own.  A command's result is
 * decided once its runner is reaped, when its pipes can hold nothing
 * more.
 *
 * The commands of one request (pipeMapping) start together, each in a
 * slot of its own that the pool hands out at once, joined by the pipes
 * of ppipe.c; each keeps its own limits, and the answer goes once the
 * last one is reaped.
 */
#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <linux/perf_event.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>
#include <jansson.h>
#include <seccomp.h>

#include "common.h"
#include "monitor.h"

#define EXTRA_MEMORY	(16 * 1024)	/* go-judge's, above the limit */
#define TICK_MIN_MS	10		/* CPU time polled at most so often */
#define TICK_MAX_MS	100		/* and at least (go-judge's tick) */
#define NCOUNTERS	2		/* instructions, cycles */
#define STOP_GRACE_MS	2000		/* for init to bring files back */

/* An output collected from a pipe. */
struct pcollect {
	int			 fd;		/* read end; -1: at its end */
	struct event		*ev;
	char			 name[WR_NAMELEN];
	uint64_t		 max;
	char			*buf;
	size_t			 len;
	size_t			 cap;
	int			 over;		/* more than max came */
};

/* One command of a request, checked. */
struct pjcmd {
	struct pjob		 job;
	struct plimits		 lim;
	struct pfile		 files[WR_MAXFDS];
	int			 infd[WR_MAXFDS];	/* PF_CONTENT memfds */
	uint8_t			 nosrc[WR_MAXFDS];	/* a src not had */
	uint32_t		 cached;	/* collectors to the store, by
						   fd (prun_cached_fds()) */
	struct pcopy		 copy;
	/* While it runs, in a slot of its own: */
	struct pjreq		*rq;
	uint32_t		 index;
	struct slot		*slot;
	struct pcollect		 col[WR_MAXFDS];
	struct event		*tick;
	struct timespec		 started;
	uint64_t		 run_ns;	/* wall time, at its report */
	struct presult		 res;
	int			 reported;
	int			 ole;		/* stopped for its output */
	int			 tle;		/* stopped for its CPU time */
	int			 clock_out;	/* stopped by its clock */
	int			 stopping;	/* cmd_stop() */
	uint64_t		 cpu_ns;	/* CPU time last seen running */
	int			 ctr[NCOUNTERS];	/* perf fds, or -1 */
	/* Once reaped: */
	json_t			*result;
	json_t			*fileids;	/* what it stored */
};

/* A program request in the pool's queue or in a slot. */
struct pjreq {
	struct preq		 q;		/* first: the pool's part */
	uint32_t		 reqid;
	uint32_t		 gen;		/* net_generation() when asked */
	uint32_t		 ncmds;
	struct pjcmd		*cmds[WR_MAXCMDS];
	uint32_t		 npipes;
	struct ppipe		 pipes[WR_MAXPIPES];
	/* While its commands run: */
	int			 pipes_open;
	uint32_t		 ndone;		/* commands reaped */
	/* Being put together: */
	int			 fault;		/* 400 at IMSG_PRUN_REQ */
	char			 why[WR_REASONLEN];
};

static struct pjreq *pjreq_of(struct preq *);
static struct pjreq *pjreq_new(uint32_t);
static void	 pjreq_free(struct pjreq *);
static struct pjcmd *pjcmd_of(struct slot *);
static void	 pjob_start(struct slot *);
static int	 pipes_check(struct pjreq *, const struct prun_req *);
static void	 pjob_finish(struct pjreq *);
static void	 pjob_broke(struct slot *, const char *);
static void	 pjob_died(struct slot *, int);
static void	 cmd_stop(struct pjcmd *);
static int	 pjob_expire(struct slot *);
static void	 pjob_fail(struct preq *, const char *);
static void	 pjob_free(struct preq *);
static int	 pjob_result(struct proc *, struct imsg *);
static int	 pjob_pfile(struct proc *, struct imsg *);
static int	 pjob_stale(const struct preq *);
static uint32_t	 pjob_running(void);
static void	 pjob_spawn(struct spawn_req *, uint64_t *, uint32_t *);
static void	 collect_read(int, short, void *);
static void	 collect_drain(struct pcollect *, struct pjcmd *);
static void	 tick(int, short, void *);
static void	 answer_file_error(struct pjreq *);
static uint64_t	 elapsed_ns(const struct timespec *);
static void	 counters_open(struct pjcmd *, pid_t);
static void	 counters_close(struct pjcmd *);

/*
 * What a program runner may send the monitor: proto.h's "RUN -> MON".
 * It says it is ready once, while it starts; it reports once, while it
 * serves its job; anything else is a violation (proc.c).
 */
static const struct proc_msg prunner_msgs[] = {
	{ IMSG_RUNNER_READY, "ready message", PS(SLOT_STARTING), PM_ONCE,
	    0, slot_ready },
	{ IMSG_PFILE, "program file", PS(SLOT_BUSY), PM_MAYFD,
	    sizeof(struct pfile_res), pjob_pfile },
	{ IMSG_PRESULT, "program result", PS(SLOT_BUSY), PM_ONCE,
	    sizeof(struct presult), pjob_result },
};

static const struct pool_kind program_kind = {
	.name = "program runner",
	.cgtag = "p",
	.program = 1,
	.running = pjob_running,
	.spawn = pjob_spawn,
	.msgs = prunner_msgs,
	.nmsgs = sizeof(prunner_msgs) / sizeof(prunner_msgs[0]),
	.start = pjob_start,
	.broke = pjob_broke,
	.died = pjob_died,
	.expire = pjob_expire,
	.fail = pjob_fail,
	.free = pjob_free
};

/* go-judge's statuses, by its names (envexec/run_status.go). */
enum pstatus {
	PS_ACCEPTED = 0,
	PS_MEMORY,
	PS_TIME,
	PS_OUTPUT,
	PS_FILE,
	PS_NONZERO,
	PS_SIGNALLED,
	PS_SYSCALL,
	PS_INTERNAL,
	PS_MAX
};
static const char *pstatus_names[PS_MAX] = {
	"Accepted", "Memory Limit Exceeded", "Time Limit Exceeded",
	"Output Limit Exceeded", "File Error", "Nonzero Exit Status",
	"Signalled", "Dangerous Syscall", "Internal Error"
};

static struct pool	 ppool;
static int		 started;
static struct pjreq	*building;	/* the request being put together */
static uint64_t		 runs_by_status[PS_MAX];

void
pjob_init(void)
{
	if (!mon->conf->program_mode)
		return;
	started = 1;
	pool_init(&ppool, &program_kind);
}

void
pjob_stop(void)
{
	if (building != NULL)
		pjreq_free(building);
	building = NULL;
	if (started)
		pool_stop(&ppool);
}

static uint32_t
pjob_running(void)
{
	return mon->conf->program_runners;
}

/*
 * A program runner is made with the largest limits a command may get;
 * its job's own are set before it starts (pjob_start()).
 */
static void
pjob_spawn(struct spawn_req *req, uint64_t *memory, uint32_t *pids)
{
	req->uid = mon->conf->program_uid;
	req->cpu_secs = (uint32_t)(mon->conf->program_time_limit / 1000 + 2);
	req->tmpfs_bytes = mon->conf->program_tmpfs;
	*memory = mon->conf->program_memory_limit + EXTRA_MEMORY;
	*pids = mon->conf->program_proc_limit + 1;
}

/* The configured caps a command is clamped to. */
void
pjob_caps(struct prun_caps *caps)
{
	const char	*why;
	long		 n;

	memset(caps, 0, sizeof(*caps));
	caps->time_ms = mon->conf->program_time_limit;
	caps->memory = mon->conf->program_memory_limit;
	caps->proc = mon->conf->program_proc_limit;
	caps->output = mon->conf->program_output_limit;
	caps->copyout = mon->conf->program_copyout_limit;
	caps->tmpfs = mon->conf->program_tmpfs;
	n = sysconf(_SC_NPROCESSORS_ONLN);
	caps->ncpu = n > 0 ? (uint32_t)n : 1;
	caps->have_pmu = host_pmu(&why);
	strlcpy(caps->pmu_reason, why, sizeof(caps->pmu_reason));
}

static struct pjreq *
pjreq_of(struct preq *q)
{
	return (struct pjreq *)(void *)q;
}

static struct pjreq *
pjreq_new(uint32_t reqid)
{
	struct pjreq	*rq;
	int		 i;

	if ((rq = calloc(1, sizeof(*rq))) == NULL)
		return NULL;
	rq->reqid = reqid;
	rq->gen = net_generation();
	for (i = 0; i < WR_MAXPIPES; i++)
		ppipe_init(&rq->pipes[i]);
	return rq;
}

static void
pjreq_free(struct pjreq *rq)
{
	struct pjcmd	*pc;
	uint32_t	 c;
	int		 i;

	for (c = 0; c < WR_MAXCMDS; c++) {
		if ((pc = rq->cmds[c]) == NULL)
			continue;
		for (i = 0; i < WR_MAXFDS; i++) {
			if (pc->infd[i] != -1)
				close(pc->infd[i]);
			if (pc->col[i].ev != NULL)
				event_free(pc->col[i].ev);
			if (pc->col[i].fd != -1)
				close(pc->col[i].fd);
			free(pc->col[i].buf);
		}
		if (pc->tick != NULL)
			event_free(pc->tick);
		counters_close(pc);
		pcopy_free(&pc->copy);
		json_decref(pc->result);
		json_decref(pc->fileids);
		free(pc);
	}
	for (i = 0; i < WR_MAXPIPES; i++)
		ppipe_free(&rq->pipes[i]);
	free(rq);
}

/* Once per slot that held it, or once from the queue. */
static void
pjob_free(struct preq *q)
{
	if (q->refs > 1) {
		q->refs--;
		return;
	}
	pjreq_free(pjreq_of(q));
}

/* The command a busy slot runs. */
static struct pjcmd *
pjcmd_of(struct slot *s)
{
	return pjreq_of(s->req)->cmds[s->part];
}

/* The command i of the request being put together, made if need be. */
static struct pjcmd *
building_cmd(uint32_t i)
{
	struct pjcmd	*c;
	int		 f;

	if (building->cmds[i] != NULL)
		return building->cmds[i];
	if ((c = calloc(1, sizeof(*c))) == NULL)
		fatal("calloc");
	for (f = 0; f < WR_MAXFDS; f++)
		c->infd[f] = c->col[f].fd = -1;
	for (f = 0; f < NCOUNTERS; f++)
		c->ctr[f] = -1;
	pcopy_init(&c->copy);
	c->rq = building;
	c->index = i;
	building->cmds[i] = c;
	return c;
}

/* The request a message belongs to: the one being put together. */
static int
building_take(uint32_t reqid)
{
	if (building == NULL) {
		if ((building = pjreq_new(reqid)) == NULL)
			fatal("calloc");
		return 0;
	}
	return building->reqid == reqid ? 0 : -1;
}

/* IMSG_PRUN_FILE: a command's input, a sealed memfd. */
int
pjob_file(struct proc *p UNUSED, struct imsg *imsg)
{
	struct prun_file	 pf;
	struct pjcmd		*c;
	uint64_t		 size;
	int			 fd;

	fd = imsg_take_fd(imsg);
	if (imsg_get_data(imsg, &pf, sizeof(pf)) == -1 ||
	    pf.cmd >= WR_MAXCMDS || pf.fd >= WR_MAXFDS ||
	    building_take(imsg->hdr.id) == -1 ||
	    pf.cmd != building->ncmds ||
	    memfd_check_sealed(fd, &size) == -1) {
		close(fd);
		return -1;
	}
	c = building_cmd(pf.cmd);
	if (c->infd[pf.fd] != -1) {
		close(fd);
		return -1;
	}
	c->infd[pf.fd] = fd;
	return 0;
}

/* IMSG_PRUN_COPYIN: a file for the next command's /w, a sealed memfd. */
int
pjob_copyin(struct proc *p UNUSED, struct imsg *imsg)
{
	struct prun_copyin	 ci;

	if (imsg_get_data(imsg, &ci, sizeof(ci)) == -1 ||
	    ci.cmd >= WR_MAXCMDS || building_take(imsg->hdr.id) == -1 ||
	    ci.cmd != building->ncmds) {
		close(imsg_take_fd(imsg));
		return -1;
	}
	return pcopy_in(&building_cmd(ci.cmd)->copy, imsg);
}

/*
 * IMSG_PRUN_SRC: an input or copyIn file of the next command from a host
 * path, opened now (src_open()), or from the file store.  A path the
 * client may not ask for makes the request a 400; a file that cannot be
 * had, a File Error without running it.
 */
int
pjob_src(struct proc *p UNUSED, struct imsg *imsg)
{
	static struct prun_src	 ps;
	struct pjcmd		*c;
	const char		*name;
	char			 why[WR_REASONLEN];
	uint64_t		 size;
	int			 fd, code = 0;

	if (imsg_get_data(imsg, &ps, sizeof(ps)) == -1 ||
	    ps.cmd >= WR_MAXCMDS || ps.fd > WR_MAXFDS || ps.fileid > 1 ||
	    (!ps.fileid && ps.src[0] != '/') ||
	    memchr(ps.src, '\0', sizeof(ps.src)) == NULL ||
	    building_take(imsg->hdr.id) == -1 || ps.cmd != building->ncmds)
		return -1;
	c = building_cmd(ps.cmd);
	if (ps.fd < WR_MAXFDS && c->infd[ps.fd] != -1)
		return -1;
	fd = -1;
	name = ps.fd < WR_MAXFDS ? ps.src : ps.path;
	if (building->fault)
		;
	else if (ps.fileid) {
		if (!file_id_ok(ps.src))
			name = ps.fd < WR_MAXFDS ? "fileId" : ps.path;
		if ((fd = store_get(ps.src, &size, NULL)) == -1)
			snprintf(why, sizeof(why), "fileId %.32s: %s",
			    file_id_ok(ps.src) ? ps.src : "?", errno ==
			    ENOENT ? "no such file in the file store" :
			    strerror(errno));
	} else
		fd = src_open(ps.src, mon->conf->program_tmpfs, &code, why,
		    sizeof(why));
	if (fd == -1 && !building->fault) {
		if (code != 0) {
			building->fault = code;
			strlcpy(building->why, why, sizeof(building->why));
		} else
			pcopy_fail(&c->copy, name, PFE_COPYIN_OPEN, why);
	}
	if (ps.fd == WR_MAXFDS)
		return pcopy_add(&c->copy, ps.path, fd, NULL);
	if (fd == -1)
		c->nosrc[ps.fd] = 1;
	c->infd[ps.fd] = fd;
	return 0;
}

/* IMSG_PRUN_CMD: the next command, after its inputs. */
int
pjob_cmd(struct proc *p UNUSED, struct imsg *imsg)
{
	static struct prun_cmd	 pc;	/* 33 KiB, off the stack */
	struct prun_caps	 caps;
	struct pjcmd		*c;
	int			 code, i;

	if (imsg_get_data(imsg, &pc, sizeof(pc)) == -1 ||
	    building_take(imsg->hdr.id) == -1 ||
	    pc.index != building->ncmds || pc.index >= WR_MAXCMDS)
		return -1;
	c = building_cmd(pc.index);
	building->ncmds++;
	pjob_caps(&caps);
	if (prun_check(&pc, &caps, &c->job, &c->lim, &code, building->why,
	    sizeof(building->why)) == -1) {
		if (code == 0)
			return -1;
		building->fault = code;
		return 0;
	}
	memcpy(c->files, pc.files, sizeof(c->files));
	c->cached = prun_cached_fds(&pc);
	/* Every input named has come, and no other. */
	if (pc.ncopyin != c->copy.nin)
		return -1;
	for (i = 0; i < WR_MAXFDS; i++)
		if ((c->files[i].kind == PF_CONTENT) !=
		    (c->infd[i] != -1 || c->nosrc[i]))
			return -1;
	for (i = 0; i < WR_MAXFDS; i++)
		if (c->files[i].kind == PF_COLLECT && (c->files[i].max == 0 ||
		    c->files[i].max > caps.output))
			c->files[i].max = caps.output;
	return 0;
}

/* IMSG_PRUN_REQ: the request is complete; queue it. */
int
pjob_req(struct proc *p UNUSED, struct imsg *imsg)
{
	struct prun_req	 pr;
	struct pjreq	*rq;
	char		 err[WR_REASONLEN];
	uint32_t	 i;

	if (imsg_get_data(imsg, &pr, sizeof(pr)) == -1 ||
	    building_take(imsg->hdr.id) == -1 ||
	    pr.ncmds != building->ncmds || pr.ncmds == 0 ||
	    pipes_check(building, &pr) == -1)
		return -1;
	rq = building;
	building = NULL;
	if (rq->fault) {
		net_answer_error(rq->reqid, rq->fault, rq->why);
		pjreq_free(rq);
		return 0;
	}
	for (i = 0; i < rq->ncmds; i++)
		if (rq->cmds[i]->copy.inerr.err != PFE_OK) {
			answer_file_error(rq);
			pjreq_free(rq);
			return 0;
		}
	rq->q.nslots = rq->ncmds;
	if (started && rq->ncmds > pjob_running()) {
		snprintf(err, sizeof(err), "%u commands run at once, each in "
		    "a runner of its own, and there are %u (program runners)",
		    rq->ncmds, pjob_running());
		net_answer_error(rq->reqid, 400, err);
		pjreq_free(rq);
		return 0;
	}
	if (!started) {
		net_answer_error(rq->reqid, 404, "program mode is off");
		pjreq_free(rq);
		return 0;
	}
	if (pool_submit(&ppool, &rq->q, err, sizeof(err)) == -1) {
		runs_by_status[PS_INTERNAL]++;
		net_answer_error(rq->reqid, 503, err);
		pjreq_free(rq);
	}
	return 0;
}

/*
 * pipeMapping as the network process checked it: each end a command of
 * the request and an fd its files leave null, no fd the end of two
 * pipes.  -1 for what it cannot have sent.
 */
static int
pipes_check(struct pjreq *rq, const struct prun_req *pr)
{
	const struct prun_pipe	*a;
	uint32_t		 i, k, cmd[2], fd[2], used[WR_MAXCMDS];

	if (pr->npipes > WR_MAXPIPES)
		return -1;
	memset(used, 0, sizeof(used));
	for (i = 0; i < pr->npipes; i++) {
		a = &pr->pipes[i];
		if (a->w_cmd >= rq->ncmds || a->r_cmd >= rq->ncmds ||
		    a->w_fd >= WR_MAXFDS || a->r_fd >= WR_MAXFDS ||
		    a->proxy > 1 ||
		    memchr(a->name, '\0', sizeof(a->name)) == NULL ||
		    (!a->proxy && a->name[0] != '\0'))
			return -1;
		cmd[0] = a->w_cmd;
		fd[0] = a->w_fd;
		cmd[1] = a->r_cmd;
		fd[1] = a->r_fd;
		for (k = 0; k < 2; k++) {
			if (rq->cmds[cmd[k]]->files[fd[k]].kind != PF_NONE ||
			    ((used[cmd[k]] >> fd[k]) & 1))
				return -1;
			used[cmd[k]] |= 1U << fd[k];
		}
		rq->pipes[i].pm = *a;
	}
	rq->npipes = pr->npipes;
	return 0;
}

/* A client's request asked through the network process that is gone. */
static int
pjob_stale(const struct preq *q)
{
	const struct pjreq	*rq = (const struct pjreq *)(const void *)q;

	return rq->gen == net_generation();
}

/* The network process is gone: what it asked has no client now. */
void
pjob_net_lost(void)
{
	if (building != NULL)
		pjreq_free(building);
	building = NULL;
	if (started)
		pool_drop(&ppool, pjob_stale);
}

/* No runner can start: the queued request is answered now. */
static void
pjob_fail(struct preq *q, const char *why)
{
	struct pjreq	*rq = pjreq_of(q);

	if (rq->gen == net_generation())
		net_answer_error(rq->reqid, 503, why);
}

/* Open a pipe for the collector on fd i; its write end goes in *wfd. */
static int
collect_open(struct pjcmd *c, int i, const struct pfile *f, int *wfd)
{
	struct pcollect	*col = &c->col[i];
	int		 fds[2];

	if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) == -1)
		return -1;
	/* The command's end blocks, as a program expects of its stdout. */
	if (fcntl(fds[1], F_SETFL, 0) == -1) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	col->fd = fds[0];
	strlcpy(col->name, f->name, sizeof(col->name));
	col->max = f->max;
	if ((col->ev = event_new(mon->base, col->fd, EV_READ | EV_PERSIST,
	    collect_read, c)) == NULL || event_add(col->ev, NULL) == -1)
		fatalx("event_new");
	*wfd = fds[1];
	return 0;
}

/*
 * The pipes of the request, made once before its first command is sent:
 * every command gets its ends in its own start.
 */
static int
pipes_open(struct pjreq *rq)
{
	uint32_t	 i;

	if (rq->pipes_open)
		return 0;
	rq->pipes_open = 1;
	for (i = 0; i < rq->npipes; i++)
		if (ppipe_open(&rq->pipes[i], &rq->pipes[i].pm,
		    rq->pipes[i].pm.max > 0 && rq->pipes[i].pm.max <
		    mon->conf->program_output_limit ? rq->pipes[i].pm.max :
		    mon->conf->program_output_limit) == -1)
			return -1;
	return 0;
}

/* The fd a command gets as its fd i: an input, a collector or a pipe. */
static int
cmd_fd(struct pjcmd *c, int i, int *fdp)
{
	struct pjreq	*rq = c->rq;
	struct ppipe	*pp;
	uint32_t	 k;
	int		 fd;

	*fdp = -1;
	switch (c->files[i].kind) {
	case PF_CONTENT:
		fd = c->infd[i];
		c->infd[i] = -1;
		/* Written by the network process: read it from the top. */
		if (lseek(fd, 0, SEEK_SET) == -1) {
			close(fd);
			return -1;
		}
		*fdp = fd;
		return 0;
	case PF_COLLECT:
		return collect_open(c, i, &c->files[i], fdp);
	}
	for (k = 0; k < rq->npipes; k++) {
		pp = &rq->pipes[k];
		if (pp->pm.w_cmd == c->index && pp->pm.w_fd == (uint32_t)i) {
			*fdp = pp->end[0];
			pp->end[0] = -1;
		} else if (pp->pm.r_cmd == c->index &&
		    pp->pm.r_fd == (uint32_t)i) {
			*fdp = pp->end[1];
			pp->end[1] = -1;
		}
	}
	return 0;
}

/* The slot's runner takes its command of the request the pool gave it. */
static void
pjob_start(struct slot *s)
{
	struct pjreq	*rq = pjreq_of(s->req);
	struct pjcmd	*c = pjcmd_of(s);
	struct pjob_fd	 pf;
	struct timeval	 tv;
	char		 path[PATH_MAX + 32];
	uint64_t	 ms;
	uint32_t	 k;
	int		 i, fd;

	c->slot = s;
	if (pipes_open(rq) == -1) {
		log_warn("%s: pipe", s->p.name);
		goto fail;
	}
	if (cgroup_set_memory(s->cgname, &s->kept, c->lim.memory +
	    EXTRA_MEMORY, path, sizeof(path)) == -1 ||
	    cgroup_set_pids(s->cgname, &s->kept, c->lim.proc + 1) == -1) {
		log_warn("%s: cannot set its limits", s->p.name);
		goto fail;
	}
	/*
	 * The runner's cgroup is new: without a rate it has none.  ENOTSUP:
	 * no cpu controller is ours, which cgroup_init() logged.
	 */
	if (c->lim.cpu_rate > 0 && cgroup_set_cpu_rate(s->cgname,
	    c->lim.cpu_rate) == -1 && errno != ENOTSUP) {
		log_warn("%s: cannot set its CPU rate", s->p.name);
		goto fail;
	}
	if (host_pmu(NULL))
		counters_open(c, s->p.pid);
	for (i = 0; i < WR_MAXFDS; i++) {
		if (cmd_fd(c, i, &fd) == -1) {
			log_warn("%s: fd %d", s->p.name, i);
			goto fail;
		}
		if (fd == -1)
			continue;
		pf.fd = (uint32_t)i;
		if (proc_compose(&s->p, IMSG_PJOB_FD, rq->reqid, fd, &pf,
		    sizeof(pf)) == -1)
			goto fail;
	}
	if (pcopy_send(&c->copy, &s->p, rq->reqid) == -1)
		goto fail;
	clock_gettime(CLOCK_MONOTONIC, &c->started);
	if (proc_compose(&s->p, IMSG_PJOB, rq->reqid, -1, &c->job,
	    sizeof(c->job)) == -1)
		goto fail;
	ms = (c->lim.clock_ns + 999999) / 1000000;
	slot_set_deadline(s, ms);
	ms = c->lim.cpu_ns / 1000000 / 10;
	ms = ms < TICK_MIN_MS ? TICK_MIN_MS : ms > TICK_MAX_MS ? TICK_MAX_MS :
	    ms;
	tv.tv_sec = 0;
	tv.tv_usec = (suseconds_t)(ms * 1000);
	if ((c->tick = event_new(mon->base, -1, EV_PERSIST, tick, c)) ==
	    NULL || event_add(c->tick, &tv) == -1)
		fatalx("event_new");
	return;
fail:
	log_warnx("%s: cannot send the job", s->p.name);
	/* Its pipe ends go now: its peers must see them closed. */
	for (k = 0; k < rq->npipes; k++) {
		if (rq->pipes[k].pm.w_cmd == c->index &&
		    rq->pipes[k].end[0] != -1) {
			close(rq->pipes[k].end[0]);
			rq->pipes[k].end[0] = -1;
		}
		if (rq->pipes[k].pm.r_cmd == c->index &&
		    rq->pipes[k].end[1] != -1) {
			close(rq->pipes[k].end[1]);
			rq->pipes[k].end[1] = -1;
		}
	}
	c->res.how = PR_SETUP_FAILED;
	strlcpy(c->res.reason, "cannot start the command",
	    sizeof(c->res.reason));
	c->reported = 1;
	slot_kill(s);
}

/* Its CPU time, and its instructions, against their limits. */
static void
tick(int fd UNUSED, short event UNUSED, void *arg)
{
	struct pjcmd	*c = arg;
	uint64_t	 ns, n;

	if (c->slot == NULL || c->slot->p.state != SLOT_BUSY)
		return;
	if (cgroup_cpu_ns(c->slot->cgname, &ns) == 0 && ns > c->cpu_ns)
		c->cpu_ns = ns;
	if (c->cpu_ns > c->lim.cpu_ns) {
		c->tle = 1;
		cmd_stop(c);
		return;
	}
	if (c->lim.instructions > 0 && c->ctr[0] != -1 &&
	    read(c->ctr[0], &n, sizeof(n)) == sizeof(n) &&
	    n > c->lim.instructions) {
		c->tle = 1;
		cmd_stop(c);
	}
}

/*
 * A limit ends the command: every process of it but the runner's init
 * is killed, so that init, seeing its command end, brings back its
 * copyOut files and reports, as go-judge copies files out after every
 * end.  If init has not ended within STOP_GRACE_MS, the runner is killed
 * with all of it, and the files are lost.
 */
static void
cmd_stop(struct pjcmd *c)
{
	struct slot	*s = c->slot;

	if (s == NULL || s->p.state != SLOT_BUSY || c->stopping)
		return;
	c->stopping = 1;
	if (cgroup_kill_others(s->cgname, s->p.pid) == -1) {
		slot_kill(s);
		return;
	}
	slot_set_deadline(s, STOP_GRACE_MS);
}

/* The clock limit: stopped as any limit; after the grace, killed. */
static int
pjob_expire(struct slot *s)
{
	struct pjcmd	*c = pjcmd_of(s);

	if (c->stopping) {
		slot_kill(s);
		return 0;
	}
	c->clock_out = 1;
	cmd_stop(c);
	return 0;
}

/* Output from a collector's pipe, within its budget. */
static void
collect_read(int fd, short event UNUSED, void *arg)
{
	struct pjcmd	*c = arg;
	struct pcollect	*col = NULL;
	int		 i;

	for (i = 0; i < WR_MAXFDS; i++)
		if (c->col[i].fd == fd)
			col = &c->col[i];
	if (col != NULL)
		collect_drain(col, c);
}

/* Read what the pipe holds now; past the budget the command is killed. */
static void
collect_drain(struct pcollect *col, struct pjcmd *c)
{
	char	 chunk[65536];
	size_t	 want;
	ssize_t	 n;

	while (col->fd != -1 &&
	    (n = pipe_read(&col->fd, &col->ev, chunk, sizeof(chunk))) > 0) {
		want = (size_t)n;
		if (col->len + want > col->max) {
			want = (size_t)(col->max - col->len);
			col->over = 1;
		}
		keep_bytes(&col->buf, &col->len, &col->cap, chunk, want);
		if (col->over && !c->ole) {
			c->ole = 1;
			cmd_stop(c);
		}
	}
}

/*
 * IMSG_PRESULT: how the command ended, by the runner's init.  -1, a
 * violation, for anything a runner cannot have meant.
 */
static int
pjob_result(struct proc *p, struct imsg *imsg)
{
	struct slot	*s = slot_of(p);
	struct pjcmd	*c = pjcmd_of(s);
	struct presult	 res;

	if (imsg_get_data(imsg, &res, sizeof(res)) == -1 ||
	    res.how < PR_EXITED || res.how > PR_FILE_ERROR)
		return -1;
	/* A file error names its file, and only then. */
	if ((res.how == PR_FILE_ERROR) != (c->copy.inerr.err != PFE_OK))
		return -1;
	if (res.how == PR_SIGNALLED && (res.code < 1 || res.code >= NSIG))
		return -1;
	str_clean(res.reason, sizeof(res.reason), res.reason,
	    sizeof(res.reason));
	c->res = res;
	c->reported = 1;
	c->run_ns = elapsed_ns(&c->started);
	/* Its init ends the rest and exits; the reaper answers. */
	slot_kill(s);
	return 0;
}

/* IMSG_PFILE: a file of the command, before its result. */
static int
pjob_pfile(struct proc *p, struct imsg *imsg)
{
	struct pjcmd	*c = pjcmd_of(slot_of(p));

	if (c->reported) {
		close(imsg_take_fd(imsg));
		return -1;
	}
	return pcopy_result(&c->copy, &c->job, imsg);
}

/* A busy runner broke the protocol: the command failed with why. */
static void
pjob_broke(struct slot *s, const char *why)
{
	struct pjcmd	*c = pjcmd_of(s);

	if (c->reported)
		return;
	c->res.how = PR_SETUP_FAILED;
	snprintf(c->res.reason, sizeof(c->res.reason), "%s from the "
	    "runner", why);
	c->reported = 1;
}

static uint64_t
elapsed_ns(const struct timespec *t0)
{
	struct timespec	 now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (uint64_t)(now.tv_sec - t0->tv_sec) * 1000000000ULL +
	    (uint64_t)now.tv_nsec - (uint64_t)t0->tv_nsec;
}

/*
 * The runner is reaped, and with it everything of the command: decide
 * the status as go-judge does, from the monitor's own figures.
 */
static void
pjob_died(struct slot *s, int status)
{
	const char		*why;
	struct pjreq	*rq = pjreq_of(s->req);
	struct pjcmd	*c = pjcmd_of(s);
	json_t		*o, *files, *fileids, *ferr, *ctrs;
	uint64_t	 cpu = 0, mem = 0, peak = 0, v;
	int		 st, exit_status = 0, i;
	size_t		 nferr;
	const char	*error = NULL;
	char		 buf[WR_REASONLEN + 64], *name;
	char		 fmsg[WR_REASONLEN];

	s->answered = 1;
	if (c->tick != NULL)
		event_del(c->tick);
	for (i = 0; i < WR_MAXFDS; i++)
		collect_drain(&c->col[i], c);
	if (!c->reported || c->run_ns == 0)
		c->run_ns = elapsed_ns(&c->started);
	/*
	 * The most of: the cgroup's count (cpuacct or v2), the runner's own
	 * with all it reaped (what ended normally), and the last seen while
	 * it ran (what was killed with it, unreaped).
	 */
	if (cgroup_cpu_ns(s->cgname, &cpu) == -1)
		cpu = 0;
	if (s->cpu_usecs * 1000 > cpu)
		cpu = s->cpu_usecs * 1000;
	if (c->cpu_ns > cpu)
		cpu = c->cpu_ns;
	cgroup_memory_peak(s->cgname, &mem);
	if (cgroup_pids_peak(s->cgname, &v) == 0)
		peak = v > 0 ? v - 1 : 0;	/* less its init */
	else
		peak = c->res.proc_peak;

	if (c->reported) {
		switch (c->res.how) {
		case PR_EXITED:
			exit_status = c->res.code;
			st = exit_status == 0 ? PS_ACCEPTED : PS_NONZERO;
			break;
		case PR_SIGNALLED:
			exit_status = c->res.code;
			st = PS_SIGNALLED;
			break;
		case PR_SYSCALL:
			st = PS_SYSCALL;
			name = seccomp_syscall_resolve_num_arch(
			    SCMP_ARCH_NATIVE, c->res.code);
			snprintf(buf, sizeof(buf), "%s (%d)", name != NULL ?
			    name : "unknown", c->res.code);
			free(name);
			error = buf;
			break;
		case PR_FILE_ERROR:
			st = PS_FILE;
			break;
		default:
			st = PS_INTERNAL;
			error = c->res.reason;
			break;
		}
	} else if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL &&
	    (s->timed_out || c->clock_out || c->tle || c->ole))
		st = PS_ACCEPTED;	/* decided below */
	else {
		st = PS_INTERNAL;
		snprintf(buf, sizeof(buf), "the runner ended (%s %d) without "
		    "a report", WIFSIGNALED(status) ? "signal" : "status",
		    WIFSIGNALED(status) ? WTERMSIG(status) :
		    WEXITSTATUS(status));
		error = buf;
	}
	/* go-judge's order: output, then time, then memory, which wins. */
	if (c->ole)
		st = PS_OUTPUT;
	if (s->timed_out || c->clock_out || c->tle || cpu > c->lim.cpu_ns)
		st = PS_TIME;
	if (slot_oom_killed(s) || mem > c->lim.memory)
		st = PS_MEMORY;
	if (st != PS_SYSCALL && st != PS_INTERNAL)
		error = NULL;
	/* Its files, after it ended; they matter if nothing else did. */
	files = json_object();
	fileids = json_object();
	ferr = json_array();
	nferr = pcopy_answer(&c->copy, &c->job, files, fileids, ferr, fmsg,
	    sizeof(fmsg));
	for (i = 0; i < WR_MAXFDS; i++)
		if (c->files[i].kind == PF_COLLECT)
			nferr += pcopy_collected(c->col[i].name,
			    c->col[i].buf, c->col[i].len, c->col[i].over,
			    (c->cached >> i) & 1, files, fileids, ferr, fmsg,
			    sizeof(fmsg));
	if (st == PS_FILE || (st == PS_ACCEPTED && nferr > 0)) {
		st = PS_FILE;
		error = fmsg;
	}
	runs_by_status[st]++;

	o = json_object();
	json_object_set_new(o, "status", json_string(pstatus_names[st]));
	json_object_set_new(o, "exitStatus", json_integer(exit_status));
	if (error != NULL)
		json_object_set_new(o, "error", json_utf8_string(error,
		    strlen(error)));
	json_object_set_new(o, "time", json_integer((json_int_t)cpu));
	json_object_set_new(o, "memory", json_integer((json_int_t)mem));
	json_object_set_new(o, "runTime",
	    json_integer((json_int_t)c->run_ns));
	if (peak > 0)
		json_object_set_new(o, "procPeak",
		    json_integer((json_int_t)peak));
	json_object_set_new(o, "files", files);
	if (json_object_size(fileids) > 0)
		json_object_set(o, "fileIds", fileids);
	if (json_array_size(ferr) > 0)
		json_object_set_new(o, "fileError", ferr);
	else
		json_decref(ferr);
	if (c->ctr[0] != -1) {
		ctrs = json_object();
		if (read(c->ctr[0], &v, sizeof(v)) == sizeof(v))
			json_object_set_new(ctrs, "instructions",
			    json_integer((json_int_t)v));
		if (c->ctr[1] != -1 &&
		    read(c->ctr[1], &v, sizeof(v)) == sizeof(v))
			json_object_set_new(ctrs, "cycles",
			    json_integer((json_int_t)v));
		json_object_set_new(o, "counters", ctrs);
	} else
		json_object_set_new(o, "countersError", json_string(
		    host_pmu(&why) ? "the counters could not be opened" :
		    why));
	counters_close(c);
	c->result = o;
	c->fileids = fileids;
	if (++rq->ndone == rq->ncmds)
		pjob_finish(rq);
	pool_run(&ppool);
}

/*
 * Every command of the request has ended: what went through proxied
 * pipes joins the writing commands' files, and the answer goes.
 */
static void
pjob_finish(struct pjreq *rq)
{
	struct ppipe	*pp;
	json_t		*arr;
	uint32_t	 i;

	for (i = 0; i < rq->npipes; i++) {
		pp = &rq->pipes[i];
		ppipe_drain(pp);
		if (pp->pm.proxy && pp->pm.name[0] != '\0')
			json_object_set_new(json_object_get(
			    rq->cmds[pp->pm.w_cmd]->result, "files"),
			    pp->pm.name, json_utf8_string(pp->buf, pp->len));
	}
	if ((arr = json_array()) == NULL)
		fatalx("json_array");
	for (i = 0; i < rq->ncmds; i++)
		json_array_append(arr, rq->cmds[i]->result);
	if (rq->gen == net_generation())
		net_answer_json(rq->reqid, 200, arr);
	else
		for (i = 0; i < rq->ncmds; i++)	/* nobody learns their ids */
			pcopy_uncache(rq->cmds[i]->fileids);
	json_decref(arr);
}

/*
 * The program's counters, opened by the monitor on its runner before the
 * job is sent: inherited by every process of it and enabled when the
 * command is executed, so they count the program and nothing of the
 * runner, and nothing the program does can change them.
 */
static void
counters_open(struct pjcmd *c, pid_t pid)
{
	static const uint64_t	 config[NCOUNTERS] = {
		PERF_COUNT_HW_INSTRUCTIONS, PERF_COUNT_HW_CPU_CYCLES
	};
	struct perf_event_attr	 attr;
	int			 i;

	for (i = 0; i < NCOUNTERS; i++) {
		memset(&attr, 0, sizeof(attr));
		attr.size = sizeof(attr);
		attr.type = PERF_TYPE_HARDWARE;
		attr.config = config[i];
		attr.exclude_kernel = 1;
		attr.exclude_hv = 1;
		attr.inherit = 1;
		attr.disabled = 1;
		attr.enable_on_exec = 1;
		c->ctr[i] = (int)syscall(SYS_perf_event_open, &attr, pid, -1,
		    -1, PERF_FLAG_FD_CLOEXEC);
	}
}

static void
counters_close(struct pjcmd *c)
{
	int	 i;

	for (i = 0; i < NCOUNTERS; i++) {
		if (c->ctr[i] != -1)
			close(c->ctr[i]);
		c->ctr[i] = -1;
	}
}

/*
 * A JSON string of any bytes: what is not UTF-8 becomes U+FFFD, as Go's
 * encoding/json (and so go-judge) does.
 */
json_t *
json_utf8_string(const char *s, size_t len)
{
	const unsigned char	*p = (const unsigned char *)s;
	json_t			*j;
	char			*out;
	size_t			 i = 0, o = 0, n, k;
	uint32_t		 cp;

	if (len == 0)
		return json_string("");
	if ((j = json_stringn(s, len)) != NULL)
		return j;
	if ((out = malloc(len * 3 + 1)) == NULL)
		fatal("malloc");
	while (i < len) {
		n = p[i] < 0x80 ? 1 : (p[i] & 0xe0) == 0xc0 ? 2 :
		    (p[i] & 0xf0) == 0xe0 ? 3 : (p[i] & 0xf8) == 0xf0 ? 4 : 0;
		cp = n == 1 ? p[i] : n == 2 ? p[i] & 0x1fU : n == 3 ?
		    p[i] & 0x0fU : p[i] & 0x07U;
		for (k = 1; n > 1 && k < n; k++) {
			if (i + k >= len || (p[i + k] & 0xc0) != 0x80)
				break;
			cp = cp << 6 | (p[i + k] & 0x3fU);
		}
		if (n == 0 || k < n || (n == 2 && cp < 0x80) ||
		    (n == 3 && (cp < 0x800 || (cp >= 0xd800 &&
		    cp <= 0xdfff))) || (n == 4 && (cp < 0x10000 ||
		    cp > 0x10ffff))) {
			memcpy(out + o, "\xef\xbf\xbd", 3);
			o += 3;
			i++;
			continue;
		}
		memcpy(out + o, s + i, n);
		o += n;
		i += n;
	}
	j = json_stringn(out, o);
	free(out);
	return j != NULL ? j : json_string("");
}

/*
 * A command with a file that could not be had: File Error, and no
 * command of the request runs.  The others say why they did not.
 */
static void
answer_file_error(struct pjreq *rq)
{
	struct pjcmd	*c;
	json_t		*arr, *files, *fileids, *ferr, *o;
	char		 first[WR_REASONLEN];
	uint32_t	 i;

	if ((arr = json_array()) == NULL)
		fatalx("json_array");
	for (i = 0; i < rq->ncmds; i++) {
		c = rq->cmds[i];
		files = json_object();
		fileids = json_object();
		ferr = json_array();
		if (c->copy.inerr.err != PFE_OK)
			pcopy_answer(&c->copy, &c->job, files, fileids, ferr,
			    first, sizeof(first));
		else
			strlcpy(first, "not run: a file of another command "
			    "could not be had", sizeof(first));
		json_decref(fileids);	/* nothing ran: nothing stored */
		runs_by_status[PS_FILE]++;
		o = json_pack("{s:s, s:i, s:s, s:i, s:i, s:i, s:o}", "status",
		    pstatus_names[PS_FILE], "exitStatus", 0, "error", first,
		    "time", 0, "memory", 0, "runTime", 0, "files", files);
		if (o == NULL)
			fatalx("json_pack");
		if (json_array_size(ferr) > 0)
			json_object_set_new(o, "fileError", ferr);
		else
			json_decref(ferr);
		json_array_append_new(arr, o);
	}
	net_answer_json(rq->reqid, 200, arr);
	json_decref(arr);
}

/* The numbers for the metrics: runs by status, and the pool's. */
void
pjob_stats(struct pool_stats *ps, uint64_t *runs, size_t nruns,
    const char **names)
{
	size_t	 i;

	memset(ps, 0, sizeof(*ps));
	if (started)
		pool_stats(&ppool, ps);
	for (i = 0; i < nruns && i < PS_MAX; i++) {
		runs[i] = runs_by_status[i];
		names[i] = pstatus_names[i];
	}
}
