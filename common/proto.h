/*
 * The whole webrunnerd protocol on one screen: every message type, who may
 * send it, and its payload.  All payloads are fixed-size structs sent by
 * value over a local socketpair between processes built from the same tree,
 * so no byte-order or versioning concerns apply.  Every receiver still
 * checks the exact payload size and every count and string inside it, since
 * a net process or a runner may be hostile.
 */
#ifndef WR_PROTO_H
#define WR_PROTO_H

#include <stddef.h>
#include <stdint.h>

/* Limits shared by every process. */
#define WR_NAMELEN	64	/* kernel, parameter and event names */
#define WR_SYMLEN	128	/* kernel symbol in the object */
#define WR_MAXPARAMS	16	/* query parameters of one request */
#define WR_MAXARGS	16	/* arguments of one kernel call */
#define WR_MAXBUFS	8	/* buffers of one kernel call */
#define WR_MAXEVENTS	16	/* counters of one request */
#define WR_REASONLEN	256	/* one-line error reason */
#define WR_QUERYLEN	2048	/* raw query string */
#define WR_BODYLEN	(60 * 1024)	/* formatted HTTP answer body */
#define WR_TOKENLEN	256		/* bearer token, NUL included */
#define WR_MAXOBJECT	(4 * 1024 * 1024)	/* object a runner loads */
#define WR_MAXALIGN	(1024 * 1024)	/* a buffer's alignment */
#define WR_PATHLEN	256	/* a path under /w, a stored file's name,
				   NUL included */
#define WR_FILEIDLEN	33	/* a stored file's id: 32 hex digits */

/*
 * Message types and who may send each to whom: MON the monitor, NET the
 * network process, TPL the runner template, RUN a runner.  What a process
 * may send the monitor, and when, is ruled by the monitor's tables
 * (monitor/dispatch.c net_msgs, template.c template_msgs, kjob.c
 * runner_msgs); anything else is a violation that ends that process.
 * regress/t-proto.sh checks that every "-> MON" line here names the
 * table it is in.
 */
enum imsg_type {
	IMSG_NONE = 0,
	IMSG_HEALTH_REQ,	/* NET -> MON: can kernels run now? no payload */
	IMSG_HEALTH_RES,	/* MON -> NET: struct health_res */
	IMSG_NET_CONFIG,	/* MON -> NET: struct net_config, at start and
				   after SIGHUP */
	IMSG_RUN_REQ,		/* NET -> MON: struct run_req, fd = sealed memfd
				   holding the object */
	IMSG_HTTP_RES,		/* MON -> NET: struct http_res, one answer */
	IMSG_RUNNER_READY,	/* RUN -> MON: once, while starting: confined
				   and waiting.  no payload */
	IMSG_JOB,		/* MON -> RUN: struct job, fd = sealed memfd */
	IMSG_RESULT,		/* RUN -> MON: once, while busy: struct
				   run_result */
	IMSG_SPAWN_CGROUP,	/* MON -> TPL: fd = a directory of the next
				   runner's cgroup, one per hierarchy, before
				   its IMSG_SPAWN.  no payload */
	IMSG_SPAWN,		/* MON -> TPL: struct spawn_req, fd = the
				   runner's end of its socket */
	IMSG_SPAWNED,		/* TPL -> MON: one per IMSG_SPAWN: struct
				   spawn_res */
	IMSG_INFO_REQ,		/* NET -> MON: struct info_req; answered with
				   IMSG_HTTP_RES */
	IMSG_NET_LOG,		/* MON -> NET: struct net_log, fd = the file */
	IMSG_METRICS_REQ,	/* NET -> MON: the monitor's metrics?  no
				   payload */
	IMSG_METRICS_RES,	/* MON -> NET: struct http_res, text */
	IMSG_PRUN_FILE,		/* NET -> MON: struct prun_file, fd = sealed
				   memfd: a command's input on one fd */
	IMSG_PRUN_CMD,		/* NET -> MON: struct prun_cmd, one per
				   command, after its files */
	IMSG_PRUN_REQ,		/* NET -> MON: struct prun_req, last: the
				   request is complete */
	IMSG_HTTP_BODY,		/* MON -> NET: struct http_res with len 0,
				   fd = sealed memfd holding the body */
	IMSG_PJOB_FD,		/* MON -> RUN: struct pjob_fd, fd = what the
				   command gets as that fd */
	IMSG_PJOB,		/* MON -> RUN: struct pjob, after its fds */
	IMSG_PRESULT,		/* RUN -> MON: once, while busy: struct
				   presult */
	IMSG_PRUN_COPYIN,	/* NET -> MON: struct prun_copyin, fd = sealed
				   memfd: a file put in /w, before its
				   command */
	IMSG_PJOB_COPYIN,	/* MON -> RUN: struct pjob_copyin, fd = what
				   the file holds; before IMSG_PJOB */
	IMSG_PFILE,		/* RUN -> MON: while busy, before IMSG_PRESULT:
				   struct pfile_res, fd = a copyOut file
				   opened read-only, or none */
	IMSG_PRUN_SRC,		/* NET -> MON: struct prun_src: an input or
				   copyIn file from a host path or the file
				   store */
	IMSG_FILE_REQ,		/* NET -> MON: struct file_req, fd = sealed
				   memfd for FILE_PUT; answered with
				   IMSG_HTTP_RES, or IMSG_HTTP_BODY with the
				   file for FILE_GET */
	IMSG_RUNNER_PLAN,	/* RUN -> MON: once, while busy, before the
				   kernel first runs: struct run_plan, fd =
				   its witness counters, or none */
	IMSG_MAX
};

