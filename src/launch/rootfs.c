/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Step 5, first part: with the sources the supervisor sent (sources.c), open the host's device
 * nodes as detached mounts, then assemble the root in a scratch tmpfs: a bind of Directory= (the
 * idmapped one with a user namespace) or, with Ephemeral=yes, an overlay whose upper layer lives
 * in the scratch tmpfs and vanishes with the mount namespace. No host directory is created. */
#include <errno.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "exit-status.h"
#include "launch-context.h"
#include "mount-util.h"
#include "strv.h"

static const char *const host_nodes[_HOST_NODE_MAX] = {
        [HOST_NODE_NULL] = "/dev/null",       [HOST_NODE_ZERO] = "/dev/zero",
        [HOST_NODE_FULL] = "/dev/full",       [HOST_NODE_RANDOM] = "/dev/random",
        [HOST_NODE_URANDOM] = "/dev/urandom", [HOST_NODE_TTY] = "/dev/tty",
};

int child_open_host_sources(LaunchChild *ch)
{
        int r;

        /* The container's own tmpfs and devpts carry its file label (MCS pair). */
        if (ch->ctx->labels.enforced)
                mount_set_selinux_context(ch->ctx->labels.file);
        /* Nothing mounted from here on may propagate back to the host. */
        if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
                return child_report_error(ch, EXIT_BERTH_FAILED, negative_errno(),
                                          "Failed to make mounts private");

        for (size_t i = 0; i < _HOST_NODE_MAX; i++) {
                r = mount_clone(AT_FDCWD, host_nodes[i], false, &ch->node_fds[i]);
                if (r < 0)
                        return child_report_error(ch, EXIT_BERTH_FAILED, r, "Failed to open host device %s",
                                                  host_nodes[i]);
        }

        /* The scratch tmpfs covers the host's /tmp in this mount namespace only. It holds the
         * upper layer of an ephemeral root: the container's files, their inodes bounded as on its
         * other tmpfs (child_mount_dev()); its pages are charged to the container's memory. */
        _cleanup_close_ int scratch = -EBADF;
        r = mount_new_fs("tmpfs", (const char *const[]){ "mode=0700", "nr_inodes=1m", NULL },
                         MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV, &scratch);
        if (r >= 0)
                r = mount_attach_path(scratch, LAUNCH_SCRATCH);
        if (r >= 0 && mkdir(LAUNCH_ROOT, 0755) < 0)
                r = negative_errno();
        if (r < 0)
                return child_report_error(ch, EXIT_BERTH_FAILED, r, "Failed to mount scratch tmpfs");
        return 0;
}

static int mount_overlay(LaunchChild *ch)
{
        const ContainerConfig *c = ch->ctx->config;
        _cleanup_close_ int ovl = -EBADF;
        const char *opts[] = {
                "lowerdir=" LAUNCH_SCRATCH "/lower",
                "upperdir=" LAUNCH_SCRATCH "/upper",
                "workdir=" LAUNCH_SCRATCH "/work",
                ch->ctx->range.size > 0 ? "userxattr" : NULL, /* trusted.* xattrs need init-ns root */
                NULL,
        };
        int r;

        if (mkdir(LAUNCH_SCRATCH "/lower", 0755) < 0 || mkdir(LAUNCH_SCRATCH "/upper", 0755) < 0 ||
            mkdir(LAUNCH_SCRATCH "/work", 0755) < 0)
                return negative_errno();
        r = mount_attach_path(ch->root_src_fd, LAUNCH_SCRATCH "/lower");
        if (r < 0)
                return r;
        /* nodev like the lower layer (sources.c): only berth's own /dev holds usable nodes. */
        r = mount_new_fs("overlay", opts, MOUNT_ATTR_NODEV | (c->read_only ? MOUNT_ATTR_RDONLY : 0), &ovl);
        if (r < 0)
                return r;
        return mount_attach_path(ovl, LAUNCH_ROOT);
}

int child_mount_root(LaunchChild *ch)
{
        const ContainerConfig *c = ch->ctx->config;
        int r;

        if (c->ephemeral || !c->directory)
                r = mount_overlay(ch);
        else {
                r = c->read_only ? mount_set_attr(ch->root_src_fd, MOUNT_ATTR_RDONLY, true) : 0;
                if (r >= 0)
                        r = mount_attach_path(ch->root_src_fd, LAUNCH_ROOT);
        }
        if (r < 0)
                return child_report_error(ch, EXIT_BERTH_FAILED, r, "Failed to mount root directory %s",
                                          c->directory ?: "/");

        ch->rootfd = open(LAUNCH_ROOT, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (ch->rootfd < 0)
                return child_report_error(ch, EXIT_BERTH_FAILED, negative_errno(),
                                          "Failed to open new root");
        return 0;
}

void launch_child_init(LaunchChild *ch, LaunchContext *ctx)
{
        *ch = (LaunchChild){ .ctx = ctx,
                             .root_src_fd = -EBADF,
                             .notify_src_fd = -EBADF,
                             .resolv_src_fd = -EBADF,
                             .rootfd = -EBADF,
                             .console_fd = -EBADF,
                             .dev_null_fd = -EBADF };
        for (size_t i = 0; i < _HOST_NODE_MAX; i++)
                ch->node_fds[i] = -EBADF;
}

void launch_child_done(LaunchChild *ch)
{
        safe_close(ch->root_src_fd);
        safe_close(ch->notify_src_fd);
        safe_close(ch->resolv_src_fd);
        safe_close(ch->dev_null_fd);
        if (ch->bind_src_fds)
                for (size_t i = 0; i < ch->ctx->config->n_binds; i++)
                        safe_close(ch->bind_src_fds[i]);
        free(ch->bind_src_fds);
        for (size_t i = 0; i < _HOST_NODE_MAX; i++)
                safe_close(ch->node_fds[i]);
        safe_close(ch->rootfd);
        safe_close(ch->console_fd);
        free(ch->groups);
        free(ch->home);
        strv_free(ch->env);
}
