/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The payload's environment: a clean one, nothing inherited from berth's caller but TERM; LANG is
 * C.UTF-8 unless Environment= sets it (initdb, Python and friends pick ASCII without it; glibc
 * >= 2.35 has C.UTF-8 built in, so it works in any root). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exit-status.h"
#include "launch-context.h"
#include "notify.h"
#include "strv.h"

#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

static int env_set(char ***env, const char *key, const char *value)
{
        char *s = NULL;

        if (asprintf(&s, "%s=%s", key, value) < 0)
                return -ENOMEM;
        int r = strv_env_set(env, s);
        free(s);
        return r;
}

int env_build(const char *home, bool notify, char *const *environment, char ***ret)
{
        _cleanup_strv_free_ char **env = NULL;
        const char *term = getenv("TERM");
        int r;

        r = env_set(&env, "PATH", DEFAULT_PATH);
        if (r >= 0)
                r = env_set(&env, "container", "berth");
        if (r >= 0)
                r = env_set(&env, "HOME", home);
        if (r >= 0)
                r = env_set(&env, "LANG", "C.UTF-8"); /* Environment= below overrides it */
        if (r >= 0 && !isempty(term))
                r = env_set(&env, "TERM", term);
        if (r >= 0 && notify)
                r = env_set(&env, "NOTIFY_SOCKET", NOTIFY_CONTAINER_SOCKET);
        STRV_FOREACH (e, environment)
                if (r >= 0)
                        r = strv_env_set(&env, *e);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(env);
        return 0;
}

int child_build_env(LaunchChild *ch)
{
        const ContainerConfig *c = ch->ctx->config;
        int r;

        r = env_build(ch->home, c->boot || c->notify_ready, c->environment, &ch->env);
        /* berth@NAME's WatchdogSec= is the payload's to keep (WATCHDOG=1 through the notify
         * socket, relayed): tell it the interval, as systemd tells a service (no WATCHDOG_PID:
         * the PID systemd knows is the supervisor's). */
        if (r >= 0 && (c->boot || c->notify_ready)) {
                const char *w = getenv("WATCHDOG_USEC");
                if (w && *w && strspn(w, "0123456789") == strlen(w) &&
                    !strv_env_get(ch->env, "WATCHDOG_USEC"))
                        r = env_set(&ch->env, "WATCHDOG_USEC", w);
        }
        if (r >= 0)
                r = credentials_env(c, &ch->env);
        if (r < 0)
                return child_report_error(ch, EXIT_BERTH_FAILED, r, "Failed to build the environment");
        return 0;
}
