/* objs: monitor/expr.o */
/*
 * Expressions in kernel specs: what they compute, and that every way out
 * of the unsigned 64-bit range is an error with a reason, not a wrap.
 */
#include <sys/types.h>
#include <sys/queue.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "monitor.h"
#include "test.h"

struct var {
	const char	*name;
	uint64_t	 val;
	int		 rc;
};

static const struct var vars[] = {
	{ "n", 1024, 0 },
	{ "incx", 3, 0 },
	{ "big", UINT64_MAX, 0 },
	{ "half", (uint64_t)1 << 32, 0 },
	{ "zero", 0, 0 },
	{ "neg", 0, EXPR_NEGATIVE },
	{ "_x9", 9, 0 },
	{ NULL, 0, 0 }
};

static int	 lookup(void *, const char *, uint64_t *);
static int	 ok(const char *, uint64_t);
static int	 fails(const char *, const char *);

static int	 lookups;

static int
lookup(void *arg, const char *name, uint64_t *val)
{
	const struct var	*v;

	(void)arg;
	lookups++;
	for (v = vars; v->name != NULL; v++)
		if (strcmp(v->name, name) == 0) {
			*val = v->val;
			return v->rc;
		}
	return EXPR_UNKNOWN;
}

static int
ok(const char *expr, uint64_t want)
{
	char		 err[128];
	uint64_t	 v = 0;

	if (expr_eval(expr, lookup, NULL, &v, err, sizeof(err)) == -1) {
		printf("# %s: %s\n", expr, err);
		return 0;
	}
	if (v != want)
		printf("# %s = %llu, want %llu\n", expr, (unsigned long long)v,
		    (unsigned long long)want);
	return v == want;
}

/* Fails, with want in the reason. */
static int
fails(const char *expr, const char *want)
{
	char		 err[128];
	uint64_t	 v = 12345;

	if (expr_eval(expr, lookup, NULL, &v, err, sizeof(err)) == 0) {
		printf("# %s = %llu, want an error\n", expr,
		    (unsigned long long)v);
		return 0;
	}
	if (strstr(err, want) == NULL) {
		printf("# %s: '%s', want '%s'\n", expr, err, want);
		return 0;
	}
	return v == 12345;
}

