/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* LaunchContext lifetime and the one-line error every failed step leaves behind. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "launch-context.h"

void launch_context_init(LaunchContext *ctx, const ContainerConfig *c, const LaunchOptions *o)
{
        *ctx = (LaunchContext){
            .config = c,
            .options = o,
            .state_dir = o->state_dir,
            .lock_fd = -EBADF,
            .sync_fd = -EBADF,
            .child_sync_fd = -EBADF,
            .pidfd = -EBADF,
            .pty_master_fd = -EBADF,
            .console_hold_fd = -EBADF,
            .notify_fd = -EBADF,
            .output = {{.fd = -EBADF, .child_fd = -EBADF, .stream = -EBADF},
                       {.fd = -EBADF, .child_fd = -EBADF, .stream = -EBADF}},
            .range = UID_RANGE_NULL,
            .mcs = MCS_PAIR_NULL,
            .net = NET_ALLOCATION_NULL,
        };
}

void launch_context_done(LaunchContext *ctx)
{
        launch_cleanup(ctx);
        free(ctx->error);
        ctx->error = NULL;
}

int launch_error(LaunchContext *ctx, int error, const char *fmt, ...)
{
        char what[512];
        va_list ap;

        if (ctx->error)
                return error < 0 ? error : -EIO;
        va_start(ap, fmt);
        vsnprintf(what, sizeof(what), fmt, ap);
        va_end(ap);
        /* error 0: the message says it all (no errno behind it). */
        if ((error < 0 ? asprintf(&ctx->error, "%s for container %s: %s", what, ctx->config->name,
                                  strerror(-error))
                       : asprintf(&ctx->error, "%s for container %s", what, ctx->config->name)) < 0)
                ctx->error = NULL;
        return error < 0 ? error : -EIO;
}
