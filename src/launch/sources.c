/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Step 5, supervisor side: the host paths a container needs (its root, the Bind= sources, the
 * notify socket directory) are opened here, as detached mounts, by the process that is root of
 * the initial user namespace: the payload, root only of its own user namespace, may not be able
 * to reach them, and only this process may idmap a host mount. Each goes to the child over the
 * sync socket; the child attaches them in its own mount namespace. */
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "launch-context.h"
#include "mount-util.h"

/* The host's /dev (devtmpfs): nodes there are the kernel's, not the container's (a user namespace
 * cannot mknod devices), and binding a part of it (Bind=/dev/dri) is asking for them. */
static bool source_is_devtmpfs(int fd, const char *path)
{
        _cleanup_free_ char *fs = NULL;
        struct statfs sfs;

        /* devtmpfs is shmem (ramfs without CONFIG_TMPFS) to statfs(): any other type is not it,
         * and only those need /proc/self/mountinfo (issue 16: every start read it for its root). */
        if (fstatfs(fd, &sfs) >= 0 && (unsigned long)sfs.f_type != TMPFS_MAGIC &&
            (unsigned long)sfs.f_type != RAMFS_MAGIC)
                return false;
        return userns_fs_type(path, &fs) >= 0 && streq(fs, "devtmpfs");
}

/* Device nodes work only in berth's own /dev: a node in an image or a bind source (owned by the
 * container root through the idmap, or created by it) must not open a host device, and outside a
 * systemd scope no device cgroup stands in the way. A source that is itself a device node, or lies
 * on the host's devtmpfs, is the admin naming devices for the container (Bind=/dev/fuse,
 * Bind=/dev/dri), so it keeps working. */
static int open_source(int userns_fd, const char *path, bool recursive, bool idmap, int *ret)
{
        _cleanup_close_ int fd = -EBADF, m = -EBADF;
        unsigned attrs = MOUNT_ATTR_NODEV;
        struct stat st;
        int r;

        r = open_host_path_no_symlinks(path, &fd);
        if (r < 0)
                return r;
        if (fstat(fd, &st) < 0)
                return negative_errno();
        if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) || source_is_devtmpfs(fd, path))
                attrs = 0;
        if (idmap && userns_fd >= 0)
                return userns_open_idmapped(fd, "", userns_fd, recursive, attrs, ret);
        r = mount_clone(fd, "", recursive, &m);
        if (r < 0)
                return r;
        if (attrs != 0) {
                r = mount_set_attr(m, attrs, recursive);
                if (r < 0)
                        return r;
        }
        *ret = TAKE_FD(m);
        return 0;
}

/* What the container creates in an idmapped (or, without a user namespace, its own) tree is owned
 * by host IDs, host root included: a setuid-root file there is one any host user could run if he
 * reached it. Like nspawn's /var/lib/machines, some directory above must be root's own, 0700.
 * Only directories above path count: path itself belongs to the container, which can chmod it.
 * The path was made free of symlinks at config time and is opened with RESOLVE_NO_SYMLINKS. */
static int host_path_check_private(const char *path)
{
        _cleanup_free_ char *p = strdup(path);
        char *slash;

        if (!p)
                return -ENOMEM;
        while ((slash = strrchr(p, '/'))) {
                struct stat st;

                if (slash == p)
                        slash[1] = 0; /* "/" itself */
                else
                        *slash = 0;
                if (lstat(p, &st) < 0)
                        return negative_errno();
                if (S_ISDIR(st.st_mode) && st.st_uid == 0 && (st.st_mode & 0077) == 0)
                        return 0;
                if (slash == p)
                        break;
        }
        return -EPERM;
}

static int check_private(LaunchContext *ctx, const char *what, const char *path)
{
        int r = host_path_check_private(path);

        if (r == -EPERM)
                return launch_error(
                        ctx, r,
                        "Refusing %s %s: host users other than root can reach it, and files the "
                        "container creates there (a setuid-root binary) would be theirs to run. "
                        "Move it below a root-owned directory of mode 0700 such as /var/lib/berth, "
                        "or 'chmod 0700' a root-owned directory above it",
                        what, path);
        if (r < 0)
                return launch_error(ctx, r, "Failed to check the directories above %s %s", what, path);
        return 0;
}

static int send_source(LaunchContext *ctx, int index, int fd)
{
        SyncMessage m = { .type = SYNC_MOUNT_FD, .index = index };
        return sync_send(ctx->sync_fd, &m, &fd, 1);
}

int launch_send_host_sources(LaunchContext *ctx)
{
        const ContainerConfig *c = ctx->config;
        const char *root = c->directory ?: "/";
        _cleanup_close_ int userns = -EBADF, fd = -EBADF;
        struct stat st;
        int r;

        if (ctx->range.size > 0) {
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
        /* The host's / of the demo is not the container's to write: its overlay's upper layer is a
         * tmpfs in the container's own mount namespace, out of reach of host users. */
        if (c->directory) {
                r = check_private(ctx, "root directory", c->directory);
                if (r < 0)
                        return r;
        }
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
        if (r == -ELOOP)
                return launch_error(ctx, r,
                                    "Refusing root directory %s: a symlink appeared in its path since the "
                                    "config was read",
                                    root);
        if (r < 0)
                return launch_error(ctx, r, "Failed to open root directory %s", root);
        r = send_source(ctx, SOURCE_ROOT, fd);
        if (r < 0)
                return launch_error(ctx, r, "Failed to pass the root to the payload process");
        fd = safe_close(fd);

        for (size_t i = 0; i < c->n_binds; i++) {
                if (c->binds[i].idmap && access(c->binds[i].source, F_OK) >= 0) {
                        r = check_private(ctx, "idmapped bind source", c->binds[i].source);
                        if (r < 0)
                                return r;
                }
                r = open_source(userns, c->binds[i].source, c->binds[i].recursive, c->binds[i].idmap, &fd);
                if (r == -ELOOP)
                        return launch_error(ctx, r,
                                            "Refusing bind source %s: it is, or passes through, a symlink "
                                            "that appeared since the config was read (a container may have "
                                            "planted it); write the real path in the config",
                                            c->binds[i].source);
                if (r < 0)
                        return launch_error(ctx, r, "Failed to open bind source %s", c->binds[i].source);
                r = send_source(ctx, (int)i, fd);
                if (r < 0)
                        return launch_error(ctx, r, "Failed to pass bind source %s to the payload process",
                                            c->binds[i].source);
                fd = safe_close(fd);
        }

        if (ctx->notify_dir) {
                /* Read-only: connect() needs no writable mount, and the directory is berth's, in its
                 * state directory. Where the container's root is host root (PrivateUsers=no or
                 * identity) a writable bind let it replace the socket with a directory, and every
                 * later start failed to bind it. */
                r = mount_clone(AT_FDCWD, ctx->notify_dir, false, &fd);
                if (r >= 0)
                        r = mount_set_attr(fd, MOUNT_ATTR_RDONLY, false);
                if (r >= 0)
                        r = send_source(ctx, SOURCE_NOTIFY, fd);
                if (r < 0)
                        return launch_error(ctx, r,
                                            "Failed to pass the notify socket to the payload process");
        }
        return 0;
}
