/* srcs: common/imsg.c common/util.c common/log.c */
/*
 * The imsg reader against arbitrary bytes from a peer: whatever arrives,
 * imsg_get returns a whole message, nothing yet, or an error, and never
 * reads outside its buffer.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "common.h"

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static struct imsgbuf	 ib;
	struct imsg		 im;
	char			 out[256];
	size_t			 off = 0, chunk;
	ssize_t			 n;
	int			 sp[2];

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sp) == -1)
		return 0;
	imsgbuf_init(&ib, sp[1]);
	/* Feed in chunks whose sizes come from the input itself. */
	while (off < len) {
		chunk = 1 + data[off] % 64;
		if (chunk > len - off)
			chunk = len - off;
		if (write(sp[0], data + off, chunk) != (ssize_t)chunk)
			break;
		off += chunk;
		if (imsgbuf_read(&ib) <= 0)
			break;
		for (;;) {
			n = imsg_get(&ib, &im);
			if (n <= 0)
				break;
			imsg_get_data(&im, out, im.len < sizeof(out) ?
			    im.len : sizeof(out));
			imsg_free(&im);
		}
		if (n == -1)
			break;
	}
	imsgbuf_clear(&ib);
	close(sp[0]);
	close(sp[1]);
	return 0;
}
