/*
 * Lay out a job's buffers and call its kernel with the System V x86-64
 * calling convention.
 *
 * The kernel is called as through a pointer of the prototype
 *
 *	uint64_t f(uint64_t x 16, double x 8)
 *
 * The ABI classifies each argument on its own: the first six INTEGER
 * arguments go to rdi, rsi, rdx, rcx, r8, r9 and the rest to the stack in
 * order, the first eight SSE arguments to xmm0..xmm7.  Integer and SSE
 * arguments never take each other's places, so a kernel declared with any
 * mix of at most 16 integer or pointer arguments and at most 8 float or
 * double arguments finds its integers and its floats where it expects
 * them, whatever their interleaving in its prototype.  The unused trailing
 * stack slots and registers are harmless: the caller owns and pops them.
 * A float argument is passed as a double whose low 32 bits hold the
 * float's bits, since the callee reads only the low lane of its xmm
 * register.  al, which a variadic callee reads as a bound on the vector
 * registers used, holds the low byte of the kernel's address: such a
 * callee at worst saves all eight.
 *
 * The caller-side path, identical for the kernel and the empty function:
 *
 *	call_kernel() / call_empty()
 *	  -> invoke(cf, target)     never inlined nor cloned
 *	     -> call_site()         in assembly:
 *	          load the 16 integer words and 8 doubles from cf,
 *	          the stepper's int3 while soft_step() asks for it,
 *	          `call *%rax' of target
 *	     switch on cf->ret to take the return value's raw bits
 *
 * call_kernel() and call_empty() differ only in which pointer of the frame
 * they pass, so both execute the same instructions in the same order
 * around the call, and counters.c can subtract the cost of call_empty()
 * from call_kernel() exactly.  The empty function is one `ret', written in
 * assembly so the compiler can neither see into it nor elide the call.
 */
#include <sys/types.h>
#include <sys/mman.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "runner.h"

#define CALL_NINT	16	/* integer-class argument words */
#define CALL_NSSE	8	/* SSE-class arguments */

/* gcc could still specialise invoke() per call site; forbid it. */
#if defined(__GNUC__) && !defined(__clang__)
#define CALL_NOINLINE	__attribute__((__noinline__, __noclone__))
#else
#define CALL_NOINLINE	__attribute__((__noinline__))
#endif

struct callbuf {
	void		*cb_map;	/* the whole mapping, guard included */
	size_t		 cb_maplen;
	unsigned char	*cb_ptr;	/* what the kernel gets */
	size_t		 cb_len;	/* bytes of elements */
};

struct callframe {
	void		*cf_target[2];	/* the kernel, the empty function */
	uint32_t	 cf_ret;	/* enum ret_type */
	uint64_t	 cf_int[CALL_NINT];
	double		 cf_sse[CALL_NSSE];
	struct callbuf	 cf_buf[WR_MAXBUFS];
	uint32_t	 cf_nbufs;
};

#define TARGET_KERNEL	0
#define TARGET_EMPTY	1

/* The empty function: a single ret, opaque to the compiler. */
void		 call_nop(void);
__asm__(
	".text\n"
	".p2align 4\n"
	".type call_nop, @function\n"
	"call_nop:\n"
	"\tret\n"
	".size call_nop, . - call_nop\n");

/* Set while soft_step() makes the marked call (soft.c). */
volatile unsigned char	 soft_marking RUNNER_WRITES
    __attribute__((__visibility__("hidden")));

/*
 * uint64_t call_site(const uint64_t x[16], const double s[8], void *t,
 * double *xmm0): t(x[0], ..., x[15], s[0], ..., s[7]), the first six
 * words in registers and the other ten on the stack, as the prototype
 * above takes them; returns rax and stores xmm0's low 64 bits in *xmm0.
 * In assembly so that the stepper's mark, while soft_marking is set,
 * stands right before `call *%rax' (ff d0): the stepper then counts the
 * call, the callee and its ret, and none of the seventy or so
 * instructions that load the frame and lead here, each of which would be
 * a trap of its own.  It keeps nothing in a callee-saved register, not
 * even a frame pointer: a kernel that clobbers one harms only the C
 * caller, as with any other call.
 */
