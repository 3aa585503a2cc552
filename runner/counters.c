/*
 * Hardware and software event counters around one kernel call.
 *
 * Events are resolved from their names (generic perf names, rNNNN raw
 * codes, anything libpfm4 knows), opened on this thread for user space
 * only, and put into groups: one group per kind of PMU, split further
 * where the PMU cannot hold the whole group at once.  Every group is one
 * measurement pass, and a pass only enables its own group, so no group
 * ever competes with another for counters and no value is ever scaled
 * from a multiplexed reading: a sample whose time running differs from
 * its time enabled is thrown away and taken again, and a group that keeps
 * being multiplexed is reported unavailable.
 *
 * Overhead subtraction.  A pass enables its group once and then reads
 * it around every call,
 *
 *	read() f(arg) read() f(arg) read() ...
 *
 * so a sample is the difference of two successive reads and, with the kernel
 * excluded, counts the user-space instructions from the return of one read
 * to the entry of the next: the tail of the read wrapper, the bookkeeping of
 * the sample before, the call of f, the caller-side path of call.c, the
 * kernel, and the way back to the next read (samples() says why that code is
 * the same for every sample it keeps).  Each pass takes `repeat' samples of
 * the empty function first, then `repeat' samples of the kernel, with the
 * same code; call.c guarantees that both go through the same instructions
 * except for the called function, which is a lone `ret' for the empty one.
 * The kernel's value is therefore its sample minus the empty sample, and the
 * reported instruction count is the kernel's own instructions less its final
 * `ret', which counts with the call as overhead.  The overhead taken is the
 * median of the empty samples, not the minimum: for a deterministic event
 * like instructions every undisturbed sample holds the same value, so the
 * median is that exact value as long as fewer than half the samples were
 * disturbed (by an interrupt, say), in either direction, while the minimum
 * would be wrong as soon as one sample came out low; for cycles the median
 * is the typical overhead where the minimum would be a lucky one.  Reported
 * are the median, minimum and maximum of the kernel samples, each less that
 * overhead.  They are not clamped at zero: a negative value says the
 * kernel's cost is within the noise of the event, and clamping would hide
 * that and bias small medians upwards.
 *
 * Without a hardware PMU, instructions are single-stepped by the
 * monitor's stepper and reference cycles read from the time-stamp counter
 * instead (soft.c; plan_soft() says when), and reported the same way,
 * with the same subtraction.
 *
 * counters_measure() runs under the runner's final seccomp filter, which
 * allows read(2) and the ENABLE and DISABLE ioctls on the counters'
 * fd range only, so it makes no other system call: everything it needs,
 * the sample arrays included, is allocated and touched in
 * counters_reserve(), it sorts with its own heapsort (qsort(3) may allocate)
 * and it prints nothing.
 */
#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>

#include <linux/perf_event.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "runner.h"

#define CTR_REASONLEN	(WR_NAMELEN * 2)
#define CTR_MAXRETRY	16	/* multiplexed samples in a row, per pass */
#define CTR_PROBELOOP	1000

#define READ_FORMAT	(PERF_FORMAT_GROUP | PERF_FORMAT_TOTAL_TIME_ENABLED | \
			    PERF_FORMAT_TOTAL_TIME_RUNNING)

/* Group classes: software, the core PMU, or any other PMU by its type. */
#define CLASS_SOFTWARE	0
#define CLASS_CORE	1
#define CLASS_OTHER	2	/* + attr.type */

struct ctr_event {
	char			 ce_name[WR_NAMELEN];	/* as displayed */
	char			 ce_reason[CTR_REASONLEN];
	struct perf_event_attr	 ce_attr;
	uint32_t		 ce_state;		/* enum ev_state */
	uint32_t		 ce_source;		/* enum ev_source */
	int			 ce_hidden;		/* optional, failed */
	int			 ce_fd;
	int			 ce_slot;		/* in its group */
	int64_t			 ce_median;
	int64_t			 ce_min;
	int64_t			 ce_max;
};

struct ctr_group {
	uint64_t		 cg_class;
	int			 cg_leader;		/* fd */
	int			 cg_split;		/* do not join */
	int			 cg_nev;
	int			 cg_ev[WR_MAXEVENTS];
	uint64_t		 cg_enabled;		/* at the last read */
	uint64_t		 cg_running;
};

struct counters {
	struct ctr_event	 c_ev[WR_MAXEVENTS];
	uint32_t		 c_nev;
	struct ctr_group	 c_grp[WR_MAXEVENTS];
	int			 c_ngrp;
	int			 c_nopmu;		/* -1: not probed */
	uint32_t		 c_reftsc;		/* TSC line after ev - 1 */
	int			 c_usetsc;		/* reftsc or an event */
	int			 c_tscgrp;		/* its pass, or -1 */
	int64_t			 c_tsc[3];		/* median, min, max */
	uint64_t		 c_stepmax;		/* 0: no stepper */
	uint32_t		 c_repeat;		/* reserved samples */
	uint64_t		*c_vals;		/* [slot][repeat] */
	size_t			 c_nvals;
	/* Successive reads, in turn; group_read() uses the first alone. */
	uint64_t		 c_rbuf[3 + WR_MAXEVENTS];
	uint64_t		 c_rbuf2[3 + WR_MAXEVENTS];
	uint64_t		 c_prev[WR_MAXEVENTS];	/* counts at the last read */
};

