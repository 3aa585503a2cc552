/*
 * A minimal unit test harness: every check prints one TAP line, which
 * regress/run.sh counts.  A test program exits 1 if any check failed.
 */
#ifndef WR_TEST_H
#define WR_TEST_H

#include <stdio.h>
#include <stdlib.h>

static int	 test_n, test_failed;

#define CHECK(cond, name) do {						\
	test_n++;							\
	if (cond)							\
		printf("ok %d - %s\n", test_n, (name));			\
	else {								\
		test_failed++;						\
		printf("not ok %d - %s (%s:%d: %s)\n", test_n, (name),	\
		    __FILE__, __LINE__, #cond);				\
	}								\
	fflush(stdout);							\
} while (0)

#define SKIP(name, why) do {						\
	test_n++;							\
	printf("ok %d - %s # SKIP %s\n", test_n, (name), (why));	\
	fflush(stdout);							\
} while (0)

#define TEST_DONE()	(test_failed ? 1 : 0)

#endif /* WR_TEST_H */
