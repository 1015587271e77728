/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Step 6 of the launch pipeline (pipeline.c), in this order: close every fd but stdio, chdir into
 * the new root, drop the capability bounding set, no_new_privs, SELinux exec label, switch user,
 * final capabilities, seccomp filter last, execve. Nothing of the host stays open across execve.
 * confine_and_exec() is the part from the bounding set on; `berth exec` (exec.c) runs the same
 * function with the confinement recorded when the payload started (record.c). */
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

int close_all_fds_but(int keep)
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

static int switch_user(const Confinement *cf)
{
        if (setgroups(cf->n_groups, cf->groups) < 0) {
                /* A user namespace with setgroups denied: fine when no groups are wanted. */
                if (!(errno == EPERM && cf->userns && cf->n_groups == 0))
                        return negative_errno();
        }
        if (setresgid(cf->gid, cf->gid, cf->gid) < 0 || setresuid(cf->uid, cf->uid, cf->uid) < 0)
                return negative_errno();
        return 0;
}

/* execve() with the container's PATH (the one in env), like execvpe() but not its caller's. */
static int exec_in_container(char *const *argv, char *const *env)
{
        const char *path = strv_env_get(env, "PATH");
        int saved = ENOENT;

        if (strchr(argv[0], '/')) {
                execve(argv[0], argv, env);
                return -errno;
        }
        for (const char *p = strempty(path);;) {
                size_t n = strcspn(p, ":");
                _cleanup_free_ char *full = NULL;

                if (asprintf(&full, "%.*s/%s", (int)n, n ? p : ".", argv[0]) < 0)
                        return -ENOMEM;
                execve(full, argv, env);
                if (errno != ENOENT && errno != ENOTDIR)
                        saved = errno; /* EACCES and friends win over a later "not found" */
                if (!p[n])
                        break;
                p += n + 1;
        }
        return -saved;
}

static const char *const confine_step_table[_CONFINE_STEP_MAX] = {
        [CONFINE_BOUNDING] = "Failed to drop the capability bounding set",
        [CONFINE_NO_NEW_PRIVS] = "Failed to set no_new_privs",
        [CONFINE_LABEL] = "Failed to set the SELinux exec label",
        [CONFINE_USER] = "Failed to switch user",
        [CONFINE_CAPS] = "Failed to set capabilities",
        [CONFINE_WORKDIR] = "Failed to change to the working directory",
        [CONFINE_PDEATHSIG] = "Failed to set parent death signal",
        [CONFINE_SIGMASK] = "Failed to reset the signal mask",
        [CONFINE_SECCOMP] = "Failed to load the seccomp filter",
        [CONFINE_INIT] = "Failed to start the init process (Init=yes)",
        [CONFINE_EXEC] = "Failed to execute",
};

const char *confine_step_to_string(ConfineStep s)
{
        return s >= 0 && s < _CONFINE_STEP_MAX ? confine_step_table[s] : "Failed to confine";
}

/* Step 6 after the fds are closed and the process stands in the container's root: the one
 * confinement of run's payload and of exec's command, in the order this file's head lists.
 * Returns only on failure: -errno, and the step that failed in *ret_step. */
int confine_and_exec(const Confinement *cf, ConfineStep *ret_step)
{
        const char *wd = cf->working_directory;
        int r;

        *ret_step = CONFINE_BOUNDING;
        r = caps_drop_bounding(cf->caps);
        if (r < 0)
                return r;
        *ret_step = CONFINE_NO_NEW_PRIVS;
        if (cf->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
                return negative_errno();
        *ret_step = CONFINE_LABEL;
        r = selinux_set_exec_label(cf->labels);
        if (r < 0)
                return r;
        *ret_step = CONFINE_USER;
        r = switch_user(cf);
        if (r < 0)
                return r;
        *ret_step = CONFINE_CAPS;
        r = caps_apply_final(cf->caps, cf->uid == 0);
        if (r < 0)
                return r;
        /* WorkingDirectory= must exist; the home directory is only a default. */
        *ret_step = CONFINE_WORKDIR;
        if (wd ? chdir(wd) < 0 : (chdir(strempty(cf->home)) < 0 && chdir("/") < 0))
                return negative_errno();
        /* Credential changes reset the parent death signal; set it again for the payload, and
         * make sure berth did not die while it was not armed (-ESRCH). */
        *ret_step = CONFINE_PDEATHSIG;
        r = sync_arm_parent_death(cf->parent_fd);
        if (r < 0)
                return r;
        *ret_step = CONFINE_SIGMASK;
        if (sigprocmask(SIG_SETMASK, cf->sigmask, NULL) < 0)
                return negative_errno();
        *ret_step = CONFINE_SECCOMP;
        r = seccomp_bpf_load(cf->seccomp);
        if (r < 0)
                return r;
        *ret_step = CONFINE_INIT;
        if (cf->init) {
                r = reaper_fork(cf->parent_fd);
                if (r < 0)
                        return r;
        }
        *ret_step = CONFINE_EXEC;
        return exec_in_container(cf->argv, cf->env);
}

int child_confine_and_exec(LaunchChild *ch)
{
        LaunchContext *ctx = ch->ctx;
        const ContainerConfig *c = ctx->config;
        char *default_argv[] = { (char *)(c->boot ? "/sbin/init" : "/bin/sh"), NULL };
        char *const *argv = c->exec && c->exec[0] ? c->exec : default_argv;
        Confinement cf = {
                .caps = ctx->caps,
                .no_new_privs = c->no_new_privileges,
                .labels = &ctx->labels,
                .userns = ctx->range.size > 0,
                .uid = ch->uid,
                .gid = ch->gid,
                .groups = ch->groups,
                .n_groups = ch->n_groups,
                .working_directory = c->working_directory,
                .home = ch->home,
                .env = ch->env,
                .parent_fd = ctx->child_sync_fd,
                .sigmask = &ctx->saved_sigmask,
                .seccomp = &ctx->seccomp,
                .init = c->init,
                .argv = argv,
        };
        ConfineStep step;
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

        r = confine_and_exec(&cf, &step);
        switch (step) {
        case CONFINE_EXEC:
                if (r == -ENOENT)
                        return child_report_error(ch, EXIT_NOT_FOUND, r, "Failed to find Exec= binary %s",
                                                  argv[0]);
                return child_report_error(ch, EXIT_CANNOT_EXEC, r, "Failed to execute Exec= binary %s",
                                          argv[0]);
        case CONFINE_USER:
                return child_report_error(ch, EXIT_BERTH_FAILED, r, "Failed to switch to user %s",
                                          c->user ?: "root");
        case CONFINE_WORKDIR:
                return child_report_error(ch, EXIT_BERTH_FAILED, r, "Failed to change to directory %s",
                                          c->working_directory ?: ch->home);
        default: return child_report_error(ch, EXIT_BERTH_FAILED, r, "%s", confine_step_to_string(step));
        }
}
