/*
 * Pipes between the commands of one program request (go-judge's
 * pipeMapping).  The monitor makes each pipe before any command of the
 * request starts and hands its two ends to the runners of the writing
 * and the reading command (pjob.c), keeping neither, so that a command
 * sees the end of its input once its peer has ended.
 *
 * With proxy the monitor sits in between: the writer's bytes come to it
 * through one pipe and go on through another, and with a name the first
 * max of them are kept for the writing command's result, as go-judge
 * keeps them.  Once the reader has ended, what the writer still writes
 * is read and dropped, so that the writer does not block on a pipe
 * nobody reads.  The monitor never blocks on either: both of its ends
 * are non-blocking, and at most PROXY_BACKLOG bytes wait to be passed
 * on before it stops reading the writer.
 */
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event.h>

#include "common.h"
#include "monitor.h"

#define PROXY_BACKLOG	(1024 * 1024)

static void	 proxy_read(int, short, void *);
static void	 proxy_write(int, short, void *);
static void	 proxy_flush(struct ppipe *);
static void	 proxy_close_to(struct ppipe *);

void
ppipe_init(struct ppipe *pp)
{
	memset(pp, 0, sizeof(*pp));
	pp->end[0] = pp->end[1] = pp->from = pp->to = -1;
}

/*
 * Make the pipe of pm: end[0] for the writing command, end[1] for the
 * reading one, which block as a program expects.  -1 with errno.
 */
int
ppipe_open(struct ppipe *pp, const struct prun_pipe *pm, uint64_t keep)
{
	int	 a[2], b[2];

	pp->pm = *pm;
	if (pipe2(a, O_CLOEXEC) == -1)
		return -1;
	if (!pm->proxy) {
		pp->end[0] = a[1];
		pp->end[1] = a[0];
		return 0;
	}
	if (pipe2(b, O_CLOEXEC) == -1) {
		close(a[0]);
		close(a[1]);
		return -1;
	}
	pp->end[0] = a[1];
	pp->end[1] = b[0];
	pp->from = a[0];
	pp->to = b[1];
	pp->max = pp->pm.name[0] != '\0' ? keep : 0;
	if (fcntl(pp->from, F_SETFL, O_NONBLOCK) == -1 ||
	    fcntl(pp->to, F_SETFL, O_NONBLOCK) == -1)
		return -1;
	if ((pp->pending = evbuffer_new()) == NULL ||
	    (pp->rev = event_new(mon->base, pp->from, EV_READ | EV_PERSIST,
	    proxy_read, pp)) == NULL ||
	    (pp->wev = event_new(mon->base, pp->to, EV_WRITE, proxy_write,
	    pp)) == NULL || event_add(pp->rev, NULL) == -1)
		fatalx("%s: event_new", __func__);
	return 0;
}

/* The writer's bytes: kept up to max, passed on while the reader reads. */
static void
proxy_read(int fd UNUSED, short event UNUSED, void *arg)
{
	struct ppipe	*pp = arg;
	char		 chunk[65536];
	size_t		 want;
	ssize_t		 n;

	while (pp->from != -1) {
		if (pp->to != -1 &&
		    evbuffer_get_length(pp->pending) >= PROXY_BACKLOG) {
			event_del(pp->rev);	/* proxy_write() reads on */
			return;
		}
		if ((n = pipe_read(&pp->from, &pp->rev, chunk,
		    sizeof(chunk))) == 0)
			return;
		if (n == -1) {
			if (evbuffer_get_length(pp->pending) == 0)
				proxy_close_to(pp);
			return;
		}
		want = (size_t)n;
		if (pp->len + want > pp->max)
			want = (size_t)(pp->max - pp->len);
		keep_bytes(&pp->buf, &pp->len, &pp->cap, chunk, want);
		if (pp->to == -1)
			continue;	/* nobody reads: dropped */
		if (evbuffer_add(pp->pending, chunk, (size_t)n) == -1)
			fatal("evbuffer_add");
		proxy_flush(pp);
	}
}

static void
proxy_write(int fd UNUSED, short event UNUSED, void *arg)
{
	struct ppipe	*pp = arg;

	proxy_flush(pp);
	/* Room again: read the writer on. */
	if (pp->rev != NULL && (pp->to == -1 ||
	    evbuffer_get_length(pp->pending) < PROXY_BACKLOG))
		event_add(pp->rev, NULL);
}

/* Pass on what waits, as much as the reader's pipe takes now. */
static void
proxy_flush(struct ppipe *pp)
{
	int	 n;

	while (pp->to != -1 && evbuffer_get_length(pp->pending) > 0) {
		n = evbuffer_write(pp->pending, pp->to);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN) {
			event_add(pp->wev, NULL);
			return;
		}
		if (n <= 0) {		/* EPIPE: the reader has ended */
			proxy_close_to(pp);
			return;
		}
	}
	if (pp->to != -1 && pp->from == -1)
		proxy_close_to(pp);	/* all passed on: the reader's EOF */
}

static void
proxy_close_to(struct ppipe *pp)
{
	if (pp->to == -1)
		return;
	event_del(pp->wev);
	close(pp->to);
	pp->to = -1;
	evbuffer_drain(pp->pending, evbuffer_get_length(pp->pending));
}

/*
 * What the non-blocking pipe *fd holds now, into buf: the bytes read, 0
 * when it holds nothing more for now, or -1 at its end (or on an error),
 * when it has been closed and its event freed.
 */
ssize_t
pipe_read(int *fd, struct event **ev, char *buf, size_t len)
{
	ssize_t	 n;

	for (;;) {
		if ((n = read(*fd, buf, len)) > 0)
			return n;
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN)
			return 0;
		if (*ev != NULL)
			event_free(*ev);
		*ev = NULL;
		close(*fd);
		*fd = -1;
		return -1;
	}
}

/* n more bytes at the end of a buffer that grows as they come. */
void
keep_bytes(char **buf, size_t *len, size_t *cap, const char *data,
    size_t n)
{
	char	*nb;
	size_t	 ncap;

	if (n == 0)
		return;
	if (*len + n > *cap) {
		ncap = *cap == 0 ? 65536 : *cap * 2;
		while (ncap < *len + n)
			ncap *= 2;
		if ((nb = realloc(*buf, ncap)) == NULL)
			fatal("realloc");
		*buf = nb;
		*cap = ncap;
	}
	memcpy(*buf + *len, data, n);
	*len += n;
}

/*
 * Every command of the request has ended: what the writer left in the
 * pipe is read now, so that the bytes kept are all it wrote.
 */
void
ppipe_drain(struct ppipe *pp)
{
	proxy_close_to(pp);
	if (pp->from != -1)
		proxy_read(pp->from, EV_READ, pp);
}

void
ppipe_free(struct ppipe *pp)
{
	int	 i;

	for (i = 0; i < 2; i++)
		if (pp->end[i] != -1)
			close(pp->end[i]);
	if (pp->rev != NULL)
		event_free(pp->rev);
	if (pp->wev != NULL)
		event_free(pp->wev);
	if (pp->from != -1)
		close(pp->from);
	if (pp->to != -1)
		close(pp->to);
	if (pp->pending != NULL)
		evbuffer_free(pp->pending);
	free(pp->buf);
	ppipe_init(pp);
}
