/*
 * An imsgbuf driven by libevent: the monitor and the net process use it;
 * the runner, which must not link libevent, uses imsgbuf directly.
 */
#include <sys/types.h>

#include <errno.h>
#include <string.h>

#include <event2/event.h>

#include "common.h"

static void	 imsgev_dispatch(int, short, void *);

int
imsgev_init(struct imsgev *iev, struct event_base *base, int fd,
    void (*handler)(int, short, void *), void *data)
{
	imsgbuf_init(&iev->ibuf, fd);
	iev->handler = handler;
	iev->data = data;
	iev->events = 0;
	if (fd_nonblock(fd) == -1)
		return -1;
	iev->ev = event_new(base, fd, 0, imsgev_dispatch, iev);
	if (iev->ev == NULL)
		return -1;
	imsgev_add(iev);
	return 0;
}

void
imsgev_clear(struct imsgev *iev)
{
	if (iev->ev != NULL) {
		event_free(iev->ev);
		iev->ev = NULL;
	}
	imsgbuf_clear(&iev->ibuf);
}

/*
 * Writes are flushed here before the user's handler sees the event, so a
 * handler only ever deals with reads.
 */
static void
imsgev_dispatch(int fd, short event, void *arg)
{
	struct imsgev	*iev = arg;

	if (event & EV_WRITE) {
		if (imsgbuf_write(&iev->ibuf) == -1 && errno != EPIPE) {
			iev->handler(fd, EV_WRITE, iev->data);
			return;
		}
	}
	if (event & EV_READ) {
		iev->handler(fd, EV_READ, iev->data);
		return;
	}
	imsgev_add(iev);
}

/*
 * Re-arm: always read, write only while something is queued.  The event
 * is persistent, so the common case (reading, nothing queued) changes
 * nothing in the kernel's poll set.
 */
void
imsgev_add(struct imsgev *iev)
{
	short	 events = EV_READ;

	if (iev->ev == NULL)
		return;
	if (iev->ibuf.wqlen > 0)
		events |= EV_WRITE;
	if (events == iev->events && event_pending(iev->ev, events, NULL))
		return;
	event_del(iev->ev);
	event_assign(iev->ev, event_get_base(iev->ev), iev->ibuf.fd,
	    events | EV_PERSIST, imsgev_dispatch, iev);
	iev->events = events;
	event_add(iev->ev, NULL);
}

/*
 * Queue a message and try to send it at once: it nearly always fits the
 * socket buffer, and waiting for the loop to report the socket writable
 * would cost every message a round through the poll set.  What does not
 * go now stays queued; an error shows up in the dispatcher, which tries
 * again and reports it to the handler as EV_WRITE.
 */
int
imsgev_compose(struct imsgev *iev, uint32_t type, uint32_t id, int fd,
    const void *data, size_t len)
{
	if (imsg_compose(&iev->ibuf, type, id, fd, data, len) == -1)
		return -1;
	(void)imsgbuf_write(&iev->ibuf);
	imsgev_add(iev);
	return 0;
}
