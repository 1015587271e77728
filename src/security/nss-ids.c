/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Host NSS users and groups inside the ID pick area, with a cache keyed on where NSS reads them.
 *
 * Enumerating NSS (getpwent/getgrent) costs every start about 0.6M instructions and ~60 system
 * calls (nss-systemd walks the userdb directories), a tenth of `berth run` (issue 16). Its
 * answer only changes when one of its sources does, so the answer is kept in /run/berth/uid/
 * together with a key: the stat data (device, inode, size, mtime, ctime) of every place the
 * sources read. A start whose key matches uses the cached IDs; any difference enumerates again.
 * The cache is written only where the key covers every source:
 * - nsswitch.conf's passwd: and group: lines name only `files` and `systemd`; any other source
 *   (sss, ldap, winbind, compat, extrausers, ...) answers from elsewhere, so it is enumerated on
 *   every start as before;
 * - `files` is /etc/passwd and /etc/group: useradd and vipw replace them by rename (new inode),
 *   an in-place edit changes size or mtime, and ctime cannot be set back from user space;
 * - `systemd` is the userdb drop-in directories (only when absent or empty: an edit inside a
 *   file would not change the directory) and the varlink services in /run/systemd/userdb/
 *   (only those known to enumerate nothing inside the pick area: DynamicUser 61184-65519, Home
 *   60001-60513, Machine enumerates nothing, and userdbd's Multiplexer, NameServiceSwitch and
 *   DropIn, which serve the same sources); a service added or removed changes the directory;
 * - a source changed less than a second before the key was taken is not trusted (file
 *   timestamps have the kernel's coarse clock: a second edit in the same tick keeps them).
 * The key is taken before enumerating, so an edit during the enumeration makes the next start
 * enumerate again. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fileio.h"
#include "macro.h"
#include "nss-ids.h"

enum {
        KEY_NSSWITCH,
        KEY_PASSWD,
        KEY_GROUP,
        KEY_USERDB_SERVICES,
        KEY_DROPIN_FIRST, /* the userdb drop-in directories follow */
};

static const char *const key_paths[] = {
        "/etc/nsswitch.conf",  "/etc/passwd",           "/etc/group",
        "/run/systemd/userdb", "/etc/userdb",           "/run/userdb",
        "/run/host/userdb",    "/usr/local/lib/userdb", "/usr/lib/userdb",
};
#define N_KEYS (sizeof(key_paths) / sizeof(key_paths[0]))

typedef struct KeyEntry {
        int64_t err; /* 0, or the -errno of statx */
        uint64_t dev_major, dev_minor, ino, size;
        int64_t mtime_sec, ctime_sec;
        uint32_t mtime_nsec, ctime_nsec;
} KeyEntry;

/* File timestamps come from the kernel's coarse clock (one tick, at most 10 ms): a source changed
 * less than this before the key was taken could change again without changing its key. */
#define RECENT_NSEC 1000000000LL

#define CACHE_MAGIC "berthns1"

typedef struct CacheHeader {
        char magic[8];
        uint32_t lo;
        uint32_t n_ids;
        uint64_t hi;
        KeyEntry key[N_KEYS];
} CacheHeader;

static void key_take(KeyEntry key[static N_KEYS])
{
        for (size_t i = 0; i < N_KEYS; i++) {
                struct statx stx;

                key[i] = (KeyEntry){};
                if (statx(AT_FDCWD, key_paths[i], AT_STATX_SYNC_AS_STAT, STATX_BASIC_STATS, &stx) < 0) {
                        key[i].err = negative_errno();
                        continue;
                }
                key[i] = (KeyEntry){
                        .dev_major = stx.stx_dev_major,
                        .dev_minor = stx.stx_dev_minor,
                        .ino = stx.stx_ino,
                        .size = stx.stx_size,
                        .mtime_sec = stx.stx_mtime.tv_sec,
                        .mtime_nsec = stx.stx_mtime.tv_nsec,
                        .ctime_sec = stx.stx_ctime.tv_sec,
                        .ctime_nsec = stx.stx_ctime.tv_nsec,
                };
        }
}

/* Sources NSS reads users or groups from that the key covers. */
static bool nsswitch_cacheable(void)
{
        _cleanup_fclose_ FILE *f = fopen("/etc/nsswitch.conf", "re");
        _cleanup_free_ char *line = NULL;
        size_t size = 0;
        unsigned seen = 0;

        if (!f)
                return false; /* glibc's built-in default: not worth reasoning about */
        while (getline(&line, &size, f) > 0) {
                char *p = line + strspn(line, " \t"), *tok, *save = NULL;
                unsigned which;

                if (strneq(p, "passwd:", 7))
                        which = 1;
                else if (strneq(p, "group:", 6))
                        which = 2;
                else
                        continue;
                seen |= which;
                p = strchr(p, ':') + 1;
                p[strcspn(p, "#")] = 0;
                for (tok = strtok_r(p, " \t\n", &save); tok; tok = strtok_r(NULL, " \t\n", &save)) {
                        if (tok[0] == '[') { /* an action ([NOTFOUND=return]) may span tokens */
                                while (tok && !strchr(tok, ']'))
                                        tok = strtok_r(NULL, " \t\n", &save);
                                if (!tok)
                                        return false;
                                continue;
                        }
                        if (!streq(tok, "files") && !streq(tok, "systemd"))
                                return false;
                }
        }
        return seen == 3;
}

static bool userdb_services_cacheable(void)
{
        static const char *const known[] = {
                "io.systemd.DynamicUser",       "io.systemd.Home",
                "io.systemd.Machine",           "io.systemd.Multiplexer",
                "io.systemd.NameServiceSwitch", "io.systemd.DropIn",
        };
        DIR *d = opendir("/run/systemd/userdb");
        struct dirent *de;
        bool ok = true;

        if (!d)
                return errno == ENOENT;
        while (ok && (de = readdir(d))) {
                bool found = streq(de->d_name, ".") || streq(de->d_name, "..");
                for (size_t i = 0; !found && i < sizeof(known) / sizeof(known[0]); i++)
                        found = streq(de->d_name, known[i]);
                ok = found;
        }
        closedir(d);
        return ok;
}

static bool dir_absent_or_empty(const char *path)
{
        DIR *d = opendir(path);
        struct dirent *de;
        bool empty = true;

        if (!d)
                return errno == ENOENT;
        while (empty && (de = readdir(d)))
                empty = streq(de->d_name, ".") || streq(de->d_name, "..");
        closedir(d);
        return empty;
}

static bool key_cacheable(const KeyEntry key[static N_KEYS])
{
        struct timespec now;

        if (clock_gettime(CLOCK_REALTIME, &now) < 0)
                return false;
        for (size_t i = 0; i < N_KEYS; i++) {
                if (key[i].err != 0 && (key[i].err != -ENOENT || i <= KEY_GROUP))
                        return false;
                if (key[i].err == 0 && (now.tv_sec - key[i].ctime_sec) * 1000000000LL +
                                                       ((int64_t)now.tv_nsec - key[i].ctime_nsec) <
                                               RECENT_NSEC)
                        return false; /* changed too recently: a second change could keep the key */
        }
        if (!nsswitch_cacheable() || !userdb_services_cacheable())
                return false;
        for (size_t i = KEY_DROPIN_FIRST; i < N_KEYS; i++)
                if (!dir_absent_or_empty(key_paths[i]))
                        return false;
        return true;
}

static int cmp_u32(const void *a, const void *b)
{
        uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
        return x < y ? -1 : x > y;
}

static int ids_append(uint32_t **v, size_t *n, size_t *allocated, uint32_t id)
{
        if (*n == *allocated) {
                size_t a = *allocated ? *allocated * 2 : 64;
                uint32_t *p = reallocarray(*v, a, sizeof(*p));
                if (!p)
                        return -ENOMEM;
                *v = p;
                *allocated = a;
        }
        (*v)[(*n)++] = id;
        return 0;
}

/* One pass over all users and all groups (not getpwuid() per ID: 65536 lookups per candidate). */
static int enumerate(uint32_t lo, uint64_t hi, uint32_t **ret_v, size_t *ret_n)
{
        _cleanup_free_ uint32_t *v = NULL;
        size_t n = 0, allocated = 0;
        struct passwd *pw;
        struct group *gr;
        int r = 0;

        setpwent();
        while (r >= 0 && (pw = getpwent()))
                if (pw->pw_uid >= lo && pw->pw_uid < hi)
                        r = ids_append(&v, &n, &allocated, pw->pw_uid);
        endpwent();
        setgrent();
        while (r >= 0 && (gr = getgrent()))
                if (gr->gr_gid >= lo && gr->gr_gid < hi)
                        r = ids_append(&v, &n, &allocated, gr->gr_gid);
        endgrent();
        if (r < 0)
                return r;
        if (n > 0)
                qsort(v, n, sizeof(*v), cmp_u32);
        *ret_v = TAKE_PTR(v);
        *ret_n = n;
        return 0;
}

/* The cached IDs when the cache was made for [lo, hi) under the same key; -ESTALE otherwise. */
static int cache_read(int dir_fd, uint32_t lo, uint64_t hi, const KeyEntry key[static N_KEYS],
                      uint32_t **ret_v, size_t *ret_n)
{
        _cleanup_close_ int fd =
                openat(dir_fd, NSS_IDS_CACHE_NAME, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY);
        _cleanup_free_ uint32_t *v = NULL;
        CacheHeader h;
        struct stat st;
        size_t len;

        if (fd < 0)
                return errno == ENOENT ? -ESTALE : negative_errno();
        if (fstat(fd, &st) < 0)
                return negative_errno();
        /* Only our own file (root's /run/berth/uid/ in production) speaks for NSS. */
        if (!S_ISREG(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 0022) ||
            st.st_size < (off_t)sizeof(h))
                return -ESTALE;
        if (read(fd, &h, sizeof(h)) != (ssize_t)sizeof(h))
                return -ESTALE;
        if (memcmp(h.magic, CACHE_MAGIC, sizeof(h.magic)) != 0 || h.lo != lo || h.hi != hi ||
            memcmp(h.key, key, sizeof(h.key)) != 0)
                return -ESTALE;
        len = (size_t)h.n_ids * sizeof(uint32_t);
        if ((uint64_t)st.st_size != sizeof(h) + len)
                return -ESTALE;
        if (h.n_ids > 0) {
                v = malloc(len);
                if (!v)
                        return -ENOMEM;
                if (read(fd, v, len) != (ssize_t)len)
                        return -ESTALE;
        }
        *ret_v = TAKE_PTR(v);
        *ret_n = h.n_ids;
        return 0;
}

static int cache_write(int dir_fd, uint32_t lo, uint64_t hi, const KeyEntry key[static N_KEYS],
                       const uint32_t *v, size_t n)
{
        _cleanup_free_ char *buf = NULL;
        size_t len = sizeof(CacheHeader) + n * sizeof(uint32_t);
        CacheHeader h = { .lo = lo, .hi = hi, .n_ids = (uint32_t)n };

        if (n > UINT32_MAX)
                return -E2BIG;
        memcpy(h.magic, CACHE_MAGIC, sizeof(h.magic));
        memcpy(h.key, key, sizeof(h.key));
        buf = malloc(len);
        if (!buf)
                return -ENOMEM;
        memcpy(buf, &h, sizeof(h));
        if (n > 0)
                memcpy(buf + sizeof(h), v, n * sizeof(uint32_t));
        return write_file_atomic_at(dir_fd, NSS_IDS_CACHE_NAME, buf, len, 0600, 0);
}

int nss_ids_in_area(int cache_dir_fd, uint32_t lo, uint64_t hi, uint32_t **ret_v, size_t *ret_n)
{
        KeyEntry key[N_KEYS];
        int r;

        if (cache_dir_fd < 0)
                return enumerate(lo, hi, ret_v, ret_n);
        key_take(key);
        if (cache_read(cache_dir_fd, lo, hi, key, ret_v, ret_n) >= 0)
                return 0;
        r = enumerate(lo, hi, ret_v, ret_n);
        if (r < 0)
                return r;
        if (key_cacheable(key))
                (void)cache_write(cache_dir_fd, lo, hi, key, *ret_v,
                                  *ret_n); /* a start without it is only slower */
        else
                (void)unlinkat(cache_dir_fd, NSS_IDS_CACHE_NAME, 0);
        return 0;
}
