/*
 * The program runner's seccomp filters: one table for what a program may
 * do, one for what the runner's init does once the program is started.
 *
 * The program table is built on Docker's default profile (moby's
 * profiles/seccomp/default.json): what compilers, linkers, interpreters,
 * shells and coreutils call is allowed; what only an attack or a system
 * administrator would call is "dangerous"; a few calls that ordinary
 * runtimes merely probe get an error they know how to live with.
 *
 * A dangerous call is not refused with an error: it stops the program.
 * The filter returns SECCOMP_RET_USER_NOTIF, the calling thread waits in
 * the kernel, and init, which holds the filter's listener, learns the
 * call's number, kills everything in the sandbox and reports it
 * (PR_SYSCALL, the client's "Dangerous Syscall" with the call's name).
 * Nothing of the call happens.
 *
 * A filter cannot be lifted, and the program is init's child: whatever
 * init loads binds the program too.  So the runner loads the program
 * table itself, before it says it is ready (prog.c), with the listener
 * flag, and keeps the listener; once it has started the program it adds
 * the init table, which only narrows its own calls (init forks nothing
 * more).  Both are compiled once, in the template.
 *
 * Unlisted calls fail with EPERM, as in Docker's profile: refusing with
 * an error rather than stopping the program means a runtime that probes
 * a call this table does not know still runs, and a client is never told
 * "Dangerous Syscall" for a call nobody judged.  The calls glibc and the
 * common runtimes probe and fall back from only on ENOSYS are listed
 * with ENOSYS, or allowed.  A system call of another architecture (int
 * 0x80, x32) is stopped like a dangerous one.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/personality.h>

#include <linux/filter.h>

#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include <seccomp.h>

#include "common.h"
#include "runner.h"

/* One rule: `action' for call `nr' when its argument `arg' compares. */
struct prog_rule {
	uint32_t		 action;
	int			 nr;
	unsigned int		 narg;
	struct scmp_arg_cmp	 arg;
	const char		*why;
};

#define DANGER		SCMP_ACT_NOTIFY
#define PROBED(e)	SCMP_ACT_ERRNO(e)
#define RULE(act, name, why) \
	{ act, SCMP_SYS(name), 0, { 0, 0, 0, 0 }, why }
#define RULE_IF(act, name, a, why) \
	{ act, SCMP_SYS(name), 1, a, why }
#define ALLOW(name, why)	RULE(SCMP_ACT_ALLOW, name, why)
#define ALLOW_IF(name, a, why) \
	{ SCMP_ACT_ALLOW, SCMP_SYS(name), 1, a, why }
#define ARG_EQ(n, v)		{ n, SCMP_CMP_EQ, (scmp_datum_t)(v), 0 }
#define ARG_BIT(n, bit) \
	{ n, SCMP_CMP_MASKED_EQ, (scmp_datum_t)(bit), (scmp_datum_t)(bit) }
#define ARG_NONE_OF(n, mask) \
	{ n, SCMP_CMP_MASKED_EQ, (scmp_datum_t)(mask), 0 }

/* What makes a new namespace, for clone(2). */
#define NS_FLAGS	(CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | \
			 CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | \
			 CLONE_NEWNET)

