/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Unified cgroup hierarchy helpers. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "cgroup.h"
#include "macro.h"
#include "parse-util.h"

int cgroup_unified_mount(const char **ret)
{
        static const char *const candidates[] = { "/sys/fs/cgroup", "/sys/fs/cgroup/unified" };
        struct statfs fs;

        for (size_t i = 0; i < ELEMENTSOF(candidates); i++)
                if (statfs(candidates[i], &fs) >= 0 && fs.f_type == CGROUP2_SUPER_MAGIC) {
                        *ret = candidates[i];
                        return 0;
                }
        return -ENOMEDIUM;
}

/* The rest of the first line of the file at path that starts with prefix, without its newline;
 * -ENODATA when no line does. */
static int read_line_after(const char *path, const char *prefix, char **ret)
{
        _cleanup_free_ char *line = NULL;
        size_t n = 0, l = strlen(prefix);
        _cleanup_fclose_ FILE *f = NULL;
        int r = -ENODATA;

        f = fopen(path, "re");
        if (!f)
                return negative_errno();
        while (getline(&line, &n, f) > 0)
                if (strneq(line, prefix, l)) {
                        line[strcspn(line, "\n")] = 0;
                        *ret = strdup(line + l);
                        r = *ret ? 0 : -ENOMEM;
                        break;
                }
        return r;
}

/* A number as cgroup attribute files write it: decimal, or "max" (UINT64_MAX). */
static int parse_attribute_u64(const char *s, uint64_t *ret)
{
        if (streq(s, "max")) {
                *ret = UINT64_MAX;
                return 0;
        }
        return parse_uint64(s, false, ret) < 0 ? -EBADMSG : 0;
}

int cgroup_pid_get_path(pid_t pid, char **ret)
{
        _cleanup_free_ char *p = NULL;
        int r;

        if (asprintf(&p, "/proc/%d/cgroup", pid > 0 ? (int)pid : (int)getpid()) < 0)
                return -ENOMEM;
        r = read_line_after(p, "0::", ret);
        return r == -ENOENT ? -ESRCH : r;
}

int cgroup_fs_path(const char *cgroup, const char *attribute, char **ret)
{
        const char *mnt;
        int r = cgroup_unified_mount(&mnt);
        if (r < 0)
                return r;
        if (asprintf(ret, "%s%s%s%s", mnt, cgroup, attribute ? "/" : "", strempty(attribute)) < 0)
                return -ENOMEM;
        return 0;
}

/* Writes a number into the cgroup's attribute file, in one write() as the kernel wants it. */
static int cgroup_write_u64(const char *cgroup, const char *attribute, uint64_t value)
{
        _cleanup_free_ char *path = NULL;
        _cleanup_close_ int fd = -EBADF;
        char buf[32];
        size_t n = (size_t)snprintf(buf, sizeof(buf), "%" PRIu64 "\n", value);
        int r;

        r = cgroup_fs_path(cgroup, attribute, &path);
        if (r < 0)
                return r;
        fd = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
        if (fd < 0)
                return negative_errno();
        if (write(fd, buf, n) != (ssize_t)n)
                return negative_errno();
        return 0;
}

int cgroup_attach(const char *cgroup, pid_t pid)
{
        return cgroup_write_u64(cgroup, "cgroup.procs", (uint64_t)pid);
}

int cgroup_move_to_sub(const char *cgroup, const char *sub, pid_t pid)
{
        _cleanup_free_ char *dir = NULL, *subgroup = NULL;
        int r;

        r = cgroup_fs_path(cgroup, sub, &dir);
        if (r < 0)
                return r;
        if (mkdir(dir, 0755) < 0 && errno != EEXIST)
                return negative_errno();
        if (asprintf(&subgroup, "%s/%s", cgroup, sub) < 0)
                return -ENOMEM;
        return cgroup_attach(subgroup, pid);
}

int cgroup_read_u64(const char *cgroup, const char *attribute, uint64_t *ret)
{
        _cleanup_free_ char *p = NULL, *value = NULL;
        int r;

        r = cgroup_fs_path(cgroup, attribute, &p);
        if (r < 0)
                return r;
        r = read_line_after(p, "", &value);
        if (r < 0)
                return r;
        return parse_attribute_u64(value, ret);
}

