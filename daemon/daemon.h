/*
 * webrunnerd-net: the unprivileged network process.  It speaks HTTP to
 * clients through libevent's evhttp, checks the syntax of each request,
 * and asks the monitor (imsg over fd 3) for every answer it cannot give
 * itself.  It runs as an unprivileged user, chrooted to an empty
 * directory, without capabilities and under a seccomp allowlist.
 */
#ifndef WR_DAEMON_H
#define WR_DAEMON_H

#include <sys/types.h>
#include <sys/resource.h>

#include <stddef.h>
#include <stdint.h>

#define NET_MONITOR_FD	3	/* imsg socketpair to the monitor */
#define NET_LISTEN_FD	4	/* first listening socket */
#define NET_MAXLISTEN	15	/* what the monitor can hand over */
#define NET_NOFILE	32768	/* descriptors, connections and all */
/*
 * The largest answer the monitor may hand over in a memfd
 * (IMSG_HTTP_BODY): collected outputs, JSON-escaped.
 */
#define NET_MAXANSWER	(1024ULL * 1024 * 1024)

struct event_base;
struct evbuffer;
struct evconnlistener;
struct evhttp;
struct evhttp_connection;
struct evhttp_request;
struct health_res;
struct http_res;
struct net_config;
struct prun;
struct run_req;

/* net.c */
int	 net_send(uint32_t, uint32_t, int, const void *, size_t);

/* http.c */
void	 http_init(struct event_base *, const int *, int);
void	 http_config(const struct net_config *);
void	 http_health_done(uint32_t, const struct health_res *);
void	 http_run_done(uint32_t, const struct http_res *);
void	 http_body_done(uint32_t, const struct http_res *, int);
void	 http_access_fd(int);
void	 http_access_line(const char *);
void	 http_gone(struct evhttp_connection *);

/* conn.c */
void	 conn_init(struct event_base *, struct evhttp *, rlim_t);
void	 conn_listener(struct evconnlistener *);
uint32_t conn_config(const struct net_config *);
void	 conn_request(struct evhttp_request *);
void	 conn_reply(struct evhttp_request *);
void	 conn_metrics(struct evbuffer *);

/* metrics.c */
void	 metrics_init(struct event_base *, const int *, int);
void	 metrics_count(const char *, int, long long);
void	 metrics_done(uint32_t, const struct http_res *);

/* multipart.c: the file of a POST /file body (RFC 7578). */
struct mpfile {
	const char	*data;			/* its bytes, within the body */
	size_t		 len;
	char		 name[WR_PATHLEN];	/* its filename's last part */
};
int	 multipart_file(const char *, const char *, size_t, struct mpfile *,
	    char *, size_t);

/* prun.c */
void	 prun_init(void);
struct prun *prun_parse(const char *, size_t, char *, size_t);
int	 prun_send(struct prun *, uint32_t);
void	 prun_free(struct prun *);
int	 prun_memfd_buffer(const char *, struct evbuffer *);
int	 prun_memfd(const void *, size_t);

/* query.c */
int	 query_parse(const char *, struct run_req *, int *code, char *err,
	    size_t errlen);

/* sandbox.c */
void	 sandbox_apply(void);

#endif /* WR_DAEMON_H */
