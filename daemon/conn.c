/*
 * The API's connections: how many, from where, and for how long.
 *
 * libevent 2.1 limits neither the number of connections nor the time a
 * request may take as a whole: its timeouts are per read and per write,
 * so a client that sends a byte every few seconds holds its connection
 * for ever.  One address opening thousands of such connections would
 * fill any table.  This file adds what HAProxy, nginx and Apache's
 * mod_reqtimeout do:
 *
 *	- a cap per client address (an IPv4 address, an IPv6 /64), past
 *	  which a new connection is closed at once, configured prefixes
 *	  (a front proxy) exempt;
 *	- a deadline for the whole request head, counted from the accept or
 *	  from the end of the previous answer;
 *	- a deadline for the body that grows with each body byte: a grace
 *	  time, then a minimum rate;
 *	- a deadline for writing the whole answer to a slow reader;
 *	- a table sized from the descriptors we have, and when it is full,
 *	  the connection that has spent longest in its request head (a
 *	  second at least) makes room for the newcomer instead of the
 *	  newcomer waiting.
 *
 * Each connection is in one state; the head, body and send states each
 * have a queue ordered by when the connection entered it, so a sweep
 * twice a second looks only at the connections whose time is up (the
 * body queue, whose deadlines move, is walked whole; it is short).  What
 * a connection is doing is seen from outside evhttp: a callback on its
 * input buffer sees the bytes arrive and finds the blank line ending the
 * head, the request callback sees the request complete, http_reply() the
 * answer start, and a callback on the output buffer the answer leave.
 */
#include <sys/types.h>
#include <sys/queue.h>
#include <sys/resource.h>

#include <arpa/inet.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/listener.h>

#include "common.h"
#include "proto.h"
#include "daemon.h"

#define CONN_FDRESERVE	64	/* descriptors not for connections */
#define CONN_NBUCKETS	1024	/* of the per-address table */
#define CONN_SWEEP_MS	500
#define CONN_EVICT_MS	1000	/* in its head at least, to be evicted */
#define CONN_LOG_SECS	10	/* between the access log's summaries */
#define MINIMUM(a, b)	((a) < (b) ? (a) : (b))

enum conn_state {
	C_HEAD,		/* reading a request head, or idle between requests */
	C_BODY,		/* reading its body */
	C_WAIT,		/* the request is ours; no deadline of this file's */
	C_WRITE		/* writing the answer */
};

/* One address's (or /64's) open connections. */
struct peer {
	LIST_ENTRY(peer)	 entry;
	uint8_t			 key[16];
	uint32_t		 n;
};

/* One accepted connection. */
struct conn {
	TAILQ_ENTRY(conn)		 fresh;	/* on conn_freshq */
	TAILQ_ENTRY(conn)		 entry;	/* on its state's queue */
	struct bufferevent		*bev;	/* till evcon known */
	struct evhttp_connection	*evcon;	/* NULL: not yet known */
	struct evbuffer			*in, *out;
	struct evbuffer_cb_entry	*incb, *outcb;
	struct peer			*peer;	/* NULL: not counted */
	int				 fd;
	enum conn_state			 state;
	uint64_t			 since;	/* ms, entered the state */
	uint64_t			 body;	/* body bytes so far */
	uint32_t			 linelen; /* head: this line so far */
	uint32_t			 lines;	 /* head: lines so far */
};
TAILQ_HEAD(connq, conn);

static struct bufferevent *conn_newcb(struct event_base *, void *);
static void	 conn_fresh(int, short, void *);
static void	 conn_admit(struct conn *);
static void	 conn_closed(struct evhttp_connection *, void *);
static void	 conn_input(struct evbuffer *, const struct evbuffer_cb_info *,
		    void *);
static void	 conn_output(struct evbuffer *,
		    const struct evbuffer_cb_info *, void *);
static void	 conn_enter(struct conn *, enum conn_state);
static void	 conn_body_limit(struct conn *, struct evbuffer *);
static void	 conn_drop(struct conn *, int);
static void	 conn_sweep(int, short, void *);
static void	 conn_listen(void);
static struct conn *conn_victim(void);
static int	 conn_exempt(const uint8_t *);
static struct peer *peer_get(const uint8_t *);
static uint64_t	 now_ms(void);