int
main(void)
{
	char		 deep[256], err[128];
	uint64_t	 v;
	int		 i;

	CHECK(ok("0", 0), "zero");
	CHECK(ok("42", 42), "a literal");
	CHECK(ok("18446744073709551615", UINT64_MAX), "the largest literal");
	CHECK(ok("007", 7), "leading zeros are decimal");
	CHECK(ok("2+3*4", 14), "* binds tighter than +");
	CHECK(ok("(2+3)*4", 20), "parentheses");
	CHECK(ok("10-3-2", 5), "- is left-associative");
	CHECK(ok("100/7%3", 2), "/ and % are left-associative");
	CHECK(ok("n*incx", 3072), "parameters");
	CHECK(ok(" n * incx ", 3072), "blanks between tokens");
	CHECK(ok("\tn\t+\t1", 1025), "tabs between tokens");
	CHECK(ok("(n*incx)*(n*incx)", 3072ULL * 3072), "nested products");
	CHECK(ok("_x9", 9), "names may start with _ and hold digits");
	CHECK(ok("big", UINT64_MAX), "a parameter at the top of the range");
	CHECK(ok("big-big", 0), "a subtraction down to 0");
	CHECK(ok("big/half", 0xffffffffULL), "a division");
	CHECK(fails("half*half-half*half", "overflow"),
	    "an intermediate overflow is not hidden by a later step");
	CHECK(ok("zero*big", 0), "zero times anything");

	CHECK(fails("18446744073709551615+1", "overflow"), "+ overflows");
	CHECK(fails("half*half", "overflow"), "* overflows");
	CHECK(fails("big*2", "overflow"), "* overflows from a parameter");
	CHECK(fails("18446744073709551616", "too large"),
	    "a literal above 2^64 - 1");
	CHECK(fails("99999999999999999999999", "too large"),
	    "a very long literal");
	CHECK(fails("1-2", "negative"), "an underflow");
	CHECK(fails("n-n-1", "negative"), "an underflow after a step");
	CHECK(fails("1/0", "division by zero"), "/ by zero");
	CHECK(fails("1%zero", "division by zero"), "% by zero");
	CHECK(fails("m*2", "unknown parameter 'm'"), "an unknown name");
	CHECK(fails("neg+1", "parameter 'neg' is negative"),
	    "a negative parameter");

	CHECK(fails("", "empty"), "an empty expression");
	CHECK(fails("   ", "empty"), "only blanks");
	CHECK(fails("1+", "end"), "a missing operand");
	CHECK(fails("(1", "expected ')'"), "an unclosed parenthesis");
	CHECK(fails("1)", "unexpected ')'"), "a stray parenthesis");
	CHECK(fails("()", "unexpected ')'"), "empty parentheses");
	CHECK(fails("n incx", "unexpected 'i'"), "two operands in a row");
	CHECK(fails("1 2", "unexpected '2'"), "two literals in a row");
	CHECK(fails("-1", "unexpected '-'"), "no unary minus");
	CHECK(fails("+1", "unexpected '+'"), "no unary plus");
	CHECK(fails("0x10", "unexpected 'x'"), "no hex");
	CHECK(fails("1e3", "unexpected 'e'"), "no exponents");
	CHECK(fails("2**3", "unexpected '*'"), "no power operator");
	CHECK(fails("n.x", "unexpected '.'"), "no dots");
	CHECK(fails("n\n", "character 0x0a"), "control characters");
	CHECK(fails("n\xc3\xa9", "character 0xc3"), "non-ASCII bytes");
	CHECK(fails("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaa", "too long"), "a name longer than a parameter name can be");

	/* Nesting is bounded, so a hostile spec cannot exhaust the stack. */
	memset(deep, 0, sizeof(deep));
	for (i = 0; i < EXPR_MAXDEPTH; i++)
		deep[i] = '(';
	deep[i] = '1';
	memset(deep + i + 1, ')', EXPR_MAXDEPTH);
	CHECK(ok(deep, 1), "parentheses nested EXPR_MAXDEPTH deep");
	memset(deep, 0, sizeof(deep));
	for (i = 0; i < EXPR_MAXDEPTH + 1; i++)
		deep[i] = '(';
	deep[i] = '1';
	memset(deep + i + 1, ')', EXPR_MAXDEPTH + 1);
	CHECK(fails(deep, "nested deeper"), "one level more is refused");
	memset(deep, 0, sizeof(deep));
	for (i = 0; i + 2 < (int)sizeof(deep); i += 2)
		memcpy(deep + i, "1+", 2);
	deep[i] = '1';
	CHECK(ok(deep, sizeof(deep) / 2), "a long flat sum is not nesting");

	/* Checking resolves names but computes nothing. */
	lookups = 0;
	CHECK(expr_check("1/0 + big*big - 5", lookup, NULL, err,
	    sizeof(err)) == 0, "expr_check ignores arithmetic errors");
	CHECK(lookups == 2, "expr_check still looks names up");
	CHECK(expr_check("n*m", lookup, NULL, err, sizeof(err)) == -1 &&
	    strcmp(err, "unknown parameter 'm'") == 0,
	    "expr_check rejects unknown names");
	CHECK(expr_check("n*", lookup, NULL, err, sizeof(err)) == -1,
	    "expr_check rejects bad syntax");
	CHECK(expr_eval("n", NULL, NULL, &v, err, sizeof(err)) == -1 &&
	    strstr(err, "unknown parameter 'n'") != NULL,
	    "no lookup means no names");
	CHECK(expr_eval("1/0", lookup, NULL, &v, err, 4) == -1 &&
	    strlen(err) == 3, "the reason is cut to the buffer");

	return TEST_DONE();
}
