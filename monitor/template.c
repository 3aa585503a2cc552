/*
 * A pool's runner template (runner/template.c) as a row of the process
 * table (proc.c).  Each pool has its own: webrunnerd-runner -T clones
 * kernel runners, -P program runners.
 *
 * The monitor starts the template as root through runner_spawn()
 * (spawn.c), and sends it one IMSG_SPAWN per runner, preceded by the
 * runner's cgroup directories; the template answers each with one
 * IMSG_SPAWNED holding the runner's pid, and may send nothing else.  A
 * template that dies, closes its socket or says something it may not is
 * lost: the runners asked of it will not come, and it is restarted with
 * the backoff of proc.c.  This file holds no runner: what becomes of the
 * runners is the pool's (pool.c), told through the hooks it gave
 * template_init().
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "common.h"
#include "monitor.h"

/* Its states: whether an IMSG_SPAWNED may come. */
enum tpl_state {
	TPL_IDLE = 0,		/* no spawn asked for and unanswered */
	TPL_PENDING		/* `pending' spawns wait for their answer */
};

static void	 template_start(struct proc *);
static void	 template_lost(struct proc *, const char *, int);
static void	 template_exited(struct proc *, int, const struct rusage *);
static int	 template_spawned(struct proc *, struct imsg *);

/* What the template may send the monitor: proto.h's "TPL -> MON". */
static const struct proc_msg template_msgs[] = {
	{ IMSG_SPAWNED, "spawn answer", PS(TPL_PENDING), 0,
	    sizeof(struct spawn_res), template_spawned },
};

static const struct proc_kind template_kind = {
	.msgs = template_msgs,
	.nmsgs = sizeof(template_msgs) / sizeof(template_msgs[0]),
	.start = template_start,
	.lost = template_lost,
	.exited = template_exited
};

/* The template's proc is a member of its pool. */
static struct pool *
pool_of(struct proc *p)
{
	return (struct pool *)(void *)((char *)p - offsetof(struct pool, tpl));
}

void
template_init(struct pool *pl, const struct template_hooks *h)
{
	char	 name[64];

	pl->tpl_hooks = h;
	snprintf(name, sizeof(name), "%s template", pl->kind->name);
	proc_init(&pl->tpl, &template_kind, name);
	template_start(&pl->tpl);
}

void
template_stop(struct pool *pl)
{
	proc_stop(&pl->tpl);
	if (pl->tpl.pid != -1) {
		kill(pl->tpl.pid, SIGKILL);
		waitpid(pl->tpl.pid, NULL, 0);
		pl->tpl.pid = -1;
	}
}

/* Whether a runner can be asked for now. */
int
template_ready(const struct pool *pl)
{
	return pl->tpl.up;
}

/*
 * Ask for a runner: its cgroup directories, then the runner's end of its
 * socket with the spawn request.  Every fd passes to the queue, which
 * closes it once sent.
 */
void
template_spawn(struct pool *pl, const struct spawn_req *req,
    const int *cgfds, int ncg, int sock)
{
	int	 i;

	for (i = 0; i < ncg; i++)
		proc_compose(&pl->tpl, IMSG_SPAWN_CGROUP, req->id, cgfds[i],
		    NULL, 0);
	proc_compose(&pl->tpl, IMSG_SPAWN, req->id, sock, req, sizeof(*req));
	pl->tpl_pending++;
	pl->tpl.state = TPL_PENDING;
}

static void
template_start(struct proc *p)
{
	struct pool		*pl = pool_of(p);
	struct runner_spawn	 rs;
	char			 prog[1100], err[WR_REASONLEN];
	pid_t			 pid;
	int			 sock, i;

	if (mon->shutdown)
		return;
	snprintf(prog, sizeof(prog), "%s/webrunnerd-runner", mon->libexec);
	memset(&rs, 0, sizeof(rs));
	rs.prog = prog;
	rs.root = mon->conf->chroot;
	rs.debug = mon->debug;
	rs.verbose = mon->verbose;
	rs.program = pl->kind->program;
	for (i = 0; rs.program && i < (int)mon->conf->nprogram_mounts &&
	    i < SPAWN_MAXMOUNTS; i++)
		rs.mounts[rs.nmounts++] = mon->conf->program_mounts[i];
	pl->tpl_pending = 0;
	p->state = TPL_IDLE;
	if ((pid = runner_spawn(&rs, &sock, err, sizeof(err))) == -1) {
		log_warnx("%s: %s", p->name, err);
		pl->tpl_hooks->lost(pl, err);
		proc_restart(p, 1);
		return;
	}
	proc_set_pid(p, pid);
	proc_open(p, sock);
	pl->tpl_hooks->up(pl);
}

/* Lost while it lives: proc.c kills it, and it restarts once reaped. */
static void
template_lost(struct proc *p, const char *why, int broke)
{
	(void)broke;
	pool_of(p)->tpl_hooks->lost(pool_of(p), why);
}

static void
template_exited(struct proc *p, int status, const struct rusage *ru)
{
	char	 why[64];

	(void)ru;
	if (WIFSIGNALED(status))
		snprintf(why, sizeof(why), "killed by SIG%s",
		    signame(WTERMSIG(status)));
	else
		snprintf(why, sizeof(why), "exited with status %d",
		    WEXITSTATUS(status));
	log_warnx("%s: %s", p->name, why);
	proc_close(p);
	pool_of(p)->tpl_hooks->lost(pool_of(p), why);
	if (!mon->shutdown)
		proc_restart(p, 1);
}

static int
template_spawned(struct proc *p, struct imsg *imsg)
{
	struct spawn_res	 res;

	if (imsg_get_data(imsg, &res, sizeof(res)) == -1)
		return -1;
	if (--pool_of(p)->tpl_pending == 0)
		p->state = TPL_IDLE;
	if (res.pid > 0)
		proc_proven(p);
	pool_of(p)->tpl_hooks->spawned(pool_of(p), &res);
	return 0;
}
