/*
 * Kernel specs: what a kernel is called, which query parameters it takes,
 * which buffers it gets and how it is called.  One JSON file per kernel,
 * described in webrunnerd-kernel(5).
 *
 * Everything in a spec is checked when it is loaded (names, types, ranges,
 * the syntax of every expression and the names in it), so that a typo is
 * reported once, at startup or SIGHUP, naming the file, and never shows up
 * as a strange answer to a request.  Resolving a request then only has to
 * check the request's own values.
 */
#include <sys/types.h>
#include <sys/queue.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/http.h>
#include <jansson.h>

#include "common.h"
#include "monitor.h"

#define KSPEC_DEFALIGN	64
#define LETTERS		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
#define DIGITS		"0123456789"

/* Parameter and buffer names are C identifiers. */
#define valid_name(s)	valid_chars((s), LETTERS "_", LETTERS DIGITS "_", \
			    WR_NAMELEN)
#define valid_kernel_name(s) valid_chars((s), \
			    "abcdefghijklmnopqrstuvwxyz" DIGITS "_-", \
			    "abcdefghijklmnopqrstuvwxyz" DIGITS "_-", WR_NAMELEN)
/* What assemblers and compilers put in a symbol table. */
#define valid_symbol(s)	valid_chars((s), LETTERS "_.$", \
			    LETTERS DIGITS "_.$", WR_SYMLEN)
#define EVENT_CHARS	LETTERS DIGITS "_:.=-"
#define KSPEC_MAXPAIRS	(WR_MAXPARAMS + 3)	/* + kernel, repeat, events */

struct loadctx {
	const char	*file;
	char		*err;
	size_t		 errlen;
};

/* Type names, with the range of a parameter or the size of an element. */
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

static const struct type_name elem_types[] = {
	{ "int8", ELEM_I8, 1, 0 }, { "uint8", ELEM_U8, 1, 0 },
	{ "int16", ELEM_I16, 2, 0 }, { "uint16", ELEM_U16, 2, 0 },
	{ "int32", ELEM_I32, 4, 0 }, { "uint32", ELEM_U32, 4, 0 },
	{ "int64", ELEM_I64, 8, 0 }, { "uint64", ELEM_U64, 8, 0 },
	{ "float", ELEM_F32, 4, 0 }, { "double", ELEM_F64, 8, 0 },
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
static const struct type_name *type_find(const struct type_name *,
		    uint32_t);
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
static int	 param_index(const struct kspec *, const char *);
static int	 buf_index(const struct kspec *, const char *);
static int	 check_lookup(void *, const char *, uint64_t *);
static int	 json_filter(const struct dirent *);
static int	 name_cmp(const struct dirent **, const struct dirent **);

/*
 * Loading.
 */

int
kspec_load_file(const char *path, struct kspec *ks, char *err,
    size_t errlen)
{
	struct stat	 st;
	char		*buf;
	ssize_t		 n;
	size_t		 len = 0;
	int		 fd, rc;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		close(fd);
		return -1;
	}
	if (st.st_size > KSPEC_FILEMAX) {
		snprintf(err, errlen, "%s: larger than %d bytes", path,
		    KSPEC_FILEMAX);
		close(fd);
		return -1;
	}
	/* One byte more than allowed, to notice a file that grew. */
	if ((buf = malloc(KSPEC_FILEMAX + 1)) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	while (len <= KSPEC_FILEMAX) {
		n = read(fd, buf + len, KSPEC_FILEMAX + 1 - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
			free(buf);
			close(fd);
			return -1;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	if (len > KSPEC_FILEMAX) {
		snprintf(err, errlen, "%s: larger than %d bytes", path,
		    KSPEC_FILEMAX);
		free(buf);
		return -1;
	}
	rc = kspec_load_buf(path, buf, len, ks, err, errlen);
	free(buf);
	return rc;
}

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

int
kspecs_load(const char *dir, struct kspecs *specs, char *err, size_t errlen)
{
	struct dirent	**names;
	struct kspec	*ks, *other;
	char		 path[1024];
	int		 i, n, rc = -1;

	TAILQ_INIT(specs);
	if ((n = scandir(dir, &names, json_filter, name_cmp)) == -1) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return -1;
	}
	if (n == 0) {
		snprintf(err, errlen, "%s: no kernel specs (*.json)", dir);
		free(names);
		return -1;
	}
	for (i = 0; i < n; i++) {
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir,
		    names[i]->d_name) >= sizeof(path)) {
			snprintf(err, errlen, "%s/%s: path too long", dir,
			    names[i]->d_name);
			goto done;
		}
		if ((ks = calloc(1, sizeof(*ks))) == NULL) {
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
			goto done;
		}
		if (kspec_load_file(path, ks, err, errlen) == -1) {
			free(ks);
			goto done;
		}
		if ((other = kspec_find(specs, ks->name)) != NULL) {
			snprintf(err, errlen, "%s: kernel '%s' is already "
			    "defined in %s", path, ks->name, other->file);
			free(ks);
			goto done;
		}
		TAILQ_INSERT_TAIL(specs, ks, entry);
	}
	rc = 0;
 done:
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	if (rc == -1)
		kspecs_free(specs);
	return rc;
}

void
kspecs_free(struct kspecs *specs)
{
	struct kspec	*ks;

	while ((ks = TAILQ_FIRST(specs)) != NULL) {
		TAILQ_REMOVE(specs, ks, entry);
		free(ks);
	}
}

struct kspec *
kspec_find(struct kspecs *specs, const char *name)
{
	struct kspec	*ks;

	TAILQ_FOREACH(ks, specs, entry)
		if (strcmp(ks->name, name) == 0)
			return ks;
	return NULL;
}

/* Visible *.json files; hidden ones are editor and backup files. */
static int
json_filter(const struct dirent *de)
{
	size_t	 len = strlen(de->d_name);

	return de->d_name[0] != '.' && len > 5 &&
	    strcmp(de->d_name + len - 5, ".json") == 0;
}

/* Byte order, whatever the locale. */
static int
name_cmp(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
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
	if (!valid_kernel_name(s))
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
	if (param_index(ks, name) != -1)
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
	if (param_index(ks, name) != -1)
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
		if (n < 1 || n > KSPEC_MAXALIGN || (n & (n - 1)) != 0)
			return lerr(ctx, "%s: align %lld is not a power of "
			    "two from 1 to %d", what, (long long)n,
			    KSPEC_MAXALIGN);
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
	a->param = param_index(ks, a->expr);
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
	if (param_index(arg, name) == -1)
		return EXPR_UNKNOWN;
	*val = 1;
	return 0;
}

static int
param_index(const struct kspec *ks, const char *name)
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
	size_t		 i;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	for (i = 0; msg[i] != '\0'; i++)
		if ((unsigned char)msg[i] < 0x20 || msg[i] == 0x7f)
			msg[i] = '?';
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

/* Types in a loaded spec are always in the table. */
static const struct type_name *
type_find(const struct type_name *t, uint32_t type)
{
	for (; t[1].name != NULL; t++)
		if (t->type == type)
			break;
	return t;
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

/*
 * Resolving a request.
 */

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
		else if ((j = param_index(ks, pairs[i].key)) != -1)
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
		esz = (int)type_find(elem_types, b->elem)->lo;
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

	if ((i = param_index(rc->ks, name)) == -1)
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
