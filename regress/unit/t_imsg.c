/* objs: common/imsg.o common/util.o common/log.o */
/*
 * imsg: round trips, fragmented reads, partial writes, fd passing, and
 * every way a peer can send garbage.
 */
#include <sys/types.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "proto.h"
#include "test.h"
#include "../attacks/forge.h"

/* The forged-report attacks write these numbers in assembly. */
_Static_assert(FORGE_IMSG_RUNNER_READY == IMSG_RUNNER_READY &&
    FORGE_IMSG_RESULT == IMSG_RESULT &&
    FORGE_HDR_LEN == sizeof(struct imsg_hdr) &&
    FORGE_RESULT_LEN == sizeof(struct imsg_hdr) + sizeof(struct run_result) &&
    FORGE_OFF_REASON == FORGE_HDR_LEN + offsetof(struct run_result, reason) &&
    FORGE_REASON_LEN == sizeof(((struct run_result *)0)->reason) &&
    FORGE_OFF_EV == FORGE_HDR_LEN + offsetof(struct run_result, ev) &&
    FORGE_EVNAME_LEN == sizeof(((struct ev_result *)0)->name) &&
    FORGE_RS_SIGNALLED == RS_SIGNALLED &&
    FORGE_EV_LEN == sizeof(struct ev_result) &&
    FORGE_EV_OK == EV_OK && FORGE_EV_UNAVAILABLE == EV_UNAVAILABLE &&
    FORGE_SRC_NONE == EV_SRC_NONE && FORGE_SRC_SOFTWARE == EV_SRC_SOFTWARE &&
    FORGE_SRC_SINGLESTEP == EV_SRC_SINGLESTEP &&
    FORGE_SRC_TSC == EV_SRC_TSC,
    "regress/attacks/forge.h no longer matches common/proto.h");

static void
pair(int sp[2])
{
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sp) == -1) {
		perror("socketpair");
		exit(1);
	}
}

/* Read and get one message, feeding the reader as needed. */
static ssize_t
get_one(struct imsgbuf *ib, struct imsg *im)
{
	ssize_t	 n;

	for (;;) {
		if ((n = imsg_get(ib, im)) != 0)
			return n;
		if ((n = imsgbuf_read(ib)) <= 0)
			return n == 0 ? 0 : -1;
	}
}

static void
test_roundtrip(void)
{
	struct imsgbuf	 a, b;
	struct imsg	 im;
	char		 payload[100], got[100];
	int		 sp[2];

	pair(sp);
	imsgbuf_init(&a, sp[0]);
	imsgbuf_init(&b, sp[1]);
	memset(payload, 'x', sizeof(payload));
	CHECK(imsg_compose(&a, 7, 42, -1, payload, sizeof(payload)) == 0,
	    "compose");
	CHECK(imsg_compose(&a, 8, 43, -1, NULL, 0) == 0, "compose empty");
	CHECK(imsgbuf_flush(&a) == 0 && a.wqlen == 0, "flush");
	CHECK(get_one(&b, &im) > 0 && im.hdr.type == 7 && im.hdr.id == 42 &&
	    im.len == sizeof(payload) && im.fd == -1, "first message");
	CHECK(imsg_get_data(&im, got, sizeof(got)) == 0 &&
	    memcmp(got, payload, sizeof(got)) == 0, "payload intact");
	CHECK(imsg_get_data(&im, got, sizeof(got) - 1) == -1 &&
	    errno == EBADMSG, "wrong size refused");
	imsg_free(&im);
	CHECK(get_one(&b, &im) > 0 && im.hdr.type == 8 && im.len == 0,
	    "empty message");
	imsg_free(&im);
	CHECK(imsg_compose(&a, 1, 1, -1, payload, IMSG_MAXSIZE) == -1 &&
	    errno == ERANGE, "oversize compose refused");
	imsgbuf_clear(&a);
	imsgbuf_clear(&b);
	close(sp[0]);
	close(sp[1]);
}

/*
 * Without the heap (runner/template.c): a message sent at once reads back
 * as composed ones do, its payload lands in the caller's buffer, with its
 * fd; one longer than the buffer is refused, and so is sending at once
 * past a queue.
 */