/* The default set: the first CTR_NREQUIRED are reported in any case. */
static const char *const ctr_default[] = {
	"cycles", "instructions", "branches", "branch-misses", "task-clock",
	"page-faults", "context-switches"
};
#define CTR_NREQUIRED	2

static int	 resolve(struct ctr_event *, const char *);
static int	 open_event(struct ctr_event *, int);
static void	 open_failed(struct counters *, struct ctr_event *, int);
static void	 place(struct counters *, int);
static int	 new_group(struct counters *, int, uint64_t);
static uint64_t	 ev_class(const struct ctr_event *);
static void	 probe_groups(struct counters *);
static void	 split_group(struct counters *, int);
static int	 group_read(struct counters *, struct ctr_group *);
static int	 repeat_bad(uint32_t, char *, size_t);
static int	 samples(struct counters *, struct ctr_group *,
		    uint64_t (*)(void *), void *, uint64_t *, uint32_t,
		    uint64_t *)
		    __attribute__((__noinline__));
static int	 run_pass(struct counters *, struct ctr_group *, uint32_t,
		    uint32_t, uint64_t (*)(void *), uint64_t (*)(void *),
		    void *, uint64_t *);
static void	 plan_soft(struct counters *);
static void	 step_soft(struct counters *, uint64_t (*)(void *), void *);
static void	 measure_soft(struct counters *, uint32_t, uint32_t,
		    uint64_t (*)(void *), uint64_t (*)(void *), void *);
static void	 put_result(const struct counters *, struct run_result *,
		    const char *, uint32_t, const struct ctr_event *);
static void	 close_all(struct counters *);
static int	 probe_nopmu(void);

/*
 * Whether this host has no core PMU: learnt by the template, keeping
 * counters warm before any runner is cloned, so that each runner knows
 * it without trying every event of that PMU in vain.  -1: not known.
 */
static int	 host_nopmu = -1;

struct counters *
counters_open(const char names[][WR_NAMELEN], uint32_t n, uint32_t repeat,
    char *err, size_t errlen)
{
	struct counters		*c;
	struct ctr_event	*ev;
	const char		*name;
	uint32_t		 i, ngood = 0, nunknown = 0;
	int			 saved;
	char			 given[WR_NAMELEN];

	if (n > WR_MAXEVENTS) {
		snprintf(err, errlen, "%u events, at most %u", n,
		    WR_MAXEVENTS);
		return NULL;
	}
	/* Before any event is opened for nothing. */
	if (repeat_bad(repeat, err, errlen))
		return NULL;
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		snprintf(err, errlen, "cannot allocate the counters");
		return NULL;
	}
	c->c_nopmu = host_nopmu;
	c->c_stepmax = WR_STEPMAX;
	c->c_nev = n == 0 ? (uint32_t)(sizeof(ctr_default) /
	    sizeof(ctr_default[0])) : n;

	for (i = 0; i < c->c_nev; i++) {
		ev = &c->c_ev[i];
		ev->ce_fd = -1;
		ev->ce_state = EV_UNAVAILABLE;
		if (n == 0)
			name = ctr_default[i];
		else {
			/* Never trust the terminator of a fixed array. */
			memcpy(given, names[i], sizeof(given));
			given[sizeof(given) - 1] = '\0';
			name = given;
		}
		if (resolve(ev, name) == -1) {
			nunknown++;
			continue;
		}
		place(c, (int)i);
	}
	probe_groups(c);
	plan_soft(c);

	for (i = 0; i < c->c_nev; i++) {
		ev = &c->c_ev[i];
		if (ev->ce_state == EV_OK)
			ngood++;
		else if (n == 0 && i >= CTR_NREQUIRED)
			ev->ce_hidden = 1;
	}
	if (ngood == 0) {
		if (c->c_nev == 0)
			snprintf(err, errlen, "no events");
		else
			snprintf(err, errlen, "no event can be counted: "
			    "%s: %s", c->c_ev[0].ce_name, c->c_ev[0].ce_reason);
		/* Only names nobody knows: the request's fault. */
		i = nunknown == c->c_nev;
		counters_close(c);
		errno = i ? EINVAL : EOPNOTSUPP;
		return NULL;
	}

	if (counters_reserve(c, repeat, err, errlen) == -1) {
		saved = errno;
		counters_close(c);
		errno = saved;
		return NULL;
	}
	return c;
}

/*
 * The sample array, big enough for the largest pass, and touched now so
 * that no page fault or allocation happens while measuring.
 */
