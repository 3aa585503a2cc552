/*
 * POST /run: go-judge's request (webrunnerd-api(7)), parsed here into the
 * typed, bounded messages of common/proto.h, so that the monitor never
 * parses client text.  Every rule of the JSON is checked here and a
 * violation is a reason naming the field ("cmd[0].args[1]: not a
 * string"), which http.c answers with a 400; nothing of a bad request
 * reaches the monitor.
 *
 * As go-judge does, fields this file does not know are ignored, and a
 * null is taken for a field that was left out.  What go-judge has and
 * webrunnerd does not yet (more than one command, pipeMapping, symlink or
 * a stream, tty) is refused with a reason saying so, never ignored: a
 * judge must not get an answer to a request that was not what it asked.
 *
 * The body is scanned before jansson sees it, so that neither its
 * nesting nor the number of values in it (each a small allocation) can
 * grow with the body's size beyond a fixed bound.
 */
#include <sys/types.h>
#include <sys/mman.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>

#include <jansson.h>

#include "common.h"
#include "proto.h"
#include "daemon.h"

#define PRUN_MAXDEPTH	32	/* arrays and objects inside each other */
#define PRUN_MAXVALUES	65536	/* JSON values in one request */
#define PRUN_WHERELEN	64	/* "cmd[7].files[7]" and the like */

/* A command's input on one fd, still inside the parsed JSON. */
struct prun_input {
	const char	*data;		/* NULL: none */
	size_t		 len;
	const char	*src;		/* or a host path, checked */
	int		 fileid;	/* src is a stored file's id */
};

/* A copyIn file, still inside the parsed JSON. */
struct prun_copy {
	uint32_t	 cmd;
	const char	*path;		/* a key of the JSON, checked */
	size_t		 pathlen;
	struct prun_input content;
	const char	*target;	/* a symbolic link, checked */
	size_t		 targetlen;
};

struct prun {
	json_t			*root;
	struct prun_req		 req;
	struct prun_cmd		 cmds[WR_MAXCMDS];
	struct prun_input	 in[WR_MAXCMDS][WR_MAXFDS];
	struct prun_copy	 copyin[WR_MAXCOPY];	/* of all commands */
	uint32_t		 ncopyin;
	char			*err;
	size_t			 errlen;
};

static int	 prun_scan(struct prun *, const char *, size_t);
static int	 prun_command(struct prun *, json_t *, uint32_t);
static int	 prun_strings(struct prun *, json_t *, const char *,
		    const char *, char *, size_t, uint32_t *);
static int	 prun_files(struct prun *, json_t *, const char *, uint32_t);
static int	 prun_file(struct prun *, json_t *, const char *, uint32_t,
		    uint32_t);
static int	 prun_copyin(struct prun *, json_t *, const char *, uint32_t);
static int	 prun_input(struct prun *, json_t *, const char *,
		    struct prun_input *);
static void	 prun_send_src(uint32_t, uint32_t, uint32_t, const char *,
		    size_t, const struct prun_input *);
static int	 prun_copyout(struct prun *, json_t *, const char *, uint32_t,
		    const char *, uint32_t);
static int	 prun_limit(struct prun *, json_t *, const char *,
		    const char *, uint32_t, uint32_t *, uint64_t *);
static int	 prun_bool(struct prun *, json_t *, const char *,
		    const char *, uint32_t *);
static int	 prun_later(struct prun *, json_t *, const char *,
		    const char *);
static int	 prun_pipe(struct prun *, json_t *, uint32_t);
static int	 prun_pipe_end(struct prun *, json_t *, const char *,
		    uint32_t *, uint32_t *);
