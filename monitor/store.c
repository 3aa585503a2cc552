/*
 * The file store: go-judge's /file routes, the files a command's
 * copyOutCached names leave behind, and the fileId inputs of later
 * commands (webrunnerd-api(7), FILE STORE).
 *
 * It lives in the monitor, so that it outlasts a restart of the network
 * process, and only in memory: every file is a sealed memfd, which
 * nobody can change once it is stored, and nothing survives a restart
 * of the daemon.  The monitor never parses what a file holds.  Whoever
 * is handed a file (a runner, or the network process to send it) gets a
 * descriptor of its own, opened anew, so that reading it moves no offset
 * another reader shares.  `program store-limit' and `program store-files'
 * bound the bytes and the files of all of it.
 */
#include <sys/types.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/queue.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "common.h"
#include "monitor.h"

struct sfile {
	TAILQ_ENTRY(sfile) entry;
	char		 id[WR_FILEIDLEN];
	char		 name[WR_PATHLEN];
	int		 fd;		/* a sealed memfd */
	uint64_t	 size;
};
TAILQ_HEAD(sfiles, sfile);

static struct sfile *store_find(const char *);

/* A list, oldest first: at most store-files (65536) to look through. */
static struct sfiles	 store = TAILQ_HEAD_INITIALIZER(store);
static uint32_t		 store_count;
static uint64_t		 store_bytes;

static struct sfile *
store_find(const char *id)
{
	struct sfile	*f;

	if (!file_id_ok(id))
		return NULL;
	TAILQ_FOREACH(f, &store, entry)
		if (strcmp(f->id, id) == 0)
			return f;
	return NULL;
}

/*
 * Keep the sealed memfd fd of size bytes under name; its new id goes in
 * id.  The store owns fd after success.  Returns 0, or the HTTP status
 * of a refusal (413 for a file larger than the whole store, 507 for a
 * store too full to take it) with why; nothing stored is ever dropped
 * to make room.
 */
int
store_put(int fd, uint64_t size, const char *name, char *id, char *why,
    size_t whylen)
{
	const struct config	*c = mon->conf;
	struct sfile		*f;
	unsigned char		 r[(WR_FILEIDLEN - 1) / 2];
	size_t			 i;

	if (size > c->program_store_limit) {
		snprintf(why, whylen, "file store: %llu bytes, more than "
		    "store-limit %llu", (unsigned long long)size,
		    (unsigned long long)c->program_store_limit);
		return 413;
	}
	if (store_count >= c->program_store_files) {
		snprintf(why, whylen, "file store: full, %u files "
		    "(store-files); delete some", store_count);
		return 507;
	}
	if (store_bytes + size > c->program_store_limit) {
		snprintf(why, whylen, "file store: full, %llu of %llu bytes "
		    "used (store-limit); delete some",
		    (unsigned long long)store_bytes,
		    (unsigned long long)c->program_store_limit);
		return 507;
	}
	if ((f = calloc(1, sizeof(*f))) == NULL)
		fatal("%s", __func__);
	/* 128 random bits: no id is guessed, none is made twice. */
	arc4random_buf(r, sizeof(r));
	for (i = 0; i < sizeof(r); i++)
		snprintf(f->id + 2 * i, 3, "%02x", r[i]);
	TAILQ_INSERT_TAIL(&store, f, entry);
	strlcpy(f->name, name, sizeof(f->name));
	f->fd = fd;
	f->size = size;
	store_count++;
	store_bytes += size;
	strlcpy(id, f->id, WR_FILEIDLEN);
	return 0;
}

/*
 * The stored file id, opened anew read-only for whoever is handed it,
 * with its size and name; -1 (errno ENOENT) when there is none.
 */
int
store_get(const char *id, uint64_t *size, const char **name)
{
	struct sfile	*f;
	char		 path[64];
	int		 fd;

	if ((f = store_find(id)) == NULL) {
		errno = ENOENT;
		return -1;
	}
	/* A new open file description: its own offset. */
	snprintf(path, sizeof(path), "/proc/self/fd/%d", f->fd);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	*size = f->size;
	if (name != NULL)
		*name = f->name;
	return fd;
}

/* Forget the stored file id.  -1 when there is none. */
int
store_delete(const char *id)
{
	struct sfile	*f;

	if ((f = store_find(id)) == NULL)
		return -1;
	TAILQ_REMOVE(&store, f, entry);
	close(f->fd);
	store_count--;
	store_bytes -= f->size;
	free(f);
	return 0;
}

