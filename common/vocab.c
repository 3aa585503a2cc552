/*
 * The protocol's vocabulary, written down once for every process: what
 * each outcome is called and which HTTP code it gets, which characters
 * make a kernel name, a machine-id and a counter event, how large a buffer
 * element is, how text from a client or a runner is made safe to show,
 * and the one shape every error answer takes.
 */
#include <sys/types.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common.h"
#include "proto.h"

#define LOWER		"abcdefghijklmnopqrstuvwxyz"
#define UPPER		"ABCDEFGHIJKLMNOPQRSTUVWXYZ"
#define DIGITS		"0123456789"

static const char	*http_error_text(int);

/*
 * What each outcome means to a client, and the HTTP code it gets.  422
 * says "the request was understood, your code is what failed"; 408 would
 * tell clients and proxies to resend the same request, which would fail
 * the same way.  503 asks to retry later: the buffers were within the
 * limit but the host had no room, the machine cannot count, or it is busy.
 */
static const struct outcome outcomes[] = {
	[RS_OK] =		{ "ok", "OK", 200 },
	[RS_BAD_JOB] =		{ "bad-request", "Bad request", 400 },
	[RS_LOAD_ERROR] =	{ "load-error", "Load error", 422 },
	[RS_NO_MEMORY] =	{ "no-memory", "Out of memory", 503 },
	[RS_COUNTER_ERROR] =	{ "counter-error", "Counter error", 503 },
	[RS_TIME_LIMIT] =	{ "time-limit", "Time limit exceeded", 422 },
	[RS_MEMORY_LIMIT] =	{ "memory-limit", "Memory limit exceeded",
				    422 },
	[RS_SIGNALLED] =	{ "signalled", "Signalled", 422 },
	[RS_SYSCALL] =		{ "syscall", "Dangerous syscall", 422 },
	[RS_INTERNAL] =		{ "internal", "Internal error", 500 },
	[RS_NO_KERNEL] =	{ "no-kernel", "Unknown kernel", 404 },
	[RS_UNAVAILABLE] =	{ "unavailable", "Service unavailable", 503 }
};

/* Errors the network process answers before any run: their names. */
static const struct {
	int		 code;
	const char	*text;
} http_texts[] = {
	{ 401, "Unauthorized" },
	{ 404, "Not found" },
	{ 405, "Method not allowed" },
	{ 413, "Payload too large" },
	{ 414, "URI too long" }
};

/* Any status, even one a hostile peer made up, has an outcome. */
const struct outcome *
outcome(uint32_t status)
{
	if (status > RS_UNAVAILABLE)
		return &outcomes[RS_INTERNAL];
	return &outcomes[status];
}

/* What an error with this HTTP code and no run outcome is called. */
static const char *
http_error_text(int code)
{
	size_t	 i;

	for (i = 0; i < sizeof(http_texts) / sizeof(http_texts[0]); i++)
		if (http_texts[i].code == code)
			return http_texts[i].text;
	if (code == 503)
		return outcomes[RS_UNAVAILABLE].text;
	if (code >= 400 && code < 500)
		return outcomes[RS_BAD_JOB].text;
	return outcomes[RS_INTERNAL].text;
}

/* s is 1 to WR_NAMELEN - 1 characters, all of them from set. */
static int
name_of(const char *s, const char *set)
{
	size_t	 n = strnlen(s, WR_NAMELEN);

	return n > 0 && n < WR_NAMELEN && strspn(s, set) == n;
}

/* Kernel names are also file names in the spec directory: no dots. */
int
kernel_name_ok(const char *s)
{
	return name_of(s, LOWER DIGITS "_-");
}

int
machine_id_ok(const char *s)
{
	return name_of(s, UPPER LOWER DIGITS "._-");
}

/*
 * Counter events as perf, libpfm4 ("INST_RETIRED:ANY_P:u=1") and raw
 * codes ("r00c0") spell them.  No comma: a request lists its events
 * separated by commas, so a name with one could never be asked for.
 */
int
event_name_ok(const char *s)
{
	return name_of(s, UPPER LOWER DIGITS "_:.=-");
}

/* The bytes of one element of a buffer, 0 for no such type. */
size_t
elem_size(uint32_t elem)
{
	switch (elem) {
	case ELEM_I8:
	case ELEM_U8:
		return 1;
	case ELEM_I16:
	case ELEM_U16:
		return 2;
	case ELEM_I32:
	case ELEM_U32:
	case ELEM_F32:
		return 4;
	case ELEM_I64:
	case ELEM_U64:
	case ELEM_F64:
		return 8;
	default:
		return 0;
	}
}

/*
 * The one sanitizer for text that goes back to a client or into a log:
 * at most srclen bytes of src, up to its NUL, as printable ASCII, every
 * other byte a '?', so that nothing can break a line, a JSON string or a
 * terminal.  Text cut short ends in "...".  dst may be src.  Returns the
 * length written.
 */
size_t
str_clean(char *dst, size_t dstlen, const char *src, size_t srclen)
{
	size_t	 i;

	if (dstlen == 0)
		return 0;
	for (i = 0; i < srclen && i + 1 < dstlen && src[i] != '\0'; i++)
		dst[i] = (src[i] >= 0x20 && src[i] < 0x7f) ? src[i] : '?';
	if (i < srclen && src[i] != '\0' && i >= 3)
		memcpy(dst + i - 3, "...", 3);
	dst[i] = '\0';
	return i;
}

/*
 * Every error answer, from every process, has this shape: one line of
 * text, "Name: reason", or one JSON object,
 *
 *	{"status": "Name", "code": 400, "reason": "reason"}
 *
 * where Name is the outcome's (or the HTTP code's) name and reason is
 * one printable line.  Returns the body's length, or -1 when it does not
 * fit in len bytes (a reason is at most WR_REASONLEN, so a buffer of
 * ERROR_BODYLEN always holds it).
 */
int
error_format(char *buf, size_t len, int code, const char *name,
    const char *reason, int json)
{
	char		 why[WR_REASONLEN], esc[WR_REASONLEN * 2];
	const char	*s;
	size_t		 o = 0;
	int		 n;

	if (name == NULL)
		name = http_error_text(code);
	str_clean(why, sizeof(why), reason != NULL ? reason : "",
	    sizeof(why));
	if (!json) {
		if (why[0] == '\0')
			n = snprintf(buf, len, "%s\n", name);
		else
			n = snprintf(buf, len, "%s: %s\n", name, why);
	} else {
		/* Printable ASCII already: only quotes and backslashes. */
		for (s = why; *s != '\0'; s++) {
			if (*s == '"' || *s == '\\')
				esc[o++] = '\\';
			esc[o++] = *s;
		}
		esc[o] = '\0';
		n = snprintf(buf, len, "{\"status\": \"%s\", \"code\": %d, "
		    "\"reason\": \"%s\"}\n", name, code, esc);
	}
	if (n < 0 || (size_t)n >= len)
		return -1;
	return n;
}
