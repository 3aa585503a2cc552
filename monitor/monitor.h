/*
 * The monitor (webrunnerd): configuration, kernel specs, the processes it
 * starts and the dispatch of their messages.
 *
 * Its files are layers.  A file calls only the layers below it and hears
 * from those above through hooks they gave it, so the calls have no
 * cycle; lowest first:
 *	proc.c		the table of processes: start, read, violations,
 *			restart with the one backoff
 *	netproc.c	the network process's row
 *	template.c	the runner template's row
 *	slot.c		each runner slot's row
 *	pool.c		the queue in front of the slots, for any kind of job
 *	store.c		the file store: /file, copyOutCached, fileId
 *	ppipe.c		pipes between the commands of a program request
 *	stepper.c	a kernel's instructions counted by ptrace(2) where
 *			no PMU counts them (stepcount.c counts)
 *	counts.c	a kernel runner's report held to what the monitor
 *			knows without the kernel
 *	kjob.c		the kernel job: what a kernel runner sends, its
 *			answer
 *	pjob.c		the program job (POST /run), beside it
 *	selftest.c	the self-test, run as kernel jobs
 *	info.c		the monitor route, /version, /config, metrics
 *	dispatch.c	what the network process may ask, and the answers
 *	webrunnerd.c	main(): configuration, sockets, signals
 * beside the leaves any of them may use: parse.y, spec.c, specdir.c,
 * resolve.c, expr.c, format.c, cgroup.c, spawn.c, caps.c, prun.c.
 */
#ifndef WR_MONITOR_H
#define WR_MONITOR_H

#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <stdarg.h>
#include <stdint.h>
#include <time.h>

#include "common.h"	/* struct imsgev, in struct proc */
#include "proto.h"
#include "stepcount.h"

#define WEBRUNNERD_VERSION	"0.1"
#define GJ_API_VERSION		"1.9.0"	/* go-judge's, for /version */
#define CONF_FILE		SYSCONFDIR "/webrunnerd.conf"
#define WR_USER			"_webrunner"
#define WR_CHROOT		"/var/empty"
#define WR_RUNNER_UID		61000	/* runner-uid's default */
#define WR_PROGRAM_UID		62000	/* program runner-uid's */
#define PROGRAM_MAXMOUNTS	32	/* program mount lines */
#define WR_PORT			8081

/* Configuration (parse.y). */
struct listen_addr {
	TAILQ_ENTRY(listen_addr)	 entry;
	struct sockaddr_storage		 ss;
	socklen_t			 sslen;
	int				 fd;
};
TAILQ_HEAD(listen_addrs, listen_addr);

struct config {
	struct listen_addrs	 listens;
	struct listen_addrs	 metrics;	/* Prometheus, none: off */
	char			 user[WR_NAMELEN];
	char			 chroot[1024];
	char			 kernels[1024];
	char			 machine_id[WR_NAMELEN];	/* "" accepts any */
	uint64_t		 max_body;		/* bytes */
	uint32_t		 max_headers;		/* bytes */
	uint32_t		 timeout;		/* seconds */
	uint32_t		 max_conns;		/* 0: net sizes it */
	uint32_t		 max_conns_addr;	/* 0: no cap */
	uint32_t		 nexempt;		/* from the above */
	struct net_prefix	 exempt[NET_MAXEXEMPT];
	uint32_t		 head_timeout;		/* ms */
	uint32_t		 body_timeout;		/* ms */
	uint32_t		 body_rate;		/* bytes/s */
	uint32_t		 send_timeout;		/* ms */
	uint64_t		 memory;		/* buffer bytes per run */
	uint32_t		 repeat_max;		/* repetitions per run */
	uint32_t		 repeat_default;
	uint32_t		 warmup;
	uint64_t		 single_step_limit;	/* traps, 0: off */
	uint32_t		 runners;		/* pool size */
	uint32_t		 queue;			/* waiting requests */
	uint32_t		 runner_uid;		/* first of runners */
	uint32_t		 time_limit;		/* ms, wall clock */
	uint64_t		 memory_limit;		/* bytes, cgroup */
	uint32_t		 pids_limit;
	int32_t			 nice;
	char			 cgroup_v2[1024];	/* "" = system's */
	uint64_t		 selftest_interval;	/* ms */
	char			 auth_token[WR_TOKENLEN];	/* "": none */
	int			 auth_monitor_open;
	uint32_t		 access_log;		/* enum log_dest */
	char			 access_log_path[1024];
	uint32_t		 error_log;		/* enum log_dest */
	char			 error_log_path[1024];
	/* Program mode (POST /run): its runners and the caps of a command. */
	int			 program_mode;
	uint32_t		 program_runners;
	uint32_t		 program_uid;		/* first of them */
	uint64_t		 program_time_limit;	/* ms, CPU and clock */
	uint64_t		 program_memory_limit;	/* bytes */
	uint32_t		 program_proc_limit;
	uint64_t		 program_output_limit;	/* a collector, bytes */
	uint64_t		 program_copyout_limit;	/* a copyOut file */
	uint64_t		 program_tmpfs;		/* /w, /tmp, bytes */
	uint64_t		 program_max_body;	/* bytes of a request */
	uint64_t		 program_store_limit;	/* the file store, bytes */
	uint32_t		 program_store_files;	/* and files */
	uint32_t		 nprogram_mounts;	/* 0: the default set */
	char			 program_mounts[PROGRAM_MAXMOUNTS][256];
	uint32_t		 nprogram_src;		/* src-allow lines */
	char			 program_src[PROGRAM_MAXMOUNTS][256];
};

