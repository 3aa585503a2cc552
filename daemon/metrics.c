/*
 * Prometheus metrics, on listening sockets of their own (off unless the
 * configuration names some), so that the API port never exposes them.
 *
 *	GET /metrics	the text exposition format, version 0.0.4
 *
 * The network process counts what it sees (requests by route and code,
 * their latency); the monitor adds what it knows (runs by outcome, the
 * queue, the runners, their spawn time, the self-test), asked for with
 * IMSG_METRICS_REQ at each scrape.
 */
#include <sys/types.h>
#include <sys/queue.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "common.h"
#include "proto.h"
#include "daemon.h"

#define M_MAXROUTES	16	/* the API's routes, and "other" */
#define M_MAXCODES	24	/* distinct status codes per route */
#define M_MAXPENDING	16	/* scrapes waiting for the monitor */
#define M_TIMEOUT	10	/* seconds */

struct m_route {
	const char	*name;		/* static: the route table's */
	int		 ncodes;
	struct {
		int		 code;
		uint64_t	 n;
	} codes[M_MAXCODES];
};

struct m_pending {
	struct evhttp_request		*req;
	struct evhttp_connection	*evcon;
	uint32_t			 id;
};

static void	 metrics_request(struct evhttp_request *, void *);
static void	 metrics_closed(struct evhttp_connection *, void *);
static void	 metrics_reply(struct evhttp_request *, int, struct evbuffer *);

/* Upper bounds of the latency histogram's buckets, in microseconds. */
static const long long m_bounds[] = {
	1000, 2500, 5000, 10000, 25000, 50000, 100000, 250000, 500000,
	1000000, 2500000, 5000000, 10000000
};
#define M_NBOUNDS	(sizeof(m_bounds) / sizeof(m_bounds[0]))

static struct m_route	 m_routes[M_MAXROUTES];
static int		 m_nroutes;
static uint64_t		 m_buckets[M_NBOUNDS];	/* not cumulative */
static uint64_t		 m_count;
static long long	 m_sum_us;
static uint64_t		 m_dropped;	/* codes that found no room */
static struct m_pending	 m_pending[M_MAXPENDING];
static uint32_t		 m_nextid;

/* Runs before the privilege drop, like http_init(). */
void
metrics_init(struct event_base *base, const int *fds, int nfds)
{
	struct evhttp	*mh;
	int		 i;

	if (nfds == 0)
		return;
	if ((mh = evhttp_new(base)) == NULL)
		fatalx("evhttp_new");
	evhttp_set_allowed_methods(mh, EVHTTP_REQ_GET | EVHTTP_REQ_HEAD);
	evhttp_set_max_headers_size(mh, 8192);
	evhttp_set_max_body_size(mh, 0);
	evhttp_set_timeout(mh, M_TIMEOUT);
	evhttp_set_gencb(mh, metrics_request, NULL);
	for (i = 0; i < nfds; i++) {
		if (fd_nonblock(fds[i]) == -1 || fd_cloexec(fds[i]) == -1)
			fatal("metrics descriptor %d", fds[i]);
		if (evhttp_accept_socket_with_handle(mh, fds[i]) == NULL)
			fatalx("evhttp_accept_socket: descriptor %d", fds[i]);
	}
}

/* One answered API request; route is a string that lives forever. */
void
metrics_count(const char *route, int code, long long us)
{
	struct m_route	*r = NULL;
	size_t		 b;
	int		 i;

	m_count++;
	m_sum_us += us;
	for (b = 0; b < M_NBOUNDS; b++)
		if (us <= m_bounds[b]) {
			m_buckets[b]++;
			break;
		}
	for (i = 0; i < m_nroutes; i++)
		if (strcmp(m_routes[i].name, route) == 0)
			r = &m_routes[i];
	if (r == NULL) {
		if (m_nroutes == M_MAXROUTES) {
			m_dropped++;
			return;
		}
		r = &m_routes[m_nroutes++];
		r->name = route;
	}
	for (i = 0; i < r->ncodes; i++)
		if (r->codes[i].code == code) {
			r->codes[i].n++;
			return;
		}
	if (r->ncodes == M_MAXCODES) {
		m_dropped++;
		return;
	}
	r->codes[r->ncodes].code = code;
	r->codes[r->ncodes++].n = 1;
}

static void
metrics_request(struct evhttp_request *req, void *arg)
{
	struct m_pending	*p = NULL;
	const char		*path;
	size_t			 i;

	(void)arg;
	path = evhttp_uri_get_path(evhttp_request_get_evhttp_uri(req));
	if (path == NULL || strcmp(path, "/metrics") != 0) {
		metrics_reply(req, 404, NULL);
		return;
	}
	for (i = 0; i < M_MAXPENDING && p == NULL; i++)
		if (m_pending[i].req == NULL)
			p = &m_pending[i];
	if (p == NULL) {
		metrics_reply(req, 503, NULL);
		return;
	}
	if (++m_nextid == 0)
		m_nextid = 1;
	p->req = req;
	p->evcon = evhttp_request_get_connection(req);
	p->id = m_nextid;
	evhttp_connection_set_closecb(p->evcon, metrics_closed, NULL);
	if (net_send(IMSG_METRICS_REQ, p->id, -1, NULL, 0) == -1) {
		memset(p, 0, sizeof(*p));
		metrics_reply(req, 500, NULL);
	}
}