/* Why a connection was refused or closed by us, for metrics and the log. */
enum { WHY_ADDR, WHY_HEAD, WHY_BODY, WHY_SEND, WHY_EVICT, WHY_FULL, WHY_N };
static const char *const conn_why[WHY_N] = {
	"per-address-cap", "head-deadline", "body-deadline", "send-deadline",
	"evicted", "full"
};

static struct evhttp		*conn_http;
static struct evconnlistener	*conn_lev[NET_MAXLISTEN];
static int			 conn_nlev;
static int			 conn_accepting;
static int			 conn_configured;
static struct net_config	 conn_conf;
static uint32_t			 conn_max;
static uint32_t			 conn_n;
static rlim_t			 conn_nofile;
static struct conn		**conn_byfd;	/* conn_nofile of them */
static struct event		*conn_fresh_ev, *conn_sweep_ev;
static struct connq		 conn_freshq =
				    TAILQ_HEAD_INITIALIZER(conn_freshq);
static struct connq		 conn_q[C_WRITE + 1];
static LIST_HEAD(, peer)	 conn_peers[CONN_NBUCKETS];
static uint32_t			 conn_seed;
static uint64_t			 conn_count[WHY_N];
static uint64_t			 conn_logged[WHY_N];
static uint64_t			 conn_lastlog;

/*
 * Take over evhttp's accepted connections; nofile is the descriptor
 * limit.  Runs before the privilege drop.
 */
void
conn_init(struct event_base *base, struct evhttp *http, rlim_t nofile)
{
	struct timeval	 tv = { 0, CONN_SWEEP_MS * 1000 };
	int		 i;

	conn_http = http;
	conn_nofile = nofile;
	if ((conn_byfd = calloc(nofile, sizeof(*conn_byfd))) == NULL)
		fatal("%s", __func__);
	for (i = 0; i <= C_WRITE; i++)
		TAILQ_INIT(&conn_q[i]);
	evhttp_set_bevcb(http, conn_newcb, NULL);
	if ((conn_fresh_ev = event_new(base, -1, 0, conn_fresh, NULL)) ==
	    NULL || (conn_sweep_ev = event_new(base, -1, EV_PERSIST,
	    conn_sweep, NULL)) == NULL)
		fatalx("event_new");
	if (event_add(conn_sweep_ev, &tv) == -1)
		fatalx("event_add");
	evutil_secure_rng_get_bytes(&conn_seed, sizeof(conn_seed));
}

/* A listener of evhttp's, disabled until configured. */
void
conn_listener(struct evconnlistener *lev)
{
	if (conn_nlev == NET_MAXLISTEN)
		fatalx("%s: too many", __func__);
	evconnlistener_disable(lev);
	conn_lev[conn_nlev++] = lev;
}

/*
 * New limits: the cap and the deadlines apply to every connection from
 * now on, those already open included.  Returns the table's size.
 */
uint32_t
conn_config(const struct net_config *nc)
{
	uint32_t	 lim;

	conn_conf = *nc;
	lim = conn_nofile > 2 * CONN_FDRESERVE ?
	    (uint32_t)MINIMUM(conn_nofile - CONN_FDRESERVE, UINT32_MAX) :
	    (uint32_t)(conn_nofile / 2);
	if (lim < 1)
		lim = 1;
	conn_max = nc->max_conns;
	if (conn_max == 0)
		conn_max = lim;
	else if (conn_max > lim) {
		conn_max = lim;
		log_warnx("max connections %u lowered to %u: only %llu "
		    "descriptors", nc->max_conns, conn_max,
		    (unsigned long long)conn_nofile);
	}
	conn_configured = 1;
	conn_listen();
	return conn_max;
}

/*
 * Accept while configured, and below the table's size or with a
 * connection to evict.  Stopping at the limit leaves further clients in
 * the kernel's backlog.
 */
