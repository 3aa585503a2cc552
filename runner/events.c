/*
 * Event names: the generic names perf(1) knows and how webrunnerd
 * displays them, raw rNNNN codes, and anything libpfm4 knows, each turned
 * into a perf_event_attr for counters.c, which sets the flags.
 */
#include <sys/types.h>

#include <linux/perf_event.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <perfmon/pfmlib_perf_event.h>

#include "common.h"
#include "runner.h"

/* A name perf(1) knows, and how webrunnerd displays it. */
struct ctr_name {
	const char	*cn_name;
	const char	*cn_display;
	uint32_t	 cn_type;
	uint64_t	 cn_config;
	int		 cn_kernel;	/* counted in the kernel's context */
};

#define HWC(id, op, res)	(PERF_COUNT_HW_CACHE_##id | \
	    (PERF_COUNT_HW_CACHE_OP_##op << 8) | \
	    (PERF_COUNT_HW_CACHE_RESULT_##res << 16))

static const struct ctr_name ctr_names[] = {
	{ "cycles", "Cycles", PERF_TYPE_HARDWARE,
	    PERF_COUNT_HW_CPU_CYCLES, 0 },
	{ "cpu-cycles", "Cycles", PERF_TYPE_HARDWARE,
	    PERF_COUNT_HW_CPU_CYCLES, 0 },
	{ "instructions", "Instructions", PERF_TYPE_HARDWARE,
	    PERF_COUNT_HW_INSTRUCTIONS, 0 },
	{ "branches", "Branches", PERF_TYPE_HARDWARE,
	    PERF_COUNT_HW_BRANCH_INSTRUCTIONS, 0 },
	{ "branch-instructions", "Branches", PERF_TYPE_HARDWARE,
	    PERF_COUNT_HW_BRANCH_INSTRUCTIONS, 0 },
	{ "branch-misses", "Branch misses", PERF_TYPE_HARDWARE,
	    PERF_COUNT_HW_BRANCH_MISSES, 0 },
	{ "cache-references", "Cache references", PERF_TYPE_HARDWARE,
	    PERF_COUNT_HW_CACHE_REFERENCES, 0 },
	{ "cache-misses", "Cache misses", PERF_TYPE_HARDWARE,
	    PERF_COUNT_HW_CACHE_MISSES, 0 },
	{ "bus-cycles", "Bus cycles", PERF_TYPE_HARDWARE,
	    PERF_COUNT_HW_BUS_CYCLES, 0 },
	{ "ref-cycles", "Reference cycles", PERF_TYPE_HARDWARE,
	    PERF_COUNT_HW_REF_CPU_CYCLES, 0 },
	{ "stalled-cycles-frontend", "Frontend stall cycles",
	    PERF_TYPE_HARDWARE, PERF_COUNT_HW_STALLED_CYCLES_FRONTEND, 0 },
	{ "stalled-cycles-backend", "Backend stall cycles",
	    PERF_TYPE_HARDWARE, PERF_COUNT_HW_STALLED_CYCLES_BACKEND, 0 },

	{ "L1-dcache-loads", "L1 data cache loads", PERF_TYPE_HW_CACHE,
	    HWC(L1D, READ, ACCESS), 0 },
	{ "L1-dcache-load-misses", "L1 data cache load misses",
	    PERF_TYPE_HW_CACHE, HWC(L1D, READ, MISS), 0 },
	{ "L1-dcache-stores", "L1 data cache stores", PERF_TYPE_HW_CACHE,
	    HWC(L1D, WRITE, ACCESS), 0 },
	{ "L1-icache-load-misses", "L1 instruction cache load misses",
	    PERF_TYPE_HW_CACHE, HWC(L1I, READ, MISS), 0 },
	{ "LLC-loads", "Last level cache loads", PERF_TYPE_HW_CACHE,
	    HWC(LL, READ, ACCESS), 0 },
	{ "LLC-load-misses", "Last level cache load misses",
	    PERF_TYPE_HW_CACHE, HWC(LL, READ, MISS), 0 },
	{ "LLC-stores", "Last level cache stores", PERF_TYPE_HW_CACHE,
	    HWC(LL, WRITE, ACCESS), 0 },
	{ "dTLB-loads", "Data TLB loads", PERF_TYPE_HW_CACHE,
	    HWC(DTLB, READ, ACCESS), 0 },
	{ "dTLB-load-misses", "Data TLB load misses", PERF_TYPE_HW_CACHE,
	    HWC(DTLB, READ, MISS), 0 },
	{ "iTLB-loads", "Instruction TLB loads", PERF_TYPE_HW_CACHE,
	    HWC(ITLB, READ, ACCESS), 0 },
	{ "iTLB-load-misses", "Instruction TLB load misses",
	    PERF_TYPE_HW_CACHE, HWC(ITLB, READ, MISS), 0 },
	{ "branch-loads", "Branch predictor lookups", PERF_TYPE_HW_CACHE,
	    HWC(BPU, READ, ACCESS), 0 },
	{ "branch-load-misses", "Branch predictor misses", PERF_TYPE_HW_CACHE,
	    HWC(BPU, READ, MISS), 0 },

	/*
	 * Page faults and the like are raised with the user's registers
	 * and count with the kernel excluded; context switches and
	 * migrations happen in the scheduler, so excluding the kernel
	 * would always count zero.
	 */
	{ "task-clock", "Task clock (ns)", PERF_TYPE_SOFTWARE,
	    PERF_COUNT_SW_TASK_CLOCK, 0 },
	{ "cpu-clock", "CPU clock (ns)", PERF_TYPE_SOFTWARE,
	    PERF_COUNT_SW_CPU_CLOCK, 0 },
	{ "page-faults", "Page faults", PERF_TYPE_SOFTWARE,
	    PERF_COUNT_SW_PAGE_FAULTS, 0 },
	{ "faults", "Page faults", PERF_TYPE_SOFTWARE,
	    PERF_COUNT_SW_PAGE_FAULTS, 0 },
	{ "minor-faults", "Minor faults", PERF_TYPE_SOFTWARE,
	    PERF_COUNT_SW_PAGE_FAULTS_MIN, 0 },
	{ "major-faults", "Major faults", PERF_TYPE_SOFTWARE,
	    PERF_COUNT_SW_PAGE_FAULTS_MAJ, 0 },
	{ "alignment-faults", "Alignment faults", PERF_TYPE_SOFTWARE,
	    PERF_COUNT_SW_ALIGNMENT_FAULTS, 0 },
	{ "emulation-faults", "Emulation faults", PERF_TYPE_SOFTWARE,
	    PERF_COUNT_SW_EMULATION_FAULTS, 0 },
	{ "context-switches", "Context switches", PERF_TYPE_SOFTWARE,
	    PERF_COUNT_SW_CONTEXT_SWITCHES, 1 },
	{ "cs", "Context switches", PERF_TYPE_SOFTWARE,
	    PERF_COUNT_SW_CONTEXT_SWITCHES, 1 },
	{ "cpu-migrations", "CPU migrations", PERF_TYPE_SOFTWARE,
	    PERF_COUNT_SW_CPU_MIGRATIONS, 1 },
	{ "migrations", "CPU migrations", PERF_TYPE_SOFTWARE,
	    PERF_COUNT_SW_CPU_MIGRATIONS, 1 },
};

static int	 parse_raw(const char *, uint64_t *);

/*
 * Turn a name into an attr and a display name.  On failure the reason is
 * in `reason' and -1 is returned.
 */
int
events_resolve(const char *name, char *disp, size_t displen, char *reason,
    size_t reasonlen, struct perf_event_attr *attr)
{
	static int		 pfm_state;	/* 0 not yet, 1 ok, -1 failed */
	struct perf_event_attr	 pattr;
	pfm_perf_encode_arg_t	 parg;
	const struct ctr_name	*cn;
	size_t			 i;
	uint64_t		 raw;
	int			 rc;

	if (!event_name_ok(name)) {
		/* Show the name, but nothing a formatter could choke on. */
		str_clean(disp, displen, name, strlen(name));
		strlcpy(reason, "invalid event name", reasonlen);
		return -1;
	}
	strlcpy(disp, name, displen);

	memset(attr, 0, sizeof(*attr));
	attr->exclude_kernel = 1;
	for (i = 0; i < sizeof(ctr_names) / sizeof(ctr_names[0]); i++) {
		cn = &ctr_names[i];
		if (strcmp(name, cn->cn_name) != 0)
			continue;
		strlcpy(disp, cn->cn_display, displen);
		attr->type = cn->cn_type;
		attr->config = cn->cn_config;
		attr->exclude_kernel = !cn->cn_kernel;
		return 0;
	}
	if (parse_raw(name, &raw) == 0) {
		attr->type = PERF_TYPE_RAW;
		attr->config = raw;
		return 0;
	}

	if (pfm_state == 0)
		pfm_state = pfm_initialize() == PFM_SUCCESS ? 1 : -1;
	if (pfm_state == -1) {
		snprintf(reason, reasonlen,
		    "unknown event '%s' (libpfm4 failed to initialise)", name);
		return -1;
	}
	memset(&pattr, 0, sizeof(pattr));
	memset(&parg, 0, sizeof(parg));
	parg.attr = &pattr;
	parg.size = sizeof(parg);
	rc = pfm_get_os_event_encoding(name, PFM_PLM3, PFM_OS_PERF_EVENT_EXT,
	    &parg);
	if (rc == PFM_ERR_NOTFOUND) {
		snprintf(reason, reasonlen,
		    "unknown event '%s'", name);
		return -1;
	}
	if (rc != PFM_SUCCESS) {
		snprintf(reason, reasonlen,
		    "event '%s': %s", name, pfm_strerror(rc));
		return -1;
	}
	/* Only the event's encoding; the flags are ours. */
	attr->type = pattr.type;
	attr->config = pattr.config;
	attr->config1 = pattr.config1;
	attr->config2 = pattr.config2;
	return 0;
}

/* rNNNN: 1 to 16 hex digits, nothing else. */
static int
parse_raw(const char *s, uint64_t *v)
{
	size_t		 n;
	int		 d;

	if (s[0] != 'r' || s[1] == '\0')
		return -1;
	*v = 0;
	for (n = 1; s[n] != '\0'; n++) {
		if (n > 16)
			return -1;
		if (s[n] >= '0' && s[n] <= '9')
			d = s[n] - '0';
		else if (s[n] >= 'a' && s[n] <= 'f')
			d = s[n] - 'a' + 10;
		else if (s[n] >= 'A' && s[n] <= 'F')
			d = s[n] - 'A' + 10;
		else
			return -1;
		*v = *v << 4 | (uint64_t)d;
	}
	return 0;
}
