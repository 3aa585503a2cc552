/*
 * tscpeer: how steady this host's cores are, for make bench to print
 * beside the daemon's Reference cycles.
 *
 *	tscpeer [-n samples] [-r repeat] [-i iterations] [-s ms]
 *
 * Takes `samples' (30) measurements of the shipped loop kernel
 * (kernels/loop.o) with `iterations' (10000), each with the code a
 * runner takes Reference cycles with (soft_tsc() in runner/soft.c):
 * WARMUP unmeasured calls, as many as webrunnerd.conf(5)'s default
 * warmup, then the time-stamp counter around each of `repeat' (25)
 * calls, less the median of as many calls of an empty function, the
 * median of the differences.  Samples are `ms' (10) milliseconds apart,
 * about as far as the benchmark's requests.  Prints one figure per line.
 * No daemon and no sandbox: the spread these show is the host's own,
 * which the daemon's figures cannot be expected to go below.
 */
#include <sys/types.h>

#include <err.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "runner.h"

#define WARMUP	2

uint64_t	 loop(uint64_t);		/* kernels/loop.S */

static void	 usage(void) __attribute__((__noreturn__));
static uint64_t	 run_loop(void *);
static uint64_t	 run_empty(void *) __attribute__((__noinline__));

static void
usage(void)
{
	fprintf(stderr, "usage: tscpeer [-n samples] [-r repeat] "
	    "[-i iterations] [-s ms]\n");
	exit(1);
}

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
	const char	*errstr;
	uint64_t	*v, iter = 10000;
	int64_t		 out[3];
	uint32_t	 repeat = 25, n = 30, i;
	long		 ms = 10;
	int		 ch;

	while ((ch = getopt(argc, argv, "i:n:r:s:")) != -1) {
		switch (ch) {
		case 'i':
			iter = (uint64_t)strtonum(optarg, 0, LLONG_MAX,
			    &errstr);
			break;
		case 'n':
			n = (uint32_t)strtonum(optarg, 1, 100000, &errstr);
			break;
		case 'r':
			repeat = (uint32_t)strtonum(optarg, 1, 100000,
			    &errstr);
			break;
		case 's':
			ms = (long)strtonum(optarg, 0, 10000, &errstr);
			break;
		default:
			usage();
		}
		if (errstr != NULL)
			usage();
	}
	if (optind != argc)
		usage();
	if ((v = calloc(repeat, sizeof(*v))) == NULL)
		err(1, "calloc");
	gap.tv_sec = ms / 1000;
	gap.tv_nsec = (ms % 1000) * 1000000;
	for (i = 0; i < n; i++) {
		soft_tsc(v, WARMUP, repeat, run_loop, run_empty, &iter, out);
		printf("%lld\n", (long long)out[0]);
		fflush(stdout);
		nanosleep(&gap, NULL);
	}
	free(v);
	return 0;
}
