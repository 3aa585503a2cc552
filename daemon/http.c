/*
 * The HTTP front end: evhttp parses every request (no HTTP is parsed by
 * hand here), this file routes it and checks its framing, query.c parses
 * a run request's query, and this file either answers the request or
 * hands it to the monitor and answers when the monitor does.
 *
 *	HEAD /<machine-id>/monitor		IMSG_HEALTH_REQ
 *	GET /<machine-id>/monitor		IMSG_INFO_REQ (INFO_STATUS)
 *	HEAD|GET /<machine-id>/version		IMSG_INFO_REQ (INFO_VERSION)
 *	HEAD|GET /<machine-id>/config		IMSG_INFO_REQ (INFO_CONFIG)
 *	POST /<machine-id>/run?kernel=NAME&...	IMSG_RUN_REQ + memfd
 *	POST /run				IMSG_PRUN_FILE, _COPYIN, _CMD,
 *						_REQ
 *	HEAD|GET /version			IMSG_INFO_REQ (INFO_GJ_VERSION)
 *	HEAD|GET /config			IMSG_INFO_REQ (INFO_GJ_CONFIG)
 *	OPTIONS on any				204, CORS preflight
 *
 * POST /run, GET /version and GET /config are go-judge's (program mode,
 * prun.c parses /run's JSON): bare paths, as go-judge serves them, so
 * that judges built for go-judge work unchanged; they are served only in
 * program mode, and everything they answer is JSON.
 *
 * With an auth token configured, every route but OPTIONS, go-judge's
 * /version and /config (open there too) and the monitor route (unless
 * configured otherwise) wants
 * "Authorization: Bearer TOKEN", compared in constant time.
 *
 * Requests waiting for the monitor sit in a small table keyed by the imsg
 * id.  When a client goes away first its entry is dropped, so a late
 * answer finds nothing and is ignored.
 *
 * How many connections, from where and for how long is conn.c's.
 */
#include <sys/types.h>
#include <sys/mman.h>
#include <sys/queue.h>
#include <sys/resource.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/listener.h>
#include <event2/util.h>

#include "common.h"
#include "proto.h"
#include "daemon.h"

#define HTTP_MAXPENDING	256	/* requests waiting for the monitor */
#define HTTP_ALLMETHODS	(EVHTTP_REQ_GET | EVHTTP_REQ_POST | \
			 EVHTTP_REQ_HEAD | EVHTTP_REQ_PUT | \
			 EVHTTP_REQ_DELETE | EVHTTP_REQ_OPTIONS | \
			 EVHTTP_REQ_TRACE | EVHTTP_REQ_CONNECT | \
			 EVHTTP_REQ_PATCH)
#define HTTP_ALLOWHDRS	"Content-Type, Accept, Authorization"
#define HTTP_MAXAGE	"86400"
/* RFC 9110 tchar: what a header field name is made of. */
#define HTTP_TOKEN	"!#$%&'*+-.^_`|~0123456789" \
			"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

enum pend_kind {
	PEND_HEALTH = 1,
	PEND_RUN		/* answered with IMSG_HTTP_RES */
};

/* What the access log says about the request being answered. */
struct reqlog {
	struct timespec		 start;		/* CLOCK_MONOTONIC */
	char			 kernel[WR_NAMELEN];	/* "-": none */
	int			 outcome;	/* enum run_status, or -1 */
	const char		*route;		/* for metrics */
	int			 json;		/* JSON whatever Accept says */
};

/* A request waiting for the monitor; req == NULL marks a free slot. */
struct pending {
	struct evhttp_request		*req;
	struct evhttp_connection	*evcon;
	uint32_t			 id;
	int				 kind;
	struct reqlog			 log;
};

struct route {
	const char	*command;
	int		 methods;		/* EVHTTP_REQ_* */
	const char	*allow;			/* Allow header */
	void		 (*handler)(struct evhttp_request *);
	uint32_t	 info;			/* enum info_what, or 0 */
	int		 open;			/* ROUTE_ rule without auth */
	const char	*label;			/* for metrics; NULL: command */
	int		 program;		/* program mode's: JSON only */
};

/* Which routes need no token (struct route.open). */
#define ROUTE_TOKEN	0	/* with a token configured, it is needed */
#define ROUTE_MONITOR	1	/* open as `auth monitor' says */
#define ROUTE_OPEN	2	/* always open */

static void	 http_request(struct evhttp_request *, void *);
static void	 http_route(struct evhttp_request *, const struct route *);
static const char *http_framing(struct evhttp_request *);
static void	 http_monitor(struct evhttp_request *);
static void	 http_run(struct evhttp_request *);
static void	 http_prun(struct evhttp_request *);
static void	 http_file(struct evhttp_request *);
static const char *http_program_body(struct evhttp_request *,
		    struct evbuffer **, size_t *);
static int	 http_ask(struct evhttp_request *, uint32_t, int, const void *,
		    size_t);
