/*
 * Resolving a request: the typed pairs of a run request, as the network
 * process parsed them and trusted in nothing, against the kernel specs
 * loaded by spec.c.  No raw query text reaches the monitor; what the pairs
 * say is checked again here (strings terminated and of legal characters,
 * counts bounded) and then against the spec and the limits.  The result is
 * the job the runner gets, every value checked and every expression
 * evaluated, or a 400/404 with a one-line reason that says what was wrong,
 * or code 0 when the message itself could never have come from a working
 * network process.
 */
#include <sys/types.h>
#include <sys/queue.h>

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "monitor.h"

struct rctx {
	const struct kspec	*ks;
	const int64_t		*values;
};

static int	 well_formed(const struct run_req *);
static int	 value_ok(const struct run_value *);
static int	 check_int(const char *, const struct run_value *, uint32_t,
		    int64_t, int64_t, int64_t *, int *, char *, size_t);
static int	 check_limits(const struct run_req *,
		    const struct run_limits *, struct resolved *, int *, char *,
		    size_t);
static int	 unknown_param(const struct kspec *, const char *, int *,
		    char *, size_t);
static int	 resolve_lookup(void *, const char *, uint64_t *);

int
kspec_resolve(struct kspecs *specs, const struct run_req *req,
    const struct run_limits *lim, struct job *job, struct resolved *rsv,
    int *code, char *err, size_t errlen)
{
	struct rctx		 rc;
	const struct kspec	*ks;
	const struct kbuf	*b;
	const struct run_value	*given[WR_MAXPARAMS];
	char			 eerr[160];
	int64_t			 values[WR_MAXPARAMS], r;
	uint64_t		 count, offset, bytes, total = 0, ival;
	size_t			 i;
	uint32_t		 rmax, rdef;
	int			 j, esz;

	memset(job, 0, sizeof(*job));
	memset(rsv, 0, sizeof(*rsv));
	memset(given, 0, sizeof(given));
	if (!well_formed(req))
		return cfail(code, 0, err, errlen, "malformed run request");
	*code = 400;
	if ((ks = kspec_find(specs, req->kernel)) == NULL) {
		char	 list[WR_REASONLEN] = "";

		TAILQ_FOREACH(ks, specs, entry) {
			if (list[0] != '\0')
				strlcat(list, ", ", sizeof(list));
			strlcat(list, ks->name, sizeof(list));
		}
		return cfail(code, 404, err, errlen, "no kernel '%s' here; "
		    "there are: %s", req->kernel, list[0] != '\0' ? list :
		    "none");
	}

	for (i = 0; i < req->nparams; i++) {
		if ((j = kspec_param_index(ks, req->params[i].name)) == -1)
			return unknown_param(ks, req->params[i].name, code, err,
			    errlen);
		given[j] = &req->params[i].value;
	}
	for (i = 0; i < ks->nparams; i++) {
		const struct kparam	*p = &ks->params[i];

		if (given[i] != NULL) {
			if (check_int(p->name, given[i], p->type, p->min,
			    p->max, &values[i], code, err, errlen) == -1)
				return -1;
		} else if (p->hasdef)
			values[i] = p->def;
		else
			return cfail(code, 400, err, errlen,
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
	if (req->repeat.kind != RV_NONE) {
		if (check_int("repeat", &req->repeat, PT_UINT32, 1, rmax, &r,
		    code, err, errlen) == -1)
			return -1;
		job->repeat = (uint32_t)r;
	}
	/* Checked by well_formed(): legal, terminated and distinct. */
	for (i = 0; i < req->nevents; i++)
		strlcpy(job->events[i], req->events[i], sizeof(job->events[i]));
	job->nevents = req->nevents;
	if (check_limits(req, lim, rsv, code, err, errlen) == -1)
		return -1;

	rc.ks = ks;
	rc.values = values;
	for (i = 0; i < ks->nbufs; i++) {
		b = &ks->bufs[i];
		if (expr_eval(b->count, resolve_lookup, &rc, &count, eerr,
		    sizeof(eerr)) == -1)
			return cfail(code, 400, err, errlen,
			    "buffer '%s': count: %s", b->name, eerr);
		if (expr_eval(b->offset, resolve_lookup, &rc, &offset, eerr,
		    sizeof(eerr)) == -1)
			return cfail(code, 400, err, errlen,
			    "buffer '%s': offset: %s", b->name, eerr);
		/* count * size + align + offset, as the runner maps it. */
		esz = (int)elem_size(b->elem);
		if (count > UINT64_MAX / (uint64_t)esz ||
		    (bytes = count * (uint64_t)esz) > UINT64_MAX - b->align ||
		    (bytes += b->align) > UINT64_MAX - offset ||
		    (bytes += offset) > UINT64_MAX - total)
			return cfail(code, 400, err, errlen, "buffer '%s': "
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
		return cfail(code, 400, err, errlen, "buffers need %llu bytes, "
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
				return cfail(code, 400, err, errlen,
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
 * What no working network process sends: strings unterminated or of
 * characters their rule forbids, counts out of bounds, names given twice,
 * values of no kind.  The client never wrote these; the sender is broken.
 */
static int
well_formed(const struct run_req *req)
{
	uint32_t	 i, k;

	if (!kernel_name_ok(req->kernel) || req->nevents > WR_MAXEVENTS ||
	    req->nparams > WR_MAXPARAMS || !value_ok(&req->repeat) ||
	    !value_ok(&req->time_limit) || !value_ok(&req->memory_limit) ||
	    (req->time_limit.kind != RV_NONE && req->time_limit.kind !=
	    RV_INT && req->time_limit.kind != RV_TEXT) ||
	    (req->memory_limit.kind != RV_NONE && req->memory_limit.kind !=
	    RV_INT && req->memory_limit.kind != RV_TEXT))
		return 0;
	for (i = 0; i < req->nevents; i++) {
		if (!event_name_ok(req->events[i]))
			return 0;
		for (k = 0; k < i; k++)
			if (strcmp(req->events[k], req->events[i]) == 0)
				return 0;
	}
	for (i = 0; i < req->nparams; i++) {
		if (strnlen(req->params[i].name, WR_NAMELEN) == WR_NAMELEN ||
		    req->params[i].name[0] == '\0' ||
		    req->params[i].value.kind == RV_NONE ||
		    !value_ok(&req->params[i].value))
			return 0;
		for (k = 0; k < i; k++)
			if (strcmp(req->params[k].name,
			    req->params[i].name) == 0)
				return 0;
	}
	return 1;
}

/* A kind there is, and a printable, terminated text to quote. */
static int
value_ok(const struct run_value *v)
{
	size_t	 i;

	if (v->kind > RV_TEXT || v->neg > 1)
		return 0;
	for (i = 0; i < sizeof(v->shown) && v->shown[i] != '\0'; i++)
		if (v->shown[i] < 0x20 || v->shown[i] >= 0x7f)
			return 0;
	return i < sizeof(v->shown);
}

/*
 * A value the network process found to be decimal digits, perhaps after
 * a '-', against the parameter's type and range.
 */
static int
check_int(const char *name, const struct run_value *v, uint32_t type,
    int64_t min, int64_t max, int64_t *out, int *code, char *err,
    size_t errlen)
{
	int	 uns = type >= PT_UINT8 && type <= PT_UINT64;

	switch (v->kind) {
	case RV_EMPTY:
		return cfail(code, 400, err, errlen, "parameter '%s': empty "
		    "value", name);
	case RV_TEXT:
		return cfail(code, 400, err, errlen, "parameter '%s': '%s' is "
		    "not a decimal integer", name, v->shown);
	case RV_INT:
	case RV_OVERFLOW:
		break;
	default:
		return cfail(code, 0, err, errlen, "malformed run request");
	}
	if (v->neg && uns)
		return cfail(code, 400, err, errlen, "parameter '%s': %s is "
		    "negative, the parameter is unsigned", name, v->shown);
	if (!v->neg) {
		if (v->kind == RV_OVERFLOW || v->mag > (uint64_t)max)
			return cfail(code, 400, err, errlen, "parameter '%s': "
			    "%s is above the maximum %lld", name, v->shown,
			    (long long)max);
		*out = (int64_t)v->mag;
	} else {
		if (v->kind == RV_OVERFLOW || v->mag > (uint64_t)INT64_MAX + 1)
			return cfail(code, 400, err, errlen, "parameter '%s': "
			    "%s is below the minimum %lld", name, v->shown,
			    (long long)min);
		*out = v->mag == (uint64_t)INT64_MAX + 1 ? INT64_MIN :
		    -(int64_t)v->mag;
	}
	if (*out < min)
		return cfail(code, 400, err, errlen, "parameter '%s': %s is "
		    "below the minimum %lld", name, v->shown, (long long)min);
	if (*out > max)
		return cfail(code, 400, err, errlen, "parameter '%s': %s is "
		    "above the maximum %lld", name, v->shown, (long long)max);
	return 0;
}

/*
 * A request may ask for a shorter wall-clock limit or a smaller memory
 * limit than the configured ones, never for more.  Zero in the result
 * means the configured limit.
 */
static int
check_limits(const struct run_req *req, const struct run_limits *lim,
    struct resolved *rsv, int *code, char *err, size_t errlen)
{
	const struct run_value	*t = &req->time_limit;
	const struct run_value	*m = &req->memory_limit;

	if (t->kind != RV_NONE) {
		if (t->kind != RV_INT || t->mag == 0)
			return cfail(code, 400, err, errlen, "time-limit '%s': "
			    "use a number with ms, s or m", t->shown);
		if (lim->time_limit > 0 && t->mag > lim->time_limit)
			return cfail(code, 400, err, errlen, "time-limit '%s' "
			    "is above this server's limit of %llu ms", t->shown,
			    (unsigned long long)lim->time_limit);
		rsv->time_limit = t->mag;
	}
	if (m->kind != RV_NONE) {
		if (m->kind != RV_INT)
			return cfail(code, 400, err, errlen, "memory-limit "
			    "'%s': use a number with an optional K, M or G",
			    m->shown);
		if (m->mag < MEMLIMIT_MIN)
			return cfail(code, 400, err, errlen, "memory-limit "
			    "'%s' is below the least a runner needs, %u bytes",
			    m->shown, MEMLIMIT_MIN);
		if (lim->memory_limit > 0 && m->mag > lim->memory_limit)
			return cfail(code, 400, err, errlen, "memory-limit "
			    "'%s' is above this server's limit of %llu bytes",
			    m->shown, (unsigned long long)lim->memory_limit);
		rsv->memory_limit = m->mag;
	}
	return 0;
}

static int
unknown_param(const struct kspec *ks, const char *key, int *code, char *err,
    size_t errlen)
{
	char		 shown[WR_NAMELEN], list[WR_REASONLEN];
	uint32_t	 i;

	list[0] = '\0';
	for (i = 0; i < ks->nparams; i++) {
		strlcat(list, ks->params[i].name, sizeof(list));
		strlcat(list, ", ", sizeof(list));
	}
	strlcat(list, "repeat, events, time-limit, memory-limit", sizeof(list));
	str_clean(shown, sizeof(shown), key, strlen(key));
	return cfail(code, 400, err, errlen, "unknown parameter '%s'; kernel "
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
