/*
 * Cgroups for runners, v1 and v2.
 *
 * Every runner gets a fresh cgroup below the daemon's own cgroup (what
 * systemd's Delegate=yes hands over), never at the root of a hierarchy:
 *
 *	v1: /sys/fs/cgroup/{memory,pids}/<own>/webrunnerd/<name>
 *	v2: /sys/fs/cgroup/<own>/webrunnerd/<name>
 *
 * On v2 a cgroup with processes cannot hand controllers to its children,
 * so the monitor moves itself into a leaf <own>/monitor first.  A
 * program runner's cgroup is removed once the runner has been reaped; a
 * kernel runner's is kept for its slot's next runner (cgroup_reuse()),
 * since making and removing one cost more than the rest of a runner's
 * start together.
 *
 * The webrunnerd directories stay open (cg_basefd) and runners' cgroups
 * are made, opened and removed relative to them, which spares walking
 * the whole path from /sys/fs/cgroup (nine directories here) several
 * times per runner.  cg_base keeps the paths for messages.
 *
 * A cgroup that cannot be removed (its file system read-only for a while,
 * say) is remembered and removed once creating one works again, or at
 * shutdown, so that a passing fault leaves nothing behind.
 */
#include <sys/types.h>
#include <sys/stat.h>
#include <sys/statfs.h>

#include <linux/magic.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common.h"
#include "monitor.h"

#define CG_MOUNT	"/sys/fs/cgroup"
#define CG_DIRNAME	"webrunnerd"
#define CG_MAXSTALE	64	/* cgroups left to remove later */
/*
 * What a kept cgroup may still have charged once its runner is gone
 * (pages of files it read, which the next runner would find cached):
 * more, and it is replaced rather than handed a smaller share.
 */
#define CG_REUSE_SLACK	(1024 * 1024)

/*
 * The v1 controllers a runner's cgroup lives in: cpuacct, last, only
 * where it is mounted and only for a program runner; it measures a
 * program's CPU time, children included, while it runs.  A kernel
 * runner's CPU time is its own, from wait4(2), so it does not join
 * cpuacct: one write to a cgroup's tasks file less for every runner.
 */
static const char *v1_controllers[] = { "memory", "pids", "cpuacct" };
#define NV1	(sizeof(v1_controllers) / sizeof(v1_controllers[0]))
#define V1_CPUACCT	2

static int	 cg_version;		/* 1 or 2, 0 before cgroup_init */
/*
 * v1's cpu controller, for a program's cpuRateLimit, is kept apart, at
 * V1_CPU: only a cgroup made for it joins that hierarchy.  On v2 the cpu
 * controller is in the one directory, where it is available.
 */
#define V1_CPU	((int)NV1)
static char	 cg_base[NV1 + 1][PATH_MAX];	/* v2 uses cg_base[0] only */
static int	 cg_basefd[NV1 + 1] = { -1, -1, -1, -1 };
static int	 cg_nbase;
static int	 cg_have_cpu;		/* cgroup_set_cpu_rate() works */
static int	 cg_have_memory, cg_have_pids;
static int	 cg_have_memsw = 1;	/* v1: swap accounting is on */
static char	 cg_stale[CG_MAXSTALE][64];
static int	 cg_nstale;

static int	 write_at(int, const char *, const char *);
static int	 write_file(const char *, const char *);
static int	 memory_at(int, uint64_t, const char **);
static int	 read_at(int, const char *, char *, size_t);
static int	 kept_read(int *, int, const char *, char *, size_t);
static int	 pread_str(int, char *, size_t);
static int	 read_file(const char *, char *, size_t);
static int	 to_leaf(const char *, const char *);
static int	 own_path(const char *, char *, size_t);
static int	 open_base(int, char *, size_t);
static int	 sub_path(const char *, const char *, char *, size_t);
static int	 remove_dirs(const char *, int);
static void	 kill_members(int, const char *);
static int	 procs_cpu_ns(const char *, uint64_t *);
static int	 pids_at(int, uint32_t);
static int	 has_word(const char *, const char *);
static int	 nhier(void);

static int
write_file(const char *path, const char *s)
{
	return write_at(AT_FDCWD, path, s);
}

/* Write s to `file', relative to the directory dirfd (or AT_FDCWD). */
static int
write_at(int dirfd, const char *file, const char *s)
{
	ssize_t	 n;
	size_t	 len = strlen(s);
	int	 fd, saved;

	if ((fd = openat(dirfd, file, O_WRONLY | O_CLOEXEC)) == -1)
		return -1;
	/* A v1 memory limit gives EINTR if a signal is merely pending. */
	do
		n = write(fd, s, len);
	while (n == -1 && errno == EINTR);
	saved = errno;
	close(fd);
	errno = saved;
	if (n == -1)
		return -1;
	if ((size_t)n != len) {
		errno = EIO;
		return -1;
	}
	return 0;
}

