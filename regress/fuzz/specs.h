/*
 * The kernel specs the request fuzzers resolve against: sdot (WebRunner's
 * kernel) and one with signed parameters and expressions.
 */
#ifndef FUZZ_SPECS_H
#define FUZZ_SPECS_H

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

static void
specs_load(void)
{
	static int	 loaded;
	struct kspec	*ks;
	char		 err[WR_REASONLEN];
	size_t		 i;

	if (loaded)
		return;
	TAILQ_INIT(&specs);
	for (i = 0; texts[i] != NULL; i++) {
		if ((ks = calloc(1, sizeof(*ks))) == NULL ||
		    kspec_load_buf("builtin", texts[i], strlen(texts[i]), ks,
		    err, sizeof(err)) == -1) {
			fprintf(stderr, "%s\n", err);
			abort();
		}
		TAILQ_INSERT_TAIL(&specs, ks, entry);
	}
	loaded = 1;
}

/* What a resolved job or a refusal must look like, whatever came in. */
static void
specs_judge(int rc, int code, const struct run_limits *lim,
    const struct job *job, const struct resolved *rsv, const char *err)
{
	size_t	 i;

	if (rc == 0) {
		if (code != 200 || rsv->memory > lim->memory ||
		    job->repeat < 1 || job->repeat > lim->repeat_max ||
		    job->nevents > WR_MAXEVENTS || job->symbol[0] == '\0')
			abort();
		for (i = 0; i < job->nevents; i++)
			if (!event_name_ok(job->events[i]))
				abort();
		return;
	}
	if (code != 0 && code != 400 && code != 404)
		abort();
	for (i = 0; err[i] != '\0'; i++)
		if (err[i] < 0x20 || err[i] >= 0x7f)
			abort();
}

#endif /* FUZZ_SPECS_H */