/*
 * The single-step bound of a job with a time limit of `ms': the
 * configured one, but no more than two traps per millisecond of the
 * limit (a trap costs some 30 us in a virtual machine, so some 6% of the
 * limit), so that counting never makes a run exceed its time limit.
 */
#define SINGLE_STEPS_PER_MS	2

static inline uint64_t
single_step_bound(const struct config *c, uint64_t ms)
{
	if (ms > c->single_step_limit / SINGLE_STEPS_PER_MS)
		return c->single_step_limit;
	return ms * SINGLE_STEPS_PER_MS;
}

struct config	*parse_config(const char *file, int *nerrs);
void		 config_free(struct config *);

/*
 * Kernel specs (spec.c), loaded from JSON files; the format is described
 * in webrunnerd-kernel(5).  A spec is checked completely when it is
 * loaded, so resolving a request against it can only fail on the
 * request's own values.
 */
enum param_type {
	PT_UINT8 = 1, PT_UINT16, PT_UINT32, PT_UINT64,
	PT_INT8, PT_INT16, PT_INT32, PT_INT64
};

#define KSPEC_EXPRLEN	128		/* bytes of one expression */
#define KSPEC_DESCLEN	512		/* bytes of a description */
#define KSPEC_FILEMAX	(64 * 1024)	/* bytes of one spec file */
#define KSPEC_MAXSSE	8		/* float and double arguments */

/*
 * Values of every type are held in an int64_t: a uint64 parameter is
 * limited to 2^63 - 1, so that it can be shown in JSON as a number.
 */
struct kparam {
	char		 name[WR_NAMELEN];
	uint32_t	 type;			/* enum param_type */
	int		 hasdef;		/* else the query must give it */
	int64_t		 def;
	int64_t		 min;
	int64_t		 max;
};

struct kbuf {
	char		 name[WR_NAMELEN];
	uint32_t	 elem;			/* enum elem_type */
	uint32_t	 init;			/* enum buf_init */
	char		 count[KSPEC_EXPRLEN];	/* elements, expression */
	char		 offset[KSPEC_EXPRLEN];	/* bytes, expression */
	uint64_t	 align;			/* bytes, power of two */
	uint64_t	 seed;			/* INIT_RANDOM */
	uint32_t	 writable;
};

struct karg {
	uint32_t	 kind;			/* enum arg_kind */
	uint32_t	 buf;			/* ARG_BUF: index in bufs */
	int		 param;			/* ARG_INT: a bare parameter's
						   index, or -1 */
	char		 expr[KSPEC_EXPRLEN];	/* ARG_INT */
	double		 fval;			/* ARG_F32, ARG_F64 */
};

struct kspec {
	TAILQ_ENTRY(kspec)	 entry;
	char			 file[1024];
	char			 name[WR_NAMELEN];
	char			 symbol[WR_SYMLEN];
	char			 description[KSPEC_DESCLEN];
	uint32_t		 ret;		/* enum ret_type */
	uint32_t		 retint;	/* RET_INT: enum param_type */
	uint32_t		 nparams;
	uint32_t		 nbufs;
	uint32_t		 nargs;
	struct kparam		 params[WR_MAXPARAMS];
	struct kbuf		 bufs[WR_MAXBUFS];
	struct karg		 args[WR_MAXARGS];
};
TAILQ_HEAD(kspecs, kspec);

