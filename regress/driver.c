/*
 * What the regress drivers share (driver.h): a file as the sealed memfd
 * a runner is given, and waiting for the template's or a runner's next
 * message.  Errors end the driver.
 */
#include <sys/types.h>
#include <sys/mman.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <unistd.h>

#include "common.h"
#include "driver.h"

int
file_memfd(const char *path, const char *name, uint64_t *size)
{
	char		 buf[65536];
	ssize_t		 n;
	int		 in, fd;

	if ((in = open(path, O_RDONLY)) == -1)
		err(1, "%s", path);
	if ((fd = memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING)) == -1)
		err(1, "memfd_create");
	*size = 0;
	while ((n = read(in, buf, sizeof(buf))) > 0) {
		if (write(fd, buf, (size_t)n) != n)
			err(1, "write");
		*size += (uint64_t)n;
	}
	if (n == -1)
		err(1, "%s", path);
	close(in);
	if (lseek(fd, 0, SEEK_SET) == -1 || memfd_seal_all(fd) == -1)
		err(1, "seal");
	return fd;
}

int
next_imsg(struct imsgbuf *ibuf, struct imsg *imsg)
{
	ssize_t	 n;

	for (;;) {
		if ((n = imsg_get(ibuf, imsg)) == -1)
			errx(1, "malformed message");
		if (n > 0)
			return 1;
		if ((n = imsgbuf_read(ibuf)) == -1) {
			if (errno == ECONNRESET)
				return 0;
			err(1, "read");
		}
		if (n == 0)
			return 0;
	}
}
