/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Step 6, in this order (DESIGN.md): close every fd but stdio, chdir into the new root, drop the
 * capability bounding set, no_new_privs, SELinux exec label, switch user, final capabilities,
 * seccomp filter last, execve. Nothing of the host stays open across execve. */
#include <errno.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "exit-status.h"
#include "launch-context.h"
#include "strv.h"

#include "caps.h"

static int close_all_fds_but(int keep)
{
        /* The sync socket is O_CLOEXEC: it closes by itself at execve, or reports why it failed. */
        if (keep > 3 && syscall(SYS_close_range, 3, keep - 1, 0) < 0)
                return negative_errno();
        if (syscall(SYS_close_range, keep + 1, ~0U, 0) < 0)
                return negative_errno();
        return 0;
}

static int take_console(int console)
{
        if (setsid() < 0 || ioctl(console, TIOCSCTTY, 0) < 0)
                return negative_errno();
        for (int i = 0; i < 3; i++)
                if (dup2(console, i) < 0)
                        return negative_errno();
        return 0;
}

static int switch_user(LaunchChild *ch)
{
        if (setgroups(ch->n_groups, ch->groups) < 0) {
                /* A user namespace with setgroups denied: fine when no groups are wanted. */
                if (!(errno == EPERM && ch->ctx->uid_size > 0 && ch->n_groups == 0))
                        return negative_errno();
        }
        if (setresgid(ch->gid, ch->gid, ch->gid) < 0 || setresuid(ch->uid, ch->uid, ch->uid) < 0)
                return negative_errno();
        return 0;
}

/* execve() with the container's PATH (the one in ch->env), like execvpe() but not its caller's. */
static int exec_payload(LaunchChild *ch, char *const *argv)
{
        const char *path = strv_env_get(ch->env, "PATH");
        int saved = ENOENT;

        if (strchr(argv[0], '/')) {
                execve(argv[0], argv, ch->env);
                return -errno;
        }
        for (const char *p = strempty(path);;) {
                size_t n = strcspn(p, ":");
                _cleanup_free_ char *full = NULL;

                if (asprintf(&full, "%.*s/%s", (int)n, n ? p : ".", argv[0]) < 0)
                        return -ENOMEM;
                execve(full, argv, ch->env);
                if (errno != ENOENT && errno != ENOTDIR)
                        saved = errno; /* EACCES and friends win over a later "not found" */
                if (!p[n])
                        break;
                p += n + 1;
        }
        return -saved;
}

int child_confine_and_exec(LaunchChild *ch)
{
        LaunchContext *ctx = ch->ctx;
        const ContainerConfig *c = ctx->config;
        char *default_argv[] = {(char *)(c->boot ? "/sbin/init" : "/bin/sh"), NULL};
        char *const *argv = c->exec && c->exec[0] ? c->exec : default_argv;
        const char *wd = c->working_directory;
        int r;

        if (ch->console_fd >= 0) {
                r = take_console(ch->console_fd);
                if (r < 0)
                        return child_report_error(ch, EXIT_BERTH_FAILED, r, "Failed to take the console");
        } else {
                /* A session of its own: signals reach the payload only through the supervisor,
                 * which translates them for an init, not from the caller's terminal or group. */
                if (setsid() < 0)
                        return child_report_error(ch, EXIT_BERTH_FAILED, negative_errno(),
                                                  "Failed to create a session");
                r = child_take_output(ch);
                if (r < 0)
                        return child_report_error(ch, EXIT_BERTH_FAILED, r,
                                                  "Failed to connect stdout/stderr to the supervisor");
        }
        r = close_all_fds_but(ctx->child_sync_fd);
        if (r < 0)
                return child_report_error(ch, EXIT_BERTH_FAILED, r, "Failed to close file descriptors");
        ch->console_fd = -EBADF; /* closed above */
        if (chdir("/") < 0)
                return child_report_error(ch, EXIT_BERTH_FAILED, negative_errno(),
                                          "Failed to enter the root");

        r = caps_drop_bounding(ctx->caps);
        if (r < 0)
                return child_report_error(ch, EXIT_BERTH_FAILED, r,
                                          "Failed to drop the capability bounding set");
        if (c->no_new_privileges && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
                return child_report_error(ch, EXIT_BERTH_FAILED, negative_errno(),
                                          "Failed to set no_new_privs");
        r = selinux_set_exec_label(&ctx->labels);
        if (r < 0)
                return child_report_error(ch, EXIT_BERTH_FAILED, r, "Failed to set the SELinux exec label");
        r = switch_user(ch);
        if (r < 0)
                return child_report_error(ch, EXIT_BERTH_FAILED, r, "Failed to switch to user %s",
                                          c->user ?: "root");
        r = caps_apply_final(ctx->caps, ch->uid == 0);
        if (r < 0)
                return child_report_error(ch, EXIT_BERTH_FAILED, r, "Failed to set capabilities");
        /* WorkingDirectory= must exist; the home directory is only a default. */
        if (wd ? chdir(wd) < 0 : (chdir(ch->home) < 0 && chdir("/") < 0))
                return child_report_error(ch, EXIT_BERTH_FAILED, negative_errno(),
                                          "Failed to change to directory %s", wd ?: ch->home);
        /* Credential changes reset the parent death signal; set it again for the payload. */
        r = child_arm_parent_death(ch);
        if (r > 0)
                return r;
        if (sigprocmask(SIG_SETMASK, &ctx->saved_sigmask, NULL) < 0)
                return child_report_error(ch, EXIT_BERTH_FAILED, negative_errno(),
                                          "Failed to reset the signal mask");
        r = seccomp_bpf_load(&ctx->seccomp);
        if (r < 0)
                return child_report_error(ch, EXIT_BERTH_FAILED, r, "Failed to load the seccomp filter");
        r = exec_payload(ch, argv);
        if (r == -ENOENT)
                return child_report_error(ch, EXIT_NOT_FOUND, r, "Failed to find Exec= binary %s", argv[0]);
        return child_report_error(ch, EXIT_CANNOT_EXEC, r, "Failed to execute Exec= binary %s", argv[0]);
}
