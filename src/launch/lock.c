/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Step 1 (the lock), the record of the payload's confinement for `berth exec` (record.h), and the
 * state file written once the payload runs: STATE_DIR/NAME/. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "launch-context.h"
#include "net-util.h"
#include "record.h"
#include "state.h"
#include "strv.h"

int launch_lock(LaunchContext *ctx)
{
        int r;

        r = state_lock(ctx->state_dir, ctx->config->name, &ctx->lock_fd);
        if (r == -EBUSY)
                return launch_error(ctx, 0, "Failed to take the lock: already running");
        if (r < 0)
                return launch_error(ctx, r, "Failed to take the lock in %s", ctx->state_dir);
        ctx->state_created = true;
        return 0;
}

int launch_record_confinement(LaunchContext *ctx)
{
        const ContainerConfig *c = ctx->config;
        _cleanup_strv_free_ char **env = strv_copy(c->environment);
        ConfinementRecord rec = {
                .supervisor_pid = getpid(),
                .caps = ctx->caps,
                .no_new_privs = c->no_new_privileges,
                .label = ctx->labels.process,
                .label_enforced = ctx->labels.enforced,
                .uid_base = ctx->range.base,
                .uid_size = ctx->range.size,
                .user = c->user,
                .working_directory = c->working_directory,
                .environment = env,
                .root = c->directory ? c->directory : (char *)"/",
        };
        int r;

        if (c->environment && !env)
                return launch_error(ctx, -ENOMEM, "Failed to record the confinement");
        /* Where `berth exec` finds the credentials: the name only, never their bytes. */
        r = credentials_env(c, &rec.environment);
        if (r < 0)
                return launch_error(ctx, r, "Failed to record the confinement");
        env = rec.environment;
        r = confinement_record_write(ctx->state_dir, c->name, &rec, &ctx->seccomp);
        if (r < 0)
                return launch_error(ctx, r, "Failed to record the confinement in %s", ctx->state_dir);
        return 0;
}

/* "A.B.C.D/30" and "tcp:8080:80 ..." for the state file (NULL, NULL without VirtualEthernet=). */
static int network_state(const LaunchContext *ctx, char **ret_address, char **ret_ports)
{
        const ContainerConfig *c = ctx->config;
        char a[16], *buf = NULL;
        size_t size = 0;
        FILE *f;

        *ret_address = *ret_ports = NULL;
        if (!c->virtual_ethernet)
                return 0;
        if (asprintf(ret_address, "%s/%d", net_format_ipv4(ctx->container_addr, a), NET_SUBNET_PREFIX) < 0)
                return -ENOMEM;
        f = open_memstream(&buf, &size);
        if (!f)
                return -ENOMEM;
        for (size_t i = 0; i < c->n_ports; i++)
                fprintf(f, "%s%s:%u:%u", i ? " " : "", net_protocol_name(c->ports[i].protocol),
                        c->ports[i].host_port, c->ports[i].container_port);
        if (fclose(f) != 0)
                return -ENOMEM;
        *ret_ports = buf;
        return 0;
}

int launch_write_state(LaunchContext *ctx)
{
        _cleanup_free_ char *address = NULL, *ports = NULL, *address6 = NULL;
        char a6[INET6_ADDRSTRLEN];
        struct timespec ts;
        int r;

        r = network_state(ctx, &address, &ports);
        if (r >= 0 && ctx->config->virtual_ethernet && ctx->config->ipv6 &&
            asprintf(&address6, "%s/64", inet_ntop(AF_INET6, ctx->container_addr6, a6, sizeof(a6))) < 0)
                r = -ENOMEM;
        if (r < 0)
                return launch_error(ctx, r, "Failed to allocate");

        clock_gettime(CLOCK_REALTIME, &ts);
        RuntimeState s = {
                .name = ctx->config->name,
                .supervisor_pid = getpid(),
                .leader_pid = ctx->pid,
                .since_usec = (uint64_t)ts.tv_sec * 1000000ULL + (uint64_t)ts.tv_nsec / 1000,
                .uid_base = ctx->range.base,
                .uid_size = ctx->range.size,
                .label = ctx->labels.process,
                .root = ctx->config->directory ? ctx->config->directory : (char *)"/",
                .scope = ctx->scope,
                .config_path = ctx->config->path,
                .address = address,
                .address6 = address6,
                .interface = address ? ctx->ifname : NULL,
                .ports = ports,
                .forward_blocked = ctx->forward_blocked,
                .host_access = ctx->config->virtual_ethernet && ctx->config->host_access,
                .link_local_access = ctx->config->virtual_ethernet && ctx->config->link_local_access,
        };
        r = state_write(ctx->state_dir, &s);
        if (r < 0)
                return launch_error(ctx, r, "Failed to write state file in %s", ctx->state_dir);
        return 0;
}