static const char *prun_shown(const char *, size_t, char *, size_t);
static int	 prun_fail(struct prun *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

/* The limits of a command: JSON name, PL_ bit, where the value goes. */
static const struct {
	const char	*key;
	uint32_t	 bit;
	size_t		 off;
} prun_limits[] = {
	{ "cpuLimit",		PL_CPU,		offsetof(struct prun_cmd, cpu_ns) },
	{ "clockLimit",		PL_CLOCK,	offsetof(struct prun_cmd, clock_ns) },
	{ "memoryLimit",	PL_MEMORY,	offsetof(struct prun_cmd, memory) },
	{ "stackLimit",		PL_STACK,	offsetof(struct prun_cmd, stack) },
	{ "procLimit",		PL_PROC,	offsetof(struct prun_cmd, proc) },
	{ "cpuRateLimit",	PL_CPURATE,	offsetof(struct prun_cmd, cpu_rate) },
	{ "instructionLimit",	PL_INSTR,	offsetof(struct prun_cmd, instructions) },
};

/*
 * Before the privilege drop: the seed of jansson's hash tables comes from
 * /dev/urandom while there is one, so that no client can choose keys
 * that all fall in one bucket.
 */
void
prun_init(void)
{
	json_object_seed(0);
}

/*
 * Parse a /run body.  Returns the request ready for prun_send(), or NULL
 * with the reason for a 400 in err.
 */
struct prun *
prun_parse(const char *buf, size_t len, char *err, size_t errlen)
{
	struct prun	*p;
	json_error_t	 je;
	json_t		*cmds, *c, *pm;
	size_t		 i;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		fatal("%s", __func__);
	p->err = err;
	p->errlen = errlen;
	if (len == 0) {
		prun_fail(p, "empty body: POST a JSON request");
		goto fail;
	}
	if (prun_scan(p, buf, len) == -1)
		goto fail;
	/* Inputs may hold NULs; strings that must not are checked below. */
	if ((p->root = json_loadb(buf, len, JSON_ALLOW_NUL, &je)) == NULL) {
		prun_fail(p, "not valid JSON: %s at line %d column %d",
		    je.text, je.line, je.column);
		goto fail;
	}
	if (!json_is_object(p->root)) {
		prun_fail(p, "request: not a JSON object");
		goto fail;
	}

	cmds = json_object_get(p->root, "cmd");
	if (!json_is_array(cmds) || json_array_size(cmds) == 0) {
		prun_fail(p, "cmd: must be a non-empty array");
		goto fail;
	}
	if (json_array_size(cmds) > WR_MAXCMDS) {
		prun_fail(p, "cmd: more than %d commands", WR_MAXCMDS);
		goto fail;
	}
	json_array_foreach(cmds, i, c)
		if (prun_command(p, c, (uint32_t)i) == -1)
			goto fail;
	p->req.ncmds = (uint32_t)json_array_size(cmds);

	c = json_object_get(p->root, "pipeMapping");
	if (c != NULL && !json_is_null(c)) {
		if (!json_is_array(c)) {
			prun_fail(p, "pipeMapping: not an array");
			goto fail;
		}
		if (json_array_size(c) > WR_MAXPIPES) {
			prun_fail(p, "pipeMapping: more than %d pipes",
			    WR_MAXPIPES);
			goto fail;
		}
		json_array_foreach(c, i, pm)
			if (prun_pipe(p, pm, (uint32_t)i) == -1)
				goto fail;
	}
	return p;
fail:
	prun_free(p);
	return NULL;
}

void
prun_free(struct prun *p)
{
	if (p == NULL)
		return;
	json_decref(p->root);
	free(p);
}

/*
 * Hand a parsed request to the monitor under the pending request's id:
 * for each command in order its inputs (IMSG_PRUN_FILE, by fd), then the
 * command (IMSG_PRUN_CMD); last IMSG_PRUN_REQ.  Every memfd is made
 * before anything is sent: -1 means nothing was.  Once the first message
 * is queued, failing to queue the rest would leave the monitor holding
 * half a request, so that is fatal and the monitor starts a fresh
 * network process.
 */
int
prun_send(struct prun *p, uint32_t id)
{
	struct prun_file	 pf;
	struct prun_copyin	 pc;
	int			 fds[WR_MAXCMDS][WR_MAXFDS];
	int			 cfds[WR_MAXCOPY];
	uint32_t		 i, f;
	int			 ok = 1;

	for (f = 0; f < WR_MAXCOPY; f++) {
		cfds[f] = -1;
		if (ok && f < p->ncopyin && p->copyin[f].content.src == NULL &&
		    p->copyin[f].target == NULL &&
		    (cfds[f] = prun_memfd(p->copyin[f].content.data,
		    p->copyin[f].content.len)) == -1)
			ok = 0;
	}
	for (i = 0; i < WR_MAXCMDS; i++)
		for (f = 0; f < WR_MAXFDS; f++) {
			fds[i][f] = -1;
			if (!ok || i >= p->req.ncmds ||
			    p->cmds[i].files[f].kind != PF_CONTENT ||
			    p->in[i][f].src != NULL)
				continue;
			if ((fds[i][f] = prun_memfd(p->in[i][f].data,
			    p->in[i][f].len)) == -1)
				ok = 0;
		}
	if (!ok) {
		for (i = 0; i < WR_MAXCMDS; i++)
			for (f = 0; f < WR_MAXFDS; f++)
				if (fds[i][f] != -1)
					close(fds[i][f]);
		for (f = 0; f < WR_MAXCOPY; f++)
			if (cfds[f] != -1)
				close(cfds[f]);
		return -1;
	}

	for (i = 0; i < p->req.ncmds; i++) {
		for (f = 0; f < WR_MAXFDS; f++) {
			if (p->cmds[i].files[f].kind == PF_CONTENT &&
			    p->in[i][f].src != NULL)
				prun_send_src(id, i, f, NULL, 0,
				    &p->in[i][f]);
			if (fds[i][f] == -1)
				continue;
			memset(&pf, 0, sizeof(pf));
			pf.cmd = i;
			pf.fd = f;
			/* The imsg layer owns the fd from here, sent or not. */
			if (net_send(IMSG_PRUN_FILE, id, fds[i][f], &pf,
			    sizeof(pf)) == -1)
				fatalx("request %u: cannot queue its input", id);
			fds[i][f] = -1;
		}
		for (f = 0; f < p->ncopyin; f++) {
			if (p->copyin[f].cmd != i)
				continue;
			if (p->copyin[f].content.src != NULL) {
				prun_send_src(id, i, WR_MAXFDS,
				    p->copyin[f].path, p->copyin[f].pathlen,
				    &p->copyin[f].content);
				continue;
			}
			memset(&pc, 0, sizeof(pc));
			pc.cmd = i;
			memcpy(pc.path, p->copyin[f].path,
			    p->copyin[f].pathlen);
			if (p->copyin[f].target != NULL)
				memcpy(pc.target, p->copyin[f].target,
				    p->copyin[f].targetlen);
			if (net_send(IMSG_PRUN_COPYIN, id, cfds[f], &pc,
			    sizeof(pc)) == -1)
				fatalx("request %u: cannot queue a copyIn file",
				    id);
			cfds[f] = -1;
		}
		if (net_send(IMSG_PRUN_CMD, id, -1, &p->cmds[i],
		    sizeof(p->cmds[i])) == -1)
			fatalx("request %u: cannot queue command %u", id, i);
	}
	if (net_send(IMSG_PRUN_REQ, id, -1, &p->req, sizeof(p->req)) == -1)
		fatalx("request %u: cannot queue it", id);
	return 0;
}

/*
 * An input or copyIn file from a host path or the file store, for the
 * monitor to open.
 */
static void
prun_send_src(uint32_t id, uint32_t cmd, uint32_t fd, const char *path,
    size_t pathlen, const struct prun_input *in)
{
	static struct prun_src	 ps;

	memset(&ps, 0, sizeof(ps));
	ps.cmd = cmd;
	ps.fd = fd;
	ps.fileid = in->fileid;
	if (path != NULL)
		memcpy(ps.path, path, pathlen);
	strlcpy(ps.src, in->src, sizeof(ps.src));
	if (net_send(IMSG_PRUN_SRC, id, -1, &ps, sizeof(ps)) == -1)
		fatalx("request %u: cannot queue a src file", id);
}

/*
 * A sealed memfd holding what buf holds, drained: the monitor and the
 * runner can rely on it never changing.  -1 with errno on failure.
 */
int
prun_memfd_buffer(const char *name, struct evbuffer *buf)
{
	int	 fd, saved;

	if ((fd = memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING)) == -1)
		return -1;
	while (evbuffer_get_length(buf) > 0)
		if (evbuffer_write(buf, fd) <= 0)
			goto fail;
	if (memfd_seal_all(fd) == -1)
		goto fail;
	return fd;
fail:
	saved = errno;
	close(fd);
	errno = saved;
	return -1;
}

