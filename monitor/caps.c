/*
 * The monitor's capabilities: what root may still do once the listening
 * sockets are bound and the log files open.
 *
 * The monitor has to be root, but it needs few of root's powers, and
 * without a systemd unit that limits it (webrunnerd.service does) it
 * would keep them all.  So it gives up, from its bounding set and its
 * permitted set, every capability that neither it nor a process it
 * starts uses, and from its effective set those that only its children
 * use.  A helper it execs as uid 0 (webrunnerd-net, the runner template)
 * gets the bounding set from execve(2), but under no_new_privs (the
 * unit's NoNewPrivileges=yes) no more than the monitor's permitted set:
 * so that set keeps what the children need.  Runners are cloned by the
 * template and hold what it holds until they drop it all.
 *
 * Files the monitor opens again on SIGHUP (the configuration, the kernel
 * specs, the token file, the logs) are opened without CAP_DAC_OVERRIDE
 * and so must be reachable by uid 0 through their modes, as files that
 * belong to root are.  The sockets stay bound across a reload, so
 * CAP_NET_BIND_SERVICE is not needed after this point either.
 */
#include <sys/types.h>

#include <errno.h>

#include <sys/capability.h>

#include "common.h"
#include "monitor.h"

static const struct {
	cap_value_t	 cap;
	int		 self;		/* the monitor's own calls use it */
	const char	*why;
	int		 nopmu;		/* kept only without a hardware PMU */
} caps_kept[] = {
	{ CAP_SYS_ADMIN,	1, "clone(2) of the template into new "
	    "namespaces, mount(2) before it execs; the template's mount of "
	    "the empty root, pivot_root(2), sethostname(2), the runners' "
	    "namespaces", 0 },
	{ CAP_KILL,		1, "kill(2) of runners and of the network "
	    "process, which run as other users", 0 },
	{ CAP_SYS_NICE,		1, "setpriority(2) of runners, which run as "
	    "other users, from 19 to the nice option and back", 0 },
	{ CAP_SETUID,		0, "the network process and the runners "
	    "change to their own user", 0 },
	{ CAP_SETGID,		0, "the network process and the runners "
	    "change their groups", 0 },
	{ CAP_SYS_CHROOT,	0, "the network process chroots to an "
	    "empty directory", 0 },
	{ CAP_SETPCAP,		0, "the network process empties its own "
	    "bounding set; the monitor empties its own first", 0 },
	{ CAP_SYS_PTRACE,	0, "the stepper's ptrace(2) of a kernel runner, "
	    "which runs as another user, where no hardware PMU counts "
	    "instructions (stepper.c)", 1 },
};

#define NCAPS_KEPT	(sizeof(caps_kept) / sizeof(caps_kept[0]))

static int	 caps_keep(cap_value_t);
static int	 keep_flag(cap_t, cap_t, cap_value_t, cap_flag_t);

static int
caps_keep(cap_value_t cap)
{
	size_t	 i;

	for (i = 0; i < NCAPS_KEPT; i++)
		if (caps_kept[i].cap == cap)
			return !caps_kept[i].nopmu || !host_pmu(NULL);
	return 0;
}

/*
 * Shrink the bounding and permitted sets to caps_kept[] and the
 * effective set to what the monitor uses itself, with nothing
 * inheritable or ambient; check the result.  Fatal on any failure: a
 * monitor that cannot shed root's other powers should not run.
 */
void
caps_drop(void)
{
	cap_t		 want, have;
	cap_value_t	 cap;
	char		*name;
	size_t		 i;

	/* Taken away before we started (a unit's bounding set): say so. */
	for (i = 0; i < NCAPS_KEPT; i++) {
		if (cap_get_bound(caps_kept[i].cap) == 1 ||
		    !caps_keep(caps_kept[i].cap))
			continue;
		name = cap_to_name(caps_kept[i].cap);
		log_warnx("%s is not in the bounding set, so this will fail: "
		    "%s", name != NULL ? name : "a capability",
		    caps_kept[i].why);
		cap_free(name);
	}
	for (cap = 0; cap < cap_max_bits(); cap++)
		if (!caps_keep(cap) && cap_drop_bound(cap) == -1 &&
		    errno != EINVAL)
			fatal("%s: cap_drop_bound %s", __func__,
			    cap_to_name(cap));
	if (cap_reset_ambient() == -1 && errno != EINVAL)
		fatal("%s: cap_reset_ambient", __func__);

	/* Only what we have can be kept. */
	if ((have = cap_get_proc()) == NULL || (want = cap_init()) == NULL)
		fatal("%s: cap_get_proc", __func__);
	for (i = 0; i < NCAPS_KEPT; i++) {
		cap = caps_kept[i].cap;
		if (!caps_keep(cap))
			continue;
		if (keep_flag(have, want, cap, CAP_PERMITTED) == -1 ||
		    (caps_kept[i].self &&
		    keep_flag(have, want, cap, CAP_EFFECTIVE) == -1))
			fatal("%s: cap_set_flag", __func__);
	}
	cap_free(have);
	if (cap_set_proc(want) == -1)
		fatal("%s: cap_set_proc", __func__);
	if ((have = cap_get_proc()) == NULL)
		fatal("%s: cap_get_proc", __func__);
	if (cap_compare(have, want) != 0)
		fatalx("%s: capabilities left after dropping them", __func__);
	for (cap = 0; cap < cap_max_bits(); cap++)
		if (!caps_keep(cap) && cap_get_bound(cap) == 1)
			fatalx("%s: %s left in the bounding set", __func__,
			    cap_to_name(cap));
	cap_free(have);
	cap_free(want);
}

/* Set flag of cap in want if it is set in have. */
static int
keep_flag(cap_t have, cap_t want, cap_value_t cap, cap_flag_t flag)
{
	cap_flag_value_t	 on;

	if (cap_get_flag(have, cap, flag, &on) == -1)
		return -1;
	return on == CAP_SET ? cap_set_flag(want, flag, 1, &cap, CAP_SET) : 0;
}
