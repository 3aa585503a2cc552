/*
 * imsg: framed messages over a local stream socket, each optionally
 * carrying one file descriptor.
 *
 * A message is a fixed header (type, total length, request id, flags)
 * followed by its payload.  The reader never trusts the peer: a length
 * below the header size or above IMSG_MAXSIZE, unknown flags, a message
 * that claims an fd that never arrived, truncated control data and surplus
 * descriptors are all errors the caller sees as -1 with errno set.
 *
 * A descriptor is sent with the first byte of its message.  The kernel
 * hands it over with the recvmsg() that reads that byte, possibly together
 * with earlier messages, so received descriptors wait in a small queue and
 * the next message flagged IMSGF_HASFD claims the oldest one.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"

static void	 imsg_close_rfds(struct imsgbuf *);
static ssize_t	 imsg_take(struct imsgbuf *, struct imsg *, void *, size_t *);

void
imsgbuf_init(struct imsgbuf *ibuf, int fd)
{
	/*
	 * Not a memset of the whole: the read buffer is 128 KiB, and a
	 * runner's copy on its stack would cost it 32 fresh pages before
	 * its first message.  Only the first rlen bytes are ever read.
	 */
	ibuf->fd = fd;
	ibuf->rlen = 0;
	ibuf->nrfds = 0;
	TAILQ_INIT(&ibuf->wq);
	ibuf->wqlen = 0;
}

static void
imsg_close_rfds(struct imsgbuf *ibuf)
{
	int	 i;

	for (i = 0; i < ibuf->nrfds; i++)
		close(ibuf->rfds[i]);
	ibuf->nrfds = 0;
}

void
imsgbuf_clear(struct imsgbuf *ibuf)
{
	struct imsg_wbuf	*wb;

	while ((wb = TAILQ_FIRST(&ibuf->wq)) != NULL) {
		TAILQ_REMOVE(&ibuf->wq, wb, entry);
		if (wb->fd != -1)
			close(wb->fd);
		free(wb->buf);
		free(wb);
	}
	ibuf->wqlen = 0;
	imsg_close_rfds(ibuf);
	ibuf->rlen = 0;
}

/*
 * Queue one message.  Ownership of fd passes to the imsgbuf: it is closed
 * once sent, or when the buffer is cleared, or here on failure.
 */
int
imsg_compose(struct imsgbuf *ibuf, uint32_t type, uint32_t id, int fd,
    const void *data, size_t len)
{
	struct imsg_wbuf	*wb;
	struct imsg_hdr		 hdr;

	if (len > IMSG_MAXSIZE - IMSG_HDRSIZE || (len > 0 && data == NULL)) {
		errno = ERANGE;
		goto fail;
	}
	if ((wb = calloc(1, sizeof(*wb))) == NULL)
		goto fail;
	wb->len = IMSG_HDRSIZE + len;
	if ((wb->buf = malloc(wb->len)) == NULL) {
		free(wb);
		goto fail;
	}
	hdr.type = type;
	hdr.len = (uint32_t)wb->len;
	hdr.id = id;
	hdr.flags = fd != -1 ? IMSGF_HASFD : 0;
	memcpy(wb->buf, &hdr, IMSG_HDRSIZE);
	if (len > 0)
		memcpy(wb->buf + IMSG_HDRSIZE, data, len);
	wb->fd = fd;
	TAILQ_INSERT_TAIL(&ibuf->wq, wb, entry);
	ibuf->wqlen++;
	return 0;
fail:
	if (fd != -1)
		close(fd);
	return -1;
}

/*
 * Write as much of the queue as the socket takes.  Returns -1 on error,
 * 0 otherwise; ibuf->wqlen tells whether anything is left.
 */
int
imsgbuf_write(struct imsgbuf *ibuf)
{
	struct imsg_wbuf	*wb;
	struct msghdr		 msg;
	struct iovec		 iov;
	union {
		struct cmsghdr	 hdr;
		char		 buf[CMSG_SPACE(sizeof(int))];
	}			 cmsgbuf;
	struct cmsghdr		*cmsg;
	ssize_t			 n;

	while ((wb = TAILQ_FIRST(&ibuf->wq)) != NULL) {
		memset(&msg, 0, sizeof(msg));
		iov.iov_base = wb->buf + wb->off;
		iov.iov_len = wb->len - wb->off;
		msg.msg_iov = &iov;
		msg.msg_iovlen = 1;
		if (wb->fd != -1 && wb->off == 0) {
			memset(&cmsgbuf, 0, sizeof(cmsgbuf));
			msg.msg_control = cmsgbuf.buf;
			msg.msg_controllen = sizeof(cmsgbuf.buf);
			cmsg = CMSG_FIRSTHDR(&msg);
			cmsg->cmsg_len = CMSG_LEN(sizeof(int));
			cmsg->cmsg_level = SOL_SOCKET;
			cmsg->cmsg_type = SCM_RIGHTS;
			memcpy(CMSG_DATA(cmsg), &wb->fd, sizeof(int));
		}
		n = sendmsg(ibuf->fd, &msg, MSG_NOSIGNAL);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 0;
			return -1;
		}
		if (wb->fd != -1 && wb->off == 0) {
			close(wb->fd);
			wb->fd = -1;
		}
		wb->off += (size_t)n;
		if (wb->off < wb->len)
			continue;
		TAILQ_REMOVE(&ibuf->wq, wb, entry);
		ibuf->wqlen--;
		free(wb->buf);
		free(wb);
	}
	return 0;
}

