/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* User=: resolved in the container's own /etc/passwd and /etc/group (after pivot_root, or after
 * `berth exec` entered the container), by plain file parsing: NSS would load the image's modules
 * into this still-privileged process. The files are the image's: hostile input. Each is opened
 * without following a symlink at its last component and without blocking (a FIFO would hang the
 * start), must be a regular file, and is read no further than PASSWD_SIZE_MAX. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "exit-status.h"
#include "launch-context.h"
#include "strv.h"

#define PASSWD_SIZE_MAX (4U * 1024U * 1024U)

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

/* The container's file at path as a stdio stream: -ENOENT when it does not exist, -EBADF when it
 * is not a regular file (a FIFO, device or socket), -EFBIG when it is larger than the cap. */
static int open_container_file(const char *path, FILE **ret)
{
        _cleanup_close_ int fd = -EBADF;
        struct stat st;
        FILE *f;

        fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
        if (fd < 0)
                return errno == ELOOP ? -EBADF : negative_errno();
        if (fstat(fd, &st) < 0)
                return negative_errno();
        if (!S_ISREG(st.st_mode))
                return -EBADF;
        if ((uint64_t)st.st_size > PASSWD_SIZE_MAX)
                return -EFBIG;
        f = fdopen(fd, "re");
        if (!f)
                return negative_errno();
        TAKE_FD(fd);
        *ret = f;
        return 0;
}

/* A file that grows while we read it stops being read at the cap. */
static bool read_too_far(FILE *f)
{
        long pos = ftell(f);
        return pos < 0 || (unsigned long)pos > PASSWD_SIZE_MAX;
}

static int find_passwd(const char *name, uid_t uid, bool by_uid, UserRecord *u, char **ret_name)
{
        struct passwd *pw;
        FILE *f;
        int r;

        r = open_container_file("/etc/passwd", &f);
        if (r < 0)
                return r == -ENOENT ? -ESRCH : r;
        r = -ESRCH;
        while (!read_too_far(f) && (pw = fgetpwent(f)))
                if (by_uid ? pw->pw_uid == uid : streq(pw->pw_name, name)) {
                        u->uid = pw->pw_uid;
                        u->gid = pw->pw_gid;
                        u->home = strdup(isempty(pw->pw_dir) ? "/" : pw->pw_dir);
                        *ret_name = strdup(pw->pw_name);
                        r = u->home && *ret_name ? 0 : -ENOMEM;
                        break;
                }
        fclose(f);
        return r;
}

static int find_groups(UserRecord *u, const char *name)
{
        struct group *gr;
        FILE *f;
        int r;

        r = open_container_file("/etc/group", &f);
        if (r < 0)
                return r == -ENOENT ? 0 : r;
        while (!read_too_far(f) && (gr = fgetgrent(f))) {
                if (gr->gr_gid == u->gid || !strv_contains(gr->gr_mem, name))
                        continue;
                gid_t *g = realloc(u->groups, sizeof(gid_t) * (u->n_groups + 1));
                if (!g) {
                        fclose(f);
                        return -ENOMEM;
                }
                u->groups = g;
                u->groups[u->n_groups++] = gr->gr_gid;
        }
        fclose(f);
        return 0;
}

void user_record_done(UserRecord *u)
{
        free(u->groups);
        free(u->home);
        *u = (UserRecord){};
}

int user_resolve(const char *user, UserRecord *ret)
{
        _cleanup_free_ char *name = NULL;
        UserRecord u = {};
        uid_t uid = 0;
        bool numeric = parse_uid(user, &uid) >= 0;
        int r;

        r = find_passwd(user, uid, numeric, &u, &name);
        if (r == -ESRCH && (numeric || streq(user, "root"))) {
                /* A numeric UID needs no entry (as with docker); root exists without one too. */
                u.uid = numeric ? uid : 0;
                u.gid = (gid_t)u.uid;
                u.home = strdup(u.uid == 0 ? "/root" : "/");
                if (!u.home)
                        return -ENOMEM;
                *ret = u;
                return 0;
        }
        if (r >= 0)
                r = find_groups(&u, name);
        if (r < 0) {
                user_record_done(&u);
                return r;
        }
        *ret = u;
        return 0;
}

int child_resolve_user(LaunchChild *ch)
{
        const char *user = ch->ctx->config->user ?: "root";
        UserRecord u = {};
        int r;

        r = user_resolve(user, &u);
        if (r == -ESRCH)
                return child_report_error(ch, EXIT_BERTH_FAILED, 0,
                                          "Failed to find User=%s in /etc/passwd of the container", user);
        if (r < 0)
                return child_report_error(ch, EXIT_BERTH_FAILED, r,
                                          "Failed to read the container's /etc/passwd or /etc/group");
        ch->uid = u.uid;
        ch->gid = u.gid;
        ch->groups = u.groups;
        ch->n_groups = u.n_groups;
        ch->home = u.home;
        return 0;
}
