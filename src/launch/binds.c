/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Step 5: Bind=, BindReadOnly= and TemporaryFileSystem=. Sources were opened from the host before
 * the root was touched; targets are resolved inside the root (RESOLVE_IN_ROOT), so a symlink in
 * the image cannot send a mount to the host, and may not land inside /proc or /sys either. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "exit-status.h"
#include "launch-context.h"
#include "mount-util.h"
#include "strv.h"
#include "tmpfs-options.h"

/* Attaches mount_fd at target inside the root. A target that resolves into procfs or sysfs is
 * refused: binds are attached after /proc and /sys are mounted, so an image symlink such as
 * /x -> /proc/thread-self/attr would otherwise put the mount over the payload's own
 * /proc/1/task/1/attr, where berth writes its SELinux exec label (CVE-2019-16884), or over any
 * other kernel interface. Returns an exit status (> 0) when it reported the refusal itself. */
static int attach_target(LaunchChild *ch, int mount_fd, const char *key, const char *entry,
                         const char *target, TargetKind kind)
{
        _cleanup_close_ int fd = -EBADF;
        const char *fstype = NULL;
        int r;

        r = resolve_target_outside_api_fs(ch->rootfd, target, kind, &fd, &fstype);
        if (r < 0 && !fstype)
                return r;
        if (r < 0)
                return child_report_error(
                        ch, EXIT_BERTH_FAILED, 0,
                        "%s%s: the target %s resolves into the container's %s (through a "
                        "symlink in the image, or /proc or /sys named directly); mounts over "
                        "the kernel's interfaces are refused, choose a target outside /proc "
                        "and /sys",
                        key, entry, target, fstype);
        return mount_attach_at(mount_fd, fd);
}

static int bind_one(LaunchChild *ch, const BindMount *b, int src)
{
        _cleanup_free_ char *entry = NULL;
        struct stat st;
        int r;

        if (fstat(src, &st) < 0)
                return negative_errno();
        if (b->read_only) {
                r = mount_set_attr(src, MOUNT_ATTR_RDONLY, b->recursive);
                if (r < 0)
                        return r;
        }
        if (asprintf(&entry, "%s:%s", b->source, b->target) < 0)
                return -ENOMEM;
        return attach_target(ch, src, b->read_only ? "BindReadOnly=" : "Bind=", entry, b->target,
                             S_ISDIR(st.st_mode) ? TARGET_DIRECTORY : TARGET_FILE);
}

/* "ro,size=10M,mode=0700": the flags become mount attributes, the rest go to tmpfs (one table,
 * src/config/tmpfs-options.c, that berth verify checked the options against). */
static int tmpfs_one(LaunchChild *ch, const TmpfsMount *t)
{
        _cleanup_strv_free_ char **opts = NULL;
        _cleanup_close_ int m = -EBADF;
        unsigned set;
        int r;

        r = tmpfs_options_split(t->options, &set, &opts);
        if (r < 0)
                return r;
        r = mount_new_fs("tmpfs", (const char *const *)opts, set, &m);
        if (r < 0)
                return r;
        return attach_target(ch, m, "TemporaryFileSystem=", t->target, t->target, TARGET_DIRECTORY);
}

int child_mount_binds(LaunchChild *ch)
{
        const ContainerConfig *c = ch->ctx->config;
        int r;

        for (size_t i = 0; i < c->n_binds; i++) {
                r = bind_one(ch, &c->binds[i], ch->bind_src_fds[i]);
                if (r > 0)
                        return r;
                if (r < 0)
                        return child_report_error(ch, EXIT_BERTH_FAILED, r, "Failed to bind %s to %s",
                                                  c->binds[i].source, c->binds[i].target);
        }
        for (size_t i = 0; i < c->n_tmpfs; i++) {
                r = tmpfs_one(ch, &c->tmpfs[i]);
                if (r > 0)
                        return r;
                if (r < 0)
                        return child_report_error(ch, EXIT_BERTH_FAILED, r, "Failed to mount tmpfs on %s",
                                                  c->tmpfs[i].target);
        }
        return 0;
}