static void
conn_listen(void)
{
	int	 want, i;

	want = conn_configured && (conn_n < conn_max || conn_victim() != NULL);
	if (want == conn_accepting)
		return;
	for (i = 0; i < conn_nlev; i++) {
		if (want)
			evconnlistener_enable(conn_lev[i]);
		else
			evconnlistener_disable(conn_lev[i]);
	}
	conn_accepting = want;
	if (!want && conn_configured)
		log_debug("%u connections open, not accepting", conn_n);
}

/*
 * The connection that has spent longest in its request head, if that is
 * long enough: one just accepted has not had its turn to be read, and a
 * burst of ordinary clients must not evict each other.
 */
static struct conn *
conn_victim(void)
{
	struct conn	*c;
	uint64_t	 min;

	min = MINIMUM(CONN_EVICT_MS, conn_conf.head_ms / 2);
	TAILQ_FOREACH(c, &conn_q[C_HEAD], entry) {
		if (c->evcon == NULL)
			continue;
		return now_ms() - c->since >= min ? c : NULL;
	}
	return NULL;
}

/*
 * evhttp asks for a bufferevent for each accepted connection, before it
 * creates the connection itself.  Count the connection now, and learn its
 * evhttp_connection once evhttp has finished setting it up: the bufferevent
 * then carries the connection as its callback argument.  The extra
 * reference keeps the bufferevent readable until then even if evhttp gives
 * up on the connection at once.  Past the limit, stop accepting until
 * conn_fresh() has made room: one newcomer at a time.
 */
static struct bufferevent *
conn_newcb(struct event_base *base, void *arg)
{
	struct bufferevent	*bev;
	struct conn		*c;
	int			 i;

	(void)arg;
	if ((bev = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE))
	    == NULL)
		fatalx("bufferevent_socket_new");
	if ((c = calloc(1, sizeof(*c))) == NULL)
		fatal("%s", __func__);
	c->bev = bev;
	c->fd = -1;
	c->in = bufferevent_get_input(bev);
	c->out = bufferevent_get_output(bev);
	if ((c->incb = evbuffer_add_cb(c->in, conn_input, c)) == NULL ||
	    (c->outcb = evbuffer_add_cb(c->out, conn_output, c)) == NULL)
		fatalx("evbuffer_add_cb");
	c->state = C_HEAD;
	c->since = now_ms();
	TAILQ_INSERT_TAIL(&conn_q[C_HEAD], c, entry);
	bufferevent_incref(bev);
	TAILQ_INSERT_TAIL(&conn_freshq, c, fresh);
	event_active(conn_fresh_ev, EV_TIMEOUT, 1);
	conn_n++;
	if (conn_n >= conn_max && conn_accepting) {
		for (i = 0; i < conn_nlev; i++)
			evconnlistener_disable(conn_lev[i]);
		conn_accepting = 0;
	}
	return bev;
}

static void
conn_fresh(int fd, short event, void *arg)
{
	struct conn			*c;
	struct evhttp_connection	*evcon;
	void				*cbarg;

	(void)fd;
	(void)event;
	(void)arg;
	while ((c = TAILQ_FIRST(&conn_freshq)) != NULL) {
		TAILQ_REMOVE(&conn_freshq, c, fresh);
		bufferevent_getcb(c->bev, NULL, NULL, NULL, &cbarg);
		if (cbarg == NULL) {
			/* bufferevent_free() clears the callbacks. */
			bufferevent_decref(c->bev);
			c->bev = NULL;
			c->in = c->out = NULL;
			conn_closed(NULL, c);
			continue;
		}
		evcon = cbarg;
		if (evhttp_connection_get_bufferevent(evcon) != c->bev)
			fatalx("libevent: new connection not found");
		c->fd = bufferevent_getfd(c->bev);
		bufferevent_decref(c->bev);
		c->bev = NULL;
		if (c->fd < 0 || (rlim_t)c->fd >= conn_nofile)
			fatalx("libevent: new connection on descriptor %d",
			    c->fd);
		if (conn_byfd[c->fd] != NULL) {
			/*
			 * evhttp closed one without telling us: forget it
			 * rather than let the sweep free it again.
			 */
			log_warnx("connection on descriptor %d closed unseen",
			    c->fd);
			conn_byfd[c->fd]->in = NULL;
			conn_closed(NULL, conn_byfd[c->fd]);
		}
		conn_byfd[c->fd] = c;
		c->evcon = evcon;
		evhttp_connection_set_closecb(evcon, conn_closed, c);
		conn_admit(c);
	}
	conn_listen();
}

