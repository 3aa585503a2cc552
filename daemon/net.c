/*
 * webrunnerd-net: start-up, privilege drop, and the imsg channel to the
 * monitor.
 *
 * The monitor starts this program with fork + exec as
 *
 *	webrunnerd-net [-d] [-v ...] -u user -c chrootdir -l nlisten
 *	    [-m nmetrics]
 *
 * with descriptor 3 the imsg socketpair to the monitor, descriptors 4 to
 * 4 + nlisten - 1 bound, listening TCP sockets for the API, and the next
 * nmetrics ones listening sockets for Prometheus metrics.  Everything that needs
 * a file (the password database, syslog's socket, the time zone, libevent's
 * epoll instance and random seed) is set up before net_privdrop() takes
 * the process into its empty chroot; from then on it only has what it was
 * handed.
 */
#include <sys/types.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <err.h>
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include <sys/capability.h>

#include <event2/event.h>
#include <event2/util.h>

#include "common.h"
#include "proto.h"
#include "daemon.h"

struct net_dispatch {
	uint32_t	 type;
	size_t		 minlen;	/* payload size, at least */
	size_t		 len;		/* and at most */
	int		 fd;		/* 1: carries one, 0: must not */
	void		 (*handler)(struct imsg *);
};

static __dead void usage(void);
static void	 net_check_fds(int);
static void	 net_privdrop(const char *, const char *);
static void	 net_dispatch_monitor(int, short, void *);
static void	 net_config_msg(struct imsg *);
static void	 net_health_msg(struct imsg *);
static void	 net_http_msg(struct imsg *);
static void	 net_body_msg(struct imsg *);
static void	 net_log_msg(struct imsg *);

/* Every message the monitor may send, with its exact payload size. */
static const struct net_dispatch net_table[] = {
	{ IMSG_NET_CONFIG,	sizeof(struct net_config),
	    sizeof(struct net_config), 0, net_config_msg },
	{ IMSG_HEALTH_RES,	sizeof(struct health_res),
	    sizeof(struct health_res), 0, net_health_msg },
	{ IMSG_HTTP_RES,	HTTP_RES_HDRSIZE,
	    sizeof(struct http_res), 0, net_http_msg },
	{ IMSG_NET_LOG,		sizeof(struct net_log),
	    sizeof(struct net_log), 1, net_log_msg },
	{ IMSG_METRICS_RES,	HTTP_RES_HDRSIZE,
	    sizeof(struct http_res), 0, net_http_msg },
	{ IMSG_HTTP_BODY,	HTTP_RES_HDRSIZE,
	    HTTP_RES_HDRSIZE, 1, net_body_msg },
};

static struct imsgev	 mon_iev;

static __dead void
usage(void)
{
	fprintf(stderr, "usage: webrunnerd-net [-dv] -u user -c chrootdir "
	    "-l nlisten [-m nmetrics]\n");
	exit(1);
}