static const struct prog_rule program[] = {
	/* Files: all inside the sandbox's root, read-only but /w and /tmp. */
	ALLOW(read,		"files, pipes"),
	ALLOW(write,		"files, pipes"),
	ALLOW(readv,		"stdio"),
	ALLOW(writev,		"stdio"),
	ALLOW(pread64,		"ld.so, linkers"),
	ALLOW(pwrite64,		"linkers"),
	ALLOW(preadv,		"files"),
	ALLOW(pwritev,		"files"),
	ALLOW(preadv2,		"files"),
	ALLOW(pwritev2,		"files"),
	ALLOW(open,		"files"),
	ALLOW(openat,		"files"),
	ALLOW(openat2,		"files; newer libcs try it first"),
	ALLOW(creat,		"files"),
	ALLOW(close,		"files"),
	ALLOW(close_range,	"closing all but stdio before exec"),
	ALLOW(lseek,		"files"),
	ALLOW(stat,		"files"),
	ALLOW(fstat,		"files"),
	ALLOW(lstat,		"files"),
	ALLOW(newfstatat,	"files"),
	ALLOW(statx,		"coreutils"),
	ALLOW(statfs,		"coreutils, python"),
	ALLOW(fstatfs,		"coreutils"),
	ALLOW(access,		"files"),
	ALLOW(faccessat,	"files"),
	ALLOW(faccessat2,	"glibc tries it first and falls back on "
				"ENOSYS only"),
	ALLOW(readlink,		"ld.so, /proc/self/exe"),
	ALLOW(readlinkat,	"files"),
	ALLOW(getdents,		"directories"),
	ALLOW(getdents64,	"directories"),
	ALLOW(getcwd,		"files"),
	ALLOW(chdir,		"files"),
	ALLOW(fchdir,		"files"),
	ALLOW(mkdir,		"files in /w and /tmp"),
	ALLOW(mkdirat,		"files in /w and /tmp"),
	ALLOW(rmdir,		"files in /w and /tmp"),
	ALLOW(unlink,		"the compiler's temporary files"),
	ALLOW(unlinkat,		"the compiler's temporary files"),
	ALLOW(rename,		"files in /w and /tmp"),
	ALLOW(renameat,		"files in /w and /tmp"),
	ALLOW(renameat2,	"files in /w and /tmp"),
	ALLOW(link,		"files in /w and /tmp"),
	ALLOW(linkat,		"files in /w and /tmp"),
	ALLOW(symlink,		"files in /w and /tmp"),
	ALLOW(symlinkat,	"files in /w and /tmp"),
	ALLOW(chmod,		"the linker makes its output executable"),
	ALLOW(fchmod,		"the linker makes its output executable"),
	ALLOW(fchmodat,		"files in /w and /tmp"),
	ALLOW(chown,		"to our own uid only: no capabilities"),
	ALLOW(fchown,		"to our own uid only: no capabilities"),
	ALLOW(lchown,		"to our own uid only: no capabilities"),
	ALLOW(fchownat,		"to our own uid only: no capabilities"),
	ALLOW(umask,		"files"),
	ALLOW(truncate,		"files"),
	ALLOW(ftruncate,	"files"),
	ALLOW(fallocate,	"linkers"),
	ALLOW(fsync,		"files"),
	ALLOW(fdatasync,	"files"),
	ALLOW(sync_file_range,	"files"),
	ALLOW(utime,		"files"),
	ALLOW(utimes,		"files"),
	ALLOW(utimensat,	"touch"),
	ALLOW(futimesat,	"files"),
	ALLOW(flock,		"files"),
	ALLOW(fcntl,		"files"),
	ALLOW(dup,		"shells"),
	ALLOW(dup2,		"shells"),
	ALLOW(dup3,		"shells"),
	ALLOW(pipe,		"shells, the compiler driver"),
	ALLOW(pipe2,		"shells, the compiler driver"),
	ALLOW(sendfile,		"cat, cp"),
	ALLOW(copy_file_range,	"cp"),
	ALLOW(splice,		"cat"),
	ALLOW(tee,		"files"),
	ALLOW(fadvise64,	"cat, cp"),
	ALLOW(readahead,	"files"),
	ALLOW(getxattr,		"ls"),
	ALLOW(lgetxattr,	"ls"),
	ALLOW(fgetxattr,	"ls"),
	ALLOW(listxattr,	"ls"),
	ALLOW(llistxattr,	"ls"),
	ALLOW(flistxattr,	"ls"),
	ALLOW(ioctl,		"terminals and files; nothing here reaches a "
				"device that matters"),
	ALLOW(memfd_create,	"JITs, python"),
	ALLOW(inotify_init,	"runtimes"),
	ALLOW(inotify_init1,	"runtimes"),
	ALLOW(inotify_add_watch, "runtimes"),
	ALLOW(inotify_rm_watch,	"runtimes"),

	/* Waiting. */
	ALLOW(select,		"waiting"),
	ALLOW(pselect6,		"waiting"),
	ALLOW(poll,		"waiting"),
	ALLOW(ppoll,		"waiting"),
	ALLOW(epoll_create,	"runtimes"),
	ALLOW(epoll_create1,	"runtimes"),
	ALLOW(epoll_ctl,	"runtimes"),
	ALLOW(epoll_wait,	"runtimes"),
	ALLOW(epoll_pwait,	"runtimes"),
	ALLOW(epoll_pwait2,	"runtimes"),
	ALLOW(eventfd,		"runtimes"),
	ALLOW(eventfd2,		"runtimes"),
	ALLOW(signalfd,		"runtimes"),
	ALLOW(signalfd4,	"runtimes"),
	ALLOW(timerfd_create,	"runtimes"),
	ALLOW(timerfd_settime,	"runtimes"),
	ALLOW(timerfd_gettime,	"runtimes"),
	ALLOW(futex,		"threads"),
	ALLOW(futex_waitv,	"threads"),
	ALLOW(sched_yield,	"threads"),
	ALLOW(nanosleep,	"sleep"),
	ALLOW(clock_nanosleep,	"sleep"),
	ALLOW(pause,		"waiting"),
	ALLOW(restart_syscall,	"an interrupted sleep"),

	/* Memory. */
	ALLOW(brk,		"malloc"),
	ALLOW(mmap,		"malloc, ld.so"),
	ALLOW(munmap,		"malloc"),
	ALLOW(mremap,		"malloc"),
	ALLOW(mprotect,		"ld.so, JITs"),
	ALLOW(madvise,		"malloc"),
	ALLOW(msync,		"files"),
	ALLOW(mincore,		"runtimes"),
	ALLOW(mlock,		"under RLIMIT_MEMLOCK"),
	ALLOW(mlock2,		"under RLIMIT_MEMLOCK"),
	ALLOW(munlock,		"under RLIMIT_MEMLOCK"),
	ALLOW(mlockall,		"under RLIMIT_MEMLOCK"),
	ALLOW(munlockall,	"under RLIMIT_MEMLOCK"),
	ALLOW(membarrier,	"JITs"),

	/* Processes, inside the sandbox's pid namespace. */
	ALLOW(fork,		"shells; pids.max counts them"),
	ALLOW(vfork,		"the compiler driver, posix_spawn"),
	ALLOW_IF(clone, ARG_NONE_OF(0, NS_FLAGS),
				"threads and processes, in the namespaces "
				"we are in"),
	RULE_IF(DANGER, clone, ARG_BIT(0, CLONE_NEWNS),
				"a new namespace"),
	RULE_IF(DANGER, clone, ARG_BIT(0, CLONE_NEWCGROUP),
				"a new namespace"),
	RULE_IF(DANGER, clone, ARG_BIT(0, CLONE_NEWUTS),
				"a new namespace"),
	RULE_IF(DANGER, clone, ARG_BIT(0, CLONE_NEWIPC),
				"a new namespace"),
	RULE_IF(DANGER, clone, ARG_BIT(0, CLONE_NEWUSER),
				"a new namespace"),
	RULE_IF(DANGER, clone, ARG_BIT(0, CLONE_NEWPID),
				"a new namespace"),
	RULE_IF(DANGER, clone, ARG_BIT(0, CLONE_NEWNET),
				"a new namespace"),
	RULE(PROBED(ENOSYS), clone3,
				"its flags are in memory a filter cannot "
				"read; glibc falls back to clone on ENOSYS, "
				"as Docker's profile relies on"),
	ALLOW(execve,		"the compiler driver, shells"),
	ALLOW(execveat,		"fexecve"),
	ALLOW(exit,		"threads"),
	ALLOW(exit_group,	"leaving"),
	ALLOW(wait4,		"shells"),
	ALLOW(waitid,		"python"),
	ALLOW(kill,		"own processes only: own uid, own pid "
				"namespace"),
	ALLOW(tkill,		"threads"),
	ALLOW(tgkill,		"raise(3), abort(3)"),
	ALLOW(pidfd_open,	"python's subprocess"),
	ALLOW(pidfd_send_signal, "python's subprocess"),
	ALLOW(getpid,		"processes"),
	ALLOW(getppid,		"processes"),
	ALLOW(gettid,		"threads"),
	ALLOW(getpgid,		"shells"),
	ALLOW(setpgid,		"shells"),
	ALLOW(getpgrp,		"shells"),
	ALLOW(getsid,		"shells"),
	ALLOW(setsid,		"shells"),
	ALLOW(getuid,		"ids"),
	ALLOW(geteuid,		"ids"),
	ALLOW(getgid,		"ids"),
	ALLOW(getegid,		"ids"),
	ALLOW(getresuid,	"ids"),
	ALLOW(getresgid,	"ids"),
	ALLOW(getgroups,	"ids"),
	ALLOW(setuid,		"to our own uid only: no capabilities"),
	ALLOW(setgid,		"to our own gid only: no capabilities"),
	ALLOW(setreuid,		"to our own uid only: no capabilities"),
	ALLOW(setregid,		"to our own gid only: no capabilities"),
	ALLOW(setresuid,	"to our own uid only: no capabilities"),
	ALLOW(setresgid,	"to our own gid only: no capabilities"),
	ALLOW(setfsuid,		"to our own uid only: no capabilities"),
	ALLOW(setfsgid,		"to our own gid only: no capabilities"),
	ALLOW(setgroups,	"fails without capabilities"),
	ALLOW(capget,		"we have none"),
	ALLOW(capset,		"we have none to raise"),
	ALLOW(prctl,		"runtimes name threads; no_new_privs is set, "
				"nothing prctl does lifts the sandbox"),
	ALLOW(arch_prctl,	"thread-local storage"),
	ALLOW(set_tid_address,	"threads"),
	ALLOW(set_robust_list,	"threads"),
	ALLOW(get_robust_list,	"threads"),
	ALLOW(rseq,		"glibc registers it"),
	ALLOW(seccomp,		"a filter of its own can only narrow ours"),
	ALLOW(sched_getaffinity, "nproc, runtimes size their thread pools"),
	ALLOW(sched_setaffinity, "within the CPUs we are given"),
	ALLOW(sched_getparam,	"runtimes"),
	ALLOW(sched_setparam,	"no raise without capabilities"),
	ALLOW(sched_getscheduler, "runtimes"),
	ALLOW(sched_setscheduler, "no raise without capabilities"),
	ALLOW(sched_get_priority_max, "runtimes"),
	ALLOW(sched_get_priority_min, "runtimes"),
	ALLOW(sched_rr_get_interval, "runtimes"),
	ALLOW(getpriority,	"nice"),
	ALLOW(setpriority,	"lowering only without capabilities"),
	ALLOW(getrlimit,	"runtimes"),
	ALLOW(setrlimit,	"lowering only without capabilities"),
	ALLOW(prlimit64,	"lowering only without capabilities"),
	ALLOW(getrusage,	"time(1), runtimes"),
	ALLOW(times,		"runtimes"),
	ALLOW(sysinfo,		"runtimes size their heaps"),
	ALLOW(uname,		"everyone"),
	ALLOW(getcpu,		"runtimes"),
	ALLOW(getrandom,	"hash seeds"),
	ALLOW(ioprio_get,	"runtimes"),
	ALLOW_IF(personality, ARG_EQ(0, 0xffffffff),
				"querying the personality"),
	ALLOW_IF(personality, ARG_EQ(0, PER_LINUX),
				"the personality we have"),
	ALLOW_IF(personality, ARG_EQ(0, PER_LINUX | ADDR_NO_RANDOMIZE),
				"setarch -R, as Docker allows"),

	/* Signals and time. */
	ALLOW(rt_sigaction,	"signals"),
	ALLOW(rt_sigprocmask,	"signals"),
	ALLOW(rt_sigreturn,	"signals"),
	ALLOW(rt_sigpending,	"signals"),
	ALLOW(rt_sigtimedwait,	"signals"),
	ALLOW(rt_sigsuspend,	"signals"),
	ALLOW(rt_sigqueueinfo,	"signals"),
	ALLOW(rt_tgsigqueueinfo, "signals"),
	ALLOW(sigaltstack,	"stack overflow handlers"),
	ALLOW(alarm,		"timeouts"),
	ALLOW(getitimer,	"timeouts"),
	ALLOW(setitimer,	"timeouts"),
	ALLOW(timer_create,	"timeouts"),
	ALLOW(timer_settime,	"timeouts"),
	ALLOW(timer_gettime,	"timeouts"),
	ALLOW(timer_getoverrun,	"timeouts"),
	ALLOW(timer_delete,	"timeouts"),
	ALLOW(clock_gettime,	"time without the vDSO"),
	ALLOW(clock_getres,	"time"),
	ALLOW(gettimeofday,	"time"),
	ALLOW(time,		"time"),

	/*
	 * Sockets.  The network namespace has only a loopback that is
	 * down, so an inet socket reaches nothing; runtimes make them to
	 * learn whether IPv6 exists.  Unix sockets are refused: the
	 * runners of one template share that namespace, and an abstract
	 * unix socket (one with no file) would connect two programs that
	 * run at once.  glibc's nscd client probes one and goes on.
	 */
	ALLOW_IF(socket, ARG_EQ(0, AF_INET),	"reaches nothing"),
	ALLOW_IF(socket, ARG_EQ(0, AF_INET6),	"reaches nothing"),
	ALLOW(socketpair,	"python, shells: a pair belongs to one "
				"program"),
	ALLOW(connect,		"fails: nothing to reach"),
	ALLOW(bind,		"on a loopback that is down"),
	ALLOW(listen,		"on a loopback that is down"),
	ALLOW(accept,		"nothing can connect"),
	ALLOW(accept4,		"nothing can connect"),
	ALLOW(getsockname,	"sockets"),
	ALLOW(getpeername,	"sockets"),
	ALLOW(sendto,		"sockets"),
	ALLOW(recvfrom,		"sockets"),
	ALLOW(sendmsg,		"sockets"),
	ALLOW(recvmsg,		"sockets"),
	ALLOW(sendmmsg,		"sockets"),
	ALLOW(recvmmsg,		"sockets"),
	ALLOW(shutdown,		"sockets"),
	ALLOW(setsockopt,	"sockets"),
	ALLOW(getsockopt,	"sockets"),

	/* System V and POSIX IPC: the runner's IPC namespace is its own. */
	ALLOW(shmget,		"own IPC namespace"),
	ALLOW(shmat,		"own IPC namespace"),
	ALLOW(shmdt,		"own IPC namespace"),
	ALLOW(shmctl,		"own IPC namespace"),
	ALLOW(semget,		"own IPC namespace"),
	ALLOW(semop,		"own IPC namespace"),
	ALLOW(semtimedop,	"own IPC namespace"),
	ALLOW(semctl,		"own IPC namespace"),
	ALLOW(msgget,		"own IPC namespace"),
	ALLOW(msgsnd,		"own IPC namespace"),
	ALLOW(msgrcv,		"own IPC namespace"),
	ALLOW(msgctl,		"own IPC namespace"),

	/*
	 * Probed by runtimes (libuv, tokio, Java's NIO) that use io_uring
	 * when the kernel has it and fall back when it answers ENOSYS:
	 * refused as a kernel without it would, not reported.  io_uring
	 * makes system calls the filter never sees.
	 */
	RULE(PROBED(ENOSYS), io_uring_setup,	"probed; see above"),
	RULE(PROBED(ENOSYS), io_uring_enter,	"probed; see above"),
	RULE(PROBED(ENOSYS), io_uring_register,	"probed; see above"),

	/*
	 * Dangerous: nothing a compiler or a submitted program needs, and
	 * each reaches past the sandbox or the machine's state.  Most
	 * would fail anyway (no capabilities), but the program is stopped
	 * and the client told: these are attempts, not probes.
	 */
	RULE(DANGER, mount,		"the mount table"),
	RULE(DANGER, umount2,		"the mount table"),
	RULE(DANGER, pivot_root,	"the mount table"),
	RULE(DANGER, chroot,		"the mount table"),
	RULE(DANGER, open_tree,		"the mount table"),
	RULE(DANGER, move_mount,	"the mount table"),
	RULE(DANGER, fsopen,		"the mount table"),
	RULE(DANGER, fsconfig,		"the mount table"),
	RULE(DANGER, fsmount,		"the mount table"),
	RULE(DANGER, fspick,		"the mount table"),
	RULE(DANGER, mount_setattr,	"the mount table"),
	RULE(DANGER, unshare,		"new namespaces"),
	RULE(DANGER, setns,		"other namespaces"),
	RULE(DANGER, ptrace,		"other processes' memory and "
					"registers"),
	RULE(DANGER, process_vm_readv,	"other processes' memory"),
	RULE(DANGER, process_vm_writev,	"other processes' memory"),
	RULE(DANGER, kcmp,		"other processes' state"),
	RULE(DANGER, pidfd_getfd,	"other processes' files"),
	RULE(DANGER, bpf,		"kernel programs"),
	RULE(DANGER, perf_event_open,	"the machine's counters, kernel "
					"state"),
	RULE(DANGER, userfaultfd,	"a known way to win kernel races"),
	RULE(DANGER, keyctl,		"the kernel's keyrings"),
	RULE(DANGER, add_key,		"the kernel's keyrings"),
	RULE(DANGER, request_key,	"the kernel's keyrings"),
	RULE(DANGER, kexec_load,	"another kernel"),
	RULE(DANGER, kexec_file_load,	"another kernel"),
	RULE(DANGER, init_module,	"kernel modules"),
	RULE(DANGER, finit_module,	"kernel modules"),
	RULE(DANGER, delete_module,	"kernel modules"),
	RULE(DANGER, reboot,		"the machine"),
	RULE(DANGER, swapon,		"the machine's memory"),
	RULE(DANGER, swapoff,		"the machine's memory"),
	RULE(DANGER, settimeofday,	"the machine's clock"),
	RULE(DANGER, clock_settime,	"the machine's clock"),
	RULE(DANGER, clock_adjtime,	"the machine's clock"),
	RULE(DANGER, adjtimex,		"the machine's clock"),
	RULE(DANGER, acct,		"the machine's accounting"),
	RULE(DANGER, quotactl,		"the machine's quotas"),
	RULE(DANGER, syslog,		"the kernel's log"),
	RULE(DANGER, iopl,		"I/O ports"),
	RULE(DANGER, ioperm,		"I/O ports"),
	RULE(DANGER, sethostname,	"the host name"),
	RULE(DANGER, setdomainname,	"the domain name"),
	RULE(DANGER, open_by_handle_at,	"files past the root (the "
					"shocker escape)"),
	RULE(DANGER, fanotify_init,	"other processes' file accesses"),
	RULE(DANGER, lookup_dcookie,	"kernel profiling"),
	RULE(DANGER, vhangup,		"terminals"),
	RULE(DANGER, uselib,		"obsolete loader path"),
	RULE(DANGER, _sysctl,		"kernel settings"),
	RULE(DANGER, nfsservctl,	"kernel services"),
};