/*
 * One message without a descriptor, written at once and past the queue,
 * which must be empty: for a loop that must not touch the heap
 * (runner/template.c).  Waits on a non-blocking socket if need be.
 */
int
imsg_send_now(struct imsgbuf *ibuf, uint32_t type, uint32_t id,
    const void *data, size_t len)
{
	struct imsg_hdr	 hdr;
	struct msghdr	 msg;
	struct iovec	 iov[2];
	struct pollfd	 pfd;
	size_t		 off = 0;
	ssize_t		 n;

	if (ibuf->wqlen != 0 || len > IMSG_MAXSIZE - IMSG_HDRSIZE ||
	    (len > 0 && data == NULL)) {
		errno = EINVAL;
		return -1;
	}
	hdr.type = type;
	hdr.len = (uint32_t)(IMSG_HDRSIZE + len);
	hdr.id = id;
	hdr.flags = 0;
	while (off < hdr.len) {
		memset(&msg, 0, sizeof(msg));
		msg.msg_iov = iov;
		if (off < IMSG_HDRSIZE) {
			iov[0].iov_base = (char *)&hdr + off;
			iov[0].iov_len = IMSG_HDRSIZE - off;
			iov[1].iov_base = (void *)(uintptr_t)data;
			iov[1].iov_len = len;
			msg.msg_iovlen = len > 0 ? 2 : 1;
		} else {
			iov[0].iov_base = (char *)(uintptr_t)data +
			    (off - IMSG_HDRSIZE);
			iov[0].iov_len = hdr.len - off;
			msg.msg_iovlen = 1;
		}
		/* sendmsg(2), as imsgbuf_write(): what runners may call. */
		if ((n = sendmsg(ibuf->fd, &msg, MSG_NOSIGNAL)) == -1) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				return -1;
			pfd.fd = ibuf->fd;
			pfd.events = POLLOUT;
			if (poll(&pfd, 1, -1) == -1 && errno != EINTR)
				return -1;
			continue;
		}
		off += (size_t)n;
	}
	return 0;
}

/* Write the whole queue, waiting on a non-blocking socket if need be. */
int
imsgbuf_flush(struct imsgbuf *ibuf)
{
	struct pollfd	 pfd;

	for (;;) {
		if (imsgbuf_write(ibuf) == -1)
			return -1;
		if (ibuf->wqlen == 0)
			return 0;
		pfd.fd = ibuf->fd;
		pfd.events = POLLOUT;
		if (poll(&pfd, 1, -1) == -1 && errno != EINTR)
			return -1;
	}
}

/*
 * Read what the socket has.  Returns the byte count, 0 on end of file, -1
 * on error (EAGAIN included, for the caller to ignore).
 */