int
main(int argc, char *argv[])
{
	struct event_config	*cfg;
	struct event_base	*base;
	struct rlimit		 rl;
	const char		*user = NULL, *chrootdir = NULL, *errstr;
	int			 ch, debug = 0, verbose = 0, nlisten = 0, i;
	int			 nmetrics = 0;
	int			 lfds[NET_MAXLISTEN];

	while ((ch = getopt(argc, argv, "c:dl:m:u:v")) != -1) {
		switch (ch) {
		case 'c':
			chrootdir = optarg;
			break;
		case 'd':
			debug = 1;
			break;
		case 'l':
			nlisten = (int)strtonum(optarg, 1, NET_MAXLISTEN,
			    &errstr);
			if (errstr != NULL)
				errx(1, "-l %s: number of listeners is %s",
				    optarg, errstr);
			break;
		case 'm':
			nmetrics = (int)strtonum(optarg, 0, NET_MAXLISTEN - 1,
			    &errstr);
			if (errstr != NULL)
				errx(1, "-m %s: number of metrics listeners "
				    "is %s", optarg, errstr);
			break;
		case 'u':
			user = optarg;
			break;
		case 'v':
			verbose++;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	if (argc != 0 || user == NULL || chrootdir == NULL || nlisten == 0)
		usage();
	if (nlisten + nmetrics > NET_MAXLISTEN)
		errx(1, "more than %d listeners", NET_MAXLISTEN);
	if (geteuid() != 0)
		errx(1, "must be started as root, by webrunnerd");

	/*
	 * Before log_init: syslog's socket must not be among what is closed
	 * here, nor be mistaken for one of ours.
	 */
	net_check_fds(nlisten + nmetrics);
	closefrom(NET_LISTEN_FD + nlisten + nmetrics);

	log_init(debug, LOG_DAEMON);
	log_setverbose(verbose);
	log_procinit("net");
	for (i = 0; i < nlisten + nmetrics; i++)
		lfds[i] = NET_LISTEN_FD + i;

	/*
	 * A client that goes away mid-write must cost an EPIPE, not the
	 * process; configuration arrives over imsg, never by SIGHUP.
	 */
	signal(SIGPIPE, SIG_IGN);
	signal(SIGHUP, SIG_IGN);

	/*
	 * Every connection costs a descriptor, and the table of connections
	 * is sized from how many we have: NET_NOFILE, raising the hard limit
	 * while we are root, or the hard limit where that fails.  Not more,
	 * even where more is allowed: the bound keeps what a full table
	 * costs in memory known.
	 */
	if (getrlimit(RLIMIT_NOFILE, &rl) == -1)
		fatal("getrlimit");
	if (rl.rlim_cur != NET_NOFILE) {
		rl.rlim_cur = NET_NOFILE;
		if (rl.rlim_max < NET_NOFILE)
			rl.rlim_max = NET_NOFILE;
		if (setrlimit(RLIMIT_NOFILE, &rl) == -1 &&
		    getrlimit(RLIMIT_NOFILE, &rl) == 0) {
			rl.rlim_cur = rl.rlim_max;
			if (setrlimit(RLIMIT_NOFILE, &rl) == -1)
				log_warn("setrlimit RLIMIT_NOFILE");
		}
	}

	/*
	 * libevent seeds its generator from getrandom() or /dev/urandom;
	 * do it while there is a /dev.  Ignoring EVENT_* variables keeps
	 * the backend epoll, which is what the allowlist expects.
	 */
	if (evutil_secure_rng_init() == -1)
		fatalx("cannot seed libevent's random number generator");
	if ((cfg = event_config_new()) == NULL)
		fatalx("event_config_new");
	if (event_config_set_flag(cfg, EVENT_BASE_FLAG_IGNORE_ENV) == -1)
		fatalx("event_config_set_flag");
	if ((base = event_base_new_with_config(cfg)) == NULL)
		fatalx("event_base_new");
	event_config_free(cfg);
	if (strcmp(event_base_get_method(base), "epoll") != 0)
		fatalx("libevent backend %s, want epoll",
		    event_base_get_method(base));

	if (imsgev_init(&mon_iev, base, NET_MONITOR_FD, net_dispatch_monitor,
	    &mon_iev) == -1)
		fatal("imsgev_init");
	http_init(base, lfds, nlisten);
	metrics_init(base, lfds + nlisten, nmetrics);
	prun_init();

	net_privdrop(user, chrootdir);
	log_debug("started, %d listener%s, waiting for configuration",
	    nlisten, nlisten == 1 ? "" : "s");

	if (event_base_dispatch(base) == -1)
		fatalx("event_base_dispatch");
	return 0;
}

/* Refuse to run with descriptors that are not what the monitor promised. */
static void
net_check_fds(int nlisten)
{
	struct sockaddr_storage	 ss;
	socklen_t		 len;
	int			 fd, type, acc;

	for (fd = NET_MONITOR_FD; fd < NET_LISTEN_FD + nlisten; fd++) {
		len = sizeof(type);
		if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) == -1)
			err(1, "descriptor %d", fd);
		if (type != SOCK_STREAM)
			errx(1, "descriptor %d is not a stream socket", fd);
		len = sizeof(ss);
		if (getsockname(fd, (struct sockaddr *)&ss, &len) == -1)
			err(1, "getsockname %d", fd);
		if (fd == NET_MONITOR_FD) {
			if (ss.ss_family != AF_UNIX)
				errx(1, "descriptor %d is not the monitor's "
				    "socketpair", fd);
			continue;
		}
		if (ss.ss_family != AF_INET && ss.ss_family != AF_INET6)
			errx(1, "descriptor %d is not a TCP socket", fd);
		len = sizeof(acc);
		if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &acc, &len) == -1)
			err(1, "getsockopt %d", fd);
		if (!acc)
			errx(1, "descriptor %d is not listening", fd);
	}
}

/*
 * Drop every privilege, in this order and nothing in between: root's
 * view of the file system, its groups and ids, its capabilities, the
 * ability to gain any of them back, and finally all system calls the
 * process does not need.
 */