/* A request's parameters after defaults and checks, for the answer. */
struct resolved {
	char		 kernel[WR_NAMELEN];
	uint32_t	 nparams;
	char		 names[WR_MAXPARAMS][WR_NAMELEN];
	int64_t		 values[WR_MAXPARAMS];	/* in spec order */
	uint32_t	 repeat;
	uint64_t	 memory;		/* buffer bytes the job needs */
	uint32_t	 ret;			/* enum ret_type */
	uint32_t	 retint;		/* RET_INT: enum param_type */
	uint64_t	 time_limit;		/* ms asked for; 0: configured */
	uint64_t	 memory_limit;		/* bytes asked for; 0: configured */
};

/* Limits the resolver enforces, from the configuration. */
struct run_limits {
	uint64_t	 memory;		/* buffer bytes */
	uint32_t	 repeat_max;
	uint32_t	 repeat_default;
	uint32_t	 warmup;
	uint64_t	 time_limit;		/* ms, the most a request gets */
	uint64_t	 memory_limit;		/* bytes, likewise */
};

/* The least memory-limit a runner's cgroup may have, in bytes. */
#define MEMLIMIT_MIN	(16U * 1024 * 1024)

/*
 * Load every *.json in dir, sorted by file name, into an empty list; on
 * failure nothing stays loaded and err names the file and the reason.
 */
int		 kspecs_load(const char *dir, struct kspecs *, char *err,
		    size_t errlen);
int		 kspec_load_file(const char *path, struct kspec *, char *err,
		    size_t errlen);
/* The same from memory; name is what errors call the spec. */
int		 kspec_load_buf(const char *name, const void *buf, size_t len,
		    struct kspec *, char *err, size_t errlen);
void		 kspecs_free(struct kspecs *);
struct kspec	*kspec_find(struct kspecs *, const char *name);
int		 kspec_param_index(const struct kspec *, const char *name);

/*
 * Check a run request's typed pairs against a spec and build the job.
 * HTTP code for the failure in *code (400, 404 for an unknown kernel, 0
 * for a message no working network process sends), one-line printable
 * reason in err.  job->size and job->memmax are left 0 for the caller.
 */
int		 kspec_resolve(struct kspecs *, const struct run_req *,
		    const struct run_limits *, struct job *, struct resolved *,
		    int *code, char *err, size_t errlen);

/*
 * expr.c: integer expressions over parameters (+ - * / % and parentheses
 * on unsigned 64-bit values), every overflow an error.  The lookup
 * returns 0, EXPR_UNKNOWN for a name it does not know, or EXPR_NEGATIVE
 * for a value that is below zero.  expr_check() checks the syntax and the
 * names only, without computing.
 */
#define EXPR_UNKNOWN	-1
#define EXPR_NEGATIVE	-2
#define EXPR_MAXDEPTH	32		/* nested parentheses */
typedef int	 (*expr_lookup)(void *arg, const char *name, uint64_t *val);
int		 expr_eval(const char *expr, expr_lookup, void *arg,
		    uint64_t *out, char *err, size_t errlen);
int		 expr_check(const char *expr, expr_lookup, void *arg,
		    char *err, size_t errlen);

/*
 * format.c: what the client sees, text (WebRunner) or JSON.  Both fill
 * the whole http_res; when the answer does not fit they fill it with a
 * 500 "answer too large" instead and return -1.
 */
int		 format_result(const struct resolved *, const struct run_result *,
		    int json, struct http_res *);
int		 format_error(int code, uint32_t status, const char *reason,
		    int json, struct http_res *);
int		 status_http_code(uint32_t status);
/* Appending to an answer's body: -1 when it does not fit. */
int		 hr_vprintf(struct http_res *, const char *, va_list)
		    __attribute__((__format__(__printf__, 2, 0)));
int		 hr_printf(struct http_res *, const char *, ...)
		    __attribute__((__format__(__printf__, 2, 3)));
struct json_t;
int		 hr_json(struct http_res *, struct json_t *);
const char	*status_name(uint32_t status);

/* The monitor's state (webrunnerd.c). */
struct event_base;
struct event;

struct monitor {
	struct event_base	*base;
	struct config		*conf;
	struct kspecs		 specs;
	const char		*conffile;
	char			 libexec[1024];	/* helper executables */
	int			 debug;
	int			 verbose;
	int			 shutdown;
	time_t			 started;
	int			 access_fd;	/* LOGD_FILE, else -1 */
	int			 error_fd;
};
extern struct monitor	*mon;

int		 specs_reload(struct monitor *);
void		 logs_open(void);
void		 net_config_send(void);

#define UNUSED		__attribute__((__unused__))

/*
 * proc.c: the table of the monitor's processes, its lowest layer.  Each
 * process (the network process, the runner template, each runner slot)
 * is a struct proc of a struct proc_kind: how it starts, which messages
 * it may send in which state, and who hears of its loss and its exit.
 */
