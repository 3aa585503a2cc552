/*
 * webrunnerd-runner: the runner template's main() and kernel_runner(),
 * and from there each runner's: one job, then exit.
 *
 * The monitor starts it once as the kernel template (-T), which confines
 * itself as far as a template can and clones every runner (template.c);
 * as the program template (-P), it runs prog.c's template and runners
 * instead, which run whole programs.  In
 * each runner this file takes over: it confines the runner the rest of
 * the way (sandbox.c), opens the default counters, says it is ready,
 * waits for one job and the object (a sealed memfd), loads the object,
 * lays out the buffers, opens the job's counters if they are others,
 * installs the final seccomp filter, measures the kernel and writes one
 * result.
 *
 * Once the kernel has run, this address space belongs to whoever wrote
 * the kernel: the monitor parses the result as hostile.
 */
#include <sys/types.h>
#include <sys/mman.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <ucontext.h>
#include <unistd.h>
#include <x86intrin.h>

#include <perfmon/pfmlib.h>

#include "common.h"
#include "runner.h"

#define ALTSTACK_SIZE	(64 * 1024)
#define EFLAGS_AC	0x40000		/* alignment check */

static __dead void usage(void);
static __dead void kernel_runner(void);
static void	 receive_job(struct imsgbuf *, struct job *, int *);
static __dead void finish(uint32_t, const char *);
static void	 send_result(void);
static void	 fault_handler(int, siginfo_t *, void *);
static int	 install_handlers(void);
static uint64_t	 run_kernel(void *);
static uint64_t	 run_empty(void *);

/*
 * The result lives in static memory with its imsg header in front, so it
 * can be sent by a single write(2), the only way out under the final
 * filter, also from a signal handler.
 */
static struct {
	struct imsg_hdr		 hdr;
	struct run_result	 res;
} out RUNNER_WRITES;

_Static_assert(sizeof(out) == sizeof(struct imsg_hdr) +
    sizeof(struct run_result), "the result must be sent without padding");

static struct elfobj	*obj RUNNER_WRITES;
static int		 measuring RUNNER_WRITES;

static __dead void
usage(void)
{
	fprintf(stderr, "usage: webrunnerd-runner [-dv] -T -r root\n"
	    "       webrunnerd-runner [-dv] -P -r root [-m path] ...\n");
	exit(1);
}

int
main(int argc, char *argv[])
{
	const char		*root = NULL;
	char			 err[WR_REASONLEN];
	int			 ch, debug = 0, verbose = 0, n;
	int			 template = 0, program = 0, nmounts = 0;
	char			*mounts[PROG_MAXMOUNTS];

	while ((ch = getopt(argc, argv, "dm:Pr:Tv")) != -1) {
		switch (ch) {
		case 'T':
			template = 1;
			break;
		case 'P':
			program = 1;
			break;
		case 'm':
			if (nmounts == PROG_MAXMOUNTS)
				usage();
			mounts[nmounts++] = optarg;
			break;
		case 'd':
			debug = 1;
			break;
		case 'r':
			root = optarg;
			break;
		case 'v':
			verbose++;
			break;
		default:
			usage();
		}
	}
	/*
	 * -T or -P says what it is: no runner is started but by a template.
	 * -m belongs to the program template.
	 */
	if (root == NULL || template == program || optind != argc ||
	    (nmounts > 0 && !program))
		usage();
	log_init(debug, LOG_DAEMON);
	log_procinit("template");
	log_setverbose(verbose);
	if (program)
		prog_main(root, mounts, nmounts);

	memset(&out, 0, sizeof(out));
	out.hdr.type = IMSG_RESULT;
	out.hdr.len = sizeof(out);

	/*
	 * libpfm4 reads /proc and /sys to learn the CPU's event tables;
	 * after the root is emptied it could not, and stage 1 would refuse
	 * it the files anyway.  A failure only means fewer event names.
	 */
	if (pfm_initialize() != PFM_SUCCESS)
		log_debug("libpfm4 found no event tables");
	log_debug("%d counter kinds kept warm", counters_keep_warm());
	if ((n = template_huge_text()) == -1)
		log_warn("runners copy the page tables of their code: no huge "
		    "page for it");
	else
		log_debug("%d stretches of 2 MB of code on huge pages", n);
	if ((n = template_share_text()) == -1)
		log_warn("runners will fault their code in: cannot share "
		    "its page tables");
	else
		log_debug("%d mappings of code shared with the runners", n);
	elfobj_init();
	if ((n = template_find_malloc()) != 1)
		log_debug("runners fault malloc's state in: %s", n == 0 ?
		    "no main_arena in the symbol table" : strerror(errno));
	if (sandbox_template(root, err, sizeof(err)) == -1)
		fatalx("%s", err);
	template_prepare_heap();
	template_low_stack(kernel_runner);
}

