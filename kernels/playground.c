/*
 * playground: a chain of dependent single-precision multiply-adds, one per
 * iteration, so Cycles / iterations is the latency of a multiply plus an
 * add on this machine.
 *
 *	cc -O2 -c -fno-asynchronous-unwind-tables playground.c
 *	curl --data-binary @playground.o \
 *	    'http://localhost:8081/local/run?kernel=playground&iterations=100000'
 */
#include <stdint.h>

float	 playground(uint64_t);

float
playground(uint64_t iterations)
{
	float	 x = 1.0f;

	while (iterations-- > 0)
		x = x * 0.999f + 1.0f;
	return x;
}
