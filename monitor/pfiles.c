/*
 * A program command's files: what copyIn puts in its /w before it runs,
 * and what copyOut brings back once it has ended (webrunnerd-api(7)).
 *
 * The monitor never opens a path for either.  copyIn contents come from
 * the network process as sealed memfds, which the runner writes under
 * /w.  copyOut files are opened by the runner's init inside its own
 * mount namespace, beneath /w and refusing every symbolic link
 * (openat2(2) RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS), after everything
 * of the command has been killed; the monitor only reads the descriptor
 * it is given, and only if it is a regular file, at most copyOutMax bytes
 * of it.  So a program that leaves /w/out pointing at /etc/shadow gets a
 * File Error, never a host file.
 *
 * A copyOutCached file, or a collector's output named in copyOutCached,
 * goes into the file store (store.c) instead, copied into a sealed memfd
 * of its own; the answer gives its id under fileIds.
 *
 * The one host file the monitor opens for a client is a `src' input, and
 * only beneath a directory the operator allowed (`program src-allow'),
 * resolved so that no `..' or link leads out of it (src_open()); it is
 * copied into a sealed memfd at once, so that the program never holds a
 * descriptor of a host file.
 */
#include <sys/types.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include <linux/openat2.h>

#include <fcntl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event.h>
#include <jansson.h>

#include "common.h"
#include "monitor.h"

/* go-judge's names of the fileError types (envexec/cmd.go). */
const char *const pfile_err_names[PFE_MAX] = {
	"", "CopyInOpenFile", "CopyInCreateDir", "CopyInCreateFile",
	"CopyInCopyContent", "CopyOutOpen", "CopyOutNotRegularFile",
	"CopyOutSizeExceeded", "CopyOutCreateFile", "CopyOutCopyContent",
	"CollectSizeExceeded", "Symlink"
};

static void	 file_error(json_t *, const char *, uint32_t, const char *,
		    char *, size_t);
static json_t	*read_out(int, uint64_t, char *, size_t);
static int	 cache_out(int, const char *, uint64_t, const char *,
		    json_t *, char *, size_t);

void
pcopy_init(struct pcopy *pc)
{
	int	 i;

	memset(pc, 0, sizeof(*pc));
	for (i = 0; i < WR_MAXCOPY; i++)
		pc->infd[i] = pc->outfd[i] = -1;
}

void
pcopy_free(struct pcopy *pc)
{
	int	 i;

	for (i = 0; i < WR_MAXCOPY; i++) {
		if (pc->infd[i] != -1)
			close(pc->infd[i]);
		if (pc->outfd[i] != -1)
			close(pc->outfd[i]);
		pc->infd[i] = pc->outfd[i] = -1;
	}
}

/* IMSG_PRUN_COPYIN, for the command being put together.  -1: violation. */
int
pcopy_in(struct pcopy *pc, struct imsg *imsg)
{
	struct prun_copyin	 ci;
	uint64_t		 size;
	int			 fd;

	fd = imsg_take_fd(imsg);
	if (imsg_get_data(imsg, &ci, sizeof(ci)) == -1 ||
	    memchr(ci.target, '\0', sizeof(ci.target)) == NULL ||
	    (ci.target[0] == '\0' ? memfd_check_sealed(fd, &size) == -1 :
	    fd != -1)) {
		if (fd != -1)
			close(fd);
		return -1;
	}
	return pcopy_add(pc, ci.path, fd, ci.target);
}

/*
 * A copyIn file at path holding what the sealed memfd fd holds (-1: it
 * could not be had; pcopy_fail() says why), or with a target a symbolic
 * link to it.  The pcopy owns fd from here.  -1 for a path or count the
 * network process cannot have sent.
 */
