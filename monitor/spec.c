/*
 * Kernel specs: what a kernel is called, which query parameters it takes,
 * which buffers it gets and how it is called.  One JSON file per kernel,
 * described in webrunnerd-kernel(5).
 *
 * Everything in a spec is checked when it is loaded (names, types, ranges,
 * the syntax of every expression and the names in it), so that a typo is
 * reported once, at startup or SIGHUP, naming the file, and never shows up
 * as a strange answer to a request.  Resolving a request then only has to
 * check the request's own values (resolve.c).  This file reads one spec's
 * JSON; specdir.c reads the files.
 */
#include <sys/types.h>
#include <sys/queue.h>

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "common.h"
#include "monitor.h"

#define KSPEC_DEFALIGN	64
#define LETTERS		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
#define DIGITS		"0123456789"

/* Parameter and buffer names are C identifiers. */
#define valid_name(s)	valid_chars((s), LETTERS "_", LETTERS DIGITS "_", \
			    WR_NAMELEN)
/* What assemblers and compilers put in a symbol table. */
#define valid_symbol(s)	valid_chars((s), LETTERS "_.$", \
			    LETTERS DIGITS "_.$", WR_SYMLEN)

struct loadctx {
	const char	*file;
	char		*err;
	size_t		 errlen;
};

/* Type names, with the range of a parameter. */
struct type_name {
	const char	*name;
	uint32_t	 type;
	int64_t		 lo;
	int64_t		 hi;
};

/* uint64 stops at INT64_MAX: values travel as int64_t and JSON numbers. */
static const struct type_name param_types[] = {
	{ "uint8", PT_UINT8, 0, UINT8_MAX },
	{ "uint16", PT_UINT16, 0, UINT16_MAX },
	{ "uint32", PT_UINT32, 0, UINT32_MAX },
	{ "uint64", PT_UINT64, 0, INT64_MAX },
	{ "int8", PT_INT8, INT8_MIN, INT8_MAX },
	{ "int16", PT_INT16, INT16_MIN, INT16_MAX },
	{ "int32", PT_INT32, INT32_MIN, INT32_MAX },
	{ "int64", PT_INT64, INT64_MIN, INT64_MAX },
	{ NULL, 0, 0, 0 }
};

/* Their sizes are elem_size()'s, the runner's too. */
static const struct type_name elem_types[] = {
	{ "int8", ELEM_I8, 0, 0 }, { "uint8", ELEM_U8, 0, 0 },
	{ "int16", ELEM_I16, 0, 0 }, { "uint16", ELEM_U16, 0, 0 },
	{ "int32", ELEM_I32, 0, 0 }, { "uint32", ELEM_U32, 0, 0 },
	{ "int64", ELEM_I64, 0, 0 }, { "uint64", ELEM_U64, 0, 0 },
	{ "float", ELEM_F32, 0, 0 }, { "double", ELEM_F64, 0, 0 },
	{ NULL, 0, 0, 0 }
};

static const struct type_name init_names[] = {
	{ "zero", INIT_ZERO, 0, 0 }, { "ones", INIT_ONES, 0, 0 },
	{ "random", INIT_RANDOM, 0, 0 }, { "sequence", INIT_SEQUENCE, 0, 0 },
	{ NULL, 0, 0, 0 }
};

/* Query names that are not kernel parameters, and names kept for later. */
static const char *const reserved[] = {
	"kernel", "repeat", "events", "time", "memory", "time-limit",
	"memory-limit", NULL
};

static const char *const spec_keys[] = {
	"name", "symbol", "description", "parameters", "buffers",
	"arguments", "return", NULL
};
static const char *const param_keys[] = {
	"name", "type", "default", "min", "max", "description", NULL
};
static const char *const buf_keys[] = {
	"name", "type", "count", "offset", "align", "init", "seed",
	"writable", "description", NULL
};

static int	 lerr(struct loadctx *, const char *, ...)
		    __attribute__((__format__(__printf__, 2, 3)));
static int	 check_keys(struct loadctx *, json_t *, const char *const *,
		    const char *);
static const struct type_name *type_lookup(const struct type_name *,
		    const char *, uint32_t *);
static int	 valid_chars(const char *, const char *, const char *,
		    size_t);
static int	 is_reserved(const char *);
static int	 load_spec(struct loadctx *, json_t *, struct kspec *);
static int	 load_param(struct loadctx *, json_t *, struct kspec *,
		    struct kparam *, size_t);
static int	 load_buf(struct loadctx *, json_t *, struct kspec *,
		    struct kbuf *, size_t);
