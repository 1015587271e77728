/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* User namespaces: ID range allocation, uid/gid maps and idmapped mounts. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "alloc.h"
#include "nss-ids.h"
#include "userns.h"

#define N_SLOTS ((USERNS_RANGE_LAST - USERNS_RANGE_FIRST) / USERNS_RANGE_SIZE + 1)

uid_t userns_preferred_base(const char *name)
{
        return USERNS_RANGE_FIRST + (uid_t)(alloc_hash(name) % N_SLOTS) * USERNS_RANGE_SIZE;
}

/* A sorted list of IDs inside the pick area that belong to someone else. */
typedef struct IdList {
        uint32_t *v;
        size_t n, allocated;
} IdList;

static void id_list_done(IdList *l)
{
        free(l->v);
        *l = (IdList){};
}

static int id_list_append(IdList *l, uint32_t id)
{
        if (l->n == l->allocated) {
                size_t a = l->allocated ? l->allocated * 2 : 64;
                uint32_t *v = reallocarray(l->v, a, sizeof(*v));
                if (!v)
                        return -ENOMEM;
                l->v = v;
                l->allocated = a;
        }
        l->v[l->n++] = id;
        return 0;
}

/* Keeps only IDs inside the pick area: the rest cannot collide with a picked range. */
static int id_list_add(IdList *l, uint32_t id)
{
        if (id < USERNS_RANGE_FIRST || id - USERNS_RANGE_FIRST >= N_SLOTS * USERNS_RANGE_SIZE)
                return 0;
        return id_list_append(l, id);
}

static int cmp_u32(const void *a, const void *b)
{
        uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
        return x < y ? -1 : x > y;
}

/* Whether some ID of l lies in [base, base + size). */
static bool id_list_overlaps(const IdList *l, uint64_t base, uint64_t size)
{
        size_t lo = 0, hi = l->n;
        while (lo < hi) { /* first element >= base */
                size_t mid = lo + (hi - lo) / 2;
                if (l->v[mid] < base)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        return lo < l->n && l->v[lo] < base + size;
}

/* Host users and groups inside the pick area (nss-ids.c caches the enumeration in dir_fd). */
static int nss_ids(int dir_fd, IdList *ret)
{
        uint32_t *v = NULL;
        size_t n = 0;
        int r = nss_ids_in_area(dir_fd, USERNS_RANGE_FIRST,
                                USERNS_RANGE_FIRST + (uint64_t)N_SLOTS * USERNS_RANGE_SIZE, &v, &n);
        if (r < 0)
                return r;
        *ret = (IdList){ .v = v, .n = n, .allocated = n };
        return 0;
}

/* Ranges held by running containers, as IDs of the pick area they cover: fixed ranges (and,
 * with include_slots, picked slots, for a fixed range that must not overlap them). */
static int ranges_in_use(int dir_fd, bool include_slots, IdList *ret_ids, IdList *ret_fixed)
{
        _cleanup_close_ int fd = dup(dir_fd);
        DIR *d;
        struct dirent *de;
        IdList ids = {}, fixed = {};
        int r = 0;

        if (fd < 0)
                return negative_errno();
        d = fdopendir(fd);
        if (!d)
                return negative_errno();
        TAKE_FD(fd);
        rewinddir(d);
        while (r >= 0 && (de = readdir(d))) {
                unsigned long base, size;
                int end = 0;

                if (sscanf(de->d_name, "fixed-%lu-%lu.lock%n", &base, &size, &end) == 2 &&
                    !de->d_name[end]) {
                        if (alloc_lock_in_use(dir_fd, de->d_name)) {
                                r = id_list_append(&fixed, (uint32_t)base); /* (base, size) pairs */
                                if (r >= 0)
                                        r = id_list_append(&fixed, (uint32_t)size);
                        }
                } else if (include_slots && sscanf(de->d_name, "%lu.lock%n", &base, &end) == 1 &&
                           !de->d_name[end]) {
                        if (alloc_lock_in_use(dir_fd, de->d_name))
                                r = id_list_add(&ids, (uint32_t)base);
                }
        }
        closedir(d);
        if (r < 0) {
                id_list_done(&ids);
                id_list_done(&fixed);
                return r;
        }
        if (ids.n > 0)
                qsort(ids.v, ids.n, sizeof(*ids.v), cmp_u32);
        *ret_ids = ids;
        *ret_fixed = fixed;
        return 0;
}

static bool overlaps(uint64_t a, uint64_t a_size, uint64_t b, uint64_t b_size)
{
        return a < b + b_size && b < a + a_size;
}

/* Where other ID allocators on the host keep their records; tests point them elsewhere. */
static const char *subid_files[2] = { "/etc/subuid", "/etc/subgid" };
static const char *nspawn_lock_dir = "/run/systemd/nspawn-uid";

void userns_set_foreign_allocations(const char *subuid, const char *subgid, const char *nspawn_dir)
{
        subid_files[0] = subuid;
        subid_files[1] = subgid;
        nspawn_lock_dir = nspawn_dir;
}

/* The ranges /etc/subuid and /etc/subgid hand out (useradd gives 100000+ ranges to every user,
 * for rootless podman and newuidmap), as (start, count) pairs appended to l. "name:start:count"
 * per line; a line that does not parse is skipped, a missing file is no range. */
static int subid_ranges(const char *path, IdList *l)
{
        _cleanup_free_ char *line = NULL;
        _cleanup_fclose_ FILE *f = NULL;
        size_t allocated = 0;
        int r = 0;

        if (!path)
                return 0;
        f = fopen(path, "re");
        if (!f)
                return errno == ENOENT ? 0 : negative_errno();
        while (r >= 0 && getline(&line, &allocated, f) > 0) {
                unsigned long start, count;
                const char *p = strchr(line, ':');

                if (!p || sscanf(p, ":%lu:%lu", &start, &count) != 2 || count == 0 || start > UINT32_MAX ||
                    count > UINT32_MAX)
                        continue;
                r = id_list_append(l, (uint32_t)start);
                if (r >= 0)
                        r = id_list_append(l, (uint32_t)count);
        }
        return r;
}

/* Whether systemd-nspawn holds the 64K range at base: it locks /run/systemd/nspawn-uid/<base>
 * (flock, or an OFD lock in newer versions) while a container runs with --private-users=pick, and
 * removes the file when done. A file nobody holds is what a killed nspawn left: not in use. */
static bool nspawn_range_locked(uid_t base)
{
        _cleanup_free_ char *path = NULL;
        _cleanup_close_ int fd = -EBADF;
        struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };

        if (!nspawn_lock_dir || asprintf(&path, "%s/%u", nspawn_lock_dir, (unsigned)base) < 0)
                return false;
        fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
        if (fd < 0)
                return errno != ENOENT; /* there but unreadable: stay away */
        if (fcntl(fd, F_OFD_GETLK, &fl) < 0 || fl.l_type != F_UNLCK)
                return true;
        if (flock(fd, LOCK_SH | LOCK_NB) < 0)
                return true;
        return false; /* our shared flock goes with the fd */
}

