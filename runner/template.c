/*
 * The runner template: the only way a runner is started.
 *
 * Creating a sandbox from nothing for every job (clone into fresh
 * namespaces, exec, libpfm4's event tables, compiling two seccomp
 * filters) costs several milliseconds of CPU, most of it the same every
 * time.  The template pays for it once: the monitor starts it as root
 * (monitor/spawn.c; regress/rundriver does the same); it learns the event
 * tables, makes its namespaces and empty root, builds both seccomp
 * stages (runner/sandbox.c, sandbox_template()) and puts itself under
 * stage 1, which its runners inherit (sandbox_confine_template()).  Then,
 * for every IMSG_SPAWN, preceded by the runner's cgroup directories in
 * IMSG_SPAWN_CGROUP, it clones a runner (sandbox_clone()) and answers
 * IMSG_SPAWNED with its pid.  The runner is the monitor's child
 * (CLONE_PARENT), so the monitor reaps it and sees how it died; it
 * returns to runner.c's kernel_runner(), which confines it the rest of
 * the way (sandbox_enter()) before it sees a job.
 *
 * The template runs at nice SPAWN_NICE and its runners inherit it: making
 * runners yields to the jobs being served.  The monitor gives each runner
 * the configured level once it is ready (monitor/slot.c).
 *
 * The program template (-P, runner/prog.c) serves the same loop with a
 * root of its own; its runners run whole programs instead of kernels.
 *
 * The template never sees a job, an object or a request; it runs no
 * code but this file's loop, and exits when the monitor closes its
 * socket.
 */
#include <sys/types.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#include <gelf.h>

#include "common.h"
#include "runner.h"

/*
 * What runner_born() makes present: above warm_heap, and on either side
 * of the stack pointer; and the ranges in warm[] (warm_add()).
 */
#define WARM_HEAP	(24 * 1024)
#define WARM_STACK	(16 * 1024)
#define WARM_BELOW	(8 * 1024)
#define WARM_MAX	8
static uintptr_t	 warm_heap;	/* 0: not a kernel template */
static struct {
	uintptr_t	 lo, hi;
} warm[WARM_MAX];
static size_t		 nwarm;
/* glibc's malloc(3) state, where template_find_malloc() found it. */
static uintptr_t	 malloc_lo, malloc_hi;
/* The linker's bounds of the section of RUNNER_WRITES (common.h). */
extern char		 __start_runner_writes[], __stop_runner_writes[];
/* template_low_stack(): the stack's top, and its least and most size. */
#define LOW_STACK_TOP	0x40000000UL
#define LOW_STACK_MIN	(256 * 1024UL)
#define LOW_STACK_MAX	(256UL << 20)
/* Above the heap's top, the room it keeps to grow in before mappings. */
#define LOW_GAP		(256 * 1024)

static void	 warm_add(uintptr_t, size_t);
static void	 runner_born(struct sandbox_opts *);

/*
 * The next line of /proc/self/maps: its range, permissions and inode (0
 * for an anonymous mapping).  Returns 0 at the end of the file.
 */
static int
next_mapping(FILE *f, unsigned long *lo, unsigned long *hi, char perms[8],
    unsigned long *ino)
{
	char	 line[512];

	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "%lx-%lx %7s %*s %*s %lu", lo, hi, perms,
		    ino) == 4)
			return 1;
	return 0;
}

/*
 * Let every runner start with the template's page tables for its code
 * and read-only data.  clone(2) copies the page table entries of a
 * private mapping only if the mapping has anonymous pages (an anon_vma);
 * otherwise the child takes a page fault for each 64 KB of the binary it
 * touches, fifteen or so in every runner, each dearer than copying the
 * entries (and much dearer in a virtual machine).  So each read-only
 * mapping of the binary is mapped in whole, and one byte of it is
 * written back through /proc/self/mem, which gives it the anon_vma
 * without ever making it writable.  Runs before the root is emptied;
 * where the kernel refuses either step, runners only fault as before.
 * Returns how many mappings were prepared; -1, with errno set, if a
 * mapping was refused.
 */
