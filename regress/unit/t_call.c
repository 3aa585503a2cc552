/* objs: runner/call.o runner/lowmap.o common/vocab.o */
/*
 * call: arguments arrive where the System V ABI puts them, buffers are
 * aligned, initialised and protected as the job asks, bad jobs are
 * refused with a reason, and return values come back bit-exact.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runner.h"
#include "test.h"

/* What the kernels below saw. */
static uint64_t	 seen_i[16];
static double	 seen_d[8];
static float	 seen_f[8];
static void	*seen_p[4];

/* Integers, floats and a double interleaved; two integers on the stack. */
static uint64_t
k_mixed(uint64_t a, float f0, uint64_t b, double d0, uint64_t c, uint64_t d,
    float f1, uint64_t e, uint64_t f, uint64_t g, float f2, uint64_t h)
{
	seen_i[0] = a;
	seen_i[1] = b;
	seen_i[2] = c;
	seen_i[3] = d;
	seen_i[4] = e;
	seen_i[5] = f;
	seen_i[6] = g;
	seen_i[7] = h;
	seen_f[0] = f0;
	seen_f[1] = f1;
	seen_f[2] = f2;
	seen_d[0] = d0;
	return 0x1122334455667788ULL;
}

/* The most the caller can pass: 16 integer words and 8 SSE values. */
static double
k_full(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
    uint64_t a5, uint64_t a6, uint64_t a7, uint64_t a8, uint64_t a9,
    uint64_t a10, uint64_t a11, uint64_t a12, uint64_t a13, uint64_t a14,
    uint64_t a15, double d0, double d1, double d2, double d3, double d4,
    double d5, double d6, double d7)
{
	uint64_t	 v[16] = { a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10,
			    a11, a12, a13, a14, a15 };
	double		 w[8] = { d0, d1, d2, d3, d4, d5, d6, d7 };

	memcpy(seen_i, v, sizeof(v));
	memcpy(seen_d, w, sizeof(w));
	return -2.5;
}

static float
k_f32(float x, float y)
{
	return x * y;
}

static void
k_ptrs(void *p0, void *p1, void *p2, void *p3)
{
	seen_p[0] = p0;
	seen_p[1] = p1;
	seen_p[2] = p2;
	seen_p[3] = p3;
}

static void
k_write(unsigned char *p)
{
	p[0] = 1;
}

static void
job_init(struct job *job, uint32_t ret)
{
	memset(job, 0, sizeof(*job));
	strlcpy(job->symbol, "k", sizeof(job->symbol));
	job->ret = ret;
	job->repeat = 1;
	job->memmax = 64 * 1024 * 1024;
}

static void
add_int(struct job *job, uint64_t v)
{
	job->args[job->nargs].kind = ARG_INT;
	job->args[job->nargs++].ival = v;
}

static void
add_sse(struct job *job, uint32_t kind, double v)
{
	job->args[job->nargs].kind = kind;
	job->args[job->nargs++].fval = v;
}

static uint32_t
add_buf(struct job *job, uint32_t elem, uint64_t count, uint32_t init,
    uint64_t align, uint64_t offset, uint32_t writable, uint64_t seed)
{
	struct job_buf	*b = &job->bufs[job->nbufs];

	b->elem = elem;
	b->count = count;
	b->init = init;
	b->align = align;
	b->offset = offset;
	b->writable = writable;
	b->seed = seed;
	job->args[job->nargs].kind = ARG_BUF;
	job->args[job->nargs++].index = job->nbufs;
	return job->nbufs++;
}

/* Run fn in a child; 0 if it exited normally, else the signal. */
static int
in_child(void (*fn)(void *), void *arg)
{
	pid_t	 pid;
	int	 st;

	fflush(stdout);
	if ((pid = fork()) == -1)
		return -1;
	if (pid == 0) {
		/* Die of the signal even where a sanitizer catches it. */
		signal(SIGSEGV, SIG_DFL);
		signal(SIGBUS, SIG_DFL);
		fn(arg);
		_exit(0);
	}
	if (waitpid(pid, &st, 0) == -1)
		return -1;
	return WIFSIGNALED(st) ? WTERMSIG(st) : 0;
}

