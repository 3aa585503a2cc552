/*
 * The program runner: webrunnerd-runner -P runs one real program (a
 * compiler, an interpreter, a submitted binary) per runner.
 *
 * Once, in the template, as root (prog_template()):
 *	1. new mount, network, IPC and UTS namespaces, mounts private
 *	   (sandbox_unshare(), shared with the kernel template);
 *	2. a root built at ROOT as a small tmpfs: read-only binds of the
 *	   host paths given with -m (go-judge's set by default), a host
 *	   path that is a symbolic link made again as the same link,
 *	   read-only binds of /dev/null, zero, full, random and urandom,
 *	   /dev/fd and friends as links into /proc, and empty /w, /tmp and
 *	   /proc; then it becomes the root (pivot_root) and is made
 *	   read-only;
 *	3. the program's and init's seccomp filters compiled (progsec.c).
 *
 * For each runner, in the template: clone into new pid, mount, IPC and
 * UTS namespaces (SANDBOX_PROG_NS: a program may use all three), born in
 * its cgroup (sandbox_clone(), template.c).
 *
 * In the new runner, before it is ready (prog_enter()):
 *	4. its cgroups and a cgroup namespace, only its socket and the log's
 *	   open (sandbox_join());
 *	5. still root: a fresh tmpfs at /w and at /tmp, spawn_req's
 *	   tmpfs_bytes each, owned by the runner's uid; /proc of its own
 *	   pid namespace;
 *	6. rlimits -> groups, gid, uid -> capabilities -> no_new_privs ->
 *	   not dumpable (sandbox_drop());
 *	7. the program's seccomp filter, with its listener kept.
 *
 * The runner is pid 1 of its pid namespace and stays a tiny init: pid 1
 * gets no signal it has no handler for, so the command must never be
 * pid 1 (`kill -SEGV $$' would do nothing).  On IMSG_PJOB_FD... and
 * IMSG_PJOB it forks the command, narrows itself with init's filter,
 * reaps whatever ends, and when the command ends (or makes a dangerous
 * system call) kills everything left, answers one IMSG_PRESULT and
 * exits.
 */
#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <sys/sendfile.h>

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/openat2.h>
#include <linux/seccomp.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "runner.h"

/* go-judge's default mounts; the ones a host lacks are left out. */
static const char *const default_mounts[] = {
	"/bin", "/lib", "/lib64", "/usr", "/etc/ld.so.cache",
	"/etc/alternatives", "/etc/fpc.cfg"
};
static const char *const devices[] = {
	"/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom"
};
/* What bash's <(...), and programs that name stdio by path, expect. */
static const char *const dev_links[][2] = {
	{ "/dev/fd", "/proc/self/fd" },
	{ "/dev/stdin", "/proc/self/fd/0" },
	{ "/dev/stdout", "/proc/self/fd/1" },
	{ "/dev/stderr", "/proc/self/fd/2" }
};

#ifndef nitems
#define nitems(a)	(sizeof(a) / sizeof((a)[0]))
#endif
#ifndef X32_SYSCALL_BIT
#define X32_SYSCALL_BIT		0x40000000
#endif
#define PROG_TMPFS_DEFAULT	(64ULL * 1024 * 1024)	/* tmpfs_bytes 0 */
#define PROG_FDBASE		64	/* fds moved here, above any target */
#define PROG_PATH_DEFAULT	"/usr/local/bin:/usr/bin:/bin"
/* How often init counts the processes while the command runs (ms). */
#define PROG_COUNT_MS		10

/* What the command's child says over its CLOEXEC pipe when exec fails. */
struct exec_err {
	int32_t		 how;		/* PR_EXEC_FAILED or PR_SETUP_FAILED */
	int32_t		 err;
	char		 reason[WR_REASONLEN];
};

static int	 build_root(const char *, char *const *, int, const char **);
static int	 add_path(const char *, const char *, int);
static int	 make_parents(char *);
static int	 prog_enter(const struct sandbox_opts *, char *, size_t);
static __dead void init_run(void);
static int	 receive_job(struct imsgbuf *, int *, char *, size_t);
static int	 open_beneath(int, const char *, int, mode_t);
static int	 copy_in(struct imsgbuf *, struct presult *);
static int	 copy_in_one(int, uint32_t, struct pfile_res *);
static void	 copy_out(struct imsgbuf *);
static void	 send_pfile(struct imsgbuf *, struct pfile_res *, int);
static int	 split(char *, size_t, uint32_t, char **);
static pid_t	 start_command(int *, int *, struct presult *);
static __dead void command(const int *, int);
static void	 try_exec(int, const char *, size_t, int *, char *, size_t);
static __dead void exec_fail(int, int, int, const char *, ...)
		    __attribute__((format(printf, 4, 5)));
