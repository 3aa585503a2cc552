/*
 * Integer expressions in kernel specs: buffer sizes, offsets and integer
 * arguments computed from a request's parameters, such as "n*incx" or
 * "(mr*rs_c)*(nr*cs_c)".
 *
 *	expr	= term *( ("+" / "-") term )
 *	term	= factor *( ("*" / "/" / "%") factor )
 *	factor	= number / name / "(" expr ")"
 *	number	= 1*DIGIT
 *	name	= (ALPHA / "_") *(ALPHA / DIGIT / "_")
 *
 * Blanks may separate tokens.  Values are unsigned 64-bit integers and
 * every step that would leave that range (overflow, a negative result,
 * division by zero) is an error rather than a wrap: the results size
 * memory.  The parser is a pure function of its input and the lookup, and
 * bounds its recursion, so a hostile spec or a fuzzer cannot exhaust the
 * stack.
 */
#include <sys/types.h>
#include <sys/queue.h>

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "monitor.h"

struct parser {
	const char	*p;		/* next character */
	expr_lookup	 lookup;
	void		*arg;
	int		 compute;	/* else check syntax and names only */
	int		 depth;
	char		*err;
	size_t		 errlen;
};

static int	 parse(const char *, expr_lookup, void *, int, uint64_t *,
		    char *, size_t);
static int	 p_expr(struct parser *, uint64_t *);
static int	 p_term(struct parser *, uint64_t *);
static int	 p_factor(struct parser *, uint64_t *);
static void	 skip_blanks(struct parser *);
static int	 fail(struct parser *, const char *, ...)
		    __attribute__((__format__(__printf__, 2, 3)));
static int	 fail_near(struct parser *, const char *);

int
expr_eval(const char *expr, expr_lookup lookup, void *arg, uint64_t *out,
    char *err, size_t errlen)
{
	return parse(expr, lookup, arg, 1, out, err, errlen);
}

int
expr_check(const char *expr, expr_lookup lookup, void *arg, char *err,
    size_t errlen)
{
	uint64_t	 v;

	return parse(expr, lookup, arg, 0, &v, err, errlen);
}

static int
parse(const char *expr, expr_lookup lookup, void *arg, int compute,
    uint64_t *out, char *err, size_t errlen)
{
	struct parser	 ps;
	uint64_t	 v = 0;

	memset(&ps, 0, sizeof(ps));
	ps.p = expr;
	ps.lookup = lookup;
	ps.arg = arg;
	ps.compute = compute;
	ps.err = err;
	ps.errlen = errlen;
	if (errlen > 0)
		err[0] = '\0';
	skip_blanks(&ps);
	if (*ps.p == '\0')
		return fail(&ps, "empty expression");
	if (p_expr(&ps, &v) == -1)
		return -1;
	if (*ps.p != '\0')
		return fail_near(&ps, "unexpected");
	*out = v;
	return 0;
}

static int
p_expr(struct parser *ps, uint64_t *out)
{
	uint64_t	 a, b;
	char		 op;

	if (p_term(ps, &a) == -1)
		return -1;
	for (;;) {
		if (*ps->p != '+' && *ps->p != '-')
			break;
		op = *ps->p++;
		skip_blanks(ps);
		if (p_term(ps, &b) == -1)
			return -1;
		if (!ps->compute)
			continue;
		if (op == '+') {
			if (a > UINT64_MAX - b)
				return fail(ps, "overflow in %llu + %llu",
				    (unsigned long long)a,
				    (unsigned long long)b);
			a += b;
		} else {
			if (b > a)
				return fail(ps, "negative result of "
				    "%llu - %llu", (unsigned long long)a,
				    (unsigned long long)b);
			a -= b;
		}
	}
	*out = a;
	return 0;
}

static int
p_term(struct parser *ps, uint64_t *out)
{
	uint64_t	 a, b;
	char		 op;

	if (p_factor(ps, &a) == -1)
		return -1;
	for (;;) {
		if (*ps->p != '*' && *ps->p != '/' && *ps->p != '%')
			break;
		op = *ps->p++;
		skip_blanks(ps);
		if (p_factor(ps, &b) == -1)
			return -1;
		if (!ps->compute)
			continue;
		if (op == '*') {
			if (b != 0 && a > UINT64_MAX / b)
				return fail(ps, "overflow in %llu * %llu",
				    (unsigned long long)a,
				    (unsigned long long)b);
			a *= b;
		} else if (b == 0)
			return fail(ps, "division by zero");
		else if (op == '/')
			a /= b;
		else
			a %= b;
	}
	*out = a;
	return 0;
}

static int
p_factor(struct parser *ps, uint64_t *out)
{
	char		 name[WR_NAMELEN];
	uint64_t	 v = 0;
	size_t		 n;
	unsigned int	 d;
	int		 rc;

	if (*ps->p == '(') {
		if (++ps->depth > EXPR_MAXDEPTH)
			return fail(ps, "parentheses nested deeper than %d",
			    EXPR_MAXDEPTH);
		ps->p++;
		skip_blanks(ps);
		if (p_expr(ps, &v) == -1)
			return -1;
		if (*ps->p != ')')
			return fail_near(ps, "expected ')'");
		ps->p++;
		ps->depth--;
	} else if (*ps->p >= '0' && *ps->p <= '9') {
		for (; *ps->p >= '0' && *ps->p <= '9'; ps->p++) {
			d = (unsigned int)(*ps->p - '0');
			if (v > (UINT64_MAX - d) / 10)
				return fail(ps, "number too large");
			v = v * 10 + d;
		}
	} else if ((*ps->p >= 'a' && *ps->p <= 'z') ||
	    (*ps->p >= 'A' && *ps->p <= 'Z') || *ps->p == '_') {
		for (n = 0; (ps->p[n] >= 'a' && ps->p[n] <= 'z') ||
		    (ps->p[n] >= 'A' && ps->p[n] <= 'Z') ||
		    (ps->p[n] >= '0' && ps->p[n] <= '9') || ps->p[n] == '_';
		    n++)
			if (n + 1 >= sizeof(name))
				return fail(ps, "name too long");
		memcpy(name, ps->p, n);
		name[n] = '\0';
		ps->p += n;
		if (ps->lookup == NULL)
			rc = EXPR_UNKNOWN;
		else
			rc = ps->lookup(ps->arg, name, &v);
		if (rc == EXPR_NEGATIVE)
			return fail(ps, "parameter '%s' is negative", name);
		if (rc != 0)
			return fail(ps, "unknown parameter '%s'", name);
	} else if (*ps->p == '\0')
		return fail(ps, "unexpected end");
	else
		return fail_near(ps, "unexpected");
	skip_blanks(ps);
	*out = v;
	return 0;
}

static void
skip_blanks(struct parser *ps)
{
	while (*ps->p == ' ' || *ps->p == '\t')
		ps->p++;
}

static int
fail(struct parser *ps, const char *fmt, ...)
{
	va_list	 ap;

	if (ps->errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(ps->err, ps->errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* Show the offending character, or say the end came too early. */
static int
fail_near(struct parser *ps, const char *what)
{
	unsigned char	 c = (unsigned char)*ps->p;

	if (c == '\0')
		return fail(ps, "%s at the end", what);
	if (c > ' ' && c < 0x7f)
		return fail(ps, "%s '%c'", what, c);
	return fail(ps, "%s character 0x%02x", what, c);
}
