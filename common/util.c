/* Small helpers shared by the three processes. */
#include <sys/types.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include <linux/perf_event.h>
#include <linux/sched.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "proto.h"

#define SEALS_ALL	(F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)

int
fd_cloexec(int fd)
{
	int	 flags;

	if ((flags = fcntl(fd, F_GETFD)) == -1)
		return -1;
	return fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
}

int
fd_nonblock(int fd)
{
	int	 flags;

	if ((flags = fcntl(fd, F_GETFL)) == -1)
		return -1;
	return fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

/* Close every fd from lowfd up, except those in keep[]. */
void
closefrom_except(int lowfd, const int *keep, int nkeep)
{
	unsigned int	 lo = (unsigned int)lowfd, k;
	int		 fd, i, max, skip;

	/* close_range(2) between the kept fds, in ascending order. */
	for (;;) {
		k = ~0U;
		for (i = 0; i < nkeep; i++)
			if (keep[i] >= lowfd && (unsigned int)keep[i] >= lo &&
			    (unsigned int)keep[i] < k)
				k = (unsigned int)keep[i];
		if (k == ~0U) {
			if (close_range(lo, ~0U, 0) == -1)
				break;
			return;
		}
		if (k > lo && close_range(lo, k - 1, 0) == -1)
			break;
		lo = k + 1;
	}
	/* Kernels before 5.9: one close(2) per possible fd. */
	max = (int)sysconf(_SC_OPEN_MAX);
	if (max < 0 || max > 65536)
		max = 65536;
	for (fd = lowfd; fd < max; fd++) {
		skip = 0;
		for (i = 0; i < nkeep; i++)
			if (keep[i] == fd)
				skip = 1;
		if (!skip)
			close(fd);
	}
}

/* Seal a memfd so nobody, its creator included, can change it again. */
int
memfd_seal_all(int fd)
{
	return fcntl(fd, F_ADD_SEALS, SEALS_ALL);
}

/*
 * Check that fd is a memfd with every seal set; its size in *size.  A
 * receiver calls this before it trusts the contents not to change.
 */
int
memfd_check_sealed(int fd, uint64_t *size)
{
	struct stat	 st;
	int		 seals;

	if ((seals = fcntl(fd, F_GET_SEALS)) == -1)
		return -1;
	if ((seals & SEALS_ALL) != SEALS_ALL) {
		errno = EPERM;
		return -1;
	}
	if (fstat(fd, &st) == -1)
		return -1;
	if (!S_ISREG(st.st_mode) || st.st_size < 0) {
		errno = EINVAL;
		return -1;
	}
	*size = (uint64_t)st.st_size;
	return 0;
}

const char *
signame(int sig)
{
	const char	*s;

	if ((s = sigabbrev_np(sig)) == NULL)
		return "unknown";
	return s;
}

/* The directory holding the running executable, for its helpers. */
int
exec_dir(char *buf, size_t len)
{
	char	 path[PATH_MAX], *slash;
	ssize_t	 n;

	if ((n = readlink("/proc/self/exe", path, sizeof(path) - 1)) == -1)
		return -1;
	path[n] = '\0';
	if ((slash = strrchr(path, '/')) == NULL) {
		errno = EINVAL;
		return -1;
	}
	*slash = '\0';
	if (strlcpy(buf, path, len) >= len) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

/* A unit suffix and what it multiplies by; "" is a bare number. */
struct unit {
	const char	*suffix;
	uint64_t	 mult;
};

/*
 * A number with one of the units in the table (ended by a NULL suffix),
 * at most max once multiplied.
 */
static int
str_units(const char *s, const struct unit *units, uint64_t max,
    uint64_t *out)
{
	const char	*errstr;
	char		 num[32];
	size_t		 n = strspn(s, "0123456789");
	long long	 v;

	if (n == 0 || n >= sizeof(num))
		return -1;
	for (; units->suffix != NULL; units++)
		if (strcmp(s + n, units->suffix) == 0)
			break;
	if (units->suffix == NULL)
		return -1;
	memcpy(num, s, n);
	num[n] = '\0';
	v = strtonum(num, 0, (long long)(max / units->mult), &errstr);
	if (errstr != NULL)
		return -1;
	*out = (uint64_t)v * units->mult;
	return 0;
}

/*
 * A path under a program's /w, as copyIn and copyOut name files: relative,
 * every part a name (not empty, "." or ".."), no NUL in its len bytes and
 * shorter than WR_PATHLEN.  NULL if it is one, else what is wrong with it.
 * The network process, the monitor and the runner check the same rule.
 */
const char *
wpath_bad(const char *path, size_t len)
{
	const char	*p, *end;
	size_t		 n;

	if (len == 0)
		return "empty";
	if (memchr(path, '\0', len) != NULL)
		return "contains a NUL byte";
	if (len >= WR_PATHLEN)
		return "longer than 255 bytes";
	if (path[0] == '/')
		return "not relative to /w";
	for (p = path; p < path + len; p = end + 1) {
		if ((end = memchr(p, '/', (size_t)(path + len - p))) == NULL)
			end = path + len;
		n = (size_t)(end - p);
		if (n == 0)
			return "has an empty part (// or a trailing /)";
		if ((n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' &&
		    p[1] == '.'))
			return "has a . or .. part";
	}
	return NULL;
}

/*
 * A size: a number of bytes with an optional K, M or G (powers of 1024).
 * Shared by the configuration grammar and the run query.
 */
int
str_size(const char *s, uint64_t *out)
{
	static const struct unit	 units[] = {
		{ "", 1 },
		{ "K", 1024 }, { "k", 1024 },
		{ "M", 1024 * 1024 }, { "m", 1024 * 1024 },
		{ "G", 1024 * 1024 * 1024 }, { "g", 1024 * 1024 * 1024 },
		{ NULL, 0 }
	};

	return str_units(s, units, INT64_MAX, out);
}

/*
 * A duration in milliseconds: a number with ms, s or m, or a bare number
 * of seconds; at most a day.
 */
int
str_duration(const char *s, uint64_t *out)
{
	static const struct unit	 units[] = {
		{ "ms", 1 }, { "s", 1000 }, { "", 1000 }, { "m", 60 * 1000 },
		{ NULL, 0 }
	};

	return str_units(s, units, 86400ULL * 1000, out);
}

/*
 * Pass our logging on to a helper: -d, and -v as often as given (at most
 * six), appended to argv at argc, with buf holding the -v word.  Returns
 * the new argc.
 */
int
log_flags(char *argv[], int argc, int debug, int verbose, char buf[8])
{
	int	 i;

	if (debug)
		argv[argc++] = "-d";
	if (verbose > 0) {
		buf[0] = '-';
		for (i = 1; i <= verbose && i < 7; i++)
			buf[i] = 'v';
		buf[i] = '\0';
		argv[argc++] = buf;
	}
	return argc;
}

/*
 * Move the calling process, which must be a single thread, into the
 * cgroup whose directory dirfd is (O_PATH will do).  On v1 through
 * `tasks': moving a whole process through cgroup.procs takes the global
 * threadgroup lock for writing, which waits for an RCU grace period (tens
 * of milliseconds on a busy host) while it holds cgroup_mutex, so every
 * cgroup made or removed meanwhile waits too; moving one thread does not,
 * and a process of one thread is all in its thread's cgroup.  v2 has no
 * `tasks' file: there cgroup.procs.
 */
int
cgroup_join(int dirfd)
{
	ssize_t	 n;
	int	 fd, saved;

	if ((fd = openat(dirfd, "tasks", O_WRONLY | O_CLOEXEC)) == -1 &&
	    errno == ENOENT)
		fd = openat(dirfd, "cgroup.procs", O_WRONLY | O_CLOEXEC);
	if (fd == -1)
		return -1;
	n = write(fd, "0", 1);
	saved = errno;
	close(fd);
	errno = saved;
	return n == 1 ? 0 : -1;
}

/*
 * clone(2) with `flags' (the exit signal in the low byte) into the cgroup
 * whose directories cgfds are.  On cgroup v2 (one hierarchy, one
 * directory) the child is born there with clone3(CLONE_INTO_CGROUP),
 * which spares the migration a write to cgroup.procs costs; on v1, or a
 * kernel without clone3, it is cloned where the caller is and joins its
 * cgroups itself (cgroup_join()).  *joined says which.  Returns as
 * fork(2) does.
 */
pid_t
clone_into(uint64_t flags, const int *cgfds, int ncg, int *joined)
{
	struct clone_args	 ca;
	pid_t			 pid;

	*joined = 0;
	if (ncg == 1) {
		memset(&ca, 0, sizeof(ca));
		ca.flags = (flags & ~(uint64_t)CSIGNAL) | CLONE_INTO_CGROUP;
		ca.exit_signal = flags & CSIGNAL;
		ca.cgroup = (uint64_t)cgfds[0];
		if ((pid = (pid_t)syscall(SYS_clone3, &ca, sizeof(ca))) !=
		    -1) {
			*joined = 1;
			return pid;
		}
		/* EINVAL: a v1 hierarchy; ENOSYS: an older kernel. */
	}
	return (pid_t)syscall(SYS_clone, flags, NULL, NULL, NULL, 0);
}

/*
 * A failure with its HTTP code and a one-line reason, for the parsers and
 * checks that answer a client: always -1.
 */
int
cfail(int *code, int c, char *err, size_t errlen, const char *fmt, ...)
{
	va_list	 ap;

	*code = c;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/*
 * A file store id as the monitor makes them: 32 lowercase hex digits,
 * NUL-terminated within WR_FILEIDLEN.  Any other string is no id.
 */
int
file_id_ok(const char *id)
{
	size_t	 i;

	for (i = 0; i < WR_FILEIDLEN - 1; i++)
		if (!((id[i] >= '0' && id[i] <= '9') ||
		    (id[i] >= 'a' && id[i] <= 'f')))
			return 0;
	return id[i] == '\0';
}

/*
 * Whether a user-space hardware counter of `config' (a
 * PERF_COUNT_HW_* value) opens on this thread, on any CPU: 0 if it
 * does, else the errno perf_event_open(2) gave.  Asked once by the
 * monitor and once by a template; each decides what a failure means.
 */
int
perf_hw_probe(uint64_t config)
{
	struct perf_event_attr	 attr;
	int			 fd;

	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = PERF_TYPE_HARDWARE;
	attr.config = config;
	attr.disabled = 1;
	attr.exclude_kernel = 1;
	attr.exclude_hv = 1;
	fd = (int)syscall(SYS_perf_event_open, &attr, 0, -1, -1,
	    PERF_FLAG_FD_CLOEXEC);
	if (fd == -1)
		return errno;
	close(fd);
	return 0;
}