static int	 http_answer_bad(uint32_t, const struct http_res *);
static void	 http_unmap(const void *, size_t, void *);
static void	 http_info(struct evhttp_request *, uint32_t);
static int	 http_authorized(struct evhttp_request *);
static int	 http_run_object(struct evhttp_request *, int *, uint64_t *);
static void	 http_reply(struct evhttp_request *, int, int, uint32_t,
		    const char *, size_t);
static void	 http_send(struct evhttp_request *, int, const char *,
		    uint32_t, struct evbuffer *);
static void	 http_error(struct evhttp_request *, int, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
static int	 http_wants_json(struct evhttp_request *);
static void	 http_log(struct evhttp_request *, int, size_t);
static const char *http_method(enum evhttp_cmd_type);
static struct pending *pending_new(struct evhttp_request *, int);
static struct evhttp_request *pending_take(uint32_t, int);

static const struct route routes[] = {
	{ "monitor",	EVHTTP_REQ_GET | EVHTTP_REQ_HEAD,
	    "GET, HEAD, OPTIONS",	http_monitor,	INFO_STATUS,	ROUTE_MONITOR,
	    NULL,		0 },
	{ "run",	EVHTTP_REQ_POST,
	    "POST, OPTIONS",		http_run,	0,		0,
	    NULL,		0 },
	{ "version",	EVHTTP_REQ_GET | EVHTTP_REQ_HEAD,
	    "GET, HEAD, OPTIONS",	NULL,		INFO_VERSION,	0,
	    NULL,		0 },
	{ "config",	EVHTTP_REQ_GET | EVHTTP_REQ_HEAD,
	    "GET, HEAD, OPTIONS",	NULL,		INFO_CONFIG,	0,
	    NULL,		0 },
};

/* go-judge's routes: /<command>, without a machine-id. */
static const struct route bare_routes[] = {
	{ "run",	EVHTTP_REQ_POST,
	    "POST, OPTIONS",		http_prun,	0,		0,
	    "program-run",	1 },
	/* Open, as in go-judge: Hydro sends no token (webrunnerd(8)). */
	{ "version",	EVHTTP_REQ_GET | EVHTTP_REQ_HEAD,
	    "GET, HEAD, OPTIONS",	NULL,		INFO_GJ_VERSION, ROUTE_OPEN,
	    "program-version",	1 },
	{ "config",	EVHTTP_REQ_GET | EVHTTP_REQ_HEAD,
	    "GET, HEAD, OPTIONS",	NULL,		INFO_GJ_CONFIG,	ROUTE_OPEN,
	    "program-config",	1 },
	/* /file and /file/<id>: http_file() tells which methods of each. */
	{ "file",	EVHTTP_REQ_GET | EVHTTP_REQ_HEAD | EVHTTP_REQ_POST |
	    EVHTTP_REQ_DELETE,
	    "GET, HEAD, POST, DELETE, OPTIONS", http_file, 0,	0,
	    "program-file",	1 },
};

static struct evhttp		*http;
static struct net_config	 http_conf;
static struct pending		 http_pending[HTTP_MAXPENDING];
static uint32_t			 http_nextid;
static struct reqlog		 http_cur;	/* the request at hand */
static uint32_t			 http_access = LOGD_SYSLOG;
static int			 http_accessfd = -1;

/*
 * Set up evhttp on the listening sockets, not accepting yet: the limits
 * come with the first IMSG_NET_CONFIG.  Runs before the privilege drop.
 */
void
http_init(struct event_base *base, const int *fds, int nfds)
{
	struct evhttp_bound_socket	*bs;
	struct rlimit			 rl;
	int				 i;

	if ((http = evhttp_new(base)) == NULL)
		fatalx("evhttp_new");
	/* Every method reaches us, so wrong ones get 405 and Allow. */
	evhttp_set_allowed_methods(http, HTTP_ALLMETHODS);
	evhttp_set_gencb(http, http_request, NULL);
	/* getrlimit is not on the allowlist: conn.c learns it now. */
	if (getrlimit(RLIMIT_NOFILE, &rl) == -1)
		fatal("getrlimit");
	conn_init(base, http, rl.rlim_cur);
	for (i = 0; i < nfds; i++) {
		/* evconnlistener takes the socket as it is: non-blocking. */
		if (fd_nonblock(fds[i]) == -1 || fd_cloexec(fds[i]) == -1)
			fatal("listening descriptor %d", fds[i]);
		if ((bs = evhttp_accept_socket_with_handle(http, fds[i])) ==
		    NULL)
			fatalx("evhttp_accept_socket: descriptor %d", fds[i]);
		conn_listener(evhttp_bound_socket_get_listener(bs));
	}

	/*
	 * The monitor may still answer requests of the network process
	 * before us, by their ids, once we have taken over; ids that start
	 * where the last process's did would hand those answers to our
	 * clients.  libevent's generator was seeded in main().
	 */
	evutil_secure_rng_get_bytes(&http_nextid, sizeof(http_nextid));
}

/* New limits apply to connections accepted from now on. */
void
http_config(const struct net_config *nc)
{
	uint32_t	 maxconns;

	http_conf = *nc;
	evhttp_set_max_headers_size(http, (ev_ssize_t)nc->max_headers);
	evhttp_set_max_body_size(http, (ev_ssize_t)nc->max_body);
	evhttp_set_timeout(http, (int)nc->timeout);
	http_access = nc->access_log;
	if (http_access != LOGD_FILE)
		http_access_fd(-1);
	maxconns = conn_config(nc);
	log_info("configured: machine-id %s, body %llu, headers %u, "
	    "timeout %us, connections %u, %u per address, head %ums, "
	    "body %ums then %u bytes/s, answer %ums, program mode %s",
	    nc->machine_id[0] != '\0' ? nc->machine_id : "(any)",
	    (unsigned long long)nc->max_body, nc->max_headers, nc->timeout,
	    maxconns, nc->max_conns_addr, nc->head_ms, nc->body_ms,
	    nc->body_rate, nc->send_ms, nc->program_mode ? "on" : "off");
}

/* The access log file the monitor opened for us, or -1. */
void
http_access_fd(int fd)
{
	if (http_accessfd != -1 && http_accessfd != fd)
		close(http_accessfd);
	http_accessfd = fd;
}

/*
 * A connection is going away.  A request of it that still waits for the
 * monitor loses its entry; evhttp has already detached such a request
 * from the connection and left it to us to free.
 */
void
http_gone(struct evhttp_connection *evcon)
{
	struct pending	*p;
	size_t		 i;

	for (i = 0; i < HTTP_MAXPENDING; i++) {
		p = &http_pending[i];
		if (p->req == NULL || p->evcon != evcon)
			continue;
		log_debug("request %u: client went away", p->id);
		if (evhttp_request_get_connection(p->req) == NULL)
			evhttp_request_free(p->req);
		memset(p, 0, sizeof(*p));
	}
}

/* Route /<machine-id>/<command>. */
static void
http_request(struct evhttp_request *req, void *arg)
{
	const struct route	*r = NULL;
	const char		*path, *slash, *cmd, *why;
	char			 id[WR_NAMELEN];
	size_t			 idlen, i, n;

	(void)arg;
	conn_request(req);
	clock_gettime(CLOCK_MONOTONIC, &http_cur.start);
	strlcpy(http_cur.kernel, "-", sizeof(http_cur.kernel));
	http_cur.outcome = -1;
	http_cur.route = "other";
	http_cur.json = 0;
	if ((why = http_framing(req)) != NULL) {
		/* What follows the body on this connection is suspect. */
		evhttp_add_header(evhttp_request_get_output_headers(req),
		    "Connection", "close");
		http_error(req, 400, "%s", why);
		return;
	}
	path = evhttp_uri_get_path(evhttp_request_get_evhttp_uri(req));
	/* /<command>, and /file/<id>, the one with more to it. */
	n = path != NULL && path[0] == '/' ? strcspn(path + 1, "/") : 0;
	if (n > 0 && (path[1 + n] == '\0' || (strncmp(path, "/file/", 6) ==
	    0 && strchr(path + 6, '/') == NULL)))
		for (i = 0; i < sizeof(bare_routes) / sizeof(bare_routes[0]);
		    i++)
			if (strlen(bare_routes[i].command) == n &&
			    strncmp(path + 1, bare_routes[i].command, n) == 0)
				r = &bare_routes[i];
	/* Without program mode, /file/x may be machine-id file's. */
	if (r != NULL && !http_conf.program_mode && path[1 + n] == '\0') {
		http_error(req, 404, "program mode is off");
		return;
	}
	if (!http_conf.program_mode)
		r = NULL;
	if (r != NULL) {
		http_route(req, r);
		return;
	}
	if (path == NULL || path[0] != '/' ||
	    (slash = strchr(path + 1, '/')) == NULL) {
		http_error(req, 404, "path must be /<machine-id>/<command>");
		return;
	}
	idlen = (size_t)(slash - (path + 1));
	if (idlen < sizeof(id)) {
		memcpy(id, path + 1, idlen);
		id[idlen] = '\0';
	}
	if (idlen >= sizeof(id) || !machine_id_ok(id)) {
		http_error(req, 404, "bad machine-id: " MACHINE_ID_RULE);
		return;
	}
	cmd = slash + 1;
	if (*cmd == '\0' || strchr(cmd, '/') != NULL) {
		http_error(req, 404, "path must be /<machine-id>/<command>");
		return;
	}
	if (http_conf.machine_id[0] != '\0' &&
	    strcmp(id, http_conf.machine_id) != 0) {
		http_error(req, 404, "unknown machine-id '%s'", id);
		return;
	}
	for (i = 0; i < sizeof(routes) / sizeof(routes[0]); i++)
		if (strcmp(cmd, routes[i].command) == 0)
			r = &routes[i];
	if (r == NULL) {
		http_error(req, 404, "unknown command");
		return;
	}
	http_route(req, r);
}

/* A request on a route: preflight, method, token, then its handler. */
static void
http_route(struct evhttp_request *req, const struct route *r)
{
	enum evhttp_cmd_type	 method;
	struct evkeyvalq	*out;

	http_cur.route = r->label != NULL ? r->label : r->command;
	http_cur.json = r->program;

	out = evhttp_request_get_output_headers(req);
	method = evhttp_request_get_command(req);
	if (method == EVHTTP_REQ_OPTIONS) {
		evhttp_add_header(out, "Allow", r->allow);
		evhttp_add_header(out, "Access-Control-Allow-Methods",
		    r->allow);
		evhttp_add_header(out, "Access-Control-Allow-Headers",
		    HTTP_ALLOWHDRS);
		evhttp_add_header(out, "Access-Control-Max-Age", HTTP_MAXAGE);
		http_reply(req, 204, 0, 0, NULL, 0);
		return;
	}
	if ((method & r->methods) == 0) {
		evhttp_add_header(out, "Allow", r->allow);
		http_error(req, 405, "method not allowed; use %s", r->allow);
		return;
	}
	if (http_conf.auth_token[0] != '\0' &&
	    r->open != ROUTE_OPEN &&
	    !(r->open == ROUTE_MONITOR && http_conf.auth_monitor_open) &&
	    !http_authorized(req)) {
		evhttp_add_header(out, "WWW-Authenticate",
		    "Bearer realm=\"webrunnerd\"");
		http_error(req, 401, "a valid bearer token is required");
		return;
	}
	if (r->handler != NULL)
		r->handler(req);
	else
		http_info(req, r->info);
}

/*
 * "Authorization: Bearer TOKEN" with the configured token.  Every byte
 * of the longest possible token is looked at whatever the client sent,
 * so the time taken says nothing about how much of it was right.  The
 * header is never logged.
 */
static int
http_authorized(struct evhttp_request *req)
{
	const char		*h, *tok;
	const unsigned char	*a, *b;
	size_t			 alen, blen, i;
	unsigned int		 diff;

	h = evhttp_find_header(evhttp_request_get_input_headers(req),
	    "Authorization");
	if (h == NULL || strncasecmp(h, "Bearer ", 7) != 0)
		return 0;
	tok = h + 7 + strspn(h + 7, " ");
	a = (const unsigned char *)tok;
	b = (const unsigned char *)http_conf.auth_token;
	/* Our own loop: Debian 12's libbsd has no timingsafe_bcmp(). */
	alen = strnlen(tok, sizeof(http_conf.auth_token));
	blen = strlen(http_conf.auth_token);
	diff = alen != blen;
	for (i = 0; i < sizeof(http_conf.auth_token); i++)
		diff |= (unsigned int)((i < alen ? a[i] : 0) ^
		    (i < blen ? b[i] : 0));
	return diff == 0;
}

/*
 * Where a request's body ends must not be open to interpretation: a proxy
 * in front of us that reads the framing one way while evhttp reads it
 * another can smuggle a request past itself (RFC 9112, sections 6.1 and
 * 6.3).  libevent 2.1 takes the first of several Content-Length fields,
 * accepts "+3" as one, takes white space before the colon as part of the
 * field name, reads the body as empty when the Transfer-Encoding is
 * anything but "chunked", and does not read the body of a HEAD or TRACE
 * request at all: in each case the body is then parsed as the next
 * request.  Refuse all of these; the caller closes the connection.
 */
static const char *
http_framing(struct evhttp_request *req)
{
	struct evkeyvalq	*in;
	struct evkeyval		*kv;
	const char		*v;
	size_t			 n;
	int			 ncl = 0, nte = 0, bodyless, hasbody = 0;

	switch (evhttp_request_get_command(req)) {
	case EVHTTP_REQ_HEAD:
	case EVHTTP_REQ_TRACE:
	case EVHTTP_REQ_CONNECT:
		bodyless = 1;
		break;
	default:
		bodyless = 0;
		break;
	}
	in = evhttp_request_get_input_headers(req);
	TAILQ_FOREACH(kv, in, next) {
		n = strlen(kv->key);
		if (n == 0 || strspn(kv->key, HTTP_TOKEN) != n)
			return "malformed header field name";
		if (strcasecmp(kv->key, "Content-Length") == 0) {
			v = kv->value + strspn(kv->value, " \t");
			n = strspn(v, "0123456789");
			if (n == 0 || v[n + strspn(v + n, " \t")] != '\0')
				return "malformed Content-Length";
			if (strspn(v, "0") != n)
				hasbody = 1;
			ncl++;
		} else if (strcasecmp(kv->key, "Transfer-Encoding") == 0) {
			v = kv->value + strspn(kv->value, " \t");
			n = strlen("chunked");
			if (strncasecmp(v, "chunked", n) != 0 ||
			    v[n + strspn(v + n, " \t")] != '\0')
				return "unsupported Transfer-Encoding: only "
				    "chunked is understood";
			hasbody = 1;
			nte++;
		}
	}
	if (ncl > 1)
		return "more than one Content-Length";
	if (nte > 1)
		return "more than one Transfer-Encoding";
	if (ncl > 0 && nte > 0)
		return "both Content-Length and Transfer-Encoding";
	if (bodyless && hasbody)
		return "this method takes no body";
	return NULL;
}

static void
http_monitor(struct evhttp_request *req)
{
	struct pending	*p;

	/* HEAD stays cheap: the monitor answers from what it knows. */
	if (evhttp_request_get_command(req) == EVHTTP_REQ_GET) {
		http_info(req, INFO_STATUS);
		return;
	}

	if ((p = pending_new(req, PEND_HEALTH)) == NULL) {
		http_error(req, 503, "too many requests in progress");
		return;
	}
	if (net_send(IMSG_HEALTH_REQ, p->id, -1, NULL, 0) == -1) {
		memset(p, 0, sizeof(*p));
		http_error(req, 500, "internal error");
	}
}

/*
 * Ask the monitor, which answers with IMSG_HTTP_RES or IMSG_HTTP_BODY;
 * the client is answered here if it cannot be asked.  The imsg layer
 * owns fd from here, even when this fails.
 */
static int
http_ask(struct evhttp_request *req, uint32_t type, int fd,
    const void *data, size_t len)
{
	struct pending	*p;

	if ((p = pending_new(req, PEND_RUN)) == NULL) {
		if (fd != -1)
			close(fd);
		http_error(req, 503, "too many requests in progress");
		return -1;
	}
	if (net_send(type, p->id, fd, data, len) == -1) {
		memset(p, 0, sizeof(*p));
		http_error(req, 500, "internal error");
		return -1;
	}
	return 0;
}

/* A page the monitor writes: the monitor route's GET, version, config. */
static void
http_info(struct evhttp_request *req, uint32_t what)
{
	struct info_req	 ir;

	memset(&ir, 0, sizeof(ir));
	ir.what = what;
	ir.json = http_wants_json(req);
	http_ask(req, IMSG_INFO_REQ, -1, &ir, sizeof(ir));
}

/* The monitor's answer to a health check: always plain text. */
void
http_health_done(uint32_t id, const struct health_res *hr)
{
	struct evhttp_request	*req;
	char			 line[WR_REASONLEN + 1];
	size_t			 i;

	if ((req = pending_take(id, PEND_HEALTH)) == NULL)
		return;
	if (hr->ok) {
		http_reply(req, 200, 0, 0, "OK\n", 3);
		return;
	}
	i = str_clean(line, sizeof(line) - 1, hr->reason, sizeof(hr->reason));
	if (i == 0)
		i = strlcpy(line, outcome(RS_UNAVAILABLE)->name, sizeof(line));
	line[i++] = '\n';
	line[i] = '\0';
	http_reply(req, 503, 0, 0, line, i);
}

/* The query parsed into typed pairs; the monitor checks them for real. */
static void
http_run(struct evhttp_request *req)
{
	struct run_req		 rr;
	const char		*query;
	char			 err[WR_REASONLEN];
	uint64_t		 size;
	int			 fd, code;

	query = evhttp_uri_get_query(evhttp_request_get_evhttp_uri(req));
	if (query_parse(query, &rr, &code, err, sizeof(err)) == -1) {
		http_error(req, code, "%s", err);
		return;
	}
	strlcpy(http_cur.kernel, rr.kernel, sizeof(http_cur.kernel));
	rr.json = http_wants_json(req);

	if (http_run_object(req, &fd, &size) == -1)
		return;
	rr.size = size;
	http_ask(req, IMSG_RUN_REQ, fd, &rr, sizeof(rr));
}

/*
 * go-judge's POST /run: the JSON parsed into typed messages (prun.c),
 * sent under one id.  A body beyond program max-body has been refused
 * by evhttp already (conn.c gives /run its own limit).
 */
static void
http_prun(struct evhttp_request *req)
{
	struct evbuffer	*body;
	struct prun	*pr;
	struct pending	*p;
	const char	*data;
	char		 err[WR_REASONLEN];
	size_t		 len;

	if ((data = http_program_body(req, &body, &len)) == NULL && len > 0)
		return;
	pr = prun_parse(data, len, err, sizeof(err));
	/* The request may wait long for its answer: not with its body. */
	evbuffer_drain(body, len);
	if (pr == NULL) {
		http_error(req, 400, "%s", err);
		return;
	}
	if ((p = pending_new(req, PEND_RUN)) == NULL) {
		prun_free(pr);
		http_error(req, 503, "too many requests in progress");
		return;
	}
	if (prun_send(pr, p->id) == -1) {
		memset(p, 0, sizeof(*p));
		http_error(req, 500, "internal error");
	}
	prun_free(pr);
}

/*
 * A program-mode body whole in memory, or NULL for none (len 0); a body
 * over program max-body, which evhttp refuses already, is a 413 here too
 * (NULL, len > 0).
 */
static const char *
http_program_body(struct evhttp_request *req, struct evbuffer **bodyp,
    size_t *lenp)
{
	const char	*data;

	*bodyp = evhttp_request_get_input_buffer(req);
	*lenp = evbuffer_get_length(*bodyp);
	if (*lenp > http_conf.program_max_body) {
		http_error(req, 413, "request larger than %llu bytes",
		    (unsigned long long)http_conf.program_max_body);
		return NULL;
	}
	if (*lenp == 0)
		return NULL;
	if ((data = (const char *)evbuffer_pullup(*bodyp, -1)) == NULL)
		fatalx("evbuffer_pullup");
	return data;
}

/*
 * go-judge's file store, which the monitor keeps: GET /file lists it,
 * POST /file adds the file of a multipart/form-data body, GET and DELETE
 * /file/<id> one file.  An id that cannot be one is not looked for.
 */
static void
http_file(struct evhttp_request *req)
{
	struct file_req		 fr;
	struct mpfile		 mp;
	struct evbuffer		*body;
	enum evhttp_cmd_type	 method;
	const char		*path, *id, *data;
	char			 err[WR_REASONLEN];
	size_t			 len;
	int			 fd;

	path = evhttp_uri_get_path(evhttp_request_get_evhttp_uri(req));
	id = path[5] == '/' ? path + 6 : NULL;
	method = evhttp_request_get_command(req);
	memset(&fr, 0, sizeof(fr));
	if (id != NULL) {
		if (method == EVHTTP_REQ_POST) {
			evhttp_add_header(evhttp_request_get_output_headers(
			    req), "Allow", "GET, HEAD, DELETE, OPTIONS");
			http_error(req, 405, "method not allowed; use GET, "
			    "HEAD, DELETE, OPTIONS");
			return;
		}
		if (!file_id_ok(id)) {
			http_error(req, 404, "no such file in the file store");
			return;
		}
		fr.op = method == EVHTTP_REQ_DELETE ? FILE_DELETE : FILE_GET;
		memcpy(fr.id, id, WR_FILEIDLEN);
		http_ask(req, IMSG_FILE_REQ, -1, &fr, sizeof(fr));
		return;
	}
	if (method == EVHTTP_REQ_DELETE) {
		evhttp_add_header(evhttp_request_get_output_headers(req),
		    "Allow", "GET, HEAD, POST, OPTIONS");
		http_error(req, 405, "method not allowed; use GET, HEAD, "
		    "POST, OPTIONS");
		return;
	}
	if (method != EVHTTP_REQ_POST) {
		fr.op = FILE_LIST;
		http_ask(req, IMSG_FILE_REQ, -1, &fr, sizeof(fr));
		return;
	}
	if ((data = http_program_body(req, &body, &len)) == NULL && len > 0)
		return;
	if (multipart_file(evhttp_find_header(evhttp_request_get_input_headers(
	    req), "Content-Type"), data, len, &mp, err, sizeof(err)) == -1) {
		http_error(req, 400, "%s", err);
		return;
	}
	fd = prun_memfd(mp.data, mp.len);
	evbuffer_drain(body, len);
	if (fd == -1) {
		http_error(req, 500, "internal error");
		return;
	}
	fr.op = FILE_PUT;
	fr.size = mp.len;
	strlcpy(fr.name, mp.name, sizeof(fr.name));
	http_ask(req, IMSG_FILE_REQ, fd, &fr, sizeof(fr));
}

/*
 * Move the request body into a sealed memfd: the monitor and the runner
 * can then rely on it never changing.  Answers the client on failure.
 */
static int
http_run_object(struct evhttp_request *req, int *fdp, uint64_t *sizep)
{
	struct evbuffer	*body;
	size_t		 len;
	int		 fd;

	body = evhttp_request_get_input_buffer(req);
	len = evbuffer_get_length(body);
	if (len == 0) {
		http_error(req, 400, "empty body: POST the ELF object");
		return -1;
	}
	/* evhttp enforces this already; never trust a single check. */
	if (len > http_conf.max_body) {
		http_error(req, 413, "object larger than max-body %llu bytes",
		    (unsigned long long)http_conf.max_body);
		return -1;
	}
	if ((fd = prun_memfd_buffer("object", body)) == -1) {
		log_warn("the object's memfd");
		http_error(req, 500, "internal error");
		return -1;
	}
	*fdp = fd;
	*sizep = len;
	return 0;
}

/* The monitor's whole answer to a run request. */
void
http_run_done(uint32_t id, const struct http_res *res)
{
	struct evhttp_request	*req;

	if ((req = pending_take(id, PEND_RUN)) == NULL)
		return;
	if (http_answer_bad(id, res)) {
		http_error(req, 500, "internal error");
		return;
	}
	http_reply(req, res->code, res->json, res->retry_after, res->body,
	    res->len);
}

/*
 * The monitor's answer too large for IMSG_HTTP_RES: its body in fd, a
 * sealed memfd, which is mapped and sent from where it lies.
 */
void
http_body_done(uint32_t id, const struct http_res *res, int fd)
{
	struct evhttp_request	*req;
	struct evbuffer		*buf;
	uint64_t		 size;
	void			*map = NULL;
	char			 disp[sizeof("attachment; filename=\"\"") +
				    WR_PATHLEN];
	size_t			 i, n;

	if ((req = pending_take(id, PEND_RUN)) == NULL) {
		close(fd);
		return;
	}
	if (http_answer_bad(id, res))
		goto fail;
	if (memfd_check_sealed(fd, &size) == -1) {
		log_warn("request %u: the answer's memfd", id);
		goto fail;
	}
	if (size > NET_MAXANSWER) {
		log_warnx("request %u: answer of %llu bytes", id,
		    (unsigned long long)size);
		goto fail;
	}
	if (size > 0 && (map = mmap(NULL, size, PROT_READ, MAP_SHARED, fd,
	    0)) == MAP_FAILED) {
		log_warn("request %u: mapping the answer", id);
		goto fail;
	}
	close(fd);
	if ((buf = evbuffer_new()) == NULL)
		fatal("evbuffer_new");
	if (map != NULL && evbuffer_add_reference(buf, map, size, http_unmap,
	    NULL) == -1)
		fatal("evbuffer_add_reference");
	if (res->attach[0] != '\0') {
		/* go-judge's header; the name made safe to quote. */
		n = snprintf(disp, sizeof(disp), "attachment; filename=\"");
		for (i = 0; res->attach[i] != '\0'; i++)
			disp[n + i] = res->attach[i] < 0x20 ||
			    res->attach[i] == 0x7f || res->attach[i] == '"' ||
			    res->attach[i] == '\\' ? '_' : res->attach[i];
		strlcpy(disp + n + i, "\"", sizeof(disp) - n - i);
		evhttp_add_header(evhttp_request_get_output_headers(req),
		    "Content-Disposition", disp);
	}
	http_send(req, res->code, res->attach[0] != '\0' ?
	    "application/octet-stream" : res->json ? "application/json" :
	    "text/plain; charset=utf-8", res->retry_after, buf);
	evbuffer_free(buf);
	return;
fail:
	close(fd);
	http_error(req, 500, "internal error");
}

/* An answer's body has been written, or dropped with its connection. */
static void
http_unmap(const void *data, size_t len, void *arg)
{
	(void)arg;
	munmap((void *)(uintptr_t)data, len);
}

/*
 * Whether the monitor's answer makes no sense: the client gets a 500.
 * The outcome of a kernel's run goes to the access log.
 */
static int
http_answer_bad(uint32_t id, const struct http_res *res)
{
	if (res->len > sizeof(res->body) || res->code < 100 ||
	    res->code > 599 || (res->json != 0 && res->json != 1) ||
	    memchr(res->attach, '\0', sizeof(res->attach)) == NULL ||
	    res->outcome > RS_UNAVAILABLE) {
		log_warnx("request %u: bad answer from the monitor (code %d, "
		    "length %u)", id, res->code, res->len);
		return 1;
	}
	if (strcmp(http_cur.kernel, "-") != 0)
		http_cur.outcome = (int)res->outcome;
	return 0;
}

/* An answer of len bytes at body, or without a body when body is NULL. */
static void
http_reply(struct evhttp_request *req, int code, int json,
    uint32_t retry_after, const char *body, size_t len)
{
	struct evbuffer		*buf;

	if ((buf = evbuffer_new()) == NULL)
		fatal("evbuffer_new");
	if (len > 0 && evbuffer_add(buf, body, len) == -1)
		fatal("evbuffer_add");
	http_send(req, code, body == NULL ? NULL : json ? "application/json" :
	    "text/plain; charset=utf-8", retry_after, buf);
	evbuffer_free(buf);
}

/* Every answer carries these; CORS because browser pages call us. */
static void
http_send(struct evhttp_request *req, int code, const char *type,
    uint32_t retry_after, struct evbuffer *buf)
{
	struct evkeyvalq	*out;
	enum evhttp_cmd_type	 method;
	char			 num[24];
	size_t			 len;

	out = evhttp_request_get_output_headers(req);
	evhttp_add_header(out, "Server", "webrunnerd");
	evhttp_add_header(out, "Access-Control-Allow-Origin", "*");
	evhttp_add_header(out, "X-Content-Type-Options", "nosniff");
	evhttp_add_header(out, "Cache-Control", "no-store");
	if (type != NULL)
		evhttp_add_header(out, "Content-Type", type);
	if (retry_after != 0) {
		snprintf(num, sizeof(num), "%u", retry_after);
		evhttp_add_header(out, "Retry-After", num);
	}
	/*
	 * libevent 2.1 sends the body after the headers of a HEAD answer
	 * too, where the client reads it as the start of the next answer,
	 * and leaves the length out of an answer to CONNECT: give the
	 * length, and for HEAD the length alone.
	 */
	len = evbuffer_get_length(buf);
	method = evhttp_request_get_command(req);
	if (method == EVHTTP_REQ_HEAD || method == EVHTTP_REQ_CONNECT) {
		snprintf(num, sizeof(num), "%zu", len);
		evhttp_add_header(out, "Content-Length", num);
		if (method == EVHTTP_REQ_HEAD) {
			evbuffer_drain(buf, len);
			len = 0;
		}
	}
	http_log(req, code, len);
	conn_reply(req);
	evhttp_send_reply(req, code, NULL, buf);
}

/* Every error has error_format()'s shape, "Name: reason" or JSON. */
static void
http_error(struct evhttp_request *req, int code, const char *fmt, ...)
{
	va_list	 ap;
	char	 reason[WR_REASONLEN], body[ERROR_BODYLEN];
	int	 json, n;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	json = http_wants_json(req);
	if ((n = error_format(body, sizeof(body), code, NULL, reason,
	    json)) == -1)
		fatalx("%s: reason too long", __func__);
	http_reply(req, code, json, code == 503 ? 1 : 0, body, (size_t)n);
}

static int
http_wants_json(struct evhttp_request *req)
{
	const char	*accept;

	if (http_cur.json)
		return 1;
	accept = evhttp_find_header(evhttp_request_get_input_headers(req),
	    "Accept");
	return accept != NULL && strcasestr(accept, "application/json") !=
	    NULL;
}

/*
 * The access log: one line per answer with the client, the method, the
 * path (not the query), the status, the body bytes, the time from the
 * request being read to the answer, the kernel and the run's outcome.
 * Printable ASCII only; never bodies or headers, so never a token.
 */
static void
http_log(struct evhttp_request *req, int code, size_t len)
{
	struct evhttp_connection	*evcon;
	struct timespec			 now;
	const char			*uri, *oname = "-";
	char				*addr = NULL, path[256], line[512];
	size_t				 i;
	uint16_t			 port = 0;
	long long			 us;

	clock_gettime(CLOCK_MONOTONIC, &now);
	us = (long long)(now.tv_sec - http_cur.start.tv_sec) * 1000000 +
	    (now.tv_nsec - http_cur.start.tv_nsec) / 1000;
	if (us < 0)
		us = 0;
	metrics_count(http_cur.route, code, us);
	if (http_access == LOGD_OFF ||
	    (http_access == LOGD_FILE && http_accessfd == -1))
		return;
	if ((uri = evhttp_request_get_uri(req)) == NULL)
		uri = "-";
	/* The path, not the query; the line quotes it, so no '"' either. */
	str_clean(path, sizeof(path), uri, strcspn(uri, "?"));
	for (i = 0; path[i] != '\0'; i++)
		if (path[i] == '"' || path[i] == ' ')
			path[i] = '?';
	if ((evcon = evhttp_request_get_connection(req)) != NULL)
		evhttp_connection_get_peer(evcon, &addr, &port);
	if (http_cur.outcome >= 0)
		oname = outcome((uint32_t)http_cur.outcome)->name;
	snprintf(line, sizeof(line), "%s:%u \"%s %s\" %d %zu %lld.%03lldms "
	    "kernel=%s outcome=%s", addr != NULL ? addr : "-", port,
	    http_method(evhttp_request_get_command(req)), path, code, len,
	    us / 1000, us % 1000, http_cur.kernel, oname);
	http_access_line(line);
}

/* A line for the access log, wherever it goes. */
void
http_access_line(const char *line)
{
	if (http_access == LOGD_OFF ||
	    (http_access == LOGD_FILE && http_accessfd == -1))
		return;
	if (http_access == LOGD_FILE)
		log_line_fd(http_accessfd, line);
	else
		logit(LOG_INFO, "access %s", line);
}

static const char *
http_method(enum evhttp_cmd_type m)
{
	switch (m) {
	case EVHTTP_REQ_GET:
		return "GET";
	case EVHTTP_REQ_POST:
		return "POST";
	case EVHTTP_REQ_HEAD:
		return "HEAD";
	case EVHTTP_REQ_PUT:
		return "PUT";
	case EVHTTP_REQ_DELETE:
		return "DELETE";
	case EVHTTP_REQ_OPTIONS:
		return "OPTIONS";
	case EVHTTP_REQ_TRACE:
		return "TRACE";
	case EVHTTP_REQ_CONNECT:
		return "CONNECT";
	case EVHTTP_REQ_PATCH:
		return "PATCH";
	}
	return "?";
}

/* A slot for a request about to be sent to the monitor, or NULL if full. */
static struct pending *
pending_new(struct evhttp_request *req, int kind)
{
	struct pending	*p;
	size_t		 i;

	for (i = 0; i < HTTP_MAXPENDING; i++) {
		p = &http_pending[i];
		if (p->req != NULL)
			continue;
		if (++http_nextid == 0)
			http_nextid = 1;
		p->req = req;
		p->evcon = evhttp_request_get_connection(req);
		p->id = http_nextid;
		p->kind = kind;
		p->log = http_cur;
		return p;
	}
	log_warnx("%d requests wait for the monitor, refusing more",
	    HTTP_MAXPENDING);
	return NULL;
}

/*
 * The request an answer belongs to, its slot freed; NULL when the client
 * is gone.  An answer of the wrong kind means the monitor is confused.
 */
static struct evhttp_request *
pending_take(uint32_t id, int kind)
{
	struct pending		*p;
	struct evhttp_request	*req;
	size_t			 i;

	for (i = 0; i < HTTP_MAXPENDING; i++) {
		p = &http_pending[i];
		if (p->req == NULL || p->id != id)
			continue;
		if (p->kind != kind)
			fatalx("answer of the wrong kind for request %u", id);
		req = p->req;
		http_cur = p->log;
		memset(p, 0, sizeof(*p));
		return req;
	}
	log_debug("request %u: answer for a client that went away", id);
	return NULL;
}