/*
 * The template, and each runner until the monitor says otherwise, runs at
 * this nice level: making and tearing down runners yields to the jobs
 * being served.
 */
#define SPAWN_NICE	19

/* IMSG_SPAWN: who the next runner is; its nice level is the monitor's. */
struct spawn_req {
	uint32_t	 id;			/* echoed in spawn_res */
	uint32_t	 uid;
	uint32_t	 gid;
	uint32_t	 cpu_secs;		/* RLIMIT_CPU backstop */
	uint32_t	 pad;
	uint64_t	 tmpfs_bytes;		/* program runner: the size of
						   its /w and of its /tmp */
};

/* IMSG_SPAWNED */
struct spawn_res {
	uint32_t	 id;
	int32_t		 pid;			/* the monitor's child, or -1 */
	int32_t		 error;			/* errno when pid is -1 */
};

/* IMSG_HEALTH_RES */
struct health_res {
	int32_t		 ok;			/* 1: 200, 0: 503 */
	char		 reason[WR_REASONLEN];
};

/* Where a log goes. */
enum log_dest {
	LOGD_SYSLOG = 0,	/* syslog, or stderr in the foreground */
	LOGD_OFF,
	LOGD_FILE		/* a file, its fd sent with IMSG_NET_LOG */
};

/* IMSG_NET_CONFIG: what the net process enforces itself. */
#define NET_MAXEXEMPT	8	/* prefixes exempt from the per-address cap */
struct net_prefix {
	uint8_t		 addr[16];		/* IPv4 as ::ffff:a.b.c.d */
	uint32_t	 bits;			/* of addr, 0 to 128 */
};
struct net_config {
	char		 machine_id[WR_NAMELEN];	/* "" accepts any */
	uint64_t	 max_body;		/* bytes */
	uint32_t	 max_headers;		/* bytes of all headers */
	uint32_t	 timeout;		/* seconds, read and write */
	uint32_t	 max_conns;		/* 0: from the descriptors */
	uint32_t	 max_conns_addr;	/* per address, /64; 0: none */
	uint32_t	 head_ms;		/* whole request head */
	uint32_t	 body_ms;		/* body, before the rate */
	uint32_t	 body_rate;		/* bytes/s after body_ms */
	uint32_t	 send_ms;		/* whole answer */
	uint32_t	 nexempt;
	struct net_prefix exempt[NET_MAXEXEMPT]; /* from max_conns_addr */
	int32_t		 auth_monitor_open;	/* monitor route needs none */
	int32_t		 program_mode;		/* POST /run is served */
	uint64_t	 program_max_body;	/* bytes of a /run body */
	uint32_t	 access_log;		/* enum log_dest */
	uint32_t	 error_log;		/* enum log_dest, not off */
	char		 auth_token[WR_TOKENLEN];	/* "": no auth */
};