int
pcopy_add(struct pcopy *pc, const char *path, int fd, const char *target)
{
	if (pc->nin >= WR_MAXCOPY ||
	    wpath_bad(path, strnlen(path, WR_PATHLEN)) != NULL) {
		if (fd != -1)
			close(fd);
		return -1;
	}
	pc->infd[pc->nin] = fd;
	strlcpy(pc->inpath[pc->nin], path, sizeof(pc->inpath[0]));
	strlcpy(pc->intarget[pc->nin], target != NULL ? target : "",
	    sizeof(pc->intarget[0]));
	pc->nin++;
	return 0;
}

/* A file of the command that could not be had: it will not run. */
void
pcopy_fail(struct pcopy *pc, const char *name, uint32_t err,
    const char *why)
{
	if (pc->inerr.err != PFE_OK)
		return;
	pc->inerr.err = err;
	strlcpy(pc->inerr.reason, why, sizeof(pc->inerr.reason));
	strlcpy(pc->inerr_name, name, sizeof(pc->inerr_name));
}

/*
 * Open the host file src for a client: only beneath a `program
 * src-allow' directory, resolved there with RESOLVE_BENEATH, so that
 * neither `..' nor a link (absolute, or relative and climbing out) leads
 * anywhere else, and only a regular file of at most max bytes.  Returns
 * a sealed memfd holding a copy, or -1 with why and in *code 400 for a
 * path the client may not ask for, 0 for a file that cannot be had.
 */
int
src_open(const char *src, uint64_t max, int *code, char *why,
    size_t whylen)
{
	const struct config	*c = mon->conf;
	struct open_how		 how;
	struct stat		 st;
	const char		*rest = NULL;
	size_t			 n;
	uint32_t		 i;
	int			 dfd = -1, fd = -1, mfd;

	*code = 0;
	for (i = 0; i < c->nprogram_src && rest == NULL; i++) {
		n = strlen(c->program_src[i]);
		if (strncmp(src, c->program_src[i], n) == 0 && src[n] == '/' &&
		    src[n + 1] != '\0')
			rest = src + n + 1;
	}
	if (rest == NULL) {
		*code = 400;
		snprintf(why, whylen, "src %.200s: not beneath a directory "
		    "allowed by program src-allow", src);
		return -1;
	}
	if ((dfd = open(c->program_src[i - 1], O_PATH | O_DIRECTORY |
	    O_CLOEXEC)) == -1) {
		snprintf(why, whylen, "src %.200s: %s", src, strerror(errno));
		return -1;
	}
	memset(&how, 0, sizeof(how));
	how.flags = O_RDONLY | O_NONBLOCK | O_CLOEXEC;
	how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
	if ((fd = (int)syscall(SYS_openat2, dfd, rest, &how,
	    sizeof(how))) == -1) {
		if (errno == EXDEV)
			*code = 400;
		snprintf(why, whylen, "src %.200s: %s", src, errno == EXDEV ?
		    "leads out of its src-allow directory" : strerror(errno));
		goto fail;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		snprintf(why, whylen, "src %.200s: not a regular file", src);
		goto fail;
	}
	if ((uint64_t)st.st_size > max) {
		snprintf(why, whylen, "src %.200s: larger than %llu bytes", src,
		    (unsigned long long)max);
		goto fail;
	}
	if ((mfd = store_memfd(fd, NULL, (uint64_t)st.st_size)) == -1)
		snprintf(why, whylen, "src %.200s: %s", src, strerror(errno));
	close(fd);
	close(dfd);
	return mfd;
fail:
	if (fd != -1)
		close(fd);
	close(dfd);
	return -1;
}

/* The copyIn files to the runner, before its job. */
int
pcopy_send(struct pcopy *pc, struct proc *p, uint32_t reqid)
{
	struct pjob_copyin	 ci;
	uint32_t		 i;

	for (i = 0; i < pc->nin; i++) {
		memset(&ci, 0, sizeof(ci));
		strlcpy(ci.path, pc->inpath[i], sizeof(ci.path));
		strlcpy(ci.target, pc->intarget[i], sizeof(ci.target));
		/* The runner reads it by offset: where it stands is no matter. */
		if (proc_compose(p, IMSG_PJOB_COPYIN, reqid, pc->infd[i], &ci,
		    sizeof(ci)) == -1) {
			pc->infd[i] = -1;
			return -1;
		}
		pc->infd[i] = -1;
	}
	return 0;
}

