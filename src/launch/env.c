/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The payload's environment: a clean one, nothing inherited from berth's caller but TERM. */
#include <errno.h>
#include <stdio.h>

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
        if (r >= 0)
                r = credentials_env(c, &ch->env);
        if (r < 0)
                return child_report_error(ch, EXIT_BERTH_FAILED, r, "Failed to build the environment");
        return 0;
}