struct proc;
struct imsg;
struct rusage;

/* One message a kind of process may send, and when. */
struct proc_msg {
	uint32_t	 type;		/* enum imsg_type */
	const char	*name;		/* says "malformed NAME" */
	uint32_t	 states;	/* PS() of the states it may come in */
	uint32_t	 flags;
	size_t		 len;		/* exact payload size */
	int		 (*handler)(struct proc *, struct imsg *);
					/* -1: malformed, a violation */
};
#define PS(s)		(1U << (s))
#define PM_FD		0x01		/* carries a descriptor, else none */
#define PM_ONCE		0x02		/* once in the life of a process */
#define PM_MAYFD	0x04		/* a descriptor or none: the handler
					   checks which */

struct proc_kind {
	const struct proc_msg	*msgs;
	size_t			 nmsgs;
	int			 quiet_eof;	/* its end of file is no fault */
	time_t			 stable_secs;	/* so long up: no failure */
	void			(*start)(struct proc *);
	/* Its channel failed, or (broke) it broke the protocol. */
	void			(*lost)(struct proc *, const char *why,
				    int broke);
	void			(*exited)(struct proc *, int status,
				    const struct rusage *);
};

struct proc {
	LIST_ENTRY(proc)	 entry;
	const struct proc_kind	*kind;
	char			 name[64];	/* in logs */
	pid_t			 pid;		/* -1: none, or not known */
	int			 state;		/* its owner's */
	int			 up;		/* channel open */
	struct imsgev		 iev;
	uint32_t		 seen;		/* PM_ONCE types, by bit */
	int			 fails;		/* failures in a row */
	time_t			 started;
	struct event		*timer;		/* restart */
};

pid_t		 proc_exec(const char *prog, char *const argv[],
		    const int *fds, int nfds);
void		 proc_init(struct proc *, const struct proc_kind *,
		    const char *name);
void		 proc_open(struct proc *, int fd);
void		 proc_set_pid(struct proc *, pid_t);
void		 proc_close(struct proc *);
int		 proc_compose(struct proc *, uint32_t type, uint32_t id,
		    int fd, const void *, size_t);
void		 proc_read(struct proc *);
int		 proc_reaped(pid_t, int status, const struct rusage *);
void		 proc_proven(struct proc *);
long		 proc_restart(struct proc *, int failed);
void		 proc_restart_now(struct proc *);
void		 proc_stop(struct proc *);

/* netproc.c: the network process, a row of the table. */
enum net_state {
	NET_RUNNING = 0		/* it may ask anything of its table */
};
void		 net_init(const struct proc_msg *, size_t,
		    void (*gone)(void));
void		 net_config_send(void);
int		 net_compose(uint32_t type, uint32_t id, int fd,
		    const void *, size_t);
uint32_t	 net_generation(void);
void		 net_answer_json(uint32_t, int, struct json_t *);
void		 net_answer_error(uint32_t, int, const char *);
void		 net_stop(void);
void		 net_wait(void);

/*
 * template.c, slot.c and pool.c: a pool of runners of one kind, with its
 * own template that clones them, its slots and the queue in front of
 * them.  A slot's runner is a row of the process table; what it runs is
 * its pool_kind's.  The kernel runners (kjob.c) and the program runners
 * (pjob.c) are two pools.
 */
struct pool;

/* template.c: the runner template of a pool, which clones its runners. */
struct template_hooks {
	void	(*up)(struct pool *);
	void	(*lost)(struct pool *, const char *why);
	void	(*spawned)(struct pool *, const struct spawn_res *);
};
void		 template_init(struct pool *, const struct template_hooks *);
void		 template_stop(struct pool *);
int		 template_ready(const struct pool *);
void		 template_spawn(struct pool *, const struct spawn_req *,
		    const int *cgfds, int ncg, int sock);

enum slot_state {
	SLOT_EMPTY = 0,		/* waits for its restart */
	SLOT_STARTING,		/* spawned, not ready yet */
	SLOT_IDLE,		/* ready, waiting for a job */
	SLOT_BUSY,		/* running a job */
	SLOT_DONE		/* answered or failed, waiting to be reaped */
};

/*
 * The pool's part of a request; the kind's request begins with it.  A
 * request of nslots jobs (program commands joined by pipes) starts them
 * together in as many slots, each of which holds it until reaped: the
 * kind's free() is called once per slot, refs counting down.
 */
/*
 * Where a job's time goes, summed per pool for the metrics, so that a
 * stage that grows shows itself: waiting in the queue; the monitor's
 * part of starting it (a stepper's attach); the runner loading the
 * object and opening counters, up to its plan; measuring, up to its
 * result; the runner's teardown, from the kill to its reaping; and the
 * monitor making and removing its cgroups.
 */
