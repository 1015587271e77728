/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* LaunchContext lifetime and the one-line error every failed step leaves behind. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error-record.h"
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
                .output = { { .fd = -EBADF, .child_fd = -EBADF, .stream = -EBADF },
                            { .fd = -EBADF, .child_fd = -EBADF, .stream = -EBADF } },
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

int launch_error_recordv(char **slot, const char *name, int error, const char *fmt, va_list ap)
{
        _cleanup_free_ char *what = NULL;

        if (*slot)
                return error < 0 ? error : -EIO;
        errno = error < 0 ? -error : 0; /* for %m */
        if (vasprintf(&what, fmt, ap) < 0)
                return error < 0 ? error : -EIO;
        return error_record(slot, error, "%s for container %s", what, name);
}

int launch_error(LaunchContext *ctx, int error, const char *fmt, ...)
{
        va_list ap;
        int r;

        va_start(ap, fmt);
        r = launch_error_recordv(&ctx->error, ctx->config->name, error, fmt, ap);
        va_end(ap);
        return r;
}