static void	 init_wait(pid_t, struct presult *);
static int	 count_procs(void);
static void	 end_all(void);
static __dead void send_presult(struct imsgbuf *, struct presult *);

static struct sock_fprog prog_filter, init_filter;
static int		 listener = -1, sigfd = -1;

/* The job: static, since it is larger than a stack frame should be. */
static struct pjob	 pj;
/* Its copyIn files, as they came before it. */
static struct pjob_copyin cin[WR_MAXCOPY];
static int		 cinfd[WR_MAXCOPY];
static uint32_t		 ncin;
static char		*cmd_argv[WR_MAXARGV + 1], *cmd_envp[WR_MAXARGV + 1];

/*
 * -P: set up the template, serve the monitor's IMSG_SPAWN, and in each
 * runner confine it and run its init.  Never returns.
 */
void
prog_main(const char *root, char *const *mounts, int nmounts)
{
	struct sandbox_opts	 so;
	const char		*step;
	char			 err[WR_REASONLEN];

	if (sandbox_unshare(&step) == -1 ||
	    build_root(root, mounts, nmounts, &step) == -1)
		fatal("program sandbox: %s", step);
	if (progsec_build(&prog_filter, &init_filter) == -1)
		fatal("program sandbox: seccomp filters");
	/*
	 * Returns only in each runner it clones.  Names of their own, so
	 * ps(1) and the tests tell the two kinds apart.
	 */
	template_run(&so, SANDBOX_PROG_NS, "wr-ptemplate", "wr-prog");
	if (prog_enter(&so, err, sizeof(err)) == -1)
		fatalx("%s", err);
	init_run();
}

/* Step 2: the root the program sees, then into it, read-only. */
static int
build_root(const char *root, char *const *mounts, int nmounts,
    const char **step)
{
	char	 path[PATH_MAX];
	size_t	 i;
	int	 j;

	*step = "root tmpfs";
	if (mount("tmpfs", root, "tmpfs", MS_NOSUID | MS_NODEV,
	    "size=1m,nr_inodes=4096,mode=0755") == -1)
		return -1;
	*step = "read-only binds";
	if (nmounts == 0) {
		for (i = 0; i < nitems(default_mounts); i++)
			if (add_path(root, default_mounts[i], 0) == -1)
				return -1;
	} else {
		for (j = 0; j < nmounts; j++)
			if (add_path(root, mounts[j], 0) == -1)
				return -1;
	}
	*step = "devices";
	for (i = 0; i < nitems(devices); i++)
		if (add_path(root, devices[i], 1) == -1)
			return -1;
	for (i = 0; i < nitems(dev_links); i++) {
		if (snprintf(path, sizeof(path), "%s%s", root,
		    dev_links[i][0]) >= (int)sizeof(path)) {
			errno = ENAMETOOLONG;
			return -1;
		}
		if (symlink(dev_links[i][1], path) == -1 && errno != EEXIST)
			return -1;
	}
	*step = "/w, /tmp, /proc";
	for (i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/%s", root,
		    i == 0 ? "w" : i == 1 ? "tmp" : "proc");
		if (mkdir(path, 0755) == -1 && errno != EEXIST)
			return -1;
	}
	/* As the kernel template does: stack the new root, drop the old. */
	*step = "pivot_root";
	if (chdir(root) == -1 || syscall(SYS_pivot_root, ".", ".") == -1 ||
	    umount2(".", MNT_DETACH) == -1 || chdir("/") == -1)
		return -1;
	*step = "read-only root";
	if (mount(NULL, "/", NULL, MS_REMOUNT | MS_RDONLY | MS_NOSUID |
	    MS_NODEV, NULL) == -1)
		return -1;
	return 0;
}

/*
 * One host path under root: a link made again, a directory or a file
 * bound read-only.  Devices keep their device semantics (no nodev); a
 * path the host lacks is left out, so one default set fits many hosts.
 */
