/*
 * chase: a pointer chase over a buffer where buf[i] == i.  The next index
 * is computed from the value loaded, not from i, so the loads form one
 * dependent chain and Cycles / steps is the latency of a load plus an add
 * and a conditional subtraction.
 *
 *	cc -O2 -c -fno-asynchronous-unwind-tables chase.c
 *	curl --data-binary @chase.o \
 *	    'http://localhost:8081/local/run?kernel=chase&n=16777216'
 */
#include <stdint.h>

uint64_t	 chase(uint64_t, const uint64_t *, uint64_t, uint64_t);

uint64_t
chase(uint64_t steps, const uint64_t *buf, uint64_t n, uint64_t stride)
{
	uint64_t	 i = 0;

	stride %= n;
	while (steps-- > 0) {
		i = buf[i] + stride;
		if (i >= n)
			i -= n;
	}
	return i;
}
