/*
 * Resolving a request: the raw query string of a run request, as the
 * network process forwarded it and trusted in nothing, against the kernel
 * specs loaded by spec.c.  The result is the job the runner gets, every
 * value checked and every expression evaluated, or a 400/404 with a
 * one-line reason that says what was wrong.
 */
#include <sys/types.h>
#include <sys/queue.h>

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/http.h>

#include "common.h"
#include "monitor.h"

#define EVENT_CHARS	"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ" \
			"0123456789_:.=-"
#define KSPEC_MAXPAIRS	(WR_MAXPARAMS + 3)	/* + kernel, repeat, events */

struct pair {
	char		 key[WR_NAMELEN];
	const char	*val;
};

struct rctx {
	const struct kspec	*ks;
	const int64_t		*values;
};

static int	 rfail(int *, int, char *, size_t, const char *, ...)
		    __attribute__((__format__(__printf__, 5, 6)));
static int	 split_query(const char *, char *, size_t, struct pair *,
		    size_t *, int *, char *, size_t);
static int	 parse_int(const char *, const char *, uint32_t, int64_t,
		    int64_t, int64_t *, int *, char *, size_t);
static int	 parse_events(const char *, struct job *, int *, char *,
		    size_t);
static int	 parse_limits(const char *, const char *,
		    const struct run_limits *, struct resolved *, int *, char *,
		    size_t);
static int	 unknown_param(const struct kspec *, const char *, int *,
		    char *, size_t);
static int	 resolve_lookup(void *, const char *, uint64_t *);
static void	 show(char *, size_t, const char *);

