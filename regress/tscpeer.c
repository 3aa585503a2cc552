/*
 * tscpeer: how steady this host's cores are, for make bench to print
 * beside the daemon's Reference cycles.
 *
 *	tscpeer [-n samples] [-r repeat] [-i iterations] [-s ms]
 *
 * Takes `samples' (30) measurements of the shipped loop kernel
 * (kernels/loop.o) with `iterations' (10000), each as a runner takes
 * Reference cycles (runner/soft.c): the time-stamp counter around each
 * of `repeat' (25) calls, less the median of as many calls of an empty
 * function, the median of the differences.  Samples are `ms' (10)
 * milliseconds apart, about as far as the benchmark's requests.  Prints
 * one figure per line.  No daemon and no sandbox: the spread these show
 * is the host's own, which the daemon's figures cannot be expected to
 * go below.
 */
#include <sys/types.h>

#include <err.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "runner.h"

uint64_t	 loop(uint64_t);		/* kernels/loop.S */

static uint64_t	 empty(uint64_t) __attribute__((__noinline__));
static uint64_t	 median(uint64_t (*)(uint64_t), uint64_t, uint64_t *,
		    uint32_t);
static int	 cmp(const void *, const void *);

static uint64_t
empty(uint64_t n)
{
	__asm__ volatile("" : : : "memory");
	return n;
}

static int
cmp(const void *a, const void *b)
{
	uint64_t	 x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* The median of `repeat' timed calls of f(n). */
static uint64_t
median(uint64_t (*f)(uint64_t), uint64_t n, uint64_t *v, uint32_t repeat)
{
	uint64_t	 t0;
	uint32_t	 r;

	for (r = 0; r < repeat; r++) {
		t0 = soft_tsc_begin();
		(void)f(n);
		v[r] = soft_tsc_end() - t0;
	}
	qsort(v, repeat, sizeof(*v), cmp);
	return repeat % 2 ? v[repeat / 2] :
	    (v[repeat / 2 - 1] + v[repeat / 2]) / 2;
}

int
main(int argc, char *argv[])
{
	struct timespec	 gap;
	uint64_t	*v, over, iter = 10000;
	uint32_t	 repeat = 25, n = 30, i, w;
	long		 ms = 10;
	int		 ch;

	while ((ch = getopt(argc, argv, "i:n:r:s:")) != -1)
		switch (ch) {
		case 'i':
			iter = strtoull(optarg, NULL, 10);
			break;
		case 'n':
			n = (uint32_t)strtoul(optarg, NULL, 10);
			break;
		case 'r':
			repeat = (uint32_t)strtoul(optarg, NULL, 10);
			break;
		case 's':
			ms = strtol(optarg, NULL, 10);
			break;
		default:
			fprintf(stderr, "usage: tscpeer [-n samples] "
			    "[-r repeat] [-i iterations] [-s ms]\n");
			return 1;
		}
	if (repeat == 0 || repeat > 100000 || n == 0 || ms < 0)
		errx(1, "bad arguments");
	if ((v = calloc(repeat, sizeof(*v))) == NULL)
		err(1, "calloc");
	gap.tv_sec = ms / 1000;
	gap.tv_nsec = (ms % 1000) * 1000000;
	for (i = 0; i < n; i++) {
		for (w = 0; w < 3; w++)
			(void)loop(iter);
		over = median(empty, iter, v, repeat);
		printf("%llu\n", (unsigned long long)(median(loop, iter, v,
		    repeat) - over));
		fflush(stdout);
		nanosleep(&gap, NULL);
	}
	free(v);
	return 0;
}
