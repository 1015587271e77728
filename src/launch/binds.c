/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Step 5: Bind=, BindReadOnly= and TemporaryFileSystem=. Sources were opened from the host before
 * the root was touched; targets are resolved inside the root (RESOLVE_IN_ROOT), so a symlink in
 * the image cannot send a mount to the host. */
#include <errno.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "exit-status.h"
#include "launch-context.h"
#include "mount-util.h"
#include "strv.h"
#include "tmpfs-options.h"

static int bind_one(LaunchChild *ch, const BindMount *b, int src)
{
        struct stat st;
        int r;

        if (fstat(src, &st) < 0)
                return negative_errno();
        if (b->read_only) {
                r = mount_set_attr(src, MOUNT_ATTR_RDONLY, b->recursive);
                if (r < 0)
                        return r;
        }
        return mount_attach_in_root(src, ch->rootfd, b->target,
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
        return mount_attach_in_root(m, ch->rootfd, t->target, TARGET_DIRECTORY);
}

int child_mount_binds(LaunchChild *ch)
{
        const ContainerConfig *c = ch->ctx->config;
        int r;

        for (size_t i = 0; i < c->n_binds; i++) {
                r = bind_one(ch, &c->binds[i], ch->bind_src_fds[i]);
                if (r < 0)
                        return child_report_error(ch, EXIT_BERTH_FAILED, r, "Failed to bind %s to %s",
                                                  c->binds[i].source, c->binds[i].target);
        }
        for (size_t i = 0; i < c->n_tmpfs; i++) {
                r = tmpfs_one(ch, &c->tmpfs[i]);
                if (r < 0)
                        return child_report_error(ch, EXIT_BERTH_FAILED, r, "Failed to mount tmpfs on %s",
                                                  c->tmpfs[i].target);
        }
        return 0;
}