/*
 * IMSG_NET_LOG: fd = a log file the monitor opened for the net process,
 * which cannot open files; sent before IMSG_NET_CONFIG when configured.
 */
enum net_log_kind {
	NET_LOG_ACCESS = 1,	/* one line per request */
	NET_LOG_ERROR		/* its warnings and errors */
};
struct net_log {
	uint32_t	 kind;			/* enum net_log_kind */
};

/* IMSG_INFO_REQ: a page the monitor writes. */
enum info_what {
	INFO_STATUS = 1,	/* GET /<machine-id>/monitor */
	INFO_VERSION,		/* GET /<machine-id>/version */
	INFO_CONFIG,		/* GET /<machine-id>/config */
	INFO_GJ_VERSION,	/* GET /version, go-judge's */
	INFO_GJ_CONFIG		/* GET /config, go-judge's */
};
struct info_req {
	uint32_t	 what;			/* enum info_what */
	int32_t		 json;			/* client asked for JSON */
};

/*
 * IMSG_RUN_REQ: the query string as NET parsed it, in typed pairs; MON
 * checks each against the kernel's spec and its limits and never sees
 * the raw text.  A value keeps what the client wrote, made printable and
 * cut to fit, only for MON's messages to quote.
 */
enum run_value_kind {
	RV_NONE = 0,		/* not given */
	RV_INT,			/* decimal digits, perhaps after a '-';
				   time-limit in ms, memory-limit in bytes */
	RV_OVERFLOW,		/* decimal digits beyond 2^64 - 1 */
	RV_EMPTY,		/* "name=" */
	RV_TEXT			/* anything else: not a number */
};
struct run_value {
	uint32_t	 kind;			/* enum run_value_kind */
	uint32_t	 neg;			/* a '-' came first */
	uint64_t	 mag;			/* RV_INT: the magnitude */
	char		 shown[WR_NAMELEN];	/* as given */
};
struct run_param {
	char		 name[WR_NAMELEN];	/* as given, any bytes */
	struct run_value value;
};
struct run_req {
	char		 kernel[WR_NAMELEN];
	struct run_value repeat;
	uint32_t	 nevents;		/* 0: the default set */
	uint32_t	 nparams;		/* the kernel's parameters */
	char		 events[WR_MAXEVENTS][WR_NAMELEN];
	struct run_value time_limit;
	struct run_value memory_limit;
	struct run_param params[WR_MAXPARAMS];
	int32_t		 json;			/* client asked for JSON */
	uint32_t	 pad;
	uint64_t	 size;			/* object size in bytes */
};

/*
 * IMSG_HTTP_RES.  Sent with only the body bytes used: the payload is
 * HTTP_RES_SIZE(res) bytes, and the receiver checks that len says so.
 */
#define HTTP_RES_HDRSIZE	offsetof(struct http_res, body)
#define HTTP_RES_SIZE(r)	(HTTP_RES_HDRSIZE + (r)->len)
struct http_res {
	int32_t		 code;			/* HTTP status */
	int32_t		 json;			/* body is application/json */
	uint32_t	 retry_after;		/* seconds, 0: no header */
	uint32_t	 outcome;		/* enum run_status, for logs */
	uint32_t	 len;			/* bytes used in body */
	/* IMSG_HTTP_BODY: a stored file, an attachment of this name */
	char		 attach[WR_PATHLEN];
	char		 body[WR_BODYLEN];
};

/*
 * A job: one kernel call fully resolved by the monitor from the kernel spec
 * and the request's parameters.  The runner needs no spec, no JSON and no
 * expression evaluator; it only lays out buffers and calls.
 */
enum elem_type {
	ELEM_I8 = 1, ELEM_U8, ELEM_I16, ELEM_U16, ELEM_I32, ELEM_U32,
	ELEM_I64, ELEM_U64, ELEM_F32, ELEM_F64
};