uint64_t	 call_site(const uint64_t *, const double *, void *, double *);
__asm__(
	".text\n"
	".p2align 4\n"
	".globl call_site\n"
	".hidden call_site\n"
	".type call_site, @function\n"
	"call_site:\n"
	"\tpushq %rcx\n"
	"\tsubq $80, %rsp\n"			/* ten words; aligned */
	"\tmovq 48(%rdi), %rax\n\tmovq %rax, 0(%rsp)\n"
	"\tmovq 56(%rdi), %rax\n\tmovq %rax, 8(%rsp)\n"
	"\tmovq 64(%rdi), %rax\n\tmovq %rax, 16(%rsp)\n"
	"\tmovq 72(%rdi), %rax\n\tmovq %rax, 24(%rsp)\n"
	"\tmovq 80(%rdi), %rax\n\tmovq %rax, 32(%rsp)\n"
	"\tmovq 88(%rdi), %rax\n\tmovq %rax, 40(%rsp)\n"
	"\tmovq 96(%rdi), %rax\n\tmovq %rax, 48(%rsp)\n"
	"\tmovq 104(%rdi), %rax\n\tmovq %rax, 56(%rsp)\n"
	"\tmovq 112(%rdi), %rax\n\tmovq %rax, 64(%rsp)\n"
	"\tmovq 120(%rdi), %rax\n\tmovq %rax, 72(%rsp)\n"
	"\tmovsd 0(%rsi), %xmm0\n"
	"\tmovsd 8(%rsi), %xmm1\n"
	"\tmovsd 16(%rsi), %xmm2\n"
	"\tmovsd 24(%rsi), %xmm3\n"
	"\tmovsd 32(%rsi), %xmm4\n"
	"\tmovsd 40(%rsi), %xmm5\n"
	"\tmovsd 48(%rsi), %xmm6\n"
	"\tmovsd 56(%rsi), %xmm7\n"
	"\tmovq %rdx, %rax\n"
	"\tmovq 40(%rdi), %r9\n"
	"\tmovq 32(%rdi), %r8\n"
	"\tmovq 24(%rdi), %rcx\n"
	"\tmovq 16(%rdi), %rdx\n"
	"\tmovq 8(%rdi), %rsi\n"
	"\tmovq 0(%rdi), %rdi\n"
	"\tcmpb $0, soft_marking(%rip)\n"
	"\tje 1f\n"
	"\tint3\n"
	"1:\tcall *%rax\n"
	"\tmovq 80(%rsp), %rcx\n"
	"\tmovq %xmm0, (%rcx)\n"
	"\taddq $88, %rsp\n"
	"\tret\n"
	".size call_site, . - call_site\n");

static uint64_t	 invoke(struct callframe *, int) CALL_NOINLINE;
static int	 check_job(const struct job *, char *, size_t);
static int	 map_buf(struct callbuf *, const struct job_buf *, char *,
		    size_t, uint32_t);
static void	 init_buf(struct callbuf *, const struct job_buf *);
static void	 put_elem(unsigned char *, uint32_t, uint64_t, double);
static uint64_t	 splitmix64(uint64_t *);

struct callframe *
call_prepare(const struct job *job, void *fn, char *err, size_t errlen)
{
	struct callframe	*cf;
	union {
		double		 d;
		uint64_t	 u;
	}			 sse;
	float			 f;
	uint32_t		 fbits, i, nint = 0, nsse = 0;

	if (check_job(job, err, errlen) == -1)
		return NULL;
	if (fn == NULL) {
		snprintf(err, errlen, "no kernel entry point");
		return NULL;
	}
	if ((cf = calloc(1, sizeof(*cf))) == NULL) {
		snprintf(err, errlen, "cannot allocate the call frame");
		return NULL;
	}
	cf->cf_target[TARGET_KERNEL] = fn;
	cf->cf_target[TARGET_EMPTY] = (void *)call_nop;
	cf->cf_ret = job->ret;

	for (i = 0; i < job->nbufs; i++) {
		if (map_buf(&cf->cf_buf[i], &job->bufs[i], err, errlen,
		    i) == -1) {
			call_free(cf);
			return NULL;
		}
		cf->cf_nbufs = i + 1;
		init_buf(&cf->cf_buf[i], &job->bufs[i]);
		if (!job->bufs[i].writable &&
		    mprotect(cf->cf_buf[i].cb_map, cf->cf_buf[i].cb_maplen -
		    (size_t)getpagesize(), PROT_READ) == -1) {
			snprintf(err, errlen, "buffer %u: mprotect: %s", i,
			    strerror(errno));
			call_free(cf);
			return NULL;
		}
	}

	for (i = 0; i < job->nargs; i++) {
		const struct job_arg	*a = &job->args[i];

		switch (a->kind) {
		case ARG_INT:
			cf->cf_int[nint++] = a->ival;
			break;
		case ARG_BUF:
			cf->cf_int[nint++] =
			    (uint64_t)(uintptr_t)cf->cf_buf[a->index].cb_ptr;
			break;
		case ARG_F32:
			f = (float)a->fval;
			memcpy(&fbits, &f, sizeof(fbits));
			sse.u = fbits;
			cf->cf_sse[nsse++] = sse.d;
			break;
		case ARG_F64:
			cf->cf_sse[nsse++] = a->fval;
			break;
		}
	}
	return cf;
}

