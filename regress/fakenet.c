/*
 * A stand-in for webrunnerd-net that speaks the protocol but lies: it is
 * installed beside a copy of the monitor, which starts it with the
 * monitor channel on fd 3 like the real one.  It sends one run request
 * whose object is a properly sealed memfd (the monitor must answer it)
 * and one whose memfd can still be written (the monitor must refuse it
 * and treat the network process as hostile).  What happens is printed on
 * stderr, which is the monitor's log.
 */
#include <sys/types.h>
#include <sys/mman.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "proto.h"

#define MONITOR_FD	3

static int	 object(int);
static void	 request(struct imsgbuf *, uint32_t, int);
static int	 answer(struct imsgbuf *, uint32_t);

static int
object(int sealed)
{
	int	 fd;

	if ((fd = memfd_create("object", MFD_CLOEXEC | MFD_ALLOW_SEALING)) ==
	    -1 || write(fd, "not an ELF object", 17) != 17)
		return -1;
	/* All seals, or only some: growing and shrinking, not writing. */
	if (sealed)
		return memfd_seal_all(fd) == -1 ? -1 : fd;
	if (fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW) == -1)
		return -1;
	return fd;
}

static void
request(struct imsgbuf *ib, uint32_t id, int sealed)
{
	struct run_req	 req;
	int		 fd;

	memset(&req, 0, sizeof(req));
	strlcpy(req.kernel, "playground", sizeof(req.kernel));
	req.size = 17;
	if ((fd = object(sealed)) == -1 ||
	    imsg_compose(ib, IMSG_RUN_REQ, id, fd, &req, sizeof(req)) == -1 ||
	    imsgbuf_flush(ib) == -1) {
		fprintf(stderr, "fakenet: cannot send request %u: %s\n", id,
		    strerror(errno));
		exit(1);
	}
}

/* The answer to `id': its HTTP code, 0 for end of file, -1 on error. */
static int
answer(struct imsgbuf *ib, uint32_t id)
{
	struct imsg	 im;
	struct http_res	 res;
	ssize_t		 n;

	for (;;) {
		if ((n = imsg_get(ib, &im)) == -1)
			return -1;
		if (n > 0) {
			if (im.hdr.type == IMSG_HTTP_RES && im.hdr.id == id &&
			    im.len >= HTTP_RES_HDRSIZE && im.len <= sizeof(res)) {
				memcpy(&res, im.data, im.len);
				imsg_free(&im);
				return res.code;
			}
			imsg_free(&im);		/* the configuration */
			continue;
		}
		if ((n = imsgbuf_read(ib)) == -1)
			return -1;
		if (n == 0)
			return 0;
	}
}

int
main(void)
{
	struct imsgbuf	 ib;
	int		 code;

	imsgbuf_init(&ib, MONITOR_FD);
	request(&ib, 1, 1);
	code = answer(&ib, 1);
	fprintf(stderr, "fakenet: sealed object answered %d\n", code);
	request(&ib, 2, 0);
	code = answer(&ib, 2);
	fprintf(stderr, "fakenet: writable object answered %d\n", code);
	/* The monitor should have killed us by now; wait to be killed. */
	for (;;)
		pause();
}
