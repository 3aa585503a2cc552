/*
 * The one-shot runner: everything its modules share.  Only runner.c has a
 * main(); the loader, the caller and the counters are usable on their own
 * (unit tests and fuzz targets link them directly).
 */
#ifndef WR_RUNNER_H
#define WR_RUNNER_H

#include <sys/types.h>

#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <x86intrin.h>

#include "proto.h"

/* elf.c: load an x86-64 ET_REL object into fresh memory. */
#define ELF_MAXSIZE	WR_MAXOBJECT		/* object bytes */
#define ELF_MAXSECTIONS	1024
#define ELF_MAXMAPPED	(64 * 1024 * 1024)	/* bytes mapped for sections */

struct elfobj;

/* libelf's version, once; elfobj_load() calls it too. */
void		 elfobj_init(void);
/*
 * Parse, map, relocate and protect (W^X) the object in buf, then find the
 * function `symbol'.  On failure returns NULL with a one-line reason in err.
 * buf is not referenced after the call returns.
 */
struct elfobj	*elfobj_load(const void *buf, size_t len, const char *symbol,
		    char *err, size_t errlen);
void		*elfobj_entry(const struct elfobj *);
/* Section name and offset of addr if it lies in a loaded section. */
int		 elfobj_locate(const struct elfobj *, uintptr_t addr,
		    const char **secname, uint64_t *off);
/* Address range of all the loader's mappings, for the runner's records. */
void		 elfobj_range(const struct elfobj *, uintptr_t *lo,
		    uintptr_t *hi);
void		 elfobj_free(struct elfobj *);

/* call.c: lay out the job's buffers and call the kernel. */
struct callframe;

struct callframe *call_prepare(const struct job *, void *fn, char *err,
		    size_t errlen);
/* One call of the kernel; the raw bits of its return value. */
uint64_t	 call_kernel(struct callframe *);
/* One call of an empty function through exactly the same path. */
uint64_t	 call_empty(struct callframe *);
void		 call_free(struct callframe *);

/* events.c: an event's name to its perf attr and display name. */
struct perf_event_attr;

int		 events_resolve(const char *name, char *disp, size_t displen,
		    char *reason, size_t reasonlen,
		    struct perf_event_attr *attr);

/* counters.c: open, schedule and read hardware and software events. */
struct counters;

#define COUNTERS_MAXREPEAT	1000000
/*
 * The runner's own exit status when its result could not be sent (after
 * sending it, it sleeps until the monitor kills it).  The final seccomp
 * filter allows exit and exit_group with this status only, so a kernel
 * that tries to end the process is reported like any other forbidden
 * system call instead of looking like a runner that died.
 */
#define RUNNER_EXIT_DONE	7

/*
 * Counter fds are numbered from here to COUNTERS_FDBASE + COUNTERS_MAXFDS
 * - 1, a range nothing else uses, so the final seccomp filter can be
 * built before the counters exist: read and ioctl on that range only.
 */
#define COUNTERS_FDBASE		32
#define COUNTERS_MAXFDS		32

/*
 * Resolve the job's event names (generic perf names, libpfm4 names, raw
 * rNNNN) and open them on this thread, user space only.  Events that cannot
 * be opened are kept with EV_UNAVAILABLE and a reason.  Returns NULL with a
 * reason only when nothing at all can be counted, errno EINVAL when that
 * is because no name was known (the request's fault), else EOPNOTSUPP.
 * n == 0 asks for the
 * default set.  Room for `repeat' samples (1..COUNTERS_MAXREPEAT) is
 * allocated here, since counters_measure() may not allocate.
 */
struct counters	*counters_open(const char names[][WR_NAMELEN], uint32_t n,
		    uint32_t repeat, char *err, size_t errlen);
/*
 * Make room for `repeat' samples instead, for counters opened before the
 * job said how many; -1 with errno EINVAL (out of range) or ENOMEM.
 */
int		 counters_reserve(struct counters *, uint32_t repeat,
		    char *err, size_t errlen);
/* The counter fds, so the final seccomp filter can allow exactly them. */
int		 counters_fds(const struct counters *, int *fds, int max);
void		 counters_plan(const struct counters *, struct run_result *);
int		 counters_witness(const struct counters *, struct run_plan *);
/*
 * Warm up, then measure `repeat' calls of fn(arg) per pass, subtract the
 * median cost of empty(arg), and fill res->ev[] and res->nevents.
 */
int		 counters_measure(struct counters *, uint32_t warmup,
		    uint32_t repeat, uint64_t (*fn)(void *),
		    uint64_t (*empty)(void *), void *arg,
		    struct run_result *res);
