/*
 * Where a kernel runner's mappings go: low in the address space, in the
 * stretch of 2 MB that holds the template's heap, above room for the heap
 * to grow.
 *
 * On a virtual machine that keeps shadow page tables, a new runner pays
 * for every page of page tables it first uses, at every level, some tens
 * of microseconds each, besides the pages themselves.  The runner's code,
 * data, heap and stack are all below 1 GB (template.c,
 * template_low_stack()); a mapping where mmap(2) would put it, at the
 * top of the address space, costs it a page of page tables at each of
 * three levels more.  So the object, its sections, the kernel's buffers
 * and the signal stack are mapped at an address in that stretch while it
 * has room for them, each after the one before; elsewhere otherwise, as
 * mmap(2) chooses.  The address is a hint, never MAP_FIXED: where
 * anything is mapped there already, the mapping goes elsewhere too.
 *
 * The template sets the stretch (lowmap_init()); a process that never
 * did, a unit test's, maps where mmap(2) chooses.
 */
#include <sys/types.h>
#include <sys/mman.h>

#include <stdint.h>

#include "common.h"
#include "runner.h"

#define STRETCH		(2UL << 20)	/* mapped by one page of page table */

/* The next mapping's address; the end of the stretch, 0 for none. */
static uintptr_t	 low_next RUNNER_WRITES;
static uintptr_t	 low_end;

/*
 * From `from' (rounded up to a page) to the end of its stretch of 2 MB,
 * for the runners to come.
 */
void
lowmap_init(uintptr_t from)
{
	low_next = (from + RUNNER_PAGE - 1) & ~(RUNNER_PAGE - 1);
	low_end = (low_next + STRETCH - 1) & ~(STRETCH - 1);
}

/* mmap(2) of len bytes at offset 0, at the next low address if it fits. */
void *
lowmap(size_t len, int prot, int flags, int fd)
{
	uintptr_t	 hint = 0;
	size_t		 pages;
	void		*p;

	pages = (len + RUNNER_PAGE - 1) & ~(RUNNER_PAGE - 1);
	if (low_end != 0 && pages != 0 && pages <= low_end - low_next)
		hint = low_next;
	p = mmap((void *)hint, len, prot, flags, fd, 0);
	if (p != MAP_FAILED && hint != 0 && (uintptr_t)p == hint)
		low_next += pages;
	return p;
}