enum buf_init {
	INIT_ZERO = 1,		/* all bytes zero */
	INIT_ONES,		/* every element 1 (1.0 for floats) */
	INIT_RANDOM,		/* uniform in [0,1) for floats, any bits else */
	INIT_SEQUENCE		/* element i holds i */
};

struct job_buf {
	uint64_t	 count;			/* elements */
	uint64_t	 align;			/* bytes, power of two, >= 1 */
	uint64_t	 offset;		/* bytes added after aligning */
	uint64_t	 seed;			/* INIT_RANDOM */
	uint32_t	 elem;			/* enum elem_type */
	uint32_t	 init;			/* enum buf_init */
	uint32_t	 writable;		/* else mapped read-only */
	uint32_t	 pad;
};

enum arg_kind {
	ARG_INT = 1,		/* integer in a general register or stack slot */
	ARG_BUF,		/* pointer to bufs[index] */
	ARG_F32,		/* float in an SSE register */
	ARG_F64			/* double in an SSE register */
};

struct job_arg {
	uint32_t	 kind;			/* enum arg_kind */
	uint32_t	 index;			/* ARG_BUF: buffer number */
	uint64_t	 ival;			/* ARG_INT */
	double		 fval;			/* ARG_F32, ARG_F64 */
};

enum ret_type {
	RET_VOID = 1, RET_INT, RET_F32, RET_F64
};

/*
 * The default bound on the traps of one single-stepped call where no PMU
 * counts instructions (webrunnerd.conf(5), single-step-limit): some 30 us
 * each in a virtual machine, so about 0.6 s.
 */
#define WR_STEPMAX	20000

struct job {
	char		 symbol[WR_SYMLEN];
	uint32_t	 nargs;
	uint32_t	 nbufs;
	uint32_t	 nevents;
	uint32_t	 ret;			/* enum ret_type */
	uint32_t	 repeat;		/* measured calls */
	uint32_t	 warmup;		/* unmeasured calls first */
	uint64_t	 size;			/* object size in bytes */
	uint64_t	 memmax;		/* bytes of buffers allowed */
	uint64_t	 stepmax;		/* single-step traps, 0: none */
	struct job_arg	 args[WR_MAXARGS];
	struct job_buf	 bufs[WR_MAXBUFS];
	char		 events[WR_MAXEVENTS][WR_NAMELEN];
};

/*
 * Outcomes a runner or the monitor can report.  The HTTP code and the text
 * a client sees for each are in common/vocab.c.
 */
enum run_status {
	RS_OK = 0,
	RS_BAD_JOB,		/* the job itself was inconsistent */
	RS_LOAD_ERROR,		/* the loader rejected the object */
	RS_NO_MEMORY,		/* buffers could not be allocated */
	RS_COUNTER_ERROR,	/* no requested counter could be opened */
	RS_TIME_LIMIT,		/* set by the monitor */
	RS_MEMORY_LIMIT,	/* set by the monitor */
	RS_SIGNALLED,		/* set by the monitor */
	RS_SYSCALL,		/* forbidden system call */
	RS_INTERNAL,
	RS_NO_KERNEL,		/* no spec of that name: set by the monitor */
	RS_UNAVAILABLE		/* busy or no runner can start: the monitor */
};

/* Per-event result. */
enum ev_state {
	EV_OK = 0,		/* counted, never multiplexed */
	EV_UNAVAILABLE		/* reason says why */
};

/* Where a count came from. */
enum ev_source {
	EV_SRC_NONE = 0,	/* not said */
	EV_SRC_PMU,		/* a hardware counter */
	EV_SRC_SOFTWARE,	/* one of the kernel's software events */
	EV_SRC_SINGLESTEP,	/* instructions, single-stepped */
	EV_SRC_TSC		/* reference cycles, the time-stamp counter */
};

struct ev_result {
	char		 name[WR_NAMELEN];
	uint32_t	 state;			/* enum ev_state */
	uint32_t	 source;		/* enum ev_source */
	int64_t		 median;		/* overhead already subtracted */
	int64_t		 min;
	int64_t		 max;
	char		 reason[WR_NAMELEN * 2];
};

/*
 * RS_SYSCALL's sysno for int 0x80 on a host without 32-bit system calls,
 * where it faults instead of entering the kernel.
 */