int
counters_reserve(struct counters *c, uint32_t repeat, char *err,
    size_t errlen)
{
	uint64_t	*v;
	size_t		 n;
	int		 g, maxnev = 0;

	if (repeat_bad(repeat, err, errlen))
		return -1;
	for (g = 0; g < c->c_ngrp; g++)
		if (c->c_grp[g].cg_nev > maxnev)
			maxnev = c->c_grp[g].cg_nev;
	/* The time-stamp counter's samples need a row too. */
	n = (size_t)(maxnev + 1) * repeat;
	if (n > c->c_nvals || c->c_vals == NULL) {
		if ((v = reallocarray(c->c_vals, n == 0 ? 1 : n,
		    sizeof(*v))) == NULL) {
			snprintf(err, errlen, "cannot allocate %u samples of "
			    "%d events", repeat, maxnev);
			errno = ENOMEM;
			return -1;
		}
		c->c_vals = v;
		c->c_nvals = n;
	}
	memset(c->c_vals, 0, n * sizeof(*c->c_vals));
	c->c_repeat = repeat;
	return 0;
}

/* A repeat count out of range: say so, errno EINVAL. */
static int
repeat_bad(uint32_t repeat, char *err, size_t errlen)
{
	if (repeat > 0 && repeat <= COUNTERS_MAXREPEAT)
		return 0;
	snprintf(err, errlen, "repeat %u out of range 1..%u", repeat,
	    COUNTERS_MAXREPEAT);
	errno = EINVAL;
	return 1;
}

int
counters_fds(const struct counters *c, int *fds, int max)
{
	uint32_t	 i;
	int		 n = 0;

	for (i = 0; i < c->c_nev; i++) {
		if (c->c_ev[i].ce_fd == -1)
			continue;
		if (n >= max) {
			errno = ENOSPC;
			return -1;
		}
		fds[n++] = c->c_ev[i].ce_fd;
	}
	return n;
}

int
counters_measure(struct counters *c, uint32_t warmup, uint32_t repeat,
    uint64_t (*fn)(void *), uint64_t (*empty)(void *), void *arg,
    struct run_result *res)
{
	struct ctr_event	*ev;
	uint64_t		 retval = 0;
	uint32_t		 k;
	int			 g, rc;

	if (repeat == 0 || repeat > c->c_repeat) {
		errno = EINVAL;
		return -1;
	}
	/* Before any other call of the kernel: soft.c says why. */
	step_soft(c, fn, arg);
	for (g = 0; g < c->c_ngrp; g++) {
		if ((rc = run_pass(c, &c->c_grp[g], warmup, repeat, fn, empty,
		    arg, &retval)) == -1)
			return -1;
		if (rc == 1)
			for (k = 0; k < (uint32_t)c->c_grp[g].cg_nev; k++) {
				ev = &c->c_ev[c->c_grp[g].cg_ev[k]];
				ev->ce_state = EV_UNAVAILABLE;
				strlcpy(ev->ce_reason, "could not be scheduled "
				    "without multiplexing",
				    sizeof(ev->ce_reason));
			}
	}

	measure_soft(c, warmup, repeat, fn, empty, arg);
	counters_plan(c, res);
	res->repeat = repeat;
	res->retval = retval;
	return 0;
}

/*
 * The witness (proto.h, struct run_plan): task-clock, and where they
 * open, instructions and cycles in user space, in one pinned group on
 * this thread, counting from now.  Its leader's fd, or -1; which of the
 * plan's events each value bounds into plan->witness.  The runner gives
 * the fd to the monitor before the kernel runs and keeps no copy, so
 * nothing the kernel does can stop or reset it.
 */