static int	 load_arg(struct loadctx *, json_t *, struct kspec *,
		    struct karg *, size_t);
static int	 load_expr(struct loadctx *, json_t *, struct kspec *,
		    char *, size_t, const char *);
static int	 load_return(struct loadctx *, json_t *, struct kspec *);
static int	 buf_index(const struct kspec *, const char *);
static int	 check_lookup(void *, const char *, uint64_t *);

int
kspec_load_buf(const char *name, const void *buf, size_t len,
    struct kspec *ks, char *err, size_t errlen)
{
	struct loadctx	 ctx;
	json_error_t	 jerr;
	json_t		*root;
	int		 rc;

	ctx.file = name;
	ctx.err = err;
	ctx.errlen = errlen;
	memset(ks, 0, sizeof(*ks));
	if (strlcpy(ks->file, name, sizeof(ks->file)) >= sizeof(ks->file))
		return lerr(&ctx, "file name too long");
	root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL)
		return lerr(&ctx, "line %d, column %d: %s", jerr.line,
		    jerr.column, jerr.text);
	rc = load_spec(&ctx, root, ks);
	json_decref(root);
	return rc;
}

static int
load_spec(struct loadctx *ctx, json_t *root, struct kspec *ks)
{
	json_t		*v, *item;
	const char	*s;
	size_t		 i, j;
	uint32_t	 nsse = 0;
	int		 used;

	if (!json_is_object(root))
		return lerr(ctx, "not a JSON object");
	if (check_keys(ctx, root, spec_keys, "") == -1)
		return -1;

	if ((s = json_string_value(json_object_get(root, "name"))) == NULL)
		return lerr(ctx, "\"name\" must be a string");
	if (!kernel_name_ok(s))
		return lerr(ctx, "name: '%s' is not 1 to %d characters of "
		    "a-z, 0-9, '_' and '-'", s, WR_NAMELEN - 1);
	strlcpy(ks->name, s, sizeof(ks->name));

	if ((v = json_object_get(root, "symbol")) != NULL) {
		if ((s = json_string_value(v)) == NULL)
			return lerr(ctx, "\"symbol\" must be a string");
	} else
		s = ks->name;
	if (!valid_symbol(s))
		return lerr(ctx, "symbol: '%s' is not a valid symbol name%s",
		    s, v == NULL ? "; set \"symbol\"" : "");
	strlcpy(ks->symbol, s, sizeof(ks->symbol));

	if ((v = json_object_get(root, "description")) != NULL) {
		if ((s = json_string_value(v)) == NULL)
			return lerr(ctx, "\"description\" must be a string");
		if (strlcpy(ks->description, s, sizeof(ks->description)) >=
		    sizeof(ks->description))
			return lerr(ctx, "description: longer than %d bytes",
			    KSPEC_DESCLEN - 1);
	}

	if ((v = json_object_get(root, "parameters")) != NULL) {
		if (!json_is_array(v))
			return lerr(ctx, "\"parameters\" must be an array");
		if (json_array_size(v) > WR_MAXPARAMS)
			return lerr(ctx, "%zu parameters, at most %d",
			    json_array_size(v), WR_MAXPARAMS);
		json_array_foreach(v, i, item) {
			if (load_param(ctx, item, ks, &ks->params[i], i) == -1)
				return -1;
			ks->nparams = i + 1;
		}
	}

	if ((v = json_object_get(root, "buffers")) != NULL) {
		if (!json_is_array(v))
			return lerr(ctx, "\"buffers\" must be an array");
		if (json_array_size(v) > WR_MAXBUFS)
			return lerr(ctx, "%zu buffers, at most %d",
			    json_array_size(v), WR_MAXBUFS);
		json_array_foreach(v, i, item) {
			if (load_buf(ctx, item, ks, &ks->bufs[i], i) == -1)
				return -1;
			ks->nbufs = i + 1;
		}
	}

	if ((v = json_object_get(root, "arguments")) != NULL) {
		if (!json_is_array(v))
			return lerr(ctx, "\"arguments\" must be an array");
		if (json_array_size(v) > WR_MAXARGS)
			return lerr(ctx, "%zu arguments, at most %d",
			    json_array_size(v), WR_MAXARGS);
		json_array_foreach(v, i, item) {
			if (load_arg(ctx, item, ks, &ks->args[i], i) == -1)
				return -1;
			ks->nargs = i + 1;
			if ((ks->args[i].kind == ARG_F32 ||
			    ks->args[i].kind == ARG_F64) &&
			    ++nsse > KSPEC_MAXSSE)
				return lerr(ctx, "arguments: more than %d "
				    "float or double arguments", KSPEC_MAXSSE);
		}
	}

	/* A buffer nobody gets is most likely a typo in "arguments". */
	for (i = 0; i < ks->nbufs; i++) {
		used = 0;
		for (j = 0; j < ks->nargs; j++)
			if (ks->args[j].kind == ARG_BUF && ks->args[j].buf == i)
				used = 1;
		if (!used)
			return lerr(ctx, "buffer '%s' is not passed to the "
			    "kernel", ks->bufs[i].name);
	}

	return load_return(ctx, json_object_get(root, "return"), ks);
}