/*
 * IMSG_PFILE from the runner: a copyIn file it could not make, or what
 * became of a copyOut name.  -1, a violation, for what it cannot have
 * meant.
 */
int
pcopy_result(struct pcopy *pc, const struct pjob *job, struct imsg *imsg)
{
	struct pfile_res	 fr;
	int			 fd;

	fd = imsg_take_fd(imsg);
	if (imsg_get_data(imsg, &fr, sizeof(fr)) == -1 || fr.err >= PFE_MAX)
		goto bad;
	str_clean(fr.reason, sizeof(fr.reason), fr.reason, sizeof(fr.reason));
	if (fr.copyin) {
		if (fr.index >= pc->nin || fr.err == PFE_OK || fd != -1 ||
		    pc->inerr.err != PFE_OK)
			goto bad;
		pcopy_fail(pc, pc->inpath[fr.index], fr.err, fr.reason);
		return 0;
	}
	if (fr.index >= job->ncopyout || pc->outgot[fr.index] ||
	    (fr.err == PFE_OK) != (fd != -1))
		goto bad;
	pc->out[fr.index] = fr;
	pc->outfd[fr.index] = fd;
	pc->outgot[fr.index] = 1;
	return 0;
bad:
	if (fd != -1)
		close(fd);
	return -1;
}

/*
 * The command's copyOut files into files (name: content), its
 * copyOutCached files into the store and their ids into fileids (name:
 * id), and what went wrong into errors (go-judge's fileError).  Returns
 * how many went wrong, the first one's message in first.  An optional
 * name that could not be opened is no error, as in go-judge; nor is a
 * name of a command that did not run.
 */
size_t
pcopy_answer(struct pcopy *pc, const struct pjob *job, json_t *files,
    json_t *fileids, json_t *errors, char *first, size_t firstlen)
{
	const struct pcopyout	*co;
	struct stat		 st;
	json_t			*content;
	char			 msg[WR_REASONLEN + WR_PATHLEN];
	char			 name[WR_PATHLEN + 3];
	size_t			 nerr = 0;
	uint32_t		 i;
	uint64_t		 n;

	first[0] = '\0';
	if (pc->inerr.err != PFE_OK) {
		file_error(errors, pc->inerr_name, pc->inerr.err,
		    pc->inerr.reason, first, firstlen);
		return 1;
	}
	for (i = 0; i < job->ncopyout; i++) {
		co = &job->copyout[i];
		/* Under the name the client gave: Hydro writes /w/tout. */
		snprintf(name, sizeof(name), "%s%s", (co->flags &
		    CO_ABSOLUTE) ? "/w/" : "", co->name);
		if (!pc->outgot[i])
			continue;
		if (pc->out[i].err != PFE_OK) {
			if ((co->flags & CO_OPTIONAL) &&
			    pc->out[i].err == PFE_COPYOUT_OPEN)
				continue;
			file_error(errors, name, pc->out[i].err,
			    pc->out[i].reason, first, firstlen);
			nerr++;
			continue;
		}
		/* The runner's word is checked on the file itself. */
		if (fstat(pc->outfd[i], &st) == -1 || !S_ISREG(st.st_mode)) {
			file_error(errors, name, PFE_COPYOUT_NOTREG,
			    "not a regular file", first, firstlen);
			nerr++;
			continue;
		}
		n = (uint64_t)st.st_size;
		if (n > job->copyout_max) {
			snprintf(msg, sizeof(msg), "%s: %llu bytes, more than "
			    "copyOutMax (%llu)", name,
			    (unsigned long long)n,
			    (unsigned long long)job->copyout_max);
			file_error(errors, name, PFE_COPYOUT_SIZE, msg,
			    first, firstlen);
			nerr++;
			if (!job->copyout_truncate)
				continue;
			n = job->copyout_max;
		}
		if (co->flags & CO_CACHED) {
			if (cache_out(pc->outfd[i], NULL, n, name, fileids,
			    msg, sizeof(msg)) == -1) {
				file_error(errors, name,
				    PFE_COPYOUT_CREATE, msg, first, firstlen);
				nerr++;
			}
			continue;
		}
		if ((content = read_out(pc->outfd[i], n, msg,
		    sizeof(msg))) == NULL) {
			file_error(errors, name, PFE_COPYOUT_COPY, msg,
			    first, firstlen);
			nerr++;
			continue;
		}
		json_object_set_new(files, name, content);
	}
	return nerr;
}

