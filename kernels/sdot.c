/*
 * sdot: single-precision dot product with strides, as BLAS defines it.
 *
 *	cc -O2 -c -fno-asynchronous-unwind-tables sdot.c
 *	curl --data-binary @sdot.o \
 *	    'http://localhost:8081/local/run?kernel=sdot&n=10000&incy=2'
 */
#include <stddef.h>

float	 sdot(size_t, const float *, size_t, const float *, size_t);

float
sdot(size_t n, const float *x, size_t incx, const float *y, size_t incy)
{
	float	 sum = 0.0f;
	size_t	 i;

	for (i = 0; i < n; i++)
		sum += x[i * incx] * y[i * incy];
	return sum;
}
