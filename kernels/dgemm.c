/*
 * dgemm: a 4x4 double-precision micro-kernel, C += A B with A packed by
 * columns of 4 and B by rows of 4; the 16 sums stay in registers.
 *
 *	cc -O2 -c -fno-asynchronous-unwind-tables dgemm.c
 *	curl --data-binary @dgemm.o \
 *	    'http://localhost:8081/local/run?kernel=dgemm&k=1024'
 */
#include <stddef.h>

void	 dgemm(size_t, const double *, const double *, double *);

void
dgemm(size_t k, const double *a, const double *b, double *c)
{
	double	 ab[4][4];
	size_t	 i, j, p;

	for (i = 0; i < 4; i++)
		for (j = 0; j < 4; j++)
			ab[i][j] = 0.0;
	for (p = 0; p < k; p++)
		for (i = 0; i < 4; i++)
			for (j = 0; j < 4; j++)
				ab[i][j] += a[p * 4 + i] * b[p * 4 + j];
	for (i = 0; i < 4; i++)
		for (j = 0; j < 4; j++)
			c[i * 4 + j] += ab[i][j];
}
