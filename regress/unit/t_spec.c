/* objs: monitor/spec.o monitor/specdir.o monitor/resolve.o monitor/expr.o daemon/query.o common/util.o common/vocab.o */
/*
 * Kernel specs: every shipped spec loads, every way to break one is
 * reported with the file and the reason, and requests resolve to the job
 * the runner is meant to get, or to a 400/404 that says what was wrong.
 * Runs from the top of the tree, where kernels/ is.
 */
#include <sys/types.h>
#include <sys/queue.h>
#include <sys/stat.h>

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "monitor.h"
#include "daemon.h"
#include "test.h"

static char	 tmpdir[] = "/tmp/t_spec.XXXXXX";

static const struct run_limits	 limits = {
	.memory = 64 * 1024 * 1024,
	.repeat_max = 1000,
	.repeat_default = 25,
	.warmup = 2,
	.time_limit = 10000,
	.memory_limit = 512 * 1024 * 1024
};

static struct kspecs	 specs;

/* A valid spec that the broken ones below differ from. */
#define GOOD_PARAMS							\
	"\"parameters\": [ { \"name\": \"n\", \"type\": \"uint32\", "	\
	"\"default\": 8 } ]"
#define GOOD_BUFS							\
	"\"buffers\": [ { \"name\": \"x\", \"type\": \"float\", "	\
	"\"count\": \"n\" } ]"
#define GOOD_ARGS	"\"arguments\": [ \"n\", \"x\" ]"

struct broken {
	const char	*what;
	const char	*json;
	const char	*reason;
};