static void
net_privdrop(const char *user, const char *dir)
{
	struct passwd	*pw;
	cap_t		 caps, none;
	cap_value_t	 cap;
	uid_t		 uid, ruid, euid, suid;
	gid_t		 gid, rgid, egid, sgid, groups[2];

	/* 1. Look the user up while /etc is still there. */
	errno = 0;
	if ((pw = getpwnam(user)) == NULL) {
		if (errno != 0)
			fatal("getpwnam %s", user);
		fatalx("unknown user %s: create it with useradd --system "
		    "--no-create-home --home-dir /var/empty "
		    "--shell /usr/sbin/nologin %s", user, user);
	}
	uid = pw->pw_uid;
	gid = pw->pw_gid;
	if (uid == 0 || gid == 0)
		fatalx("user %s has uid or gid 0; it must be unprivileged",
		    user);
	endpwent();

	/* 2. An empty root: nothing to open, nothing to exec. */
	if (chroot(dir) == -1)
		fatal("chroot %s", dir);
	if (chdir("/") == -1)
		fatal("chdir /");

	/* 3. Groups and ids. */
	if (setgroups(1, &gid) == -1)
		fatal("setgroups");
	if (setresgid(gid, gid, gid) == -1)
		fatal("setresgid");

	/*
	 * 4. The bounding set can only be shrunk with CAP_SETPCAP, which is
	 * gone once the uid changes, so it goes first.  With an empty
	 * bounding set not even a later exec of a file with capabilities
	 * could hand any back.
	 */
	for (cap = 0; cap < cap_max_bits(); cap++)
		if (cap_drop_bound(cap) == -1 && errno != EINVAL)
			fatal("cap_drop_bound %d", (int)cap);
	if (cap_reset_ambient() == -1)
		fatal("cap_reset_ambient");

	if (setresuid(uid, uid, uid) == -1)
		fatal("setresuid");

	/* 5. Make sure root is really gone. */
	if (setuid(0) != -1 || seteuid(0) != -1 || setgid(0) != -1)
		fatalx("could regain root after dropping it");
	if (getresuid(&ruid, &euid, &suid) == -1 ||
	    getresgid(&rgid, &egid, &sgid) == -1)
		fatal("getresuid");
	if (ruid != uid || euid != uid || suid != uid ||
	    rgid != gid || egid != gid || sgid != gid)
		fatalx("ids not dropped: uid %d/%d/%d gid %d/%d/%d",
		    (int)ruid, (int)euid, (int)suid,
		    (int)rgid, (int)egid, (int)sgid);
	if (getgroups(2, groups) != 1 || groups[0] != gid)
		fatalx("supplementary groups not dropped");

	/* 6. No capabilities in any set. */
	if ((none = cap_init()) == NULL)
		fatal("cap_init");
	if (cap_set_proc(none) == -1)
		fatal("cap_set_proc");
	if ((caps = cap_get_proc()) == NULL)
		fatal("cap_get_proc");
	if (cap_compare(caps, none) != 0)
		fatalx("capabilities left after dropping them");
	cap_free(caps);
	cap_free(none);

	/*
	 * The parent-death signal the monitor set is cleared by the uid
	 * change; set it again so we never outlive the monitor, even while
	 * not reading from it.
	 */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) == -1)
		fatal("PR_SET_PDEATHSIG");

	/* 7. No execve can ever grant privileges again. */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
		fatal("PR_SET_NO_NEW_PRIVS");

	/*
	 * 8. The system call allowlist.  From here on the log's socket is
	 * written, never made again (log_confine()).
	 */
	(void)log_confine();
	sandbox_apply();
}

int
net_send(uint32_t type, uint32_t id, int fd, const void *data, size_t len)
{
	if (imsgev_compose(&mon_iev, type, id, fd, data, len) == -1) {
		log_warn("%s: imsg type %u", __func__, type);
		return -1;
	}
	return 0;
}

/*
 * Messages from the monitor.  The monitor is trusted, but a message we
 * cannot make sense of means the two are out of step: exit and let the
 * monitor start a fresh network process.
 */
static void
net_dispatch_monitor(int fd, short event, void *arg)
{
	struct imsgev			*iev = arg;
	const struct net_dispatch	*d;
	struct imsg			 imsg;
	ssize_t				 n;
	size_t				 i;

	(void)fd;
	if (event & EV_WRITE)
		fatal("writing to the monitor");
	if ((n = imsgbuf_read(&iev->ibuf)) == -1) {
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			fatal("reading from the monitor");
	} else if (n == 0) {
		log_debug("monitor closed the channel, exiting");
		exit(0);
	}

	for (;;) {
		if ((n = imsg_get(&iev->ibuf, &imsg)) == -1)
			fatal("malformed message from the monitor");
		if (n == 0)
			break;
		d = NULL;
		for (i = 0; i < sizeof(net_table) / sizeof(net_table[0]); i++)
			if (net_table[i].type == imsg.hdr.type)
				d = &net_table[i];
		if (d == NULL)
			fatalx("unexpected message type %u from the monitor",
			    imsg.hdr.type);
		if (imsg.len < d->minlen || imsg.len > d->len ||
		    (imsg.fd != -1) != d->fd)
			fatalx("message type %u from the monitor with bad "
			    "size %zu or a descriptor", imsg.hdr.type,
			    imsg.len);
		d->handler(&imsg);
		imsg_free(&imsg);
	}
	imsgev_add(iev);
}