/*
 * Count a new connection against its address, and make room for it:
 * past the per-address cap it is closed itself; past the table's size,
 * the connection longest in its request head goes, which may be itself.
 */
static void
conn_admit(struct conn *c)
{
	struct in_addr	 a4;
	struct conn	*old;
	char		*host = NULL;
	uint8_t		 addr[16];
	uint16_t	 port;

	evhttp_connection_get_peer(c->evcon, &host, &port);
	memset(addr, 0, sizeof(addr));
	if (host != NULL && inet_pton(AF_INET, host, &a4) == 1) {
		addr[10] = addr[11] = 0xff;
		memcpy(addr + 12, &a4, sizeof(a4));
	} else if (host == NULL || inet_pton(AF_INET6, host, addr) != 1)
		memset(addr, 0, sizeof(addr));
	if (conn_conf.max_conns_addr != 0 && !conn_exempt(addr)) {
		/* IPv6 hosts get a /64 each: one /64 is one client. */
		if (memcmp(addr, "\0\0\0\0\0\0\0\0\0\0\xff\xff", 12) != 0)
			memset(addr + 8, 0, 8);
		c->peer = peer_get(addr);
		if (c->peer->n >= conn_conf.max_conns_addr) {
			conn_drop(c, WHY_ADDR);
			return;
		}
		c->peer->n++;
	}
	if (conn_n <= conn_max)
		return;
	if ((old = conn_victim()) != NULL && old != c)
		conn_drop(old, WHY_EVICT);
	else
		conn_drop(c, WHY_FULL);
}

/*
 * A connection is going away.  A request of it that still waits for the
 * monitor loses its entry (http_gone()).
 */
static void
conn_closed(struct evhttp_connection *evcon, void *arg)
{
	struct conn	*c = arg;

	if (evcon != NULL) {
		evhttp_connection_set_closecb(evcon, NULL, NULL);
		http_gone(evcon);
	}
	if (c->in != NULL) {
		evbuffer_remove_cb_entry(c->in, c->incb);
		evbuffer_remove_cb_entry(c->out, c->outcb);
	}
	if (c->fd != -1)
		conn_byfd[c->fd] = NULL;
	if (c->peer != NULL && c->peer->n > 0 && --c->peer->n == 0) {
		LIST_REMOVE(c->peer, entry);
		free(c->peer);
	}
	TAILQ_REMOVE(&conn_q[c->state], c, entry);
	free(c);
	if (conn_n == 0)
		fatalx("%s: connection count underflow", __func__);
	conn_n--;
	conn_listen();
}

/* Close a connection of ours for a reason that is counted. */
static void
conn_drop(struct conn *c, int why)
{
	conn_count[why]++;
	log_debug("closing a connection: %s", conn_why[why]);
	/* Not counted against its address: conn_closed() must not uncount. */
	if (why == WHY_ADDR)
		c->peer = NULL;
	evhttp_connection_free(c->evcon);
}

static void
conn_enter(struct conn *c, enum conn_state state)
{
	TAILQ_REMOVE(&conn_q[c->state], c, entry);
	c->state = state;
	c->since = now_ms();
	c->body = c->linelen = c->lines = 0;
	TAILQ_INSERT_TAIL(&conn_q[state], c, entry);
	conn_listen();
}

/* The connection of a request evhttp has read, or NULL. */
static struct conn *
conn_of(struct evhttp_request *req)
{
	struct evhttp_connection	*evcon;
	struct bufferevent		*bev;
	int				 fd;

	if ((evcon = evhttp_request_get_connection(req)) == NULL ||
	    (bev = evhttp_connection_get_bufferevent(evcon)) == NULL ||
	    (fd = bufferevent_getfd(bev)) < 0 || (rlim_t)fd >= conn_nofile ||
	    conn_byfd[fd] == NULL || conn_byfd[fd]->evcon != evcon)
		return NULL;
	return conn_byfd[fd];
}

