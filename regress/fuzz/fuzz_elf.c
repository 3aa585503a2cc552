/* srcs: runner/elf.c runner/lowmap.c runner/reloc.c common/vocab.c */
/*
 * libFuzzer target for the object loader: the input is one object, loaded
 * for the kernel "kernel" and freed again.  The loaded code is never
 * called; what matters is that no input crashes the loader or makes it
 * touch memory it does not own, and that a refusal always has a reason.
 */
#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "runner.h"

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct elfobj	*obj;
	const char	*sec;
	uint64_t	 off;
	uintptr_t	 lo, hi;
	char		 err[WR_REASONLEN];

	memset(err, 0, sizeof(err));
	if ((obj = elfobj_load(data, size, "kernel", err,
	    sizeof(err))) == NULL) {
		if (err[0] == '\0' || strchr(err, '\n') != NULL)
			abort();
		return 0;
	}
	elfobj_range(obj, &lo, &hi);
	if (elfobj_locate(obj, (uintptr_t)elfobj_entry(obj), &sec,
	    &off) == -1 || (uintptr_t)elfobj_entry(obj) < lo ||
	    (uintptr_t)elfobj_entry(obj) >= hi)
		abort();
	elfobj_free(obj);
	return 0;
}