/* Strings from the monitor must be terminated within their field. */
static void
net_config_msg(struct imsg *imsg)
{
	struct net_config	 nc;
	uint32_t		 i;

	if (imsg_get_data(imsg, &nc, sizeof(nc)) == -1)
		fatal("%s", __func__);
	if (memchr(nc.machine_id, '\0', sizeof(nc.machine_id)) == NULL)
		fatalx("configuration: machine-id not terminated");
	if (nc.machine_id[0] != '\0' && !machine_id_ok(nc.machine_id))
		fatalx("configuration: bad machine-id");
	if (memchr(nc.auth_token, '\0', sizeof(nc.auth_token)) == NULL)
		fatalx("configuration: token not terminated");
	if (nc.auth_monitor_open != 0 && nc.auth_monitor_open != 1)
		fatalx("configuration: bad auth monitor setting");
	if (nc.access_log > LOGD_FILE || nc.error_log > LOGD_FILE ||
	    nc.error_log == LOGD_OFF)
		fatalx("configuration: bad log destination");
	/* A file comes next with IMSG_NET_LOG; until then, syslog. */
	if (nc.error_log != LOGD_FILE)
		log_setfd(-1);
	if (nc.max_body == 0 || nc.max_body > INT32_MAX ||
	    nc.max_headers == 0 || nc.max_headers > INT32_MAX ||
	    nc.timeout == 0 || nc.timeout > 86400)
		fatalx("configuration: limit out of range (body %llu, "
		    "headers %u, timeout %u)",
		    (unsigned long long)nc.max_body, nc.max_headers,
		    nc.timeout);
	if (nc.program_mode != 0 && nc.program_mode != 1)
		fatalx("configuration: bad program mode setting");
	if (nc.program_mode &&
	    (nc.program_max_body == 0 || nc.program_max_body > INT32_MAX))
		fatalx("configuration: program mode's body limit %llu out "
		    "of range", (unsigned long long)nc.program_max_body);
	if (nc.head_ms == 0 || nc.body_ms == 0 || nc.send_ms == 0 ||
	    nc.nexempt > NET_MAXEXEMPT)
		fatalx("configuration: deadline or exemption out of range");
	for (i = 0; i < nc.nexempt; i++)
		if (nc.exempt[i].bits > 128)
			fatalx("configuration: exempt prefix longer than 128");
	http_config(&nc);
	explicit_bzero(&nc, sizeof(nc));
}

/* A log file the monitor opened for us. */
static void
net_log_msg(struct imsg *imsg)
{
	struct net_log	 nl;
	int		 fd;

	if (imsg_get_data(imsg, &nl, sizeof(nl)) == -1)
		fatal("%s", __func__);
	fd = imsg_take_fd(imsg);
	switch (nl.kind) {
	case NET_LOG_ACCESS:
		http_access_fd(fd);
		break;
	case NET_LOG_ERROR:
		log_setfd(fd);
		break;
	default:
		fatalx("log file of unknown kind %u", nl.kind);
	}
}

static void
net_health_msg(struct imsg *imsg)
{
	struct health_res	 hr;

	if (imsg_get_data(imsg, &hr, sizeof(hr)) == -1)
		fatal("%s", __func__);
	if (memchr(hr.reason, '\0', sizeof(hr.reason)) == NULL)
		fatalx("health answer: reason not terminated");
	if (hr.ok != 0 && hr.ok != 1)
		fatalx("health answer: bad status %d", hr.ok);
	http_health_done(imsg->hdr.id, &hr);
}

static void
net_http_msg(struct imsg *imsg)
{
	static struct http_res	 res;	/* 60 KiB, off the stack */

	/* The size was checked against the table; now against res.len. */
	memcpy(&res, imsg->data, imsg->len);
	if (res.len > sizeof(res.body) || HTTP_RES_SIZE(&res) != imsg->len)
		fatalx("answer %u: body of %u bytes in a message of %zu",
		    imsg->hdr.id, res.len, imsg->len);
	if (imsg->hdr.type == IMSG_METRICS_RES)
		metrics_done(imsg->hdr.id, &res);
	else
		http_run_done(imsg->hdr.id, &res);
}

/*
 * An answer whose body is in a memfd, for answers beyond WR_BODYLEN: the
 * struct http_res says all but the body, and says it has none here.
 */
static void
net_body_msg(struct imsg *imsg)
{
	static struct http_res	 res;	/* 60 KiB, off the stack */
	int			 fd;

	memcpy(&res, imsg->data, imsg->len);
	if (res.len != 0)
		fatalx("answer %u: body of %u bytes beside its memfd",
		    imsg->hdr.id, res.len);
	fd = imsg_take_fd(imsg);
	http_body_done(imsg->hdr.id, &res, fd);
}
