/* srcs: monitor/prun.c common/util.c common/vocab.c */
/*
 * libFuzzer target for the monitor's check of a program-mode command:
 * the input is the raw bytes of a struct prun_cmd, as a hostile network
 * process could send them.  Whatever they are, the check reads nothing
 * outside the message and ends in a job whose strings are exactly
 * nargs and nenv NUL-terminated ones and whose limits are within the
 * caps, a 400 with a printable reason, or code 0 (the sender is ended).
 */
#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "monitor.h"

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Walk n strings of area as the runner will; abort past its end. */
static void
walk(const char *area, size_t len, uint32_t n)
{
	size_t		 off = 0;
	uint32_t	 i;

	for (i = 0; i < n; i++) {
		if (off >= len || memchr(area + off, '\0', len - off) == NULL)
			abort();
		off += strlen(area + off) + 1;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct prun_caps	 caps;
	struct prun_cmd		*pc;
	struct pjob		*job;
	struct plimits		 lim;
	char			 err[WR_REASONLEN];
	const char		*p;
	int			 code, rc;

	memset(&caps, 0, sizeof(caps));
	caps.time_ms = 60000;
	caps.memory = 1 << 30;
	caps.output = 64 << 20;
	caps.tmpfs = 256 << 20;
	caps.proc = 128;
	caps.ncpu = 2;
	caps.have_pmu = size > 0 && (data[0] & 1);
	strlcpy(caps.pmu_reason, "no hardware PMU", sizeof(caps.pmu_reason));
	if ((pc = malloc(sizeof(*pc))) == NULL ||
	    (job = malloc(sizeof(*job))) == NULL)
		abort();
	memset(pc, 0, sizeof(*pc));
	memcpy(pc, data, size < sizeof(*pc) ? size : sizeof(*pc));
	/* Short inputs get a command, so the checks past it run. */
	if (size < offsetof(struct prun_cmd, args)) {
		pc->nargs = 1;
		strlcpy(pc->args, "/bin/true", sizeof(pc->args));
	}
	rc = prun_check(pc, &caps, job, &lim, &code, err, sizeof(err));
	if (rc == 0) {
		if (job->nargs < 1 || lim.cpu_ns > caps.time_ms * 1000000 ||
		    lim.clock_ns > caps.time_ms * 1000000 ||
		    lim.memory > caps.memory || lim.proc > caps.proc ||
		    lim.proc < 1 || job->stack > lim.memory ||
		    (lim.instructions > 0 && !caps.have_pmu))
			abort();
		walk(job->args, sizeof(job->args), job->nargs);
		walk(job->env, sizeof(job->env), job->nenv);
	} else {
		if (code != 0 && code != 400)
			abort();
		for (p = err; *p != '\0'; p++)
			if (*p < 0x20 || *p > 0x7e)
				abort();
	}
	free(job);
	free(pc);
	return 0;
}