static int
load_param(struct loadctx *ctx, json_t *obj, struct kspec *ks,
    struct kparam *p, size_t idx)
{
	const struct type_name	*pt;
	const char		*name, *tname, *key;
	char			 what[WR_NAMELEN + 16];
	json_t			*v;
	int64_t			 lo, hi, *dst;
	int			 i;

	if (!json_is_object(obj))
		return lerr(ctx, "parameters[%zu]: not an object", idx);
	if ((name = json_string_value(json_object_get(obj, "name"))) == NULL)
		return lerr(ctx, "parameters[%zu]: \"name\" must be a string",
		    idx);
	if (!valid_name(name))
		return lerr(ctx, "parameters[%zu]: '%s' is not a valid name",
		    idx, name);
	snprintf(what, sizeof(what), "parameter '%s'", name);
	if (check_keys(ctx, obj, param_keys, what) == -1)
		return -1;
	if (is_reserved(name))
		return lerr(ctx, "%s: the name is reserved", what);
	if (kspec_param_index(ks, name) != -1)
		return lerr(ctx, "parameter '%s' is defined twice", name);
	strlcpy(p->name, name, sizeof(p->name));

	if ((tname = json_string_value(json_object_get(obj, "type"))) == NULL)
		return lerr(ctx, "parameter '%s': \"type\" must be a string",
		    name);
	if ((pt = type_lookup(param_types, tname, &p->type)) == NULL)
		return lerr(ctx, "parameter '%s': unknown type '%s'", name,
		    tname);
	lo = p->min = pt->lo;
	hi = p->max = pt->hi;
	for (i = 0; i < 3; i++) {
		key = i == 0 ? "min" : i == 1 ? "max" : "default";
		dst = i == 0 ? &p->min : i == 1 ? &p->max : &p->def;
		if ((v = json_object_get(obj, key)) == NULL)
			continue;
		if (!json_is_integer(v))
			return lerr(ctx, "parameter '%s': \"%s\" must be an "
			    "integer", name, key);
		*dst = json_integer_value(v);
		if (*dst < lo || *dst > hi)
			return lerr(ctx, "parameter '%s': %s %lld is outside "
			    "the range of %s", name, key, (long long)*dst,
			    tname);
		if (i == 2)
			p->hasdef = 1;
	}
	if (p->min > p->max)
		return lerr(ctx, "parameter '%s': min %lld is above max %lld",
		    name, (long long)p->min, (long long)p->max);
	if (p->hasdef && (p->def < p->min || p->def > p->max))
		return lerr(ctx, "parameter '%s': default %lld is outside "
		    "[%lld, %lld]", name, (long long)p->def,
		    (long long)p->min, (long long)p->max);
	if ((v = json_object_get(obj, "description")) != NULL &&
	    !json_is_string(v))
		return lerr(ctx, "parameter '%s': \"description\" must be a "
		    "string", name);
	return 0;
}

