/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Step 4: hand the payload to systemd: berth-NAME.scope (Delegate=yes, [Resources]) and machined.
 * Only with --register=yes; --register=no runs without systemd. */
#include <errno.h>

#include "cgroup.h"
#include "launch-context.h"
#include "log.h"
#include "machined.h"
#include "scope.h"
#include "sd-lib.h"

int launch_register(LaunchContext *ctx)
{
        _cleanup_free_ char *syserr = NULL, *machine_error = NULL;
        int r;

        if (!ctx->options->register_scope)
                return 0;
        r = sd_lib_load(&ctx->error, "Registering %s", ctx->config->name);
        if (r < 0)
                return r;
        r = sym_sd_bus_default_system(&ctx->bus);
        if (r < 0)
                return launch_error(ctx, r, "Failed to connect to the system bus");
        r = scope_register(ctx->bus, ctx->config, ctx->pid, &ctx->scope, &syserr);
        if (r < 0)
                return syserr ? launch_error(ctx, 0, "Failed to register scope: %s", syserr)
                              : launch_error(ctx, r, "Failed to register scope");
        /* The container's root owns its part of the delegated tree (an init builds its own). */
        if (ctx->range.size > 0) {
                r = scope_delegate_payload(ctx->pid, ctx->range.base, (gid_t)ctx->range.base);
                if (r < 0)
                        return launch_error(ctx, r,
                                            "Failed to delegate the payload's cgroup to the container");
        }
        /* Under SELinux, the payload's cgroup is the container's own object: its directory and
         * files carry the container's file label and pair, so an init inside (Boot=yes) may
         * manage it, and what it creates there inherits that label (kernfs labels a new node
         * from its parent's xattr); the host's cgroup_t stays out of the container's reach. */
        if (ctx->labels.enforced && ctx->labels.file) {
                _cleanup_free_ char *cgroup = NULL, *path = NULL;

                r = cgroup_pid_get_path(ctx->pid, &cgroup);
                if (r >= 0)
                        r = cgroup_fs_path(cgroup, NULL, &path);
                if (r >= 0)
                        r = selinux_relabel_tree(path, ctx->labels.file);
                if (r < 0)
                        return launch_error(ctx, r, "Failed to label the container's cgroup %s",
                                            strna(path));
        }
        r = machined_register(ctx->bus, ctx->config, ctx->pid, ctx->config->directory ?: "/",
                              &machine_error);
        if (r >= 0)
                ctx->machine_registered = true;
        else if (r != -EHOSTDOWN && machine_error)
                log_warning("Failed to register container %s with systemd-machined, ignoring: %s",
                            ctx->config->name, machine_error);
        else if (r != -EHOSTDOWN)
                log_warning_errno(r, "Failed to register container %s with systemd-machined, ignoring: %m",
                                  ctx->config->name);
        return 0;
}

void launch_unregister(LaunchContext *ctx)
{
        if (!ctx->bus)
                return;
        if (ctx->machine_registered)
                (void)machined_unregister(ctx->bus, ctx->config->name);
        if (ctx->scope)
                (void)scope_unregister(ctx->bus, ctx->scope);
        ctx->machine_registered = false;
        ctx->bus = sym_sd_bus_flush_close_unref(ctx->bus);
}