static const struct broken broken[] = {
	{ "not JSON", "{ \"name\": ", "line 1" },
	{ "trailing garbage", "{ \"name\": \"k\" } x", "end of file expected" },
	{ "an array", "[ 1 ]", "not a JSON object" },
	{ "a NUL byte", "{ \"name\": \"k\0\" }", "line 1" },
	{ "duplicate keys", "{ \"name\": \"k\", \"name\": \"k\" }",
	    "duplicate object key" },
	{ "an unknown key", "{ \"name\": \"k\", \"retrun\": \"void\" }",
	    "unknown key 'retrun'" },
	{ "no name", "{ \"symbol\": \"k\" }", "\"name\" must be a string" },
	{ "an upper-case name", "{ \"name\": \"Sdot\" }",
	    "name: 'Sdot' is not" },
	{ "an empty name", "{ \"name\": \"\" }", "name: '' is not" },
	{ "a long name", "{ \"name\": \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaaaa\" }", "is not 1 to 63 characters" },
	{ "a name that is no symbol", "{ \"name\": \"sgemm-4x4\" }",
	    "symbol: 'sgemm-4x4' is not a valid symbol name; set \"symbol\"" },
	{ "a bad symbol", "{ \"name\": \"k\", \"symbol\": \"a b\" }",
	    "symbol: 'a b' is not a valid symbol name" },
	{ "a number as description",
	    "{ \"name\": \"k\", \"description\": 5 }",
	    "\"description\" must be a string" },
	{ "parameters as an object",
	    "{ \"name\": \"k\", \"parameters\": { \"n\": 1 } }",
	    "\"parameters\" must be an array" },
	{ "a misspelt parameter key",
	    "{ \"name\": \"k\", \"parameters\": [ { \"name\": \"n\", "
	    "\"type\": \"uint32\", \"defualt\": 1 } ] }",
	    "parameter 'n': unknown key 'defualt'" },
	{ "a parameter without a type",
	    "{ \"name\": \"k\", \"parameters\": [ { \"name\": \"n\" } ] }",
	    "parameter 'n': \"type\" must be a string" },
	{ "an unknown parameter type",
	    "{ \"name\": \"k\", \"parameters\": [ { \"name\": \"n\", "
	    "\"type\": \"uint128\" } ] }",
	    "parameter 'n': unknown type 'uint128'" },
	{ "a bad parameter name",
	    "{ \"name\": \"k\", \"parameters\": [ { \"name\": \"1n\", "
	    "\"type\": \"uint8\" } ] }",
	    "parameters[0]: '1n' is not a valid name" },
	{ "a reserved parameter name",
	    "{ \"name\": \"k\", \"parameters\": [ { \"name\": \"repeat\", "
	    "\"type\": \"uint8\" } ] }",
	    "parameter 'repeat': the name is reserved" },
	{ "a parameter twice",
	    "{ \"name\": \"k\", \"parameters\": [ { \"name\": \"n\", "
	    "\"type\": \"uint8\" }, { \"name\": \"n\", \"type\": \"int8\" } ] }",
	    "parameter 'n' is defined twice" },
	{ "a default outside the type",
	    "{ \"name\": \"k\", \"parameters\": [ { \"name\": \"n\", "
	    "\"type\": \"uint8\", \"default\": 256 } ] }",
	    "parameter 'n': default 256 is outside the range of uint8" },
	{ "a negative minimum for an unsigned type",
	    "{ \"name\": \"k\", \"parameters\": [ { \"name\": \"n\", "
	    "\"type\": \"uint32\", \"min\": -1 } ] }",
	    "parameter 'n': min -1 is outside the range of uint32" },
	{ "a uint64 maximum above 2^63 - 1",
	    "{ \"name\": \"k\", \"parameters\": [ { \"name\": \"n\", "
	    "\"type\": \"uint64\", \"max\": 18446744073709551615 } ] }",
	    "too big integer" },
	{ "a real default",
	    "{ \"name\": \"k\", \"parameters\": [ { \"name\": \"n\", "
	    "\"type\": \"uint32\", \"default\": 1.5 } ] }",
	    "parameter 'n': \"default\" must be an integer" },
	{ "min above max",
	    "{ \"name\": \"k\", \"parameters\": [ { \"name\": \"n\", "
	    "\"type\": \"int32\", \"min\": 5, \"max\": 4 } ] }",
	    "parameter 'n': min 5 is above max 4" },
	{ "a default below min",
	    "{ \"name\": \"k\", \"parameters\": [ { \"name\": \"n\", "
	    "\"type\": \"int32\", \"min\": 5, \"default\": 4 } ] }",
	    "parameter 'n': default 4 is outside [5, 2147483647]" },
	{ "17 parameters",
	    "{ \"name\": \"k\", \"parameters\": [ 1, 2, 3, 4, 5, 6, 7, 8, 9, "
	    "10, 11, 12, 13, 14, 15, 16, 17 ] }", "17 parameters, at most 16" },
	{ "a count over an unknown parameter",
	    "{ \"name\": \"k\", " GOOD_PARAMS ", \"buffers\": [ { \"name\": "
	    "\"x\", \"type\": \"float\", \"count\": \"m*2\" } ], "
	    GOOD_ARGS " }",
	    "buffer 'x': count: unknown parameter 'm'" },
	{ "a count with bad syntax",
	    "{ \"name\": \"k\", " GOOD_PARAMS ", \"buffers\": [ { \"name\": "
	    "\"x\", \"type\": \"float\", \"count\": \"n*\" } ], "
	    GOOD_ARGS " }",
	    "buffer 'x': count: unexpected end" },
	{ "a negative count",
	    "{ \"name\": \"k\", " GOOD_PARAMS ", \"buffers\": [ { \"name\": "
	    "\"x\", \"type\": \"float\", \"count\": -1 } ], "
	    GOOD_ARGS " }",
	    "buffer 'x': count: -1 is negative" },
	{ "no count",
	    "{ \"name\": \"k\", " GOOD_PARAMS ", \"buffers\": [ { \"name\": "
	    "\"x\", \"type\": \"float\" } ], " GOOD_ARGS " }",
	    "buffer 'x': \"count\" is missing" },
	{ "an offset over an unknown parameter",
	    "{ \"name\": \"k\", " GOOD_PARAMS ", \"buffers\": [ { \"name\": "
	    "\"x\", \"type\": \"float\", \"count\": 1, \"offset\": \"off\" } ], "
	    GOOD_ARGS " }",
	    "buffer 'x': offset: unknown parameter 'off'" },
	{ "an expression too long",
	    "{ \"name\": \"k\", " GOOD_PARAMS ", \"buffers\": [ { \"name\": "
	    "\"x\", \"type\": \"float\", \"count\": \"n+n+n+n+n+n+n+n+n+n+n+n+n"
	    "+n+n+n+n+n+n+n+n+n+n+n+n+n+n+n+n+n+n+n+n+n+n+n+n+n+n+n+n+n+n+n+n+n"
	    "+n+n+n+n+n+n+n+n+n+n+n+n+n+n+n+n+n+n+n\" } ], " GOOD_ARGS " }",
	    "buffer 'x': count: expression longer than 127 bytes" },
	{ "an unknown element type",
	    "{ \"name\": \"k\", " GOOD_PARAMS ", \"buffers\": [ { \"name\": "
	    "\"x\", \"type\": \"half\", \"count\": 1 } ], " GOOD_ARGS " }",
	    "buffer 'x': unknown element type 'half'" },
	{ "an alignment that is no power of two",
	    "{ \"name\": \"k\", " GOOD_PARAMS ", \"buffers\": [ { \"name\": "
	    "\"x\", \"type\": \"float\", \"count\": 1, \"align\": 48 } ], "
	    GOOD_ARGS " }",
	    "buffer 'x': align 48 is not a power of two" },
	{ "an alignment of 0",
	    "{ \"name\": \"k\", " GOOD_PARAMS ", \"buffers\": [ { \"name\": "
	    "\"x\", \"type\": \"float\", \"count\": 1, \"align\": 0 } ], "
	    GOOD_ARGS " }",
	    "buffer 'x': align 0 is not a power of two" },
	{ "an alignment above the runner's",
	    "{ \"name\": \"k\", " GOOD_PARAMS ", \"buffers\": [ { \"name\": "
	    "\"x\", \"type\": \"float\", \"count\": 1, \"align\": 2097152 } ], "
	    GOOD_ARGS " }",
	    "buffer 'x': align 2097152 is not a power of two from 1 to" },
	{ "an unknown init",
	    "{ \"name\": \"k\", " GOOD_PARAMS ", \"buffers\": [ { \"name\": "
	    "\"x\", \"type\": \"float\", \"count\": 1, \"init\": \"rand\" } ], "
	    GOOD_ARGS " }",
	    "buffer 'x': unknown init 'rand'" },
	{ "a seed without random",
	    "{ \"name\": \"k\", " GOOD_PARAMS ", \"buffers\": [ { \"name\": "
	    "\"x\", \"type\": \"float\", \"count\": 1, \"seed\": 3 } ], "
	    GOOD_ARGS " }",
	    "buffer 'x': \"seed\" needs \"init\": \"random\"" },
	{ "writable as a string",
	    "{ \"name\": \"k\", " GOOD_PARAMS ", \"buffers\": [ { \"name\": "
	    "\"x\", \"type\": \"float\", \"count\": 1, \"writable\": \"yes\" } "
	    "], " GOOD_ARGS " }",
	    "buffer 'x': \"writable\" must be true or false" },
	{ "a misspelt buffer key",
	    "{ \"name\": \"k\", " GOOD_PARAMS ", \"buffers\": [ { \"name\": "
	    "\"x\", \"type\": \"float\", \"count\": 1, \"const\": true } ], "
	    GOOD_ARGS " }",
	    "buffer 'x': unknown key 'const'" },
	{ "a buffer named like a parameter",
	    "{ \"name\": \"k\", " GOOD_PARAMS ", \"buffers\": [ { \"name\": "
	    "\"n\", \"type\": \"float\", \"count\": 1 } ], " GOOD_ARGS " }",
	    "buffer 'n': a parameter has the same name" },
	{ "a buffer twice",
	    "{ \"name\": \"k\", " GOOD_PARAMS ", \"buffers\": [ { \"name\": "
	    "\"x\", \"type\": \"float\", \"count\": 1 }, { \"name\": \"x\", "
	    "\"type\": \"float\", \"count\": 1 } ], " GOOD_ARGS " }",
	    "buffer 'x' is defined twice" },
	{ "a buffer nobody gets",
	    "{ \"name\": \"k\", " GOOD_PARAMS ", " GOOD_BUFS ", "
	    "\"arguments\": [ \"n\" ] }",
	    "buffer 'x' is not passed to the kernel" },
	{ "9 buffers",
	    "{ \"name\": \"k\", \"buffers\": [ 1, 2, 3, 4, 5, 6, 7, 8, 9 ] }",
	    "9 buffers, at most 8" },
	{ "an argument over an unknown name",
	    "{ \"name\": \"k\", " GOOD_PARAMS ", " GOOD_BUFS ", "
	    "\"arguments\": [ \"n\", \"y\", \"x\" ] }",
	    "arguments[1]: unknown parameter 'y'" },
	{ "an argument that is a real",
	    "{ \"name\": \"k\", \"arguments\": [ 1.5 ] }",
	    "arguments[0]: must be a buffer name" },
	{ "a float argument that is a string",
	    "{ \"name\": \"k\", \"arguments\": [ { \"float\": \"1.5\" } ] }",
	    "arguments[0]: \"float\" must be a number" },
	{ "an unknown scalar kind",
	    "{ \"name\": \"k\", \"arguments\": [ { \"half\": 1.5 } ] }",
	    "arguments[0]: unknown key 'half'" },
	{ "two keys in a scalar",
	    "{ \"name\": \"k\", \"arguments\": [ { \"float\": 1, "
	    "\"double\": 2 } ] }",
	    "arguments[0]: an object must be" },
	{ "nine float arguments",
	    "{ \"name\": \"k\", \"arguments\": [ { \"float\": 1 }, "
	    "{ \"float\": 1 }, { \"float\": 1 }, { \"float\": 1 }, "
	    "{ \"double\": 1 }, { \"double\": 1 }, { \"double\": 1 }, "
	    "{ \"double\": 1 }, { \"double\": 1 } ] }",
	    "more than 8 float or double arguments" },
	{ "17 arguments",
	    "{ \"name\": \"k\", \"arguments\": [ 1, 2, 3, 4, 5, 6, 7, 8, 9, "
	    "10, 11, 12, 13, 14, 15, 16, 17 ] }", "17 arguments, at most 16" },
	{ "an unknown return type",
	    "{ \"name\": \"k\", \"return\": \"long\" }",
	    "return: unknown type 'long'" },
	{ NULL, NULL, NULL }
};