int cgroup_file_read_key_u64(const char *path, const char *key, uint64_t *ret)
{
        _cleanup_free_ char *prefix = NULL, *value = NULL;
        int r;

        if (asprintf(&prefix, "%s ", key) < 0)
                return -ENOMEM;
        r = read_line_after(path, prefix, &value);
        if (r == -ENODATA)
                return -ENOENT; /* no such key: oom_kill, say, is missing before Linux 4.13 */
        if (r < 0)
                return r;
        return parse_attribute_u64(value, ret);
}

int cgroup_read_key_u64(const char *cgroup, const char *attribute, const char *key, uint64_t *ret)
{
        _cleanup_free_ char *p = NULL;
        int r;

        r = cgroup_fs_path(cgroup, attribute, &p);
        if (r < 0)
                return r;
        return cgroup_file_read_key_u64(p, key, ret);
}

int cgroup_pid_get_unit_path(pid_t pid, const char *unit, char **ret)
{
        _cleanup_free_ char *path = NULL;
        int r = cgroup_pid_get_path(pid, &path);
        if (r < 0)
                return r;
        if (unit) {
                size_t l = strlen(unit);
                for (char *p = strchr(path, '/'); p; p = strchr(p + 1, '/'))
                        if (strneq(p + 1, unit, l) && (p[1 + l] == '/' || p[1 + l] == 0)) {
                                p[1 + l] = 0;
                                break;
                        }
        }
        *ret = TAKE_PTR(path);
        return 0;
}

static int count_threads_at(int dirfd, uint64_t *n)
{
        int fd = openat(dirfd, "cgroup.threads", O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return negative_errno();
        { /* closed before recursing below: one open stream at a time */
                _cleanup_fclose_ FILE *f = fdopen(fd, "re");
                if (!f) {
                        close(fd);
                        return -ENOMEM;
                }
                int ch, last = '\n';
                while ((ch = fgetc(f)) != EOF) {
                        if (ch == '\n')
                                (*n)++;
                        last = ch;
                }
                if (last != '\n')
                        (*n)++;
        }

        int dfd = dup(dirfd);
        if (dfd < 0)
                return negative_errno();
        DIR *d = fdopendir(dfd);
        if (!d) {
                close(dfd);
                return negative_errno();
        }
        struct dirent *de;
        int r = 0;
        while (r >= 0 && (de = readdir(d)))
                if (de->d_type == DT_DIR && de->d_name[0] != '.') {
                        int sub = openat(dirfd, de->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                        if (sub < 0)
                                continue; /* removed meanwhile */
                        r = count_threads_at(sub, n);
                        close(sub);
                        if (r == -ENOENT)
                                r = 0;
                }
        closedir(d);
        return r;
}

int cgroup_count_tasks(const char *cgroup, uint64_t *ret)
{
        _cleanup_free_ char *dir = NULL;
        _cleanup_close_ int fd = -EBADF;
        uint64_t n = 0;
        int r;

        if (cgroup_read_u64(cgroup, "pids.current", ret) >= 0)
                return 0;
        r = cgroup_fs_path(cgroup, NULL, &dir);
        if (r < 0)
                return r;
        fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return negative_errno();
        r = count_threads_at(fd, &n);
        if (r < 0)
                return r;
        *ret = n;
        return 0;
}

int cgroup_delegate(const char *cgroup, uid_t uid, gid_t gid)
{
        static const struct {
                const char *file;
                bool optional;
        } files[] = {
                { NULL, false }, /* the directory itself */
                { "cgroup.procs", false },
                { "cgroup.threads", false },
                { "cgroup.subtree_control", false },
                { "memory.oom.group", true },
                { "memory.reclaim", true },
        };

        int r;

        for (size_t i = 0; i < ELEMENTSOF(files); i++) {
                _cleanup_free_ char *p = NULL;
                r = cgroup_fs_path(cgroup, files[i].file, &p);
                if (r < 0)
                        return r;
                if (chown(p, uid, gid) < 0 && !(files[i].optional && errno == ENOENT))
                        return negative_errno();
        }
        /* What may be built below, in files that stay root's: every cgroup costs the host kernel
         * memory that no limit of the container's need count (per-CPU statistics included). */
        r = cgroup_write_u64(cgroup, "cgroup.max.descendants", CGROUP_DELEGATE_DESCENDANTS_MAX);
        if (r < 0)
                return r;
        return cgroup_write_u64(cgroup, "cgroup.max.depth", CGROUP_DELEGATE_DEPTH_MAX);
}