int
kspec_resolve(struct kspecs *specs, const char *query,
    const struct run_limits *lim, struct job *job, struct resolved *rsv,
    int *code, char *err, size_t errlen)
{
	struct pair		 pairs[KSPEC_MAXPAIRS];
	struct rctx		 rc;
	const struct kspec	*ks;
	const struct kbuf	*b;
	const char		*kname = NULL, *repeat = NULL, *events = NULL;
	const char		*tlim = NULL, *mlim = NULL;
	const char		*given[WR_MAXPARAMS];
	char			 arena[WR_QUERYLEN], shown[WR_NAMELEN + 8];
	char			 eerr[160];
	int64_t			 values[WR_MAXPARAMS], r;
	uint64_t		 count, offset, bytes, total = 0, ival;
	size_t			 npairs = 0, i;
	uint32_t		 rmax, rdef;
	int			 j, esz;

	*code = 400;
	memset(job, 0, sizeof(*job));
	memset(rsv, 0, sizeof(*rsv));
	memset(given, 0, sizeof(given));
	if (query == NULL)
		query = "";
	if (split_query(query, arena, sizeof(arena), pairs, &npairs, code,
	    err, errlen) == -1)
		return -1;
	for (i = 0; i < npairs; i++)
		if (strcmp(pairs[i].key, "kernel") == 0)
			kname = pairs[i].val;
	if (kname == NULL)
		return rfail(code, 400, err, errlen,
		    "missing parameter 'kernel'");
	if ((ks = kspec_find(specs, kname)) == NULL) {
		char	 list[WR_REASONLEN] = "";

		TAILQ_FOREACH(ks, specs, entry) {
			if (list[0] != '\0')
				strlcat(list, ", ", sizeof(list));
			strlcat(list, ks->name, sizeof(list));
		}
		show(shown, sizeof(shown), kname);
		return rfail(code, 404, err, errlen, "no kernel '%s' here; "
		    "there are: %s", shown, list[0] != '\0' ? list : "none");
	}

	for (i = 0; i < npairs; i++) {
		if (strcmp(pairs[i].key, "kernel") == 0)
			continue;
		if (strcmp(pairs[i].key, "repeat") == 0)
			repeat = pairs[i].val;
		else if (strcmp(pairs[i].key, "events") == 0)
			events = pairs[i].val;
		else if (strcmp(pairs[i].key, "time-limit") == 0)
			tlim = pairs[i].val;
		else if (strcmp(pairs[i].key, "memory-limit") == 0)
			mlim = pairs[i].val;
		else if ((j = kspec_param_index(ks, pairs[i].key)) != -1)
			given[j] = pairs[i].val;
		else
			return unknown_param(ks, pairs[i].key, code, err,
			    errlen);
	}

	for (i = 0; i < ks->nparams; i++) {
		const struct kparam	*p = &ks->params[i];

		if (given[i] != NULL) {
			if (parse_int(p->name, given[i], p->type, p->min,
			    p->max, &values[i], code, err, errlen) == -1)
				return -1;
		} else if (p->hasdef)
			values[i] = p->def;
		else
			return rfail(code, 400, err, errlen,
			    "missing parameter '%s'", p->name);
		strlcpy(rsv->names[i], p->name, sizeof(rsv->names[i]));
		rsv->values[i] = values[i];
	}
	rsv->nparams = ks->nparams;

	rmax = lim->repeat_max > 0 ? lim->repeat_max : 1;
	rdef = lim->repeat_default;
	if (rdef < 1 || rdef > rmax)
		rdef = rdef < 1 ? 1 : rmax;
	job->repeat = rdef;
	if (repeat != NULL) {
		if (parse_int("repeat", repeat, PT_UINT32, 1, rmax, &r, code,
		    err, errlen) == -1)
			return -1;
		job->repeat = (uint32_t)r;
	}
	if (events != NULL && parse_events(events, job, code, err,
	    errlen) == -1)
		return -1;
	if (parse_limits(tlim, mlim, lim, rsv, code, err, errlen) == -1)
		return -1;

	rc.ks = ks;
	rc.values = values;
	for (i = 0; i < ks->nbufs; i++) {
		b = &ks->bufs[i];
		if (expr_eval(b->count, resolve_lookup, &rc, &count, eerr,
		    sizeof(eerr)) == -1)
			return rfail(code, 400, err, errlen,
			    "buffer '%s': count: %s", b->name, eerr);
		if (expr_eval(b->offset, resolve_lookup, &rc, &offset, eerr,
		    sizeof(eerr)) == -1)
			return rfail(code, 400, err, errlen,
			    "buffer '%s': offset: %s", b->name, eerr);
		/* count * size + align + offset, as the runner maps it. */
		esz = (int)kspec_elem_size(b->elem);
		if (count > UINT64_MAX / (uint64_t)esz ||
		    (bytes = count * (uint64_t)esz) > UINT64_MAX - b->align ||
		    (bytes += b->align) > UINT64_MAX - offset ||
		    (bytes += offset) > UINT64_MAX - total)
			return rfail(code, 400, err, errlen, "buffer '%s': "
			    "size overflows, limit is %llu bytes", b->name,
			    (unsigned long long)lim->memory);
		total += bytes;
		job->bufs[i].count = count;
		job->bufs[i].align = b->align;
		job->bufs[i].offset = offset;
		job->bufs[i].seed = b->seed;
		job->bufs[i].elem = b->elem;
		job->bufs[i].init = b->init;
		job->bufs[i].writable = b->writable;
	}
	if (total > lim->memory)
		return rfail(code, 400, err, errlen, "buffers need %llu bytes, "
		    "limit is %llu", (unsigned long long)total,
		    (unsigned long long)lim->memory);
	job->nbufs = ks->nbufs;

	for (i = 0; i < ks->nargs; i++) {
		const struct karg	*a = &ks->args[i];

		job->args[i].kind = a->kind;
		switch (a->kind) {
		case ARG_BUF:
			job->args[i].index = a->buf;
			break;
		case ARG_INT:
			if (a->param >= 0)
				ival = (uint64_t)values[a->param];
			else if (expr_eval(a->expr, resolve_lookup, &rc, &ival,
			    eerr, sizeof(eerr)) == -1)
				return rfail(code, 400, err, errlen,
				    "argument %zu: %s", i + 1, eerr);
			job->args[i].ival = ival;
			break;
		default:
			job->args[i].fval = a->fval;
			break;
		}
	}
	job->nargs = ks->nargs;

	strlcpy(job->symbol, ks->symbol, sizeof(job->symbol));
	job->ret = ks->ret;
	job->warmup = lim->warmup;
	strlcpy(rsv->kernel, ks->name, sizeof(rsv->kernel));
	rsv->repeat = job->repeat;
	rsv->memory = total;
	rsv->ret = ks->ret;
	rsv->retint = ks->retint;
	*code = 200;
	return 0;
}

/*
 * Split "a=1&b=2" on '&' and the first '=', and percent-decode both sides
 * with libevent (a '+' becomes a blank, which no value accepts).  A
 * decoded NUL byte would make the value end early, so it is an error.
 * Decoded strings are never longer than their encoding, so they all fit
 * in an arena the size of the query.
 */
static int
split_query(const char *query, char *arena, size_t arenalen,
    struct pair *pairs, size_t *npairs, int *code, char *err, size_t errlen)
{
	char		 raw[WR_QUERYLEN], *p, *comp, *val, *dec;
	char		 shown[WR_NAMELEN + 8];
	size_t		 used = 0, len, i, n = 0;
	int		 half;