int
counters_witness(const struct counters *c, struct run_plan *plan)
{
	static const struct {
		uint32_t	 type;
		uint64_t	 config;
	} w[WR_MAXWITNESS] = {
		{ PERF_TYPE_SOFTWARE, PERF_COUNT_SW_TASK_CLOCK },
		{ PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS },
		{ PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES }
	};
	const struct ctr_event	*ev;
	struct perf_event_attr	 a;
	uint32_t		 i, k, n = 0;
	int			 slot[WR_MAXWITNESS], fd, leader = -1;

	for (k = 0; k < WR_MAXWITNESS; k++) {
		slot[k] = -1;
		if (host_nopmu == 1 && w[k].type == PERF_TYPE_HARDWARE)
			continue;
		memset(&a, 0, sizeof(a));
		a.size = sizeof(a);
		a.type = w[k].type;
		a.config = w[k].config;
		a.read_format = PERF_FORMAT_GROUP |
		    PERF_FORMAT_TOTAL_TIME_ENABLED |
		    PERF_FORMAT_TOTAL_TIME_RUNNING;
		/*
		 * Pinned: always on the PMU while the runner runs, never
		 * multiplexed out by the runner's own groups, whatever the
		 * kernel enables; a pinned group that cannot be scheduled
		 * says so in its times, and then bounds nothing.
		 */
		a.pinned = leader == -1;
		/* As the runner's own: what an unprivileged user may open. */
		a.exclude_kernel = 1;
		a.exclude_hv = 1;
		fd = (int)syscall(SYS_perf_event_open, &a, 0, -1, leader,
		    PERF_FLAG_FD_CLOEXEC);
		if (fd == -1 && leader == -1)
			break;
		if (fd == -1)
			continue;
		if (leader == -1)
			leader = fd;
		slot[k] = (int)n++;
	}
	plan->nwitness = n;
	for (i = 0; i < WR_MAXEVENTS; i++)
		plan->witness[i] = -1;
	/* The listed events, in counters_plan()'s order. */
	for (i = 0, n = 0; i < c->c_nev && n < WR_MAXEVENTS; i++) {
		ev = &c->c_ev[i];
		if (ev->ce_hidden)
			continue;
		for (k = 0; k < WR_MAXWITNESS && leader != -1; k++)
			if (slot[k] != -1 && ev->ce_state == EV_OK &&
			    (ev->ce_source == EV_SRC_PMU ||
			    ev->ce_source == EV_SRC_SOFTWARE) &&
			    ev->ce_attr.type == w[k].type &&
			    ev->ce_attr.config == w[k].config &&
			    ev->ce_attr.exclude_kernel)
				plan->witness[n] = slot[k];
		n++;
		if (i + 1 == c->c_reftsc)
			n++;
	}
	return leader;
}

/*
 * The events as the result lists them, from what is known now: before
 * the kernel runs, the plan the monitor holds the result to.
 */
void
counters_plan(const struct counters *c, struct run_result *res)
{
	const struct ctr_event	*ev;
	uint32_t		 i;

	res->nevents = 0;
	for (i = 0; i < c->c_nev; i++) {
		ev = &c->c_ev[i];
		if (ev->ce_hidden)
			continue;
		put_result(c, res, ev->ce_name, ev->ce_source, ev);
		if (i + 1 == c->c_reftsc && res->nevents < WR_MAXEVENTS)
			put_result(c, res, "Reference cycles", EV_SRC_TSC,
			    NULL);
	}
}

void
counters_set_stepmax(struct counters *c, uint64_t max)
{
	c->c_stepmax = max;
}

/*
 * Without a hardware PMU (c_nopmu, learnt when an event failed to open),
 * software stands in: single-stepping for instructions (by the monitor's
 * stepper, if the job says there is one), and the time-stamp counter for
 * reference cycles, as an event of its own or beside the Cycles that
 * stay unavailable.  Every other event says which of the kernel's
 * counters it came from.
 */
static void
plan_soft(struct counters *c)
{
	struct ctr_event	*ev;
	uint32_t		 i, cycles = 0, instr = 0;
	int			 g;

	for (i = 0; i < c->c_nev; i++) {
		ev = &c->c_ev[i];
		if (ev->ce_state == EV_OK) {
			ev->ce_source = ev_class(ev) == CLASS_SOFTWARE ?
			    EV_SRC_SOFTWARE : EV_SRC_PMU;
			continue;
		}
		/* An attr without a size was never opened: a bad name. */
		if (c->c_nopmu != 1 || ev->ce_attr.size == 0 ||
		    ev->ce_attr.type != PERF_TYPE_HARDWARE)
			continue;
		if (ev->ce_attr.config == PERF_COUNT_HW_INSTRUCTIONS) {
			instr = instr == 0 && !ev->ce_hidden ? i + 1 : instr;
			ev->ce_source = EV_SRC_SINGLESTEP;
		} else if (ev->ce_attr.config == PERF_COUNT_HW_REF_CPU_CYCLES)
			ev->ce_source = EV_SRC_TSC;
		else if (ev->ce_attr.config == PERF_COUNT_HW_CPU_CYCLES &&
		    !ev->ce_hidden && cycles == 0)
			cycles = i + 1;
		if (ev->ce_source == EV_SRC_NONE)
			continue;
		ev->ce_state = EV_OK;
		ev->ce_hidden = 0;
		c->c_usetsc |= ev->ce_source == EV_SRC_TSC;
	}
	/*
	 * One time-stamp line is enough: ref-cycles asked for is it.  Else
	 * it follows Cycles, never under that name, and Instructions if that
	 * comes later, so the first lines stay WebRunner's.
	 */
	if (cycles != 0 && !c->c_usetsc)
		c->c_reftsc = instr > cycles ? instr : cycles;
	c->c_usetsc |= c->c_reftsc != 0;
	/* Read it in the software events' pass, if any: no calls of its own. */
	c->c_tscgrp = -1;
	for (g = 0; g < c->c_ngrp && c->c_usetsc; g++)
		if (c->c_grp[g].cg_class == CLASS_SOFTWARE) {
			c->c_tscgrp = g;
			break;
		}
}

/*
 * The single-stepped call, once for all the events it stands in for,
 * counted by the monitor's stepper, which puts its count in their place:
 * the runner reports none.  Without a stepper (a step bound of 0) there
 * is no count.
 */