void		 counters_close(struct counters *);
/* In the template: keep the kernel's perf hooks on between runners. */
int		 counters_keep_warm(void);
/*
 * Where no PMU can count instructions, single-step at most `max' traps
 * of one call instead; 0 never single-steps.  WR_STEPMAX unless set.
 */
void		 counters_set_stepmax(struct counters *, uint64_t max);
/* The sample sort and median counters.c and soft.c share. */
void		 counters_sort(uint64_t *, size_t);
uint64_t	 counters_median(const uint64_t *, size_t);

/*
 * soft.c: counts without a PMU.  soft_step() marks the one call of the
 * kernel the monitor's stepper counts; soft_tsc() reads the time-stamp
 * counter around calls.
 */
/*
 * The time-stamp counter, read so that the instructions between the two
 * neither start before the first read nor finish after the second.
 */
static inline uint64_t
soft_tsc_begin(void)
{
	uint64_t	 t;

	_mm_lfence();
	t = __rdtsc();
	_mm_lfence();
	return t;
}

static inline uint64_t
soft_tsc_end(void)
{
	uint64_t	 t;
	uint32_t	 aux;

	t = __rdtscp(&aux);
	_mm_lfence();
	return t;
}

/* call.c: while set, its one call site marks the call for the stepper. */
extern volatile unsigned char soft_marking;
void		 soft_step(uint64_t (*fn)(void *), void *arg);
void		 soft_tsc(uint64_t *vals, uint32_t warmup, uint32_t repeat,
		    uint64_t (*fn)(void *), uint64_t (*empty)(void *),
		    void *arg, int64_t out[3]);

/*
 * sandbox.c: all of a runner's confinement, in order (see there).  The
 * template's socket, and each runner's, is this fd.
 */
#define RUNNER_SOCKFD	3
#define SANDBOX_MAXCG	4	/* cgroup directories of one runner */

struct sandbox_opts {
	int		 sock;		/* to become RUNNER_SOCKFD; -1: none */
	int		 cgfds[SANDBOX_MAXCG];	/* its cgroups' directories */
	int		 ncg;
	int		 joined;	/* born in them (sandbox_clone()) */
	uid_t		 uid;
	gid_t		 gid;
	uint32_t	 cpu_secs;	/* RLIMIT_CPU backstop */
	uint64_t	 tmpfs_bytes;	/* program runner: /w and /tmp */
	uint64_t	 born_ns;	/* its CPU time when first run */
};
struct sock_fprog;

int		 sandbox_unshare(const char **step);
int		 sandbox_template(const char *root, char *err, size_t errlen);
int		 sandbox_confine_template(const int *also, size_t nalso,
		    char *err, size_t errlen);
/* What a program runner has of its own beyond its pid namespace. */
#define SANDBOX_PROG_NS	(CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWUTS)
pid_t		 sandbox_clone(uint64_t how, struct sandbox_opts *);
int		 sandbox_enter(const struct sandbox_opts *, char *err,
		    size_t errlen);
int		 sandbox_final(const int *ctrfds, int nctr);
/* The pieces of sandbox_enter() the program runner shares (prog.c). */
int		 sandbox_join(const struct sandbox_opts *, const char **step);
int		 sandbox_drop(const struct sandbox_opts *, const char **step);
/* A libseccomp filter context's BPF, kept for loading in each runner. */
int		 sandbox_export(void *ctx, struct sock_fprog *);

/* A page: x86-64 only, so a constant (template.c, lowmap.c). */
#define RUNNER_PAGE	4096UL

/* lowmap.c: mappings near the code and the heap, while there is room. */
void		 lowmap_init(uintptr_t);
void		*lowmap(size_t, int prot, int flags, int fd);

/*
 * template.c: serve the monitor's IMSG_SPAWN on RUNNER_SOCKFD; returns
 * only in a new runner, with *so filled in for sandbox_enter() (or
 * prog.c's own confinement).
 */
int		 template_huge_text(void);
int		 template_share_text(void);
int		 template_find_malloc(void);
void		 template_prepare_heap(void);
void		 template_low_stack(void (*)(void)) __attribute__((__noreturn__));
uint64_t	 cpu_now_ns(void);
void		 template_run(struct sandbox_opts *so, uint64_t ns,
		    const char *tname, const char *rname);

/*
 * prog.c: the program runner (-P): its template, each runner's
 * confinement and its init.  Never returns.
 */
#define PROG_MAXMOUNTS	32	/* -m options */
void		 prog_main(const char *root, char *const *mounts,
		    int nmounts) __attribute__((__noreturn__));

/* progsec.c: the program's and init's seccomp filters (prog.c). */
int		 progsec_build(struct sock_fprog *prog,
		    struct sock_fprog *initprog);
const char	*progsec_name(uint32_t arch, int nr, char *buf, size_t len);

#endif /* WR_RUNNER_H */