	if (strlcpy(raw, query, sizeof(raw)) >= sizeof(raw))
		return rfail(code, 400, err, errlen, "query longer than %d "
		    "bytes", WR_QUERYLEN - 1);
	p = raw;
	while ((comp = strsep(&p, "&")) != NULL) {
		if (*comp == '\0')
			continue;
		if ((val = strchr(comp, '=')) != NULL)
			*val++ = '\0';
		for (half = 0; half < 2; half++) {
			if ((dec = evhttp_uridecode(half ? val : comp, 1,
			    &len)) == NULL)
				return rfail(code, 500, err, errlen,
				    "out of memory");
			if (strlen(dec) != len || used + len + 1 > arenalen) {
				free(dec);
				return rfail(code, 400, err, errlen,
				    "malformed query: %s", used + len + 1 >
				    arenalen ? "too long" : "NUL byte");
			}
			memcpy(arena + used, dec, len + 1);
			free(dec);
			if (half == 0) {
				show(shown, sizeof(shown), arena + used);
				if (len == 0)
					return rfail(code, 400, err, errlen,
					    "malformed query: empty name");
				if (len >= sizeof(pairs[n].key))
					return rfail(code, 400, err, errlen,
					    "unknown parameter '%s'", shown);
				for (i = 0; i < n; i++)
					if (strcmp(pairs[i].key,
					    arena + used) == 0)
						return rfail(code, 400, err,
						    errlen, "parameter '%s' "
						    "given twice", shown);
				if (n == KSPEC_MAXPAIRS)
					return rfail(code, 400, err, errlen,
					    "more than %d parameters",
					    KSPEC_MAXPAIRS);
				strlcpy(pairs[n].key, arena + used,
				    sizeof(pairs[n].key));
				if (val == NULL)
					return rfail(code, 400, err, errlen,
					    "parameter '%s' has no value",
					    shown);
			} else
				pairs[n].val = arena + used;
			used += len + 1;
		}
		n++;
	}
	*npairs = n;
	return 0;
}

/*
 * Plain decimal digits, a '-' first for signed types only.  No blanks,
 * '+', hex or empty values: what a client meant must be unambiguous.
 */
static int
parse_int(const char *name, const char *s, uint32_t type, int64_t min,
    int64_t max, int64_t *out, int *code, char *err, size_t errlen)
{
	char		 shown[48];
	uint64_t	 mag = 0, d;
	const char	*p = s;
	int		 neg = 0, over = 0;

	show(shown, sizeof(shown), s);
	if (*p == '\0')
		return rfail(code, 400, err, errlen, "parameter '%s': empty "
		    "value", name);
	if (*p == '-') {
		if (type >= PT_UINT8 && type <= PT_UINT64)
			return rfail(code, 400, err, errlen, "parameter '%s': "
			    "%s is negative, the parameter is unsigned", name,
			    shown);
		neg = 1;
		p++;
	}
	if (*p == '\0')
		return rfail(code, 400, err, errlen, "parameter '%s': '%s' is "
		    "not a decimal integer", name, shown);
	for (; *p != '\0'; p++) {
		if (*p < '0' || *p > '9')
			return rfail(code, 400, err, errlen, "parameter '%s': "
			    "'%s' is not a decimal integer", name, shown);
		d = (uint64_t)(*p - '0');
		if (mag > (UINT64_MAX - d) / 10)
			over = 1;
		else
			mag = mag * 10 + d;
	}
	if (!neg) {
		if (over || mag > (uint64_t)max)
			return rfail(code, 400, err, errlen, "parameter '%s': "
			    "%s is above the maximum %lld", name, shown,
			    (long long)max);
		*out = (int64_t)mag;
	} else {
		if (over || mag > (uint64_t)INT64_MAX + 1)
			return rfail(code, 400, err, errlen, "parameter '%s': "
			    "%s is below the minimum %lld", name, shown,
			    (long long)min);
		*out = mag == (uint64_t)INT64_MAX + 1 ? INT64_MIN :
		    -(int64_t)mag;
	}
	if (*out < min)
		return rfail(code, 400, err, errlen, "parameter '%s': %s is "
		    "below the minimum %lld", name, shown, (long long)min);
	if (*out > max)
		return rfail(code, 400, err, errlen, "parameter '%s': %s is "
		    "above the maximum %lld", name, shown, (long long)max);
	return 0;
}

