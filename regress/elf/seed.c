/*
 * Seed for the loader's fuzz corpus: one small "kernel" that touches
 * every kind of section and relocation a compiler emits for C.
 */
#include <stddef.h>
#include <string.h>

long	 kernel(long, char *);

int		 counted = 3;
int		 shared;		/* COMMON with -fcommon */
static long	 scratch[4];
static const long table[4] = { 2, 3, 5, 7 };

__attribute__((noinline)) static long
twice(long x)
{
	return 2 * x;
}

long
kernel(long x, char *buf)
{
	memcpy(buf, "seed", 4);
	scratch[x & 3] = table[x & 3] * 1.5;
	shared += counted;
	return twice(scratch[x & 3]) + shared;
}
