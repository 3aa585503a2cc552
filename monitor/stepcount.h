/*
 * stepcount.c: a runner's marked calls counted by single-stepping.
 */
#ifndef WR_STEPCOUNT_H
#define WR_STEPCOUNT_H

#include <sys/types.h>

#include <stdint.h>

enum step_status {
	STEP_OK = 1,		/* both calls counted */
	STEP_OVER,		/* a call took more than the bound's steps */
	STEP_FAULT,		/* a signal came that was not a step's trap */
	STEP_GONE		/* the runner ended, or ptrace(2) failed */
};

int	 step_calls(pid_t, uint64_t, uint64_t[2], uint32_t *, int *);

#endif