static int
read_file(const char *path, char *buf, size_t len)
{
	return read_at(AT_FDCWD, path, buf, len);
}

/* Read `file', relative to dirfd, into buf as a string. */
static int
read_at(int dirfd, const char *file, char *buf, size_t len)
{
	ssize_t	 n;
	int	 fd;

	if ((fd = openat(dirfd, file, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n == -1)
		return -1;
	buf[n] = '\0';
	return 0;
}

/*
 * The monitor's own cgroup in a hierarchy, from /proc/self/cgroup: the
 * line "0::/path" for v2 (ctl == NULL), or the v1 line listing ctl.
 */
static int
own_path(const char *ctl, char *out, size_t len)
{
	FILE	*f;
	char	 line[PATH_MAX + 64], *ctls, *path, *tok, *save;
	int	 found = 0;

	if ((f = fopen("/proc/self/cgroup", "re")) == NULL)
		return -1;
	while (!found && fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if ((ctls = strchr(line, ':')) == NULL)
			continue;
		ctls++;
		if ((path = strchr(ctls, ':')) == NULL)
			continue;
		*path++ = '\0';
		if (ctl == NULL) {
			if (*ctls == '\0')
				found = 1;
		} else {
			for (tok = strtok_r(ctls, ",", &save); tok != NULL;
			    tok = strtok_r(NULL, ",", &save))
				if (strcmp(tok, ctl) == 0)
					found = 1;
		}
		if (found && strlcpy(out, path, len) >= len) {
			fclose(f);
			errno = ENAMETOOLONG;
			return -1;
		}
	}
	fclose(f);
	if (!found) {
		errno = ENOENT;
		return -1;
	}
	/* "/" becomes "" so paths join without a double slash. */
	if (strcmp(out, "/") == 0)
		out[0] = '\0';
	return 0;
}

/* "name/file" into out. */
static int
sub_path(const char *name, const char *file, char *out, size_t len)
{
	int	 n;

	n = snprintf(out, len, "%s/%s", name, file);
	if (n < 0 || (size_t)n >= len) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

/* Make cg_base[i] if need be and keep it open as cg_basefd[i]. */
static int
open_base(int i, char *err, size_t errlen)
{
	if (mkdir(cg_base[i], 0755) == -1 && errno != EEXIST) {
		snprintf(err, errlen, "mkdir %s: %s", cg_base[i],
		    strerror(errno));
		return -1;
	}
	if (cg_basefd[i] != -1)
		close(cg_basefd[i]);
	if ((cg_basefd[i] = open(cg_base[i], O_PATH | O_DIRECTORY |
	    O_CLOEXEC)) == -1) {
		snprintf(err, errlen, "open %s: %s", cg_base[i],
		    strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * Move every process of <own> (the monitor, and whatever else its
 * service started there) into <own>/monitor.
 */
static int
to_leaf(const char *mount, const char *own)
{
	char	 leaf[2 * PATH_MAX + 64], procs[3 * PATH_MAX + 64];
	char	 pids[65536], *line, *p;

	snprintf(leaf, sizeof(leaf), "%s%s/monitor", mount, own);
	if (mkdir(leaf, 0755) == -1 && errno != EEXIST)
		return -1;
	snprintf(procs, sizeof(procs), "%s%s/cgroup.procs", mount, own);
	if (read_file(procs, pids, sizeof(pids)) == -1)
		return -1;
	snprintf(procs, sizeof(procs), "%s/cgroup.procs", leaf);
	for (line = strtok_r(pids, "\n", &p); line != NULL;
	    line = strtok_r(NULL, "\n", &p))
		write_file(procs, line);
	return 0;
}

/* Whether `word' is one of the blank-separated words of list. */
static int
has_word(const char *list, const char *word)
{
	size_t		 n = strlen(word);
	const char	*p;

	for (p = list; (p = strstr(p, word)) != NULL; p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == '\0' ||
		    p[n] == ' ' || p[n] == '\n'))
			return 1;
	return 0;
}

/* The hierarchies a cgroup of ours may be in: v1's cpu too, if ours. */
static int
nhier(void)
{
	return cg_version == 1 && cg_have_cpu ? V1_CPU + 1 : cg_nbase;
}

int
cgroup_version(void)
{
	return cg_version;
}

/*
 * Find the hierarchy and create our directory below our own cgroup.
 * mount is "" for the system's layout, or the path of a cgroup2 mount to
 * use instead (config: cgroup v2 "PATH").
 */
int
cgroup_init(const char *mount, char *err, size_t errlen)
{
	struct statfs	 sfs;
	char		 own[PATH_MAX], path[2 * PATH_MAX + 64], buf[4096];
	size_t		 i;
	int		 n;

	cg_nbase = 0;
	if (mount[0] == '\0' && statfs(CG_MOUNT, &sfs) == 0 &&
	    sfs.f_type == CGROUP2_SUPER_MAGIC)
		mount = CG_MOUNT;
	if (mount[0] != '\0') {
		cg_version = 2;
		if (own_path(NULL, own, sizeof(own)) == -1) {
			snprintf(err, errlen, "no cgroup v2 entry in "
			    "/proc/self/cgroup: %s", strerror(errno));
			return -1;
		}
		n = snprintf(cg_base[0], sizeof(cg_base[0]), "%s%s/%s",
		    mount, own, CG_DIRNAME);
		if (n < 0 || (size_t)n >= sizeof(cg_base[0]))
			goto toolong;
		if (open_base(0, err, errlen) == -1)
			return -1;
		cg_nbase = 1;
		/*
		 * Our processes go to a leaf, <own>/monitor, beside
		 * webrunnerd/: v2 lets a cgroup hand controllers down only
		 * while it holds no process, and systemd asks the same of a
		 * unit with Delegate=yes.  The root of a hierarchy is exempt.
		 */
		if (own[0] != '\0' && to_leaf(mount, own) == -1) {
			snprintf(err, errlen, "cannot move into %s%s/monitor: "
			    "%s", mount, own, strerror(errno));
			return -1;
		}
		/*
		 * Hand memory and pids down: our own cgroup must enable them
		 * for webrunnerd/, and webrunnerd/ for the runners.
		 */
		snprintf(path, sizeof(path), "%s%s/cgroup.controllers", mount,
		    own);
		if (read_file(path, buf, sizeof(buf)) == -1)
			buf[0] = '\0';
		cg_have_memory = strstr(buf, "memory") != NULL;
		cg_have_pids = strstr(buf, "pids") != NULL;
		if (!(cg_have_cpu = has_word(buf, "cpu")))
			log_info("cgroup v2 at %s%s has no cpu controller: "
			    "cpuRateLimit is not enforced", mount, own);
		if (!cg_have_memory || !cg_have_pids)
			log_warnx("cgroup v2 at %s%s has no %s controller%s: "
			    "those limits are not enforced", mount, own,
			    !cg_have_memory && !cg_have_pids ? "memory and pids" :
			    !cg_have_memory ? "memory" : "pids",
			    !cg_have_memory && !cg_have_pids ? "s" : "");
		snprintf(buf, sizeof(buf), "%s%s", cg_have_memory ? "+memory " :
		    "", cg_have_pids ? "+pids" : "");
		if (buf[0] == '\0')
			return 0;
		snprintf(path, sizeof(path), "%s%s/cgroup.subtree_control",
		    mount, own);
		if (write_file(path, buf) == -1 ||
		    write_at(cg_basefd[0], "cgroup.subtree_control", buf) == -1)
			goto v2fail;
		/* Only a program's cpuRateLimit needs it: no failure. */
		if (cg_have_cpu && (write_file(path, "+cpu") == -1 ||
		    write_at(cg_basefd[0], "cgroup.subtree_control", "+cpu") ==
		    -1)) {
			log_warn("cgroup v2 at %s%s: cannot enable the cpu "
			    "controller; cpuRateLimit is not enforced", mount,
			    own);
			cg_have_cpu = 0;
		}
		return 0;
v2fail:
		snprintf(err, errlen, "cannot enable controllers \"%s\" below "
		    "%s%s: %s", buf, mount, own, strerror(errno));
		return -1;
	}

	cg_version = 1;
	for (i = 0; i < NV1; i++) {
		if (i == V1_CPUACCT && own_path(v1_controllers[i], own,
		    sizeof(own)) == -1)
			break;		/* CPU time is then not measured */
		if (own_path(v1_controllers[i], own, sizeof(own)) == -1) {
			snprintf(err, errlen, "cgroup v1 controller %s not "
			    "mounted", v1_controllers[i]);
			return -1;
		}
		n = snprintf(cg_base[i], sizeof(cg_base[i]), "%s/%s%s/%s",
		    CG_MOUNT, v1_controllers[i], own, CG_DIRNAME);
		if (n < 0 || (size_t)n >= sizeof(cg_base[i]))
			goto toolong;
		if (open_base(i, err, errlen) == -1) {
			if (i == V1_CPUACCT)
				break;	/* not ours to use (read-only) */
			return -1;
		}
	}
	cg_nbase = (int)i;
	cg_have_memory = cg_have_pids = 1;
	/* Only a program's cpuRateLimit needs it: no failure. */
	if (own_path("cpu", own, sizeof(own)) == -1)
		snprintf(err, errlen, "not mounted");
	else if ((n = snprintf(cg_base[V1_CPU], sizeof(cg_base[V1_CPU]),
	    "%s/cpu%s/%s", CG_MOUNT, own, CG_DIRNAME)) < 0 ||
	    (size_t)n >= sizeof(cg_base[V1_CPU]))
		snprintf(err, errlen, "path too long");
	else if (open_base(V1_CPU, err, errlen) == 0)
		cg_have_cpu = 1;
	if (!cg_have_cpu)
		log_info("cgroup v1 cpu controller: %s; cpuRateLimit is not "
		    "enforced", err);
	/* Without swap accounting memsw is absent: no need to try it. */
	cg_have_memsw = faccessat(cg_basefd[0],
	    "memory.memsw.limit_in_bytes", F_OK, 0) == 0;
	return 0;
toolong:
	snprintf(err, errlen, "cgroup path too long");
	return -1;
}

/*
 * Remove the cgroups of runners whose monitor is gone: a monitor killed
 * with SIGKILL leaves their (empty) directories behind.  Those of a
 * monitor that still runs, another daemon on this host, are left alone.
 * Returns how many were removed.
 */
int
cgroup_sweep(void)
{
	DIR		*d;
	struct dirent	*de;
	const char	*errstr;
	char		 pidstr[16], name[64];
	size_t		 n;
	pid_t		 pid;
	int		 i, fd, swept = 0;

	for (i = 0; i < nhier(); i++) {
		if (cg_basefd[i] == -1 || (fd = openat(cg_basefd[i], ".",
		    O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
			continue;
		if ((d = fdopendir(fd)) == NULL) {
			close(fd);
			continue;
		}
		while ((de = readdir(d)) != NULL) {
			if (strncmp(de->d_name, "runner-", 7) != 0)
				continue;
			n = strspn(de->d_name + 7, "0123456789");
			if (n == 0 || n >= sizeof(pidstr) ||
			    de->d_name[7 + n] != '-' ||
			    strlcpy(name, de->d_name, sizeof(name)) >=
			    sizeof(name))
				continue;
			memcpy(pidstr, de->d_name + 7, n);
			pidstr[n] = '\0';
			pid = (pid_t)strtonum(pidstr, 1, INT32_MAX, &errstr);
			if (errstr != NULL || pid == getpid() ||
			    kill(pid, 0) == 0 || errno != ESRCH)
				continue;
			if (cgroup_destroy(name) == 0)
				swept++;
		}
		closedir(d);
	}
	return swept;
}

/*
 * Create the cgroup `name' with its limits, with cpuacct and the cpu
 * controller too if `cpu' (a program's, cgroup_cpu_ns() and
 * cgroup_set_cpu_rate()).  Its directory in each
 * hierarchy is opened (O_PATH) into fds, at most max of them, for a
 * process that joins it from elsewhere (the runner template's clones
 * join it through them, cgroup_join()); the limits are written through
 * them too, which spares walking the whole path per file.
 * Returns how many fds, or -1.
 */
int
cgroup_create(const char *name, uint64_t memory, uint32_t pids, int cpu,
    int *fds, int max, char *err, size_t errlen)
{
	const char	*file;
	int		 i, b, n = 0, saved, nh;

	/* v1's cpuacct and cpu hierarchies only for one that asks. */
	if (cg_version == 2)
		nh = cg_nbase;
	else if (!cpu)
		nh = cg_nbase < V1_CPUACCT ? cg_nbase : V1_CPUACCT;
	else
		nh = cg_have_cpu ? V1_CPU + 1 : cg_nbase;
	if (nh > max) {
		snprintf(err, errlen, "cgroup %s: %d hierarchies", name, nh);
		return -1;
	}
	for (i = 0; i < nh; i++) {
		if (cg_basefd[i] == -1)
			continue;
		if ((mkdirat(cg_basefd[i], name, 0755) == -1 &&
		    errno != EEXIST) ||
		    (fds[n] = openat(cg_basefd[i], name, O_PATH | O_DIRECTORY |
		    O_CLOEXEC)) == -1) {
			snprintf(err, errlen, "cannot create cgroup %s/%s: %s",
			    cg_base[i], name, strerror(errno));
			goto fail;
		}
		n++;
	}
	b = 0;
	if (memory > 0 && memory_at(fds[b], memory, &file) == -1)
		goto setfail;
	b = cg_version == 2 ? 0 : 1;
	file = "pids.max";
	if (pids > 0 && pids_at(fds[b], pids) == -1)
		goto setfail;
	/* The cgroup file systems work: what could not go before, goes. */
	cgroup_retry();
	return n;
setfail:
	snprintf(err, errlen, "cannot set %s/%s/%s: %s", cg_base[b], name,
	    file, strerror(errno));
fail:
	saved = errno;
	for (i = 0; i < n; i++)
		close(fds[i]);
	/* Not in the hierarchies done before the failure either. */
	cgroup_destroy(name);
	errno = saved;
	return -1;
}

/*
 * A slot's hold on a cgroup it has just made with these limits.
 */
void
cgroup_kept_init(struct cgroup_kept *k, uint64_t memory, uint32_t pids)
{
	k->procs = k->charged = k->ooms = -1;
	k->memory = memory;
	k->pids = pids;
}

void
cgroup_kept_close(struct cgroup_kept *k)
{
	if (k->procs != -1)
		close(k->procs);
	if (k->charged != -1)
		close(k->charged);
	if (k->ooms != -1)
		close(k->ooms);
	cgroup_kept_init(k, 0, 0);
}

/* Read the open cgroup file fd into buf as a string, from its start. */
static int
pread_str(int fd, char *buf, size_t len)
{
	ssize_t	 n;

	if ((n = pread(fd, buf, len - 1, 0)) == -1)
		return -1;
	buf[n] = '\0';
	return 0;
}

/*
 * Read `file' of the cgroup directory dirfd into buf as a string, through
 * *fd, which keeps it open from one call to the next.  A cgroup file
 * read from offset 0 is made anew, so it is never stale.
 */
static int
kept_read(int *fd, int dirfd, const char *file, char *buf, size_t len)
{
	if (*fd == -1 && (*fd = openat(dirfd, file, O_RDONLY |
	    O_CLOEXEC)) == -1)
		return -1;
	return pread_str(*fd, buf, len);
}

/*
 * Make the cgroup `name', whose nfds directories fds holds (as
 * cgroup_create() gave them), ready for its slot's next runner: nothing
 * may be left in it, nor more than CG_REUSE_SLACK bytes charged to it,
 * its limits are written again where they changed, and its file systems
 * must still be writable (a runner could not join it otherwise).  The
 * files read for it stay open in *k.  *ooms gets how often its memory
 * limit has killed so far, for cgroup_kept_ooms() to count from.  -1,
 * with why in err, when it must be replaced by a new one instead.
 */
int
cgroup_reuse(const char *name, const int *fds, int nfds,
    struct cgroup_kept *k, uint64_t memory, uint32_t pids, uint64_t *ooms,
    char *err, size_t errlen)
{
	char		 buf[64];
	const char	*file;
	uint64_t	 used;
	int		 b = 0;

	/*
	 * On v1 a cgroup.procs kept open keeps answering the list it first
	 * read for a second: there it is opened anew.
	 */
	file = "cgroup.procs";
	if ((cg_version == 2 ? kept_read(&k->procs, fds[0], file, buf,
	    sizeof(buf)) : read_at(fds[0], file, buf, sizeof(buf))) == -1)
		goto fail;
	if (buf[0] != '\0') {
		snprintf(err, errlen, "cgroup %s/%s still has processes",
		    cg_base[0], name);
		return -1;
	}
	file = cg_version == 2 ? "memory.current" : "memory.usage_in_bytes";
	if (cg_have_memory) {
		if (kept_read(&k->charged, fds[0], file, buf, sizeof(buf)) ==
		    -1)
			goto fail;
		used = strtoull(buf, NULL, 10);
		if (used > CG_REUSE_SLACK) {
			snprintf(err, errlen, "cgroup %s/%s still has %llu "
			    "bytes charged", cg_base[0], name,
			    (unsigned long long)used);
			return -1;
		}
	}
	/* Without opening anything for writing, which a remount would see. */
	file = "cgroup.procs";
	for (b = 0; b < nfds; b++)
		if (faccessat(fds[b], file, W_OK, AT_EACCESS) == -1)
			goto fail;
	b = 0;
	if (memory > 0 && memory != k->memory) {
		k->memory = 0;
		if (memory_at(fds[0], memory, &file) == -1)
			goto fail;
		k->memory = memory;
	}
	b = cg_version == 2 ? 0 : 1;
	file = "pids.max";
	if (pids > 0 && pids != k->pids) {
		k->pids = 0;
		if (pids_at(fds[b], pids) == -1)
			goto fail;
		k->pids = pids;
	}
	*ooms = cgroup_kept_ooms(name, k);
	return 0;
fail:
	snprintf(err, errlen, "cannot reuse cgroup %s/%s (%s): %s",
	    cg_base[b], name, file, strerror(errno));
	return -1;
}

/*
 * Set the memory limit (no swap beyond it) of `name', and remember it in
 * *k, the slot's record of what cgroup_reuse() last wrote; on failure
 * `path' names the file that could not be written.  A cgroup whose
 * memory controller is absent has nothing to set.
 */
int
cgroup_set_memory(const char *name, struct cgroup_kept *k, uint64_t memory,
    char *path, size_t len)
{
	const char	*file = "";
	int		 fd, rc, saved;

	if (!cg_have_memory)
		return 0;
	k->memory = 0;
	if ((fd = openat(cg_basefd[0], name, O_PATH | O_DIRECTORY |
	    O_CLOEXEC)) == -1) {
		snprintf(path, len, "%s/%s", cg_base[0], name);
		return -1;
	}
	rc = memory_at(fd, memory, &file);
	saved = errno;
	close(fd);
	if (rc == -1)
		snprintf(path, len, "%s/%s/%s", cg_base[0], name, file);
	else
		k->memory = memory;
	errno = saved;
	return rc;
}

/*
 * The memory limit, no swap beyond it, in the cgroup directory dirfd;
 * *file names what could not be written.
 */
static int
memory_at(int dirfd, uint64_t memory, const char **file)
{
	char	 val[32];

	if (!cg_have_memory)
		return 0;
	snprintf(val, sizeof(val), "%llu", (unsigned long long)memory);
	if (cg_version == 2) {
		*file = "memory.max";
		if (write_at(dirfd, *file, val) == -1)
			return -1;
		/* Absent without swap. */
		write_at(dirfd, "memory.swap.max", "0");
		return 0;
	}
	/*
	 * v1: the limit must stay at most memsw's, so it goes first when
	 * it comes down, and memsw first when it goes up (a kept cgroup's
	 * limit back up after a request that asked for less).
	 */
	*file = "memory.limit_in_bytes";
	if (write_at(dirfd, *file, val) == 0) {
		if (cg_have_memsw)
			write_at(dirfd, "memory.memsw.limit_in_bytes", val);
		return 0;
	}
	if (errno != EINVAL || !cg_have_memsw ||
	    write_at(dirfd, "memory.memsw.limit_in_bytes", val) == -1 ||
	    write_at(dirfd, *file, val) == -1)
		return -1;
	return 0;
}

/* The task limit, in the cgroup directory dirfd of the pids hierarchy. */
static int
pids_at(int dirfd, uint32_t pids)
{
	char	 val[32];

	if (!cg_have_pids)
		return 0;
	snprintf(val, sizeof(val), "%u", pids);
	return write_at(dirfd, "pids.max", val);
}

/*
 * How often the memory limit killed something in `name' (or, where the
 * kernel does not count kills, how often it was reached), since the
 * cgroup was made.
 */
uint64_t
cgroup_oom_kills(const char *name)
{
	struct cgroup_kept	 k;
	uint64_t		 n;

	cgroup_kept_init(&k, 0, 0);
	n = cgroup_kept_ooms(name, &k);
	cgroup_kept_close(&k);
	return n;
}

/* The same, through the file k keeps open for it. */
uint64_t
cgroup_kept_ooms(const char *name, struct cgroup_kept *k)
{
	char	 buf[1024], *p;
	int	 dirfd;

	if (!cg_have_memory)
		return 0;
	if (k->ooms == -1) {
		if ((dirfd = openat(cg_basefd[0], name, O_PATH | O_DIRECTORY |
		    O_CLOEXEC)) == -1)
			return 0;
		if (cg_version == 2)
			k->ooms = openat(dirfd, "memory.events", O_RDONLY |
			    O_CLOEXEC);
		else {
			k->ooms = openat(dirfd, "memory.oom_control",
			    O_RDONLY | O_CLOEXEC);
			if (k->ooms != -1 && (pread_str(k->ooms, buf,
			    sizeof(buf)) == -1 ||
			    strstr(buf, "oom_kill ") == NULL)) {
				close(k->ooms);
				k->ooms = -1;
			}
			/* An older kernel counts when it was reached only. */
			if (k->ooms == -1)
				k->ooms = openat(dirfd, "memory.failcnt",
				    O_RDONLY | O_CLOEXEC);
		}
		close(dirfd);
	}
	if (k->ooms == -1 || pread_str(k->ooms, buf, sizeof(buf)) == -1)
		return 0;
	if ((p = strstr(buf, "oom_kill ")) != NULL)
		return strtoull(p + 9, NULL, 10);
	return strtoull(buf, NULL, 10);
}

/* Read the number after `key' (or the first, key NULL) in hierarchy i. */
static int
read_number(int i, const char *name, const char *file, const char *key,
    uint64_t *out)
{
	char	 path[PATH_MAX], buf[4096], *p = buf;

	if (i >= cg_nbase || sub_path(name, file, path, sizeof(path)) == -1 ||
	    read_at(cg_basefd[i], path, buf, sizeof(buf)) == -1)
		return -1;
	if (key != NULL && (p = strstr(buf, key)) == NULL)
		return -1;
	if (key != NULL)
		p += strlen(key);
	if (*p < '0' || *p > '9')
		return -1;
	*out = strtoull(p, NULL, 10);
	return 0;
}

/* The CPU time of everything in `name' so far, in ns; -1 if unknown. */
int
cgroup_cpu_ns(const char *name, uint64_t *ns)
{
	uint64_t	 us;

	if (cg_version == 2) {
		if (read_number(0, name, "cpu.stat", "usage_usec ", &us) == -1)
			return -1;
		*ns = us * 1000;
		return 0;
	}
	if (cg_nbase > V1_CPUACCT)
		return read_number(V1_CPUACCT, name, "cpuacct.usage", NULL,
		    ns);
	return procs_cpu_ns(name, ns);
}

/*
 * Without cpuacct: the CPU time of every process in `name' (memory
 * hierarchy), with that of the children each has reaped.  A process's
 * children are reaped by it or, orphaned, by the runner, which is in
 * `name' too until it is reaped itself, so nothing is counted twice and
 * only what ended since the last look, unreaped, is missed.  In clock
 * ticks: coarser than cpuacct, good enough to enforce a limit.
 */
static int
procs_cpu_ns(const char *name, uint64_t *ns)
{
	char			 path[PATH_MAX], buf[8192], stat[1024];
	char			*line, *save, *p;
	unsigned long long	 t[4];
	uint64_t		 ticks = 0;
	long			 hz = sysconf(_SC_CLK_TCK);
	int			 fd, i;
	ssize_t			 n;

	if (hz <= 0 || sub_path(name, "cgroup.procs", path, sizeof(path)) ==
	    -1 || read_at(cg_basefd[0], path, buf, sizeof(buf)) == -1)
		return -1;
	for (line = strtok_r(buf, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		snprintf(path, sizeof(path), "/proc/%s/stat", line);
		if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
			continue;	/* gone since */
		n = read(fd, stat, sizeof(stat) - 1);
		close(fd);
		if (n <= 0)
			continue;
		stat[n] = '\0';
		/* After the command's name, which may hold anything. */
		if ((p = strrchr(stat, ')')) == NULL)
			continue;
		/* The ')' ends field 2; utime is field 14, 12 on. */
		for (i = 0; i < 12 && p != NULL; i++)
			p = strchr(p + 1, ' ');
		if (p == NULL || sscanf(p, " %llu %llu %llu %llu", &t[0],
		    &t[1], &t[2], &t[3]) != 4)
			continue;
		ticks += t[0] + t[1] + t[2] + t[3];
	}
	*ns = ticks * (1000000000ULL / (uint64_t)hz);
	return 0;
}

/* The most memory `name' used at once, in bytes; -1 if unknown. */
int
cgroup_memory_peak(const char *name, uint64_t *bytes)
{
	if (!cg_have_memory)
		return -1;
	return read_number(0, name, cg_version == 2 ? "memory.peak" :
	    "memory.max_usage_in_bytes", NULL, bytes);
}

/* The most tasks `name' held at once (v2 only); -1 if unknown. */
int
cgroup_pids_peak(const char *name, uint64_t *n)
{
	if (cg_version != 2 || !cg_have_pids)
		return -1;
	return read_number(0, name, "pids.peak", NULL, n);
}

/*
 * Let `name' use at most rate thousandths of a CPU (0: no limit), over
 * periods of 100 ms.  -1 with ENOTSUP where no cpu controller is ours.
 */
int
cgroup_set_cpu_rate(const char *name, uint64_t rate)
{
	char	 path[PATH_MAX], val[64];
	uint64_t quota;

	if (!cg_have_cpu) {
		errno = ENOTSUP;
		return -1;
	}
	/* The kernel takes no quota under 1 ms. */
	quota = rate * 100;
	if (quota < 1000)
		quota = 1000;
	if (cg_version == 2) {
		if (rate == 0)
			snprintf(val, sizeof(val), "max 100000");
		else
			snprintf(val, sizeof(val), "%llu 100000",
			    (unsigned long long)quota);
		if (sub_path(name, "cpu.max", path, sizeof(path)) == -1)
			return -1;
		return write_at(cg_basefd[0], path, val);
	}
	if (rate == 0)
		snprintf(val, sizeof(val), "-1");
	else
		snprintf(val, sizeof(val), "%llu", (unsigned long long)quota);
	if (sub_path(name, "cpu.cfs_quota_us", path, sizeof(path)) == -1)
		return -1;
	return write_at(cg_basefd[V1_CPU], path, val);
}

/* Set the task limit of `name', and remember it in *k. */
int
cgroup_set_pids(const char *name, struct cgroup_kept *k, uint32_t pids)
{
	char	 path[PATH_MAX], val[32];

	if (!cg_have_pids)
		return 0;
	k->pids = 0;
	snprintf(val, sizeof(val), "%u", pids);
	if (sub_path(name, "pids.max", path, sizeof(path)) == -1 ||
	    write_at(cg_basefd[cg_version == 2 ? 0 : 1], path, val) == -1)
		return -1;
	k->pids = pids;
	return 0;
}

/*
 * Remove `name', killing whatever is left in it first.  The runner is pid
 * 1 of its own pid namespace, so once it is reaped nothing should remain;
 * the kill covers a cgroup whose runner never got that far.  A cgroup that
 * cannot be removed now is tried again later (cgroup_retry()).
 */
int
cgroup_destroy(const char *name)
{
	int	 i;

	if (remove_dirs(name, 100) == 0)
		return 0;
	for (i = 0; i < cg_nstale; i++)
		if (strcmp(cg_stale[i], name) == 0)
			return -1;
	if (cg_nstale == CG_MAXSTALE) {
		log_warnx("cgroup %s: too many cgroups wait to be removed, "
		    "this one is left", cg_stale[0]);
		memmove(cg_stale[0], cg_stale[1],
		    sizeof(cg_stale[0]) * --cg_nstale);
	}
	if (strlcpy(cg_stale[cg_nstale], name, sizeof(cg_stale[0])) <
	    sizeof(cg_stale[0]))
		cg_nstale++;
	return -1;
}

/*
 * Try again to remove the cgroups that could not be removed before, once
 * each: a cgroup still busy must not hold up the caller, a runner's spawn.
 */
void
cgroup_retry(void)
{
	int	 i, removed = 0;

	for (i = 0; i < cg_nstale; )
		if (remove_dirs(cg_stale[i], 1) == 0) {
			memmove(cg_stale[i], cg_stale[i + 1],
			    sizeof(cg_stale[0]) * (size_t)(cg_nstale - i - 1));
			cg_nstale--;
			removed++;
		} else
			i++;
	if (removed > 0)
		log_info("removed %d runner cgroup%s that could not be removed "
		    "before", removed, removed == 1 ? "" : "s");
}

/*
 * rmdir `name' in every hierarchy, at most `tries' times each, a
 * millisecond apart; a busy one has what is in it killed between tries.
 */
static int
remove_dirs(const char *name, int tries)
{
	int	 i, t, rc = 0;
	struct timespec ts = { 0, 1000000 };

	for (i = 0; i < nhier(); i++) {
		if (cg_basefd[i] == -1)
			continue;
		for (t = 0; t < tries; t++) {
			if (unlinkat(cg_basefd[i], name, AT_REMOVEDIR) == 0 ||
			    errno == ENOENT)
				break;
			if (errno != EBUSY) {
				/* A read-only mount says so before it looks. */
				if (faccessat(cg_basefd[i], name, F_OK,
				    AT_SYMLINK_NOFOLLOW) == -1 &&
				    errno == ENOENT)
					break;
				rc = -1;
				break;
			}
			kill_members(i, name);
			if (t + 1 < tries)
				nanosleep(&ts, NULL);
		}
		if (t == tries)
			rc = -1;
	}
	return rc;
}

/*
 * SIGKILL every process of `name' but keep, a runner's init, which then
 * sees its command end.  -1 if its members cannot be read.
 */
int
cgroup_kill_others(const char *name, pid_t keep)
{
	char	 path[PATH_MAX], buf[8192], *line, *p;
	pid_t	 pid;

	if (sub_path(name, "cgroup.procs", path, sizeof(path)) == -1 ||
	    read_at(cg_basefd[0], path, buf, sizeof(buf)) == -1)
		return -1;
	for (line = strtok_r(buf, "\n", &p); line != NULL;
	    line = strtok_r(NULL, "\n", &p))
		if ((pid = (pid_t)strtol(line, NULL, 10)) > 0 && pid != keep)
			kill(pid, SIGKILL);
	return 0;
}

/* SIGKILL whatever is in `name' in hierarchy i: cgroup.kill on v2. */
static void
kill_members(int i, const char *name)
{
	char	 path[PATH_MAX], buf[4096], *line, *p;

	if (cg_version == 2 &&
	    sub_path(name, "cgroup.kill", path, sizeof(path)) == 0 &&
	    write_at(cg_basefd[i], path, "1") == 0)
		return;
	if (sub_path(name, "cgroup.procs", path, sizeof(path)) == -1 ||
	    read_at(cg_basefd[i], path, buf, sizeof(buf)) == -1)
		return;
	for (line = strtok_r(buf, "\n", &p); line != NULL;
	    line = strtok_r(NULL, "\n", &p))
		kill((pid_t)strtol(line, NULL, 10), SIGKILL);
}