/*
 * The rest of the kernel template, and each runner's life, on the stack
 * template_low_stack() gives it.
 */
static __dead void
kernel_runner(void)
{
	struct sandbox_opts	 so;
	struct imsgbuf		 ibuf;
	struct job		 job;
	struct callframe	*cf;
	struct counters		*ctr = NULL;
	struct run_plan		 plan;
	char			 err[WR_REASONLEN];
	void			*map, *entry;
	uint64_t		 size, ready_ns, job_ns;
	int			 fd, nfds, wfd;
	int			 ctrfds[WR_MAXEVENTS * 2];

	if (sandbox_confine_template(NULL, 0, err, sizeof(err)) == -1)
		fatalx("%s", err);
	/* Returns only in each runner it clones. */
	template_run(&so, 0, "wr-template", "wr-runner");
	if (sandbox_enter(&so, err, sizeof(err)) == -1)
		fatalx("%s", err);
	/*
	 * The fault handlers go in while the runner waits, not on the
	 * request's path.  A fault before the kernel runs (a loader bug) is
	 * then reported with its place too, marked as outside the kernel.
	 */
	if (install_handlers() == -1)
		fatal("cannot install the fault handlers");

	/*
	 * Most jobs count the default events: open them while waiting, so
	 * the job does not wait for them.  Failing here is not final; the
	 * job opens its events again and reports why they cannot be.
	 */
	ctr = counters_open(NULL, 0, 1, err, sizeof(err));

	imsgbuf_init(&ibuf, RUNNER_SOCKFD);
	ready_ns = cpu_now_ns();
	if (imsg_compose(&ibuf, IMSG_RUNNER_READY, 0, -1, NULL, 0) == -1 ||
	    imsgbuf_flush(&ibuf) == -1)
		fatal("ready");
	receive_job(&ibuf, &job, &fd);
	job_ns = cpu_now_ns();

	/*
	 * The object: a memfd nobody can change any more.  The loader reads
	 * it all, so its pages come mapped (MAP_POPULATE), not a fault each.
	 */
	if (memfd_check_sealed(fd, &size) == -1)
		finish(RS_BAD_JOB, "object is not a sealed memfd");
	if (size != job.size || size == 0 || size > ELF_MAXSIZE)
		finish(RS_LOAD_ERROR, "object size out of range");
	if ((map = lowmap(size, PROT_READ, MAP_PRIVATE | MAP_POPULATE,
	    fd)) == MAP_FAILED)
		finish(RS_INTERNAL, "cannot map the object");
	/*
	 * The object stays mapped and its memfd open: unmapping it and
	 * dropping the memfd's last reference (freeing its pages) is work
	 * the runner's exit does anyway, after the answer, instead of on
	 * the request's way.  All the kernel could do with either is read
	 * its own object: the final filter refuses the memfd to read(2),
	 * and mmap(2) altogether.
	 */
	obj = elfobj_load(map, size, job.symbol, err, sizeof(err));
	if (obj == NULL)
		finish(RS_LOAD_ERROR, err);
	entry = elfobj_entry(obj);

	if ((cf = call_prepare(&job, entry, err, sizeof(err))) == NULL)
		finish(RS_NO_MEMORY, err);
	if (ctr != NULL && job.nevents == 0) {
		if (counters_reserve(ctr, job.repeat, err, sizeof(err)) == -1)
			finish(errno == EINVAL ? RS_BAD_JOB : RS_NO_MEMORY,
			    err);
	} else {
		counters_close(ctr);
		if ((ctr = counters_open(job.events, job.nevents, job.repeat,
		    err, sizeof(err))) == NULL)
			finish(errno == EINVAL ? RS_BAD_JOB :
			    RS_COUNTER_ERROR, err);
	}
	counters_set_stepmax(ctr, job.stepmax);
	nfds = counters_fds(ctr, ctrfds, WR_MAXEVENTS * 2);

	/*
	 * The events the result will list, while the kernel has not run: a
	 * result that lists others, or claims a count this one did not
	 * plan, was written by the kernel (monitor/kjob.c).
	 */
	memset(&plan, 0, sizeof(plan));
	counters_plan(ctr, &plan.res);
	wfd = counters_witness(ctr, &plan);
	plan.cpu_ns[CPU_BORN] = so.born_ns;
	plan.cpu_ns[CPU_READY] = ready_ns;
	plan.cpu_ns[CPU_JOB] = job_ns;
	plan.cpu_ns[CPU_PLAN] = cpu_now_ns();
	if (imsg_compose(&ibuf, IMSG_RUNNER_PLAN, 0, wfd, &plan,
	    sizeof(plan)) == -1 || imsgbuf_flush(&ibuf) == -1)
		finish(RS_INTERNAL, "cannot send the plan");

	if (sandbox_final(ctrfds, nfds) == -1)
		finish(RS_INTERNAL, "cannot install the final seccomp filter");

	/* From here on: no allocation, no system call but the allowed. */
	measuring = 1;
	if (counters_measure(ctr, job.warmup, job.repeat, run_kernel,
	    run_empty, cf, &out.res) == -1)
		finish(RS_COUNTER_ERROR, "measurement failed");
	measuring = 0;
	finish(RS_OK, "");
}