/*
 * What init calls once the program is started (prog.c, init_wait()):
 * wait for the program, a notification or the monitor, kill, reap, count
 * the processes in /proc, open the copyOut files, send them and the
 * result, leave.  Anything else kills
 * it, and with it the sandbox; the monitor then sees a runner that died
 * without a result.
 */
static const struct prog_rule init[] = {
	ALLOW(read,		"the monitor's socket, the signalfd"),
	ALLOW(write,		"the result; last words to the log"),
	ALLOW(sendmsg,		"imsg writes"),
	ALLOW(recvmsg,		"imsg reads"),
	ALLOW(poll,		"waiting"),
	ALLOW(ppoll,		"waiting"),
	ALLOW(wait4,		"reaping"),
	ALLOW(waitid,		"reaping"),
	ALLOW(kill,		"ending the sandbox's processes"),
	ALLOW(ioctl,		"the listener's notifications"),
	ALLOW(openat,		"/proc, to count processes; /w"),
	ALLOW(openat2,		"copyOut files, beneath /w, no links"),
	ALLOW(getdents64,	"/proc, to count processes"),
	ALLOW(fstat,		"opendir"),
	ALLOW(newfstatat,	"opendir"),
	ALLOW(fcntl,		"opendir"),
	ALLOW(close,		"descriptors we are done with"),
	ALLOW(mmap,		"malloc"),
	ALLOW(munmap,		"malloc"),
	ALLOW(brk,		"malloc"),
	ALLOW(madvise,		"malloc"),
	ALLOW(rt_sigprocmask,	"libc"),
	ALLOW(clock_gettime,	"libc time, without vDSO"),
	ALLOW(getpid,		"logging"),
	ALLOW(exit,		"leaving"),
	ALLOW(exit_group,	"leaving"),
};

