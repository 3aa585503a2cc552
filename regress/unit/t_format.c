/* objs: monitor/format.o common/vocab.o */
/*
 * The answers a client sees: WebRunner's "Name: value" lines, JSON, the
 * HTTP code and name of every outcome, and that nothing a runner sends
 * can break a line, the JSON, or the body's bounds.
 */
#include <sys/types.h>
#include <sys/queue.h>

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "common.h"
#include "monitor.h"
#include "test.h"

static struct http_res	 hr;

static void	 fill(struct resolved *, struct run_result *);
static int	 body_is(const char *);
static json_t	*body_json(void);
static int	 printable(void);
static json_t	*ret_of(uint32_t, uint32_t, uint64_t);

static void
fill(struct resolved *rsv, struct run_result *res)
{
	memset(rsv, 0, sizeof(*rsv));
	strlcpy(rsv->kernel, "sdot", sizeof(rsv->kernel));
	rsv->nparams = 2;
	strlcpy(rsv->names[0], "n", sizeof(rsv->names[0]));
	rsv->values[0] = 1024;
	strlcpy(rsv->names[1], "d", sizeof(rsv->names[1]));
	rsv->values[1] = -3;
	rsv->repeat = 25;
	rsv->ret = RET_F32;

	memset(res, 0, sizeof(*res));
	res->status = RS_OK;
	res->nevents = 3;
	res->repeat = 25;
	strlcpy(res->ev[0].name, "Cycles", sizeof(res->ev[0].name));
	res->ev[0].median = 1234;
	res->ev[0].min = 1200;
	res->ev[0].max = 1300;
	strlcpy(res->ev[1].name, "Instructions", sizeof(res->ev[1].name));
	res->ev[1].median = 5003;
	res->ev[1].min = 5003;
	res->ev[1].max = 5003;
	strlcpy(res->ev[2].name, "UOPS_DISPATCHED:PORT_0",
	    sizeof(res->ev[2].name));
	res->ev[2].state = EV_UNAVAILABLE;
	strlcpy(res->ev[2].reason, "not supported by this CPU",
	    sizeof(res->ev[2].reason));
	res->retval = 0x3fc00000;	/* 1.5f */
}

static int
body_is(const char *want)
{
	if (hr.len != strlen(want) || memcmp(hr.body, want, hr.len) != 0) {
		printf("# got %u bytes: '%.*s'\n", hr.len, (int)hr.len,
		    hr.body);
		return 0;
	}
	return 1;
}

static json_t *
body_json(void)
{
	json_error_t	 jerr;
	json_t		*o;

	if (hr.len == 0 || hr.body[hr.len - 1] != '\n')
		return NULL;
	o = json_loadb(hr.body, hr.len, 0, &jerr);
	if (o == NULL)
		printf("# %s: '%.*s'\n", jerr.text, (int)hr.len, hr.body);
	return o;
}

/* Every byte of the body is printable ASCII or a newline. */
static int
printable(void)
{
	uint32_t	 i;

	for (i = 0; i < hr.len; i++)
		if ((hr.body[i] < 0x20 || hr.body[i] >= 0x7f) &&
		    hr.body[i] != '\n')
			return 0;
	return hr.len < sizeof(hr.body);
}

/* The "return" member for a return type and raw bits; caller decrefs. */
static json_t *
ret_of(uint32_t ret, uint32_t retint, uint64_t bits)
{
	struct resolved		 rsv;
	struct run_result	 res;
	json_t			*o, *r;

	fill(&rsv, &res);
	rsv.ret = ret;
	rsv.retint = retint;
	res.retval = bits;
	if (format_result(&rsv, &res, 1, &hr) == -1 ||
	    (o = body_json()) == NULL)
		return NULL;
	r = json_incref(json_object_get(o, "return"));
	json_decref(o);
	return r;
}