/* events=a,b,c: names as perf, libpfm4 or raw codes spell them. */
static int
parse_events(const char *s, struct job *job, int *code, char *err,
    size_t errlen)
{
	const char	*p = s, *end;
	char		 shown[WR_NAMELEN + 8];
	size_t		 len;
	uint32_t	 k;

	if (*s == '\0')
		return 0;	/* the runner's default set */
	for (;;) {
		end = strchr(p, ',');
		len = end != NULL ? (size_t)(end - p) : strlen(p);
		if (len == 0)
			return rfail(code, 400, err, errlen, "events: empty "
			    "event name");
		if (len >= WR_NAMELEN)
			return rfail(code, 400, err, errlen, "events: a name "
			    "is longer than %d characters", WR_NAMELEN - 1);
		if (strspn(p, EVENT_CHARS) < len)
			return rfail(code, 400, err, errlen, "events: "
			    "invalid character in an event name");
		if (job->nevents == WR_MAXEVENTS)
			return rfail(code, 400, err, errlen, "events: more "
			    "than %d events", WR_MAXEVENTS);
		memcpy(job->events[job->nevents], p, len);
		job->events[job->nevents][len] = '\0';
		for (k = 0; k < job->nevents; k++)
			if (strcmp(job->events[k],
			    job->events[job->nevents]) == 0) {
				show(shown, sizeof(shown),
				    job->events[job->nevents]);
				return rfail(code, 400, err, errlen, "events: "
				    "'%s' given twice", shown);
			}
		job->nevents++;
		if (end == NULL)
			break;
		p = end + 1;
	}
	return 0;
}

/*
 * A request may ask for a shorter wall-clock limit or a smaller memory
 * limit than the configured ones, never for more.  Zero in the result
 * means the configured limit.
 */
static int
parse_limits(const char *tlim, const char *mlim, const struct run_limits *lim,
    struct resolved *rsv, int *code, char *err, size_t errlen)
{
	char		 shown[WR_NAMELEN + 8];
	uint64_t	 v;

	if (tlim != NULL) {
		show(shown, sizeof(shown), tlim);
		if (str_duration(tlim, &v) == -1 || v == 0)
			return rfail(code, 400, err, errlen, "time-limit '%s': "
			    "use a number with ms, s or m", shown);
		if (lim->time_limit > 0 && v > lim->time_limit)
			return rfail(code, 400, err, errlen, "time-limit '%s' "
			    "is above this server's limit of %llu ms", shown,
			    (unsigned long long)lim->time_limit);
		rsv->time_limit = v;
	}
	if (mlim != NULL) {
		show(shown, sizeof(shown), mlim);
		if (str_size(mlim, &v) == -1)
			return rfail(code, 400, err, errlen, "memory-limit '%s': "
			    "use a number with an optional K, M or G", shown);
		if (v < MEMLIMIT_MIN)
			return rfail(code, 400, err, errlen, "memory-limit '%s' "
			    "is below the least a runner needs, %u bytes", shown,
			    MEMLIMIT_MIN);
		if (lim->memory_limit > 0 && v > lim->memory_limit)
			return rfail(code, 400, err, errlen, "memory-limit '%s' "
			    "is above this server's limit of %llu bytes", shown,
			    (unsigned long long)lim->memory_limit);
		rsv->memory_limit = v;
	}
	return 0;
}

static int
unknown_param(const struct kspec *ks, const char *key, int *code, char *err,
    size_t errlen)
{
	char		 shown[WR_NAMELEN + 8], list[WR_REASONLEN];
	uint32_t	 i;

	list[0] = '\0';
	for (i = 0; i < ks->nparams; i++) {
		strlcat(list, ks->params[i].name, sizeof(list));
		strlcat(list, ", ", sizeof(list));
	}
	strlcat(list, "repeat, events, time-limit, memory-limit", sizeof(list));
	show(shown, sizeof(shown), key);
	return rfail(code, 400, err, errlen, "unknown parameter '%s'; kernel "
	    "'%s' takes %s", shown, ks->name, list);
}

static int
resolve_lookup(void *arg, const char *name, uint64_t *val)
{
	const struct rctx	*rc = arg;
	int			 i;

	if ((i = kspec_param_index(rc->ks, name)) == -1)
		return EXPR_UNKNOWN;
	if (rc->values[i] < 0)
		return EXPR_NEGATIVE;
	*val = (uint64_t)rc->values[i];
	return 0;
}

static int
rfail(int *code, int c, char *err, size_t errlen, const char *fmt, ...)
{
	va_list	 ap;

	*code = c;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* A client's string, made safe to quote: printable ASCII, bounded. */
static void
show(char *dst, size_t len, const char *s)
{
	size_t	 i;

	for (i = 0; i + 1 < len && s[i] != '\0'; i++)
		dst[i] = (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?';
	if (len > 0)
		dst[i] = '\0';
	if (s[i] != '\0' && i >= 3)
		memcpy(dst + i - 3, "...", 3);
}
