/* objs: daemon/prun.o common/util.o common/log.o common/vocab.o */
/*
 * The /run parser: go-judge requests as Hydro sends them become exactly
 * the messages the monitor must receive, in order and under one id; each
 * kind of bad request is refused with the reason a client reads in its
 * 400, and sends nothing.
 */
#include <sys/types.h>
#include <sys/mman.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "proto.h"
#include "daemon.h"
#include "test.h"

#define MAXMSGS	64

/* What the network process would have sent the monitor. */
struct msg {
	uint32_t	 type;
	uint32_t	 id;
	size_t		 len;
	void		*data;
	char		*content;	/* the memfd's bytes, if one came */
	size_t		 clen;
	int		 sealed;
};
static struct msg	 msgs[MAXMSGS];
static int		 nmsgs;

int
net_send(uint32_t type, uint32_t id, int fd, const void *data, size_t len)
{
	struct msg	*m;
	uint64_t	 size;

	if (nmsgs == MAXMSGS)
		abort();
	m = &msgs[nmsgs++];
	memset(m, 0, sizeof(*m));
	m->type = type;
	m->id = id;
	m->len = len;
	if ((m->data = malloc(len)) == NULL)
		abort();
	memcpy(m->data, data, len);
	if (fd != -1) {
		m->sealed = memfd_check_sealed(fd, &size) == 0;
		if (!m->sealed && (size = (uint64_t)lseek(fd, 0, SEEK_END)) ==
		    (uint64_t)-1)
			abort();
		m->clen = (size_t)size;
		if ((m->content = malloc(m->clen + 1)) == NULL ||
		    pread(fd, m->content, m->clen, 0) != (ssize_t)m->clen)
			abort();
		m->content[m->clen] = '\0';
		close(fd);
	}
	return 0;
}

static void
reset(void)
{
	int	 i;

	for (i = 0; i < nmsgs; i++) {
		free(msgs[i].data);
		free(msgs[i].content);
	}
	nmsgs = 0;
}

/* Parse and send under id 42; the reason of a refusal in err. */
static int
run(const char *json, char *err, size_t errlen)
{
	struct prun	*p;
	int		 rc;

	reset();
	err[0] = '\0';
	if ((p = prun_parse(json, strlen(json), err, errlen)) == NULL)
		return -1;
	rc = prun_send(p, 42);
	prun_free(p);
	return rc;
}

/* The NUL-separated strings of an area, as one string with '|' between. */
static const char *
joined(const char *area, uint32_t n)
{
	static char	 buf[4096];
	size_t		 off = 0, l;
	uint32_t	 i;

	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		l = strlen(area);
		if (off + l + 2 > sizeof(buf))
			abort();
		if (i > 0)
			buf[off++] = '|';
		memcpy(buf + off, area, l + 1);
		off += l;
		area += l + 1;
	}
	return buf;
}

/*
 * What Hydro's judge sends for a test of a compiled program, the binary
 * left to copyIn of the next step (packages/hydrojudge/src/sandbox.ts,
 * proc()): its default env ends with an empty entry.
 */
static const char hydro[] =
    "{\"cmd\":[{\"args\":[\"/bin/sh\",\"-c\",\"g++ -O2 -o a a.cc && ./a\"],"
    "\"env\":[\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:"
    "/sbin:/bin\",\"HOME=/w\",\"PYTHONPATH=/lib/python3.13/site-packages\","
    "\"\"],\"files\":[{\"content\":\"1 2\\n\"},{\"name\":\"stdout\","
    "\"max\":4194304},{\"name\":\"stderr\",\"max\":4194304}],"
    "\"cpuLimit\":1000000000,\"clockLimit\":3000000000,"
    "\"memoryLimit\":268435456,\"strictMemoryLimit\":false,"
    "\"stackLimit\":0,\"procLimit\":32,\"copyOutMax\":100663296,"
    "\"copyIn\":{},\"copyOut\":[],\"copyOutCached\":[]}],"
    "\"pipeMapping\":[]}";