static void
call_it(void *cf)
{
	call_kernel(cf);
}

static void
test_args(void)
{
	struct callframe	*cf;
	struct job		 job;
	char			 err[WR_REASONLEN];
	uint64_t		 r;
	double			 d;
	float			 f;
	uint32_t		 r32;
	int			 i, ok;

	job_init(&job, RET_INT);
	add_int(&job, 1);
	add_sse(&job, ARG_F32, 1.5);
	add_int(&job, 0xffffffffffffffffULL);
	add_sse(&job, ARG_F64, -3.25e100);
	add_int(&job, 3);
	add_int(&job, 4);
	add_sse(&job, ARG_F32, -0.1);
	add_int(&job, 5);
	add_int(&job, 0x8000000000000000ULL);
	add_int(&job, 7);
	add_sse(&job, ARG_F32, 1e30);
	add_int(&job, 8);
	cf = call_prepare(&job, (void *)k_mixed, err, sizeof(err));
	CHECK(cf != NULL, "mixed arguments: prepared");
	if (cf == NULL)
		return;
	r = call_kernel(cf);
	CHECK(r == 0x1122334455667788ULL, "mixed: integer return value");
	CHECK(seen_i[0] == 1 && seen_i[1] == 0xffffffffffffffffULL &&
	    seen_i[2] == 3 && seen_i[3] == 4 && seen_i[4] == 5 &&
	    seen_i[5] == 0x8000000000000000ULL && seen_i[6] == 7 &&
	    seen_i[7] == 8, "mixed: 8 integers in order, 2 on the stack");
	CHECK(seen_f[0] == 1.5f && seen_f[1] == -0.1f && seen_f[2] == 1e30f,
	    "mixed: 3 floats in order");
	CHECK(seen_d[0] == -3.25e100, "mixed: the double");
	memset(seen_i, 0, sizeof(seen_i));
	call_empty(cf);
	CHECK(seen_i[0] == 0, "call_empty does not call the kernel");
	call_free(cf);

	/* WR_MAXARGS in all: 16 integers, or 8 integers and 8 doubles. */
	job_init(&job, RET_F64);
	for (i = 0; i < 16; i++)
		add_int(&job, 0x0101010101010101ULL * (uint64_t)i + 1);
	cf = call_prepare(&job, (void *)k_full, err, sizeof(err));
	CHECK(cf != NULL, "16 integers: prepared");
	if (cf == NULL)
		return;
	r = call_kernel(cf);
	memcpy(&d, &r, sizeof(d));
	CHECK(d == -2.5, "double return value, bit-exact");
	for (ok = 1, i = 0; i < 16; i++)
		ok &= seen_i[i] == 0x0101010101010101ULL * (uint64_t)i + 1;
	CHECK(ok, "16 integers in order, 10 on the stack");
	call_empty(cf);
	call_free(cf);

	job_init(&job, RET_F64);
	for (i = 0; i < 8; i++) {
		add_sse(&job, ARG_F64, i * 0.5);
		add_int(&job, (uint64_t)i + 100);
	}
	cf = call_prepare(&job, (void *)k_full, err, sizeof(err));
	CHECK(cf != NULL, "8 doubles and 8 integers: prepared");
	if (cf == NULL)
		return;
	call_kernel(cf);
	for (ok = 1, i = 0; i < 8; i++)
		ok &= seen_d[i] == i * 0.5 && seen_i[i] == (uint64_t)i + 100;
	CHECK(ok, "8 doubles in xmm0..xmm7, integers interleaved in order");
	call_free(cf);

	job_init(&job, RET_F32);
	add_sse(&job, ARG_F32, 3.0);
	add_sse(&job, ARG_F32, -0.5);
	cf = call_prepare(&job, (void *)k_f32, err, sizeof(err));
	CHECK(cf != NULL, "float kernel: prepared");
	if (cf == NULL)
		return;
	r = call_kernel(cf);
	r32 = (uint32_t)r;
	memcpy(&f, &r32, sizeof(f));
	CHECK(f == -1.5f && r >> 32 == 0,
	    "float return value in the low 32 bits");
	call_free(cf);

	job_init(&job, RET_VOID);
	add_int(&job, 1);
	cf = call_prepare(&job, (void *)k_mixed, err, sizeof(err));
	CHECK(cf != NULL && call_kernel(cf) == 0, "void return value is 0");
	call_free(cf);
}

