/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Init=yes: a minimal init as the container's PID 1 (what `docker run --init` gets from tini). A
 * PID 1 only receives the signals it has a handler for, so a payload that never installs one
 * (sleep, most shell scripts, busybox httpd) ignores SIGTERM and Ctrl-C as PID 1; and nobody
 * reaps the orphans it leaves. Here the confined child forks once more: the grandchild execs the
 * payload, the child stays as PID 1 and only forwards signals to it and reaps.
 *
 * The reaper runs after the whole confinement (capability sets, no_new_privs, label, user,
 * seccomp filter): it has exactly the payload's privileges. It holds no host fd (all were closed
 * before; it closes the socket to the supervisor too) and runs no code of the container's. It is
 * berth's own image, so it marks itself non-dumpable: its /proc/1/{exe,mem,...} then need
 * CAP_SYS_PTRACE over the user namespace its memory was created in, the host's, which nothing
 * in the container has (and the filter refuses ptrace anyway). Signals from inside the container
 * cannot kill it (the kernel protects a PID 1 from its own namespace). */
#include <errno.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "launch-context.h"

/* The payload's end as an exit status: its code, or 128+N (signal N can't end a PID 1). */
static int status_of(int wstatus)
{
        if (WIFEXITED(wstatus))
                return WEXITSTATUS(wstatus);
        if (WIFSIGNALED(wstatus))
                return 128 + WTERMSIG(wstatus);
        return EXIT_FAILURE;
}

_noreturn_ static void reap_until_payload_exits(pid_t payload, const sigset_t *all)
{
        for (;;) {
                siginfo_t si;
                int sig = sigwaitinfo(all, &si), wstatus;
                pid_t pid;

                if (sig < 0)
                        continue; /* EINTR */
                if (sig != SIGCHLD) {
                        (void)kill(payload, sig); /* the payload's gone already: ESRCH */
                        continue;
                }
                /* One SIGCHLD may stand for several ends. */
                while ((pid = waitpid(-1, &wstatus, WNOHANG)) > 0)
                        if (pid == payload)
                                _exit(status_of(wstatus)); /* the rest of the namespace dies with us */
        }
}

int reaper_fork(int parent_fd)
{
        sigset_t all, old;
        pid_t pid;

        /* From before the fork: no signal may be lost between fork and the wait loop. */
        sigfillset(&all);
        if (sigprocmask(SIG_BLOCK, &all, &old) < 0)
                return negative_errno();
        pid = fork();
        if (pid < 0)
                return negative_errno();
        if (pid == 0) {
                /* With a terminal (interactive), the payload takes its foreground: Ctrl-C, ^Z
                 * reach it alone, not the reaper too (SIGTTOU is still blocked here). */
                if (isatty(STDIN_FILENO) && tcgetsid(STDIN_FILENO) == getsid(0) && setpgid(0, 0) >= 0)
                        (void)tcsetpgrp(STDIN_FILENO, getpid());
                if (sigprocmask(SIG_SETMASK, &old, NULL) < 0)
                        return negative_errno();
                return 0;
        }
        /* The supervisor waits for EOF on this socket: the payload's execve closes its copy. */
        safe_close(parent_fd);
        (void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
        reap_until_payload_exits(pid, &all);
}
