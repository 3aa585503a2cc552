/*
 * webrunnerd: the privileged monitor's main(), the top layer (monitor.h).
 *
 * The monitor alone runs as root: it reads the configuration and the
 * kernel specs, binds the listening sockets, starts the unprivileged
 * network process and the sandboxed runners, re-validates everything the
 * network process asks for, and turns runners' reports into answers.
 * This file reads the configuration, binds the sockets, starts the layers
 * in order, and handles signals: SIGCHLD goes to the process table.
 */
#include <sys/types.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <netinet/in.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "common.h"
#include "monitor.h"

static __dead void usage(void);
static void	 listen_all(struct config *);
static void	 listen_list(struct listen_addrs *);
static void	 sig_handler(int, short, void *);
static void	 reload(void);
static void	 shutdown_all(void);

struct monitor	*mon;
static struct monitor monitor_state;

static __dead void
usage(void)
{
	fprintf(stderr, "usage: webrunnerd [-dnv] [-f file]\n");
	exit(1);
}

int
main(int argc, char *argv[])
{
	struct event	*ev_term, *ev_int, *ev_hup, *ev_chld, *ev_pipe;
	struct passwd	*pw;
	int		 ch, checkonly = 0, nerrs;

	mon = &monitor_state;
	mon->access_fd = mon->error_fd = -1;
	mon->conffile = CONF_FILE;
	TAILQ_INIT(&mon->specs);
	while ((ch = getopt(argc, argv, "df:nv")) != -1) {
		switch (ch) {
		case 'd':
			mon->debug = 1;
			break;
		case 'f':
			mon->conffile = optarg;
			break;
		case 'n':
			checkonly = 1;
			break;
		case 'v':
			mon->verbose++;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();

	if ((mon->conf = parse_config(mon->conffile, &nerrs)) == NULL)
		errx(1, "%s: %d error%s", mon->conffile, nerrs,
		    nerrs == 1 ? "" : "s");
	if (specs_reload(mon) == -1)
		exit(1);
	if (checkonly) {
		fprintf(stderr, "configuration OK\n");
		exit(0);
	}
	if (geteuid() != 0)
		errx(1, "need root privileges: the monitor creates namespaces "
		    "and cgroups and drops its children's privileges");
	if ((pw = getpwnam(mon->conf->user)) == NULL)
		errx(1, "user '%s' does not exist; create it with: useradd "
		    "--system --no-create-home --home-dir /var/empty --shell "
		    "/usr/sbin/nologin %s", mon->conf->user, mon->conf->user);
	if (exec_dir(mon->libexec, sizeof(mon->libexec)) == -1)
		err(1, "cannot find my own executable");
	{
		/* Helpers beside the binary (build tree), else installed. */
		char	 path[1100];

		snprintf(path, sizeof(path), "%s/webrunnerd-net",
		    mon->libexec);
		if (access(path, X_OK) == -1)
			strlcpy(mon->libexec, LIBEXECDIR,
			    sizeof(mon->libexec));
	}

	log_init(mon->debug, LOG_DAEMON);
	log_procinit("monitor");
	log_setverbose(mon->verbose);
	listen_all(mon->conf);
	logs_open();
	cgroups_init();
	caps_drop();
	if (!mon->debug && daemon(0, 0) == -1)
		fatal("daemon");

	/*
	 * Timers on libevent's default, the coarse monotonic clock: asked
	 * for the precise one, its epoll backend sets a timerfd again on
	 * every turn of the loop, seven system calls a request.  A deadline
	 * it fires a tick early is set again for the rest (slot.c).
	 */
	if ((mon->base = event_base_new()) == NULL)
		fatalx("event_base_new failed");
	ev_term = evsignal_new(mon->base, SIGTERM, sig_handler, NULL);
	ev_int = evsignal_new(mon->base, SIGINT, sig_handler, NULL);
	ev_hup = evsignal_new(mon->base, SIGHUP, sig_handler, NULL);
	ev_chld = evsignal_new(mon->base, SIGCHLD, sig_handler, NULL);
	ev_pipe = evsignal_new(mon->base, SIGPIPE, sig_handler, NULL);
	if (ev_term == NULL || ev_int == NULL || ev_hup == NULL ||
	    ev_chld == NULL || ev_pipe == NULL)
		fatalx("evsignal_new failed");
	evsignal_add(ev_term, NULL);
	evsignal_add(ev_int, NULL);
	evsignal_add(ev_hup, NULL);
	evsignal_add(ev_chld, NULL);
	evsignal_add(ev_pipe, NULL);

	log_info("starting with the kernel specs of %s", mon->conf->kernels);
	mon->started = time(NULL);
	selftest_init();
	kjob_init();
	pjob_init();
	dispatch_init();
	event_base_dispatch(mon->base);
	net_wait();
	stepper_shutdown();
	log_info("exiting");
	return 0;
}

static void
listen_all(struct config *conf)
{
	listen_list(&conf->listens);
	listen_list(&conf->metrics);
}

static void
listen_list(struct listen_addrs *list)
{
	struct listen_addr	*la;
	char			 host[64];
	int			 on = 1;

	TAILQ_FOREACH(la, list, entry) {
		la->fd = socket(la->ss.ss_family,
		    SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
		if (la->fd == -1)
			fatal("socket");
		setsockopt(la->fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
		if (la->ss.ss_family == AF_INET6)
			setsockopt(la->fd, IPPROTO_IPV6, IPV6_V6ONLY, &on,
			    sizeof(on));
		if (bind(la->fd, (struct sockaddr *)&la->ss, la->sslen) == -1 ||
		    listen(la->fd, 128) == -1) {
			getnameinfo((struct sockaddr *)&la->ss, la->sslen,
			    host, sizeof(host), NULL, 0, NI_NUMERICHOST);
			fatal("listen on %s port %u", host,
			    ntohs(la->ss.ss_family == AF_INET ?
			    ((struct sockaddr_in *)&la->ss)->sin_port :
			    ((struct sockaddr_in6 *)&la->ss)->sin6_port));
		}
	}
}

/* Load the kernel specs of mon->conf, replacing the old set on success. */
int
specs_reload(struct monitor *m)
{
	struct kspecs	 fresh;
	char		 errbuf[512];

	TAILQ_INIT(&fresh);
	if (kspecs_load(m->conf->kernels, &fresh, errbuf,
	    sizeof(errbuf)) == -1) {
		if (m->base == NULL)
			fprintf(stderr, "%s\n", errbuf);
		else
			log_warnx("kernel specs: %s", errbuf);
		kspecs_free(&fresh);
		return -1;
	}
	kspecs_free(&m->specs);
	TAILQ_CONCAT(&m->specs, &fresh, entry);
	return 0;
}

/*
 * SIGHUP: parse again; if the file is good, take everything but the
 * listening sockets (those stay bound, as in httpd) and tell the network
 * process.  A bad file changes nothing.
 */
static void
reload(void)
{
	struct config	*nconf, *old;
	struct kspecs	 saved;
	int		 nerrs;

	log_info("reloading %s", mon->conffile);
	if ((nconf = parse_config(mon->conffile, &nerrs)) == NULL) {
		log_warnx("reload failed: %d error%s, keeping the running "
		    "configuration", nerrs, nerrs == 1 ? "" : "s");
		return;
	}
	old = mon->conf;
	/* Keep the bound sockets of the running configuration. */
	TAILQ_SWAP(&nconf->listens, &old->listens, listen_addr, entry);
	TAILQ_SWAP(&nconf->metrics, &old->metrics, listen_addr, entry);
	mon->conf = nconf;
	TAILQ_INIT(&saved);
	TAILQ_CONCAT(&saved, &mon->specs, entry);
	if (specs_reload(mon) == -1) {
		log_warnx("reload failed, keeping the running configuration");
		TAILQ_SWAP(&nconf->listens, &old->listens, listen_addr, entry);
		TAILQ_SWAP(&nconf->metrics, &old->metrics, listen_addr, entry);
		mon->conf = old;
		config_free(nconf);
		TAILQ_CONCAT(&mon->specs, &saved, entry);
		return;
	}
	kspecs_free(&saved);
	config_free(old);
	logs_open();
	net_config_send();
	log_info("reloaded");
}

/*
 * Open the log files of the configuration for appending, as root, for
 * the network process, which cannot open files, and for the monitor's
 * own lines.  On SIGHUP they are opened again, so that a rotated file is
 * let go.  A file that cannot be opened falls back to syslog.
 */
static int
log_open(const char *path)
{
	int	 fd;

	if ((fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC |
	    O_NOFOLLOW | O_NOCTTY, 0640)) == -1) {
		log_warn("cannot open log file %s; logging to syslog", path);
		return -1;
	}
	return fd;
}

void
logs_open(void)
{
	if (mon->access_fd != -1)
		close(mon->access_fd);
	mon->access_fd = -1;
	if (mon->conf->access_log == LOGD_FILE)
		mon->access_fd = log_open(mon->conf->access_log_path);
	log_setfd(-1);
	mon->error_fd = -1;
	if (mon->conf->error_log == LOGD_FILE) {
		mon->error_fd = log_open(mon->conf->error_log_path);
		log_setfd(mon->error_fd);
	}
}

static void
shutdown_all(void)
{
	mon->shutdown = 1;
	net_stop();
	pjob_stop();
	kjob_stop();
	event_base_loopexit(mon->base, NULL);
}

static void
sig_handler(int sig, short event, void *arg)
{
	struct rusage	 ru;
	pid_t		 pid;
	int		 status;

	(void)event;
	(void)arg;
	switch (sig) {
	case SIGTERM:
	case SIGINT:
		log_info("%s received, shutting down", signame(sig));
		shutdown_all();
		break;
	case SIGHUP:
		reload();
		break;
	case SIGCHLD:
		while ((pid = wait4(-1, &status, WNOHANG, &ru)) > 0) {
			/* Else a runner the template has not named yet. */
			if (!proc_reaped(pid, status, &ru) &&
			    !stepper_reaped(pid))
				slots_orphan(pid, status, &ru);
		}
		break;
	case SIGPIPE:
		break;
	}
}