static int
load_buf(struct loadctx *ctx, json_t *obj, struct kspec *ks, struct kbuf *b,
    size_t idx)
{
	const char	*name, *s;
	char		 what[WR_NAMELEN + 16], field[WR_NAMELEN + 32];
	json_t		*v;
	json_int_t	 n;

	if (!json_is_object(obj))
		return lerr(ctx, "buffers[%zu]: not an object", idx);
	if ((name = json_string_value(json_object_get(obj, "name"))) == NULL)
		return lerr(ctx, "buffers[%zu]: \"name\" must be a string",
		    idx);
	if (!valid_name(name))
		return lerr(ctx, "buffers[%zu]: '%s' is not a valid name", idx,
		    name);
	snprintf(what, sizeof(what), "buffer '%s'", name);
	if (check_keys(ctx, obj, buf_keys, what) == -1)
		return -1;
	if (is_reserved(name))
		return lerr(ctx, "%s: the name is reserved", what);
	if (buf_index(ks, name) != -1)
		return lerr(ctx, "%s is defined twice", what);
	if (kspec_param_index(ks, name) != -1)
		return lerr(ctx, "%s: a parameter has the same name", what);
	strlcpy(b->name, name, sizeof(b->name));

	if ((s = json_string_value(json_object_get(obj, "type"))) == NULL)
		return lerr(ctx, "%s: \"type\" must be a string", what);
	if (type_lookup(elem_types, s, &b->elem) == NULL)
		return lerr(ctx, "%s: unknown element type '%s'", what, s);

	if ((v = json_object_get(obj, "count")) == NULL)
		return lerr(ctx, "%s: \"count\" is missing", what);
	snprintf(field, sizeof(field), "%s: count", what);
	if (load_expr(ctx, v, ks, b->count, sizeof(b->count), field) == -1)
		return -1;
	snprintf(field, sizeof(field), "%s: offset", what);
	if ((v = json_object_get(obj, "offset")) == NULL)
		strlcpy(b->offset, "0", sizeof(b->offset));
	else if (load_expr(ctx, v, ks, b->offset, sizeof(b->offset),
	    field) == -1)
		return -1;

	b->align = KSPEC_DEFALIGN;
	if ((v = json_object_get(obj, "align")) != NULL) {
		if (!json_is_integer(v))
			return lerr(ctx, "%s: \"align\" must be an integer",
			    what);
		n = json_integer_value(v);
		if (n < 1 || n > WR_MAXALIGN || (n & (n - 1)) != 0)
			return lerr(ctx, "%s: align %lld is not a power of "
			    "two from 1 to %d", what, (long long)n,
			    WR_MAXALIGN);
		b->align = (uint64_t)n;
	}

	b->init = INIT_ZERO;
	if ((v = json_object_get(obj, "init")) != NULL) {
		if ((s = json_string_value(v)) == NULL)
			return lerr(ctx, "%s: \"init\" must be a string", what);
		if (type_lookup(init_names, s, &b->init) == NULL)
			return lerr(ctx, "%s: unknown init '%s' (zero, ones, "
			    "random or sequence)", what, s);
	}
	/* Distinct buffers get distinct data unless a seed is given. */
	b->seed = idx + 1;
	if ((v = json_object_get(obj, "seed")) != NULL) {
		if (b->init != INIT_RANDOM)
			return lerr(ctx, "%s: \"seed\" needs \"init\": "
			    "\"random\"", what);
		if (!json_is_integer(v) || json_integer_value(v) < 0)
			return lerr(ctx, "%s: \"seed\" must be an integer "
			    ">= 0", what);
		b->seed = (uint64_t)json_integer_value(v);
	}

	if ((v = json_object_get(obj, "writable")) != NULL) {
		if (!json_is_boolean(v))
			return lerr(ctx, "%s: \"writable\" must be true or "
			    "false", what);
		b->writable = json_is_true(v);
	}
	if ((v = json_object_get(obj, "description")) != NULL &&
	    !json_is_string(v))
		return lerr(ctx, "%s: \"description\" must be a string", what);
	return 0;
}

static int
load_arg(struct loadctx *ctx, json_t *v, struct kspec *ks, struct karg *a,
    size_t idx)
{
	const char	*key, *s;
	char		 what[32];
	json_t		*num;
	int		 i;

	snprintf(what, sizeof(what), "arguments[%zu]", idx);
	a->param = -1;
	if (json_is_object(v)) {
		if (json_object_size(v) != 1)
			return lerr(ctx, "%s: an object must be {\"float\": "
			    "N} or {\"double\": N}", what);
		json_object_foreach(v, key, num) {
			if (strcmp(key, "float") == 0)
				a->kind = ARG_F32;
			else if (strcmp(key, "double") == 0)
				a->kind = ARG_F64;
			else
				return lerr(ctx, "%s: unknown key '%s' (float "
				    "or double)", what, key);
			if (!json_is_number(num))
				return lerr(ctx, "%s: \"%s\" must be a number",
				    what, key);
			a->fval = json_number_value(num);
		}
		return 0;
	}
	if ((s = json_string_value(v)) != NULL &&
	    (i = buf_index(ks, s)) != -1) {
		a->kind = ARG_BUF;
		a->buf = (uint32_t)i;
		return 0;
	}
	if (!json_is_string(v) && !json_is_integer(v))
		return lerr(ctx, "%s: must be a buffer name, an integer "
		    "expression or {\"float\": N}", what);
	a->kind = ARG_INT;
	if (load_expr(ctx, v, ks, a->expr, sizeof(a->expr), what) == -1)
		return -1;
	/* A bare parameter passes its value as is, negative ones too. */
	a->param = kspec_param_index(ks, a->expr);
	return 0;
}