static int	 write_file(const char *, const char *, const char *, size_t);
static int	 load_str(const char *, const char *, size_t, char *, size_t);
static int	 resolve(const char *, struct job *, struct resolved *, int *,
		    char *, size_t);
static int	 rejects(const char *, int, const char *);
static void	 rmtmp(void);

static int
write_file(const char *dir, const char *name, const char *text, size_t len)
{
	char	 path[1024];
	FILE	*fp;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((fp = fopen(path, "w")) == NULL)
		return -1;
	fwrite(text, 1, len, fp);
	return fclose(fp);
}

/* Write text to a file and load it; err must name the file. */
static int
load_str(const char *name, const char *text, size_t len, char *err,
    size_t errlen)
{
	struct kspec	 ks;
	char		 path[1024];
	int		 rc;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	if (write_file(tmpdir, name, text, len) == -1)
		return -2;
	rc = kspec_load_file(path, &ks, err, errlen);
	unlink(path);
	if (rc == -1 && (strncmp(err, path, strlen(path)) != 0 ||
	    strncmp(err + strlen(path), ": ", 2) != 0))
		return -3;
	return rc;
}

/* A query as the network process parses it and the monitor checks it. */
static int
resolve_q(struct kspecs *l, const char *query, const struct run_limits *lim,
    struct job *job, struct resolved *rsv, int *code, char *err,
    size_t errlen)
{
	struct run_req	 rr;

	memset(job, 0, sizeof(*job));
	memset(rsv, 0, sizeof(*rsv));
	if (query_parse(query, &rr, code, err, errlen) == -1)
		return -1;
	return kspec_resolve(l, &rr, lim, job, rsv, code, err, errlen);
}

static int
resolve(const char *query, struct job *job, struct resolved *rsv, int *code,
    char *err, size_t errlen)
{
	return resolve_q(&specs, query, &limits, job, rsv, code, err, errlen);
}

/* The query is refused with this code and a reason holding want. */
static int
rejects(const char *query, int code, const char *want)
{
	struct job	 job;
	struct resolved	 rsv;
	char		 err[WR_REASONLEN];
	int		 c = 0;

	if (resolve(query, &job, &rsv, &c, err, sizeof(err)) == 0) {
		printf("# %s: accepted\n", query);
		return 0;
	}
	if (c != code || strstr(err, want) == NULL) {
		printf("# %s: %d '%s', want %d '%s'\n", query, c, err, code,
		    want);
		return 0;
	}
	return 1;
}

static void
rmtmp(void)
{
	DIR		*d;
	struct dirent	*de;
	char		 path[1024];

	if ((d = opendir(tmpdir)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (de->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", tmpdir,
			    de->d_name);
			unlink(path);
		}
		closedir(d);
	}
}

static void	 test_shipped(void);
static void	 test_broken(void);
static void	 test_dirs(void);
static void	 test_resolve(void);
static void	 test_values(void);
static void	 test_limits(void);