static void
test_buffers(void)
{
	static const uint64_t	 al[4] = { 1, 64, 4096, 1024 * 1024 };
	static const uint64_t	 of[4] = { 0, 3, 100, 4095 };
	struct callframe	*cf;
	struct job		 job;
	char			 err[WR_REASONLEN];
	void			*first[4];
	int			 i, ok;

	job_init(&job, RET_VOID);
	for (i = 0; i < 4; i++)
		add_buf(&job, ELEM_F64, 1000, INIT_ZERO, al[i], of[i], 1, 0);
	cf = call_prepare(&job, (void *)k_ptrs, err, sizeof(err));
	CHECK(cf != NULL, "four aligned buffers: prepared");
	if (cf == NULL)
		return;
	call_kernel(cf);
	memcpy(first, seen_p, sizeof(first));
	for (ok = 1, i = 0; i < 4; i++)
		ok &= (uintptr_t)seen_p[i] % al[i] == of[i] % al[i];
	CHECK(ok, "address % align == offset, up to 1 MiB alignment");
	for (ok = 1, i = 0; i < 4; i++) {
		size_t		 j;
		const char	*p = seen_p[i];

		for (j = 0; j < 1000 * sizeof(double); j++)
			ok &= p[j] == 0;
	}
	CHECK(ok, "zero buffers read zero");
	call_kernel(cf);
	CHECK(memcmp(first, seen_p, sizeof(first)) == 0,
	    "buffer addresses stable across calls");
	call_free(cf);
}