uint64_t
call_kernel(struct callframe *cf)
{
	return invoke(cf, TARGET_KERNEL);
}

uint64_t
call_empty(struct callframe *cf)
{
	return invoke(cf, TARGET_EMPTY);
}

void
call_free(struct callframe *cf)
{
	uint32_t	 i;

	if (cf == NULL)
		return;
	for (i = 0; i < cf->cf_nbufs; i++)
		if (cf->cf_buf[i].cb_map != NULL)
			munmap(cf->cf_buf[i].cb_map, cf->cf_buf[i].cb_maplen);
	free(cf);
}

/*
 * The one call site.  Everything it does before and after the indirect
 * call depends on cf only, never on which target it calls.
 */
static uint64_t
invoke(struct callframe *cf, int which)
{
	uint64_t	 r;
	uint32_t	 r32;
	double		 d;

	r = call_site(cf->cf_int, cf->cf_sse, cf->cf_target[which], &d);
	switch (cf->cf_ret) {
	case RET_F32:
		/* A float comes back in the low 32 bits of xmm0. */
		memcpy(&r32, &d, sizeof(r32));
		return r32;
	case RET_F64:
		memcpy(&r, &d, sizeof(r));
		return r;
	case RET_VOID:
		return 0;
	default:
		return r;
	}
}

/* Everything about the job that call_prepare() relies on. */
static int
check_job(const struct job *job, char *err, size_t errlen)
{
	const struct job_buf	*b;
	uint64_t		 bytes, need, total = 0;
	uint32_t		 i, nint = 0, nsse = 0;
	int			 esz;

	if (job->nargs > WR_MAXARGS) {
		snprintf(err, errlen, "%u arguments, at most %u", job->nargs,
		    WR_MAXARGS);
		return -1;
	}
	if (job->nbufs > WR_MAXBUFS) {
		snprintf(err, errlen, "%u buffers, at most %u", job->nbufs,
		    WR_MAXBUFS);
		return -1;
	}
	if (job->ret < RET_VOID || job->ret > RET_F64) {
		snprintf(err, errlen, "unknown return type %u", job->ret);
		return -1;
	}
	for (i = 0; i < job->nargs; i++) {
		const struct job_arg	*a = &job->args[i];

		switch (a->kind) {
		case ARG_BUF:
			if (a->index >= job->nbufs) {
				snprintf(err, errlen, "argument %u: buffer %u "
				    "does not exist", i, a->index);
				return -1;
			}
			/* FALLTHROUGH */
		case ARG_INT:
			nint++;
			break;
		case ARG_F32:
		case ARG_F64:
			if (++nsse > CALL_NSSE) {
				snprintf(err, errlen, "argument %u: more than "
				    "%d floating-point arguments", i, CALL_NSSE);
				return -1;
			}
			break;
		default:
			snprintf(err, errlen, "argument %u: unknown kind %u", i,
			    a->kind);
			return -1;
		}
	}
	if (nint > CALL_NINT) {
		snprintf(err, errlen, "more than %d integer arguments",
		    CALL_NINT);
		return -1;
	}

	for (i = 0; i < job->nbufs; i++) {
		b = &job->bufs[i];
		if ((esz = elem_size(b->elem)) == 0) {
			snprintf(err, errlen, "buffer %u: unknown element "
			    "type %u", i, b->elem);
			return -1;
		}
		if (b->init < INIT_ZERO || b->init > INIT_SEQUENCE) {
			snprintf(err, errlen, "buffer %u: unknown "
			    "initialisation %u", i, b->init);
			return -1;
		}
		if (b->align == 0 || (b->align & (b->align - 1)) != 0 ||
		    b->align > WR_MAXALIGN) {
			snprintf(err, errlen, "buffer %u: alignment %llu is "
			    "not a power of two up to %d", i,
			    (unsigned long long)b->align, WR_MAXALIGN);
			return -1;
		}
		/* count * esz + align + offset, every step checked. */
		if (b->count > UINT64_MAX / (uint64_t)esz ||
		    (bytes = b->count * (uint64_t)esz) >
		    UINT64_MAX - b->align ||
		    (need = bytes + b->align) > UINT64_MAX - b->offset ||
		    (need += b->offset) > job->memmax ||
		    total > job->memmax - need) {
			snprintf(err, errlen, "buffer %u: %llu elements of %d "
			    "bytes exceed the memory limit of %llu bytes", i,
			    (unsigned long long)b->count, esz,
			    (unsigned long long)job->memmax);
			return -1;
		}
		total += need;
	}
	return 0;
}

