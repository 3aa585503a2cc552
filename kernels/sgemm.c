/*
 * sgemm: a BLIS-style single-precision micro-kernel for one MR x NR block
 * of C, built for the spec's default mr=8 and nr=2.  For another shape,
 * build it with -DMR=... -DNR=... and pass the same mr and nr in the query.
 *
 *	cc -O2 -c -fno-asynchronous-unwind-tables sgemm.c
 *	curl --data-binary @sgemm.o \
 *	    'http://localhost:8081/local/run?kernel=sgemm&k=256'
 */
#include <stddef.h>

#ifndef MR
#define MR	8
#endif
#ifndef NR
#define NR	2
#endif

float	 sgemm(size_t, float *, const float *, const float *,
	    const float *, float *, size_t, size_t);

float
sgemm(size_t k, float *alpha, const float *a, const float *b,
    const float *beta, float *c, size_t rs_c, size_t cs_c)
{
	float	 ab[MR][NR];
	size_t	 i, j, p;

	for (i = 0; i < MR; i++)
		for (j = 0; j < NR; j++)
			ab[i][j] = 0.0f;
	for (p = 0; p < k; p++)
		for (i = 0; i < MR; i++)
			for (j = 0; j < NR; j++)
				ab[i][j] += a[p * MR + i] * b[p * NR + j];
	for (i = 0; i < MR; i++)
		for (j = 0; j < NR; j++)
			c[i * rs_c + j * cs_c] = *alpha * ab[i][j] +
			    *beta * c[i * rs_c + j * cs_c];
	return c[0];
}