static void
test_hydro(void)
{
	const struct prun_cmd	*c;
	const struct prun_file	*pf;
	const struct prun_req	*r;
	char			 err[WR_REASONLEN];
	int			 i, ids = 1;

	CHECK(run(hydro, err, sizeof(err)) == 0, "Hydro's request is taken");
	CHECK(err[0] == '\0', "and has no reason");
	CHECK(nmsgs == 3, "its input, its command, the request: 3 messages");
	if (nmsgs != 3)
		return;
	for (i = 0; i < nmsgs; i++)
		ids &= msgs[i].id == 42;
	CHECK(ids, "all under the pending request's id");

	CHECK(msgs[0].type == IMSG_PRUN_FILE &&
	    msgs[0].len == sizeof(struct prun_file), "first its input");
	pf = msgs[0].data;
	CHECK(pf->cmd == 0 && pf->fd == 0, "of command 0 on fd 0");
	CHECK(msgs[0].sealed, "in a sealed memfd");
	CHECK(msgs[0].clen == 4 && memcmp(msgs[0].content, "1 2\n", 4) == 0,
	    "holding the content, unescaped");

	CHECK(msgs[1].type == IMSG_PRUN_CMD &&
	    msgs[1].len == sizeof(struct prun_cmd), "then the command");
	c = msgs[1].data;
	CHECK(c->index == 0, "command 0");
	CHECK(c->nargs == 3 && strcmp(joined(c->args, c->nargs),
	    "/bin/sh|-c|g++ -O2 -o a a.cc && ./a") == 0, "its args");
	CHECK(c->nenv == 4 && strcmp(joined(c->env, c->nenv),
	    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:"
	    "/bin|HOME=/w|PYTHONPATH=/lib/python3.13/site-packages|") == 0,
	    "its env, the empty last entry kept");
	CHECK(c->nfiles == 3, "three files");
	CHECK(c->files[0].kind == PF_CONTENT, "fd 0 an input");
	CHECK(c->files[1].kind == PF_COLLECT &&
	    strcmp(c->files[1].name, "stdout") == 0 &&
	    c->files[1].max == 4194304, "fd 1 collected as stdout, 4 MiB");
	CHECK(c->files[2].kind == PF_COLLECT &&
	    strcmp(c->files[2].name, "stderr") == 0 &&
	    c->files[2].max == 4194304, "fd 2 collected as stderr, 4 MiB");
	CHECK(c->files[3].kind == PF_NONE, "fd 3 closed");
	CHECK(c->given == (PL_CPU | PL_CLOCK | PL_MEMORY | PL_STACK | PL_PROC |
	    PL_COPYOUTMAX), "the limits given, and only those");
	CHECK(c->copyout_max == 100663296 && c->ncopyout == 0 &&
	    c->ncopyin == 0, "copyOutMax, no copyIn or copyOut");
	CHECK(c->cpu_ns == 1000000000 && c->clock_ns == 3000000000ULL &&
	    c->memory == 268435456 && c->stack == 0 && c->proc == 32,
	    "their values");
	CHECK(c->cpu_rate == 0 && c->instructions == 0,
	    "limits not given are 0");
	CHECK(c->strict_memory == 0 && c->address_space == 0 &&
	    c->data_segment == 0, "no strict memory, no rlimits asked for");

	CHECK(msgs[2].type == IMSG_PRUN_REQ &&
	    msgs[2].len == sizeof(struct prun_req), "last the request");
	r = msgs[2].data;
	CHECK(r->ncmds == 1 && r->npipes == 0, "one command, no pipes");
}

