/*
 * The network process's seccomp allowlist: one table, one line per system
 * call with the reason it is needed.  It was found by running the process
 * under strace -f through every route (HEAD/GET monitor, POST run with a
 * 1 MiB object, OPTIONS, 400, 404, 405, 413, 414, IPv4 and IPv6, idle
 * timeouts, the connection limit, syslog and stderr logging) and is what
 * libevent's epoll backend, evhttp, glibc's malloc, log.c (syslog lines
 * included) and http.c use once the process is in its chroot.  A few
 * entries answer with an error instead of allowing the call, where a
 * library may try something that cannot work in the chroot and copes with
 * failure.
 *
 * Anything else kills the whole process (SCMP_ACT_KILL_PROCESS); the
 * monitor then logs the signal and starts a new one.  Built with
 * SECCOMP_DEBUG (make SECCOMP_DEBUG=1), a forbidden call raises SIGSYS
 * instead, and a handler writes its number to stderr before exiting:
 * `scmp_sys_resolver NUMBER` names it.  The handler only prints the number
 * because naming it would allocate, and the trapped call may well have
 * come from inside malloc.
 */
#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <seccomp.h>

#include "common.h"
#include "proto.h"
#include "daemon.h"

#ifndef __has_feature
#define __has_feature(x)	0
#endif
#if defined(__SANITIZE_ADDRESS__) || __has_feature(address_sanitizer)
#define SANDBOX_ASAN	1
#endif

struct sandbox_rule {
	int		 nr;		/* SCMP_SYS(name) */
	uint32_t	 action;	/* SCMP_ACT_ALLOW or SCMP_ACT_ERRNO */
	int		 arg;		/* -1, or the argument that */
	scmp_datum_t	 val;		/* must equal this value */
	const char	*why;
};

#define ALLOW(name, why) \
	{ SCMP_SYS(name), SCMP_ACT_ALLOW, -1, 0, why }
#define ALLOW_ARG(name, n, v, why) \
	{ SCMP_SYS(name), SCMP_ACT_ALLOW, n, (scmp_datum_t)(v), why }
#define DENY(name, err, why) \
	{ SCMP_SYS(name), SCMP_ACT_ERRNO(err), -1, 0, why }

static const struct sandbox_rule sandbox_rules[] = {
	/* The event loop. */
	ALLOW(epoll_wait,	"libevent's epoll backend waits"),
	ALLOW(epoll_pwait,	"epoll_wait where there is no such call"),
	ALLOW(epoll_ctl,	"libevent adds and removes descriptors"),

	/* Clients: accept4 makes sockets non-blocking, no fcntl needed. */
	ALLOW(accept4,		"evconnlistener accepts connections"),
	ALLOW_ARG(ioctl, 1, FIONREAD,
				"evbuffer_read sizes its read"),
	ALLOW(readv,		"evbuffer_read reads requests"),
	ALLOW(writev,		"evbuffer_write: answers, memfd contents"),
	ALLOW(shutdown,		"evhttp half-closes before closing"),
	ALLOW(close,		"connections; memfds once sent"),

	/* Objects for the monitor. */
	ALLOW_ARG(memfd_create, 1, MFD_CLOEXEC | MFD_ALLOW_SEALING,
				"the POSTed object goes into a memfd"),
	ALLOW_ARG(fcntl, 1, F_ADD_SEALS,
				"the memfd is sealed before it is sent"),

	/* Answers too large for a message: a memfd, mapped to be sent. */
	ALLOW_ARG(fcntl, 1, F_GET_SEALS,
				"the answer's memfd must be sealed"),
	ALLOW_ARG(newfstatat, 3, AT_EMPTY_PATH,
				"fstat(2) of the answer's memfd: its size"),
	ALLOW(fstat,		"fstat(2) where the C library calls it so"),

	/* The monitor. */
	ALLOW(recvmsg,		"imsg from the monitor"),
	ALLOW(sendmsg,		"imsg to the monitor, with memfds"),

	/* Logging: stderr with -d, else syslog's socket from before chroot. */
	ALLOW(write,		"log lines: one write(2) each, log.c"),
	ALLOW(getpid,		"log lines carry the pid"),

	/* Nothing is in the chroot; fail politely if a library looks. */
	DENY(openat, EACCES,	"glibc may look for locale or zone files"),
	DENY(open, EACCES,	"glibc may look for locale or zone files"),

	/* Memory. */
	ALLOW(brk,		"malloc"),
	ALLOW(mmap,		"malloc of large blocks (request bodies)"),
	ALLOW(munmap,		"free of large blocks"),
	ALLOW(mremap,		"realloc of large blocks"),

	/* Time, normally answered by the vDSO without a system call. */
	ALLOW(clock_gettime,	"libevent's monotonic clock"),
	ALLOW(gettimeofday,	"libevent's cached time"),
	ALLOW(time,		"evhttp's Date header"),

	/* Leaving. */
	ALLOW(rt_sigreturn,	"return from a signal handler"),
	ALLOW(exit_group,	"exit"),
	ALLOW(exit,		"exit"),

#ifdef SANDBOX_ASAN
	/*
	 * AddressSanitizer's runtime (make SANITIZE=1): its own signal stack,
	 * its allocator handing memory back, its locks, and its abort path.
	 * LeakSanitizer is off, see __asan_default_options() below.
	 */
	ALLOW(sigaltstack,	"ASan: its signal stack"),
	ALLOW(madvise,		"ASan: allocator releases memory"),
	ALLOW(sched_yield,	"ASan: spin locks"),
	ALLOW(futex,		"ASan: internal mutexes"),
	ALLOW(gettid,		"ASan: error reports name the thread"),
	ALLOW(rt_sigprocmask,	"ASan: abort after an error report"),
	ALLOW(tgkill,		"ASan: abort after an error report"),
#endif
};