static void
test_shipped(void)
{
	static const char *const names[] = {
		"chase", "dgemm", "loop", "playground", "saxpy", "sdot",
		"sgemm", "sgemv", "triad", NULL
	};
	struct kspec	*ks;
	char		 err[512], name[128];
	int		 i, n = 0, sorted = 1;
	const char	*prev = "";

	err[0] = '\0';
	CHECK(kspecs_load("kernels", &specs, err, sizeof(err)) == 0,
	    "every shipped spec in kernels/ loads");
	if (err[0] != '\0')
		printf("# %s\n", err);
	TAILQ_FOREACH(ks, &specs, entry) {
		n++;
		if (strcmp(ks->file, prev) <= 0)
			sorted = 0;
		prev = ks->file;
	}
	CHECK(sorted, "specs are loaded in file name order");
	for (i = 0; names[i] != NULL; i++) {
		snprintf(name, sizeof(name), "kernel %s is shipped", names[i]);
		CHECK(kspec_find(&specs, names[i]) != NULL, name);
	}
	CHECK(n >= i, "no spec is lost");
	CHECK(kspec_find(&specs, "nope") == NULL, "kspec_find: unknown");

	/* WebRunner's sdot, exactly. */
	ks = kspec_find(&specs, "sdot");
	if (ks == NULL)
		return;
	CHECK(strcmp(ks->symbol, "sdot") == 0, "sdot: symbol is the name");
	CHECK(ks->nparams == 5 && strcmp(ks->params[0].name, "n") == 0 &&
	    strcmp(ks->params[1].name, "incx") == 0 &&
	    strcmp(ks->params[2].name, "incy") == 0 &&
	    strcmp(ks->params[3].name, "offx") == 0 &&
	    strcmp(ks->params[4].name, "offy") == 0,
	    "sdot: parameters n, incx, incy, offx, offy in order");
	CHECK(ks->params[0].type == PT_UINT64 && ks->params[0].def == 1024 &&
	    ks->params[0].min == 1, "sdot: n is uint64, 1024, min 1");
	CHECK(ks->params[1].type == PT_UINT32 && ks->params[1].def == 1 &&
	    ks->params[1].min == 1 && ks->params[1].max == UINT32_MAX,
	    "sdot: incx is uint32, 1, [1, 2^32 - 1]");
	CHECK(ks->params[3].def == 0 && ks->params[3].min == 0 &&
	    ks->params[3].max == 63, "sdot: offx is [0, 63], 0");
	CHECK(ks->ret == RET_F32, "sdot returns float");
	CHECK(ks->nbufs == 2 && ks->bufs[0].elem == ELEM_F32 &&
	    strcmp(ks->bufs[0].count, "n*incx") == 0 &&
	    strcmp(ks->bufs[0].offset, "offx") == 0 &&
	    ks->bufs[0].align == 64 && !ks->bufs[0].writable &&
	    ks->bufs[0].init == INIT_RANDOM, "sdot: x is n*incx floats");

	ks = kspec_find(&specs, "sgemm");
	if (ks != NULL)
		CHECK(ks->nparams == 5 && ks->params[0].def == 8 &&
		    ks->params[1].def == 2 && ks->params[2].def == 1024 &&
		    ks->params[2].max == 65536 && ks->params[3].max == 64 &&
		    ks->nargs == 8 && ks->ret == RET_F32,
		    "sgemm: mr 8, nr 2, k 1024, 8 arguments");
	ks = kspec_find(&specs, "playground");
	if (ks != NULL)
		CHECK(ks->nparams == 1 &&
		    strcmp(ks->params[0].name, "iterations") == 0 &&
		    ks->params[0].def == 1000 && ks->params[0].min == 1,
		    "playground: iterations, 1000, min 1");
	ks = kspec_find(&specs, "loop");
	if (ks != NULL)
		CHECK(ks->ret == RET_INT && ks->retint == PT_UINT64 &&
		    strstr(ks->description, "5*iterations + 4") != NULL,
		    "loop: returns uint64, documents its count");
}

static void
test_broken(void)
{
	const struct broken	*b;
	char			 err[512], name[160];
	int			 rc;

	for (b = broken; b->what != NULL; b++) {
		err[0] = '\0';
		rc = load_str("bad.json", b->json, strlen(b->json) +
		    (strstr(b->what, "NUL") != NULL ? 4 : 0), err,
		    sizeof(err));
		snprintf(name, sizeof(name), "broken spec: %s", b->what);
		CHECK(rc == -1 && strstr(err, b->reason) != NULL, name);
		if (rc != -1 || strstr(err, b->reason) == NULL)
			printf("# rc %d: %s\n", rc, err);
	}
}

static void
test_dirs(void)
{
	struct kspecs	 l;
	struct kspec	 ks;
	char		 err[512], path[1024], big[KSPEC_FILEMAX + 2];
	const char	*spec = "{ \"name\": \"same\" }";

	rmtmp();
	CHECK(kspecs_load(tmpdir, &l, err, sizeof(err)) == -1 &&
	    strstr(err, "no kernel specs") != NULL,
	    "a directory without specs is an error");
	CHECK(kspecs_load("/nonexistent/kernels", &l, err, sizeof(err)) ==
	    -1 && strstr(err, "/nonexistent/kernels: ") == err,
	    "a missing directory is an error naming it");

	write_file(tmpdir, "a.json", spec, strlen(spec));
	write_file(tmpdir, "b.json", spec, strlen(spec));
	snprintf(path, sizeof(path), "%s/b.json", tmpdir);
	CHECK(kspecs_load(tmpdir, &l, err, sizeof(err)) == -1 &&
	    strncmp(err, path, strlen(path)) == 0 &&
	    strstr(err, "kernel 'same' is already defined in") != NULL,
	    "a kernel name twice is an error naming the second file");
	CHECK(TAILQ_EMPTY(&l), "nothing stays loaded after an error");

	rmtmp();
	write_file(tmpdir, "b.json", "{ \"name\": \"bb\" }", 16);
	write_file(tmpdir, "a.json", "{ \"name\": \"zz\" }", 16);
	write_file(tmpdir, ".hidden.json", "junk", 4);
	write_file(tmpdir, "notes.txt", "junk", 4);
	write_file(tmpdir, "x.json~", "junk", 4);
	CHECK(kspecs_load(tmpdir, &l, err, sizeof(err)) == 0 &&
	    TAILQ_FIRST(&l) != NULL &&
	    strcmp(TAILQ_FIRST(&l)->name, "zz") == 0 &&
	    TAILQ_NEXT(TAILQ_FIRST(&l), entry) != NULL &&
	    TAILQ_NEXT(TAILQ_NEXT(TAILQ_FIRST(&l), entry), entry) == NULL,
	    "only visible *.json files load, in file order");
	kspecs_free(&l);
	CHECK(TAILQ_EMPTY(&l), "kspecs_free empties the list");

	rmtmp();
	write_file(tmpdir, "a.json", "{ \"name\": \"a\" }", 15);
	write_file(tmpdir, "b.json", "{ \"name\": ", 10);
	snprintf(path, sizeof(path), "%s/b.json", tmpdir);
	CHECK(kspecs_load(tmpdir, &l, err, sizeof(err)) == -1 &&
	    strncmp(err, path, strlen(path)) == 0,
	    "one broken file fails the whole directory, naming it");

	rmtmp();
	snprintf(path, sizeof(path), "%s/d.json", tmpdir);
	mkdir(path, 0700);
	CHECK(kspec_load_file(path, &ks, err, sizeof(err)) == -1 &&
	    strstr(err, "not a regular file") != NULL,
	    "a directory named *.json is refused");
	rmdir(path);

	memset(big, ' ', sizeof(big));
	memcpy(big, "{ \"name\": \"big\" }", 17);
	CHECK(load_str("big.json", big, sizeof(big), err, sizeof(err)) ==
	    -1 && strstr(err, "larger than") != NULL,
	    "a spec larger than KSPEC_FILEMAX is refused");
	CHECK(load_str("ok.json", big, KSPEC_FILEMAX, err, sizeof(err)) == 0,
	    "a spec of exactly KSPEC_FILEMAX loads");

	CHECK(kspec_load_buf("mem", "{ \"name\": 1 }", 13, &ks, err,
	    sizeof(err)) == -1 && strncmp(err, "mem: ", 5) == 0,
	    "kspec_load_buf names the spec as told");
}

