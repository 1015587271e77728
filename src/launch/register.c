/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Step 4: hand the payload to systemd: berth-NAME.scope (Delegate=yes, [Resources]) and machined.
 * Only with --register=yes; --register=no runs without systemd. */
#include <errno.h>

#include "launch-context.h"

#if LAUNCH_HAVE_SYSTEMD
#include <systemd/sd-bus.h>

#include "machined.h"
#include "scope.h"
#endif

int launch_register(LaunchContext *ctx)
{
        if (!ctx->options->register_scope)
                return 0;
#if LAUNCH_HAVE_SYSTEMD
        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        _cleanup_free_ char *syserr = NULL;
        int r;

        r = sd_bus_default_system(&bus);
        if (r < 0)
                return launch_error(ctx, r, "Failed to connect to the system bus");
        r = scope_register(bus, ctx->config, ctx->pid, &ctx->scope, &syserr);
        if (r < 0)
                return syserr ? launch_error(ctx, 0, "Failed to register scope: %s", syserr)
                              : launch_error(ctx, r, "Failed to register scope");
        (void)machined_register(bus, ctx->config, ctx->pid, ctx->config->directory ?: "/");
        return 0;
#else
        /* TODO(systemd): scope_register()/machined_register() once src/systemd lands. */
        return launch_error(ctx, -EOPNOTSUPP, "Failed to register with systemd (use --register=no)");
#endif
}