int
template_share_text(void)
{
	FILE		*f;
	char		 perms[8];
	unsigned long	 lo, hi, ino;
	unsigned char	 c;
	int		 fd, n = 0, saved = 0;

	if ((f = fopen("/proc/self/maps", "re")) == NULL)
		return -1;
	if ((fd = open("/proc/self/mem", O_RDWR | O_CLOEXEC)) == -1) {
		saved = errno;
		fclose(f);
		errno = saved;
		return -1;
	}
	while (next_mapping(f, &lo, &hi, perms, &ino)) {
		if (ino == 0 || perms[1] != '-' || perms[3] != 'p')
			continue;
		if (madvise((void *)lo, hi - lo, MADV_POPULATE_READ) == -1 ||
		    pread(fd, &c, 1, (off_t)lo) != 1 ||
		    pwrite(fd, &c, 1, (off_t)lo) != 1) {
			saved = errno != 0 ? errno : EIO;
			continue;
		}
		n++;
	}
	close(fd);
	fclose(f);
	if (saved != 0) {
		errno = saved;
		return -1;
	}
	return n;
}

#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE	25	/* Linux 6.1 */
#endif
#define HUGE_SZ		(2UL * 1024 * 1024)

static int	 huge_mapped(unsigned long);

/*
 * Give every runner the binary's code and read-only data as huge pages,
 * so that clone(2) copies one page-table entry for each 2 MB of them and
 * the runner's exit unmaps one, instead of 512 of each: about a tenth of
 * a request's CPU.  Each 2 MB-aligned stretch of the binary that only
 * read-only mappings cover is copied into an anonymous huge page, which
 * then takes its place with mremap(2); the bytes stay what they were, so
 * the code that does it runs on.  The stretch becomes readable and
 * executable as a whole: its read-only data too, which lends code
 * running in a runner nothing it lacks, since it runs code of its own
 * already.  Where the kernel gives no huge page (transparent huge pages
 * off, memory too fragmented), the stretch is left as it is and
 * template_share_text() shares its page tables as before.  Profilers
 * and debuggers see the stretch as anonymous memory, so they cannot name
 * the functions in it from the binary on their own.  Runs before
 * the root is emptied.  Returns how many stretches were replaced; -1,
 * with errno set, if one could not be (ENOMEM: no huge page).
 */
int
template_huge_text(void)
{
	FILE		*f;
	char		 perms[8];
	unsigned long	 lo, hi, ino, runlo = 0, runhi = 0, runino = 0, c;
	void		*p, *q;
	int		 n = 0, saved, huge;

	if ((f = fopen("/proc/self/maps", "re")) == NULL)
		return -1;
	/* The first run of read-only mappings of one file: the binary's. */
	while (next_mapping(f, &lo, &hi, perms, &ino)) {
		if (runino == 0 && ino != 0 && perms[1] == '-') {
			runlo = lo;
			runhi = hi;
			runino = ino;
		} else if (runino != 0 && ino == runino && lo == runhi &&
		    perms[1] == '-')
			runhi = hi;
		else if (runino != 0)
			break;
	}
	fclose(f);

	for (c = (runlo + HUGE_SZ - 1) & ~(HUGE_SZ - 1); runino != 0 &&
	    c + HUGE_SZ <= runhi; c += HUGE_SZ) {
		/* An aligned 2 MB, out of a mapping of twice that. */
		if ((p = mmap(NULL, 2 * HUGE_SZ, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)) == MAP_FAILED)
			return -1;
		q = (void *)(((unsigned long)p + HUGE_SZ - 1) &
		    ~(HUGE_SZ - 1));
		if (q != p)
			munmap(p, (size_t)((char *)q - (char *)p));
		munmap((char *)q + HUGE_SZ, (size_t)((char *)p + HUGE_SZ -
		    (char *)q));
		madvise(q, HUGE_SZ, MADV_HUGEPAGE);
		memcpy(q, (void *)c, HUGE_SZ);
		if (!(huge = huge_mapped((unsigned long)q))) {
			madvise(q, HUGE_SZ, MADV_COLLAPSE);
			huge = huge_mapped((unsigned long)q);
		}
		if (!huge)
			errno = ENOMEM;
		if (!huge ||
		    mprotect(q, HUGE_SZ, PROT_READ | PROT_EXEC) == -1 ||
		    mremap(q, HUGE_SZ, HUGE_SZ, MREMAP_MAYMOVE | MREMAP_FIXED,
		    (void *)c) == MAP_FAILED) {
			saved = errno;
			munmap(q, HUGE_SZ);
			errno = saved;
			return -1;
		}
		prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, c, HUGE_SZ,
		    "webrunnerd-runner-code");
		n++;
	}
	return n;
}