static void
test_fields(void)
{
	const struct prun_cmd	*c;
	char			 err[WR_REASONLEN];

	CHECK(run("{\"cmd\":[{\"args\":[\"true\"],\"clockLimit\":5,"
	    "\"realCpuLimit\":7,\"cpuRateLimit\":500,\"instructionLimit\":"
	    "1000000,\"strictMemoryLimit\":true,\"addressSpaceLimit\":true,"
	    "\"dataSegmentLimit\":true,\"files\":[null,{\"name\":\"out\"}],"
	    "\"requestId\":\"x\",\"tty\":false,\"copyIn\":null,"
	    "\"unknown\":[1,{\"a\":2}]}],\"requestId\":\"abc\","
	    "\"pipeMapping\":null}", err, sizeof(err)) == 0,
	    "every field, unknown ones ignored");
	if (nmsgs != 2)
		return;
	c = msgs[0].data;
	CHECK(msgs[0].type == IMSG_PRUN_CMD, "no input: the command first");
	CHECK(c->clock_ns == 7 && (c->given & PL_CLOCK),
	    "realCpuLimit overrides clockLimit");
	CHECK(c->cpu_rate == 500 && (c->given & PL_CPURATE), "cpuRateLimit");
	CHECK(c->instructions == 1000000 && (c->given & PL_INSTR),
	    "instructionLimit");
	CHECK(c->strict_memory == 1 && c->address_space == 1 &&
	    c->data_segment == 1, "the three booleans");
	CHECK(c->nfiles == 2 && c->files[0].kind == PF_NONE,
	    "a null file is a closed fd");
	CHECK(c->files[1].kind == PF_COLLECT && c->files[1].max == 0,
	    "a collector without max: 0, the monitor's default");
	CHECK(c->nenv == 0, "no env");

	CHECK(run("{\"cmd\":[{\"args\":[\"a\"],\"clockLimit\":5,"
	    "\"realCpuLimit\":0,\"cpuLimit\":null}]}", err, sizeof(err)) == 0,
	    "realCpuLimit 0, cpuLimit null");
	c = msgs[0].data;
	CHECK(c->clock_ns == 5 && c->given == PL_CLOCK,
	    "a realCpuLimit of 0 leaves clockLimit; null is not given");

	CHECK(run("{\"cmd\":[{\"args\":[\"cat\"],\"files\":[{\"content\":"
	    "\"a\\u0000b\"},{\"content\":\"\"}]}]}", err, sizeof(err)) == 0,
	    "inputs with a NUL, and empty");
	CHECK(nmsgs == 4 && msgs[0].clen == 3 &&
	    memcmp(msgs[0].content, "a\0b", 3) == 0 && msgs[1].clen == 0 &&
	    ((struct prun_file *)msgs[1].data)->fd == 1,
	    "both in memfds, in fd order");
}

