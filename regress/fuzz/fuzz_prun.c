/* srcs: daemon/prun.c common/util.c common/log.c common/vocab.c */
/*
 * libFuzzer target for the /run parser: the input is a request body.
 * Whatever the bytes, the parser refuses them with a printable reason
 * and sends nothing, or it sends what the monitor expects: each
 * command's inputs as sealed memfds (or host paths) on distinct fds it
 * says are inputs, its copyIn files as sealed memfds or host paths,
 * then each command in order with counts and NULs that agree, then the
 * request, all under the one id and within every bound of
 * common/proto.h.
 */
#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "proto.h"
#include "../../daemon/daemon.h"

#define FUZZ_ID		7

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static uint32_t	 f_ncmds;		/* IMSG_PRUN_CMDs seen */
static uint32_t	 f_inputs[WR_MAXCMDS];	/* fds given a memfd, as bits */
static uint32_t	 f_copyin[WR_MAXCMDS];	/* copyIn files sent */
static int	 f_done;		/* IMSG_PRUN_REQ seen */
static int	 f_nmsgs;		/* messages of any type */

/* The NUL-separated strings of an area: exactly n, within it. */
static void
check_area(const char *area, size_t len, uint32_t n)
{
	size_t		 off = 0, l;
	uint32_t	 i;

	if (n > WR_MAXARGV)
		abort();
	for (i = 0; i < n; i++) {
		if (off >= len || (l = strnlen(area + off, len - off)) ==
		    len - off)
			abort();
		off += l + 1;
	}
}

static void
check_cmd(const struct prun_cmd *c)
{
	const struct pfile	*pf;
	uint32_t		 f;

	if (c->index != f_ncmds || c->nargs < 1 || c->nfiles > WR_MAXFDS ||
	    c->strict_memory > 1 || c->address_space > 1 ||
	    c->data_segment > 1 || (c->given & ~0xffu) != 0 ||
	    c->ncopyin != f_copyin[c->index] || c->ncopyout > WR_MAXCOPY ||
	    c->copyout_truncate > 1)
		abort();
	for (f = 0; f < c->ncopyout; f++)
		if ((c->copyout[f].flags &
		    ~(uint32_t)(CO_OPTIONAL | CO_CACHED | CO_ABSOLUTE)) != 0 ||
		    wpath_bad(c->copyout[f].name, strnlen(c->copyout[f].name,
		    sizeof(c->copyout[f].name))) != NULL)
			abort();
	check_area(c->args, sizeof(c->args), c->nargs);
	check_area(c->env, sizeof(c->env), c->nenv);
	for (f = 0; f < WR_MAXFDS; f++) {
		pf = &c->files[f];
		if (f >= c->nfiles && pf->kind != PF_NONE)
			abort();
		if ((pf->kind == PF_CONTENT) != ((f_inputs[c->index] >> f) & 1))
			abort();
		if (pf->kind == PF_COLLECT &&
		    memchr(pf->name, '\0', sizeof(pf->name)) == NULL)
			abort();
		if (pf->kind > PF_COLLECT)
			abort();
	}
	f_ncmds++;
}

