/*
 * Kernel spec files: one file read whole, within KSPEC_FILEMAX, and a
 * directory of them read into the list the monitor serves, in byte
 * order of their names, every name defined once.  What a file says is
 * checked by spec.c.
 */
#include <sys/types.h>
#include <sys/queue.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "monitor.h"

static int	 json_filter(const struct dirent *);
static int	 name_cmp(const struct dirent **, const struct dirent **);

int
kspec_load_file(const char *path, struct kspec *ks, char *err,
    size_t errlen)
{
	struct stat	 st;
	char		*buf;
	ssize_t		 n;
	size_t		 len = 0;
	int		 fd, rc;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		close(fd);
		return -1;
	}
	if (st.st_size > KSPEC_FILEMAX) {
		snprintf(err, errlen, "%s: larger than %d bytes", path,
		    KSPEC_FILEMAX);
		close(fd);
		return -1;
	}
	/* One byte more than allowed, to notice a file that grew. */
	if ((buf = malloc(KSPEC_FILEMAX + 1)) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	while (len <= KSPEC_FILEMAX) {
		n = read(fd, buf + len, KSPEC_FILEMAX + 1 - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
			free(buf);
			close(fd);
			return -1;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	if (len > KSPEC_FILEMAX) {
		snprintf(err, errlen, "%s: larger than %d bytes", path,
		    KSPEC_FILEMAX);
		free(buf);
		return -1;
	}
	rc = kspec_load_buf(path, buf, len, ks, err, errlen);
	free(buf);
	return rc;
}

int
kspecs_load(const char *dir, struct kspecs *specs, char *err, size_t errlen)
{
	struct dirent	**names;
	struct kspec	*ks, *other;
	char		 path[1024];
	int		 i, n, rc = -1;

	TAILQ_INIT(specs);
	if ((n = scandir(dir, &names, json_filter, name_cmp)) == -1) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return -1;
	}
	if (n == 0) {
		snprintf(err, errlen, "%s: no kernel specs (*.json)", dir);
		free(names);
		return -1;
	}
	for (i = 0; i < n; i++) {
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir,
		    names[i]->d_name) >= sizeof(path)) {
			snprintf(err, errlen, "%s/%s: path too long", dir,
			    names[i]->d_name);
			goto done;
		}
		if ((ks = calloc(1, sizeof(*ks))) == NULL) {
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
			goto done;
		}
		if (kspec_load_file(path, ks, err, errlen) == -1) {
			free(ks);
			goto done;
		}
		if ((other = kspec_find(specs, ks->name)) != NULL) {
			snprintf(err, errlen, "%s: kernel '%s' is already "
			    "defined in %s", path, ks->name, other->file);
			free(ks);
			goto done;
		}
		TAILQ_INSERT_TAIL(specs, ks, entry);
	}
	rc = 0;
 done:
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	if (rc == -1)
		kspecs_free(specs);
	return rc;
}

void
kspecs_free(struct kspecs *specs)
{
	struct kspec	*ks;

	while ((ks = TAILQ_FIRST(specs)) != NULL) {
		TAILQ_REMOVE(specs, ks, entry);
		free(ks);
	}
}

struct kspec *
kspec_find(struct kspecs *specs, const char *name)
{
	struct kspec	*ks;

	TAILQ_FOREACH(ks, specs, entry)
		if (strcmp(ks->name, name) == 0)
			return ks;
	return NULL;
}

/* Visible *.json files; hidden ones are editor and backup files. */
static int
json_filter(const struct dirent *de)
{
	size_t	 len = strlen(de->d_name);

	return de->d_name[0] != '.' && len > 5 &&
	    strcmp(de->d_name + len - 5, ".json") == 0;
}

/* Byte order, whatever the locale. */
static int
name_cmp(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}
