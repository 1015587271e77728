/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The text polkit agent berth start/stop/restart run beside their bus calls (see polkit-agent.h). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "macro.h"
#include "polkit-agent.h"

int polkit_agent_open(pid_t *ret_pid)
{
        _cleanup_close_pair_ int fds[2] = { -EBADF, -EBADF };
        struct pollfd p;
        char fd_arg[16];
        pid_t pid;

        *ret_pid = 0;
        if (geteuid() == 0 || !isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO) ||
            access(POLKIT_AGENT_BINARY_PATH, X_OK) < 0)
                return 0;
        /* The agent closes (or writes to) its --notify-fd once it is registered for our process. */
        if (pipe2(fds, O_CLOEXEC) < 0)
                return negative_errno();
        /* As systemctl: registered for the caller's login session; --fallback: an agent the
         * session already has (a graphical one) comes first. */
        pid = fork();
        if (pid < 0)
                return negative_errno();
        if (pid == 0) {
                int fd;

                (void)prctl(PR_SET_PDEATHSIG, SIGTERM);
                /* the write end without O_CLOEXEC, every other fd of berth closed on exec */
                fd = dup(fds[1]);
                if (fd < 0)
                        _exit(EXIT_FAILURE);
                snprintf(fd_arg, sizeof(fd_arg), "%d", fd);
                execl(POLKIT_AGENT_BINARY_PATH, POLKIT_AGENT_BINARY_PATH, "--notify-fd", fd_arg,
                      "--fallback", (char *)NULL);
                _exit(EXIT_FAILURE);
        }
        fds[1] = safe_close(fds[1]);
        p = (struct pollfd){ .fd = fds[0], .events = POLLIN };
        while (poll(&p, 1, -1) < 0)
                if (errno != EINTR) {
                        int r = negative_errno();
                        polkit_agent_close(pid);
                        return r;
                }
        *ret_pid = pid;
        return 0;
}

void polkit_agent_close(pid_t pid)
{
        if (pid <= 0)
                return;
        (void)kill(pid, SIGTERM);
        (void)kill(pid, SIGCONT);
        while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
                ;
}