/* Each kind of bad request: the reason a client reads, nothing sent. */
static const struct {
	const char	*json;
	const char	*reason;
} bad[] = {
	{ "", "empty body: POST a JSON request" },
	{ "{\"cmd\":[}", "not valid JSON: unexpected token near '}' at line 1 "
	    "column 9" },
	{ "{\"cmd\":[]} x", "not valid JSON: end of file expected near 'x' "
	    "at line 1 column 12" },
	{ "[1]", "request: not a JSON object" },
	{ "{}", "cmd: must be a non-empty array" },
	{ "{\"cmd\":[]}", "cmd: must be a non-empty array" },
	{ "{\"cmd\":{}}", "cmd: must be a non-empty array" },
	{ "{\"cmd\":[1]}", "cmd[0]: not an object" },
	{ "{\"cmd\":[{}]}", "cmd[0].args: must be a non-empty array" },
	{ "{\"cmd\":[{\"args\":[]}]}",
	    "cmd[0].args: must be a non-empty array" },
	{ "{\"cmd\":[{\"args\":[\"a\",1]}]}", "cmd[0].args[1]: not a string" },
	{ "{\"cmd\":[{\"args\":[\"a\\u0000b\"]}]}",
	    "cmd[0].args[0]: contains a NUL byte" },
	{ "{\"cmd\":[{\"args\":[\"a\"],\"env\":\"PATH=/bin\"}]}",
	    "cmd[0].env: not an array" },
	{ "{\"cmd\":[{\"args\":[\"a\"],\"env\":[\"A=\\u0000\"]}]}",
	    "cmd[0].env[0]: contains a NUL byte" },
	{ "{\"cmd\":[{\"args\":[\"a\"],\"env\":[null]}]}",
	    "cmd[0].env[0]: not a string" },
	{ "{\"cmd\":[{\"args\":[\"a\"],\"cpuLimit\":-1}]}",
	    "cmd[0].cpuLimit: not a non-negative integer" },
	{ "{\"cmd\":[{\"args\":[\"a\"],\"memoryLimit\":1.5}]}",
	    "cmd[0].memoryLimit: not a non-negative integer" },
	{ "{\"cmd\":[{\"args\":[\"a\"],\"procLimit\":\"1\"}]}",
	    "cmd[0].procLimit: not a non-negative integer" },
	{ "{\"cmd\":[{\"args\":[\"a\"],\"realCpuLimit\":true}]}",
	    "cmd[0].realCpuLimit: not a non-negative integer" },
	{ "{\"cmd\":[{\"args\":[\"a\"],\"instructionLimit\":-5}]}",
	    "cmd[0].instructionLimit: not a non-negative integer" },
	{ "{\"cmd\":[{\"args\":[\"a\"],\"strictMemoryLimit\":1}]}",
	    "cmd[0].strictMemoryLimit: not a boolean" },
	{ "{\"cmd\":[{\"args\":[\"a\"],\"files\":{}}]}",
	    "cmd[0].files: not an array" },
	{ "{\"cmd\":[{\"args\":[\"a\"],\"files\":[1]}]}",
	    "cmd[0].files[0]: not an object or null" },
	{ "{\"cmd\":[{\"args\":[\"a\"],\"files\":[{}]}]}",
	    "cmd[0].files[0]: needs content, src, fileId, or a name to "
	    "collect the output under" },
	{ "{\"cmd\":[{\"args\":[\"a\"],\"files\":[{\"content\":5}]}]}",
	    "cmd[0].files[0].content: not a string" },
	{ "{\"cmd\":[{\"args\":[\"a\"],\"files\":[null,{\"name\":1}]}]}",
	    "cmd[0].files[1].name: not a string" },
	{ "{\"cmd\":[{\"args\":[\"a\"],\"files\":[null,{\"name\":\"o\","
	    "\"max\":-1}]}]}", "cmd[0].files[1].max: not a non-negative "
	    "integer" },
	{ "{\"cmd\":[{\"args\":[\"a\"],\"files\":[null,{\"name\":\"o\\u0000\"}"
	    "]}]}", "cmd[0].files[1].name: contains a NUL byte" },
	{ "{\"cmd\":[{\"args\":[\"a\"],\"files\":[null,{\"name\":\"0123456789"
	    "0123456789012345678901234567890123456789012345678901234\"}]}]}",
	    "cmd[0].files[1].name: longer than 63 bytes" },
	{ "{\"cmd\":[{\"args\":[\"a\"],\"files\":[null,null,null,null,null,"
	    "null,null,null,null]}]}", "cmd[0].files: more than 8 files" },
	{ "{\"cmd\":[{\"args\":[\"a\"]},{\"args\":[\"b\"]}],"
	    "\"pipeMapping\":[{\"in\":{\"index\":0,\"fd\":1},\"out\":"
	    "{\"index\":2,\"fd\":0}}]}",
	    "pipeMapping[0]: index must be an integer from 0 to 1" },
	{ "{\"cmd\":[{\"args\":[\"a\"]},{\"args\":[\"b\"]}],"
	    "\"pipeMapping\":[{\"in\":{\"index\":0,\"fd\":8},\"out\":"
	    "{\"index\":1,\"fd\":0}}]}",
	    "pipeMapping[0]: fd must be an integer from 0 to 7" },
	{ "{\"cmd\":[{\"args\":[\"a\"],\"files\":[null,{\"name\":\"o\"}]},"
	    "{\"args\":[\"b\"]}],\"pipeMapping\":[{\"in\":{\"index\":0,"
	    "\"fd\":1},\"out\":{\"index\":1,\"fd\":0}}]}",
	    "pipeMapping[0]: cmd[0].files[1] must be null for a pipe" },
	{ "{\"cmd\":[{\"args\":[\"a\"]},{\"args\":[\"b\"]}],"
	    "\"pipeMapping\":[{\"in\":{\"index\":0,\"fd\":1},\"out\":"
	    "{\"index\":1,\"fd\":0}},{\"in\":{\"index\":0,\"fd\":1},"
	    "\"out\":{\"index\":1,\"fd\":3}}]}",
	    "pipeMapping[1]: an fd that pipeMapping[0] has already" },
	{ "{\"cmd\":[{\"args\":[\"a\"]}],\"pipeMapping\":[{\"in\":"
	    "{\"index\":0,\"fd\":1},\"out\":{\"index\":0,\"fd\":1}}]}",
	    "pipeMapping[0]: in and out are the same fd" },
	{ "{\"cmd\":[{\"args\":[\"a\"]}],\"pipeMapping\":[{\"in\":1}]}",
	    "pipeMapping[0]: in and out must be objects {\"index\", "
	    "\"fd\"}" },
	{ "{\"cmd\":[{\"args\":[\"a\"]},{\"args\":[\"b\"]}],"
	    "\"pipeMapping\":[{\"in\":{\"index\":0,\"fd\":1},\"out\":"
	    "{\"index\":1,\"fd\":0},\"proxy\":1}]}",
	    "pipeMapping[0].proxy: not a boolean" },
	{ "{\"cmd\":[1,2,3,4,5,6,7,8,9]}", "cmd: more than 8 commands" },
	{ "{\"cmd\":[{\"args\":[\"a\"]},{\"args\":1}]}",
	    "cmd[1].args: must be a non-empty array" },

	{ "{\"cmd\":[{\"args\":[\"a\"]}],\"pipeMapping\":{}}",
	    "pipeMapping: not an array" },
	{ "{\"cmd\":[{\"args\":[\"a\"],\"copyIn\":{\"a.cc\":{\"fileId\":"
	    "5}}}]}", "cmd[0].copyIn[\"a.cc\"].fileId: not a string" },
	{ "{\"cmd\":[{\"args\":[\"a\"],\"copyIn\":{\"a.cc\":{\"content\":"
	    "5}}}]}", "cmd[0].copyIn[\"a.cc\"].content: not a string" },
	{ "{\"cmd\":[{\"args\":[\"a\"],\"copyIn\":{\"a.cc\":{}}}]}",
	    "cmd[0].copyIn[\"a.cc\"]: needs content, src, fileId or "
	    "symlink" },
	{ "{\"cmd\":[{\"args\":[\"a\"],\"copyIn\":{\"l\":{\"symlink\":"
	    "\"\"}}}]}", "cmd[0].copyIn[\"l\"].symlink: empty, longer than "
	    "255 bytes, or with a NUL" },
	{ "{\"cmd\":[{\"args\":[\"a\"],\"copyIn\":{\"l\":{\"symlink\":"
	    "7}}}]}", "cmd[0].copyIn[\"l\"].symlink: not a string" },
	{ "{\"cmd\":[{\"args\":[\"a\"],\"copyIn\":{\"a.cc\":{\"src\":"
	    "\"rel/path\"}}}]}", "cmd[0].copyIn[\"a.cc\"].src: not an "
	    "absolute path" },
	{ "{\"cmd\":[{\"args\":[\"a\"],\"files\":[{\"src\":5}]}]}",
	    "cmd[0].files[0].src: not a string" },
	{ "{\"cmd\":[{\"args\":[\"a\"],\"copyIn\":{\"a.cc\":\"x\"}}]}",
	    "cmd[0].copyIn[\"a.cc\"]: not an object" },
	{ "{\"cmd\":[{\"args\":[\"a\"],\"copyIn\":[]}]}",
	    "cmd[0].copyIn: not an object" },
	{ "{\"cmd\":[{\"args\":[\"a\"],\"copyIn\":{\"../x\":{\"content\":"
	    "\"\"}}}]}", "cmd[0].copyIn: path \"../x\": has a . or .. part" },
	{ "{\"cmd\":[{\"args\":[\"a\"],\"copyOut\":[\"/etc/passwd\"]}]}",
	    "cmd[0].copyOut[0]: not relative to /w" },
	{ "{\"cmd\":[{\"args\":[\"a\"],\"copyOut\":[\"o\",\"a//b?\"]}]}",
	    "cmd[0].copyOut[1]: has an empty part (// or a trailing /)" },
	{ "{\"cmd\":[{\"args\":[\"a\"],\"copyOut\":[\"?\"]}]}",
	    "cmd[0].copyOut[0]: empty" },
	{ "{\"cmd\":[{\"args\":[\"a\"],\"copyOut\":[1]}]}",
	    "cmd[0].copyOut[0]: not a string" },
	{ "{\"cmd\":[{\"args\":[\"a\"],\"copyOut\":\"o\"}]}",
	    "cmd[0].copyOut: not an array" },
	{ "{\"cmd\":[{\"args\":[\"a\"],\"copyOutMax\":-1}]}",
	    "cmd[0].copyOutMax: not a non-negative integer" },
	{ "{\"cmd\":[{\"args\":[\"a\"],\"copyOutTruncate\":1}]}",
	    "cmd[0].copyOutTruncate: not a boolean" },
	{ "{\"cmd\":[{\"args\":[\"a\"],\"copyOutCached\":[\"/a\"]}]}",
	    "cmd[0].copyOutCached[0]: not relative to /w" },
	{ "{\"cmd\":[{\"args\":[\"a\"],\"tty\":true}]}",
	    "cmd[0].tty: not supported yet" },
	{ "{\"cmd\":[{\"args\":[\"a\"],\"files\":[{\"fileId\":[]}]}]}",
	    "cmd[0].files[0].fileId: not a string" },
	{ "{\"cmd\":[{\"args\":[\"a\"],\"files\":[{\"streamIn\":true}]}]}",
	    "cmd[0].files[0].streamIn: not supported yet" },
	{ "{\"cmd\":[{\"args\":[\"a\"],\"files\":[null,{\"name\":\"o\","
	    "\"pipe\":true}]}]}", "cmd[0].files[1].pipe: not supported yet" },
	{ "{\"cmd\":[{\"args\":[\"a\"],\"files\":[{\"symlink\":\"b\"}]}]}",
	    "cmd[0].files[0].symlink: not supported yet" },
	{ "{\"cmd\":[{\"args\":[\"a\"],\"files\":[null,{\"streamOut\":true}]}"
	    "]}", "cmd[0].files[1].streamOut: not supported yet" },
};

