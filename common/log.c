/*
 * Logging for all three processes: stderr in the foreground (-d), syslog
 * otherwise, each line tagged with the process name.
 *
 * Syslog lines are written here, not by syslog(3), so that a process's
 * last words reach the log under its seccomp filter.  syslog(3) sends
 * with sendto(2) and, when that fails, makes a new socket and connects
 * it again; a runner's stage-1 filter allows none of these, so a runner
 * that failed in syslog mode died of SIGSYS and its reason was lost.
 * Here the socket to /dev/log is connected by log_init() and every line
 * is one write(2) on it, which the runner's stage 1 and the network
 * process's filter both allow; stderr, in the foreground, is written the
 * same way.  A process about to be confined calls log_confine(): the
 * socket is then kept as it is, and not made again if a write fails,
 * since its root is empty and its filter refuses socket(2).  Sending
 * last words to the monitor instead would need a message of its own in
 * every process's protocol, and the template and the network process
 * would still need a way to log before their socket is up.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

static void	 vlog(int, const char *, va_list);
static void	 write_line(int, char *, size_t, int);
static void	 syslog_line(int, const char *);
static int	 syslog_connect(void);

static int	 log_debug_mode;
static int	 log_verbose;
static int	 log_fd = -1;
static int	 log_facility = LOG_DAEMON;
static int	 log_sock = -1;		/* connected to _PATH_LOG */
static int	 log_confined;		/* log_sock is never made again */
static const char *log_procname RUNNER_WRITES = "webrunnerd";

void
log_init(int debug, int facility)
{
	log_debug_mode = debug;
	log_facility = facility;
	if (!debug)
		(void)syslog_connect();
	tzset();
}

/*
 * The calling process is about to lose the right to make sockets and to
 * reach /dev/log: keep the log's socket as it is from now on.  Returns
 * it (-1 in the foreground, or without a syslog daemon), so that the
 * caller keeps it open when it closes what it does not need.
 */
int
log_confine(void)
{
	log_confined = 1;
	return log_sock;
}

void
log_procinit(const char *name)
{
	if (name != NULL)
		log_procname = name;
}

void
log_setverbose(int verbose)
{
	log_verbose = verbose;
}

/*
 * Log to this file (opened by the monitor) instead of syslog; -1 goes
 * back to syslog.  In the foreground lines go to stderr as well.
 */
void
log_setfd(int fd)
{
	if (log_fd != -1 && log_fd != fd)
		close(log_fd);
	log_fd = fd;
}

/*
 * One line to a log file with a single write(2), so that lines of the
 * processes sharing the file (O_APPEND) never mix; no stdio, whose
 * buffering and fstat the network process's sandbox does not allow.
 */
void
log_line_fd(int fd, const char *line)
{
	struct timespec	 ts;
	struct tm	 tm;
	char		 buf[1400], stamp[32];

	clock_gettime(CLOCK_REALTIME, &ts);
	if (gmtime_r(&ts.tv_sec, &tm) == NULL ||
	    strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		strlcpy(stamp, "-", sizeof(stamp));
	write_line(fd, buf, sizeof(buf),
	    snprintf(buf, sizeof(buf), "%s %s\n", stamp, line));
}

/*
 * Write what snprintf() put in buf (n, its return value) with a single
 * write(2), cut short but still ending in a newline if it did not fit.
 */
static void
write_line(int fd, char *buf, size_t size, int n)
{
	if (n < 0)
		return;
	if ((size_t)n >= size) {
		n = (int)size - 1;
		buf[n - 1] = '\n';
	}
	(void)write(fd, buf, (size_t)n);
}

int
log_getverbose(void)
{
	return log_verbose;
}

static void
vlog(int pri, const char *fmt, va_list ap)
{
	char	 msg[1024], line[1100], out[1104];
	int	 saved = errno;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (log_fd == -1 && !log_debug_mode) {
		syslog_line(pri, msg);
		errno = saved;
		return;
	}
	snprintf(line, sizeof(line), "%s[%ld]: %s", log_procname,
	    (long)getpid(), msg);
	if (log_fd != -1)
		log_line_fd(log_fd, line);
	/* One write(2); dprintf(3) adds an fstat and an lseek. */
	if (log_debug_mode)
		write_line(STDERR_FILENO, out, sizeof(out),
		    snprintf(out, sizeof(out), "%s\n", line));
	errno = saved;
}

/*
 * One line in syslog's format ("<priority>time tag[pid]: text"), as one
 * datagram.  If the daemon went away and came back (its socket made
 * anew), connect again and retry once, unless the process is confined.
 */
static void
syslog_line(int pri, const char *msg)
{
	struct timespec	 ts;
	struct tm	 tm;
	char		 buf[1200], stamp[32];
	int		 n;

	clock_gettime(CLOCK_REALTIME, &ts);
	if (localtime_r(&ts.tv_sec, &tm) == NULL ||
	    strftime(stamp, sizeof(stamp), "%b %e %T", &tm) == 0)
		strlcpy(stamp, "-", sizeof(stamp));
	n = snprintf(buf, sizeof(buf), "<%d>%s webrunnerd[%ld]: %s: %s",
	    log_facility | LOG_PRI(pri), stamp, (long)getpid(), log_procname,
	    msg);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(buf))
		n = sizeof(buf) - 1;
	if (log_sock != -1 && write(log_sock, buf, (size_t)n) != -1)
		return;
	if (log_confined || syslog_connect() == -1)
		return;
	(void)write(log_sock, buf, (size_t)n);
}

static int
syslog_connect(void)
{
	struct sockaddr_un	 sun;

	if (log_sock != -1)
		close(log_sock);
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	strlcpy(sun.sun_path, _PATH_LOG, sizeof(sun.sun_path));
	if ((log_sock = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	if (connect(log_sock, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		close(log_sock);
		log_sock = -1;
		return -1;
	}
	return 0;
}

void
logit(int pri, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(pri, fmt, ap);
	va_end(ap);
}

static void
vlog_errno(int pri, int code, const char *fmt, va_list ap)
{
	char	 msg[1024];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	logit(pri, "%s: %s", msg, strerror(code));
}

void
log_warn(const char *fmt, ...)
{
	va_list	 ap;
	int	 code = errno;

	va_start(ap, fmt);
	vlog_errno(LOG_ERR, code, fmt, ap);
	va_end(ap);
	errno = code;
}

void
log_warnx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(LOG_ERR, fmt, ap);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(LOG_INFO, fmt, ap);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list	 ap;

	if (log_verbose < 1)
		return;
	va_start(ap, fmt);
	vlog(LOG_DEBUG, fmt, ap);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	va_list	 ap;
	int	 code = errno;

	va_start(ap, fmt);
	vlog_errno(LOG_CRIT, code, fmt, ap);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(LOG_CRIT, fmt, ap);
	va_end(ap);
	exit(1);
}
