/*
 * The query string of a run request, parsed once, here: split on '&' and
 * the first '=', percent-decoded, and sorted into the typed pairs of
 * struct run_req.  What can be judged without the kernel's spec is judged
 * here (the shape of the query, the kernel's name, the event names); every
 * value is passed on typed, for the monitor to check against the spec and
 * its limits.  The monitor trusts none of it and checks it all again.
 */
#include <sys/types.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/http.h>

#include "common.h"
#include "proto.h"
#include "daemon.h"

static char	*decode(const char *, int *, int *, char *, size_t);
static void	 number(const char *, struct run_value *);
static void	 unit(const char *, int (*)(const char *, uint64_t *),
		    struct run_value *);
static int	 events(const char *, struct run_req *, int *, char *,
		    size_t);

/*
 * Fill rr from query; 0, or -1 with the HTTP code in *code and a one-line
 * reason in err.  rr->json and rr->size are the caller's.
 */
int
query_parse(const char *query, struct run_req *rr, int *code, char *err,
    size_t errlen)
{
	char		 raw[WR_QUERYLEN], shown[WR_NAMELEN];
	char		*p, *comp, *val, *key = NULL, *dec = NULL;
	struct run_param *rp;
	uint32_t	 i;
	int		 rc = -1, nkernel = 0, nevents = 0, nul;

	memset(rr, 0, sizeof(*rr));
	if (query == NULL || *query == '\0')
		return cfail(code, 400, err, errlen, "missing kernel: use "
		    "POST /<machine-id>/run?kernel=NAME");
	if (strlcpy(raw, query, sizeof(raw)) >= sizeof(raw))
		return cfail(code, 414, err, errlen, "query string longer "
		    "than %d bytes", WR_QUERYLEN - 1);
	/* As evhttp_parse_query_str(): a last '&' may end the query. */
	for (p = raw; p != NULL && *p != '\0'; free(key), free(dec),
	    key = dec = NULL) {
		comp = strsep(&p, "&");
		if ((val = strchr(comp, '=')) != NULL)
			*val++ = '\0';
		if ((key = decode(comp, &nul, code, err, errlen)) == NULL)
			goto out;
		if (nul)
			goto nulbyte;
		str_clean(shown, sizeof(shown), key, strlen(key));
		if (*key == '\0') {
			cfail(code, 400, err, errlen, "malformed query "
			    "string: empty name");
			goto out;
		}
		if (val == NULL) {
			cfail(code, 400, err, errlen, "malformed query "
			    "string: parameter '%s' has no value", shown);
			goto out;
		}
		if ((dec = decode(val, &nul, code, err, errlen)) == NULL)
			goto out;
		if (nul && strcmp(key, "kernel") != 0)
			goto nulbyte;
		if (strcmp(key, "kernel") == 0) {
			if (nkernel++ > 0) {
				cfail(code, 400, err, errlen, "kernel given "
				    "more than once");
				goto out;
			}
			if (!kernel_name_ok(dec)) {
				cfail(code, 400, err, errlen, "bad kernel "
				    "name: " KERNEL_NAME_RULE);
				goto out;
			}
			if (nul)
				goto nulbyte;
			strlcpy(rr->kernel, dec, sizeof(rr->kernel));
			continue;
		}
		if (strlen(key) >= WR_NAMELEN) {
			cfail(code, 400, err, errlen, "unknown parameter "
			    "'%s'", shown);
			goto out;
		}
		/* The typed pairs below start out RV_NONE: not given. */
		rp = NULL;
		if ((strcmp(key, "repeat") == 0 &&
		    rr->repeat.kind != RV_NONE) ||
		    (strcmp(key, "time-limit") == 0 &&
		    rr->time_limit.kind != RV_NONE) ||
		    (strcmp(key, "memory-limit") == 0 &&
		    rr->memory_limit.kind != RV_NONE) ||
		    (strcmp(key, "events") == 0 && nevents++ > 0))
			goto twice;
		for (i = 0; i < rr->nparams; i++)
			if (strcmp(rr->params[i].name, key) == 0)
				goto twice;
		if (strcmp(key, "repeat") == 0)
			number(dec, &rr->repeat);
		else if (strcmp(key, "time-limit") == 0)
			unit(dec, str_duration, &rr->time_limit);
		else if (strcmp(key, "memory-limit") == 0)
			unit(dec, str_size, &rr->memory_limit);
		else if (strcmp(key, "events") == 0) {
			if (events(dec, rr, code, err, errlen) == -1)
				goto out;
		} else if (rr->nparams == WR_MAXPARAMS) {
			cfail(code, 400, err, errlen, "more than %d "
			    "parameters", WR_MAXPARAMS);
			goto out;
		} else {
			rp = &rr->params[rr->nparams++];
			strlcpy(rp->name, key, sizeof(rp->name));
			number(dec, &rp->value);
		}
		continue;
 twice:
		cfail(code, 400, err, errlen, "parameter '%s' given twice",
		    shown);
		goto out;
 nulbyte:
		cfail(code, 400, err, errlen, "malformed query string: NUL "
		    "byte");
		goto out;
	}
	if (nkernel == 0)
		cfail(code, 400, err, errlen, "missing kernel parameter");
	else
		rc = 0;
 out:
	free(key);
	free(dec);
	return rc;
}

