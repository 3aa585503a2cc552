/* srcs: monitor/spec.c monitor/resolve.c monitor/expr.c common/util.c */
/*
 * libFuzzer target for request resolution: the input is a raw query
 * string, resolved against sdot (WebRunner's kernel) and a spec with
 * signed parameters and expressions.  Whatever the query, the answer is a
 * job within the limits or a 400/404 with a printable reason.
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

static const char *const texts[] = {
	"{ \"name\": \"sdot\", \"parameters\": ["
	" { \"name\": \"n\", \"type\": \"uint64\", \"default\": 1024,"
	"   \"min\": 1, \"max\": 16777216 },"
	" { \"name\": \"incx\", \"type\": \"uint32\", \"default\": 1, \"min\": 1 },"
	" { \"name\": \"incy\", \"type\": \"uint32\", \"default\": 1, \"min\": 1 },"
	" { \"name\": \"offx\", \"type\": \"uint32\", \"default\": 0, \"max\": 63 },"
	" { \"name\": \"offy\", \"type\": \"uint32\", \"default\": 0, \"max\": 63 } ],"
	" \"buffers\": ["
	" { \"name\": \"x\", \"type\": \"float\", \"count\": \"n*incx\","
	"   \"offset\": \"offx\", \"init\": \"random\" },"
	" { \"name\": \"y\", \"type\": \"float\", \"count\": \"n*incy\","
	"   \"offset\": \"offy\", \"init\": \"random\" } ],"
	" \"arguments\": [ \"n\", \"x\", \"incx\", \"y\", \"incy\" ],"
	" \"return\": \"float\" }",
	"{ \"name\": \"calc\", \"parameters\": ["
	" { \"name\": \"a\", \"type\": \"uint64\" },"
	" { \"name\": \"b\", \"type\": \"int64\", \"default\": -1 },"
	" { \"name\": \"c\", \"type\": \"int8\", \"default\": 0 } ],"
	" \"buffers\": [ { \"name\": \"m\", \"type\": \"uint64\","
	"   \"count\": \"(a+1)*(a%7)/(c+1)\", \"offset\": \"a-c\","
	"   \"align\": 4096 } ],"
	" \"arguments\": [ \"m\", \"b\", \"a*b\", { \"double\": 1 } ],"
	" \"return\": \"int16\" }",
	NULL
};

static struct kspecs	 specs;
static int		 loaded;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct run_limits	 lim = { 64 << 20, 1000, 25, 2 };
	struct kspec		*ks;
	struct job		 job;
	struct resolved		 rsv;
	char			 query[WR_QUERYLEN + 64], err[WR_REASONLEN];
	size_t			 i;
	int			 code;

	if (!loaded) {
		TAILQ_INIT(&specs);
		for (i = 0; texts[i] != NULL; i++) {
			if ((ks = calloc(1, sizeof(*ks))) == NULL ||
			    kspec_load_buf("builtin", texts[i],
			    strlen(texts[i]), ks, err, sizeof(err)) == -1) {
				fprintf(stderr, "%s\n", err);
				abort();
			}
			TAILQ_INSERT_TAIL(&specs, ks, entry);
		}
		loaded = 1;
	}
	if (size >= sizeof(query))
		size = sizeof(query) - 1;
	memcpy(query, data, size);
	query[size] = '\0';

	if (kspec_resolve(&specs, query, &lim, &job, &rsv, &code, err,
	    sizeof(err)) == 0) {
		if (code != 200 || rsv.memory > lim.memory ||
		    job.repeat < 1 || job.repeat > lim.repeat_max ||
		    job.nevents > WR_MAXEVENTS || job.symbol[0] == '\0')
			abort();
		for (i = 0; i < job.nevents; i++)
			if (strnlen(job.events[i], WR_NAMELEN) == WR_NAMELEN)
				abort();
		return 0;
	}
	if (code != 400 && code != 404)
		abort();
	for (i = 0; err[i] != '\0'; i++)
		if (err[i] < 0x20 || err[i] >= 0x7f)
			abort();
	return 0;
}
