/*
 * tscpeer: how steady this host's cores are, for make bench to print
 * beside the daemon's Reference cycles.
 *
 *	tscpeer [-n samples] [-r repeat] [-i iterations] [-s ms]
 *
 * Takes `samples' (30) measurements of the shipped loop kernel
 * (kernels/loop.o) with `iterations' (10000), each with the code a
 * runner takes Reference cycles with (soft_tsc() in runner/soft.c): the
 * time-stamp counter around each of `repeat' (25) calls, less the median
 * of as many calls of an empty function, the median of the differences.  Samples are `ms' (10)
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

static uint64_t	 run_loop(void *);
static uint64_t	 run_empty(void *) __attribute__((__noinline__));

static uint64_t
run_loop(void *arg)
{
	return loop(*(const uint64_t *)arg);
}

static uint64_t
run_empty(void *arg)
{
	return *(const uint64_t *)arg;
}

int
main(int argc, char *argv[])
{
	struct timespec	 gap;
	uint64_t	*v, iter = 10000;
	int64_t		 out[3];
	uint32_t	 repeat = 25, n = 30, i;
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
		/* The runner's own code: three warm-up calls, as a job's. */
		soft_tsc(v, 3, repeat, run_loop, run_empty, &iter, out);
		printf("%lld\n", (long long)out[0]);
		fflush(stdout);
		nanosleep(&gap, NULL);
	}
	free(v);
	return 0;
}