enum pool_stage {
	STAGE_QUEUE, STAGE_ATTACH, STAGE_LOAD, STAGE_MEASURE,
	STAGE_TEARDOWN, STAGE_CGROUP, NSTAGES
};
extern const char *const pool_stage_names[NSTAGES];
/*
 * And where a kernel runner's own CPU time goes, from the marks of its
 * plan (proto.h, struct run_plan): its creation and first run, its
 * confinement up to ready, waiting for and taking its job, loading it up
 * to its plan, and the rest, from the plan to its reaping (the final
 * filter, the measurement, the result and its exit).
 */
enum cpu_stage {
	CS_START, CS_SETUP, CS_WAIT, CS_LOAD, CS_FINISH, NCPUSTAGES
};
extern const char *const cpu_stage_names[NCPUSTAGES];

struct preq {
	TAILQ_ENTRY(preq)	 entry;
	struct timespec		 queued;	/* when it was submitted */
	int			 internal;	/* the monitor's own */
	uint32_t		 nslots;	/* 0 or 1: one */
	uint32_t		 refs;		/* slots that hold it */
};

/*
 * What a kept cgroup's slot holds of it between runners (cgroup_reuse()):
 * the files read for each runner, open to read only (a file open for
 * writing would keep an administrator from remounting the file system
 * read-only), and the limits as last written.
 */
struct cgroup_kept {
	int		 procs;		/* cgroup.procs; -1: not open yet */
	int		 charged;	/* memory charged */
	int		 ooms;		/* where OOM kills are counted */
	uint64_t	 memory;	/* limits written; 0: not known */
	uint32_t	 pids;
};

struct slot {
	struct proc		 p;		/* first: slot_of() */
	struct pool		*pool;
	int			 index;
	char			 cgname[64];
	int			 cgfds[4];	/* its directories, O_PATH */
	int			 ncg;		/* 0: it has no cgroup */
	uint64_t		 ooms;		/* its OOM kills before this
						   runner */
	struct cgroup_kept	 kept;		/* what reusing it needs */
	struct preq		*req;		/* SLOT_BUSY, SLOT_DONE */
	uint32_t		 part;		/* which of req's nslots jobs */
	int			 answered;
	int			 timed_out;
	int			 ready;		/* said IMSG_RUNNER_READY */
	uint32_t		 spawn_id;	/* its IMSG_SPAWN */
	struct timeval		 spawned;	/* when it was asked for */
	struct timespec		 killed;	/* when, for its teardown */
	struct event		*deadline;	/* the job's time limit */
	struct timespec		 due;		/* when it is up */
	uint64_t		 cpu_usecs;	/* its runner's, once reaped */
	uint64_t		 plan_ns;	/* its runner's CPU at its plan;
						   0: no plan */
};

/* A kind of job: its runners, what they may send, and what it does. */
struct pool_kind {
	const char		*name;		/* "runner", in logs */
	const char		*cgtag;		/* in its cgroups' names */
	int			 program;	/* its template is -P, not -T */
	int			 keep_cgroup;	/* a slot's next runner takes
						   its cgroup over */
	const struct proc_msg	*msgs;
	size_t			 nmsgs;
	uint32_t (*running)(void);		/* jobs at once, configured */
	void	(*spawn)(struct spawn_req *, uint64_t *memory,
		    uint32_t *pids);		/* the next runner's limits */
	void	(*start)(struct slot *);	/* send it s->req */
	void	(*broke)(struct slot *, const char *why);
	void	(*died)(struct slot *, int status);	/* no answer yet */
	int	(*expire)(struct slot *);	/* its deadline: 0 if the
						   kind ends it, -1: kill */
	void	(*fail)(struct preq *, const char *why);	/* cannot run */
	void	(*free)(struct preq *);
};

/* What the slots tell the pool. */
struct slot_hooks {
	void	(*ready)(struct pool *, int first);	/* first since a
							   failure */
	void	(*gone)(struct pool *);	/* a runner failed or ended */
};

#define MAX_RUNNERS		512	/* slots of one pool */

