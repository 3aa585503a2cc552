/*
 * saxpy: y += a * x over n floats; a arrives in xmm0.
 *
 *	cc -O2 -c -fno-asynchronous-unwind-tables saxpy.c
 *	curl --data-binary @saxpy.o \
 *	    'http://localhost:8081/local/run?kernel=saxpy&n=4096'
 */
#include <stddef.h>

void	 saxpy(size_t, float, const float *, float *);

void
saxpy(size_t n, float a, const float *x, float *y)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		y[i] += a * x[i];
}