/* The same for len bytes at data, which are not copied on the way. */
int
prun_memfd(const void *data, size_t len)
{
	struct evbuffer	*buf;
	int		 fd;

	if ((buf = evbuffer_new()) == NULL)
		return -1;
	if (len > 0 && evbuffer_add_reference(buf, data, len, NULL, NULL) ==
	    -1) {
		evbuffer_free(buf);
		return -1;
	}
	if ((fd = prun_memfd_buffer("input", buf)) == -1)
		log_warn("%s", __func__);
	evbuffer_free(buf);
	return fd;
}

/*
 * Bound the nesting and the number of values before parsing.  Outside
 * strings every value but the first of a container follows a ',' and
 * every member's value a ':', so those and the brackets bound the count.
 * Strings are skipped as JSON reads them; where the body is not JSON,
 * jansson stops at the first error, before the two could disagree.
 */
static int
prun_scan(struct prun *p, const char *buf, size_t len)
{
	size_t		 i, nvalues = 1;
	int		 depth = 0, instr = 0;

	for (i = 0; i < len; i++) {
		if (instr) {
			if (buf[i] == '\\')
				i++;
			else if (buf[i] == '"')
				instr = 0;
			continue;
		}
		switch (buf[i]) {
		case '"':
			instr = 1;
			break;
		case '[':
		case '{':
			if (++depth > PRUN_MAXDEPTH)
				return prun_fail(p, "request: nested deeper "
				    "than %d levels", PRUN_MAXDEPTH);
			nvalues++;
			break;
		case ']':
		case '}':
			depth--;
			break;
		case ',':
		case ':':
			nvalues++;
			break;
		}
		if (nvalues > PRUN_MAXVALUES)
			return prun_fail(p, "request: more than %d JSON "
			    "values", PRUN_MAXVALUES);
	}
	return 0;
}

