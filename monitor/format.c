/*
 * The answer a client sees.  Text is WebRunner's format, one "Name: value"
 * line per counter, which PeachPy.IO's page splits on ": "; JSON carries
 * the same and more for programs.
 *
 * Everything that comes from a runner (event names, reasons, numbers) is
 * hostile: strings are cut at their field's size and reduced to printable
 * ASCII before they reach either format, so a runner can neither break a
 * line apart nor hand jansson invalid UTF-8.  An answer that does not fit
 * in http_res.body becomes a 500, never a truncated 200.
 *
 * What each outcome is called and the HTTP code it gets are common/vocab.c's,
 * and so is the shape of every error answer, the network process's too.
 */
#include <sys/types.h>
#include <sys/queue.h>

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "common.h"
#include "monitor.h"

/* enum ev_source in JSON; a value the runner made up is left out. */
static const char *const sources[] = {
	[EV_SRC_PMU] = "pmu",
	[EV_SRC_SOFTWARE] = "software",
	[EV_SRC_SINGLESTEP] = "single-step",
	[EV_SRC_TSC] = "tsc"
};
#define NSOURCES	(sizeof(sources) / sizeof(sources[0]))

static int	 format_text(const struct run_result *, struct http_res *);
static int	 format_json(const struct resolved *,
		    const struct run_result *, struct http_res *);
static json_t	*json_return(const struct resolved *, uint64_t);
static json_t	*json_float(double);
static int	 put(struct http_res *, const char *, ...)
		    __attribute__((__format__(__printf__, 2, 3)));
static int	 put_json(struct http_res *, json_t *);
static int	 too_large(int, struct http_res *);
static void	 reset(struct http_res *, int, int);

int
status_http_code(uint32_t status)
{
	return outcome(status)->code;
}

const char *
status_name(uint32_t status)
{
	return outcome(status)->text;
}

int
format_result(const struct resolved *rsv, const struct run_result *res,
    int json, struct http_res *hr)
{
	char	 reason[WR_REASONLEN];

	if (res->status != RS_OK) {
		str_clean(reason, sizeof(reason), res->reason,
		    sizeof(res->reason));
		return format_error(status_http_code(res->status), res->status,
		    reason, json, hr);
	}
	reset(hr, 200, json);
	hr->outcome = RS_OK;
	if (json)
		return format_json(rsv, res, hr);
	return format_text(res, hr);
}

/*
 * "Time limit exceeded: ran longer than 2000 ms", or {"status": ...,
 * "code": ..., "reason": ...}.  The reason is bounded, so this always fits.
 */
int
format_error(int code, uint32_t status, const char *reason, int json,
    struct http_res *hr)
{
	int	 n;

	if (code < 100 || code > 599)
		code = 500;
	reset(hr, code, json);
	hr->outcome = status <= RS_UNAVAILABLE ? status : RS_INTERNAL;
	if ((n = error_format(hr->body, sizeof(hr->body), code,
	    outcome(status)->text, reason, json)) == -1)
		return too_large(json, hr);
	hr->len = (uint32_t)n;
	return 0;
}

/* One "Name: value" line per event, in the runner's order. */
static int
format_text(const struct run_result *res, struct http_res *hr)
{
	const struct ev_result	*ev;
	char			 name[WR_NAMELEN], reason[WR_NAMELEN * 2];
	uint32_t		 i, n;

	n = res->nevents < WR_MAXEVENTS ? res->nevents : WR_MAXEVENTS;
	for (i = 0; i < n; i++) {
		ev = &res->ev[i];
		str_clean(name, sizeof(name), ev->name, sizeof(ev->name));
		str_clean(reason, sizeof(reason), ev->reason,
		    sizeof(ev->reason));
		if (ev->state == EV_OK) {
			if (put(hr, "%s: %lld\n", name,
			    (long long)ev->median) == -1)
				return -1;
		} else if (reason[0] == '\0') {
			if (put(hr, "%s: unavailable\n", name) == -1)
				return -1;
		} else if (put(hr, "%s: unavailable (%s)\n", name,
		    reason) == -1)
			return -1;
	}
	return 0;
}

static int
format_json(const struct resolved *rsv, const struct run_result *res,
    struct http_res *hr)
{
	const struct ev_result	*ev;
	char			 name[WR_NAMELEN], reason[WR_NAMELEN * 2];
	char			 kernel[WR_NAMELEN];
	json_t			*o, *params, *events, *e;
	uint32_t		 i, n;