static int	 build(const struct prog_rule *, size_t, uint32_t, uint32_t,
		    struct sock_fprog *);

/* Both filters, compiled in the template before any runner exists. */
int
progsec_build(struct sock_fprog *prog, struct sock_fprog *initprog)
{
	if (build(program, sizeof(program) / sizeof(program[0]),
	    SCMP_ACT_ERRNO(EPERM), SCMP_ACT_NOTIFY, prog) == -1)
		return -1;
	return build(init, sizeof(init) / sizeof(init[0]),
	    SCMP_ACT_KILL_PROCESS, SCMP_ACT_KILL_PROCESS, initprog);
}

static int
build(const struct prog_rule *rules, size_t n, uint32_t dflt,
    uint32_t badarch, struct sock_fprog *prog)
{
	scmp_filter_ctx	 ctx;
	size_t		 i;
	int		 rc = -1;

	if ((ctx = seccomp_init(dflt)) == NULL)
		return -1;
	if (seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, badarch) < 0)
		goto out;
	(void)seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
	for (i = 0; i < n; i++)
		if (seccomp_rule_add_array(ctx, rules[i].action, rules[i].nr,
		    rules[i].narg, &rules[i].arg) < 0) {
			log_warnx("%s: rule %zu", __func__, i);
			goto out;
		}
	rc = sandbox_export(ctx, prog);
out:
	seccomp_release(ctx);
	return rc;
}

/* The name of system call `nr' of the notification's arch, or NULL. */
const char *
progsec_name(uint32_t arch, int nr, char *buf, size_t len)
{
	char	*name;

	if ((name = seccomp_syscall_resolve_num_arch(arch, nr)) == NULL)
		return NULL;
	strlcpy(buf, name, len);
	free(name);
	return buf;
}
