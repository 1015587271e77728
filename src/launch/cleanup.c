/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Undo everything the parent side made, on success and on every failure path. The mounts need no
 * unmounting: they live only in the payload's mount namespace, which dies with it. */
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "launch-context.h"
#include "record.h"
#include "state.h"

void launch_cleanup(LaunchContext *ctx)
{
        if (ctx->pidfd >= 0) {
                /* Still here on a failure path (the supervisor reaps and closes it otherwise). */
                siginfo_t si = {};
                (void)syscall(SYS_pidfd_send_signal, ctx->pidfd, SIGKILL, NULL, 0);
                (void)waitid(P_PIDFD, ctx->pidfd, &si, WEXITED);
                ctx->pidfd = safe_close(ctx->pidfd);
        }
        ctx->sync_fd = safe_close(ctx->sync_fd);
        ctx->child_sync_fd = safe_close(ctx->child_sync_fd);
        ctx->pty_master_fd = safe_close(ctx->pty_master_fd);
        ctx->console_hold_fd = safe_close(ctx->console_hold_fd);
        ctx->notify_fd = safe_close(ctx->notify_fd);
        if (ctx->sigmask_saved) {
                (void)sigprocmask(SIG_SETMASK, &ctx->saved_sigmask, NULL);
                ctx->sigmask_saved = false;
        }
        launch_network_teardown(ctx); /* payload gone: its elements and link go, then its locks */
        seccomp_bpf_done(&ctx->seccomp);
        selinux_labels_done(&ctx->labels);
        mcs_release(&ctx->mcs);
        userns_release_range(&ctx->range);
        launch_unregister(ctx);
        free(ctx->scope);
        ctx->scope = NULL;
        launch_close_notify(ctx);
        launch_close_output(ctx);
        if (ctx->state_created) {
                confinement_record_remove(ctx->state_dir, ctx->config->name);
                (void)state_remove(ctx->state_dir, ctx->config->name);
                ctx->state_created = false;
        }
        ctx->lock_fd = safe_close(ctx->lock_fd);
}