/* A scraper went away before the monitor answered. */
static void
metrics_closed(struct evhttp_connection *evcon, void *arg)
{
	struct m_pending	*p;
	size_t			 i;

	(void)arg;
	for (i = 0; i < M_MAXPENDING; i++) {
		p = &m_pending[i];
		if (p->req == NULL || p->evcon != evcon)
			continue;
		if (evhttp_request_get_connection(p->req) == NULL)
			evhttp_request_free(p->req);
		memset(p, 0, sizeof(*p));
	}
}

/* The monitor's part: append ours and answer. */
void
metrics_done(uint32_t id, const struct http_res *res)
{
	struct evhttp_request	*req = NULL;
	struct evbuffer		*buf;
	uint64_t		 cum;
	size_t			 i, b;
	int			 j;

	for (i = 0; i < M_MAXPENDING; i++)
		if (m_pending[i].req != NULL && m_pending[i].id == id) {
			req = m_pending[i].req;
			evhttp_connection_set_closecb(m_pending[i].evcon, NULL,
			    NULL);
			memset(&m_pending[i], 0, sizeof(m_pending[i]));
			break;
		}
	if (req == NULL)
		return;
	if (res->code != 200 || res->len > sizeof(res->body) ||
	    memchr(res->body, '\0', res->len) != NULL) {
		metrics_reply(req, 500, NULL);
		return;
	}
	if ((buf = evbuffer_new()) == NULL)
		fatal("evbuffer_new");
	evbuffer_add_printf(buf, "# HELP webrunnerd_http_requests_total "
	    "HTTP requests answered, by route and status code.\n"
	    "# TYPE webrunnerd_http_requests_total counter\n");
	for (j = 0; j < m_nroutes; j++)
		for (i = 0; i < (size_t)m_routes[j].ncodes; i++)
			evbuffer_add_printf(buf, "webrunnerd_http_requests_total"
			    "{route=\"%s\",code=\"%d\"} %llu\n",
			    m_routes[j].name, m_routes[j].codes[i].code,
			    (unsigned long long)m_routes[j].codes[i].n);
	evbuffer_add_printf(buf, "# HELP webrunnerd_http_request_duration_"
	    "seconds Time from a request being read to its answer.\n"
	    "# TYPE webrunnerd_http_request_duration_seconds histogram\n");
	for (b = 0, cum = 0; b < M_NBOUNDS; b++) {
		cum += m_buckets[b];
		evbuffer_add_printf(buf, "webrunnerd_http_request_duration_"
		    "seconds_bucket{le=\"%g\"} %llu\n",
		    (double)m_bounds[b] / 1e6, (unsigned long long)cum);
	}
	evbuffer_add_printf(buf, "webrunnerd_http_request_duration_seconds_"
	    "bucket{le=\"+Inf\"} %llu\n"
	    "webrunnerd_http_request_duration_seconds_sum %.6f\n"
	    "webrunnerd_http_request_duration_seconds_count %llu\n",
	    (unsigned long long)m_count, (double)m_sum_us / 1e6,
	    (unsigned long long)m_count);
	evbuffer_add_printf(buf, "# HELP webrunnerd_http_requests_uncounted_"
	    "total Requests whose route or code found no room in the "
	    "table.\n# TYPE webrunnerd_http_requests_uncounted_total "
	    "counter\nwebrunnerd_http_requests_uncounted_total %llu\n",
	    (unsigned long long)m_dropped);
	conn_metrics(buf);
	if (evbuffer_add(buf, res->body, res->len) == -1)
		fatal("evbuffer_add");
	metrics_reply(req, 200, buf);
	evbuffer_free(buf);
}

static void
metrics_reply(struct evhttp_request *req, int code, struct evbuffer *buf)
{
	struct evkeyvalq	*out;
	struct evbuffer		*empty = NULL;
	char			 num[24];

	out = evhttp_request_get_output_headers(req);
	evhttp_add_header(out, "Server", "webrunnerd");
	evhttp_add_header(out, "Cache-Control", "no-store");
	evhttp_add_header(out, "Content-Type",
	    "text/plain; version=0.0.4; charset=utf-8");
	if (buf == NULL) {
		if ((empty = evbuffer_new()) == NULL)
			fatal("evbuffer_new");
		buf = empty;
	}
	/* As in http_reply(): HEAD gets the length and no body. */
	if (evhttp_request_get_command(req) == EVHTTP_REQ_HEAD) {
		snprintf(num, sizeof(num), "%zu", evbuffer_get_length(buf));
		evhttp_add_header(out, "Content-Length", num);
		evbuffer_drain(buf, evbuffer_get_length(buf));
	}
	evhttp_send_reply(req, code, NULL, buf);
	if (empty != NULL)
		evbuffer_free(empty);
}