static int
prun_command(struct prun *p, json_t *c, uint32_t index)
{
	struct prun_cmd	*pc = &p->cmds[index];
	json_t		*v;
	char		 where[PRUN_WHERELEN];
	size_t		 i;
	uint64_t	 real;
	uint32_t	 realgiven = 0;

	snprintf(where, sizeof(where), "cmd[%u]", index);
	if (!json_is_object(c))
		return prun_fail(p, "%s: not an object", where);
	pc->index = index;

	v = json_object_get(c, "args");
	if (!json_is_array(v) || json_array_size(v) == 0)
		return prun_fail(p, "%s.args: must be a non-empty array",
		    where);
	if (prun_strings(p, v, where, "args", pc->args, sizeof(pc->args),
	    &pc->nargs) == -1)
		return -1;
	v = json_object_get(c, "env");
	if (v != NULL && !json_is_null(v)) {
		if (!json_is_array(v))
			return prun_fail(p, "%s.env: not an array", where);
		if (prun_strings(p, v, where, "env", pc->env,
		    sizeof(pc->env), &pc->nenv) == -1)
			return -1;
	}
	if (prun_files(p, json_object_get(c, "files"), where, index) == -1)
		return -1;

	for (i = 0; i < sizeof(prun_limits) / sizeof(prun_limits[0]); i++)
		if (prun_limit(p, c, where, prun_limits[i].key,
		    prun_limits[i].bit, &pc->given, (uint64_t *)(void *)
		    ((char *)pc + prun_limits[i].off)) == -1)
			return -1;
	/* As go-judge: a realCpuLimit above 0 is the clock limit. */
	if (prun_limit(p, c, where, "realCpuLimit", 1, &realgiven,
	    &real) == -1)
		return -1;
	if (realgiven && real > 0) {
		pc->clock_ns = real;
		pc->given |= PL_CLOCK;
	}
	if (prun_bool(p, c, where, "strictMemoryLimit",
	    &pc->strict_memory) == -1 ||
	    prun_bool(p, c, where, "addressSpaceLimit",
	    &pc->address_space) == -1 ||
	    prun_bool(p, c, where, "dataSegmentLimit",
	    &pc->data_segment) == -1)
		return -1;

	if (prun_copyin(p, json_object_get(c, "copyIn"), where, index) ==
	    -1 || prun_copyout(p, json_object_get(c, "copyOut"), where, index,
	    "copyOut", 0) == -1 ||
	    prun_limit(p, c, where, "copyOutMax", PL_COPYOUTMAX, &pc->given,
	    &pc->copyout_max) == -1 ||
	    prun_bool(p, c, where, "copyOutTruncate",
	    &pc->copyout_truncate) == -1)
		return -1;
	if (prun_copyout(p, json_object_get(c, "copyOutCached"), where,
	    index, "copyOutCached", CO_CACHED) == -1 ||
	    prun_later(p, c, where, "tty") == -1)
		return -1;
	return 0;
}

