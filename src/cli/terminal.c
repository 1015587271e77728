/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include "log.h"
#include "terminal.h"

static int stdout_is_tty = -1; /* decided before a pager takes standard output over */
static pid_t pager_pid;

static bool env_is_false(const char *name)
{
        const char *e = getenv(name);
        if (!e)
                return false;
        return streq(e, "0") || !strcasecmp(e, "no") || !strcasecmp(e, "false") || !strcasecmp(e, "off");
}

static bool on_tty(void)
{
        if (stdout_is_tty < 0)
                stdout_is_tty = isatty(STDOUT_FILENO);
        return stdout_is_tty;
}

bool colors_enabled(void)
{
        const char *term = getenv("TERM");

        if (getenv("NO_COLOR") || env_is_false("SYSTEMD_COLORS"))
                return false;
        if (getenv("SYSTEMD_COLORS")) /* explicitly on ("1", "yes", "16", "256", "true") */
                return true;
        return on_tty() && !(term && streq(term, "dumb"));
}

const char *ansi_highlight_green(void)
{
        return colors_enabled() ? "\033[0;1;32m" : "";
}

const char *ansi_highlight_red(void)
{
        return colors_enabled() ? "\033[0;1;31m" : "";
}

const char *ansi_highlight(void)
{
        return colors_enabled() ? "\033[0;1;39m" : "";
}

const char *ansi_normal(void)
{
        return colors_enabled() ? "\033[0m" : "";
}

static const char *pager_command(void)
{
        const char *p = getenv("SYSTEMD_PAGER");
        if (!p)
                p = getenv("PAGER");
        return p;
}

int pager_open(bool no_pager)
{
        const char *cmd = pager_command();
        int fds[2];
        pid_t pid;

        if (no_pager || pager_pid > 0 || !on_tty())
                return 0;
        if (cmd && (isempty(cmd) || streq(cmd, "cat")))
                return 0;

        if (pipe2(fds, O_CLOEXEC) < 0)
                return negative_errno();
        fflush(stdout);
        pid = fork();
        if (pid < 0) {
                int r = negative_errno();
                close_pair(fds);
                return r;
        }
        if (pid == 0) {
                /* The pager reads what berth writes; it dies with berth. */
                (void)prctl(PR_SET_PDEATHSIG, SIGTERM);
                if (dup2(fds[0], STDIN_FILENO) < 0)
                        _exit(EXIT_FAILURE);
                close_pair(fds);
                setenv("LESS", getenv("SYSTEMD_LESS") ?: "FRXMK", 1);
                if (!getenv("LESSCHARSET"))
                        setenv("LESSCHARSET", "utf-8", 1);
                /* Like systemd: no shell escapes from less for a user who got root through sudo
                 * or pkexec, unless $SYSTEMD_PAGERSECURE=0 says otherwise. */
                if (getenv("SYSTEMD_PAGERSECURE") ? !env_is_false("SYSTEMD_PAGERSECURE")
                                                  : getenv("SUDO_UID") || getenv("PKEXEC_UID"))
                        setenv("LESSSECURE", "1", 1);
                if (cmd)
                        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
                else {
                        execlp("pager", "pager", (char *)NULL);
                        execlp("less", "less", (char *)NULL);
                        execlp("more", "more", (char *)NULL);
                }
                /* No pager to be had: pass the text through unpaged. */
                char buf[4096];
                ssize_t n;
                while ((n = read(STDIN_FILENO, buf, sizeof(buf))) > 0)
                        if (write(STDOUT_FILENO, buf, (size_t)n) != n)
                                break;
                _exit(EXIT_SUCCESS);
        }
        if (dup2(fds[1], STDOUT_FILENO) < 0) {
                int r = negative_errno();
                close_pair(fds);
                return r;
        }
        close_pair(fds);
        pager_pid = pid;
        return 1;
}

void pager_close(void)
{
        if (pager_pid <= 0)
                return;
        fflush(stdout);
        /* EOF for the pager; stdout stays a valid (closed-pipe) descriptor number until exit. */
        int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
        if (null >= 0) {
                dup2(null, STDOUT_FILENO);
                close(null);
        } else
                close(STDOUT_FILENO);
        while (waitpid(pager_pid, NULL, 0) < 0 && errno == EINTR)
                ;
        pager_pid = 0;
}