struct pool {
	const struct pool_kind	*kind;
	/* template.c */
	struct proc		 tpl;
	uint32_t		 tpl_pending;
	const struct template_hooks *tpl_hooks;
	/* slot.c */
	const struct slot_hooks	*slot_hooks;
	struct slot		*slots;
	int			 nslots;
	uint32_t		 seq;
	uint32_t		 spawn_seq;
	int			 ready_once;	/* a runner got ready since a
						   failure */
	char			 last_error[WR_REASONLEN];
	uint64_t		 spawn_count;
	uint64_t		 spawn_usecs;	/* sum over spawn_count */
	uint64_t		 cpu_usecs;	/* reaped runners' CPU time */
	uint64_t		 reaped;	/* runners reaped, */
	uint64_t		 faults;	/* and their page faults */
	uint64_t		 stage_usecs[NSTAGES];	/* pool_stage() */
	uint64_t		 stage_count[NSTAGES];
	uint64_t		 cpu_stage_ns[NCPUSTAGES];	/* pool_cpu() */
	uint64_t		 cpu_stage_count[NCPUSTAGES];
	/* pool.c */
	TAILQ_HEAD(, preq)	 queue;
	uint32_t		 nqueued;
	uint32_t		 ninternal;	/* of them the monitor's own */
	void			(*recovered)(void);
};

struct pool_stats {
	uint64_t	 stage_usecs[NSTAGES];
	uint64_t	 stage_count[NSTAGES];
	uint64_t	 cpu_stage_ns[NCPUSTAGES];
	uint64_t	 cpu_stage_count[NCPUSTAGES];
	int		 size;
	int		 idle;
	int		 busy;
	int		 starting;
	int		 empty;		/* waiting out a respawn delay */
	uint32_t	 queued;
	uint32_t	 queue_max;
	int		 cgroup_version;	/* 0: cgroups not usable */
	uint64_t	 runs[RS_UNAVAILABLE + 1];	/* by enum run_status */
	uint64_t	 spawns;		/* runners that got ready */
	uint64_t	 spawn_usecs;		/* their spawn times, summed */
	uint64_t	 cpu_usecs;		/* reaped runners' CPU */
	uint64_t	 reaped;		/* runners reaped, */
	uint64_t	 faults;		/* and their page faults */
	uint64_t	 disagree;		/* reports refused by
						   counts_check() */
	char		 last_error[WR_REASONLEN];
};

void		 cgroups_init(void);
void		 slots_init(struct pool *, const struct slot_hooks *);
void		 slots_stop(struct pool *);
struct slot	*slot_of(struct proc *);
int		 slot_ready(struct proc *, struct imsg *);
int		 slot_oom_killed(struct slot *);
void		 slot_set_deadline(struct slot *, uint64_t ms);
void		 slot_kill(struct slot *);
struct slot	*slots_next(struct pool *, int running);
int		 slots_free(struct pool *, int running);
int		 slots_alive(struct pool *, char *err, size_t errlen);
int		 slots_healthy(struct pool *, char *reason, size_t len);
void		 slots_orphan(pid_t, int status, const struct rusage *);
void		 slots_stats(struct pool *, struct pool_stats *);

void		 pool_init(struct pool *, const struct pool_kind *);
void		 pool_on_recover(struct pool *, void (*)(void));
void		 pool_stop(struct pool *);
int		 pool_submit(struct pool *, struct preq *, char *err,
		    size_t errlen);
void		 pool_drop(struct pool *, int (*match)(const struct preq *));
void		 pool_run(struct pool *);
void		 pool_stats(struct pool *, struct pool_stats *);
void		 pool_stage(struct pool *, enum pool_stage,
		    struct timespec *);
void		 pool_cpu(struct pool *, enum cpu_stage, uint64_t ns);
void		 pool_cpu_marks(struct pool *, struct slot *,
		    const uint64_t *marks);

/* ppipe.c: a pipe between two commands of a program request. */
struct evbuffer;
struct ppipe {
	struct prun_pipe	 pm;
	int			 end[2];	/* the writer's, the reader's;
						   -1 once sent */
	/* With proxy: */
	int			 from;		/* the writer's bytes */
	int			 to;		/* to the reader; -1: it ended */
	struct event		*rev;
	struct event		*wev;
	struct evbuffer		*pending;	/* read, not passed on yet */
	uint64_t		 max;		/* bytes kept, 0: no name */
	char			*buf;		/* kept */
	size_t			 len;
	size_t			 cap;
};
void		 ppipe_init(struct ppipe *);
int		 ppipe_open(struct ppipe *, const struct prun_pipe *,
		    uint64_t);
void		 ppipe_drain(struct ppipe *);
void		 keep_bytes(char **, size_t *, size_t *, const char *, size_t);
ssize_t		 pipe_read(int *, struct event **, char *, size_t);
void		 ppipe_free(struct ppipe *);