static void
test_no_heap(void)
{
	struct imsgbuf	 a, b;
	struct imsg	 im;
	char		 payload[100], got[100];
	size_t		 len;
	ssize_t		 n;
	int		 sp[2], fd;

	pair(sp);
	imsgbuf_init(&a, sp[0]);
	imsgbuf_init(&b, sp[1]);
	memset(payload, 'y', sizeof(payload));
	CHECK(imsg_send_now(&a, 9, 44, payload, sizeof(payload)) == 0,
	    "send now");
	CHECK(imsg_send_now(&a, 10, 45, NULL, 0) == 0, "send now, empty");
	CHECK(get_one(&b, &im) > 0 && im.hdr.type == 9 && im.hdr.id == 44 &&
	    im.len == sizeof(payload) && im.fd == -1, "sent now, read back");
	CHECK(imsg_get_data(&im, got, sizeof(got)) == 0 &&
	    memcmp(got, payload, sizeof(got)) == 0, "sent now, intact");
	imsg_free(&im);
	CHECK(get_one(&b, &im) > 0 && im.hdr.type == 10 && im.len == 0,
	    "sent now, empty");
	imsg_free(&im);

	CHECK((fd = open("/dev/null", O_RDONLY)) != -1 &&
	    imsg_compose(&a, 11, 46, fd, payload, 10) == 0 &&
	    imsg_compose(&a, 12, 47, -1, payload, sizeof(payload)) == 0,
	    "compose two");
	CHECK(imsg_send_now(&a, 13, 48, NULL, 0) == -1 && errno == EINVAL,
	    "send now past a queue refused");
	CHECK(imsgbuf_flush(&a) == 0, "flush");
	memset(got, 0, sizeof(got));
	len = 10;
	while ((imsg_get_into(&b, &im, got, &len)) == 0)
		if (imsgbuf_read(&b) <= 0)
			break;
	CHECK(im.hdr.type == 11 && len == 10 && im.data == NULL &&
	    im.len == 0 && memcmp(got, payload, 10) == 0,
	    "into: payload in the buffer");
	CHECK((fd = imsg_take_fd(&im)) != -1, "into: fd claimed");
	if (fd != -1)
		close(fd);
	imsg_free(&im);
	len = 10;
	while ((n = imsg_get_into(&b, &im, got, &len)) == 0)
		if (imsgbuf_read(&b) <= 0)
			break;
	CHECK(n == -1 && errno == EBADMSG, "into: longer payload refused");
	imsgbuf_clear(&a);
	imsgbuf_clear(&b);
	close(sp[0]);
	close(sp[1]);
}

/* A message arriving one byte at a time is assembled, never overread. */
static void
test_fragmented(void)
{
	struct imsgbuf	 b;
	struct imsg	 im;
	struct imsg_hdr	 hdr;
	unsigned char	 msg[sizeof(hdr) + 10];
	size_t		 i;
	ssize_t		 n = 0;
	int		 sp[2], early = 0;

	pair(sp);
	imsgbuf_init(&b, sp[1]);
	hdr.type = 3;
	hdr.len = sizeof(msg);
	hdr.id = 9;
	hdr.flags = 0;
	memcpy(msg, &hdr, sizeof(hdr));
	memset(msg + sizeof(hdr), 'y', 10);
	for (i = 0; i < sizeof(msg); i++) {
		if (write(sp[0], msg + i, 1) != 1)
			break;
		if (imsgbuf_read(&b) != 1)
			break;
		n = imsg_get(&b, &im);
		if (n != 0 && i + 1 < sizeof(msg))
			early = 1;
	}
	CHECK(!early, "no message before its last byte");
	CHECK(n == (ssize_t)sizeof(msg) && im.len == 10 &&
	    ((char *)im.data)[9] == 'y', "message assembled from 1-byte reads");
	if (n > 0)
		imsg_free(&im);
	imsgbuf_clear(&b);
	close(sp[0]);
	close(sp[1]);
}