#define WR_SYSNO_INT80	(-1)

/* IMSG_RESULT */
struct run_result {
	uint32_t	 status;		/* enum run_status */
	uint32_t	 nevents;
	uint32_t	 repeat;		/* repetitions measured */
	int32_t		 sysno;			/* RS_SYSCALL, or: */
	uint64_t	 retval;		/* raw bits of the return value */
	char		 reason[WR_REASONLEN];
	struct ev_result ev[WR_MAXEVENTS];
};

/*
 * IMSG_RUNNER_PLAN.  res lists the events the result will list, with
 * their names, sources and states, and no values.  The witness is a
 * group of counters the runner opened on itself and gave away before
 * the kernel ran, read with PERF_FORMAT_GROUP and both total times: if
 * it ran all the time it was enabled, value k counts at least as much as
 * event i of the result whenever witness[i] is k (-1: none).
 */
#define WR_MAXWITNESS	3
/*
 * And the runner's own CPU time so far, in ns, at four marks of its life
 * (monitor/kjob.c, kjob_plan(), sums each stage between them for the
 * metrics): its first instruction after the clone, saying it is ready,
 * holding its job, and sending this plan.
 */
enum { CPU_BORN, CPU_READY, CPU_JOB, CPU_PLAN, CPU_NMARKS };
struct run_plan {
	struct run_result res;
	uint32_t	 nwitness;		/* values in the group */
	int32_t		 witness[WR_MAXEVENTS];
	uint64_t	 cpu_ns[CPU_NMARKS];
};

/*
 * Program mode (POST /run, go-judge's API; webrunnerd-api(7)).
 *
 * NET parses the JSON and sends, per request id: each command's inputs
 * (IMSG_PRUN_FILE), each command (IMSG_PRUN_CMD, cmds in order), then
 * IMSG_PRUN_REQ, which completes it.  A limit NET did not find in the
 * JSON is 0 with its PL_ bit clear in `given'; MON clamps every value
 * to its configured caps and fills in the defaults.  Strings travel
 * NUL-separated in fixed areas: nargs strings in args, nenv in env;
 * MON checks that the counts and the NULs agree.
 */
#define WR_MAXCMDS	8	/* commands of one request */
#define WR_MAXPIPES	16	/* pipes between them */
#define WR_MAXFDS	8	/* files of one command: fds 0 to 7 */
#define WR_ARGSLEN	(16 * 1024)	/* args, NULs included */
#define WR_ENVLEN	(16 * 1024)	/* env, NULs included */
#define WR_MAXARGV	1024	/* strings in args, or in env */
#define WR_MAXCOPY	64	/* copyIn files, or copyOut names, of one
				   command */

/* struct prun_file: IMSG_PRUN_FILE */
struct prun_file {
	uint32_t	 cmd;			/* index in the request */
	uint32_t	 fd;			/* < WR_MAXFDS */
};

/*
 * struct prun_copyin: IMSG_PRUN_COPYIN.  The file at path (relative,
 * under /w) holds what the fd holds; or, with a target and no fd, it is
 * a symbolic link to target (go-judge's copyIn symlink).
 */
struct prun_copyin {
	uint32_t	 cmd;			/* index in the request */
	uint32_t	 pad;
	char		 path[WR_PATHLEN];
	char		 target[WR_PATHLEN];	/* "": a file */
};

/*
 * struct prun_src: IMSG_PRUN_SRC.  What fd (< WR_MAXFDS), or the copyIn
 * file at path (fd == WR_MAXFDS), of command cmd holds is the host file
 * src, which the monitor opens only beneath a `program src-allow'
 * directory; or, with fileid set, the stored file of that id (src is
 * then an id, or "" for what cannot be one).
 */
#define WR_SRCLEN	1024	/* a src path, NUL included */
struct prun_src {
	uint32_t	 cmd;
	uint32_t	 fd;
	uint32_t	 fileid;
	uint32_t	 pad;
	char		 path[WR_PATHLEN];
	char		 src[WR_SRCLEN];
};

