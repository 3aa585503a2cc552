/*
 * Logging for all three processes: stderr in the foreground (-d), syslog
 * otherwise, each line tagged with the process name.
 */
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

static int	 log_debug_mode;
static int	 log_verbose;
static int	 log_fd = -1;
static const char *log_procname = "webrunnerd";

void
log_init(int debug, int facility)
{
	log_debug_mode = debug;
	if (!debug)
		openlog("webrunnerd", LOG_PID | LOG_NDELAY, facility);
	tzset();
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
		syslog(pri, "%s: %s", log_procname, msg);
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
