/*
 * A program-mode command as the network process sent it (struct
 * prun_cmd), checked again and turned into what its runner is sent
 * (struct pjob) and what the monitor enforces itself (struct plimits).
 *
 * The network process checked the JSON and every bound already, so a
 * message that breaks one here was not sent by a working network
 * process: that is a violation (code 0).  What the configuration rules
 * is decided here only: every limit is clamped to its cap, never refused,
 * since judges send fixed generous limits, and what was not given gets
 * its default.  The one refusal is a limit this host cannot enforce.
 */
#include <sys/types.h>

#include <stdio.h>
#include <string.h>

#include "common.h"
#include "monitor.h"

#define NS_PER_MS	1000000ULL

static int	 strings_ok(const char *, size_t, uint32_t);
static int	 collector(const struct prun_cmd *, const char *);
static uint64_t	 clamp(uint64_t, uint64_t);

/*
 * n NUL-terminated strings at the start of area, and nothing but NULs
 * after them: the receiver can walk them without looking further.
 */
static int
strings_ok(const char *area, size_t len, uint32_t n)
{
	size_t		 off = 0, l;
	uint32_t	 i;

	if (n > WR_MAXARGV)
		return 0;
	for (i = 0; i < n; i++) {
		if (off >= len)
			return 0;
		l = strnlen(area + off, len - off);
		if (off + l == len)
			return 0;	/* no NUL */
		off += l + 1;
	}
	for (; off < len; off++)
		if (area[off] != '\0')
			return 0;
	return 1;
}

/* The fd of the collector named name, or -1. */
static int
collector(const struct prun_cmd *c, const char *name)
{
	int	 i;

	for (i = 0; i < WR_MAXFDS; i++)
		if (c->files[i].kind == PF_COLLECT &&
		    strncmp(c->files[i].name, name, sizeof(c->files[i].name)) ==
		    0)
			return i;
	return -1;
}

/*
 * The fds whose collected output goes to the file store, a bit each:
 * those a copyOutCached name names.  For a checked command.
 */
uint32_t
prun_cached_fds(const struct prun_cmd *c)
{
	uint32_t	 i, bits = 0;
	int		 fd;

	for (i = 0; i < c->ncopyout; i++)
		if ((c->copyout[i].flags & CO_CACHED) &&
		    (fd = collector(c, c->copyout[i].name)) != -1)
			bits |= 1U << fd;
	return bits;
}

static uint64_t
clamp(uint64_t v, uint64_t cap)
{
	return v > cap ? cap : v;
}

int
prun_check(const struct prun_cmd *c, const struct prun_caps *caps,
    struct pjob *job, struct plimits *lim, int *code, char *err,
    size_t errlen)
{
	uint64_t	 time_ns = caps->time_ms * NS_PER_MS;
	uint32_t	 i;

	*code = 0;
	memset(job, 0, sizeof(*job));
	memset(lim, 0, sizeof(*lim));
	if (c->nargs < 1 || c->args[0] == '\0' ||
	    !strings_ok(c->args, sizeof(c->args), c->nargs) ||
	    !strings_ok(c->env, sizeof(c->env), c->nenv) ||
	    c->nfiles > WR_MAXFDS ||
	    (c->given & ~(PL_CPU | PL_CLOCK | PL_MEMORY | PL_STACK | PL_PROC |
	    PL_CPURATE | PL_INSTR | PL_COPYOUTMAX)) != 0 ||
	    c->ncopyin > WR_MAXCOPY || c->ncopyout > WR_MAXCOPY) {
		snprintf(err, errlen, "malformed command");
		return -1;
	}
	for (i = 0; i < WR_MAXCOPY; i++) {
		const struct pcopyout *co = &c->copyout[i];

		if (i >= c->ncopyout ? co->flags != 0 || co->name[0] != '\0' :
		    (co->flags & ~(CO_OPTIONAL | CO_CACHED | CO_ABSOLUTE)) !=
		    0 ||
		    wpath_bad(co->name, strnlen(co->name, sizeof(co->name))) !=
		    NULL) {
			snprintf(err, errlen, "malformed copyOut name");
			return -1;
		}
	}
	for (i = 0; i < WR_MAXFDS; i++) {
		const struct pfile *f = &c->files[i];

		if (i >= c->nfiles && f->kind != PF_NONE)
			goto badfile;
		switch (f->kind) {
		case PF_NONE:
		case PF_CONTENT:
			break;
		case PF_COLLECT:
			if (f->name[0] == '\0' ||
			    memchr(f->name, '\0', sizeof(f->name)) == NULL)
				goto badfile;
			break;
		default:
			goto badfile;
		}
	}

	/*
	 * Time: go-judge takes a missing clock limit to be the CPU limit;
	 * with neither, the cap is both.
	 */
	lim->cpu_ns = (c->given & PL_CPU) && c->cpu_ns > 0 ?
	    clamp(c->cpu_ns, time_ns) : time_ns;
	if ((c->given & PL_CLOCK) && c->clock_ns > 0)
		lim->clock_ns = clamp(c->clock_ns, time_ns);
	else
		lim->clock_ns = lim->cpu_ns;
	lim->memory = (c->given & PL_MEMORY) && c->memory > 0 ?
	    clamp(c->memory, caps->memory) : caps->memory;
	if (lim->memory < MEMLIMIT_MIN / 4)
		lim->memory = MEMLIMIT_MIN / 4;	/* the runner's own init */
	lim->proc = (c->given & PL_PROC) && c->proc > 0 ?
	    (uint32_t)clamp(c->proc, caps->proc) : caps->proc;
	if ((c->given & PL_CPURATE) && c->cpu_rate > 0)
		lim->cpu_rate = clamp(c->cpu_rate, 1000ULL * caps->ncpu);
	if ((c->given & PL_INSTR) && c->instructions > 0) {
		if (!caps->have_pmu) {
			*code = 400;
			snprintf(err, errlen, "instructionLimit: this host has "
			    "no hardware counter of retired instructions "
			    "(%s)", caps->pmu_reason);
			return -1;
		}
		lim->instructions = c->instructions;
	}

	job->nargs = c->nargs;
	job->nenv = c->nenv;
	memcpy(job->args, c->args, sizeof(job->args));
	memcpy(job->env, c->env, sizeof(job->env));
	/* The stack may be all of the memory, as go-judge allows. */
	job->stack = (c->given & PL_STACK) && c->stack > 0 ?
	    clamp(c->stack, lim->memory) : lim->memory;
	if (c->address_space)
		job->address_space = lim->memory;
	if (c->data_segment || c->strict_memory)
		job->data_segment = lim->memory;
	/* A collector's name is its output, not a file of /w (go-judge's). */
	for (i = 0; i < c->ncopyout; i++)
		if (collector(c, c->copyout[i].name) == -1)
			job->copyout[job->ncopyout++] = c->copyout[i];
	job->copyout_max = (c->given & PL_COPYOUTMAX) && c->copyout_max > 0 ?
	    clamp(c->copyout_max, caps->copyout) : caps->copyout;
	job->copyout_truncate = c->copyout_truncate != 0;
	job->file_size = caps->tmpfs;
	job->nofile = 256;
	/* A backstop: the monitor stops it at cpu_ns itself. */
	job->cpu_secs = lim->cpu_ns / (1000 * NS_PER_MS) + 2;
	return 0;
badfile:
	snprintf(err, errlen, "malformed file of a command");
	return -1;
}