	str_clean(kernel, sizeof(kernel), rsv->kernel, sizeof(rsv->kernel));
	if ((o = json_object()) == NULL ||
	    json_object_set_new(o, "status", json_string("OK")) == -1 ||
	    json_object_set_new(o, "kernel", json_string(kernel)) == -1 ||
	    json_object_set_new(o, "parameters",
	    params = json_object()) == -1)
		goto fail;
	n = rsv->nparams < WR_MAXPARAMS ? rsv->nparams : WR_MAXPARAMS;
	for (i = 0; i < n; i++) {
		str_clean(name, sizeof(name), rsv->names[i],
		    sizeof(rsv->names[i]));
		if (json_object_set_new(params, name,
		    json_integer(rsv->values[i])) == -1)
			goto fail;
	}
	if (json_object_set_new(o, "repeat", json_integer(rsv->repeat)) == -1 ||
	    json_object_set_new(o, "events", events = json_object()) == -1)
		goto fail;
	n = res->nevents < WR_MAXEVENTS ? res->nevents : WR_MAXEVENTS;
	for (i = 0; i < n; i++) {
		ev = &res->ev[i];
		str_clean(name, sizeof(name), ev->name, sizeof(ev->name));
		str_clean(reason, sizeof(reason), ev->reason,
		    sizeof(ev->reason));
		if (ev->state == EV_OK)
			e = json_pack("{s:I, s:I, s:I}",
			    "median", (json_int_t)ev->median,
			    "min", (json_int_t)ev->min,
			    "max", (json_int_t)ev->max);
		else
			e = json_pack("{s:s}", "unavailable", reason);
		if (json_object_set_new(events, name, e) == -1)
			goto fail;
		if (ev->state == EV_OK && ev->source < NSOURCES &&
		    sources[ev->source] != NULL && json_object_set_new(e,
		    "source", json_string(sources[ev->source])) == -1)
			goto fail;
	}
	if (json_object_set_new(o, "return",
	    json_return(rsv, res->retval)) == -1)
		goto fail;
	return put_json(hr, o);
 fail:
	json_decref(o);
	return too_large(1, hr);
}

/*
 * The return value's raw bits, as the spec's type.  A uint64 above
 * 2^63 - 1 and a float that is not finite have no JSON number, so they
 * are given as strings.
 */
static json_t *
json_return(const struct resolved *rsv, uint64_t bits)
{
	char		 buf[32];
	uint32_t	 b32 = (uint32_t)bits;
	float		 f;
	double		 d;

	switch (rsv->ret) {
	case RET_F32:
		memcpy(&f, &b32, sizeof(f));
		return json_float(f);
	case RET_F64:
		memcpy(&d, &bits, sizeof(d));
		return json_float(d);
	case RET_INT:
		break;
	default:
		return json_null();
	}
	switch (rsv->retint) {
	case PT_UINT8:
		return json_integer((uint8_t)bits);
	case PT_UINT16:
		return json_integer((uint16_t)bits);
	case PT_UINT32:
		return json_integer((uint32_t)bits);
	case PT_INT8:
		return json_integer((int8_t)bits);
	case PT_INT16:
		return json_integer((int16_t)bits);
	case PT_INT32:
		return json_integer((int32_t)bits);
	case PT_UINT64:
		if (bits > INT64_MAX) {
			snprintf(buf, sizeof(buf), "%llu",
			    (unsigned long long)bits);
			return json_string(buf);
		}
		/* FALLTHROUGH */
	default:
		return json_integer((json_int_t)bits);
	}
}

static json_t *
json_float(double d)
{
	if (isnan(d))
		return json_string("nan");
	if (isinf(d))
		return json_string(d < 0 ? "-inf" : "inf");
	return json_real(d);
}

/* Append to the body; -1 and a 500 when it does not fit. */
static int
put(struct http_res *hr, const char *fmt, ...)
{
	va_list	 ap;
	int	 rc;

	va_start(ap, fmt);
	rc = hr_vprintf(hr, fmt, ap);
	va_end(ap);
	return rc == -1 ? too_large(hr->json, hr) : 0;
}

static int
put_json(struct http_res *hr, json_t *o)
{
	return hr_json(hr, o) == -1 ? too_large(hr->json, hr) : 0;
}

/*
 * Append to an answer's body; -1, with the body as it was, when it does
 * not fit.  Shared with info.c, whose answers have no run to blame.
 */
int
hr_vprintf(struct http_res *hr, const char *fmt, va_list ap)
{
	size_t	 room = sizeof(hr->body) - hr->len;
	int	 n;

	n = vsnprintf(hr->body + hr->len, room, fmt, ap);
	if (n < 0 || (size_t)n >= room) {
		hr->body[hr->len] = '\0';
		return -1;
	}
	hr->len += (uint32_t)n;
	return 0;
}

int
hr_printf(struct http_res *hr, const char *fmt, ...)
{
	va_list	 ap;
	int	 rc;

	va_start(ap, fmt);
	rc = hr_vprintf(hr, fmt, ap);
	va_end(ap);
	return rc;
}

/* JSON, indented for people reading curl's output, newline-terminated. */
int
hr_json(struct http_res *hr, json_t *o)
{
	char	*s;
	int	 rc;

	s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (s == NULL)
		return -1;
	rc = hr_printf(hr, "%s\n", s);
	free(s);
	return rc;
}

static int
too_large(int json, struct http_res *hr)
{
	int	 n;

	reset(hr, 500, json);
	hr->outcome = RS_INTERNAL;
	n = error_format(hr->body, sizeof(hr->body), 500,
	    outcome(RS_INTERNAL)->text, "answer too large", json);
	hr->len = n > 0 ? (uint32_t)n : 0;
	return -1;
}

static void
reset(struct http_res *hr, int code, int json)
{
	hr->code = code;
	hr->json = json != 0;
	/* Busy or unable to run now: a client may try again shortly. */
	hr->retry_after = code == 503 ? 1 : 0;
	hr->len = 0;
	memset(hr->attach, 0, sizeof(hr->attach));
	hr->body[0] = '\0';
}
