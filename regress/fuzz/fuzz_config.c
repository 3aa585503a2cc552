/* srcs: monitor/parse.c common/util.c common/vocab.c */
/*
 * libFuzzer target for the configuration grammar: the input is one
 * configuration file, parsed from a memfd the way webrunnerd -n reads its
 * file.  Whatever the input, the parser must end with a configuration or
 * with errors, and free everything it allocated either way (LeakSanitizer
 * checks that).  Addresses are numeric only (AI_NUMERICHOST), so nothing
 * here touches the network.
 */
#include <sys/types.h>
#include <sys/mman.h>
#include <sys/queue.h>

#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "monitor.h"

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);
int	 LLVMFuzzerInitialize(int *, char ***);

static int	 fd = -1, devnull = -1, saved = -1;
static char	 path[64];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if ((fd = memfd_create("fuzz-config", 0)) == -1)
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if ((devnull = open("/dev/null", O_WRONLY)) == -1 ||
	    (saved = dup(STDERR_FILENO)) == -1)
		abort();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config	*conf;
	int		 nerrs;

	if (ftruncate(fd, 0) == -1 || pwrite(fd, data, size, 0) !=
	    (ssize_t)size)
		abort();
	/* The parser's complaints are expected: not on libFuzzer's stderr. */
	fflush(stderr);
	dup2(devnull, STDERR_FILENO);
	conf = parse_config(path, &nerrs);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	if (conf != NULL) {
		if (nerrs != 0)
			abort();	/* a configuration despite errors */
		config_free(conf);
	} else if (nerrs == 0)
		abort();		/* no configuration and no error */
	return 0;
}