static void
step_soft(struct counters *c, uint64_t (*fn)(void *), void *arg)
{
	struct ctr_event	*ev;
	uint32_t		 i;
	int			 stepped = 0;

	for (i = 0; i < c->c_nev; i++) {
		ev = &c->c_ev[i];
		if (ev->ce_source != EV_SRC_SINGLESTEP ||
		    ev->ce_state != EV_OK)
			continue;
		if (c->c_stepmax == 0) {
			ev->ce_state = EV_UNAVAILABLE;
			strlcpy(ev->ce_reason, "no hardware PMU, and "
			    "single-stepping is off", sizeof(ev->ce_reason));
			continue;
		}
		if (!stepped)
			soft_step(fn, arg);
		stepped = 1;
		ev->ce_median = ev->ce_min = ev->ce_max = 0;
	}
}

/* The time-stamp counter, after the passes of the real counters. */
static void
measure_soft(struct counters *c, uint32_t warmup, uint32_t repeat,
    uint64_t (*fn)(void *), uint64_t (*empty)(void *), void *arg)
{
	struct ctr_event	*ev;
	uint32_t		 i;

	/* A pass of its own only if no software events' pass read it. */
	if (c->c_usetsc && c->c_tscgrp < 0)
		soft_tsc(c->c_vals, warmup, repeat, fn, empty, arg, c->c_tsc);
	for (i = 0; i < c->c_nev; i++) {
		ev = &c->c_ev[i];
		if (ev->ce_source == EV_SRC_TSC) {
			ev->ce_median = c->c_tsc[0];
			ev->ce_min = c->c_tsc[1];
			ev->ce_max = c->c_tsc[2];
		}
	}
}

/* One event's result; ev NULL for the time-stamp counter's own line. */
static void
put_result(const struct counters *c, struct run_result *res,
    const char *name, uint32_t source, const struct ctr_event *ev)
{
	struct ev_result	*r = &res->ev[res->nevents++];

	memset(r, 0, sizeof(*r));
	strlcpy(r->name, name, sizeof(r->name));
	r->source = source;
	r->state = ev != NULL ? ev->ce_state : EV_OK;
	if (ev == NULL) {
		r->median = c->c_tsc[0];
		r->min = c->c_tsc[1];
		r->max = c->c_tsc[2];
	} else if (ev->ce_state == EV_OK) {
		r->median = ev->ce_median;
		r->min = ev->ce_min;
		r->max = ev->ce_max;
	} else
		strlcpy(r->reason, ev->ce_reason, sizeof(r->reason));
}

void
counters_close(struct counters *c)
{
	if (c == NULL)
		return;
	close_all(c);
	free(c->c_vals);
	free(c);
}

/*
 * Keep one disabled instance of each default event open for as long as
 * this process lives (the template, which never runs a job).  The kernel
 * switches on its hooks for an event kind when the first instance is
 * opened and off when the last is closed: a software event patches kernel
 * text on every CPU each time, the first per-task event waits for an RCU
 * grace period, and the first hardware event reserves the PMU.  With each
 * runner opening and closing its own, every job paid for that twice
 * (about 6% of a busy daemon's CPU), and the first job after a second of
 * idleness waited some 16 ms.  Kinds this host cannot count are skipped.
 * It also learns whether the host has a core PMU at all (host_nopmu),
 * which every runner cloned from here then knows.
 * Returns how many were kept.
 */
int
counters_keep_warm(void)
{
	struct ctr_event	 ev;
	size_t			 i;
	int			 kept = 0;

	for (i = 0; i < sizeof(ctr_default) / sizeof(ctr_default[0]); i++) {
		memset(&ev, 0, sizeof(ev));
		/* As a runner opens it: a leader, disabled. */
		if (resolve(&ev, ctr_default[i]) == 0 &&
		    open_event(&ev, -1) != -1)
			kept++;
	}
	host_nopmu = probe_nopmu();
	return kept;
}

/*
 * perf_event_open(2) on this thread, any CPU, as a new group's leader
 * (group_fd -1, disabled until a pass enables it) or as a member that
 * follows its leader.  The attr comes from resolve(), exclude_kernel
 * included.
 */
static int
open_event(struct ctr_event *ev, int group_fd)
{
	struct perf_event_attr	*a = &ev->ce_attr;
	int			 fd, nfd, saved;

	a->size = sizeof(*a);
	a->read_format = READ_FORMAT;
	a->disabled = group_fd == -1;
	a->exclude_hv = 1;
	a->inherit = 0;
	a->pinned = 0;
	fd = (int)syscall(SYS_perf_event_open, a, 0, -1, group_fd,
	    PERF_FLAG_FD_CLOEXEC);
	if (fd == -1 || fd >= COUNTERS_FDBASE)
		return fd;
	/* Where the final seccomp filter lets reads and ioctls through. */
	nfd = fcntl(fd, F_DUPFD_CLOEXEC, COUNTERS_FDBASE);
	saved = errno;
	close(fd);
	errno = saved;
	return nfd;
}

