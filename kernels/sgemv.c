/*
 * sgemv: y = A x, A row-major with m rows of n floats.
 *
 *	cc -O2 -c -fno-asynchronous-unwind-tables sgemv.c
 *	curl --data-binary @sgemv.o \
 *	    'http://localhost:8081/local/run?kernel=sgemv&m=512&n=512'
 */
#include <stddef.h>

void	 sgemv(size_t, size_t, const float *, const float *, float *);

void
sgemv(size_t m, size_t n, const float *a, const float *x, float *y)
{
	float	 sum;
	size_t	 i, j;

	for (i = 0; i < m; i++) {
		sum = 0.0f;
		for (j = 0; j < n; j++)
			sum += a[i * n + j] * x[j];
		y[i] = sum;
	}
}