/*
 * One private anonymous mapping per buffer: room to align, the offset,
 * the elements, rounded up to pages, and one inaccessible guard page
 * behind, so a kernel running off the end faults instead of scribbling
 * over the next buffer.  Every page is made present here, so the kernel
 * never takes a first-touch fault on its buffers: by the mapping, all in
 * one system call (a fault each costs several times as much on a virtual
 * machine), and then touched, in case the kernel could not.
 */
static int
map_buf(struct callbuf *cb, const struct job_buf *b, char *err,
    size_t errlen, uint32_t n)
{
	size_t		 pg = (size_t)getpagesize(), len, off;
	uintptr_t	 base;

	/* check_job() bounded all of this by memmax, a uint64_t. */
	if (b->count * (uint64_t)elem_size(b->elem) + b->align + b->offset >
	    SIZE_MAX - 2 * pg) {
		snprintf(err, errlen, "buffer %u: too large", n);
		return -1;
	}
	cb->cb_len = (size_t)(b->count * (uint64_t)elem_size(b->elem));
	len = cb->cb_len + (size_t)b->align + (size_t)b->offset;
	len = (len + pg - 1) / pg * pg;
	if (len == 0)
		len = pg;
	cb->cb_maplen = len + pg;
	cb->cb_map = lowmap(cb->cb_maplen, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1);
	if (cb->cb_map == MAP_FAILED) {
		cb->cb_map = NULL;
		snprintf(err, errlen, "buffer %u: cannot map %zu bytes: %s",
		    n, cb->cb_maplen, strerror(errno));
		return -1;
	}
	if (mprotect((char *)cb->cb_map + len, pg, PROT_NONE) == -1) {
		snprintf(err, errlen, "buffer %u: mprotect: %s", n,
		    strerror(errno));
		munmap(cb->cb_map, cb->cb_maplen);
		cb->cb_map = NULL;
		return -1;
	}
	base = (uintptr_t)cb->cb_map;
	base = (base + (uintptr_t)b->align - 1) & ~((uintptr_t)b->align - 1);
	cb->cb_ptr = (unsigned char *)base + b->offset;

	for (off = 0; off < len; off += pg)
		((volatile unsigned char *)cb->cb_map)[off] = 0;
	return 0;
}

static void
init_buf(struct callbuf *cb, const struct job_buf *b)
{
	uint64_t	 i, r, state = b->seed;
	size_t		 esz = (size_t)elem_size(b->elem);
	double		 d;

	if (b->init == INIT_ZERO)
		return;		/* fresh anonymous memory */
	for (i = 0; i < b->count; i++) {
		switch (b->init) {
		case INIT_ONES:
			put_elem(cb->cb_ptr + i * esz, b->elem, 1, 1.0);
			break;
		case INIT_RANDOM:
			r = splitmix64(&state);
			/* As many random bits as the float's mantissa holds. */
			if (b->elem == ELEM_F32)
				d = (double)(r >> 40) * 0x1p-24;
			else
				d = (double)(r >> 11) * 0x1p-53;
			put_elem(cb->cb_ptr + i * esz, b->elem, r, d);
			break;
		case INIT_SEQUENCE:
			put_elem(cb->cb_ptr + i * esz, b->elem, i, (double)i);
			break;
		}
	}
}

/*
 * Store one element: integer types take the low bits of u, float types
 * d.  memcpy, since an offset may leave the element unaligned.
 */
static void
put_elem(unsigned char *p, uint32_t elem, uint64_t u, double d)
{
	uint8_t		 u8 = (uint8_t)u;
	uint16_t	 u16 = (uint16_t)u;
	uint32_t	 u32 = (uint32_t)u;
	float		 f = (float)d;

	switch (elem) {
	case ELEM_I8:
	case ELEM_U8:
		memcpy(p, &u8, sizeof(u8));
		break;
	case ELEM_I16:
	case ELEM_U16:
		memcpy(p, &u16, sizeof(u16));
		break;
	case ELEM_I32:
	case ELEM_U32:
		memcpy(p, &u32, sizeof(u32));
		break;
	case ELEM_I64:
	case ELEM_U64:
		memcpy(p, &u, sizeof(u));
		break;
	case ELEM_F32:
		memcpy(p, &f, sizeof(f));
		break;
	case ELEM_F64:
		memcpy(p, &d, sizeof(d));
		break;
	}
}

/* Steele, Lea and Flood's SplitMix64: fast, seedable, reproducible. */
static uint64_t
splitmix64(uint64_t *state)
{
	uint64_t	 z;

	z = (*state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}
