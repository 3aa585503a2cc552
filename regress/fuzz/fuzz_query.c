/* srcs: monitor/spec.c monitor/specdir.c monitor/resolve.c monitor/expr.c daemon/query.c common/util.c common/vocab.c */
/*
 * libFuzzer target for the network process's query parser and the
 * monitor's check of what it sends: the input is a raw query string.
 * Whatever the query, the parser refuses it with a 400 or 414 and a
 * printable reason, or its typed pairs reach the monitor well formed
 * (never code 0, which would end a working network process) and resolve
 * to a job within the limits or to a 400/404 with a printable reason.
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
#include "../../daemon/daemon.h"
#include "specs.h"

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct run_limits	 lim = { 64 << 20, 1000, 25, 2, 0, 0 };
	struct run_req		 rr;
	struct job		 job;
	struct resolved		 rsv;
	char			 query[WR_QUERYLEN + 64], err[WR_REASONLEN];
	size_t			 i;
	int			 code, rc;

	specs_load();
	if (size >= sizeof(query))
		size = sizeof(query) - 1;
	memcpy(query, data, size);
	query[size] = '\0';

	if (query_parse(query, &rr, &code, err, sizeof(err)) == -1) {
		if (code != 400 && code != 414)
			abort();
		for (i = 0; err[i] != '\0'; i++)
			if (err[i] < 0x20 || err[i] >= 0x7f)
				abort();
		return 0;
	}
	rc = kspec_resolve(&specs, &rr, &lim, &job, &rsv, &code, err,
	    sizeof(err));
	if (rc == -1 && code == 0)
		abort();
	specs_judge(rc, code, &lim, &job, &rsv, err);
	return 0;
}