/*
 * Wait for the job.  The runner trusts the monitor, but still checks what
 * it relies on, so a bug there cannot turn into memory corruption here.
 */
static void
receive_job(struct imsgbuf *ibuf, struct job *job, int *fd)
{
	struct imsg	 imsg;
	ssize_t		 n;

	for (;;) {
		if ((n = imsg_get(ibuf, &imsg)) == -1)
			fatal("bad message from the monitor");
		if (n > 0)
			break;
		if ((n = imsgbuf_read(ibuf)) == -1)
			fatal("read");
		if (n == 0)
			exit(0);	/* the monitor let us go unused */
	}
	if (imsg.hdr.type != IMSG_JOB ||
	    imsg_get_data(&imsg, job, sizeof(*job)) == -1 ||
	    (*fd = imsg_take_fd(&imsg)) == -1)
		fatalx("unexpected message %u from the monitor",
		    imsg.hdr.type);
	imsg_free(&imsg);
	if (memchr(job->symbol, '\0', sizeof(job->symbol)) == NULL ||
	    job->nargs > WR_MAXARGS || job->nbufs > WR_MAXBUFS ||
	    job->nevents > WR_MAXEVENTS || job->repeat == 0)
		finish(RS_BAD_JOB, "malformed job");
	for (n = 0; n < (ssize_t)job->nevents; n++)
		if (memchr(job->events[n], '\0', WR_NAMELEN) == NULL)
			finish(RS_BAD_JOB, "malformed event name");
}

/*
 * Send the result, then sleep until the monitor kills the runner.  The
 * monitor answers the client first, so tearing down this address space
 * and these namespaces (a few hundred microseconds, on the CPU the
 * monitor would otherwise wait for) happens after the answer instead of
 * before it.  Without a monitor the parent-death signal ends it.
 */
static void
send_result(void)
{
	const char	*p = (const char *)&out;
	size_t		 left = sizeof(out);
	ssize_t		 n;

	while (left > 0) {
		n = write(RUNNER_SOCKFD, p, left);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		p += n;
		left -= (size_t)n;
	}
	for (;;)
		pause();
}

static __dead void
finish(uint32_t status, const char *reason)
{
	out.res.status = status;
	if (reason != out.res.reason)
		strlcpy(out.res.reason, reason, sizeof(out.res.reason));
	send_result();
	_exit(RUNNER_EXIT_DONE);
}

