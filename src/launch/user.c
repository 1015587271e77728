/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* User=: resolved in the container's own /etc/passwd and /etc/group (after pivot_root), by plain
 * file parsing: NSS would load the image's modules into this still-privileged process. */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>

#include "exit-status.h"
#include "launch-context.h"
#include "strv.h"

static int parse_uid(const char *s, uid_t *ret)
{
        char *end;
        unsigned long v;

        if (isempty(s) || s[0] == '-' || s[0] == '+')
                return -EINVAL;
        errno = 0;
        v = strtoul(s, &end, 10);
        if (errno || *end || v >= 65535)
                return -EINVAL;
        *ret = (uid_t)v;
        return 0;
}

static int find_passwd(const char *name, uid_t uid, bool by_uid, uid_t *ret_uid, gid_t *ret_gid,
                       char **ret_home, char **ret_name)
{
        FILE *f = fopen("/etc/passwd", "re");
        struct passwd *pw;
        int r = -ESRCH;

        if (!f)
                return errno == ENOENT ? -ESRCH : negative_errno();
        while ((pw = fgetpwent(f)))
                if (by_uid ? pw->pw_uid == uid : streq(pw->pw_name, name)) {
                        *ret_uid = pw->pw_uid;
                        *ret_gid = pw->pw_gid;
                        *ret_home = strdup(isempty(pw->pw_dir) ? "/" : pw->pw_dir);
                        *ret_name = strdup(pw->pw_name);
                        r = *ret_home && *ret_name ? 0 : -ENOMEM;
                        break;
                }
        fclose(f);
        return r;
}

static int find_groups(LaunchChild *ch, const char *name)
{
        FILE *f = fopen("/etc/group", "re");
        struct group *gr;

        if (!f)
                return errno == ENOENT ? 0 : negative_errno();
        while ((gr = fgetgrent(f))) {
                if (gr->gr_gid == ch->gid || !strv_contains(gr->gr_mem, name))
                        continue;
                gid_t *g = realloc(ch->groups, sizeof(gid_t) * (ch->n_groups + 1));
                if (!g) {
                        fclose(f);
                        return -ENOMEM;
                }
                ch->groups = g;
                ch->groups[ch->n_groups++] = gr->gr_gid;
        }
        fclose(f);
        return 0;
}

int child_resolve_user(LaunchChild *ch)
{
        const char *user = ch->ctx->config->user ?: "root";
        _cleanup_free_ char *name = NULL;
        uid_t uid;
        bool numeric = parse_uid(user, &uid) >= 0;
        int r;

        r = find_passwd(user, uid, numeric, &ch->uid, &ch->gid, &ch->home, &name);
        if (r == -ESRCH && (numeric || streq(user, "root"))) {
                /* A numeric UID needs no entry (as with docker); root exists without one too. */
                ch->uid = numeric ? uid : 0;
                ch->gid = (gid_t)ch->uid;
                ch->home = strdup(ch->uid == 0 ? "/root" : "/");
                return ch->home ? 0 : -ENOMEM;
        }
        if (r == -ESRCH)
                return child_report_error(ch, EXIT_BERTH_FAILED, 0,
                                          "Failed to find User=%s in /etc/passwd of the container", user);
        if (r < 0)
                return child_report_error(ch, EXIT_BERTH_FAILED, r,
                                          "Failed to read the container's /etc/passwd");
        r = find_groups(ch, name);
        if (r < 0)
                return child_report_error(ch, EXIT_BERTH_FAILED, r,
                                          "Failed to read the container's /etc/group");
        return 0;
}