/*
 * Percent-decoding by libevent, a '+' a blank (which no value accepts).
 * A decoded NUL would end the string early: *nul says there was one, for
 * the caller to refuse.
 */
static char *
decode(const char *s, int *nul, int *code, char *err, size_t errlen)
{
	char	*dec;
	size_t	 len;

	if ((dec = evhttp_uridecode(s, 1, &len)) == NULL) {
		cfail(code, 500, err, errlen, "out of memory");
		return NULL;
	}
	*nul = strlen(dec) != len;
	return dec;
}

/*
 * Plain decimal digits, a '-' first perhaps.  No blanks, '+', hex or
 * empty values: what a client meant must be unambiguous.  Whether the
 * number is in range, or may be negative, only the spec says.
 */
static void
number(const char *s, struct run_value *v)
{
	const char	*p = s;
	uint64_t	 d;

	str_clean(v->shown, sizeof(v->shown), s, strlen(s));
	v->mag = 0;
	if (*p == '\0') {
		v->kind = RV_EMPTY;
		return;
	}
	if ((v->neg = *p == '-'))
		p++;
	v->kind = *p != '\0' ? RV_INT : RV_TEXT;
	for (; *p != '\0'; p++) {
		if (*p < '0' || *p > '9') {
			v->kind = RV_TEXT;
			v->mag = 0;
			return;
		}
		d = (uint64_t)(*p - '0');
		if (v->mag > (UINT64_MAX - d) / 10)
			v->kind = RV_OVERFLOW;
		else if (v->kind == RV_INT)
			v->mag = v->mag * 10 + d;
	}
	if (v->kind == RV_OVERFLOW)
		v->mag = 0;
}

/* A time-limit or memory-limit in its unit, or RV_TEXT. */
static void
unit(const char *s, int (*parse)(const char *, uint64_t *),
    struct run_value *v)
{
	str_clean(v->shown, sizeof(v->shown), s, strlen(s));
	v->neg = 0;
	v->kind = parse(s, &v->mag) == 0 ? RV_INT : RV_TEXT;
	if (v->kind == RV_TEXT)
		v->mag = 0;
}

/* events=a,b,c; "events=" asks for the runner's default set. */
static int
events(const char *s, struct run_req *rr, int *code, char *err,
    size_t errlen)
{
	const char	*p = s, *end;
	char		*name, shown[WR_NAMELEN];
	size_t		 len;
	uint32_t	 k;

	if (*s == '\0')
		return 0;
	for (;;) {
		end = strchr(p, ',');
		len = end != NULL ? (size_t)(end - p) : strlen(p);
		if (len == 0)
			return cfail(code, 400, err, errlen, "events: empty "
			    "event name");
		if (len >= WR_NAMELEN)
			return cfail(code, 400, err, errlen, "events: a name "
			    "is longer than %d characters", WR_NAMELEN - 1);
		if (rr->nevents == WR_MAXEVENTS)
			return cfail(code, 400, err, errlen, "events: more "
			    "than %d events", WR_MAXEVENTS);
		name = rr->events[rr->nevents];
		memcpy(name, p, len);
		name[len] = '\0';
		if (!event_name_ok(name))
			return cfail(code, 400, err, errlen, "events: "
			    "invalid character in an event name");
		for (k = 0; k < rr->nevents; k++)
			if (strcmp(rr->events[k], name) == 0) {
				str_clean(shown, sizeof(shown), name, len);
				return cfail(code, 400, err, errlen, "events: "
				    "'%s' given twice", shown);
			}
		rr->nevents++;
		if (end == NULL)
			break;
		p = end + 1;
	}
	return 0;
}