#ifdef SANDBOX_ASAN
const char	*__asan_default_options(void);

/*
 * LeakSanitizer checks at exit by ptracing a clone of the process and
 * reading /proc/self/maps: neither exists in the chroot under seccomp.
 * ASAN_OPTIONS in the environment still overrides this.
 */
const char *
__asan_default_options(void)
{
	return "detect_leaks=0";
}
#endif

#ifdef SECCOMP_DEBUG
/* Async-signal-safe: only write(2) and _exit(2). */
static void
sandbox_sigsys(int sig, siginfo_t *info, void *ctx)
{
	static const char	 pre[] = "net: seccomp: forbidden syscall ";
	char			 num[16], *p;
	int			 nr;

	(void)sig;
	(void)ctx;
	nr = info->si_syscall;
	p = num + sizeof(num);
	*--p = '\n';
	do {
		*--p = (char)('0' + nr % 10);
		nr /= 10;
	} while (nr > 0 && p > num);
	write(STDERR_FILENO, pre, sizeof(pre) - 1);
	write(STDERR_FILENO, p, (size_t)(num + sizeof(num) - p));
	_exit(1);
}
#endif

void
sandbox_apply(void)
{
	const struct sandbox_rule	*r;
	scmp_filter_ctx			 ctx;
	uint32_t			 defact;
	size_t				 i;
	int				 rc;

#ifdef SECCOMP_DEBUG
	struct sigaction		 sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = sandbox_sigsys;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGSYS, &sa, NULL) == -1)
		fatal("sigaction SIGSYS");
	defact = SCMP_ACT_TRAP;
#else
	defact = SCMP_ACT_KILL_PROCESS;
#endif
	if ((ctx = seccomp_init(defact)) == NULL)
		fatalx("seccomp_init");
	for (i = 0; i < sizeof(sandbox_rules) / sizeof(sandbox_rules[0]); i++) {
		r = &sandbox_rules[i];
		if (r->nr < 0)		/* not on this architecture */
			continue;
		if (r->arg == -1)
			rc = seccomp_rule_add(ctx, r->action, r->nr, 0);
		else
			rc = seccomp_rule_add(ctx, r->action, r->nr, 1,
			    SCMP_CMP((unsigned)r->arg, SCMP_CMP_EQ, r->val));
		if (rc < 0)
			fatalx("seccomp rule %d (%s): %s", r->nr, r->why,
			    strerror(-rc));
	}
	if ((rc = seccomp_load(ctx)) < 0)
		fatalx("seccomp_load: %s", strerror(-rc));
	seccomp_release(ctx);
	log_debug("seccomp allowlist of %zu rules loaded",
	    sizeof(sandbox_rules) / sizeof(sandbox_rules[0]));
}