/* Partial writes: a tiny send buffer and a non-blocking socket. */
static void
test_partial_write(void)
{
	struct imsgbuf	 a, b;
	struct imsg	 im;
	char		*big;
	int		 sp[2], sz = 4096, i, ok = 1, partial = 0;
	size_t		 len = IMSG_MAXSIZE - IMSG_HDRSIZE;

	pair(sp);
	setsockopt(sp[0], SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	fd_nonblock(sp[0]);
	imsgbuf_init(&a, sp[0]);
	imsgbuf_init(&b, sp[1]);
	fd_nonblock(sp[1]);
	big = malloc(len);
	for (i = 0; i < 4; i++) {
		memset(big, 'a' + i, len);
		imsg_compose(&a, 10 + i, 0, -1, big, len);
	}
	i = 0;
	while (a.wqlen > 0 || i < 4) {
		if (imsgbuf_write(&a) == -1) {
			ok = 0;
			break;
		}
		if (a.wqlen > 0)
			partial = 1;
		if (imsgbuf_read(&b) == -1 && errno != EAGAIN) {
			ok = 0;
			break;
		}
		while (imsg_get(&b, &im) > 0) {
			if (im.hdr.type != (uint32_t)(10 + i) ||
			    im.len != len ||
			    ((char *)im.data)[len - 1] != 'a' + i)
				ok = 0;
			imsg_free(&im);
			i++;
		}
	}
	CHECK(partial, "writes were partial and resumed");
	CHECK(ok, "four 64K messages intact after partial writes");
	free(big);
	imsgbuf_clear(&a);
	imsgbuf_clear(&b);
	close(sp[0]);
	close(sp[1]);
}

static void
test_fd_passing(void)
{
	struct imsgbuf	 a, b;
	struct imsg	 im;
	char		 buf[8];
	int		 sp[2], fd, got, flags;

	pair(sp);
	imsgbuf_init(&a, sp[0]);
	imsgbuf_init(&b, sp[1]);
	fd = memfd_create("t", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (write(fd, "sealed", 6) != 6)
		return;
	memfd_seal_all(fd);
	CHECK(imsg_compose(&a, 5, 1, fd, "p", 1) == 0 &&
	    imsgbuf_flush(&a) == 0, "compose with fd");
	CHECK(fcntl(fd, F_GETFD) == -1, "sender's fd closed once sent");
	CHECK(get_one(&b, &im) > 0 && im.fd != -1, "fd received");
	got = imsg_take_fd(&im);
	flags = fcntl(got, F_GETFD);
	CHECK(flags != -1 && (flags & FD_CLOEXEC), "received fd is cloexec");
	CHECK(pread(got, buf, 6, 0) == 6 && memcmp(buf, "sealed", 6) == 0,
	    "received fd reads the data");
	{
		uint64_t	 size;

		CHECK(memfd_check_sealed(got, &size) == 0 && size == 6,
		    "seals travel with the fd");
	}
	close(got);
	imsg_free(&im);

	/* A memfd with a seal missing is refused by the check. */
	fd = memfd_create("t", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW);
	{
		uint64_t	 size;

		CHECK(memfd_check_sealed(fd, &size) == -1,
		    "partly sealed memfd refused");
	}
	close(fd);
	imsgbuf_clear(&a);
	imsgbuf_clear(&b);
	close(sp[0]);
	close(sp[1]);
}

/* Raw bytes from a hostile peer. */
static ssize_t
feed(const void *data, size_t len, int withfd)
{
	struct imsgbuf	 b;
	struct imsg	 im;
	struct msghdr	 msg;
	struct iovec	 iov;
	union {
		struct cmsghdr	 hdr;
		char		 buf[CMSG_SPACE(sizeof(int) * 8)];
	}		 cm;
	struct cmsghdr	*c;
	ssize_t		 n;
	int		 sp[2], fds[8], i;

	pair(sp);
	imsgbuf_init(&b, sp[1]);
	memset(&msg, 0, sizeof(msg));
	iov.iov_base = (void *)(uintptr_t)data;
	iov.iov_len = len;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	if (withfd > 0) {
		msg.msg_control = cm.buf;
		msg.msg_controllen = CMSG_SPACE(sizeof(int) * withfd);
		c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int) * withfd);
		for (i = 0; i < withfd; i++)
			fds[i] = dup(0);
		memcpy(CMSG_DATA(c), fds, sizeof(int) * withfd);
	}
	sendmsg(sp[0], &msg, 0);
	if (withfd > 0)
		for (i = 0; i < withfd; i++)
			close(fds[i]);
	close(sp[0]);
	n = imsgbuf_read(&b);
	if (n > 0)
		n = imsg_get(&b, &im);
	if (n > 0)
		imsg_free(&im);
	imsgbuf_clear(&b);
	close(sp[1]);
	return n;
}

static void
test_garbage(void)
{
	struct imsg_hdr	 hdr;
	unsigned char	 junk[64];
	int		 before, after;

	memset(&hdr, 0, sizeof(hdr));
	hdr.len = 4;
	CHECK(feed(&hdr, sizeof(hdr), 0) == -1, "undersize length refused");
	hdr.len = IMSG_MAXSIZE + 1;
	CHECK(feed(&hdr, sizeof(hdr), 0) == -1, "oversize length refused");
	hdr.len = 0xffffffff;
	CHECK(feed(&hdr, sizeof(hdr), 0) == -1, "huge length refused");
	hdr.len = sizeof(hdr);
	hdr.flags = 0x80;
	CHECK(feed(&hdr, sizeof(hdr), 0) == -1, "unknown flag refused");
	hdr.flags = IMSGF_HASFD;
	CHECK(feed(&hdr, sizeof(hdr), 0) == -1, "claimed fd that never came");
	hdr.flags = 0;
	hdr.len = sizeof(hdr) + 100;
	CHECK(feed(&hdr, sizeof(hdr), 0) == 0, "truncated message waits");
	CHECK(feed(&hdr, 7, 0) == 0, "partial header waits");
	before = open("/dev/null", O_RDONLY);
	close(before);
	hdr.len = sizeof(hdr);
	CHECK(feed(&hdr, sizeof(hdr), 6) == -1, "surplus fds refused");
	after = open("/dev/null", O_RDONLY);
	close(after);
	CHECK(before == after, "surplus fds closed, none leaked");
	memset(junk, 0xff, sizeof(junk));
	CHECK(feed(junk, sizeof(junk), 0) == -1, "0xff garbage refused");
}

int
main(void)
{
	test_roundtrip();
	test_no_heap();
	test_fragmented();
	test_partial_write();
	test_fd_passing();
	test_garbage();
	return TEST_DONE();
}