static void
test_bad(void)
{
	char	 err[WR_REASONLEN], name[WR_REASONLEN + 32];
	size_t	 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(name, sizeof(name), "400: %s", bad[i].reason);
		CHECK(run(bad[i].json, err, sizeof(err)) == -1 &&
		    strcmp(err, bad[i].reason) == 0 && nmsgs == 0, name);
		if (strcmp(err, bad[i].reason) != 0)
			printf("# got: %s\n", err);
	}
}

/* head, then n times piece, then tail, in a string of its own. */
static char *
repeat(const char *head, const char *piece, size_t n, const char *tail)
{
	char	*s;
	size_t	 hl = strlen(head), pl = strlen(piece), off, i;

	if ((s = malloc(hl + n * pl + strlen(tail) + 1)) == NULL)
		abort();
	memcpy(s, head, hl);
	for (i = 0, off = hl; i < n; i++, off += pl)
		memcpy(s + off, piece, pl);
	memcpy(s + off, tail, strlen(tail) + 1);
	return s;
}

/* run() of a request built by repeat(): whether it was taken. */
static int
run_repeat(const char *head, const char *piece, size_t n, const char *tail,
    char *err, size_t errlen)
{
	char	*json;
	int	 rc;

	json = repeat(head, piece, n, tail);
	rc = run(json, err, errlen);
	free(json);
	return rc;
}