/*
 * A sealed memfd holding the first n bytes of fd (read from offset 0),
 * or of buf when fd is -1; -1 with errno.
 */
int
store_memfd(int fd, const char *buf, uint64_t n)
{
	off_t	 off = 0;
	ssize_t	 r;
	int	 mfd, saved;

	if ((mfd = memfd_create("stored", MFD_CLOEXEC | MFD_ALLOW_SEALING)) ==
	    -1)
		return -1;
	while ((uint64_t)off < n) {
		if (fd != -1)
			r = sendfile(mfd, fd, &off, (size_t)(n - (uint64_t)off));
		else if ((r = write(mfd, buf + off, (size_t)(n -
		    (uint64_t)off))) > 0)
			off += r;
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0) {
			if (r == 0)
				errno = EIO;	/* it shrank */
			goto fail;
		}
	}
	if (memfd_seal_all(mfd) == -1)
		goto fail;
	return mfd;
fail:
	saved = errno;
	close(mfd);
	errno = saved;
	return -1;
}

void
store_stats(uint64_t *files, uint64_t *bytes)
{
	*files = store_count;
	*bytes = store_bytes;
}

/* IMSG_FILE_REQ: a /file request of the network process. */
int
store_req(struct proc *p UNUSED, struct imsg *imsg)
{
	static struct http_res	 hr;
	struct file_req		 fr;
	struct sfile		*f;
	json_t			*j;
	const char		*name;
	char			 id[WR_FILEIDLEN], why[WR_REASONLEN];
	uint64_t		 size;
	int			 fd, code;

	fd = imsg_take_fd(imsg);
	if (imsg_get_data(imsg, &fr, sizeof(fr)) == -1 ||
	    (fd != -1) != (fr.op == FILE_PUT) ||
	    memchr(fr.id, '\0', sizeof(fr.id)) == NULL ||
	    memchr(fr.name, '\0', sizeof(fr.name)) == NULL)
		goto bad;
	/* A reload may have turned it off before the network process knew. */
	if (!mon->conf->program_mode) {
		if (fd != -1)
			close(fd);
		net_answer_error(imsg->hdr.id, 404, "program mode is off");
		return 0;
	}
	switch (fr.op) {
	case FILE_LIST:
		j = json_object();
		TAILQ_FOREACH(f, &store, entry)
			json_object_set_new(j, f->id, json_utf8_string(f->name,
			    strlen(f->name)));
		net_answer_json(imsg->hdr.id, 200, j);
		json_decref(j);
		return 0;
	case FILE_GET:
		if ((fd = store_get(fr.id, &size, &name)) == -1) {
			if (errno == ENOENT)
				net_answer_error(imsg->hdr.id, 404, "no such "
				    "file in the file store");
			else
				net_answer_error(imsg->hdr.id, 500,
				    strerror(errno));
			return 0;
		}
		memset(&hr, 0, HTTP_RES_HDRSIZE);
		hr.code = 200;
		hr.outcome = RS_OK;
		strlcpy(hr.attach, name, sizeof(hr.attach));
		net_compose(IMSG_HTTP_BODY, imsg->hdr.id, fd, &hr,
		    HTTP_RES_HDRSIZE);
		return 0;
	case FILE_DELETE:
		if (store_delete(fr.id) == -1) {
			net_answer_error(imsg->hdr.id, 404, "no such file in "
			    "the file store");
			return 0;
		}
		/* go-judge's answer: 200, nothing in it. */
		memset(&hr, 0, HTTP_RES_HDRSIZE);
		hr.code = 200;
		hr.json = 1;
		hr.outcome = RS_OK;
		net_compose(IMSG_HTTP_RES, imsg->hdr.id, -1, &hr,
		    HTTP_RES_SIZE(&hr));
		return 0;
	case FILE_PUT:
		if (memfd_check_sealed(fd, &size) == -1 || size != fr.size ||
		    fr.name[0] == '\0' || strchr(fr.name, '/') != NULL)
			goto bad;
		if ((code = store_put(fd, size, fr.name, id, why,
		    sizeof(why))) != 0) {
			close(fd);
			net_answer_error(imsg->hdr.id, code, why);
			return 0;
		}
		j = json_string(id);
		net_answer_json(imsg->hdr.id, 200, j);
		json_decref(j);
		return 0;
	}
bad:
	if (fd != -1)
		close(fd);
	return -1;
}