static int pick(int dir_fd, const char *name, UidRange *ret)
{
        _cleanup_(id_list_done) IdList nss = {}, slots = {}, fixed = {};
        uint32_t first = (userns_preferred_base(name) - USERNS_RANGE_FIRST) / USERNS_RANGE_SIZE;
        int r;

        r = nss_ids(dir_fd, &nss);
        if (r < 0)
                return r;
        r = ranges_in_use(dir_fd, false, &slots, &fixed);
        if (r < 0)
                return r;
        /* Subordinate ranges of host users count like fixed ranges: a picked range overlapping
         * one would share host UIDs with someone's rootless containers. */
        for (size_t i = 0; i < ELEMENTSOF(subid_files); i++) {
                r = subid_ranges(subid_files[i], &fixed);
                if (r < 0)
                        return r;
        }

        for (uint32_t i = 0; i < N_SLOTS; i++) {
                uid_t base = USERNS_RANGE_FIRST + ((first + i) % N_SLOTS) * USERNS_RANGE_SIZE;
                char lock_name[32];
                bool busy = id_list_overlaps(&nss, base, USERNS_RANGE_SIZE);
                int fd = -EBADF;

                for (size_t k = 0; !busy && k + 1 < fixed.n; k += 2)
                        busy = overlaps(base, USERNS_RANGE_SIZE, fixed.v[k], fixed.v[k + 1]);
                if (busy || nspawn_range_locked(base))
                        continue;
                snprintf(lock_name, sizeof(lock_name), "%u.lock", (unsigned)base);
                r = alloc_lock(dir_fd, lock_name, LOCK_EX, &fd);
                if (r == -EBUSY)
                        continue;
                if (r < 0)
                        return r;
                *ret = (UidRange){ .base = base, .size = USERNS_RANGE_SIZE, .lock_fd = fd };
                return 0;
        }
        return -ENOSPC;
}

static int fixed(int dir_fd, uid_t base, uint32_t size, UidRange *ret)
{
        _cleanup_(id_list_done) IdList slots = {}, fixed_in_use = {}; /* fixed ranges may overlap */
        char lock_name[64];
        int fd = -EBADF, r;

        r = ranges_in_use(dir_fd, true, &slots, &fixed_in_use);
        if (r < 0)
                return r;
        /* Slot locks record only the base: a picked range always spans one whole slot. */
        for (size_t k = 0; k < slots.n; k++)
                if (overlaps(base, size, slots.v[k], USERNS_RANGE_SIZE))
                        return -EBUSY;
        snprintf(lock_name, sizeof(lock_name), "fixed-%u-%u.lock", (unsigned)base, (unsigned)size);
        /* Shared: containers configured with the same range may run side by side. */
        r = alloc_lock(dir_fd, lock_name, LOCK_SH, &fd);
        if (r < 0)
                return r;
        *ret = (UidRange){ .base = base, .size = size, .lock_fd = fd };
        return 0;
}