/* Bounds: each named in its reason, and what fits is taken. */
static void
test_bounds(void)
{
	char		 err[WR_REASONLEN], *deep;
	const char	*a = "{\"cmd\":[{\"args\":[\"a\"";
	const char	*x = "{\"cmd\":[{\"args\":[\"a\"],\"x\":";
	const char	*xa = "{\"cmd\":[{\"args\":[\"a\"],\"x\":[";
	const char	*xs = "{\"cmd\":[{\"args\":[\"a\"],\"x\":\"";

	CHECK(run_repeat(a, ",\"\"", WR_MAXARGV - 1, "]}]}", err,
	    sizeof(err)) == 0, "1024 args are taken");
	CHECK(run_repeat(a, ",\"\"", WR_MAXARGV, "]}]}", err,
	    sizeof(err)) == -1 &&
	    strcmp(err, "cmd[0].args: more than 1024 strings") == 0,
	    "1025 are not");

	/* WR_ENVLEN bytes with the NUL. */
	CHECK(run_repeat("{\"cmd\":[{\"args\":[\"a\"],\"env\":[\"", "e",
	    WR_ENVLEN - 1, "\"]}]}", err, sizeof(err)) == 0,
	    "16384 bytes of env taken");
	CHECK(run_repeat("{\"cmd\":[{\"args\":[\"a\"],\"env\":[\"", "e",
	    WR_ENVLEN, "\"]}]}", err, sizeof(err)) == -1 && strcmp(err,
	    "cmd[0].env: more than 16384 bytes with a NUL after each string")
	    == 0, "one more is not");

	/* Nesting and the number of values, before jansson sees them. */
	deep = repeat(x, "[", 40, "");
	CHECK(run_repeat(deep, "]", 40, "}]}", err, sizeof(err)) == -1 &&
	    strcmp(err, "request: nested deeper than 32 levels") == 0,
	    "deep nesting refused");
	free(deep);
	CHECK(run_repeat(xa, "0,", 70000, "0]}]}", err, sizeof(err)) == -1 &&
	    strcmp(err, "request: more than 65536 JSON values") == 0,
	    "70000 values refused");
	CHECK(run_repeat(xs, ",[\\\"", 70000, "\"}]}", err, sizeof(err)) == 0,
	    "commas and brackets inside a string are not values");
}