/*
 * A pipeMapping entry: {"in": {"index": i, "fd": f}, "out": {...},
 * "proxy": bool, "name": "...", "max": n}.  Bytes the command at "in"
 * writes to its fd come out of the fd of the command at "out".  Each end
 * names a command of the request and one of its fds that files leaves
 * null or out, and no fd is the end of two pipes.
 */
static int
prun_pipe(struct prun *p, json_t *pm, uint32_t i)
{
	struct prun_pipe	*pp = &p->req.pipes[i];
	char			 where[PRUN_WHERELEN];
	json_t			*v;
	uint32_t		 given = 0, k, proxy = 0;
	size_t			 n;

	snprintf(where, sizeof(where), "pipeMapping[%u]", i);
	if (!json_is_object(pm))
		return prun_fail(p, "%s: not an object", where);
	if (prun_pipe_end(p, json_object_get(pm, "in"), where, &pp->w_cmd,
	    &pp->w_fd) == -1 || prun_pipe_end(p, json_object_get(pm, "out"),
	    where, &pp->r_cmd, &pp->r_fd) == -1)
		return -1;
	if (prun_bool(p, pm, where, "proxy", &proxy) == -1 ||
	    prun_limit(p, pm, where, "max", 1, &given, &pp->max) == -1)
		return -1;
	pp->proxy = proxy;
	if ((v = json_object_get(pm, "name")) != NULL && !json_is_null(v)) {
		if (!json_is_string(v))
			return prun_fail(p, "%s.name: not a string", where);
		n = json_string_length(v);
		if (memchr(json_string_value(v), '\0', n) != NULL)
			return prun_fail(p, "%s.name: contains a NUL byte",
			    where);
		if (n >= sizeof(pp->name))
			return prun_fail(p, "%s.name: longer than %zu bytes",
			    where, sizeof(pp->name) - 1);
		/* As go-judge: a name is kept only through a proxy. */
		if (proxy)
			memcpy(pp->name, json_string_value(v), n + 1);
	}
	if (pp->w_cmd == pp->r_cmd && pp->w_fd == pp->r_fd)
		return prun_fail(p, "%s: in and out are the same fd", where);
	for (k = 0; k < i; k++) {
		const struct prun_pipe *o = &p->req.pipes[k];

		if ((o->w_cmd == pp->w_cmd && o->w_fd == pp->w_fd) ||
		    (o->r_cmd == pp->w_cmd && o->r_fd == pp->w_fd) ||
		    (o->w_cmd == pp->r_cmd && o->w_fd == pp->r_fd) ||
		    (o->r_cmd == pp->r_cmd && o->r_fd == pp->r_fd))
			return prun_fail(p, "%s: an fd that pipeMapping[%u] "
			    "has already", where, k);
	}
	p->req.npipes = i + 1;
	return 0;
}

/* {"index": i, "fd": f}: a command of the request, an fd it leaves free. */
static int
prun_pipe_end(struct prun *p, json_t *e, const char *where, uint32_t *cmd,
    uint32_t *fd)
{
	json_t		*v;
	json_int_t	 n;
	const char	*keys[] = { "index", "fd" };
	uint32_t	*vals[] = { cmd, fd };
	size_t		 k;

	if (!json_is_object(e))
		return prun_fail(p, "%s: in and out must be objects {\"index\", "
		    "\"fd\"}", where);
	for (k = 0; k < 2; k++) {
		v = json_object_get(e, keys[k]);
		if (!json_is_integer(v) || (n = json_integer_value(v)) < 0 ||
		    n >= (k == 0 ? (json_int_t)p->req.ncmds : WR_MAXFDS))
			return prun_fail(p, "%s: %s must be an integer from 0 "
			    "to %d", where, keys[k], k == 0 ?
			    (int)p->req.ncmds - 1 : WR_MAXFDS - 1);
		*vals[k] = (uint32_t)n;
	}
	if (p->cmds[*cmd].files[*fd].kind != PF_NONE)
		return prun_fail(p, "%s: cmd[%u].files[%u] must be null for "
		    "a pipe", where, *cmd, *fd);
	return 0;
}