static int
add_path(const char *root, const char *host, int device)
{
	struct stat	 st;
	char		 dst[PATH_MAX], target[PATH_MAX];
	ssize_t		 n;
	unsigned long	 flags = MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID;
	int		 fd;

	if (host[0] != '/' || strstr(host, "/..") != NULL ||
	    strstr(host, "//") != NULL || strcmp(host, "/") == 0) {
		log_warnx("mount %s: not a plain absolute path", host);
		errno = EINVAL;
		return -1;
	}
	if (snprintf(dst, sizeof(dst), "%s%s", root, host) >=
	    (int)sizeof(dst)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (lstat(host, &st) == -1) {
		if (errno == ENOENT) {
			log_debug("mount %s: not on this host", host);
			return 0;
		}
		return -1;
	}
	if (make_parents(dst) == -1)
		return -1;
	if (S_ISLNK(st.st_mode)) {
		if ((n = readlink(host, target, sizeof(target) - 1)) == -1)
			return -1;
		target[n] = '\0';
		return symlink(target, dst);
	}
	if (S_ISDIR(st.st_mode)) {
		if (mkdir(dst, 0755) == -1 && errno != EEXIST)
			return -1;
	} else if (S_ISREG(st.st_mode) || (device && S_ISCHR(st.st_mode))) {
		if ((fd = open(dst, O_WRONLY | O_CREAT | O_CLOEXEC, 0644)) ==
		    -1)
			return -1;
		close(fd);
	} else {
		log_warnx("mount %s: not a file or directory", host);
		errno = EINVAL;
		return -1;
	}
	if (!device)
		flags |= MS_NODEV;
	/* Not MS_REC: what is mounted below a host path stays hidden. */
	if (mount(host, dst, NULL, MS_BIND, NULL) == -1 ||
	    mount(NULL, dst, NULL, flags, NULL) == -1)
		return -1;
	return 0;
}

/* mkdir -p of path's parent directories. */
static int
make_parents(char *path)
{
	char	*p;

	for (p = strchr(path + 1, '/'); p != NULL; p = strchr(p + 1, '/')) {
		*p = '\0';
		if (mkdir(path, 0755) == -1 && errno != EEXIST) {
			*p = '/';
			return -1;
		}
		*p = '/';
	}
	return 0;
}

/* Steps 4 to 7, in the new runner. */
static int
prog_enter(const struct sandbox_opts *so, char *err, size_t errlen)
{
	struct rlimit	 rl;
	sigset_t	 chld;
	const char	*step;
	char		 opts[128];
	uint64_t	 size;

	if (sandbox_join(so, &step) == -1)
		goto fail;
	size = so->tmpfs_bytes != 0 ? so->tmpfs_bytes : PROG_TMPFS_DEFAULT;
	step = "/w";
	snprintf(opts, sizeof(opts), "size=%llu,mode=0755,uid=%u,gid=%u",
	    (unsigned long long)size, (unsigned)so->uid, (unsigned)so->gid);
	if (mount("tmpfs", "/w", "tmpfs", MS_NOSUID | MS_NODEV, opts) == -1)
		goto fail;
	step = "/tmp";
	snprintf(opts, sizeof(opts), "size=%llu,mode=1777,uid=%u,gid=%u",
	    (unsigned long long)size, (unsigned)so->uid, (unsigned)so->gid);
	if (mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, opts) == -1)
		goto fail;
	/* Mounted by pid 1 of the new namespace: it shows that one only. */
	step = "/proc";
	if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC,
	    NULL) == -1)
		goto fail;
	step = "rlimits";
	rl.rlim_cur = rl.rlim_max = 0;
	if (setrlimit(RLIMIT_CORE, &rl) == -1)
		goto fail;
	if (sandbox_drop(so, &step) == -1)
		goto fail;
	/* Init learns of ended processes on a descriptor it can poll. */
	step = "signalfd";
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, &chld, NULL) == -1 ||
	    (sigfd = signalfd(-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK)) == -1)
		goto fail;
	/*
	 * The program's filter, on init itself: a filter cannot be lifted,
	 * and the command will be init's child (progsec.c).  Init keeps
	 * the listener, where dangerous calls are reported.
	 */
	step = "seccomp";
	if ((listener = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
	    SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog_filter)) == -1)
		goto fail;
	return 0;
fail:
	snprintf(err, errlen, "program sandbox: %s: %s", step,
	    strerror(errno));
	return -1;
}

