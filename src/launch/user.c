/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* User=: resolved in the container's own /etc/passwd and /etc/group (after pivot_root, or after
 * `berth exec` entered the container), by plain file parsing: NSS would load the image's modules
 * into this still-privileged process. The files are the image's: hostile input (user_db_open()). */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/openat2.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "exit-status.h"
#include "fileio.h"
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

/* The container's /etc/passwd and /etc/group are the image's: a FIFO there must not hang the start,
 * a device node must not be opened for real, a huge file must not eat the supervisor's memory. */
#define USER_DB_SIZE_MAX (16U * 1024U * 1024U)

/* Reads path (resolved inside rootfd, or inside the current root when rootfd < 0: the container's
 * after pivot_root) whole
 * into memory and returns a stream over that copy. Non-blocking, no symlink at the last component
 * and no magic link on the way, a regular file of at most USER_DB_SIZE_MAX bytes: -ELOOP for a
 * symlink, -EBADFD for anything not a regular file, -EFBIG when too large, -ENOENT when missing. */
static int user_db_open(int rootfd, const char *path, FILE **ret)
{
        struct open_how how = {
                .flags = O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC,
                .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
        };
        _cleanup_close_ int root = -EBADF, fd = -EBADF;
        _cleanup_free_ char *buf = NULL;
        struct stat st;
        size_t n = 0;
        int r;

        if (rootfd < 0) {
                root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
                if (root < 0)
                        return -errno;
        }
        if (rootfd >= 0) {
                /* Seen from the host (berth verify), a device node in the image would be the host's
                 * device: look at the file (O_PATH opens nothing) before opening it for reading. */
                _cleanup_close_ int pfd = -EBADF;
                struct open_how phow = { .flags = O_PATH | O_NOFOLLOW | O_CLOEXEC, .resolve = how.resolve };
                char proc[64];

                pfd = (int)syscall(SYS_openat2, rootfd, path, &phow, sizeof(phow));
                if (pfd < 0)
                        return -errno;
                if (fstat(pfd, &st) < 0)
                        return -errno;
                if (S_ISLNK(st.st_mode))
                        return -ELOOP;
                if (!S_ISREG(st.st_mode))
                        return -EBADFD;
                /* The same inode, reopened: nothing can swap it in between. */
                snprintf(proc, sizeof(proc), "/proc/self/fd/%d", pfd);
                fd = open(proc, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
        } else
                /* O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever. */
                fd = (int)syscall(SYS_openat2, root, path, &how, sizeof(how));
        if (fd < 0)
                return -errno;
        if (fstat(fd, &st) < 0)
                return -errno;
        if (!S_ISREG(st.st_mode))
                return -EBADFD;
        if ((uint64_t)st.st_size > USER_DB_SIZE_MAX)
                return -EFBIG;
        r = read_fd_capped(fd, (size_t)st.st_size, USER_DB_SIZE_MAX, &buf, &n);
        if (r < 0)
                return r;
        /* A stream over a private copy (freed when the stream is closed), so what fgetpwent()
         * parses cannot change or grow under it. An empty file is an empty stream. */
        _cleanup_fclose_ FILE *f = fmemopen(NULL, n + 1, "w+");
        if (!f)
                return -errno;
        if ((n > 0 && fwrite(buf, 1, n, f) != n) || fseek(f, 0, SEEK_SET) != 0)
                return -EIO;
        *ret = TAKE_PTR(f);
        return 0;
}

static int find_passwd(int rootfd, const char *name, uid_t uid, bool by_uid, UserRecord *u, char **ret_name)
{
        _cleanup_fclose_ FILE *f = NULL;
        struct passwd *pw;
        int r;

        r = user_db_open(rootfd, "/etc/passwd", &f);
        if (r < 0)
                return r == -ENOENT ? -ESRCH : r;
        r = -ESRCH;
        while ((pw = fgetpwent(f)))
                if (by_uid ? pw->pw_uid == uid : streq(pw->pw_name, name)) {
                        u->uid = pw->pw_uid;
                        u->gid = pw->pw_gid;
                        u->home = strdup(isempty(pw->pw_dir) ? "/" : pw->pw_dir);
                        *ret_name = strdup(pw->pw_name);
                        r = u->home && *ret_name ? 0 : -ENOMEM;
                        break;
                }
        return r;
}

static int find_groups(int rootfd, UserRecord *u, const char *name)
{
        _cleanup_fclose_ FILE *f = NULL;
        struct group *gr;
        int r;

        r = user_db_open(rootfd, "/etc/group", &f);
        if (r < 0)
                return r == -ENOENT ? 0 : r;
        while ((gr = fgetgrent(f))) {
                if (gr->gr_gid == u->gid || !strv_contains(gr->gr_mem, name))
                        continue;
                gid_t *g = realloc(u->groups, sizeof(gid_t) * (u->n_groups + 1));
                if (!g)
                        return -ENOMEM;
                u->groups = g;
                u->groups[u->n_groups++] = gr->gr_gid;
        }
        return 0;
}

void user_record_done(UserRecord *u)
{
        free(u->groups);
        free(u->home);
        *u = (UserRecord){};
}

const char *user_db_refusal(int error)
{
        switch (error) {
        case -ELOOP: return "it is a symlink (berth reads only a regular file there)";
        case -EBADFD: return "not a regular file (a FIFO, socket, device or directory)";
        case -EFBIG: return "larger than 16 MiB";
        default: return NULL;
        }
}

int user_resolve(const char *user, UserRecord *ret, const char **ret_db)
{
        return user_resolve_at(-EBADF, user, ret, ret_db);
}

int user_resolve_at(int rootfd, const char *user, UserRecord *ret, const char **ret_db)
{
        _cleanup_free_ char *name = NULL;
        UserRecord u = {};
        uid_t uid = 0;
        bool numeric = parse_uid(user, &uid) >= 0;
        int r;

        *ret_db = "/etc/passwd";
        r = find_passwd(rootfd, user, uid, numeric, &u, &name);
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
        if (r >= 0) {
                *ret_db = "/etc/group";
                r = find_groups(rootfd, &u, name);
        }
        if (r < 0) {
                user_record_done(&u);
                return r;
        }
        *ret = u;
        return 0;
}

int child_resolve_user(LaunchChild *ch)
{
        const char *user = ch->ctx->config->user ?: "root", *db = NULL;
        UserRecord u = {};
        int r;

        r = user_resolve(user, &u, &db);
        if (r == -ESRCH)
                return child_report_error(ch, EXIT_BERTH_FAILED, 0,
                                          "Failed to find User=%s in /etc/passwd of the container", user);
        if (r < 0 && user_db_refusal(r))
                return child_report_error(ch, EXIT_BERTH_FAILED, 0, "Refusing the container's %s: %s", db,
                                          user_db_refusal(r));
        if (r < 0)
                return child_report_error(ch, EXIT_BERTH_FAILED, r, "Failed to read the container's %s", db);
        ch->uid = u.uid;
        ch->gid = u.gid;
        ch->groups = u.groups;
        ch->n_groups = u.n_groups;
        ch->home = u.home;
        return 0;
}