/*
 * copyIn: {"path": {"content": "..."}, {"src": "/host/path"},
 * {"fileId": "..."} or {"symlink": "target"}}, each path relative to /w.
 * The request's copyIn files together are at most WR_MAXCOPY.
 */
static int
prun_copyin(struct prun *p, json_t *obj, const char *where, uint32_t index)
{
	struct prun_copy	*pc;
	json_t			*f, *v;
	void			*it;
	const char		*path, *why;
	char			 fwhere[PRUN_WHERELEN + 64], shown[48];
	size_t			 len;

	if (obj == NULL || json_is_null(obj))
		return 0;
	if (!json_is_object(obj))
		return prun_fail(p, "%s.copyIn: not an object", where);
	for (it = json_object_iter(obj); it != NULL;
	    it = json_object_iter_next(obj, it)) {
		path = json_object_iter_key(it);
		len = json_object_iter_key_len(it);
		f = json_object_iter_value(it);
		prun_shown(path, len, shown, sizeof(shown));
		if (len > 3 && strncmp(path, "/w/", 3) == 0) {
			path += 3;	/* /w/x is x, as in go-judge */
			len -= 3;
		}
		if ((why = wpath_bad(path, len)) != NULL)
			return prun_fail(p, "%s.copyIn: path \"%s\": %s",
			    where, shown, why);
		if (p->ncopyin >= WR_MAXCOPY)
			return prun_fail(p, "%s.copyIn: more than %d files in "
			    "the request", where, WR_MAXCOPY);
		snprintf(fwhere, sizeof(fwhere), "%s.copyIn[\"%s\"]", where,
		    shown);
		if (!json_is_object(f))
			return prun_fail(p, "%s: not an object", fwhere);
		pc = &p->copyin[p->ncopyin];
		if (prun_input(p, f, fwhere, &pc->content) == -1)
			return -1;
		if (pc->content.data == NULL && pc->content.src == NULL &&
		    (v = json_object_get(f, "symlink")) != NULL &&
		    !json_is_null(v)) {
			/* Where it points is the program's: nothing follows. */
			if (!json_is_string(v))
				return prun_fail(p, "%s.symlink: not a string",
				    fwhere);
			pc->target = json_string_value(v);
			pc->targetlen = json_string_length(v);
			if (pc->targetlen == 0 || pc->targetlen >= WR_PATHLEN ||
			    memchr(pc->target, '\0', pc->targetlen) != NULL)
				return prun_fail(p, "%s.symlink: empty, longer "
				    "than %d bytes, or with a NUL", fwhere,
				    WR_PATHLEN - 1);
		}
		if (pc->content.data == NULL && pc->content.src == NULL &&
		    pc->target == NULL)
			return prun_fail(p, "%s: needs content, src, fileId "
			    "or symlink", fwhere);
		p->ncopyin++;
		pc->cmd = index;
		pc->path = path;
		pc->pathlen = len;
		p->cmds[index].ncopyin++;
	}
	return 0;
}

/*
 * copyOut (or, with CO_CACHED in flags, copyOutCached): names relative
 * to /w; a trailing `?' makes one optional.  A command's names of both
 * together are at most WR_MAXCOPY.
 */
static int
prun_copyout(struct prun *p, json_t *a, const char *where, uint32_t index,
    const char *key, uint32_t flags)
{
	struct prun_cmd		*pc = &p->cmds[index];
	struct pcopyout		*co;
	json_t			*v;
	const char		*name, *why;
	size_t			 i, len;

	if (a == NULL || json_is_null(a))
		return 0;
	if (!json_is_array(a))
		return prun_fail(p, "%s.%s: not an array", where, key);
	json_array_foreach(a, i, v) {
		if (!json_is_string(v))
			return prun_fail(p, "%s.%s[%zu]: not a string", where,
			    key, i);
		if (pc->ncopyout >= WR_MAXCOPY)
			return prun_fail(p, "%s: more than %d names in copyOut "
			    "and copyOutCached", where, WR_MAXCOPY);
		name = json_string_value(v);
		len = json_string_length(v);
		co = &pc->copyout[pc->ncopyout];
		co->flags = flags;
		if (len > 0 && name[len - 1] == '?') {
			co->flags |= CO_OPTIONAL;
			len--;
		}
		/* As go-judge, /w/x is x: Hydro's interactor writes /w/tout. */
		if (len > 3 && strncmp(name, "/w/", 3) == 0) {
			co->flags |= CO_ABSOLUTE;
			name += 3;
			len -= 3;
		}
		if ((why = wpath_bad(name, len)) != NULL)
			return prun_fail(p, "%s.%s[%zu]: %s", where, key, i,
			    why);
		memcpy(co->name, name, len);
		pc->ncopyout++;
	}
	return 0;
}

