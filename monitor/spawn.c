/*
 * Starting the runner template, the one way a runner comes to be.
 *
 * The template is webrunnerd-runner -T (or -P, the program template, with
 * its -m paths), started as root with its socket as fd 3, stdin, stdout
 * and stderr, and nothing else of the monitor, with a parent-death
 * signal, and laid out as runner_exec_setup() says.  It makes its own
 * namespaces and empty root and clones every runner (runner/sandbox.c,
 * runner/template.c), for the daemon (template.c) and for
 * regress/rundriver alike, which links this file because it uses no
 * libevent.  Nothing here starts a runner directly.
 */
#include <sys/types.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/socket.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "monitor.h"

static __dead void child(const struct runner_spawn *, int);

pid_t
runner_spawn(const struct runner_spawn *rs, int *sock, char *err,
    size_t errlen)
{
	sigset_t	 all, old;
	pid_t		 pid;
	int		 sp[2];

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp) == -1) {
		snprintf(err, errlen, "socketpair: %s", strerror(errno));
		return -1;
	}
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	if ((pid = fork()) == 0)
		child(rs, sp[1]);
	sigprocmask(SIG_SETMASK, &old, NULL);
	close(sp[1]);
	if (pid == -1) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		close(sp[0]);
		return -1;
	}
	*sock = sp[0];
	return pid;
}

/*
 * For the calling process, about to exec a template (program 0: the
 * kernel template), or regress/floor, about to exec itself as one.
 *
 * The kernel template, and so each of its runners, is laid out as
 * execve(2) lays out a static binary without randomization: heap after
 * .bss, mappings and stack together at the top.  That takes a runner's
 * page tables from 11 pages to 8, which every clone copies and every exit
 * frees.  The template then moves its stack, and its runners' mappings,
 * below 1 GB (runner/template.c, template_low_stack()), so that a runner
 * uses the page tables of the top only to drop them at exit.  Its code is
 * at a fixed address anyway, and a runner runs its submitter's code.
 * Program runners exec programs and keep the host's randomization.
 *
 * No restartable sequence for either: glibc would register one, and the
 * kernel then writes the CPU number into it on each way back to user
 * space after a clone or a move to another CPU, a copy-on-write fault in
 * the template and one in the runner after every clone.  Neither uses
 * it.  A later entry of GLIBC_TUNABLES wins over an earlier.
 */
int
runner_exec_setup(int program)
{
	char		 tunables[1024];
	const char	*env;
	int		 pers;

	if (!program && ((pers = personality(0xffffffff)) == -1 ||
	    personality((unsigned long)pers | ADDR_NO_RANDOMIZE) == -1))
		return -1;
	env = getenv("GLIBC_TUNABLES");
	snprintf(tunables, sizeof(tunables), "%s%sglibc.pthread.rseq=0",
	    env != NULL ? env : "", env != NULL ? ":" : "");
	return setenv("GLIBC_TUNABLES", tunables, 1);
}

static __dead void
child(const struct runner_spawn *rs, int fd)
{
	char	 verbose[8], root[1024];
	char	*argv[8 + 2 * SPAWN_MAXMOUNTS];
	sigset_t none;
	int	 i, argc = 0, tmp;

	for (i = 1; i < NSIG; i++)
		signal(i, SIG_DFL);
	/* The parent blocked everything around fork(); undo it here. */
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1)
		goto fail;
	if ((tmp = fcntl(fd, F_DUPFD, 64)) == -1 || dup2(tmp, 3) == -1)
		goto fail;
	i = 3;
	closefrom_except(3, &i, 1);
	if (runner_exec_setup(rs->program) == -1)
		goto fail;

	argv[argc++] = "webrunnerd-runner";
	argc = log_flags(argv, argc, rs->debug, rs->verbose, verbose);
	argv[argc++] = rs->program ? "-P" : "-T";
	argv[argc++] = "-r";
	strlcpy(root, rs->root, sizeof(root));
	argv[argc++] = root;
	/* Copies: execv's argv is not const; this process is about to go. */
	for (i = 0; rs->program && i < rs->nmounts && i < SPAWN_MAXMOUNTS;
	    i++) {
		argv[argc++] = "-m";
		if ((argv[argc++] = strdup(rs->mounts[i])) == NULL)
			goto fail;
	}
	argv[argc] = NULL;
	execv(rs->prog, argv);
fail:
	dprintf(STDERR_FILENO, "runner template: setup failed: %s\n",
	    strerror(errno));
	_exit(127);
}