/* A whole request has been read: it is ours until it is answered. */
void
conn_request(struct evhttp_request *req)
{
	struct conn	*c;

	if ((c = conn_of(req)) != NULL)
		conn_enter(c, C_WAIT);
}

/* An answer is about to be written. */
void
conn_reply(struct evhttp_request *req)
{
	struct conn	*c;

	if ((c = conn_of(req)) != NULL)
		conn_enter(c, C_WRITE);
}

/*
 * Bytes arrived.  In the head, look for the empty line that ends it
 * (evhttp takes a bare LF as a line end too); in the body, count them.
 */
static void
conn_input(struct evbuffer *buf, const struct evbuffer_cb_info *info,
    void *arg)
{
	struct conn		*c = arg;
	struct evbuffer_ptr	 pos;
	unsigned char		 chunk[512];
	size_t			 len, off, n, i;
	ev_ssize_t		 got;

	if (info->n_added == 0)
		return;
	if (c->state == C_BODY)
		c->body += info->n_added;
	if (c->state != C_HEAD)
		return;
	len = evbuffer_get_length(buf);
	off = len >= info->n_added ? len - info->n_added : 0;
	while (off < len) {
		n = MINIMUM(len - off, sizeof(chunk));
		if (evbuffer_ptr_set(buf, &pos, off, EVBUFFER_PTR_SET) == -1 ||
		    (got = evbuffer_copyout_from(buf, &pos, chunk, n)) <= 0)
			return;
		for (i = 0; i < (size_t)got; i++) {
			if (chunk[i] == '\r')
				continue;
			if (chunk[i] != '\n') {
				c->linelen++;
				continue;
			}
			if (c->linelen == 0 && c->lines > 0) {
				conn_enter(c, C_BODY);
				c->body = len - (off + i + 1);
				conn_body_limit(c, buf);
				return;
			}
			c->lines += c->linelen > 0;
			c->linelen = 0;
		}
		off += (size_t)got;
	}
}

/*
 * evhttp has one body limit, max-body, for every request; program mode's
 * POST /run and POST /file have their own.  The head has just arrived whole and evhttp has
 * not read it yet: this request's limit becomes its connection's now.
 */
static void
conn_body_limit(struct conn *c, struct evbuffer *buf)
{
	char		 line[sizeof("POST /file ")];
	ev_ssize_t	 n;
	uint64_t	 lim = conn_conf.max_body;

	if (c->evcon == NULL)
		return;
	if ((n = evbuffer_copyout(buf, line, sizeof(line) - 1)) < 0)
		n = 0;
	line[n] = '\0';
	if (conn_conf.program_mode && (strncmp(line, "POST /run ", 10) == 0 ||
	    strncmp(line, "POST /run?", 10) == 0 ||
	    strcmp(line, "POST /file ") == 0 ||
	    strcmp(line, "POST /file?") == 0))
		lim = conn_conf.program_max_body;
	evhttp_connection_set_max_body_size(c->evcon, (ev_ssize_t)lim);
}

/* The answer has left: the connection waits for its next request. */
static void
conn_output(struct evbuffer *buf, const struct evbuffer_cb_info *info,
    void *arg)
{
	struct conn	*c = arg;

	if (c->state == C_WRITE && info->n_deleted > 0 &&
	    evbuffer_get_length(buf) == 0)
		conn_enter(c, C_HEAD);
}

/*
 * Close what has run out of time.  The head and send queues are in the
 * order of their deadlines; a body's deadline moves with its bytes.
 */