int
net_send(uint32_t type, uint32_t id, int fd, const void *data, size_t len)
{
	const struct prun_file	*pf;
	const struct prun_req	*r;
	const struct prun_copyin *ci;
	const struct prun_src	*ps;
	const struct prun_pipe	*pp;
	uint64_t		 size;
	uint32_t		 i, used[WR_MAXCMDS];

	f_nmsgs++;
	if (id != FUZZ_ID || f_done)
		abort();
	switch (type) {
	case IMSG_PRUN_FILE:
		pf = data;
		if (len != sizeof(*pf) || fd == -1 ||
		    memfd_check_sealed(fd, &size) == -1 ||
		    pf->cmd != f_ncmds || pf->fd >= WR_MAXFDS ||
		    ((f_inputs[pf->cmd] >> pf->fd) & 1))
			abort();
		f_inputs[pf->cmd] |= 1u << pf->fd;
		close(fd);
		break;
	case IMSG_PRUN_COPYIN:
		ci = data;
		/* A file with its sealed memfd, a link with its target. */
		if (len != sizeof(*ci) ||
		    memchr(ci->target, '\0', sizeof(ci->target)) == NULL ||
		    (ci->target[0] == '\0' ? fd == -1 ||
		    memfd_check_sealed(fd, &size) == -1 : fd != -1) ||
		    ci->cmd != f_ncmds || f_copyin[ci->cmd] >= WR_MAXCOPY ||
		    wpath_bad(ci->path, strnlen(ci->path,
		    sizeof(ci->path))) != NULL)
			abort();
		f_copyin[ci->cmd]++;
		if (fd != -1)
			close(fd);
		break;
	case IMSG_PRUN_SRC:
		ps = data;
		if (len != sizeof(*ps) || fd != -1 || ps->cmd != f_ncmds ||
		    ps->fd > WR_MAXFDS || ps->fileid > 1 ||
		    (!ps->fileid && ps->src[0] != '/') ||
		    memchr(ps->src, '\0', sizeof(ps->src)) == NULL)
			abort();
		if (ps->fd == WR_MAXFDS) {
			if (f_copyin[ps->cmd] >= WR_MAXCOPY ||
			    wpath_bad(ps->path, strnlen(ps->path,
			    sizeof(ps->path))) != NULL)
				abort();
			f_copyin[ps->cmd]++;
		} else {
			if ((f_inputs[ps->cmd] >> ps->fd) & 1)
				abort();
			f_inputs[ps->cmd] |= 1u << ps->fd;
		}
		break;
	case IMSG_PRUN_CMD:
		if (len != sizeof(struct prun_cmd) || fd != -1 ||
		    f_ncmds >= WR_MAXCMDS)
			abort();
		check_cmd(data);
		break;
	case IMSG_PRUN_REQ:
		r = data;
		if (len != sizeof(*r) || fd != -1 || r->ncmds != f_ncmds ||
		    r->ncmds < 1 || r->npipes > WR_MAXPIPES)
			abort();
		/*
		 * Each fd the end of one pipe at most, and no input; names
		 * with proxies only.
		 */
		memcpy(used, f_inputs, sizeof(used));
		for (i = 0; i < r->npipes; i++) {
			pp = &r->pipes[i];
			if (pp->w_cmd >= r->ncmds || pp->r_cmd >= r->ncmds ||
			    pp->w_fd >= WR_MAXFDS || pp->r_fd >= WR_MAXFDS ||
			    pp->proxy > 1 || memchr(pp->name, '\0',
			    sizeof(pp->name)) == NULL ||
			    (!pp->proxy && pp->name[0] != '\0') ||
			    (used[pp->w_cmd] >> pp->w_fd & 1) ||
			    (used[pp->r_cmd] >> pp->r_fd & 1))
				abort();
			used[pp->w_cmd] |= 1u << pp->w_fd;
			if (used[pp->r_cmd] >> pp->r_fd & 1)
				abort();
			used[pp->r_cmd] |= 1u << pp->r_fd;
		}
		f_done = 1;
		break;
	default:
		abort();
	}
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int	 seeded;
	struct prun	*p;
	char		 err[WR_REASONLEN];
	size_t		 i;

	if (!seeded) {
		prun_init();
		seeded = 1;
	}
	f_ncmds = 0;
	f_done = 0;
	f_nmsgs = 0;
	memset(f_inputs, 0, sizeof(f_inputs));
	memset(f_copyin, 0, sizeof(f_copyin));
	if ((p = prun_parse((const char *)data, size, err, sizeof(err))) ==
	    NULL) {
		if (err[0] == '\0')
			abort();
		/* error_format() cleans it, but a reason must read well. */
		for (i = 0; err[i] != '\0'; i++)
			if ((err[i] < 0x20 || err[i] >= 0x7f) &&
			    strncmp(err, "not valid JSON", 14) != 0)
				abort();
		if (f_nmsgs != 0)
			abort();
		return 0;
	}
	if (prun_send(p, FUZZ_ID) == 0 && !f_done)
		abort();
	prun_free(p);
	return 0;
}