static __dead void
init_run(void)
{
	struct imsgbuf	 ibuf;
	struct presult	 pr;
	pid_t		 pid;
	int		 fds[WR_MAXFDS];

	imsgbuf_init(&ibuf, RUNNER_SOCKFD);
	if (imsg_compose(&ibuf, IMSG_RUNNER_READY, 0, -1, NULL, 0) == -1 ||
	    imsgbuf_flush(&ibuf) == -1)
		fatal("ready");
	memset(&pr, 0, sizeof(pr));
	if (receive_job(&ibuf, fds, pr.reason, sizeof(pr.reason)) == -1) {
		pr.how = PR_SETUP_FAILED;
		pr.code = EINVAL;
		send_presult(&ibuf, &pr);
	}
	if (copy_in(&ibuf, &pr) == -1 ||
	    (pid = start_command(fds, &pr.code, &pr)) == -1)
		send_presult(&ibuf, &pr);
	init_wait(pid, &pr);
	copy_out(&ibuf);
	send_presult(&ibuf, &pr);
}

/*
 * The command's fds, then the job.  Messages out of order are the
 * monitor's bug and end the runner, as in the kernel runner; a job whose
 * strings do not add up is answered with PR_SETUP_FAILED.
 */
static int
receive_job(struct imsgbuf *ibuf, int *fds, char *err, size_t errlen)
{
	struct imsg	 imsg;
	struct pjob_fd	 pf;
	ssize_t		 n;
	int		 i, fd;

	for (i = 0; i < WR_MAXFDS; i++)
		fds[i] = -1;
	for (;;) {
		if ((n = imsg_get(ibuf, &imsg)) == -1)
			fatal("bad message from the monitor");
		if (n == 0) {
			if ((n = imsgbuf_read(ibuf)) == -1 && errno != EAGAIN)
				fatal("read");
			if (n == 0)
				exit(0);	/* let go unused */
			continue;
		}
		fd = imsg_take_fd(&imsg);
		if (imsg.hdr.type == IMSG_PJOB_FD && fd != -1 &&
		    imsg_get_data(&imsg, &pf, sizeof(pf)) == 0 &&
		    pf.fd < WR_MAXFDS && fds[pf.fd] == -1) {
			fds[pf.fd] = fd;
			imsg_free(&imsg);
			continue;
		}
		/* A file comes with its memfd, a symbolic link without. */
		if (imsg.hdr.type == IMSG_PJOB_COPYIN && ncin < WR_MAXCOPY &&
		    imsg_get_data(&imsg, &cin[ncin], sizeof(cin[0])) == 0 &&
		    (cin[ncin].target[0] == '\0') == (fd != -1)) {
			cin[ncin].target[sizeof(cin[0].target) - 1] = '\0';
			cinfd[ncin++] = fd;
			imsg_free(&imsg);
			continue;
		}
		if (imsg.hdr.type != IMSG_PJOB || fd != -1 ||
		    imsg_get_data(&imsg, &pj, sizeof(pj)) == -1)
			fatalx("unexpected message %u from the monitor",
			    imsg.hdr.type);
		imsg_free(&imsg);
		break;
	}
	if (pj.nargs < 1 || pj.nargs > WR_MAXARGV ||
	    pj.nenv > WR_MAXARGV ||
	    split(pj.args, sizeof(pj.args), pj.nargs, cmd_argv) == -1 ||
	    split(pj.env, sizeof(pj.env), pj.nenv, cmd_envp) == -1 ||
	    cmd_argv[0][0] == '\0') {
		snprintf(err, errlen, "bad job: args or env do not match "
		    "their counts");
		return -1;
	}
	return 0;
}

/*
 * Open path beneath the directory dirfd, refusing every symbolic link,
 * magic link and mount crossing on the way: what a program left in /w
 * can name nothing outside it.
 */
static int
open_beneath(int dirfd, const char *path, int flags, mode_t mode)
{
	struct open_how	 how;

	memset(&how, 0, sizeof(how));
	how.flags = (uint64_t)flags | O_CLOEXEC | O_NOFOLLOW;
	how.mode = (flags & O_CREAT) ? mode : 0;
	how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
	    RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV;
	return (int)syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
}

/*
 * The copyIn files into /w, before the command exists: their parents
 * made as needed, each a new file (as the runner's uid) holding what its
 * memfd holds.  The first that fails is reported, and the command does
 * not run: go-judge's File Error.
 */