/*
 * Hydro's interactive judge (judge/interactive.ts): the program and the
 * interactor, each one's stdout the other's stdin, through proxies with
 * names; their files leave those fds null.
 */
static void
test_pipes(void)
{
	const struct prun_req	*r;
	char			 err[WR_REASONLEN];

	CHECK(run("{\"cmd\":[{\"args\":[\"./a\"],\"files\":[null,null,"
	    "{\"name\":\"stderr\",\"max\":4}]},{\"args\":[\"./i\"],"
	    "\"files\":[null,null,{\"name\":\"stderr\",\"max\":4}]}],"
	    "\"pipeMapping\":[{\"in\":{\"index\":0,\"fd\":1},\"out\":"
	    "{\"index\":1,\"fd\":0},\"name\":\"userToInteractor\","
	    "\"proxy\":true,\"max\":1024},{\"in\":{\"index\":1,\"fd\":1},"
	    "\"out\":{\"index\":0,\"fd\":0},\"name\":\"interactorToUser\","
	    "\"proxy\":false}]}", err, sizeof(err)) == 0,
	    "an interactive pair");
	if (nmsgs != 3 || msgs[2].type != IMSG_PRUN_REQ)
		return;
	r = msgs[2].data;
	CHECK(msgs[0].type == IMSG_PRUN_CMD && msgs[1].type == IMSG_PRUN_CMD,
	    "both commands, then the request");
	CHECK(r->ncmds == 2 && r->npipes == 2, "two commands, two pipes");
	CHECK(r->pipes[0].w_cmd == 0 && r->pipes[0].w_fd == 1 &&
	    r->pipes[0].r_cmd == 1 && r->pipes[0].r_fd == 0,
	    "in is the writer, out the reader");
	CHECK(r->pipes[0].proxy == 1 && r->pipes[0].max == 1024 &&
	    strcmp(r->pipes[0].name, "userToInteractor") == 0,
	    "a proxy keeps its name and max");
	CHECK(r->pipes[1].proxy == 0 && r->pipes[1].name[0] == '\0',
	    "without proxy a name is not kept, as in go-judge");
}

int
main(void)
{
	log_init(1, 0);
	prun_init();
	test_hydro();
	test_fields();
	test_pipes();
	test_bad();
	test_bounds();
	reset();
	return TEST_DONE();
}
