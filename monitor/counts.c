/*
 * A kernel runner's report held to what the monitor knows without the
 * kernel (webrunnerd(8), SECURITY).  Once the kernel has run, the
 * runner's address space is the kernel's, and so is anything the runner
 * still sends: only its plan, sent before, and what the monitor measured
 * itself (the stepper's count, its own reads of the time-stamp counter)
 * are to be trusted.
 */
#include <sys/types.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <x86intrin.h>

#include "common.h"
#include "monitor.h"

/*
 * -1 if the event's counts of one call cannot be within total: no call
 * counted more than all of them, and at least half of the repetitions
 * counted the median or more.  The values have the empty call's median
 * subtracted, so they are at most what was counted.
 */
static int
bound(const struct ev_result *ev, uint64_t total, uint64_t half)
{
	if (ev->max > 0 && (uint64_t)ev->max > total)
		return -1;
	if (ev->median > 0 && half > 0 && (uint64_t)ev->median > total / half)
		return -1;
	return 0;
}

/* The events' strings made printable; -1 for what cannot be a list. */
int
events_clean(struct run_result *res)
{
	struct ev_result	*ev;
	uint32_t		 i;

	if (res->nevents > WR_MAXEVENTS)
		return -1;
	for (i = 0; i < res->nevents; i++) {
		ev = &res->ev[i];
		str_clean(ev->name, sizeof(ev->name), ev->name,
		    sizeof(ev->name));
		str_clean(ev->reason, sizeof(ev->reason), ev->reason,
		    sizeof(ev->reason));
		if (ev->state != EV_OK && ev->state != EV_UNAVAILABLE)
			return -1;
	}
	return 0;
}

/*
 * The counts of a runner's report against what the monitor knows without
 * the kernel: -1, and why, for a report no honest runner can make.  The
 * events must be those the runner planned before the kernel ran (plan,
 * NULL if none came), by name, source and, unless it became unavailable,
 * state.  witness is the fd of the plan's witness counters, or -1; st
 * the stepper that counted if stepmax is not 0, and tsc0 the time-stamp
 * counter when the job was sent.
 *
 * Instructions that were single-stepped are the stepper's count, put in
 * here; the runner sent none.  Reference cycles, read from the time-stamp
 * counter, cannot add up to more than the monitor's own reads of it saw
 * from the job to the report: at least half of the repetitions took the
 * median or more.  So, by the same reckoning, can no count that a
 * witness counter bounds add up to more than it: the runner opened them
 * on itself and gave them away before the kernel ran.
 */
int
counts_check(struct run_result *res, const struct run_plan *pl,
    int witness, struct stepper *st, uint64_t stepmax, uint64_t tsc0,
    char *why, size_t len)
{
	const struct run_result	*plan = pl != NULL ? &pl->res : NULL;
	struct step_report	 rep;
	struct ev_result	*ev;
	uint64_t		 window, half, w[3 + WR_MAXWITNESS];
	uint32_t		 i, nw = 0;
	int32_t			 k;

	window = __rdtsc() - tsc0;
	half = (res->repeat + 1) / 2;
	/* nr, time enabled, time running, the values. */
	if (pl != NULL && witness != -1 && pl->nwitness > 0) {
		if (read(witness, w, sizeof(w)) < (ssize_t)(sizeof(w[0]) *
		    (3 + pl->nwitness)) || w[0] != pl->nwitness) {
			snprintf(why, len, "the witness counters cannot be "
			    "read");
			return -1;
		}
		/* Not on the PMU all along (another pinned user): no bound. */
		nw = w[2] == w[1] ? pl->nwitness : 0;
	}
	if (plan == NULL || res->nevents != plan->nevents) {
		snprintf(why, len, "the events are not those planned before "
		    "the kernel ran");
		return -1;
	}
	for (i = 0; i < res->nevents; i++) {
		ev = &res->ev[i];
		if (strcmp(ev->name, plan->ev[i].name) != 0 ||
		    ev->source != plan->ev[i].source ||
		    (ev->state == EV_OK &&
		    plan->ev[i].state != EV_OK)) {
			snprintf(why, len, "%s: not what was planned before "
			    "the kernel ran", ev->name);
			return -1;
		}
		if (ev->state != EV_OK)
			continue;
		if (ev->min > ev->median || ev->median > ev->max) {
			snprintf(why, len, "%s: the median is outside the "
			    "range", ev->name);
			return -1;
		}
		k = pl->witness[i];
		if (k >= 0 && (uint32_t)k < nw &&
		    bound(ev, w[3 + k], half) == -1) {
			snprintf(why, len, "%s: more than the runner's "
			    "witness counter saw", ev->name);
			return -1;
		}
		switch (ev->source) {
		case EV_SRC_PMU:
			if (host_pmu(NULL))
				break;
			snprintf(why, len, "%s: this host has no hardware "
			    "PMU", ev->name);
			return -1;
		case EV_SRC_TSC:
			if (bound(ev, window, half) == 0)
				break;
			snprintf(why, len, "%s: longer than the whole run",
			    ev->name);
			return -1;
		case EV_SRC_SINGLESTEP:
			if (stepmax == 0) {
				snprintf(why, len, "%s: nothing was "
				    "single-stepped", ev->name);
				return -1;
			}
			if (stepper_report(st, &rep) == -1) {
				snprintf(why, len, "%s: reported before the "
				    "stepped call returned", ev->name);
				return -1;
			}
			/*
			 * Its only way out is a write to the result socket:
			 * a report from inside the call, which may reach us
			 * after the stepper's once the call has returned.
			 */
			if (rep.syscalls != 0) {
				snprintf(why, len, "%s: the stepped call made "
				    "a system call", ev->name);
				return -1;
			}
			if (rep.status == STEP_OVER) {
				ev->state = EV_UNAVAILABLE;
				snprintf(ev->reason, sizeof(ev->reason), "more "
				    "than %llu instructions to single-step",
				    (unsigned long long)stepmax);
				break;
			}
			if (rep.status != STEP_OK) {
				snprintf(why, len, "%s: the stepped call did "
				    "not return", ev->name);
				return -1;
			}
			ev->median = ev->min = ev->max =
			    rep.steps > STEP_FRAME ?
			    (int64_t)(rep.steps - STEP_FRAME) : 0;
			break;
		}
	}
	return 0;
}
