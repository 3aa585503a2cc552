/* srcs: monitor/spec.c monitor/specdir.c monitor/resolve.c monitor/expr.c common/util.c common/vocab.c */
/*
 * libFuzzer target for the monitor's check of a run request: the input is
 * the raw bytes of a struct run_req, as a hostile network process could
 * send them.  Whatever they are, the check reads nothing outside the
 * message and ends in a job within the limits, a 400/404 with a printable
 * reason, or code 0 (the sender is ended).
 */
#include <sys/types.h>
#include <sys/queue.h>

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "monitor.h"
#include "specs.h"

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct run_limits	 lim = { 64 << 20, 1000, 25, 2, 10000, 0 };
	struct run_req		*rr;
	struct job		 job;
	struct resolved		 rsv;
	char			 err[WR_REASONLEN];
	int			 code, rc;

	specs_load();
	/* Exactly one message's bytes, so ASan sees any read past it. */
	if ((rr = malloc(sizeof(*rr))) == NULL)
		abort();
	memset(rr, 0, sizeof(*rr));
	memcpy(rr, data, size < sizeof(*rr) ? size : sizeof(*rr));
	/* Short inputs aim at sdot, so the checks past the kernel run. */
	if (size < sizeof(rr->kernel))
		strlcpy(rr->kernel, "sdot", sizeof(rr->kernel));
	rc = kspec_resolve(&specs, rr, &lim, &job, &rsv, &code, err,
	    sizeof(err));
	specs_judge(rc, code, &lim, &job, &rsv, err);
	free(rr);
	return 0;
}
