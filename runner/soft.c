/*
 * Counts without a hardware PMU (most virtual machines have none):
 * retired instructions by single-stepping one call, reference cycles by
 * the time-stamp counter around every call.  counters.c decides when they
 * stand in for an event perf_event_open(2) could not open, and reports
 * them like the others.
 *
 * Single-stepping is not done here: a count kept in this address space
 * would be the kernel's to overwrite.  The monitor's stepper
 * (monitor/stepper.c) has attached to this runner with ptrace(2) before
 * the job came, and counts from outside.  All the runner does is mark
 * the kernel's call to count with an int3 just before the `call *%rax'
 * of call.c's one call site, and make it before any other call of the
 * kernel, so that the mark is the stepper's first SIGTRAP and no
 * instruction of the kernel has run before it.  From the mark the
 * stepper counts the call, the callee and its ret: one more than the
 * kernel's instructions, which less the two steps of any call (the
 * empty function's, the call and its ret) are its own instructions less
 * its final `ret', exactly what the PMU path reports.  There is nothing
 * to measure in the empty function's call: its two steps are the same
 * every time.  The stepper lets the runner go on once the
 * kernel's call has returned; nothing after that is counted, and the
 * runner reports no number for it: the monitor puts the stepper's count
 * in the answer.
 */
#include <sys/types.h>

#include <stdint.h>

#include "runner.h"

static void	 tsc_samples(uint64_t *, uint32_t, uint64_t (*)(void *),
		    void *) __attribute__((__noinline__));

/*
 * The marked call, once per job and before any other call of fn: only a
 * runner whose job says a stepper is attached (a step bound that is not
 * 0) may make it, since without one a mark is a SIGTRAP.  fn must reach
 * call.c's call site once (call_kernel()): the mark is made there, not
 * here.
 */
void
soft_step(uint64_t (*fn)(void *), void *arg)
{
	soft_marking = 1;
	(void)fn(arg);
	soft_marking = 0;
}

/*
 * Reference cycles: the time-stamp counter around each of `repeat' calls
 * of fn(arg), less the median of as many calls of empty(arg), as median,
 * minimum and maximum in out[0..2].  vals holds `repeat' samples.  For
 * jobs whose software events take a pass anyway, counters.c reads the
 * counter in that pass instead, with no calls of its own.
 */
void
soft_tsc(uint64_t *vals, uint32_t warmup, uint32_t repeat,
    uint64_t (*fn)(void *), uint64_t (*empty)(void *), void *arg,
    int64_t out[3])
{
	uint64_t	 over;
	uint32_t	 w;

	for (w = 0; w < warmup; w++)
		(void)fn(arg);
	tsc_samples(vals, repeat, empty, arg);
	counters_sort(vals, repeat);
	over = counters_median(vals, repeat);
	tsc_samples(vals, repeat, fn, arg);
	counters_sort(vals, repeat);
	out[0] = (int64_t)(counters_median(vals, repeat) - over);
	out[1] = (int64_t)(vals[0] - over);
	out[2] = (int64_t)(vals[repeat - 1] - over);
}

/* One call site for the kernel and the empty function alike. */
static void
tsc_samples(uint64_t *vals, uint32_t repeat, uint64_t (*f)(void *),
    void *arg)
{
	uint64_t	 t0;
	uint32_t	 r;

	for (r = 0; r < repeat; r++) {
		t0 = soft_tsc_begin();
		(void)f(arg);
		vals[r] = soft_tsc_end() - t0;
	}
}