/* stepper.c: one call of a kernel single-stepped from outside it. */
struct stepper {
	int			 slot;		/* whose stepper; -1: none */
	uint64_t		 seq;		/* the request it answers */
	void			(*attached)(void *, int);	/* once */
	void			*arg;
	int			 have;		/* rep was read */
	struct step_report	 rep;
};
int		 host_pmu(const char **);

/* counts.c: a runner's report against what the monitor knows. */
int		 events_clean(struct run_result *);
int		 counts_check(struct run_result *, const struct run_plan *, int,
		    struct stepper *, uint64_t, uint64_t, char *, size_t);
void		 stepper_init(struct stepper *);
int		 stepper_start(struct stepper *, int, pid_t, uid_t, uint64_t,
		    void (*)(void *, int), void *);
int		 stepper_report(struct stepper *, struct step_report *);
void		 stepper_stop(struct stepper *);
int		 stepper_reaped(pid_t);
void		 stepper_shutdown(void);

/* store.c: the file store, every file a sealed memfd. */
int		 store_put(int, uint64_t, const char *, char *, char *,
		    size_t);
int		 store_get(const char *, uint64_t *, const char **);
int		 store_delete(const char *);
int		 store_memfd(int, const char *, uint64_t);
void		 store_stats(uint64_t *, uint64_t *);
int		 store_req(struct proc *, struct imsg *);

/* kjob.c: the kernel job, and the pool of kernel runners. */
void		 kjob_init(void);
void		 kjob_stop(void);
void		 kjob_on_recover(void (*)(void));
int		 kjob_healthy(char *reason, size_t len);
void		 kjob_count(uint32_t status);
int		 runners_submit(uint32_t reqid, const struct job *, int memfd,
		    const struct resolved *, int json, int *code,
		    char *err, size_t errlen);
int		 runners_submit_internal(const struct job *, int memfd,
		    uint64_t time_limit,
		    void (*)(const struct run_result *, void *), void *,
		    char *err, size_t errlen);
void		 runners_net_lost(void);
void		 runners_stats(struct pool_stats *);

/*
 * prun.c: a program-mode command checked again, clamped to the caps, and
 * made into its runner's job and the limits the monitor keeps.
 */
struct prun_caps {
	uint64_t	 time_ms;		/* CPU and clock, each */
	uint64_t	 memory;		/* bytes */
	uint64_t	 output;		/* a collector's bytes */
	uint64_t	 copyout;		/* a copyOut file's bytes */
	uint64_t	 tmpfs;			/* bytes of /w and /tmp */
	uint32_t	 proc;
	uint32_t	 ncpu;			/* cpuRateLimit's top */
	int		 have_pmu;		/* instructions can be counted */
	char		 pmu_reason[WR_NAMELEN * 2];	/* if not, why */
};
struct plimits {
	uint64_t	 cpu_ns;
	uint64_t	 clock_ns;
	uint64_t	 memory;		/* bytes */
	uint64_t	 instructions;		/* 0: none */
	uint64_t	 cpu_rate;		/* 1/1000 CPU; 0: none */
	uint32_t	 proc;			/* its own processes */
};
int		 prun_check(const struct prun_cmd *, const struct prun_caps *,
		    struct pjob *, struct plimits *, int *code, char *err,
		    size_t errlen);
uint32_t	 prun_cached_fds(const struct prun_cmd *);

/*
 * pfiles.c: a program command's files, copyIn going in before it runs
 * and copyOut coming back after it ended.
 */
struct pcopy {
	uint32_t	 nin;
	int		 infd[WR_MAXCOPY];	/* sealed memfds */
	char		 inpath[WR_MAXCOPY][WR_PATHLEN];
	char		 intarget[WR_MAXCOPY][WR_PATHLEN];	/* links */
	/* From the runner: */
	struct pfile_res inerr;			/* a copyIn file that could not
						   be made; err 0: none */
	char		 inerr_name[WR_SRCLEN];
	struct pfile_res out[WR_MAXCOPY];	/* by copyOut index */
	int		 outfd[WR_MAXCOPY];	/* PFE_OK: the file */
	uint8_t		 outgot[WR_MAXCOPY];
};
void		 pcopy_init(struct pcopy *);
void		 pcopy_free(struct pcopy *);
int		 pcopy_in(struct pcopy *, struct imsg *);
int		 pcopy_add(struct pcopy *, const char *, int, const char *);
void		 pcopy_fail(struct pcopy *, const char *, uint32_t,
		    const char *);
int		 src_open(const char *, uint64_t, int *, char *, size_t);
int		 pcopy_send(struct pcopy *, struct proc *, uint32_t);
int		 pcopy_result(struct pcopy *, const struct pjob *,
		    struct imsg *);