static void
test_resolve(void)
{
	struct job	 job;
	struct resolved	 rsv;
	char		 err[WR_REASONLEN];
	int		 code = 0;

	CHECK(resolve("kernel=sdot", &job, &rsv, &code, err,
	    sizeof(err)) == 0 && code == 200, "sdot with its defaults");
	CHECK(strcmp(job.symbol, "sdot") == 0 && job.ret == RET_F32 &&
	    job.nargs == 5 && job.nbufs == 2, "sdot: symbol, return, counts");
	CHECK(job.args[0].kind == ARG_INT && job.args[0].ival == 1024 &&
	    job.args[1].kind == ARG_BUF && job.args[1].index == 0 &&
	    job.args[2].kind == ARG_INT && job.args[2].ival == 1 &&
	    job.args[3].kind == ARG_BUF && job.args[3].index == 1 &&
	    job.args[4].kind == ARG_INT && job.args[4].ival == 1,
	    "sdot: (n, x, incx, y, incy)");
	CHECK(job.bufs[0].count == 1024 && job.bufs[0].offset == 0 &&
	    job.bufs[0].align == 64 && job.bufs[0].elem == ELEM_F32 &&
	    job.bufs[0].init == INIT_RANDOM && !job.bufs[0].writable,
	    "sdot: x is 1024 read-only random floats");
	CHECK(job.bufs[0].seed != job.bufs[1].seed,
	    "x and y get different random data");
	CHECK(job.repeat == 25 && job.warmup == 2 && job.nevents == 0 &&
	    job.size == 0 && job.memmax == 0,
	    "default repeat and warmup; events, size and memmax left to others");
	CHECK(strcmp(rsv.kernel, "sdot") == 0 && rsv.nparams == 5 &&
	    strcmp(rsv.names[0], "n") == 0 && rsv.values[0] == 1024 &&
	    strcmp(rsv.names[4], "offy") == 0 && rsv.values[4] == 0 &&
	    rsv.repeat == 25 && rsv.ret == RET_F32,
	    "resolved: every parameter with its default, in spec order");
	CHECK(rsv.memory == 2 * (1024 * 4 + 64), "resolved: buffer bytes");

	CHECK(resolve("n=10&kernel=sdot&incx=2&offx=3&offy=63&repeat=7",
	    &job, &rsv, &code, err, sizeof(err)) == 0 &&
	    job.bufs[0].count == 20 && job.bufs[0].offset == 3 &&
	    job.bufs[1].count == 10 && job.bufs[1].offset == 63 &&
	    job.args[0].ival == 10 && job.args[2].ival == 2 &&
	    job.repeat == 7 && rsv.repeat == 7 && rsv.values[1] == 2,
	    "sdot with parameters, kernel anywhere in the query");
	CHECK(resolve("kernel=sd%6Ft&n=%31%30&", &job, &rsv, &code, err,
	    sizeof(err)) == 0 && job.args[0].ival == 10,
	    "percent-encoding is decoded; a trailing & is harmless");
	CHECK(resolve("kernel=sdot&n=0000010", &job, &rsv, &code, err,
	    sizeof(err)) == 0 && job.args[0].ival == 10,
	    "leading zeros are decimal");
	CHECK(resolve("kernel=sdot&events=cycles,instructions,"
	    "UOPS_DISPATCHED:PORT_0,r01c2,cpu/event=0x3c/", &job, &rsv, &code,
	    err, sizeof(err)) == -1, "events: '/' is not allowed");
	CHECK(resolve("kernel=sdot&events=cycles,instructions,"
	    "UOPS_DISPATCHED:PORT_0,r01c2,a.b=c-d", &job, &rsv, &code, err,
	    sizeof(err)) == 0 && job.nevents == 5 &&
	    strcmp(job.events[0], "cycles") == 0 &&
	    strcmp(job.events[2], "UOPS_DISPATCHED:PORT_0") == 0 &&
	    strcmp(job.events[4], "a.b=c-d") == 0,
	    "events: perf, libpfm4 and raw names, in order");
	CHECK(resolve("kernel=sdot&events=", &job, &rsv, &code, err,
	    sizeof(err)) == 0 && job.nevents == 0,
	    "events: empty means the runner's default set");

	CHECK(resolve("kernel=sgemm", &job, &rsv, &code, err,
	    sizeof(err)) == 0 && job.nbufs == 5 && job.nargs == 8 &&
	    job.bufs[0].count == 1 && job.bufs[0].init == INIT_ONES &&
	    job.bufs[1].count == 8192 && job.bufs[2].count == 2048 &&
	    job.bufs[3].init == INIT_ZERO && job.bufs[4].count == 16 &&
	    job.bufs[4].writable && job.args[0].ival == 1024 &&
	    job.args[6].ival == 1 && job.args[7].ival == 1,
	    "sgemm with its defaults");
	CHECK(resolve("kernel=sgemm&mr=4&nr=3&rs_c=5&cs_c=7", &job, &rsv,
	    &code, err, sizeof(err)) == 0 &&
	    job.bufs[4].count == 4 * 5 * 3 * 7,
	    "sgemm: C is (mr*rs_c)*(nr*cs_c)");
	CHECK(resolve("kernel=saxpy&n=3", &job, &rsv, &code, err,
	    sizeof(err)) == 0 && job.ret == RET_VOID &&
	    job.args[1].kind == ARG_F32 && job.args[1].fval == 2.5 &&
	    job.bufs[1].writable, "saxpy: a float scalar argument");
	CHECK(resolve("kernel=triad", &job, &rsv, &code, err,
	    sizeof(err)) == 0 && job.args[4].kind == ARG_F64 &&
	    job.args[4].fval == 3.0, "triad: a double scalar argument");
	CHECK(resolve("kernel=chase&n=100", &job, &rsv, &code, err,
	    sizeof(err)) == 0 && job.bufs[0].elem == ELEM_U64 &&
	    job.bufs[0].init == INIT_SEQUENCE && job.bufs[0].count == 100 &&
	    job.ret == RET_INT, "chase: a sequence of uint64");
	CHECK(resolve("kernel=loop&iterations=0", &job, &rsv, &code, err,
	    sizeof(err)) == 0 && job.nbufs == 0 && job.args[0].ival == 0,
	    "loop: zero iterations");
	CHECK(resolve("kernel=playground", &job, &rsv, &code, err,
	    sizeof(err)) == 0 && job.args[0].ival == 1000,
	    "playground with its default");
}