ssize_t
imsgbuf_read(struct imsgbuf *ibuf)
{
	struct msghdr		 msg;
	struct iovec		 iov;
	union {
		struct cmsghdr	 hdr;
		char		 buf[CMSG_SPACE(sizeof(int) * IMSG_MAXFDS)];
	}			 cmsgbuf;
	struct cmsghdr		*cmsg;
	ssize_t			 n;
	size_t			 i, nfd;
	int			 fd, bad = 0;

	if (ibuf->rlen >= sizeof(ibuf->rbuf)) {
		errno = ENOBUFS;
		return -1;
	}
	memset(&msg, 0, sizeof(msg));
	iov.iov_base = ibuf->rbuf + ibuf->rlen;
	iov.iov_len = sizeof(ibuf->rbuf) - ibuf->rlen;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = cmsgbuf.buf;
	msg.msg_controllen = sizeof(cmsgbuf.buf);

	do {
		n = recvmsg(ibuf->fd, &msg, MSG_CMSG_CLOEXEC);
	} while (n == -1 && errno == EINTR);
	if (n == -1)
		return -1;

	for (cmsg = CMSG_FIRSTHDR(&msg); cmsg != NULL;
	    cmsg = CMSG_NXTHDR(&msg, cmsg)) {
		if (cmsg->cmsg_level != SOL_SOCKET ||
		    cmsg->cmsg_type != SCM_RIGHTS) {
			bad = 1;
			continue;
		}
		nfd = (cmsg->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (i = 0; i < nfd; i++) {
			memcpy(&fd, CMSG_DATA(cmsg) + i * sizeof(int),
			    sizeof(int));
			if (ibuf->nrfds < IMSG_MAXFDS)
				ibuf->rfds[ibuf->nrfds++] = fd;
			else {
				/* More than any honest peer has in flight. */
				close(fd);
				bad = 1;
			}
		}
	}
	if (msg.msg_flags & MSG_CTRUNC)
		bad = 1;
	if (bad) {
		imsg_close_rfds(ibuf);
		errno = EBADMSG;
		return -1;
	}
	ibuf->rlen += (size_t)n;
	return n;
}

/*
 * Take the next complete message out of the read buffer.  Returns its
 * total length, 0 when no complete message is buffered, -1 with errno
 * EBADMSG when the peer sent something malformed.
 */
ssize_t
imsg_get(struct imsgbuf *ibuf, struct imsg *imsg)
{
	return imsg_take(ibuf, imsg, NULL, NULL);
}

/*
 * imsg_get() for a loop that must not touch the heap (runner/template.c):
 * the payload is copied into buf, which holds *buflen bytes, and *buflen
 * set to its size; imsg->data stays NULL and imsg->len 0, so that
 * imsg_get_data() and imsg_free() have nothing to copy or free.  A longer
 * payload is EBADMSG.
 */
ssize_t
imsg_get_into(struct imsgbuf *ibuf, struct imsg *imsg, void *buf,
    size_t *buflen)
{
	return imsg_take(ibuf, imsg, buf, buflen);
}

static ssize_t
imsg_take(struct imsgbuf *ibuf, struct imsg *imsg, void *buf,
    size_t *buflen)
{
	struct imsg_hdr	 hdr;
	size_t		 len;

	memset(imsg, 0, sizeof(*imsg));
	imsg->fd = -1;
	if (ibuf->rlen < IMSG_HDRSIZE)
		return 0;
	memcpy(&hdr, ibuf->rbuf, IMSG_HDRSIZE);
	if (hdr.len < IMSG_HDRSIZE || hdr.len > IMSG_MAXSIZE ||
	    (hdr.flags & ~IMSGF_HASFD) != 0) {
		errno = EBADMSG;
		return -1;
	}
	if (ibuf->rlen < hdr.len)
		return 0;
	len = hdr.len - IMSG_HDRSIZE;
	if (buf != NULL && len > *buflen) {
		errno = EBADMSG;
		return -1;
	}
	if (hdr.flags & IMSGF_HASFD) {
		if (ibuf->nrfds == 0) {
			errno = EBADMSG;
			return -1;
		}
		imsg->fd = ibuf->rfds[0];
		ibuf->nrfds--;
		memmove(ibuf->rfds, ibuf->rfds + 1,
		    (size_t)ibuf->nrfds * sizeof(int));
	}
	if (buf != NULL) {
		memcpy(buf, ibuf->rbuf + IMSG_HDRSIZE, len);
		*buflen = len;
	} else if (len > 0) {
		if ((imsg->data = malloc(len)) == NULL) {
			if (imsg->fd != -1)
				close(imsg->fd);
			imsg->fd = -1;
			return -1;
		}
		memcpy(imsg->data, ibuf->rbuf + IMSG_HDRSIZE, len);
	}
	imsg->hdr = hdr;
	imsg->len = buf != NULL ? 0 : len;
	ibuf->rlen -= hdr.len;
	memmove(ibuf->rbuf, ibuf->rbuf + hdr.len, ibuf->rlen);
	return hdr.len;
}

void
imsg_free(struct imsg *imsg)
{
	free(imsg->data);
	imsg->data = NULL;
	if (imsg->fd != -1)
		close(imsg->fd);
	imsg->fd = -1;
}

/* Copy the payload out; its size must be exactly len. */
int
imsg_get_data(struct imsg *imsg, void *buf, size_t len)
{
	if (imsg->len != len) {
		errno = EBADMSG;
		return -1;
	}
	if (len > 0)
		memcpy(buf, imsg->data, len);
	return 0;
}

/* Claim the message's fd; -1 if it carries none. */
int
imsg_take_fd(struct imsg *imsg)
{
	int	 fd = imsg->fd;

	imsg->fd = -1;
	return fd;
}