/* Whether not even cycles opens: this host has no core PMU. */
static int
probe_nopmu(void)
{
	int	 error;

	error = perf_hw_probe(PERF_COUNT_HW_CPU_CYCLES);
	return error == ENOENT || error == EOPNOTSUPP;
}

/* The reason for a failed perf_event_open(2) as a group leader. */
static void
open_failed(struct counters *c, struct ctr_event *ev, int error)
{
	const char	*why = NULL, *desc;

	if ((error == ENOENT || error == EOPNOTSUPP) &&
	    ev->ce_attr.type != PERF_TYPE_SOFTWARE) {
		if (c->c_nopmu == -1)
			c->c_nopmu = probe_nopmu();
		why = c->c_nopmu ? "no hardware PMU" :
		    "not supported on this CPU";
	} else if (error == EACCES || error == EPERM)
		why = ev->ce_attr.exclude_kernel ? "not permitted" :
		    "not permitted, needs kernel counting";
	/*
	 * strerrordesc_np(), not strerror(): no locale, no lock, so a
	 * runner writes to (and copies) no page of libc's for it.
	 */
	if ((desc = strerrordesc_np(error)) == NULL)
		desc = "unknown error";
	if (why != NULL)
		snprintf(ev->ce_reason, sizeof(ev->ce_reason),
		    "%s (perf_event_open: %s)", why, desc);
	else
		snprintf(ev->ce_reason, sizeof(ev->ce_reason),
		    "perf_event_open: %s", desc);
}

/*
 * Open event i in the last group of its class if the PMU takes it there
 * (the kernel checks at open time that the group as a whole can be
 * scheduled), else as the leader of a new group.
 */
static void
place(struct counters *c, int i)
{
	struct ctr_event	*ev = &c->c_ev[i];
	struct ctr_group	*grp;
	uint64_t		 cls = ev_class(ev);
	int			 g, fd;

	/*
	 * What the kernel would answer, without asking it again; sized as
	 * if tried, which tells plan_soft() the name was good.
	 */
	if (c->c_nopmu == 1 && cls == CLASS_CORE) {
		ev->ce_attr.size = sizeof(ev->ce_attr);
		open_failed(c, ev, ENOENT);
		return;
	}
	for (g = c->c_ngrp - 1; g >= 0; g--)
		if (c->c_grp[g].cg_class == cls)
			break;
	if (g >= 0 && !c->c_grp[g].cg_split) {
		grp = &c->c_grp[g];
		if ((fd = open_event(ev, grp->cg_leader)) != -1) {
			ev->ce_fd = fd;
			ev->ce_slot = grp->cg_nev;
			ev->ce_state = EV_OK;
			grp->cg_ev[grp->cg_nev++] = i;
			return;
		}
	}
	if ((fd = open_event(ev, -1)) == -1) {
		open_failed(c, ev, errno);
		return;
	}
	ev->ce_fd = fd;
	ev->ce_state = EV_OK;
	(void)new_group(c, i, cls);
}

static int
new_group(struct counters *c, int i, uint64_t cls)
{
	struct ctr_group	*grp = &c->c_grp[c->c_ngrp];

	memset(grp, 0, sizeof(*grp));
	grp->cg_class = cls;
	grp->cg_leader = c->c_ev[i].ce_fd;
	grp->cg_ev[0] = i;
	grp->cg_nev = 1;
	c->c_ev[i].ce_slot = 0;
	return c->c_ngrp++;
}

/*
 * Software events never compete for counters and share a group; events of
 * the core PMU (generic, cache, raw, or libpfm4's encodings for it) share
 * another; any other PMU gets its own.
 */
static uint64_t
ev_class(const struct ctr_event *ev)
{
	switch (ev->ce_attr.type) {
	case PERF_TYPE_SOFTWARE:
		return CLASS_SOFTWARE;
	case PERF_TYPE_HARDWARE:
	case PERF_TYPE_HW_CACHE:
	case PERF_TYPE_RAW:
		return CLASS_CORE;
	default:
		return CLASS_OTHER + (uint64_t)ev->ce_attr.type;
	}
}

/*
 * The open-time check only knows the PMU, not who else uses it (the NMI
 * watchdog holds a counter on many machines).  Enable each group of
 * hardware events once; one that is not on the PMU the whole time is
 * reopened as one group per event, one pass each.
 */