static void
test_init(void)
{
	struct callframe	*cf, *cf2;
	struct job		 job;
	char			 err[WR_REASONLEN];
	const int8_t		*i8;
	const uint16_t		*u16;
	const int32_t		*i32;
	const uint64_t		*u64;
	const float		*f32;
	const double		*f64;
	void			*p[4];
	int			 i, ok, differ;

	job_init(&job, RET_VOID);
	add_buf(&job, ELEM_I8, 300, INIT_ONES, 1, 1, 0, 0);
	add_buf(&job, ELEM_U16, 300, INIT_ONES, 1, 1, 0, 0);
	add_buf(&job, ELEM_F32, 300, INIT_ONES, 16, 0, 0, 0);
	add_buf(&job, ELEM_F64, 300, INIT_ONES, 8, 4, 0, 0);
	cf = call_prepare(&job, (void *)k_ptrs, err, sizeof(err));
	CHECK(cf != NULL, "ones: prepared");
	if (cf == NULL)
		return;
	call_kernel(cf);
	i8 = seen_p[0];
	u16 = seen_p[1];
	f32 = seen_p[2];
	for (ok = 1, i = 0; i < 300; i++) {
		uint16_t	 u;
		double		 d;

		memcpy(&u, (const char *)u16 + 2 * i, sizeof(u));
		memcpy(&d, (const char *)seen_p[3] + 8 * i, sizeof(d));
		ok &= i8[i] == 1 && u == 1 && f32[i] == 1.0f && d == 1.0;
	}
	CHECK(ok, "ones: 1 in i8, u16 (unaligned), 1.0 in f32 and f64");
	call_free(cf);

	job_init(&job, RET_VOID);
	add_buf(&job, ELEM_I8, 300, INIT_SEQUENCE, 1, 0, 0, 0);
	add_buf(&job, ELEM_I32, 300, INIT_SEQUENCE, 4, 0, 0, 0);
	add_buf(&job, ELEM_F32, 300, INIT_SEQUENCE, 4, 0, 0, 0);
	add_buf(&job, ELEM_U64, 300, INIT_SEQUENCE, 8, 0, 0, 0);
	cf = call_prepare(&job, (void *)k_ptrs, err, sizeof(err));
	CHECK(cf != NULL, "sequence: prepared");
	if (cf == NULL)
		return;
	call_kernel(cf);
	i8 = seen_p[0];
	i32 = seen_p[1];
	f32 = seen_p[2];
	u64 = seen_p[3];
	for (ok = 1, i = 0; i < 300; i++)
		ok &= i8[i] == (int8_t)(uint8_t)i && i32[i] == i &&
		    f32[i] == (float)i && u64[i] == (uint64_t)i;
	CHECK(ok, "sequence: element i holds i, wrapping in i8");
	call_free(cf);

	job_init(&job, RET_VOID);
	add_buf(&job, ELEM_F32, 100000, INIT_RANDOM, 4, 0, 0, 42);
	add_buf(&job, ELEM_F64, 100000, INIT_RANDOM, 8, 0, 0, 42);
	add_buf(&job, ELEM_U64, 1000, INIT_RANDOM, 8, 0, 0, 7);
	cf = call_prepare(&job, (void *)k_ptrs, err, sizeof(err));
	CHECK(cf != NULL, "random: prepared");
	if (cf == NULL)
		return;
	call_kernel(cf);
	memcpy(p, seen_p, sizeof(p));
	f32 = p[0];
	f64 = p[1];
	u64 = p[2];
	{
		double	 sum32 = 0, sum64 = 0;
		int	 hi = 0;

		for (ok = 1, i = 0; i < 100000; i++) {
			ok &= f32[i] >= 0.0f && f32[i] < 1.0f &&
			    f64[i] >= 0.0 && f64[i] < 1.0;
			sum32 += f32[i];
			sum64 += f64[i];
		}
		CHECK(ok, "random floats in [0,1)");
		CHECK(sum32 / 100000 > 0.49 && sum32 / 100000 < 0.51 &&
		    sum64 / 100000 > 0.49 && sum64 / 100000 < 0.51,
		    "random floats average 0.5");
		for (i = 0; i < 1000; i++)
			hi += u64[i] >> 63;
		CHECK(hi > 400 && hi < 600, "random integers use all bits");
	}
	/* Same seeds: same contents; another seed: other contents. */
	job.bufs[2].seed = 8;
	cf2 = call_prepare(&job, (void *)k_ptrs, err, sizeof(err));
	CHECK(cf2 != NULL, "random again: prepared");
	if (cf2 == NULL)
		return;
	call_kernel(cf2);
	CHECK(memcmp(p[0], seen_p[0], 100000 * sizeof(float)) == 0 &&
	    memcmp(p[1], seen_p[1], 100000 * sizeof(double)) == 0,
	    "random is deterministic for a seed");
	for (differ = 0, i = 0; i < 1000; i++)
		differ += u64[i] != ((const uint64_t *)seen_p[2])[i];
	CHECK(differ > 990, "another seed gives other numbers");
	call_free(cf2);
	call_free(cf);
}

static void
test_protect(void)
{
	struct callframe	*cf;
	struct job		 job;
	char			 err[WR_REASONLEN];

	job_init(&job, RET_VOID);
	add_buf(&job, ELEM_U8, 10, INIT_ZERO, 1, 0, 0, 0);
	cf = call_prepare(&job, (void *)k_write, err, sizeof(err));
	CHECK(cf != NULL, "const buffer: prepared");
	if (cf == NULL)
		return;
	CHECK(in_child(call_it, cf) == SIGSEGV,
	    "writing a const buffer faults");
	call_free(cf);

	job.bufs[0].writable = 1;
	cf = call_prepare(&job, (void *)k_write, err, sizeof(err));
	CHECK(cf != NULL && in_child(call_it, cf) == 0,
	    "writing a writable buffer works");
	call_free(cf);
}

static void
expect_bad(const struct job *job, const char *word, const char *name)
{
	struct callframe	*cf;
	char			 err[WR_REASONLEN];

	err[0] = '\0';
	cf = call_prepare(job, (void *)k_ptrs, err, sizeof(err));
	CHECK(cf == NULL && strstr(err, word) != NULL &&
	    strchr(err, '\n') == NULL, name);
	if (cf == NULL && strstr(err, word) == NULL)
		printf("# reason was: %s\n", err);
	call_free(cf);
}