/* Whether the 2 MB at addr are one huge page, as /proc/self/smaps says. */
static int
huge_mapped(unsigned long addr)
{
	FILE		*f;
	char		 line[256];
	unsigned long	 lo, hi, kb;
	int		 in = 0, huge = 0;

	if ((f = fopen("/proc/self/smaps", "re")) == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL) {
		/* A mapping's first line; no field's name has a dash. */
		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2) {
			if (in)
				break;
			in = lo == addr;
		} else if (in && sscanf(line, "AnonHugePages: %lu kB",
		    &kb) == 1) {
			huge = kb * 1024 >= HUGE_SZ;
			break;
		}
	}
	fclose(f);
	return huge;
}

/*
 * Where glibc's malloc(3) keeps its state: a runner's first allocation
 * writes it, on two pages.  It is glibc's main_arena, which glibc does
 * not export, so the kernel template looks it up in its own symbol table
 * (a static binary's addresses are those it runs at), before the root is
 * emptied, once libelf's version is set (elfobj_init()).  Returns 1 if
 * found, 0 if not (a stripped binary: its runners fault those pages in
 * one by one), -1 if the binary cannot be read.
 */
int
template_find_malloc(void)
{
	extern char	 etext[], end[];	/* end(3) */
	Elf		*e;
	Elf_Scn		*scn = NULL;
	Elf_Data	*d;
	GElf_Shdr	 sh;
	GElf_Sym	 sym;
	const char	*name;
	size_t		 i;
	int		 fd, found = 0;

	if ((fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	if ((e = elf_begin(fd, ELF_C_READ_MMAP, NULL)) == NULL) {
		close(fd);
		errno = ENOEXEC;
		return -1;
	}
	while (!found && (scn = elf_nextscn(e, scn)) != NULL) {
		if (gelf_getshdr(scn, &sh) == NULL ||
		    sh.sh_type != SHT_SYMTAB || sh.sh_entsize == 0 ||
		    (d = elf_getdata(scn, NULL)) == NULL)
			continue;
		for (i = 0; i < sh.sh_size / sh.sh_entsize; i++) {
			if (gelf_getsym(d, (int)i, &sym) == NULL)
				break;
			if (GELF_ST_TYPE(sym.st_info) != STT_OBJECT ||
			    (name = elf_strptr(e, sh.sh_link,
			    sym.st_name)) == NULL ||
			    strcmp(name, "main_arena") != 0)
				continue;
			/* Only where the binary's data is. */
			if (sym.st_value >= (uintptr_t)etext &&
			    sym.st_value + sym.st_size <= (uintptr_t)end &&
			    sym.st_size > 0) {
				malloc_lo = sym.st_value;
				malloc_hi = sym.st_value + sym.st_size;
				found = 1;
			}
			break;
		}
	}
	elf_end(e);
	close(fd);
	return found;
}

/*
 * For the kernel template, once its start-up is over: a program runner
 * execs and leaves the template's heap behind, a kernel runner works in
 * it.
 *
 * No fastbins: a runner's first large allocation would otherwise
 * consolidate the chunks the template freed, writing to (and so copying)
 * a page of the heap for each, in every runner.
 *
 * And fill the holes that start-up left in the heap, so that a runner's
 * allocations come from the top of the heap, one after another, and not
 * from free chunks strewn over it: each page a runner writes to is a
 * copy-on-write fault, and its allocations, some 20 KB in all, then
 * touch five pages instead of eleven.  First what the thread cache
 * holds, which malloc(3) serves before any bin (a request it served
 * leaves the free total alone), then the bins, until a request is cut
 * from the top.  The filler is never freed, and never touched again.
 * Where the top then starts is where runner_born() begins.
 */
void
template_prepare_heap(void)
{
	struct mallinfo2	 a, b;
	size_t			 sz, n;

	if (mallopt(M_MXFAST, 0) != 1)
		log_debug("mallopt M_MXFAST refused");
	/*
	 * tcache first: what it holds is served before any bin.  A request
	 * that changed the free total came from elsewhere, so the cache of
	 * its size is empty; it is kept too, since freeing it would put it
	 * back in the cache, for a runner's first allocation of that size to
	 * write to.
	 */
	for (sz = 16; sz <= 1024; sz += 16)
		for (n = 0; n < 8; n++) {
			a = mallinfo2();
			if (malloc(sz) == NULL)
				return;
			b = mallinfo2();
			if (b.fordblks != a.fordblks)
				break;
		}
	b = a = mallinfo2();
	for (n = (a.fordblks - a.keepcost) / 32 + 1; n > 0; n--) {
		if (malloc(16) == NULL)
			break;
		b = mallinfo2();
		if (b.keepcost < a.keepcost)
			break;		/* from the top: no hole was left */
		a = b;
	}
	log_debug("heap: %zu bytes left in holes", b.fordblks - b.keepcost);
	warm_heap = ((uintptr_t)sbrk(0) - b.keepcost) &
	    ~(uintptr_t)(RUNNER_PAGE - 1);
	lowmap_init((uintptr_t)sbrk(0) + LOW_GAP);

	warm_add(warm_heap, WARM_HEAP);
	warm_add((uintptr_t)__start_runner_writes,
	    (size_t)(__stop_runner_writes - __start_runner_writes));
	/*
	 * The thread's own block (errno); in a static binary it opens the
	 * heap, and malloc's thread cache, the heap's first chunk, follows
	 * it, on the same page where the two fit (glibc 2.36: they do).
	 */
	warm_add((uintptr_t)&errno, sizeof(errno));
	if (malloc_hi != 0)
		warm_add(malloc_lo, malloc_hi - malloc_lo);
	log_debug("%zu ranges of pages made present in each runner", nwarm);
}

/*
 * Add the pages of [p, p + len) to warm[]: to a range they overlap or
 * touch, so that both are made present by one system call, or as a range
 * of their own.  What does not fit is left out: runners fault it in.
 */
static void
warm_add(uintptr_t p, size_t len)
{
	uintptr_t	 lo, hi;
	size_t		 i;

	if (len == 0)
		return;
	lo = p & ~(RUNNER_PAGE - 1);
	hi = (p + len + RUNNER_PAGE - 1) & ~(RUNNER_PAGE - 1);
	for (i = 0; i < nwarm; i++)
		if (lo <= warm[i].hi && hi >= warm[i].lo) {
			warm[i].lo = lo < warm[i].lo ? lo : warm[i].lo;
			warm[i].hi = hi > warm[i].hi ? hi : warm[i].hi;
			return;
		}
	if (nwarm < WARM_MAX) {
		warm[nwarm].lo = lo;
		warm[nwarm].hi = hi;
		nwarm++;
	}
}

/*
 * getcontext(2) returns twice only if its context is resumed; this one
 * only lends makecontext() its signal mask and the like.  A call of its
 * own, so that the compiler need not keep the caller's variables safe.
 */
static __attribute__((__noinline__)) int
context_init(ucontext_t *uc)
{
	return getcontext(uc);
}

/*
 * Run fn, which never returns, on a stack of its own just below 1 GB: the
 * kernel template's loop, and in every runner it clones, the runner, and
 * the kernel it calls.  Below 1 GB, a runner's code, data, heap, stack
 * and mappings (lowmap.c) share their upper pages of page tables: on a
 * virtual machine with shadow page tables, each such page a new runner
 * touches costs it some tens of microseconds, and a runner on the stack
 * the template started on, at the top of the address space, touched
 * three more.  The stack is as large as RLIMIT_STACK allows the one it
 * replaces (LOW_STACK_MIN to LOW_STACK_MAX), with a page below it that
 * faults; it is reserved, not committed, and only the pages used count.
 * Where the range is taken, fn runs on the stack it was called on.
 */
__dead void
template_low_stack(void (*fn)(void))
{
	static ucontext_t	 uc;
	struct rlimit		 rl;
	size_t			 size = LOW_STACK_MAX;
	char			*want, *p;

	if (getrlimit(RLIMIT_STACK, &rl) == 0 && rl.rlim_cur < size)
		size = rl.rlim_cur < LOW_STACK_MIN ? LOW_STACK_MIN :
		    (size_t)rl.rlim_cur & ~(RUNNER_PAGE - 1);
	want = (char *)(LOW_STACK_TOP - size - RUNNER_PAGE);
	p = mmap(want, size + RUNNER_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE |
	    MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);
	if (p != want || mprotect(p, RUNNER_PAGE, PROT_NONE) == -1 ||
	    context_init(&uc) == -1) {
		log_warnx("runners run on the template's first stack: no "
		    "%zu bytes at %p", size + RUNNER_PAGE, (void *)want);
		if (p != MAP_FAILED)
			munmap(p, size + RUNNER_PAGE);
		fn();
		abort();
	}
	log_debug("stack of %zu KB below %#lx", size / 1024, LOW_STACK_TOP);
	uc.uc_stack.ss_sp = p + RUNNER_PAGE;
	uc.uc_stack.ss_size = size;
	uc.uc_link = NULL;
	makecontext(&uc, fn, 0);
	setcontext(&uc);
	fatal("setcontext");
}

/*
 * In a new kernel runner, first thing: its CPU time so far, the first
 * mark of its plan (so->born_ns); then make present the pages it is about
 * to write to for the first time, a system call for each range: the top
 * of the heap (its allocations, some 20 KB), the stack on either side of
 * the clone's frame (kernel_runner()'s locals above, which the template
 * never wrote, and the calls it makes below), the static data runners
 * write (RUNNER_WRITES), the thread's own block and malloc's state.
 * Written one by one, each would be a fault of its own, a copy-on-write
 * fault for a page the template had, and on a virtual machine a fault
 * costs several times what a page made present with others does.  On
 * one of 2 CPUs, the heap and the stack above took 6 of a runner's 17
 * faults away, and 65 to 95 us of its 1,700 to 2,200 us of CPU; the rest
 * took the last 7, and some 120 us more of its 1,500.  (getrusage(2)
 * counts the pages made present as faults too; perf's page-faults event
 * does not.)  A call may fail (a kernel before 5.14 does not know
 * MADV_POPULATE_WRITE); the runner then faults its pages in as before.
 * A program runner, which execs, needs none of it.
 */
static void
runner_born(struct sandbox_opts *so)
{
	uintptr_t	 sp = (uintptr_t)__builtin_frame_address(0);
	size_t		 i;

	if (warm_heap == 0)
		return;
	so->born_ns = cpu_now_ns();
	sp &= ~(uintptr_t)(RUNNER_PAGE - 1);
	(void)madvise((void *)(sp - WARM_BELOW), WARM_BELOW + WARM_STACK,
	    MADV_POPULATE_WRITE);
	for (i = 0; i < nwarm; i++)
		(void)madvise((void *)warm[i].lo, warm[i].hi - warm[i].lo,
		    MADV_POPULATE_WRITE);
}

/*
 * This thread's CPU time, in ns: the runner's, for the marks of its plan.
 * The first is taken before the runner makes any other system call, so
 * it is what the kernel charged it for being created and first run.  By
 * the system call itself: the vDSO only passes this clock on to it, and
 * would first fault its page into every new runner.
 */
uint64_t
cpu_now_ns(void)
{
	struct timespec	 ts;

	if (syscall(SYS_clock_gettime, CLOCK_THREAD_CPUTIME_ID, &ts) == -1)
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000 + (uint64_t)ts.tv_nsec;
}

/*
 * Returns only in a freshly cloned runner, with *so filled in.  Each
 * runner gets the namespaces ns of its own besides its pid namespace
 * (sandbox_clone()).  The template and its runners go by tname and rname
 * in ps(1) and /proc.
 */
void
template_run(struct sandbox_opts *so, uint64_t ns, const char *tname,
    const char *rname)
{
	struct imsgbuf		*ib;
	struct imsg		 imsg;
	struct spawn_req	 req;
	struct spawn_res	 res;
	size_t			 len;
	int			 fd, i;
	ssize_t			 n;
	pid_t			 pid;

	/*
	 * Every page the template writes to after a clone, it copies, and
	 * flushes from the TLB, since the new runner shares it.  So the loop
	 * writes to as few as it can: no malloc(3), and its imsgbuf in a
	 * mapping runners do not get (MADV_DONTFORK; they have their own).
	 * What is left is its stack.
	 */
	if ((ib = mmap(NULL, sizeof(*ib), PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)) == MAP_FAILED)
		fatal("mmap");
	if (madvise(ib, sizeof(*ib), MADV_DONTFORK) == -1)
		log_debug("madvise MADV_DONTFORK refused");
	prctl(PR_SET_NAME, tname);
	/* Inherited by the runners: the monitor raises each once ready. */
	if (setpriority(PRIO_PROCESS, 0, SPAWN_NICE) == -1)
		fatal("setpriority");
	memset(so, 0, sizeof(*so));
	imsgbuf_init(ib, RUNNER_SOCKFD);
	for (;;) {
		len = sizeof(req);
		if ((n = imsg_get_into(ib, &imsg, &req, &len)) == -1)
			fatal("bad message from the monitor");
		if (n == 0) {
			if ((n = imsgbuf_read(ib)) == -1 && errno != EAGAIN)
				fatal("read");
			if (n == 0)
				exit(0);	/* the monitor is gone */
			continue;
		}
		fd = imsg_take_fd(&imsg);
		if (imsg.hdr.type == IMSG_SPAWN_CGROUP && fd != -1 &&
		    len == 0 && so->ncg < SANDBOX_MAXCG) {
			so->cgfds[so->ncg++] = fd;
			continue;
		}
		if (imsg.hdr.type != IMSG_SPAWN || fd == -1 ||
		    len != sizeof(req))
			fatalx("unexpected message %u from the monitor",
			    imsg.hdr.type);

		so->sock = fd;
		so->uid = req.uid;
		so->gid = req.gid;
		so->cpu_secs = req.cpu_secs;
		so->tmpfs_bytes = req.tmpfs_bytes;
		if ((pid = sandbox_clone(CLONE_PARENT | ns, so)) == 0) {
			runner_born(so);
			prctl(PR_SET_NAME, rname);
			log_procinit("runner");
			return;
		}
		memset(&res, 0, sizeof(res));
		res.id = req.id;
		res.pid = pid;
		res.error = pid == -1 ? errno : 0;
		close(fd);
		for (i = 0; i < so->ncg; i++)
			close(so->cgfds[i]);
		so->ncg = 0;
		if (imsg_send_now(ib, IMSG_SPAWNED, req.id, &res,
		    sizeof(res)) == -1)
			fatal("answer the monitor");
	}
}