static void
probe_groups(struct counters *c)
{
	struct ctr_group	*grp;
	volatile uint32_t	 spin;
	uint64_t		 en, ru;
	int			 g, k;

	for (g = 0; g < c->c_ngrp; g++) {
		grp = &c->c_grp[g];
		if (grp->cg_class == CLASS_SOFTWARE || grp->cg_nev < 2)
			continue;
		if (group_read(c, grp) == -1)
			continue;
		en = grp->cg_enabled;
		ru = grp->cg_running;
		if (ioctl(grp->cg_leader, PERF_EVENT_IOC_ENABLE, 0) == -1)
			continue;
		for (spin = 0; spin < CTR_PROBELOOP; spin++)
			;
		if (ioctl(grp->cg_leader, PERF_EVENT_IOC_DISABLE, 0) == -1 ||
		    group_read(c, grp) == -1)
			continue;
		if (grp->cg_enabled - en == grp->cg_running - ru &&
		    grp->cg_running != ru)
			continue;

		split_group(c, g);
	}
	/* A group whose events all failed to reopen is no pass. */
	for (g = 0, k = 0; g < c->c_ngrp; g++)
		if (c->c_grp[g].cg_nev > 0)
			c->c_grp[k++] = c->c_grp[g];
	c->c_ngrp = k;
}

/*
 * Reopen group g as one group per event, each a pass of its own.  Events
 * that do not reopen become unavailable; g may be left empty.
 */
static void
split_group(struct counters *c, int g)
{
	struct ctr_group	*grp = &c->c_grp[g];
	struct ctr_event	*ev;
	int			 k, i, ev_idx[WR_MAXEVENTS], nev, fd;

	/* Members first: closing the leader would regroup them. */
	nev = grp->cg_nev;
	memcpy(ev_idx, grp->cg_ev, sizeof(ev_idx));
	for (k = nev - 1; k >= 0; k--) {
		ev = &c->c_ev[ev_idx[k]];
		close(ev->ce_fd);
		ev->ce_fd = -1;
		ev->ce_state = EV_UNAVAILABLE;
	}
	grp->cg_nev = 0;
	grp->cg_split = 1;
	for (k = 0; k < nev; k++) {
		i = ev_idx[k];
		ev = &c->c_ev[i];
		if ((fd = open_event(ev, -1)) == -1) {
			open_failed(c, ev, errno);
			continue;
		}
		ev->ce_fd = fd;
		ev->ce_state = EV_OK;
		if (grp->cg_nev == 0) {
			grp->cg_leader = fd;
			grp->cg_ev[0] = i;
			grp->cg_nev = 1;
			ev->ce_slot = 0;
		} else
			c->c_grp[new_group(c, i, grp->cg_class)].cg_split = 1;
	}
}

/*
 * Read the group and remember its times; the values stay in c_rbuf, and
 * the previous ones move to c_prev.
 */
static int
group_read(struct counters *c, struct ctr_group *grp)
{
	size_t		 want;
	ssize_t		 n;
	int		 k;

	for (k = 0; k < grp->cg_nev; k++)
		c->c_prev[k] = c->c_rbuf[3 + k];
	want = (3 + (size_t)grp->cg_nev) * sizeof(uint64_t);
	n = read(grp->cg_leader, c->c_rbuf, want);
	if (n != (ssize_t)want || c->c_rbuf[0] != (uint64_t)grp->cg_nev)
		return -1;
	grp->cg_enabled = c->c_rbuf[1];
	grp->cg_running = c->c_rbuf[2];
	return 0;
}

/*
 * `repeat' samples of f(arg) into the sample array.  Returns 0, 1 when
 * the group kept being multiplexed, -1 on error.
 *
 * The group counts for the whole pass (run_pass() enables it once) and
 * reads follow each other around the calls, so a sample is the
 * difference of two successive reads: one read per sample.  A sample's
 * window runs from one read's snapshot to the next: the rest of that
 * read, the bookkeeping of the sample before (its checks, its stores and
 * the loop's counters, done the same way for every sample), the call and
 * the start of the next read.  That code is the same for the kernel and
 * the empty function, so subtracting the empty function's median
 * removes it.  Multiplexing shows as a difference between the increments
 * of time enabled and time running; such a sample is void, and so is the
 * one after it, whose window held the other path of the bookkeeping.
 * The first read only starts the chain.
 */
static int
samples(struct counters *c, struct ctr_group *grp, uint64_t (*f)(void *),
    void *arg, uint64_t *retval, uint32_t repeat, uint64_t *tsc)
{
	const size_t	 want = (3 + (size_t)grp->cg_nev) *
			    sizeof(uint64_t);
	uint64_t	*prev = c->c_rbuf, *cur = c->c_rbuf2, *t, v = 0, t0;
	uint32_t	 r = 0, bad = 0, clean, wasclean = 0;
	int		 k;

	for (;;) {
		if (read(grp->cg_leader, cur, want) != (ssize_t)want ||
		    cur[0] != (uint64_t)grp->cg_nev)
			return -1;
		clean = cur[1] - prev[1] == cur[2] - prev[2];
		for (k = 0; k < grp->cg_nev; k++)
			c->c_vals[(size_t)k * c->c_repeat + r] =
			    cur[3 + k] - prev[3 + k];
		*retval = v;
		r += clean & wasclean;
		bad = clean ? 0 : bad + 1;
		wasclean = clean;
		if (r == repeat)
			return 0;
		if (bad > CTR_MAXRETRY)
			return 1;
		t = prev;
		prev = cur;
		cur = t;
		if (tsc == NULL) {
			v = f(arg);
			continue;
		}
		/* The time-stamp counter around the call, sample r's too. */
		t0 = soft_tsc_begin();
		v = f(arg);
		tsc[r] = soft_tsc_end() - t0;
	}
}