/*
 * An array of strings into area, NUL-separated, with its count in *np:
 * args (at least one, checked by the caller) or env, whose entries may
 * be empty (Hydro's list ends with one).
 */
static int
prun_strings(struct prun *p, json_t *a, const char *where, const char *key,
    char *area, size_t arealen, uint32_t *np)
{
	json_t		*s;
	const char	*str;
	size_t		 i, n, off = 0;

	if (json_array_size(a) > WR_MAXARGV)
		return prun_fail(p, "%s.%s: more than %d strings", where, key,
		    WR_MAXARGV);
	json_array_foreach(a, i, s) {
		if (!json_is_string(s))
			return prun_fail(p, "%s.%s[%zu]: not a string", where,
			    key, i);
		str = json_string_value(s);
		n = json_string_length(s);
		if (memchr(str, '\0', n) != NULL)
			return prun_fail(p, "%s.%s[%zu]: contains a NUL byte",
			    where, key, i);
		if (n >= arealen - off)
			return prun_fail(p, "%s.%s: more than %zu bytes with "
			    "a NUL after each string", where, key, arealen);
		memcpy(area + off, str, n + 1);
		off += n + 1;
	}
	*np = (uint32_t)json_array_size(a);
	return 0;
}

/* files: index = fd; null or left out is a closed fd. */
static int
prun_files(struct prun *p, json_t *files, const char *where, uint32_t index)
{
	json_t		*f;
	char		 fwhere[PRUN_WHERELEN + 32];
	size_t		 i;

	if (files == NULL || json_is_null(files))
		return 0;
	if (!json_is_array(files))
		return prun_fail(p, "%s.files: not an array", where);
	if (json_array_size(files) > WR_MAXFDS)
		return prun_fail(p, "%s.files: more than %d files", where,
		    WR_MAXFDS);
	json_array_foreach(files, i, f) {
		snprintf(fwhere, sizeof(fwhere), "%s.files[%zu]", where, i);
		if (prun_file(p, f, fwhere, index, (uint32_t)i) == -1)
			return -1;
	}
	p->cmds[index].nfiles = (uint32_t)json_array_size(files);
	return 0;
}

/*
 * One file: {"content": "..."} is an input, {"name": "...", "max": N} a
 * collector, null a closed fd.  go-judge needs max with a name; here it
 * may be left out, and the monitor's default applies.
 */
static int
prun_file(struct prun *p, json_t *f, const char *where, uint32_t index,
    uint32_t fd)
{
	struct pfile	*pf = &p->cmds[index].files[fd];
	json_t		*v;
	const char	*later[] = { "symlink", "streamIn", "streamOut",
			    "pipe" };
	size_t		 i, n;
	uint32_t	 given = 0;

	if (json_is_null(f))
		return 0;
	if (!json_is_object(f))
		return prun_fail(p, "%s: not an object or null", where);
	for (i = 0; i < sizeof(later) / sizeof(later[0]); i++)
		if (prun_later(p, f, where, later[i]) == -1)
			return -1;

	if (prun_input(p, f, where, &p->in[index][fd]) == -1)
		return -1;
	if (p->in[index][fd].data != NULL || p->in[index][fd].src != NULL) {
		pf->kind = PF_CONTENT;
		return 0;
	}
	if ((v = json_object_get(f, "name")) == NULL || json_is_null(v))
		return prun_fail(p, "%s: needs content, src, fileId, or a "
		    "name to collect the output under", where);
	if (!json_is_string(v))
		return prun_fail(p, "%s.name: not a string", where);
	n = json_string_length(v);
	if (memchr(json_string_value(v), '\0', n) != NULL)
		return prun_fail(p, "%s.name: contains a NUL byte", where);
	if (n >= sizeof(pf->name))
		return prun_fail(p, "%s.name: longer than %zu bytes", where,
		    sizeof(pf->name) - 1);
	memcpy(pf->name, json_string_value(v), n + 1);
	pf->kind = PF_COLLECT;
	return prun_limit(p, f, where, "max", 1, &given, &pf->max);
}

