/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Step 5, supervisor side: the host paths a container needs (its root, the Bind= sources, the
 * notify socket directory) are opened here, as detached mounts, by the process that is root of
 * the initial user namespace: the payload, root only of its own user namespace, may not be able
 * to reach them, and only this process may idmap a host mount. Each goes to the child over the
 * sync socket; the child attaches them in its own mount namespace. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>

#include "launch-context.h"
#include "mount-util.h"

static int open_source(int userns_fd, const char *path, bool recursive, bool idmap, int *ret)
{
        if (idmap && userns_fd >= 0)
                return userns_open_idmapped(path, userns_fd, recursive, ret);
        return mount_clone(AT_FDCWD, path, recursive, ret);
}

static int send_source(LaunchContext *ctx, int index, int fd)
{
        SyncMessage m = {.type = SYNC_MOUNT_FD, .index = index};
        return sync_send(ctx->sync_fd, &m, &fd, 1);
}

int launch_send_host_sources(LaunchContext *ctx)
{
        const ContainerConfig *c = ctx->config;
        const char *root = c->directory ?: "/";
        _cleanup_close_ int userns = -EBADF, fd = -EBADF;
        struct stat st;
        int r;

        if (ctx->uid_size > 0) {
                char p[64];
                snprintf(p, sizeof(p), "/proc/%d/ns/user", (int)ctx->pid);
                userns = open(p, O_RDONLY | O_CLOEXEC);
                if (userns < 0)
                        return launch_error(ctx, negative_errno(), "Failed to open the user namespace");
        }

        if (stat(root, &st) < 0)
                return launch_error(ctx, negative_errno(), "Failed to find root directory %s", root);
        if (!S_ISDIR(st.st_mode))
                return launch_error(ctx, -ENOTDIR, "Failed to use root directory %s", root);
        /* An image gets the container's file label (its MCS pair) when SELinux is enforcing. */
        if (c->directory) {
                r = selinux_relabel_root(c->directory, &ctx->labels);
                if (r < 0)
                        return launch_error(ctx, r, "Failed to label root directory %s for SELinux", root);
        }
        /* The host's own / (the demo) without its submounts; Directory= with them. Only an image
         * is idmapped: idmapping the host's / would make its root-only files (shadow, keys) the
         * container root's own; unmapped, they stay out of its reach. */
        r = open_source(userns, root, c->directory != NULL, c->directory != NULL, &fd);
        if (r == -EOPNOTSUPP) {
                _cleanup_free_ char *fs = NULL;
                (void)userns_fs_type(root, &fs);
                return launch_error(ctx, r, "Filesystem %s of %s cannot be idmapped", strna(fs), root);
        }
        if (r < 0)
                return launch_error(ctx, r, "Failed to open root directory %s", root);
        r = send_source(ctx, SOURCE_ROOT, fd);
        if (r < 0)
                return launch_error(ctx, r, "Failed to pass the root to the payload process");
        fd = safe_close(fd);

        for (size_t i = 0; i < c->n_binds; i++) {
                r = open_source(userns, c->binds[i].source, c->binds[i].recursive, c->binds[i].idmap, &fd);
                if (r < 0)
                        return launch_error(ctx, r, "Failed to open bind source %s", c->binds[i].source);
                r = send_source(ctx, (int)i, fd);
                if (r < 0)
                        return launch_error(ctx, r, "Failed to pass bind source %s to the payload process",
                                            c->binds[i].source);
                fd = safe_close(fd);
        }

        if (ctx->notify_dir) {
                r = mount_clone(AT_FDCWD, ctx->notify_dir, false, &fd);
                if (r >= 0)
                        r = send_source(ctx, SOURCE_NOTIFY, fd);
                if (r < 0)
                        return launch_error(ctx, r,
                                            "Failed to pass the notify socket to the payload process");
        }
        return 0;
}