static void
test_values(void)
{
	char	 q[WR_QUERYLEN + 16];
	int	 i;

	CHECK(rejects("", 400, "missing kernel: use POST"),
	    "an empty query");
	CHECK(rejects("n=5", 400, "missing kernel parameter"),
	    "no kernel");
	CHECK(rejects("kernel=nope", 404, "no kernel 'nope' here; there are: "
	    "chase, dgemm, loop, playground, saxpy, sdot, sgemm, sgemv, triad"),
	    "an unknown kernel is 404");
	CHECK(rejects("kernel=%0a%0d", 400, "bad kernel name: 1 to 63 of "
	    "a-z 0-9 _ -"), "a kernel name of control characters");
	CHECK(rejects("kernel=sdot&kernel=sdot", 400,
	    "kernel given more than once"), "kernel twice");
	CHECK(rejects("kernel=sdot&n=18446744073709551616", 400,
	    "parameter 'n': 18446744073709551616 is above the maximum "
	    "16777216"), "2^64 overflows");
	CHECK(rejects("kernel=sdot&n=99999999999999999999999999999", 400,
	    "is above the maximum"), "a very long number");
	CHECK(rejects("kernel=sdot&n=16777217", 400,
	    "parameter 'n': 16777217 is above the maximum 16777216"),
	    "above the spec's maximum");
	CHECK(rejects("kernel=sdot&offx=64", 400,
	    "parameter 'offx': 64 is above the maximum 63"),
	    "offx above 63");
	CHECK(rejects("kernel=sdot&n=0", 400,
	    "parameter 'n': 0 is below the minimum 1"), "below the minimum");
	CHECK(rejects("kernel=sdot&incx=4294967296", 400,
	    "above the maximum 4294967295"), "above uint32");
	CHECK(rejects("kernel=sdot&n=-1", 400,
	    "parameter 'n': -1 is negative, the parameter is unsigned"),
	    "negative for an unsigned parameter");
	CHECK(rejects("kernel=sdot&n=-0", 400, "is negative"),
	    "-0 for an unsigned parameter");
	CHECK(rejects("kernel=sdot&n=0x10", 400,
	    "parameter 'n': '0x10' is not a decimal integer"), "hex");
	CHECK(rejects("kernel=sdot&n=1e3", 400, "not a decimal integer"),
	    "an exponent");
	CHECK(rejects("kernel=sdot&n=%2010", 400, "not a decimal integer"),
	    "a leading space");
	CHECK(rejects("kernel=sdot&n=10%20", 400, "not a decimal integer"),
	    "a trailing space");
	CHECK(rejects("kernel=sdot&n=+10", 400, "not a decimal integer"),
	    "a '+' (a space once decoded)");
	CHECK(rejects("kernel=sdot&n=%2B10", 400, "not a decimal integer"),
	    "an encoded '+'");
	CHECK(rejects("kernel=sdot&n=", 400, "parameter 'n': empty value"),
	    "an empty value");
	CHECK(rejects("kernel=sdot&n", 400, "parameter 'n' has no value"),
	    "no '='");
	CHECK(rejects("kernel=sdot&=5", 400, "empty name"), "no name");
	CHECK(rejects("kernel=sdot&n=5%00", 400, "NUL byte"),
	    "a NUL byte cannot cut a value short");
	CHECK(rejects("kernel=sdot&n=1&n=2", 400,
	    "parameter 'n' given twice"), "a parameter twice");
	CHECK(rejects("kernel=sdot&m=1", 400, "unknown parameter 'm'; kernel "
	    "'sdot' takes n, incx, incy, offx, offy, repeat, events, "
	    "time-limit, memory-limit"),
	    "an unknown parameter, with the valid ones");
	CHECK(rejects("kernel=sdot&time=1", 400, "unknown parameter 'time'"),
	    "time is not supported yet");
	CHECK(rejects("kernel=sdot&aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa=1", 400,
	    "unknown parameter 'aaaa"), "a very long name");
	CHECK(rejects("kernel=sdot&repeat=0", 400,
	    "parameter 'repeat': 0 is below the minimum 1"), "repeat 0");
	CHECK(rejects("kernel=sdot&repeat=1001", 400,
	    "parameter 'repeat': 1001 is above the maximum 1000"),
	    "repeat above the limit");
	CHECK(rejects("kernel=sdot&events=cycles,,instructions", 400,
	    "empty event name"), "an empty event name");
	CHECK(rejects("kernel=sdot&events=cycles%20x", 400,
	    "invalid character"), "a space in an event name");
	CHECK(rejects("kernel=sdot&events=cycles,cycles", 400,
	    "'cycles' given twice"), "an event twice");
	CHECK(rejects("kernel=sdot&events=a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q",
	    400, "more than 16 events"), "17 events");
	CHECK(rejects("kernel=sdot&events=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaa", 400, "longer than 63"),
	    "an event name of 64 characters");

	memset(q, 0, sizeof(q));
	memcpy(q, "kernel=sdot&", 12);
	for (i = 12; i < WR_QUERYLEN; i++)
		q[i] = 'a';
	CHECK(rejects(q, 414, "query string longer than 2047 bytes"),
	    "a query too long");
	CHECK(rejects("kernel=sdot&a=1&b=1&c=1&d=1&e=1&f=1&g=1&h=1&i=1&j=1&"
	    "k=1&l=1&m=1&o=1&p=1&q=1&repeat=1&r=1", 400,
	    "more than 16 parameters"), "too many parameters");
	CHECK(rejects("kernel=sdot&repeat=1&repeat=2", 400,
	    "parameter 'repeat' given twice"), "repeat twice");
	CHECK(rejects("kernel=sdot&events=&events=cycles", 400,
	    "parameter 'events' given twice"), "events twice, once empty");

}