/*
 * What an input or copyIn file holds: {"content": "..."} in the JSON,
 * {"src": "/host/path"}, which the monitor opens only beneath a directory
 * the configuration allows, or {"fileId": "..."}, a file of the store;
 * none: in->data and in->src stay NULL.
 */
static int
prun_input(struct prun *p, json_t *f, const char *where,
    struct prun_input *in)
{
	json_t		*v;
	const char	*src, *key = "src";
	size_t		 n;

	if ((v = json_object_get(f, "content")) != NULL && !json_is_null(v)) {
		if (!json_is_string(v))
			return prun_fail(p, "%s.content: not a string", where);
		in->data = json_string_value(v);
		in->len = json_string_length(v);
		return 0;
	}
	if ((v = json_object_get(f, "src")) == NULL || json_is_null(v)) {
		key = "fileId";
		if ((v = json_object_get(f, key)) == NULL || json_is_null(v))
			return 0;
		in->fileid = 1;
	}
	if (!json_is_string(v))
		return prun_fail(p, "%s.%s: not a string", where, key);
	src = json_string_value(v);
	n = json_string_length(v);
	if (memchr(src, '\0', n) != NULL)
		return prun_fail(p, "%s.%s: contains a NUL byte", where, key);
	if (n >= WR_SRCLEN)
		return prun_fail(p, "%s.%s: longer than %d bytes", where, key,
		    WR_SRCLEN - 1);
	/* An id that cannot be one is the monitor's "no such file". */
	if (!in->fileid && src[0] != '/')
		return prun_fail(p, "%s.src: not an absolute path", where);
	in->src = src;
	return 0;
}

/*
 * A non-negative integer, as go-judge's uint64 fields want; left out or
 * null, *given keeps its bit clear.
 */
static int
prun_limit(struct prun *p, json_t *obj, const char *where, const char *key,
    uint32_t bit, uint32_t *given, uint64_t *val)
{
	json_t	*v;

	if ((v = json_object_get(obj, key)) == NULL || json_is_null(v))
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < 0)
		return prun_fail(p, "%s.%s: not a non-negative integer", where,
		    key);
	*val = (uint64_t)json_integer_value(v);
	*given |= bit;
	return 0;
}

static int
prun_bool(struct prun *p, json_t *obj, const char *where, const char *key,
    uint32_t *val)
{
	json_t	*v;

	if ((v = json_object_get(obj, key)) == NULL || json_is_null(v))
		return 0;
	if (!json_is_boolean(v))
		return prun_fail(p, "%s.%s: not a boolean", where, key);
	*val = json_is_true(v);
	return 0;
}

/*
 * A field of go-judge's that the next step brings: left out, null,
 * false, "", [] and {} ask for nothing and pass; anything else is
 * refused rather than ignored.
 */
static int
prun_later(struct prun *p, json_t *obj, const char *where, const char *key)
{
	json_t	*v;
	int	 empty;

	if ((v = json_object_get(obj, key)) == NULL)
		return 0;
	switch (json_typeof(v)) {
	case JSON_NULL:
	case JSON_FALSE:
		empty = 1;
		break;
	case JSON_ARRAY:
		empty = json_array_size(v) == 0;
		break;
	case JSON_OBJECT:
		empty = json_object_size(v) == 0;
		break;
	case JSON_STRING:
		empty = json_string_length(v) == 0;
		break;
	default:
		empty = 0;
		break;
	}
	if (empty)
		return 0;
	return prun_fail(p, "%s%s%s: not supported yet", where,
	    where[0] != '\0' ? "." : "", key);
}

/*
 * A client's path as a reason may show it: at most outlen - 1 bytes,
 * what is not printable ASCII as `?'.
 */
static const char *
prun_shown(const char *s, size_t len, char *out, size_t outlen)
{
	str_clean(out, outlen, s, len);
	return out;
}

/* The reason for the 400; always -1, for the caller to return. */
static int
prun_fail(struct prun *p, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(p->err, p->errlen, fmt, ap);
	va_end(ap);
	return -1;
}