/*
 * What a collector collected: into files, or with cached into the store
 * and its id into fileids.  Past its max, a CollectSizeExceeded entry in
 * errors, which is no File Error: the status says Output Limit Exceeded.
 * Returns 1 if it could not be stored, else 0.
 */
size_t
pcopy_collected(const char *name, const char *buf, size_t len, int over,
    int cached, json_t *files, json_t *fileids, json_t *errors,
    char *first, size_t firstlen)
{
	char	 msg[WR_REASONLEN + WR_NAMELEN];

	if (over)
		json_array_append_new(errors, json_pack("{s:s, s:s}", "name",
		    name, "type", pfile_err_names[PFE_COLLECT_SIZE]));
	if (!cached) {
		json_object_set_new(files, name, json_utf8_string(buf, len));
		return 0;
	}
	if (cache_out(-1, buf, len, name, fileids, msg, sizeof(msg)) == 0)
		return 0;
	file_error(errors, name, PFE_COPYOUT_CREATE, msg, first, firstlen);
	return 1;
}

/*
 * n bytes of fd, or of buf with fd -1, into the file store under name,
 * its id into fileids.  -1 with why.
 */
static int
cache_out(int fd, const char *buf, uint64_t n, const char *name,
    json_t *fileids, char *why, size_t whylen)
{
	char	 id[WR_FILEIDLEN];
	int	 mfd;

	if ((mfd = store_memfd(fd, buf, n)) == -1) {
		snprintf(why, whylen, "%s: %s", name, strerror(errno));
		return -1;
	}
	if (store_put(mfd, n, name, id, why, whylen) != 0) {
		close(mfd);
		return -1;
	}
	json_object_set_new(fileids, name, json_string(id));
	return 0;
}

/* Files stored for an answer nobody will read: their ids are lost. */
void
pcopy_uncache(json_t *fileids)
{
	const char	*name;
	json_t		*id;

	json_object_foreach(fileids, name, id)
		store_delete(json_string_value(id));
}

/* One fileError entry; the first one's message is kept in first. */
static void
file_error(json_t *errors, const char *name, uint32_t err, const char *msg,
    char *first, size_t firstlen)
{
	json_array_append_new(errors, json_pack("{s:s, s:s, s:s}",
	    "name", name, "type", pfile_err_names[err], "message", msg));
	if (first[0] == '\0')
		strlcpy(first, msg, firstlen);
}

/* The first n bytes of a copyOut file, as a JSON string. */
static json_t *
read_out(int fd, uint64_t n, char *err, size_t errlen)
{
	json_t		*j;
	char		*buf;
	size_t		 off;
	ssize_t		 r;

	if ((buf = malloc(n > 0 ? (size_t)n : 1)) == NULL) {
		snprintf(err, errlen, "%s", strerror(errno));
		return NULL;
	}
	for (off = 0; off < n; off += (size_t)r) {
		r = pread(fd, buf + off, (size_t)n - off, (off_t)off);
		if (r == -1 && errno == EINTR) {
			r = 0;
			continue;
		}
		if (r <= 0) {
			snprintf(err, errlen, "read: %s", r == 0 ?
			    "the file shrank" : strerror(errno));
			free(buf);
			return NULL;
		}
	}
	j = json_utf8_string(buf, off);
	free(buf);
	return j;
}