/* A name of copyOut or copyOutCached (struct prun_cmd.copyout). */
#define CO_OPTIONAL	0x01	/* a trailing `?': missing is no error */
#define CO_CACHED	0x02	/* copyOutCached: kept in the file store */
#define CO_ABSOLUTE	0x04	/* given as /w/name, answered so */
struct pcopyout {
	uint32_t	 flags;			/* CO_ bits */
	char		 name[WR_PATHLEN];	/* relative, under /w */
};

/* What a command's fd is. */
enum pfile_kind {
	PF_NONE = 0,		/* closed (null in the JSON, or absent) */
	PF_CONTENT,		/* input from a sealed memfd (IMSG_PRUN_FILE),
				   or from a host file (IMSG_PRUN_SRC) */
	PF_COLLECT		/* output collected under `name', at most max */
};
struct pfile {
	uint32_t	 kind;			/* enum pfile_kind */
	uint32_t	 pad;
	uint64_t	 max;			/* PF_COLLECT: bytes; 0: not given */
	char		 name[WR_NAMELEN];	/* PF_COLLECT */
};

/* Which limits a command gave (the bits of prun_cmd.given). */
#define PL_CPU		0x0001
#define PL_CLOCK	0x0002
#define PL_MEMORY	0x0004
#define PL_STACK	0x0008
#define PL_PROC		0x0010
#define PL_CPURATE	0x0020
#define PL_INSTR	0x0040
#define PL_COPYOUTMAX	0x0080

/* struct prun_cmd: IMSG_PRUN_CMD */
struct prun_cmd {
	uint32_t	 index;			/* of the command */
	uint32_t	 nargs;			/* >= 1 */
	uint32_t	 nenv;
	uint32_t	 nfiles;		/* files[] used, <= WR_MAXFDS */
	uint32_t	 given;			/* PL_ bits */
	uint32_t	 strict_memory;		/* strictMemoryLimit */
	uint32_t	 address_space;		/* addressSpaceLimit */
	uint32_t	 data_segment;		/* dataSegmentLimit */
	uint64_t	 cpu_ns;		/* cpuLimit */
	uint64_t	 clock_ns;		/* clockLimit (or realCpuLimit) */
	uint64_t	 memory;		/* memoryLimit, bytes */
	uint64_t	 stack;			/* stackLimit, bytes */
	uint64_t	 proc;			/* procLimit */
	uint64_t	 cpu_rate;		/* cpuRateLimit, 1/1000 CPU */
	uint64_t	 instructions;		/* instructionLimit */
	uint64_t	 copyout_max;		/* copyOutMax, bytes */
	uint32_t	 copyout_truncate;	/* copyOutTruncate */
	uint32_t	 ncopyin;		/* IMSG_PRUN_COPYINs sent */
	uint32_t	 ncopyout;		/* copyout[] used */
	uint32_t	 pad;
	struct pfile	 files[WR_MAXFDS];
	struct pcopyout	 copyout[WR_MAXCOPY];
	char		 args[WR_ARGSLEN];
	char		 env[WR_ENVLEN];
};

/*
 * struct prun_pipe: a pipeMapping entry.  go-judge's "in" end is where
 * the writing command puts bytes in, its "out" end where the reading
 * command takes them out.  With proxy the monitor passes the bytes on
 * and, with a name, keeps the first max of them, which the writing
 * command's result shows under that name.
 */
struct prun_pipe {
	uint32_t	 w_cmd;			/* "in": the writing command */
	uint32_t	 w_fd;			/* and its fd */
	uint32_t	 r_cmd;			/* "out": the reading command */
	uint32_t	 r_fd;
	uint64_t	 max;			/* proxy: bytes kept */
	uint32_t	 proxy;
	uint32_t	 pad;
	char		 name[WR_NAMELEN];	/* proxy: kept as; "": none */
};

/* struct prun_req: IMSG_PRUN_REQ */
struct prun_req {
	uint32_t	 ncmds;			/* IMSG_PRUN_CMDs sent, >= 1 */
	uint32_t	 npipes;
	struct prun_pipe pipes[WR_MAXPIPES];
};

/*
 * MON -> program runner.  IMSG_PJOB_FD gives each fd of the command
 * (a memfd for input, a pipe's write end for a collector), then IMSG_PJOB
 * what to run.  An fd not given is closed in the command.
 */