static void
test_limits(void)
{
	struct kspecs	 l;
	struct job	 job;
	struct resolved	 rsv;
	struct run_limits lim = limits;
	char		 err[WR_REASONLEN];
	int		 code;
	const char	*spec =
	    "{ \"name\": \"k\", \"parameters\": ["
	    " { \"name\": \"a\", \"type\": \"uint64\", \"default\": 1 },"
	    " { \"name\": \"d\", \"type\": \"int32\", \"default\": -5 } ],"
	    " \"buffers\": [ { \"name\": \"x\", \"type\": \"double\","
	    " \"count\": \"a*a*a\", \"align\": 4096, \"offset\": 8 } ],"
	    " \"arguments\": [ \"x\", \"d\", \"a*2\", \"d*2\", 7 ],"
	    " \"return\": \"int\" }";
	const char	*spec2 =
	    "{ \"name\": \"k2\", \"parameters\": ["
	    " { \"name\": \"d\", \"type\": \"int64\", \"min\": -10 } ],"
	    " \"arguments\": [ \"d\" ] }";

	CHECK(rejects("kernel=sdot&n=16777216&incx=4294967295", 400,
	    "buffers need 288230376151711872 bytes, limit is 67108864"),
	    "buffers above the memory limit");
	lim.memory = 8319;
	CHECK(resolve_q(&specs, "kernel=sdot", &lim, &job, &rsv, &code,
	    err, sizeof(err)) == -1 && code == 400 &&
	    strcmp(err, "buffers need 8320 bytes, limit is 8319") == 0,
	    "one byte above the limit, alignment counted");
	lim.memory = 8320;
	CHECK(resolve_q(&specs, "kernel=sdot", &lim, &job, &rsv, &code,
	    err, sizeof(err)) == 0, "exactly the limit");
	CHECK(resolve("kernel=sdot", &job, &rsv, &code, err, sizeof(err))
	    == 0 && rsv.time_limit == 0 && rsv.memory_limit == 0,
	    "no limits asked for: the configured ones (0)");
	CHECK(resolve("kernel=sdot&time-limit=250ms&memory-limit=64M", &job,
	    &rsv, &code, err, sizeof(err)) == 0 && rsv.time_limit == 250 &&
	    rsv.memory_limit == 64 * 1024 * 1024,
	    "a request asks for less time and memory");
	CHECK(resolve("kernel=sdot&time-limit=2", &job, &rsv, &code, err,
	    sizeof(err)) == 0 && rsv.time_limit == 2000,
	    "a bare time-limit is in seconds");
	CHECK(resolve("kernel=sdot&time-limit=10s&memory-limit=512M", &job,
	    &rsv, &code, err, sizeof(err)) == 0 && rsv.time_limit == 10000,
	    "exactly the configured limits");
	CHECK(rejects("kernel=sdot&time-limit=11s", 400, "time-limit '11s' "
	    "is above this server's limit of 10000 ms"), "more time refused");
	CHECK(rejects("kernel=sdot&memory-limit=1G", 400, "memory-limit '1G' "
	    "is above this server's limit of 536870912 bytes"),
	    "more memory refused");
	CHECK(rejects("kernel=sdot&memory-limit=1M", 400, "memory-limit '1M' "
	    "is below the least a runner needs, 16777216 bytes"),
	    "too little memory refused");
	CHECK(rejects("kernel=sdot&time-limit=0", 400, "time-limit '0': use "
	    "a number with ms, s or m"), "a zero time-limit refused");
	CHECK(rejects("kernel=sdot&time-limit=1h", 400, "time-limit '1h': "
	    "use a number with ms, s or m"), "an unknown unit refused");
	CHECK(rejects("kernel=sdot&memory-limit=-5M", 400, "memory-limit "
	    "'-5M': use a number with an optional K, M or G"),
	    "a negative memory-limit refused");
	lim.repeat_default = 0;
	CHECK(resolve_q(&specs, "kernel=sdot", &lim, &job, &rsv, &code,
	    err, sizeof(err)) == 0 && job.repeat == 1,
	    "a repeat default of 0 becomes 1");

	rmtmp();
	write_file(tmpdir, "k.json", spec, strlen(spec));
	write_file(tmpdir, "k2.json", spec2, strlen(spec2));
	if (kspecs_load(tmpdir, &l, err, sizeof(err)) == -1) {
		printf("# %s\n", err);
		CHECK(0, "a spec with signed parameters loads");
		return;
	}
	CHECK(resolve_q(&l, "kernel=k", &limits, &job, &rsv, &code, err,
	    sizeof(err)) == -1 && strcmp(err, "argument 4: parameter 'd' is "
	    "negative") == 0, "a negative parameter in an expression");
	CHECK(resolve_q(&l, "kernel=k&d=3&a=2", &limits, &job, &rsv,
	    &code, err, sizeof(err)) == 0 && job.args[1].ival == 3 &&
	    job.args[2].ival == 4 && job.args[3].ival == 6 &&
	    job.args[4].ival == 7 && job.bufs[0].count == 8 &&
	    job.bufs[0].align == 4096 && job.bufs[0].offset == 8 &&
	    job.ret == RET_INT && rsv.retint == PT_INT32 &&
	    rsv.memory == 64 + 4096 + 8, "expressions and literals");
	CHECK(resolve_q(&l, "kernel=k&d=-2147483648&a=2", &limits, &job,
	    &rsv, &code, err, sizeof(err)) == -1 &&
	    strstr(err, "'d' is negative") != NULL,
	    "the smallest int32 is accepted, then refused in d*2");
	CHECK(resolve_q(&l, "kernel=k&d=-2147483649", &limits, &job,
	    &rsv, &code, err, sizeof(err)) == -1 &&
	    strstr(err, "-2147483649 is below the minimum -2147483648") !=
	    NULL, "below int32");
	CHECK(resolve_q(&l, "kernel=k&d=-99999999999999999999", &limits,
	    &job, &rsv, &code, err, sizeof(err)) == -1 &&
	    strstr(err, "is below the minimum") != NULL,
	    "far below int64");
	CHECK(resolve_q(&l, "kernel=k&d=--1", &limits, &job, &rsv,
	    &code, err, sizeof(err)) == -1 &&
	    strstr(err, "not a decimal integer") != NULL, "two signs");
	CHECK(resolve_q(&l, "kernel=k&d=-", &limits, &job, &rsv,
	    &code, err, sizeof(err)) == -1 &&
	    strstr(err, "not a decimal integer") != NULL, "a sign alone");
	CHECK(resolve_q(&l, "kernel=k&a=3000000&d=1", &limits, &job,
	    &rsv, &code, err, sizeof(err)) == -1 &&
	    strstr(err, "buffer 'x': count: overflow") != NULL,
	    "a count that overflows 64 bits");
	CHECK(resolve_q(&l, "kernel=k&a=2097152&d=1", &limits, &job,
	    &rsv, &code, err, sizeof(err)) == -1 &&
	    strstr(err, "buffer 'x': size overflows") != NULL,
	    "a byte size that overflows 64 bits");
	CHECK(resolve_q(&l, "kernel=k2&d=-7", &limits, &job, &rsv, &code,
	    err, sizeof(err)) == 0 && job.args[0].ival == (uint64_t)-7 &&
	    rsv.values[0] == -7, "a bare negative parameter is passed as is");
	kspecs_free(&l);
}