static int
copy_in(struct imsgbuf *ibuf, struct presult *pr)
{
	struct pfile_res	 fr;
	uint32_t		 i;
	int			 wfd, rc = 0;

	if (ncin == 0)
		return 0;
	if ((wfd = open("/w", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		fatal("/w");
	for (i = 0; i < ncin && rc == 0; i++) {
		memset(&fr, 0, sizeof(fr));
		fr.index = i;
		fr.copyin = 1;
		cin[i].path[sizeof(cin[i].path) - 1] = '\0';
		if ((rc = copy_in_one(wfd, i, &fr)) == -1) {
			send_pfile(ibuf, &fr, -1);
			pr->how = PR_FILE_ERROR;
			strlcpy(pr->reason, fr.reason, sizeof(pr->reason));
		}
	}
	for (i = 0; i < ncin; i++)
		if (cinfd[i] != -1)
			close(cinfd[i]);
	close(wfd);
	return rc;
}

static int
copy_in_one(int wfd, uint32_t i, struct pfile_res *fr)
{
	struct stat	 st;
	const char	*path = cin[i].path, *why;
	char		 dir[WR_PATHLEN], *slash;
	off_t		 off = 0;
	ssize_t		 n;
	int		 fd;

	if ((why = wpath_bad(path, strlen(path))) != NULL) {
		fr->err = PFE_COPYIN_CREATE;
		snprintf(fr->reason, sizeof(fr->reason), "%s: %s", path, why);
		return -1;
	}
	/* Each parent, from the top: mkdir(1) -p beneath /w. */
	strlcpy(dir, path, sizeof(dir));
	for (slash = strchr(dir, '/'); slash != NULL;
	    slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		if (mkdirat(wfd, dir, 0777) == -1 && errno != EEXIST) {
			fr->err = PFE_COPYIN_MKDIR;
			snprintf(fr->reason, sizeof(fr->reason), "mkdir %.200s: %s",
			    dir, strerror(errno));
			return -1;
		}
		*slash = '/';
	}
	/* Where it points is the program's business: nothing follows it. */
	if (cin[i].target[0] != '\0') {
		if (symlinkat(cin[i].target, wfd, path) == -1) {
			fr->err = PFE_SYMLINK;
			snprintf(fr->reason, sizeof(fr->reason), "symlink "
			    "%.100s -> %.100s: %s", path, cin[i].target,
			    strerror(errno));
			return -1;
		}
		return 0;
	}
	if ((fd = open_beneath(wfd, path, O_WRONLY | O_CREAT | O_TRUNC,
	    0777)) == -1) {
		fr->err = PFE_COPYIN_CREATE;
		snprintf(fr->reason, sizeof(fr->reason), "%s: %s", path,
		    strerror(errno));
		return -1;
	}
	if (fstat(cinfd[i], &st) == -1)
		st.st_size = 0;
	while (off < st.st_size) {
		n = sendfile(fd, cinfd[i], &off, (size_t)(st.st_size - off));
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			fr->err = PFE_COPYIN_COPY;
			snprintf(fr->reason, sizeof(fr->reason), "%s: %s", path,
			    n == 0 ? "short copy" : strerror(errno));
			close(fd);
			return -1;
		}
	}
	close(fd);
	return 0;
}

/*
 * The copyOut names, once everything of the command has ended: each
 * opened beneath /w, refusing links (open_beneath()), without blocking
 * on a FIFO; a regular file within copyOutMax (or any, to be truncated)
 * goes to the monitor as the open file, which reads it; anything else is
 * reported as go-judge's fileError says.
 */
static void
copy_out(struct imsgbuf *ibuf)
{
	struct pfile_res	 fr;
	struct stat		 st;
	const char		*name;
	uint32_t		 i;
	int			 wfd, fd;

	if (pj.ncopyout == 0 || pj.ncopyout > WR_MAXCOPY)
		return;
	if ((wfd = open("/w", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		fatal("/w");
	for (i = 0; i < pj.ncopyout; i++) {
		memset(&fr, 0, sizeof(fr));
		fr.index = i;
		name = pj.copyout[i].name;
		pj.copyout[i].name[sizeof(pj.copyout[i].name) - 1] = '\0';
		fd = open_beneath(wfd, name, O_RDONLY | O_NONBLOCK, 0);
		if (fd == -1 && errno == ELOOP) {
			fr.err = PFE_COPYOUT_NOTREG;
			snprintf(fr.reason, sizeof(fr.reason), "%s: a symbolic "
			    "link, not a regular file", name);
		} else if (fd == -1) {
			fr.err = PFE_COPYOUT_OPEN;
			snprintf(fr.reason, sizeof(fr.reason), "%s: %s", name,
			    strerror(errno));
		} else if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
			fr.err = PFE_COPYOUT_NOTREG;
			snprintf(fr.reason, sizeof(fr.reason), "%s: not a "
			    "regular file", name);
		} else if ((uint64_t)st.st_size > pj.copyout_max &&
		    !pj.copyout_truncate) {
			fr.err = PFE_COPYOUT_SIZE;
			snprintf(fr.reason, sizeof(fr.reason), "%s: %lld bytes, "
			    "more than copyOutMax (%llu)", name,
			    (long long)st.st_size,
			    (unsigned long long)pj.copyout_max);
		} else
			fr.size = (uint64_t)st.st_size;
		if (fr.err != PFE_OK && fd != -1) {
			close(fd);
			fd = -1;
		}
		send_pfile(ibuf, &fr, fd);
	}
	close(wfd);
}

/* One IMSG_PFILE, with the file or none; the imsg layer closes it. */
static void
send_pfile(struct imsgbuf *ibuf, struct pfile_res *fr, int fd)
{
	fr->reason[sizeof(fr->reason) - 1] = '\0';
	if (imsg_compose(ibuf, IMSG_PFILE, 0, fd, fr, sizeof(*fr)) == -1 ||
	    imsgbuf_flush(ibuf) == -1)
		fatal("file result");
}

/* n NUL-terminated strings from buf into out[], NULL after them. */
static int
split(char *buf, size_t len, uint32_t n, char **out)
{
	char		*end;
	size_t		 off = 0;
	uint32_t	 i;

	for (i = 0; i < n; i++) {
		if (off >= len ||
		    (end = memchr(buf + off, '\0', len - off)) == NULL)
			return -1;
		out[i] = buf + off;
		off = (size_t)(end - buf) + 1;
	}
	out[n] = NULL;
	return 0;
}

/*
 * Fork the command, then narrow init to its own filter (it forks no
 * more).  Exec's failure comes back over a CLOEXEC pipe: EOF means the
 * program runs.  Returns its pid, or -1 with *pr filled in.
 */
static pid_t
start_command(int *fds, int *code, struct presult *pr)
{
	struct exec_err	 ee;
	pid_t		 pid;
	ssize_t		 n;
	int		 i, ep[2];

	if (pipe2(ep, O_CLOEXEC) == -1) {
		pr->how = PR_SETUP_FAILED;
		*code = errno;
		snprintf(pr->reason, sizeof(pr->reason), "pipe: %s",
		    strerror(errno));
		return -1;
	}
	if ((pid = fork()) == -1) {
		pr->how = PR_SETUP_FAILED;
		*code = errno;
		snprintf(pr->reason, sizeof(pr->reason), "fork: %s",
		    strerror(errno));
		return -1;
	}
	if (pid == 0)
		command(fds, ep[1]);
	close(ep[1]);
	for (i = 0; i < WR_MAXFDS; i++)
		if (fds[i] != -1)
			close(fds[i]);
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0,
	    &init_filter) == -1)
		fatal("init's seccomp filter");
	while ((n = read(ep[0], &ee, sizeof(ee))) == -1 && errno == EINTR)
		;
	close(ep[0]);
	if (n != (ssize_t)sizeof(ee))
		return pid;
	/* It has exited, or will: reap it with the rest. */
	end_all();
	pr->how = ee.how == PR_SETUP_FAILED ? PR_SETUP_FAILED :
	    PR_EXEC_FAILED;
	*code = ee.err;
	ee.reason[sizeof(ee.reason) - 1] = '\0';
	strlcpy(pr->reason, ee.reason, sizeof(pr->reason));
	return -1;
}

/*
 * In the child: exactly the given fds at their numbers, /w, the job's
 * rlimits, its own process group, and exec.  The program's filter is
 * init's, inherited.
 */
static __dead void
command(const int *fds, int ep)
{
	struct rlimit	 rl;
	sigset_t	 none;
	const char	*name = cmd_argv[0], *path, *p, *next;
	char		 failed[PATH_MAX];
	int		 i, hi[WR_MAXFDS], keep[WR_MAXFDS + 1], nkeep = 0;
	int		 saved = 0;

	/* Above every target first, so no move overwrites another fd. */
	if ((ep = fcntl(ep, F_DUPFD_CLOEXEC, PROG_FDBASE)) == -1)
		_exit(127);
	for (i = 0; i < WR_MAXFDS; i++) {
		hi[i] = -1;
		if (fds[i] != -1 && (hi[i] = fcntl(fds[i], F_DUPFD_CLOEXEC,
		    PROG_FDBASE)) == -1)
			exec_fail(ep, PR_SETUP_FAILED, errno, "fd %d: %s", i,
			    strerror(errno));
	}
	for (i = 0; i < WR_MAXFDS; i++)
		if (hi[i] != -1) {
			if (dup2(hi[i], i) == -1)
				exec_fail(ep, PR_SETUP_FAILED, errno,
				    "fd %d: %s", i, strerror(errno));
			keep[nkeep++] = i;
		}
	keep[nkeep++] = ep;
	closefrom_except(0, keep, nkeep);
	if (chdir("/w") == -1)
		exec_fail(ep, PR_SETUP_FAILED, errno, "chdir /w: %s",
		    strerror(errno));

	/*
	 * The command's rlimits, all in one table: those the job sets only
	 * when given (0: none); core files never, files no larger than
	 * /w can hold.  The cgroup's CPU time is the limit; RLIMIT_CPU only
	 * backs it up, its hard limit a second later.
	 */
	{
		const struct {
			int		 res;
			uint64_t	 cur;
			uint64_t	 max;
			int		 always;
		} lims[] = {
			{ RLIMIT_CORE, 0, 0, 1 },
			{ RLIMIT_FSIZE, pj.file_size, pj.file_size, 1 },
			{ RLIMIT_STACK, pj.stack, pj.stack, 0 },
			{ RLIMIT_AS, pj.address_space, pj.address_space, 0 },
			{ RLIMIT_DATA, pj.data_segment, pj.data_segment, 0 },
			{ RLIMIT_NOFILE, pj.nofile, pj.nofile, 0 },
			{ RLIMIT_CPU, pj.cpu_secs, pj.cpu_secs + 1, 0 },
		};
		size_t	 l;

		for (l = 0; l < sizeof(lims) / sizeof(lims[0]); l++) {
			if (!lims[l].always && lims[l].cur == 0)
				continue;
			rl.rlim_cur = lims[l].cur;
			rl.rlim_max = lims[l].max;
			if (setrlimit(lims[l].res, &rl) == -1)
				goto limits;
		}
	}
	if (setpgid(0, 0) == -1)
		exec_fail(ep, PR_SETUP_FAILED, errno, "setpgid: %s",
		    strerror(errno));
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);

	if (strchr(name, '/') != NULL) {
		execve(name, cmd_argv, cmd_envp);
		exec_fail(ep, PR_EXEC_FAILED, errno, "execve %s: %s", name,
		    strerror(errno));
	}
	/* A bare name: /w first, then PATH, as go-judge looks. */
	path = PROG_PATH_DEFAULT;
	for (i = 0; cmd_envp[i] != NULL; i++)
		if (strncmp(cmd_envp[i], "PATH=", 5) == 0)
			path = cmd_envp[i] + 5;
	try_exec(ep, "/w", 2, &saved, failed, sizeof(failed));
	for (p = path; ; p = next + 1) {
		next = strchr(p, ':');
		try_exec(ep, p, next != NULL ? (size_t)(next - p) : strlen(p),
		    &saved, failed, sizeof(failed));
		if (next == NULL)
			break;
	}
	if (saved != 0)
		exec_fail(ep, PR_EXEC_FAILED, saved, "execve %s: %s", failed,
		    strerror(saved));
	exec_fail(ep, PR_EXEC_FAILED, ENOENT, "%s: not found in /w or PATH",
	    name);
limits:
	exec_fail(ep, PR_SETUP_FAILED, errno, "rlimits: %s", strerror(errno));
}

/*
 * execve dir/argv[0]; back only if it failed.  As execvp(3) does, a file
 * we may not run is remembered and the search goes on.
 */
static void
try_exec(int ep, const char *dir, size_t len, int *saved, char *failed,
    size_t failedlen)
{
	char	 file[PATH_MAX];

	if (len == 0 || snprintf(file, sizeof(file), "%.*s/%s", (int)len,
	    dir, cmd_argv[0]) >= (int)sizeof(file))
		return;
	execve(file, cmd_argv, cmd_envp);
	if (errno == EACCES && *saved == 0) {
		*saved = errno;
		strlcpy(failed, file, failedlen);
	} else if (errno != ENOENT && errno != ENOTDIR && errno != EACCES)
		exec_fail(ep, PR_EXEC_FAILED, errno, "execve %s: %s", file,
		    strerror(errno));
}

static __dead void
exec_fail(int ep, int how, int err, const char *fmt, ...)
{
	struct exec_err	 ee;
	va_list		 ap;

	memset(&ee, 0, sizeof(ee));
	ee.how = how;
	ee.err = err;
	va_start(ap, fmt);
	vsnprintf(ee.reason, sizeof(ee.reason), fmt, ap);
	va_end(ap);
	(void)write(ep, &ee, sizeof(ee));
	_exit(127);
}

/*
 * Wait for the command to end or for a dangerous call, reaping whatever
 * else ends meanwhile (orphans come to init).
 *
 * proc_peak counts the processes init finds in /proc when it looks:
 * whenever one of its children ends and every PROG_COUNT_MS while the
 * command runs, at least the command itself.  It misses processes that start and end between two
 * looks (a compiler's short passes, a fork bomb's quick deaths); the
 * cgroup's pids.peak, where the kernel has it, misses nothing.
 */
static void
init_wait(pid_t cmd, struct presult *pr)
{
	struct seccomp_notif	 notif;
	struct signalfd_siginfo	 si;
	struct pollfd		 pfd[2];
	const char		*name;
	char			 buf[WR_NAMELEN];
	pid_t			 pid;
	int			 n, status, done = 0;

	pfd[0].fd = listener;
	pfd[0].events = POLLIN;
	pfd[1].fd = sigfd;
	pfd[1].events = POLLIN;
	pr->proc_peak = 1;
	for (;;) {
		if ((n = poll(pfd, 2, PROG_COUNT_MS)) == -1) {
			if (errno == EINTR)
				continue;
			fatal("poll");
		}
		/* Before reaping: the command's zombie is counted too. */
		if ((n = count_procs()) > 0 && (uint64_t)n > pr->proc_peak)
			pr->proc_peak = (uint64_t)n;
		if (pfd[0].revents & POLLIN) {
			memset(&notif, 0, sizeof(notif));
			if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV,
			    &notif) == 0)
				break;
			/* ENOENT: its caller died meanwhile. */
		}
		if ((pfd[1].revents & POLLIN) == 0)
			continue;
		while (read(sigfd, &si, sizeof(si)) > 0)
			;
		while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
			if (pid == cmd)
				done = 1;
		if (done) {
			end_all();
			if (WIFSIGNALED(status)) {
				pr->how = PR_SIGNALLED;
				pr->code = WTERMSIG(status);
				snprintf(pr->reason, sizeof(pr->reason),
				    "killed by SIG%s", signame(pr->code));
			} else {
				pr->how = PR_EXITED;
				pr->code = WEXITSTATUS(status);
			}
			return;
		}
	}
	/* A dangerous call: nothing of it happens, nothing runs on. */
	end_all();
	pr->how = PR_SYSCALL;
	pr->code = (int32_t)notif.data.nr;
	if (notif.data.arch == AUDIT_ARCH_X86_64 &&
	    (notif.data.nr & X32_SYSCALL_BIT) != 0)
		snprintf(pr->reason, sizeof(pr->reason), "x32 system call %d "
		    "(another architecture)",
		    notif.data.nr & ~X32_SYSCALL_BIT);
	else if (notif.data.arch != AUDIT_ARCH_X86_64)
		snprintf(pr->reason, sizeof(pr->reason), "system call %d of "
		    "another architecture (0x%x)", notif.data.nr,
		    notif.data.arch);
	else if ((name = progsec_name(notif.data.arch, notif.data.nr, buf,
	    sizeof(buf))) != NULL)
		strlcpy(pr->reason, name, sizeof(pr->reason));
	else
		snprintf(pr->reason, sizeof(pr->reason), "system call %d",
		    notif.data.nr);
}

/* Processes in this pid namespace but init, or -1. */
static int
count_procs(void)
{
	DIR		*d;
	struct dirent	*de;
	int		 n = 0;

	if ((d = opendir("/proc")) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] >= '1' && de->d_name[0] <= '9')
			n++;
	closedir(d);
	return n - 1;
}

/* Kill every process but init and reap them all. */
static void
end_all(void)
{
	kill(-1, SIGKILL);
	while (waitpid(-1, NULL, 0) != -1 || errno == EINTR)
		;
}

static __dead void
send_presult(struct imsgbuf *ibuf, struct presult *pr)
{
	pr->reason[sizeof(pr->reason) - 1] = '\0';
	if (imsg_compose(ibuf, IMSG_PRESULT, 0, -1, pr, sizeof(*pr)) == -1 ||
	    imsgbuf_flush(ibuf) == -1)
		fatal("result");
	exit(0);
}