/*
 * One pass: warm up, `repeat' samples of the empty function, their median
 * per event as the overhead, then `repeat' samples of the kernel.
 * Returns 0, 1 when the group could not be counted without multiplexing,
 * -1 on error.
 */
static int
run_pass(struct counters *c, struct ctr_group *grp, uint32_t warmup,
    uint32_t repeat, uint64_t (*fn)(void *), uint64_t (*empty)(void *),
    void *arg, uint64_t *retval)
{
	struct ctr_event	*ev;
	uint64_t		 (*f)(void *);
	uint64_t		 over[WR_MAXEVENTS], *v, *rv, dummy, *tsc = NULL;
	uint64_t		 tover = 0;
	uint32_t		 w;
	int			 k, rc = 0, which;

	/* The pass that reads the time-stamp counter too: its last row. */
	if (c->c_tscgrp >= 0 && grp == &c->c_grp[c->c_tscgrp])
		tsc = &c->c_vals[(size_t)grp->cg_nev * c->c_repeat];

	for (w = 0; w < warmup; w++)
		(void)fn(arg);
	(void)empty(arg);
	/* Only the leader: a group counts exactly while its leader does. */
	if (ioctl(grp->cg_leader, PERF_EVENT_IOC_ENABLE, 0) == -1)
		return -1;

	for (which = 0; which < 2; which++) {
		/* One call site, so both go through the same code. */
		f = which == 0 ? empty : fn;
		rv = which == 0 ? &dummy : retval;
		if ((rc = samples(c, grp, f, arg, rv, repeat, tsc)) != 0)
			break;
		if (tsc != NULL) {
			counters_sort(tsc, repeat);
			if (which == 0)
				tover = counters_median(tsc, repeat);
			c->c_tsc[0] = (int64_t)(counters_median(tsc, repeat) -
			    tover);
			c->c_tsc[1] = (int64_t)(tsc[0] - tover);
			c->c_tsc[2] = (int64_t)(tsc[repeat - 1] - tover);
		}
		for (k = 0; k < grp->cg_nev; k++) {
			v = &c->c_vals[(size_t)k * c->c_repeat];
			counters_sort(v, repeat);
			if (which == 0) {
				over[k] = counters_median(v, repeat);
				continue;
			}
			ev = &c->c_ev[grp->cg_ev[k]];
			ev->ce_median = (int64_t)(counters_median(v, repeat) -
			    over[k]);
			ev->ce_min = (int64_t)(v[0] - over[k]);
			ev->ce_max = (int64_t)(v[repeat - 1] - over[k]);
		}
	}
	if (ioctl(grp->cg_leader, PERF_EVENT_IOC_DISABLE, 0) == -1)
		return -1;
	return rc;
}

/* In place and without allocation; O(n log n) for any input. */
void
counters_sort(uint64_t *a, size_t n)
{
	size_t		 i, end, root, child;
	uint64_t	 t;

	if (n < 2)
		return;
	for (i = n / 2; i-- > 0; ) {
		for (root = i; (child = 2 * root + 1) < n; root = child) {
			if (child + 1 < n && a[child + 1] > a[child])
				child++;
			if (a[root] >= a[child])
				break;
			t = a[root];
			a[root] = a[child];
			a[child] = t;
		}
	}
	for (end = n - 1; end > 0; end--) {
		t = a[0];
		a[0] = a[end];
		a[end] = t;
		for (root = 0; (child = 2 * root + 1) < end; root = child) {
			if (child + 1 < end && a[child + 1] > a[child])
				child++;
			if (a[root] >= a[child])
				break;
			t = a[root];
			a[root] = a[child];
			a[child] = t;
		}
	}
}

/* The middle value, or the mean of the two middle ones, rounded down. */
uint64_t
counters_median(const uint64_t *a, size_t n)
{
	if (n % 2 == 1)
		return a[n / 2];
	return a[n / 2 - 1] + (a[n / 2] - a[n / 2 - 1]) / 2;
}

/* Into an event: see events_resolve(). */
static int
resolve(struct ctr_event *ev, const char *name)
{
	return events_resolve(name, ev->ce_name, sizeof(ev->ce_name),
	    ev->ce_reason, sizeof(ev->ce_reason), &ev->ce_attr);
}

static void
close_all(struct counters *c)
{
	uint32_t	 i;

	/* In any order: closing a leader makes its members groups of one. */
	for (i = c->c_nev; i-- > 0; )
		if (c->c_ev[i].ce_fd != -1) {
			close(c->c_ev[i].ce_fd);
			c->c_ev[i].ce_fd = -1;
		}
	c->c_ngrp = 0;
}