size_t		 pcopy_answer(struct pcopy *, const struct pjob *,
		    struct json_t *, struct json_t *, struct json_t *, char *,
		    size_t);
size_t		 pcopy_collected(const char *, const char *, size_t, int, int,
		    struct json_t *, struct json_t *, struct json_t *, char *,
		    size_t);
void		 pcopy_uncache(struct json_t *);
extern const char *const pfile_err_names[PFE_MAX];

/* pjob.c: the program job, and the pool of program runners. */
struct json_t	*json_utf8_string(const char *, size_t);
void		 pjob_init(void);
void		 pjob_stop(void);
void		 pjob_caps(struct prun_caps *);
void		 pjob_net_lost(void);
int		 pjob_file(struct proc *, struct imsg *);
int		 pjob_cmd(struct proc *, struct imsg *);
int		 pjob_copyin(struct proc *, struct imsg *);
int		 pjob_src(struct proc *, struct imsg *);
int		 pjob_req(struct proc *, struct imsg *);
void		 pjob_stats(struct pool_stats *, uint64_t *runs, size_t nruns,
		    const char **names);

/* selftest.c: the built-in objects behind the monitor route. */
struct selftest_event {
	char		 name[WR_NAMELEN];
	int		 available;
	char		 reason[WR_NAMELEN * 2];
};
struct selftest_status {
	int			 ran;		/* finished at least once */
	int			 ok;		/* the last one passed */
	int			 was_ok;
	time_t			 when;		/* wall clock, last finish */
	uint64_t		 finished_ms;	/* monotonic, last finish */
	uint64_t		 passed_ms;	/* monotonic, last pass */
	uint64_t		 duration_ms;
	uint64_t		 age_ms;	/* since the last finish */
	char			 result[WR_REASONLEN * 2];
	uint32_t		 nevents;
	struct selftest_event	 events[WR_MAXEVENTS];
};
void		 selftest_init(void);
int		 selftest_healthy(char *reason, size_t len);
void		 selftest_get(struct selftest_status *);

/* info.c: the monitor route's body, /version and /config. */
void		 info_answer(uint32_t what, int json, struct http_res *);
int		 info_healthy(char *reason, size_t len);
void		 info_metrics(struct http_res *);

/* dispatch.c: what the network process may ask, and the answers. */
void		 dispatch_init(void);

/* cgroup.c: one cgroup per runner, v1 or v2. */
int		 cgroup_init(const char *mount, char *err, size_t errlen);
int		 cgroup_version(void);
int		 cgroup_create(const char *name, uint64_t memory, uint32_t pids,
		    int cpu, int *fds, int max, char *err, size_t errlen);
int		 cgroup_set_cpu_rate(const char *name, uint64_t rate);
void		 cgroup_kept_init(struct cgroup_kept *, uint64_t memory,
		    uint32_t pids);
void		 cgroup_kept_close(struct cgroup_kept *);
int		 cgroup_reuse(const char *name, const int *fds, int nfds,
		    struct cgroup_kept *, uint64_t memory, uint32_t pids,
		    uint64_t *ooms, char *err, size_t errlen);
uint64_t	 cgroup_kept_ooms(const char *name, struct cgroup_kept *);
int		 cgroup_set_memory(const char *name, struct cgroup_kept *,
		    uint64_t memory, char *path, size_t len);
int		 cgroup_sweep(void);
uint64_t	 cgroup_oom_kills(const char *name);
int		 cgroup_cpu_ns(const char *name, uint64_t *ns);
int		 cgroup_memory_peak(const char *name, uint64_t *bytes);
int		 cgroup_pids_peak(const char *name, uint64_t *n);
int		 cgroup_set_pids(const char *name, struct cgroup_kept *,
		    uint32_t pids);
int		 cgroup_kill_others(const char *, pid_t);
int		 cgroup_destroy(const char *name);
void		 cgroup_retry(void);

/* spawn.c: start the runner template, which clones every runner. */
#define SPAWN_MAXMOUNTS	32	/* the runner's PROG_MAXMOUNTS */
struct runner_spawn {
	const char	*prog;		/* webrunnerd-runner */
	const char	*root;		/* where its empty root is mounted */
	int		 debug;
	int		 verbose;
	int		 program;	/* -P, the program template, not -T */
	const char	*mounts[SPAWN_MAXMOUNTS];	/* -P: its -m paths */
	int		 nmounts;
};
pid_t		 runner_spawn(const struct runner_spawn *, int *sock,
		    char *err, size_t errlen);
int		 runner_exec_setup(int program);

/* caps.c: keep only the capabilities the monitor and its children use. */
void		 caps_drop(void);

#endif /* WR_MONITOR_H */
