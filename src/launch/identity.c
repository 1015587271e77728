/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Step 2: the container's identity, decided before anything is cloned or mounted: its UID/GID
 * range, its MCS pair and SELinux labels, and its seccomp program (compiled to BPF here, or taken
 * from the cache of an identical earlier one, so a bad SystemCallFilter= aborts before the root is
 * touched; loaded last, in the child). */
#include <errno.h>
#include <string.h>

#include "launch-context.h"

#include "caps.h"

int launch_allocate_identity(LaunchContext *ctx)
{
        const ContainerConfig *c = ctx->config;
        const char *bad = NULL;
        int r;

        r = userns_pick_range(ctx->state_dir, c, &ctx->range);
        if (r < 0)
                return launch_error(ctx, r, "Failed to allocate a UID/GID range");

        if (c->selinux_label && !streq(c->selinux_label, "disable")) {
                /* An explicit label's pair is held too, so no pick hands it to another container. */
                r = mcs_reserve(ctx->state_dir, c->selinux_label, &ctx->mcs);
                if (r == -EBUSY)
                        return launch_error(
                                ctx, r, "The MCS pair of SELinuxLabel=%s is in use by a running container",
                                c->selinux_label);
                if (r < 0)
                        return launch_error(ctx, r, "Failed to reserve the MCS pair of SELinuxLabel=%s",
                                            c->selinux_label);
        } else {
                r = mcs_allocate(ctx->state_dir, c->name, &ctx->mcs);
                if (r < 0)
                        return launch_error(ctx, r, "Failed to allocate an MCS category pair");
        }
        r = selinux_compute_labels(c, &ctx->mcs, &ctx->labels);
        if (r < 0)
                return launch_error(ctx, r, "Failed to compute SELinux labels");

        ctx->caps = caps_effective_set(c);
        r = seccomp_compile(c, ctx->caps, ctx->state_dir, &ctx->seccomp, &bad);
        if (r < 0)
                return bad ? launch_error(ctx, r, "Invalid SystemCallFilter= entry '%s'", bad)
                           : launch_error(ctx, r, "Failed to compile the seccomp filter");
        return 0;
}