static void
conn_sweep(int fd, short event, void *arg)
{
	struct conn	*c, *next;
	uint64_t	 now, limit;
	size_t		 i;
	char		 line[256];
	int		 n;

	(void)fd;
	(void)event;
	(void)arg;
	now = now_ms();
	while ((c = TAILQ_FIRST(&conn_q[C_HEAD])) != NULL &&
	    c->evcon != NULL && now - c->since >= conn_conf.head_ms)
		conn_drop(c, WHY_HEAD);
	while ((c = TAILQ_FIRST(&conn_q[C_WRITE])) != NULL &&
	    now - c->since >= conn_conf.send_ms)
		conn_drop(c, WHY_SEND);
	for (c = TAILQ_FIRST(&conn_q[C_BODY]); c != NULL; c = next) {
		next = TAILQ_NEXT(c, entry);
		limit = conn_conf.body_ms;
		if (conn_conf.body_rate != 0)
			limit += c->body * 1000 / conn_conf.body_rate;
		if (now - c->since >= limit)
			conn_drop(c, WHY_BODY);
	}
	/* The oldest head may have become old enough to make room. */
	conn_listen();

	/* A summary, not a line per connection: an attack cannot flood it. */
	if (now - conn_lastlog < CONN_LOG_SECS * 1000 ||
	    memcmp(conn_count, conn_logged, sizeof(conn_count)) == 0)
		return;
	n = snprintf(line, sizeof(line), "connections closed by the daemon "
	    "in the last %llus:", (unsigned long long)(now - conn_lastlog) /
	    1000);
	for (i = 0; i < WHY_N && n > 0 && (size_t)n < sizeof(line); i++)
		n += snprintf(line + n, sizeof(line) - (size_t)n, " %s=%llu",
		    conn_why[i], (unsigned long long)(conn_count[i] -
		    conn_logged[i]));
	memcpy(conn_logged, conn_count, sizeof(conn_logged));
	conn_lastlog = now;
	http_access_line(line);
}

/* The connections' part of /metrics. */
void
conn_metrics(struct evbuffer *buf)
{
	int	 i;

	evbuffer_add_printf(buf, "# HELP webrunnerd_http_connections "
	    "Connections open on the API's listeners.\n"
	    "# TYPE webrunnerd_http_connections gauge\n"
	    "webrunnerd_http_connections %u\n"
	    "# HELP webrunnerd_http_connections_max Connections the API "
	    "accepts before evicting.\n"
	    "# TYPE webrunnerd_http_connections_max gauge\n"
	    "webrunnerd_http_connections_max %u\n"
	    "# HELP webrunnerd_http_connections_closed_total Connections "
	    "refused or closed by the daemon, by reason.\n"
	    "# TYPE webrunnerd_http_connections_closed_total counter\n",
	    conn_n, conn_max);
	for (i = 0; i < WHY_N; i++)
		evbuffer_add_printf(buf, "webrunnerd_http_connections_closed_"
		    "total{reason=\"%s\"} %llu\n", conn_why[i],
		    (unsigned long long)conn_count[i]);
}

/* Whether addr lies in a prefix exempt from the per-address cap. */
static int
conn_exempt(const uint8_t *addr)
{
	const struct net_prefix	*p;
	uint32_t		 i, full, rest;

	for (i = 0; i < conn_conf.nexempt && i < NET_MAXEXEMPT; i++) {
		p = &conn_conf.exempt[i];
		full = MINIMUM(p->bits, 128) / 8;
		rest = MINIMUM(p->bits, 128) % 8;
		if (memcmp(addr, p->addr, full) != 0)
			continue;
		if (rest == 0 || ((addr[full] ^ p->addr[full]) &
		    (0xff << (8 - rest)) & 0xff) == 0)
			return 1;
	}
	return 0;
}

/*
 * The entry of an address, made if need be.  The hash is seeded at
 * start, so a client cannot choose addresses that share one bucket.
 */
static struct peer *
peer_get(const uint8_t *key)
{
	struct peer	*p;
	uint32_t	 h = 2166136261u ^ conn_seed;
	size_t		 i;

	for (i = 0; i < 16; i++)
		h = (h ^ key[i]) * 16777619u;
	h ^= h >> 15;
	LIST_FOREACH(p, &conn_peers[h % CONN_NBUCKETS], entry)
		if (memcmp(p->key, key, sizeof(p->key)) == 0)
			return p;
	if ((p = calloc(1, sizeof(*p))) == NULL)
		fatal("%s", __func__);
	memcpy(p->key, key, sizeof(p->key));
	LIST_INSERT_HEAD(&conn_peers[h % CONN_NBUCKETS], p, entry);
	return p;
}

static uint64_t
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}
