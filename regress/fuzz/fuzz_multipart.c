/* srcs: daemon/multipart.c common/vocab.c */
/*
 * libFuzzer target for POST /file's multipart/form-data reader: the
 * input's bytes up to its first newline are the Content-Type, the rest
 * is the body, in a buffer of exactly its size so that any read past it
 * is caught.  Whatever the body, it is refused with one printable line,
 * or the file lies within it, just before a delimiter, under a name that
 * can be stored as it is.
 */
#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "proto.h"
#include "../../daemon/daemon.h"

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mpfile	 f;
	const uint8_t	*nl;
	char		*ctype, *body = NULL, err[WR_REASONLEN];
	size_t		 clen, blen, i;
	int		 rc;

	nl = memchr(data, '\n', size);
	clen = nl != NULL ? (size_t)(nl - data) : size;
	blen = nl != NULL ? size - clen - 1 : 0;
	if ((ctype = malloc(clen + 1)) == NULL)
		abort();
	memcpy(ctype, data, clen);
	ctype[clen] = '\0';
	if (blen > 0) {
		if ((body = malloc(blen)) == NULL)
			abort();
		memcpy(body, nl + 1, blen);
	}
	memset(err, 0, sizeof(err));

	rc = multipart_file(ctype, body, blen, &f, err, sizeof(err));
	if (rc == 0) {
		/* The file's bytes end where "\r\n--boundary" begins. */
		if (f.data < body || f.len > blen ||
		    (size_t)(f.data - body) > blen - f.len ||
		    (size_t)(f.data - body) + f.len + 4 > blen ||
		    memcmp(f.data + f.len, "\r\n--", 4) != 0)
			abort();
		if (memchr(f.name, '\0', sizeof(f.name)) == NULL ||
		    f.name[0] == '\0' || strcmp(f.name, ".") == 0 ||
		    strcmp(f.name, "..") == 0)
			abort();
		for (i = 0; f.name[i] != '\0'; i++)
			if ((unsigned char)f.name[i] < 0x20 ||
			    f.name[i] == 0x7f || f.name[i] == '"' ||
			    f.name[i] == '\\' || f.name[i] == '/')
				abort();
	} else {
		if (rc != -1 || err[0] == '\0' ||
		    memchr(err, '\0', sizeof(err)) == NULL)
			abort();
		for (i = 0; err[i] != '\0'; i++)
			if (err[i] < 0x20 || err[i] >= 0x7f)
				abort();
	}
	free(body);
	free(ctype);
	return 0;
}