int
main(void)
{
	struct resolved		 rsv;
	struct run_result	 res;
	json_t			*o, *e, *r;
	double			 d = 2.25;
	uint64_t		 bits;
	uint32_t		 i;
	char			 name[64];
	static const struct {
		uint32_t	 status;
		int		 code;
		const char	*name;
	} table[] = {
		{ RS_OK, 200, "OK" },
		{ RS_BAD_JOB, 400, "Bad request" },
		{ RS_LOAD_ERROR, 422, "Load error" },
		{ RS_NO_MEMORY, 503, "Out of memory" },
		{ RS_COUNTER_ERROR, 503, "Counter error" },
		{ RS_TIME_LIMIT, 422, "Time limit exceeded" },
		{ RS_MEMORY_LIMIT, 422, "Memory limit exceeded" },
		{ RS_SIGNALLED, 422, "Signalled" },
		{ RS_SYSCALL, 422, "Dangerous syscall" },
		{ RS_INTERNAL, 500, "Internal error" },
		{ RS_NO_KERNEL, 404, "Unknown kernel" },
		{ RS_UNAVAILABLE, 503, "Service unavailable" },
		{ 999, 500, "Internal error" }
	};

	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		snprintf(name, sizeof(name), "status %u: %d %s",
		    table[i].status, table[i].code, table[i].name);
		CHECK(status_http_code(table[i].status) == table[i].code &&
		    strcmp(status_name(table[i].status), table[i].name) == 0,
		    name);
	}

	/* WebRunner's text. */
	fill(&rsv, &res);
	CHECK(format_result(&rsv, &res, 0, &hr) == 0 && hr.code == 200 &&
	    hr.json == 0 && hr.retry_after == 0, "text: 200, not JSON");
	CHECK(body_is("Cycles: 1234\nInstructions: 5003\n"
	    "UOPS_DISPATCHED:PORT_0: unavailable (not supported by this "
	    "CPU)\n"), "text: one line per event, in order");
	res.ev[2].reason[0] = '\0';
	res.ev[0].median = -7;
	format_result(&rsv, &res, 0, &hr);
	CHECK(body_is("Cycles: -7\nInstructions: 5003\n"
	    "UOPS_DISPATCHED:PORT_0: unavailable\n"),
	    "text: no reason, a negative median");
	res.nevents = 0;
	CHECK(format_result(&rsv, &res, 0, &hr) == 0 && hr.code == 200 &&
	    hr.len == 0, "text: no events, an empty 200");

	/* JSON. */
	fill(&rsv, &res);
	CHECK(format_result(&rsv, &res, 1, &hr) == 0 && hr.code == 200 &&
	    hr.json == 1, "json: 200, JSON");
	o = body_json();
	CHECK(o != NULL, "json: parses, ends in a newline");
	if (o != NULL) {
		CHECK(strcmp(json_string_value(json_object_get(o, "status")),
		    "OK") == 0 && strcmp(json_string_value(json_object_get(o,
		    "kernel")), "sdot") == 0, "json: status and kernel");
		e = json_object_get(o, "parameters");
		CHECK(json_integer_value(json_object_get(e, "n")) == 1024 &&
		    json_integer_value(json_object_get(e, "d")) == -3 &&
		    json_object_size(e) == 2, "json: resolved parameters");
		CHECK(json_integer_value(json_object_get(o, "repeat")) == 25,
		    "json: repeat");
		e = json_object_get(json_object_get(o, "events"), "Cycles");
		CHECK(json_integer_value(json_object_get(e, "median")) ==
		    1234 && json_integer_value(json_object_get(e, "min")) ==
		    1200 && json_integer_value(json_object_get(e, "max")) ==
		    1300, "json: median, min and max");
		e = json_object_get(json_object_get(o, "events"),
		    "UOPS_DISPATCHED:PORT_0");
		CHECK(strcmp(json_string_value(json_object_get(e,
		    "unavailable")), "not supported by this CPU") == 0 &&
		    json_object_size(e) == 1, "json: an unavailable event");
		CHECK(json_real_value(json_object_get(o, "return")) == 1.5,
		    "json: a float return value");
		CHECK(strstr(hr.body, "\"Cycles\"") <
		    strstr(hr.body, "\"Instructions\""),
		    "json: events in the runner's order");
		json_decref(o);
	}

	memcpy(&bits, &d, sizeof(bits));
	r = ret_of(RET_F64, 0, bits);
	CHECK(json_real_value(r) == 2.25, "return: double");
	json_decref(r);
	r = ret_of(RET_F32, 0, 0x7fc00000);
	CHECK(json_is_string(r) && strcmp(json_string_value(r), "nan") == 0,
	    "return: a float NaN is \"nan\"");
	json_decref(r);
	r = ret_of(RET_F64, 0, 0xfff0000000000000ULL);
	CHECK(json_is_string(r) && strcmp(json_string_value(r), "-inf") == 0,
	    "return: -infinity is \"-inf\"");
	json_decref(r);
	r = ret_of(RET_VOID, 0, 12345);
	CHECK(json_is_null(r), "return: void is null");
	json_decref(r);
	r = ret_of(RET_INT, PT_INT32, 0xdeadbeefffffffffULL);
	CHECK(json_integer_value(r) == -1,
	    "return: int uses the low 32 bits, signed");
	json_decref(r);
	r = ret_of(RET_INT, PT_UINT8, 0x1ff);
	CHECK(json_integer_value(r) == 255, "return: uint8");
	json_decref(r);
	r = ret_of(RET_INT, PT_UINT64, 5003);
	CHECK(json_integer_value(r) == 5003, "return: uint64");
	json_decref(r);
	r = ret_of(RET_INT, PT_UINT64, UINT64_MAX);
	CHECK(json_is_string(r) && strcmp(json_string_value(r),
	    "18446744073709551615") == 0,
	    "return: a uint64 above 2^63 - 1 is a string");
	json_decref(r);
	r = ret_of(RET_INT, PT_INT64, UINT64_MAX);
	CHECK(json_integer_value(r) == -1, "return: int64");
	json_decref(r);

	/* Errors. */
	CHECK(format_error(422, RS_TIME_LIMIT, "ran longer than 2000 ms", 0,
	    &hr) == 0 && hr.code == 422 && hr.json == 0,
	    "error: the code as given");
	CHECK(body_is("Time limit exceeded: ran longer than 2000 ms\n"),
	    "error: one line, name and reason");
	format_error(400, RS_BAD_JOB, "", 0, &hr);
	CHECK(body_is("Bad request\n"), "error: no reason, the name alone");
	format_error(400, RS_BAD_JOB, NULL, 0, &hr);
	CHECK(body_is("Bad request\n"), "error: a NULL reason");
	format_error(42, RS_INTERNAL, "x", 0, &hr);
	CHECK(hr.code == 500, "error: a code outside 100..599 becomes 500");
	format_error(400, RS_BAD_JOB, "a\nb\r\"c\xff", 0, &hr);
	CHECK(body_is("Bad request: a?b?\"c?\n"),
	    "error: a reason cannot add lines");
	CHECK(format_error(422, RS_SYSCALL, "socket (41)", 1, &hr) == 0 &&
	    hr.json == 1, "error: JSON");
	o = body_json();
	CHECK(o != NULL && strcmp(json_string_value(json_object_get(o,
	    "status")), "Dangerous syscall") == 0 &&
	    json_integer_value(json_object_get(o, "code")) == 422 &&
	    strcmp(json_string_value(json_object_get(o, "reason")),
	    "socket (41)") == 0, "error: JSON status, code and reason");
	json_decref(o);
	format_error(400, RS_BAD_JOB, "say \"hi\" \\ bye", 1, &hr);
	o = body_json();
	CHECK(o != NULL && strcmp(json_string_value(json_object_get(o,
	    "reason")), "say \"hi\" \\ bye") == 0,
	    "error: quotes and backslashes survive JSON");
	json_decref(o);
	/* The network process's errors have the same shape. */
	hr.len = (uint32_t)error_format(hr.body, sizeof(hr.body), 413, NULL,
	    "object larger than max-body 65536 bytes", 0);
	CHECK(body_is("Payload too large: object larger than max-body 65536 "
	    "bytes\n"), "error: the network process's text");
	hr.len = (uint32_t)error_format(hr.body, sizeof(hr.body), 400, NULL,
	    "bad kernel name", 1);
	o = body_json();
	CHECK(o != NULL && strcmp(json_string_value(json_object_get(o,
	    "status")), "Bad request") == 0 &&
	    json_integer_value(json_object_get(o, "code")) == 400,
	    "error: the network process's JSON");
	json_decref(o);
	CHECK(strcmp(outcome(RS_TIME_LIMIT)->name, "time-limit") == 0 &&
	    strcmp(outcome(RS_NO_KERNEL)->name, "no-kernel") == 0 &&
	    strcmp(outcome(1000)->name, "internal") == 0,
	    "outcomes' names for logs and metrics");
	format_error(400, RS_BAD_JOB, "\xc3\x28 bad utf-8", 1, &hr);
	o = body_json();
	CHECK(o != NULL, "error: JSON survives invalid UTF-8 in a reason");
	json_decref(o);

	/* A failed run goes through format_result too. */
	fill(&rsv, &res);
	res.status = RS_SIGNALLED;
	strlcpy(res.reason, "SIGSEGV at 0x0", sizeof(res.reason));
	CHECK(format_result(&rsv, &res, 0, &hr) == 0 && hr.code == 422 &&
	    body_is("Signalled: SIGSEGV at 0x0\n"),
	    "a failed run is its status, not a 200");
	res.status = RS_COUNTER_ERROR;
	memset(res.reason, 'r', sizeof(res.reason));
	CHECK(format_result(&rsv, &res, 0, &hr) == 0 && hr.code == 503 &&
	    hr.len == strlen("Counter error: ") + WR_REASONLEN - 1 + 1,
	    "an unterminated reason is cut at its field");

	/* A hostile runner: unterminated, binary, too many events. */
	fill(&rsv, &res);
	res.nevents = 1000;
	for (i = 0; i < WR_MAXEVENTS; i++) {
		memset(res.ev[i].name, 'A' + (int)i, sizeof(res.ev[i].name));
		memset(res.ev[i].reason, 0xff, sizeof(res.ev[i].reason));
		res.ev[i].state = i % 2 ? EV_UNAVAILABLE : 7;
		res.ev[i].median = INT64_MIN;
	}
	res.ev[3].name[5] = '\n';
	res.ev[3].name[6] = '\0';
	rsv.nparams = 1000;
	CHECK(format_result(&rsv, &res, 0, &hr) == 0 && printable(),
	    "text: hostile events stay printable and in bounds");
	for (i = 0, bits = 0; i < hr.len; i++)
		bits += hr.body[i] == '\n';
	CHECK(bits == WR_MAXEVENTS, "text: at most WR_MAXEVENTS lines");
	CHECK(format_result(&rsv, &res, 1, &hr) == 0 && printable(),
	    "json: hostile events stay printable and in bounds");
	o = body_json();
	CHECK(o != NULL && json_object_size(json_object_get(o, "events")) ==
	    WR_MAXEVENTS && json_object_size(json_object_get(o,
	    "parameters")) <= WR_MAXPARAMS,
	    "json: hostile events give valid JSON");
	json_decref(o);

	/* The largest answer possible still fits, whole. */
	fill(&rsv, &res);
	res.nevents = WR_MAXEVENTS;
	rsv.nparams = WR_MAXPARAMS;
	for (i = 0; i < WR_MAXPARAMS; i++) {
		memset(rsv.names[i], 'a', sizeof(rsv.names[i]) - 1);
		rsv.names[i][sizeof(rsv.names[i]) - 1] = '\0';
		rsv.names[i][0] = 'a' + (char)i;
		rsv.values[i] = INT64_MIN;
	}
	for (i = 0; i < WR_MAXEVENTS; i++) {
		memset(res.ev[i].name, '"', sizeof(res.ev[i].name) - 1);
		res.ev[i].name[0] = 'a' + (char)i;
		memset(res.ev[i].reason, '\\', sizeof(res.ev[i].reason) - 1);
		res.ev[i].state = EV_UNAVAILABLE;
	}
	CHECK(format_result(&rsv, &res, 1, &hr) == 0 && hr.code == 200 &&
	    (o = body_json()) != NULL, "json: the largest answer fits whole");
	json_decref(o);
	CHECK(format_result(&rsv, &res, 0, &hr) == 0 && hr.code == 200 &&
	    hr.body[hr.len - 1] == '\n', "text: the largest answer fits whole");

	return TEST_DONE();
}