static void
test_bad(void)
{
	struct callframe	*cf;
	struct job		 job;
	char			 err[WR_REASONLEN];
	int			 i;

	job_init(&job, RET_VOID);
	job.nargs = WR_MAXARGS + 1;
	expect_bad(&job, "arguments", "too many arguments");

	job_init(&job, RET_VOID);
	job.nbufs = WR_MAXBUFS + 1;
	expect_bad(&job, "buffers", "too many buffers");

	job_init(&job, RET_VOID);
	add_buf(&job, ELEM_U8, 10, INIT_ZERO, 1, 0, 1, 0);
	job.args[0].index = 1;
	expect_bad(&job, "buffer 1", "buffer index out of range");

	job_init(&job, RET_VOID);
	add_buf(&job, 0, 10, INIT_ZERO, 1, 0, 1, 0);
	expect_bad(&job, "element type", "element type 0");
	job.bufs[0].elem = ELEM_F64 + 1;
	expect_bad(&job, "element type", "element type too large");

	job_init(&job, RET_VOID);
	add_buf(&job, ELEM_U8, 10, 0, 1, 0, 1, 0);
	expect_bad(&job, "initialisation", "init kind 0");
	job.bufs[0].init = INIT_SEQUENCE + 1;
	expect_bad(&job, "initialisation", "init kind too large");

	job_init(&job, RET_VOID);
	add_buf(&job, ELEM_U8, 10, INIT_ZERO, 0, 0, 1, 0);
	expect_bad(&job, "alignment", "alignment 0");
	job.bufs[0].align = 48;
	expect_bad(&job, "alignment", "alignment not a power of two");
	job.bufs[0].align = 2 * 1024 * 1024;
	expect_bad(&job, "alignment", "alignment above 1 MiB");

	job_init(&job, RET_VOID);
	add_buf(&job, ELEM_U64, UINT64_MAX / 4, INIT_ZERO, 1, 0, 1, 0);
	expect_bad(&job, "memory limit", "count * size overflow");
	job.bufs[0].count = UINT64_MAX / 8;
	job.bufs[0].align = 1024 * 1024;
	expect_bad(&job, "memory limit", "size + align overflow");
	job.bufs[0].count = 1;
	job.bufs[0].align = 1;
	job.bufs[0].offset = UINT64_MAX;
	expect_bad(&job, "memory limit", "size + offset overflow");

	/* The limit is on the sum over all buffers, inclusive. */
	job_init(&job, RET_VOID);
	job.memmax = 3 * (1000 * 8 + 64 + 8);
	for (i = 0; i < 3; i++)
		add_buf(&job, ELEM_F64, 1000, INIT_ONES, 64, 8, 1, 0);
	cf = call_prepare(&job, (void *)k_ptrs, err, sizeof(err));
	CHECK(cf != NULL, "buffers exactly at memmax accepted");
	call_free(cf);
	job.memmax--;
	expect_bad(&job, "memory limit", "one byte over memmax refused");

	job_init(&job, RET_VOID);
	for (i = 0; i < 9; i++)
		add_sse(&job, i % 2 ? ARG_F32 : ARG_F64, 1.0);
	expect_bad(&job, "floating-point", "nine SSE arguments refused");

	job_init(&job, RET_VOID);
	add_int(&job, 1);
	job.args[0].kind = 0;
	expect_bad(&job, "kind", "unknown argument kind");
	job.args[0].kind = ARG_F64 + 1;
	expect_bad(&job, "kind", "argument kind too large");

	job_init(&job, 0);
	expect_bad(&job, "return type", "return type 0");
	job_init(&job, RET_F64 + 1);
	expect_bad(&job, "return type", "return type too large");

	call_free(NULL);
}

int
main(void)
{
	test_args();
	test_buffers();
	test_init();
	test_protect();
	test_bad();
	return TEST_DONE();
}