struct pjob_fd {
	uint32_t	 fd;			/* < WR_MAXFDS */
};

/* IMSG_PJOB_COPYIN: the file at path under /w holds what the fd holds. */
struct pjob_copyin {
	char		 path[WR_PATHLEN];
	char		 target[WR_PATHLEN];	/* a symbolic link, no fd */
};

struct pjob {
	uint32_t	 nargs;
	uint32_t	 nenv;
	uint64_t	 stack;			/* RLIMIT_STACK, bytes; 0: none */
	uint64_t	 address_space;		/* RLIMIT_AS, bytes; 0: none */
	uint64_t	 data_segment;		/* RLIMIT_DATA, bytes; 0: none */
	uint64_t	 file_size;		/* RLIMIT_FSIZE, bytes */
	uint64_t	 nofile;		/* RLIMIT_NOFILE */
	uint64_t	 cpu_secs;		/* RLIMIT_CPU backstop, seconds */
	uint64_t	 copyout_max;		/* bytes of one copyOut file */
	uint32_t	 copyout_truncate;	/* over it: the first bytes */
	uint32_t	 ncopyout;
	struct pcopyout	 copyout[WR_MAXCOPY];	/* read after it ends */
	char		 args[WR_ARGSLEN];
	char		 env[WR_ENVLEN];
};

/* How the command ended (struct presult.how). */
enum presult_how {
	PR_EXITED = 1,		/* code: its exit status */
	PR_SIGNALLED,		/* code: the signal */
	PR_EXEC_FAILED,		/* code: errno of execve, or of the lookup */
	PR_SYSCALL,		/* code: the forbidden system call's number */
	PR_SETUP_FAILED,	/* code: errno; the runner could not set up */
	PR_FILE_ERROR		/* a copyIn file could not be made (its
				   IMSG_PFILE says why): it did not run */
};

/*
 * What went wrong with a file, go-judge's fileError types in its order
 * (envexec/cmd.go), 1 more: 0 is a copyOut file that is there.
 */
enum pfile_err {
	PFE_OK = 0,
	PFE_COPYIN_OPEN,
	PFE_COPYIN_MKDIR,
	PFE_COPYIN_CREATE,
	PFE_COPYIN_COPY,
	PFE_COPYOUT_OPEN,
	PFE_COPYOUT_NOTREG,
	PFE_COPYOUT_SIZE,
	PFE_COPYOUT_CREATE,
	PFE_COPYOUT_COPY,
	PFE_COLLECT_SIZE,
	PFE_SYMLINK,
	PFE_MAX
};

/*
 * IMSG_PFILE: about copyIn file index (copyin 1) or copyOut name index
 * (copyin 0).  PFE_OK comes with the file, opened read-only.
 */
struct pfile_res {
	uint32_t	 index;
	uint32_t	 copyin;
	uint32_t	 err;			/* enum pfile_err */
	uint32_t	 pad;
	uint64_t	 size;			/* PFE_OK: bytes it has */
	char		 reason[WR_REASONLEN];
};

/* IMSG_PRESULT: sent by the runner's init once the command has ended. */
struct presult {
	uint32_t	 how;			/* enum presult_how */
	int32_t		 code;
	uint64_t	 proc_peak;		/* most processes at once */
	char		 reason[WR_REASONLEN];
};

/*
 * The file store (POST, GET, DELETE /file), which the monitor keeps: NET
 * never holds a stored file but to send it.
 */
enum file_op {
	FILE_LIST = 1,		/* GET /file */
	FILE_GET,		/* GET /file/<id> */
	FILE_DELETE,		/* DELETE /file/<id> */
	FILE_PUT		/* POST /file: fd = its contents */
};

/* IMSG_FILE_REQ */
struct file_req {
	uint32_t	 op;			/* enum file_op */
	uint32_t	 pad;
	uint64_t	 size;			/* FILE_PUT: bytes of the fd */
	char		 id[WR_FILEIDLEN];	/* FILE_GET, FILE_DELETE */
	char		 name[WR_PATHLEN];	/* FILE_PUT */
};

#endif /* WR_PROTO_H */