/* An expression as a string, or a non-negative integer literal. */
static int
load_expr(struct loadctx *ctx, json_t *v, struct kspec *ks, char *dst,
    size_t len, const char *what)
{
	const char	*s;
	char		 err[128];

	if (json_is_integer(v)) {
		if (json_integer_value(v) < 0)
			return lerr(ctx, "%s: %lld is negative", what,
			    (long long)json_integer_value(v));
		snprintf(dst, len, "%lld", (long long)json_integer_value(v));
		return 0;
	}
	if ((s = json_string_value(v)) == NULL)
		return lerr(ctx, "%s: an expression must be a string or an "
		    "integer", what);
	if (strlcpy(dst, s, len) >= len)
		return lerr(ctx, "%s: expression longer than %zu bytes", what,
		    len - 1);
	if (expr_check(dst, check_lookup, ks, err, sizeof(err)) == -1)
		return lerr(ctx, "%s: %s", what, err);
	return 0;
}

static int
load_return(struct loadctx *ctx, json_t *v, struct kspec *ks)
{
	const char	*s;

	if (v == NULL) {
		ks->ret = RET_VOID;
		return 0;
	}
	if ((s = json_string_value(v)) == NULL)
		return lerr(ctx, "\"return\" must be a string");
	if (strcmp(s, "void") == 0)
		ks->ret = RET_VOID;
	else if (strcmp(s, "float") == 0)
		ks->ret = RET_F32;
	else if (strcmp(s, "double") == 0)
		ks->ret = RET_F64;
	else if (strcmp(s, "int") == 0) {
		/* C's int: only the low 32 bits of rax are defined. */
		ks->ret = RET_INT;
		ks->retint = PT_INT32;
	} else if (type_lookup(param_types, s, &ks->retint) != NULL)
		ks->ret = RET_INT;
	else
		return lerr(ctx, "return: unknown type '%s' (void, int, "
		    "int8..int64, uint8..uint64, float or double)", s);
	return 0;
}

/* Every name in a spec's expressions must be one of its parameters. */
static int
check_lookup(void *arg, const char *name, uint64_t *val)
{
	if (kspec_param_index(arg, name) == -1)
		return EXPR_UNKNOWN;
	*val = 1;
	return 0;
}

/* The index of parameter `name' in the spec, or -1. */
int
kspec_param_index(const struct kspec *ks, const char *name)
{
	uint32_t	 i;

	for (i = 0; i < ks->nparams; i++)
		if (strcmp(ks->params[i].name, name) == 0)
			return (int)i;
	return -1;
}

static int
buf_index(const struct kspec *ks, const char *name)
{
	uint32_t	 i;

	for (i = 0; i < ks->nbufs; i++)
		if (strcmp(ks->bufs[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* Unknown keys are errors: a misspelt "defualt" must not pass silently. */
static int
check_keys(struct loadctx *ctx, json_t *obj, const char *const *allowed,
    const char *what)
{
	const char	*key;
	json_t		*v;
	size_t		 i;

	json_object_foreach(obj, key, v) {
		for (i = 0; allowed[i] != NULL; i++)
			if (strcmp(key, allowed[i]) == 0)
				break;
		if (allowed[i] == NULL)
			return lerr(ctx, "%s%sunknown key '%s'", what,
			    what[0] != '\0' ? ": " : "", key);
	}
	return 0;
}

/* "file: reason", one printable line: spec strings end up in the log. */
static int
lerr(struct loadctx *ctx, const char *fmt, ...)
{
	char		 msg[512];
	va_list		 ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	str_clean(msg, sizeof(msg), msg, sizeof(msg));
	snprintf(ctx->err, ctx->errlen, "%s: %s", ctx->file, msg);
	return -1;
}

static const struct type_name *
type_lookup(const struct type_name *t, const char *name, uint32_t *type)
{
	for (; t->name != NULL; t++)
		if (strcmp(t->name, name) == 0) {
			*type = t->type;
			return t;
		}
	return NULL;
}

/* s is 1 to max - 1 characters, the first from first, all from rest. */
static int
valid_chars(const char *s, const char *first, const char *rest, size_t max)
{
	size_t	 len = strlen(s);

	return len > 0 && len < max && strchr(first, s[0]) != NULL &&
	    strspn(s, rest) == len;
}

static int
is_reserved(const char *name)
{
	size_t	 i;

	for (i = 0; reserved[i] != NULL; i++)
		if (strcmp(name, reserved[i]) == 0)
			return 1;
	return 0;
}