static uint64_t
run_kernel(void *arg)
{
	return call_kernel(arg);
}

static uint64_t
run_empty(void *arg)
{
	return call_empty(arg);
}

/*
 * Faults and forbidden system calls end here (a SIGTRAP by way of soft.c,
 * which keeps the single-step traps), on an alternate stack so a
 * stack overflow is reported too: the kernel's, and from the time the
 * runner waits for its job, the runner's own, marked as outside the
 * kernel.  The report is built without allocation and sent with the one
 * write(2) allowed.
 */
static void
fault_handler(int sig, siginfo_t *si, void *uctx)
{
	const ucontext_t	*uc = uctx;
	const char		*sec;
	uint64_t		 off;
	uintptr_t		 pc;
	char			 where[96];

	/*
	 * A handler inherits the kernel's EFLAGS.AC: cleared, or the
	 * unaligned accesses of snprintf() would turn this report into a
	 * second, unreported SIGBUS.
	 */
	__writeeflags(__readeflags() & ~(unsigned long long)EFLAGS_AC);

	pc = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
	if (obj != NULL && elfobj_locate(obj, pc, &sec, &off) == 0)
		snprintf(where, sizeof(where), " at %s+0x%llx", sec,
		    (unsigned long long)off);
	else
		snprintf(where, sizeof(where), " at 0x%llx outside the "
		    "object", (unsigned long long)pc);

	memset(&out.res, 0, sizeof(out.res));
	if (sig == SIGSYS) {
		/* Refused outside the kernel: the runner's own bug. */
		out.res.status = measuring ? RS_SYSCALL : RS_INTERNAL;
		out.res.sysno = si->si_syscall;
		snprintf(out.res.reason, sizeof(out.res.reason),
		    "system call %d%s", si->si_syscall, where);
	} else if (sig == SIGSEGV && si->si_code == SI_KERNEL &&
	    obj != NULL && elfobj_locate(obj, pc, &sec, &off) == 0 &&
	    ((const unsigned char *)pc)[0] == 0xcd &&
	    ((const unsigned char *)pc)[1] == 0x80) {
		/*
		 * int 0x80 on a host built without 32-bit system calls:
		 * the CPU raises a protection fault instead of entering
		 * the kernel.  It was still a system call the kernel
		 * tried, so it is reported as one wherever it runs.  The
		 * pc lies in the object's code, which is readable.
		 */
		out.res.status = measuring ? RS_SYSCALL : RS_INTERNAL;
		out.res.sysno = WR_SYSNO_INT80;
		snprintf(out.res.reason, sizeof(out.res.reason),
		    "int 0x80%s", where);
	} else {
		out.res.status = RS_SIGNALLED;
		out.res.sysno = sig;
		if (sig == SIGSEGV || sig == SIGBUS)
			snprintf(out.res.reason, sizeof(out.res.reason),
			    "SIG%s: bad access to address 0x%llx%s",
			    signame(sig), (unsigned long long)
			    (uintptr_t)si->si_addr, where);
		else
			snprintf(out.res.reason, sizeof(out.res.reason),
			    "SIG%s%s", signame(sig), where);
	}
	if (!measuring)
		strlcat(out.res.reason, " (outside the kernel)",
		    sizeof(out.res.reason));
	send_result();
	_exit(RUNNER_EXIT_DONE);
}

static int
install_handlers(void)
{
	static const int	 sigs[] = {
		SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP, SIGSYS, SIGABRT
	};
	struct sigaction	 sa;
	stack_t			 ss;
	size_t			 i;

	if ((ss.ss_sp = lowmap(ALTSTACK_SIZE, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1)) == MAP_FAILED)
		return -1;
	ss.ss_size = ALTSTACK_SIZE;
	ss.ss_flags = 0;
	if (sigaltstack(&ss, NULL) == -1)
		return -1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = fault_handler;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
	sigfillset(&sa.sa_mask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		if (sigaction(sigs[i], &sa, NULL) == -1)
			return -1;
	return 0;
}
