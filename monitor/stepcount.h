/*
 * stepcount.c: a runner's marked calls counted by single-stepping; what
 * the stepper tells the monitor.
 */
#ifndef WR_STEPCOUNT_H
#define WR_STEPCOUNT_H

#include <sys/types.h>

#include <stdint.h>

/*
 * The steps of the call itself, whatever the callee: the call and the
 * callee's ret.  A callee of N instructions, its ret among them, takes
 * N + 1 steps from the mark, and is reported as N - 1, less its ret, as
 * the PMU path reports it; the empty function takes exactly these two.
 */
#define STEP_FRAME	2

enum step_status {
	STEP_OK = 1,		/* the call counted */
	STEP_OVER,		/* a call took more than the bound's steps */
	STEP_FAULT,		/* a signal came that was not a step's trap */
	STEP_GONE		/* the runner ended, or ptrace(2) failed */
};

/* What the stepper reports once the kernel's call has returned. */
struct step_report {
	uint32_t		 status;	/* enum step_status */
	uint32_t		 syscalls;	/* the kernel's call made */
	uint64_t		 steps;		/* from the mark, STEP_OK */
};

/*
 * The monitor (stepper.c) and webrunnerd-stepper (stepmain.c), over a
 * SOCK_SEQPACKET socket: a request, and each reply, in one message.
 */
struct step_req {
	uint64_t		 seq;		/* the monitor's, per stepper */
	int32_t			 pid;		/* the runner */
	uint32_t		 pad;
	uint64_t		 max;		/* steps per call */
};
struct step_msg {
	uint32_t		 kind;		/* STEP_ATTACHED, ... */
	int32_t			 error;		/* errno, if not attached */
	uint64_t		 seq;		/* the request's */
	struct step_report	 rep;
};

#define STEP_ATTACHED		1
#define STEP_NOTATTACHED	2
#define STEP_REPORT		3

int	 step_call(pid_t, uint64_t, uint64_t *, uint32_t *, int *);

#endif