/*
 * Messages no working network process sends: the monitor refuses each
 * with code 0, which ends the sender, and never reads past a field.
 */
static const char *const bends[] = {
	"an unterminated kernel", "a kernel name with '/'", "17 events",
	"a comma in an event name", "an event twice",
	"an unterminated event", "17 parameters",
	"an unterminated parameter name", "a parameter twice",
	"a value of no kind", "a parameter without a value",
	"a newline to quote", "an unterminated value",
	"a sign that is neither", "a time-limit that is no number",
	"a memory-limit that is empty"
};

static void
bend(struct run_req *r, int how)
{
	switch (how) {
	case 0:
		memset(r->kernel, 'a', sizeof(r->kernel));
		break;
	case 1:
		strlcpy(r->kernel, "../sdot", sizeof(r->kernel));
		break;
	case 2:
		r->nevents = WR_MAXEVENTS + 1;
		break;
	case 3:
		strlcpy(r->events[0], "cycles,instructions",
		    sizeof(r->events[0]));
		break;
	case 4:
		strlcpy(r->events[1], "cycles", sizeof(r->events[1]));
		break;
	case 5:
		memset(r->events[1], 'a', sizeof(r->events[1]));
		break;
	case 6:
		r->nparams = WR_MAXPARAMS + 1;
		break;
	case 7:
		memset(r->params[0].name, 'n', sizeof(r->params[0].name));
		break;
	case 8:
		r->params[1] = r->params[0];
		r->nparams = 2;
		break;
	case 9:
		r->params[0].value.kind = 99;
		break;
	case 10:
		r->params[0].value.kind = RV_NONE;
		break;
	case 11:
		strlcpy(r->params[0].value.shown, "6\n4",
		    sizeof(r->params[0].value.shown));
		break;
	case 12:
		memset(r->params[0].value.shown, '6',
		    sizeof(r->params[0].value.shown));
		break;
	case 13:
		r->params[0].value.neg = 2;
		break;
	case 14:
		r->time_limit.kind = RV_OVERFLOW;
		break;
	case 15:
		r->memory_limit.kind = RV_EMPTY;
		break;
	}
}

static void
test_messages(void)
{
	struct run_req	 rr;
	struct job	 job;
	struct resolved	 rsv;
	char		 err[WR_REASONLEN];
	size_t		 i;
	int		 code = -1;

	for (i = 0; i < sizeof(bends) / sizeof(bends[0]); i++) {
		if (query_parse("kernel=sdot&n=64&events=cycles,instructions",
		    &rr, &code, err, sizeof(err)) == -1 ||
		    kspec_resolve(&specs, &rr, &limits, &job, &rsv, &code, err,
		    sizeof(err)) == -1) {
			printf("# the unbent request fails: %s\n", err);
			CHECK(0, bends[i]);
			continue;
		}
		bend(&rr, (int)i);
		code = -1;
		CHECK(kspec_resolve(&specs, &rr, &limits, &job, &rsv, &code,
		    err, sizeof(err)) == -1 && code == 0, bends[i]);
	}
}

int
main(void)
{
	TAILQ_INIT(&specs);
	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	test_shipped();
	test_broken();
	test_dirs();
	test_resolve();
	test_values();
	test_limits();
	test_messages();
	kspecs_free(&specs);
	rmtmp();
	rmdir(tmpdir);
	return TEST_DONE();
}
