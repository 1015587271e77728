/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Step 5 for Boot=yes and Notify=yes: what an init system expects of its container manager:
 * /run/host/ with container-manager, and a notify socket (a host directory bound onto
 * NOTIFY_CONTAINER_DIR) whose READY=1 the supervisor relays. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "exit-status.h"
#include "fileio.h"
#include "launch-context.h"
#include "mount-util.h"
#include "notify.h"

int launch_open_notify(LaunchContext *ctx)
{
        const ContainerConfig *c = ctx->config;
        int r;

        if (!c->boot && !c->notify_ready)
                return 0;
        r = notify_socket_dir(ctx->state_dir, c->name, &ctx->notify_dir);
        if (r >= 0)
                r = notify_socket_open(ctx->state_dir, c->name, &ctx->notify_fd);
        if (r < 0)
                return launch_error(ctx, r, "Failed to create the notify socket");
        /* The payload writes to the socket in its own label: the directory and the socket carry
         * the container's file label and pair (created in /run, they would be var_run_t, which
         * berth_container_t may not write to, and a Notify=/Boot= start would hang). */
        if (ctx->labels.enforced && ctx->labels.file) {
                r = selinux_relabel_tree(ctx->notify_dir, ctx->labels.file);
                if (r < 0)
                        return launch_error(ctx, r, "Failed to label the notify socket %s", ctx->notify_dir);
        }
        return 0;
}

void launch_close_notify(LaunchContext *ctx)
{
        _cleanup_free_ char *sock = NULL;

        ctx->notify_fd = safe_close(ctx->notify_fd);
        if (!ctx->notify_dir)
                return;
        if (asprintf(&sock, "%s/notify", ctx->notify_dir) >= 0)
                (void)unlink(sock);
        (void)rmdir(ctx->notify_dir);
        free(ctx->notify_dir);
        ctx->notify_dir = NULL;
}

int child_setup_host_dir(LaunchChild *ch)
{
        const ContainerConfig *c = ch->ctx->config;
        _cleanup_close_ int hostdir = -EBADF;
        int r;

        if (!c->boot && !c->notify_ready)
                return 0;
        r = resolve_in_root(ch->rootfd, LAUNCH_HOST_DIR, true, TARGET_DIRECTORY, &hostdir);
        if (r >= 0) {
                /* O_PATH is enough for a dirfd; reopen as a directory for file creation. */
                _cleanup_close_ int dir = openat(hostdir, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                /* /run/host may come from a Bind= the container writes: what its last run left
                 * under that name (a FIFO would block the open for ever) is replaced, not opened. */
                r = dir < 0 ? negative_errno()
                            : write_file_atomic_at(dir, "container-manager", "berth\n", strlen("berth\n"),
                                                   0444, 0);
        }
        if (r < 0)
                return child_report_error(ch, EXIT_BERTH_FAILED, r, "Failed to set up %s", LAUNCH_HOST_DIR);
        /* /run/host may come from a Bind= the container writes: never follow it into /proc. */
        {
                _cleanup_close_ int target = -EBADF;
                const char *fstype = NULL;

                r = resolve_target_outside_api_fs(ch->rootfd, NOTIFY_CONTAINER_DIR, TARGET_DIRECTORY,
                                                  &target, &fstype);
                if (r < 0 && fstype)
                        return child_report_error(
                                ch, EXIT_BERTH_FAILED, 0,
                                "Refusing to mount the notify socket: %s resolves into the "
                                "container's %s",
                                NOTIFY_CONTAINER_DIR, fstype);
                if (r >= 0)
                        r = mount_attach_at(ch->notify_src_fd, target);
        }
        if (r < 0)
                return child_report_error(ch, EXIT_BERTH_FAILED, r, "Failed to mount the notify socket");
        return 0;
}