int userns_pick_range(const char *state_dir, const ContainerConfig *c, UidRange *ret)
{
        _cleanup_close_ int dir_fd = -EBADF, global = -EBADF;
        int r;

        switch (c->private_users) {
        case PRIVATE_USERS_NO: *ret = UID_RANGE_NULL; return 0;
        case PRIVATE_USERS_IDENTITY:
                *ret = (UidRange){ .base = 0, .size = USERNS_RANGE_SIZE, .lock_fd = -EBADF };
                return 0;
        case PRIVATE_USERS_FIXED:
                /* uid -1 is "no uid" to the kernel: the range must end below it. */
                if (c->uid_size == 0 || (uint64_t)c->uid_base + c->uid_size > UINT32_MAX)
                        return -ERANGE;
                break;
        case PRIVATE_USERS_PICK: break;
        default: return -EINVAL;
        }

        r = alloc_dir_open(state_dir, "uid", &dir_fd, &global);
        if (r < 0)
                return r;
        if (c->private_users == PRIVATE_USERS_FIXED)
                return fixed(dir_fd, c->uid_base, c->uid_size, ret);
        return pick(dir_fd, c->name, ret);
}

void userns_release_range(UidRange *r)
{
        r->lock_fd = safe_close(r->lock_fd);
        *r = UID_RANGE_NULL;
}

static int write_map(pid_t pid, const char *file, const UidRange *r)
{
        char path[64], line[64];
        _cleanup_close_ int fd = -EBADF;
        int n;

        snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
        n = snprintf(line, sizeof(line), "0 %u %u\n", (unsigned)r->base, (unsigned)r->size);
        fd = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
        if (fd < 0)
                return negative_errno();
        /* The kernel takes the whole map in one write. */
        if (write(fd, line, n) != n)
                return negative_errno();
        return 0;
}

int userns_write_maps(pid_t pid, const UidRange *r)
{
        int k;

        if (r->size == 0)
                return 0;
        k = write_map(pid, "uid_map", r);
        if (k < 0)
                return k;
        return write_map(pid, "gid_map", r);
}

int userns_open_idmapped(int dirfd, const char *path, int userns_fd, bool recursive, unsigned attrs,
                         int *ret_mount_fd)
{
        _cleanup_close_ int fd = -EBADF;
        /* Private in the same call: a clone keeps its source's propagation (see mount_clone()). */
        struct mount_attr attr = {
                .attr_set = MOUNT_ATTR_IDMAP | attrs,
                .propagation = MS_PRIVATE,
                .userns_fd = (uint64_t)userns_fd,
        };
        unsigned flags = OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | (recursive ? AT_RECURSIVE : 0);

        if (isempty(path))
                flags |= AT_EMPTY_PATH;
        fd = open_tree(dirfd, strempty(path), flags);
        if (fd < 0)
                return negative_errno();
        if (mount_setattr(fd, "", AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0), &attr, sizeof(attr)) < 0)
                /* EINVAL here: the filesystem does not do idmapped mounts (no FS_ALLOW_IDMAP). */
                return errno == EINVAL ? -EOPNOTSUPP : negative_errno();
        *ret_mount_fd = TAKE_FD(fd);
        return 0;
}

/* Read by hand, not with libmount: this only names the filesystem in an error message, and
 * linking libmount (with libblkid) cost every berth process two more shared objects and a third
 * of its symbol relocations (issue 16). The mount that holds path is found by its mount ID. */
int userns_fs_type(const char *path, char **ret)
{
        _cleanup_fclose_ FILE *f = NULL;
        _cleanup_free_ char *line = NULL;
        struct statx stx;
        size_t size = 0;

        if (statx(AT_FDCWD, path, 0, STATX_MNT_ID, &stx) < 0)
                return negative_errno();
        if (!(stx.stx_mask & STATX_MNT_ID))
                return -EOPNOTSUPP;
        f = fopen("/proc/self/mountinfo", "re");
        if (!f)
                return negative_errno();
        /* "36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw": ID first, the type
         * after the " - " separator */
        while (getline(&line, &size, f) > 0) {
                unsigned long long id;
                char *sep, *end;

                if (sscanf(line, "%llu ", &id) != 1 || id != stx.stx_mnt_id)
                        continue;
                sep = strstr(line, " - ");
                if (!sep)
                        return -EBADMSG;
                sep += 3;
                end = sep + strcspn(sep, " \n");
                if (end == sep)
                        return -EBADMSG;
                *ret = strndup(sep, (size_t)(end - sep));
                return *ret ? 0 : -ENOMEM;
        }
        return -ENOENT;
}
