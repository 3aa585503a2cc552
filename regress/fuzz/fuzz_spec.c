/* srcs: monitor/spec.c monitor/specdir.c monitor/resolve.c monitor/expr.c common/util.c common/vocab.c */
/*
 * libFuzzer target for the kernel spec parser: the input is one spec file.
 * A spec that loads is then resolved with its defaults, so that every
 * expression the loader accepted is also evaluated.
 */
#include <sys/types.h>
#include <sys/queue.h>

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "monitor.h"

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct kspec	 ks;
	struct kspecs		 specs;
	struct job		 job;
	struct resolved		 rsv;
	struct run_limits	 lim = { 1 << 30, 100, 10, 1 };
	struct run_req		 rr;
	char			 err[512];
	int			 code;

	if (kspec_load_buf("fuzz.json", data, size, &ks, err,
	    sizeof(err)) == -1) {
		if (strncmp(err, "fuzz.json: ", 11) != 0)
			abort();
		return 0;
	}
	if (ks.nparams > WR_MAXPARAMS || ks.nbufs > WR_MAXBUFS ||
	    ks.nargs > WR_MAXARGS || ks.name[0] == '\0')
		abort();
	TAILQ_INIT(&specs);
	TAILQ_INSERT_TAIL(&specs, &ks, entry);
	memset(&rr, 0, sizeof(rr));
	strlcpy(rr.kernel, ks.name, sizeof(rr.kernel));
	if (kspec_resolve(&specs, &rr, &lim, &job, &rsv, &code, err,
	    sizeof(err)) == 0) {
		if (code != 200 || rsv.memory > lim.memory ||
		    job.nargs != ks.nargs || job.nbufs != ks.nbufs)
			abort();
	} else if (code != 400 || (strstr(err, "missing parameter") == NULL &&
	    strstr(err, "buffer") == NULL && strstr(err, "argument") == NULL))
		abort();
	return 0;
}
