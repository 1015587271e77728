/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* SELinux: MCS pairs under STATE_DIR/mcs/ and the container's labels (libselinux). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "alloc.h"
#include "dlopen-util.h"
#include "log.h"
#include "selinux.h"

#define BERTH_PROCESS_CONTEXT "system_u:system_r:berth_container_t:s0"
#define BERTH_FILE_CONTEXT    "system_u:object_r:berth_container_file_t:s0"

/* libselinux is opened when SELinux is there, not linked: with it (and the libpcre2 it brings)
 * every berth process mapped two more shared objects and resolved some 230 more symbols at
 * start, and ran its constructor, on hosts without SELinux too (issue 16). Labels are strings
 * berth composes itself (context_parse() below); only the kernel's answers need the library. */
static void *selinux_dl;
static int (*sym_is_selinux_enabled)(void);
static int (*sym_security_check_context)(const char *con);
static const char *(*sym_selinux_lxc_contexts_path)(void);
static int (*sym_getfilecon_raw)(const char *path, char **con);
static int (*sym_setfilecon_raw)(const char *path, const char *con);
static void (*sym_freecon)(char *con);

static int selinux_lib_load(void)
{
        static const DlopenSymbol symbols[] = {
                DLOPEN_SYMBOL(is_selinux_enabled),
                DLOPEN_SYMBOL(security_check_context),
                DLOPEN_SYMBOL(selinux_lxc_contexts_path),
                DLOPEN_SYMBOL(getfilecon_raw),
                DLOPEN_SYMBOL(setfilecon_raw),
                DLOPEN_SYMBOL(freecon),
        };
        _cleanup_free_ char *error = NULL;
        int r;

        r = dlopen_many(&selinux_dl, "libselinux.so.1", symbols, ELEMENTSOF(symbols), &error);
        if (r < 0)
                log_debug("SELinux labels need %s", strna(error));
        return r;
}

/* Whether the kernel has selinuxfs where libselinux looks for it: mounted on /sys/fs/selinux or
 * /selinux, or (its last resort, a scan of /proc/mounts) known to the kernel at all. Without it
 * libselinux's is_selinux_enabled() is 0, so the library need not be loaded to learn that. */
static bool selinuxfs_present(void)
{
        _cleanup_fclose_ FILE *f = NULL;
        _cleanup_free_ char *line = NULL;
        size_t allocated = 0;
        struct statfs sfs;

        if (statfs("/sys/fs/selinux", &sfs) >= 0 && (unsigned long)sfs.f_type == SELINUX_MAGIC)
                return true;
        if (statfs("/selinux", &sfs) >= 0 && (unsigned long)sfs.f_type == SELINUX_MAGIC)
                return true;
        f = fopen("/proc/filesystems", "re");
        if (!f)
                return true; /* cannot tell: ask the library */
        while (getline(&line, &allocated, f) > 0)
                if (strstr(line, "selinuxfs"))
                        return true;
        return false;
}

/* 1 when SELinux is enabled, 0 when not, -errno when it is there but libselinux cannot be
 * loaded (a label would silently not be applied: refuse instead). */
static int selinux_enabled(void)
{
        int r;

        if (!selinuxfs_present())
                return 0;
        r = selinux_lib_load();
        if (r < 0)
                return r;
        return sym_is_selinux_enabled() > 0;
}

/* A security context as libselinux's context_new() splits it: user:role:type[:range], the range
 * (MLS level or range, "s0-s0:c0.c1023") keeping its colons and spaces; no tab, newline or
 * carriage return anywhere. */
typedef struct Context {
        char *part[4]; /* user, role, type, range (NULL: none) */
} Context;

enum { CONTEXT_TYPE = 2, CONTEXT_RANGE = 3 };

static void context_done(Context *c)
{
        for (size_t i = 0; i < ELEMENTSOF(c->part); i++)
                free(c->part[i]);
        *c = (Context){};
}

static int context_parse(const char *s, Context *ret)
{
        _cleanup_(context_done) Context c = {};
        size_t colons = 0;
        const char *p;

        if (!s)
                return -EINVAL;
        for (p = s; *p; p++) {
                if (strchr("\t\n\r", *p))
                        return -EINVAL;
                colons += *p == ':';
        }
        if (colons < 2 || colons > 5)
                return -EINVAL;
        p = s;
        for (size_t i = 0; i < ELEMENTSOF(c.part) && *p; i++) {
                size_t n = i < CONTEXT_RANGE ? strcspn(p, ":") : strlen(p);
                c.part[i] = strndup(p, n);
                if (!c.part[i])
                        return -ENOMEM;
                if (i < CONTEXT_RANGE && strchr(c.part[i], ' '))
                        return -EINVAL; /* only the range may hold a space */
                p += n;
                if (*p)
                        p++;
        }
        if (!c.part[CONTEXT_TYPE])
                return -EINVAL;
        *ret = c;
        c = (Context){};
        return 0;
}

/* Replaces a part, with context_type_set()'s and context_range_set()'s checks. */
static int context_set(Context *c, unsigned idx, const char *v)
{
        char *copy;

        if (strpbrk(v, idx == CONTEXT_RANGE ? "\t\n\r" : "\t\n\r: "))
                return -EINVAL;
        copy = strdup(v);
        if (!copy)
                return -ENOMEM;
        free(c->part[idx]);
        c->part[idx] = copy;
        return 0;
}

static int context_to_string(const Context *c, char **ret)
{
        int r = c->part[CONTEXT_RANGE]
                        ? asprintf(ret, "%s:%s:%s:%s", c->part[0], c->part[1], c->part[2], c->part[3])
                        : asprintf(ret, "%s:%s:%s", c->part[0], c->part[1], c->part[2]);
        return r < 0 ? -ENOMEM : 0;
}

int mcs_allocate(const char *state_dir, const char *name, McsPair *ret)
{
        _cleanup_close_ int dir_fd = -EBADF;
        uint64_t h = alloc_hash(name);
        /* First candidate: c1 from the hash, c2 from the rest of it; then every pair in order. */
        unsigned c1 = h % (MCS_CATEGORIES - 1);
        unsigned c2 = c1 + 1 + (unsigned)((h / (MCS_CATEGORIES - 1)) % (MCS_CATEGORIES - 1 - c1));
        const unsigned n_pairs = MCS_CATEGORIES * (MCS_CATEGORIES - 1) / 2;
        int r;

        r = alloc_dir_open(state_dir, "mcs", &dir_fd, NULL);
        if (r < 0)
                return r;
        for (unsigned i = 0; i < n_pairs; i++) {
                char lock_name[32];
                int fd = -EBADF;

                snprintf(lock_name, sizeof(lock_name), "c%u.c%u.lock", c1, c2);
                r = alloc_lock(dir_fd, lock_name, LOCK_EX, &fd);
                if (r >= 0) {
                        *ret = (McsPair){ .c1 = c1, .c2 = c2, .lock_fd = fd };
                        return 0;
                }
                if (r != -EBUSY)
                        return r;
                if (++c2 == MCS_CATEGORIES) {
                        c1 = (c1 + 1) % (MCS_CATEGORIES - 1);
                        c2 = c1 + 1;
                }
        }
        return -ENOSPC;
}

void mcs_release(McsPair *p)
{
        p->lock_fd = safe_close(p->lock_fd);
        *p = MCS_PAIR_NULL;
}

int mcs_pair_from_label(const char *label, unsigned *ret_c1, unsigned *ret_c2)
{
        _cleanup_(context_done) Context ctx = {};
        const char *range = label && context_parse(label, &ctx) >= 0 ? ctx.part[CONTEXT_RANGE] : NULL;
        unsigned c1, c2;
        int end = 0, r = 0;

        if (!range)
                r = -EINVAL;
        else if (sscanf(range, "s0:c%u,c%u%n", &c1, &c2, &end) != 2 || range[end] || c1 >= c2 ||
                 c2 >= MCS_CATEGORIES)
                r = -ENOENT;
        else {
                *ret_c1 = c1;
                *ret_c2 = c2;
        }
        return r;
}

int mcs_reserve(const char *state_dir, const char *label, McsPair *ret)
{
        _cleanup_close_ int dir_fd = -EBADF;
        unsigned c1, c2;
        char lock_name[32];
        int fd = -EBADF, r;

        r = mcs_pair_from_label(label, &c1, &c2);
        if (r == -ENOENT) {
                *ret = MCS_PAIR_NULL; /* no single pair to hold */
                return 0;
        }
        if (r < 0)
                return r;
        r = alloc_dir_open(state_dir, "mcs", &dir_fd, NULL);
        if (r < 0)
                return r;
        /* Shared: containers given the same label may run side by side; a pick (exclusive)
         * fails on it and moves on, and a picked container holding it makes this -EBUSY. */
        snprintf(lock_name, sizeof(lock_name), "c%u.c%u.lock", c1, c2);
        r = alloc_lock(dir_fd, lock_name, LOCK_SH, &fd);
        if (r < 0)
                return r;
        *ret = (McsPair){ .c1 = c1, .c2 = c2, .lock_fd = fd };
        return 0;
}

/* Reads key = "value" from the policy's lxc_contexts. */
static int lxc_context(const char *key, char **ret)
{
        const char *path = sym_selinux_lxc_contexts_path ? sym_selinux_lxc_contexts_path() : NULL;
        _cleanup_free_ char *line = NULL;
        _cleanup_fclose_ FILE *f = NULL;
        size_t allocated = 0;
        int r = -ENOENT;

        if (!path || !(f = fopen(path, "re")))
                return -ENOENT;
        while (r == -ENOENT && getline(&line, &allocated, f) > 0) {
                char k[64], v[256];
                if (sscanf(line, " %63[^= \t] = \"%255[^\"]\"", k, v) != 2 &&
                    sscanf(line, " %63[^= \t] = %255s", k, v) != 2)
                        continue;
                if (streq(k, key))
                        r = (*ret = strdup(v)) ? 0 : -ENOMEM;
        }
        return r;
}

/* base with its level replaced by level and, when type is given, its type replaced. */
static int context_with(const char *base, const char *type, const char *level, char **ret)
{
        _cleanup_(context_done) Context ctx = {};
        int r;

        r = context_parse(base, &ctx);
        if (r < 0)
                return r;
        if (type && (r = context_set(&ctx, CONTEXT_TYPE, type)) < 0)
                return r;
        if (level && (r = context_set(&ctx, CONTEXT_RANGE, level)) < 0)
                return r;
        return context_to_string(&ctx, ret);
}

/* The policy's container contexts when the loaded policy has their types, else berth's. */
static int base_contexts(bool enabled, char **ret_process, char **ret_file)
{
        _cleanup_free_ char *process = NULL, *file = NULL;

        if (enabled && lxc_context("process", &process) >= 0 && lxc_context("file", &file) >= 0 &&
            sym_security_check_context(process) == 0 && sym_security_check_context(file) == 0) {
                *ret_process = TAKE_PTR(process);
                *ret_file = TAKE_PTR(file);
                return 0;
        }
        *ret_process = strdup(BERTH_PROCESS_CONTEXT);
        *ret_file = strdup(BERTH_FILE_CONTEXT);
        return *ret_process && *ret_file ? 0 : -ENOMEM;
}

void selinux_labels_done(SelinuxLabels *l)
{
        free(l->process);
        free(l->file);
        *l = (SelinuxLabels){};
}

int selinux_compute_labels(const ContainerConfig *c, const McsPair *p, SelinuxLabels *ret)
{
        _cleanup_(selinux_labels_done) SelinuxLabels l = {};
        _cleanup_free_ char *process = NULL, *file = NULL, *level = NULL;
        bool enabled;
        int r;

        if (c->selinux_label && streq(c->selinux_label, "disable")) {
                *ret = (SelinuxLabels){};
                return 0;
        }
        r = selinux_enabled();
        if (r < 0)
                return r;
        enabled = r > 0;
        r = base_contexts(enabled, &process, &file);
        if (r < 0)
                return r;

        if (c->selinux_label) {
                _cleanup_(context_done) Context given = {};
                const char *range =
                        context_parse(c->selinux_label, &given) >= 0 ? given.part[CONTEXT_RANGE] : NULL;
                if (!range)
                        return -EINVAL;
                level = strdup(range);
                l.process = strdup(c->selinux_label);
                if (!level || !l.process)
                        return -ENOMEM;
        } else {
                if (p && p->c1 < p->c2 && p->c2 < MCS_CATEGORIES)
                        r = asprintf(&level, "s0:c%u,c%u", p->c1, p->c2);
                else
                        r = asprintf(&level, "s0");
                if (r < 0)
                        return -ENOMEM;
                r = context_with(process, c->selinux_type, level, &l.process);
                if (r < 0)
                        return r;
        }
        r = context_with(file, NULL, level, &l.file);
        if (r < 0)
                return r;
        l.enforced = enabled;
        *ret = l;
        l = (SelinuxLabels){};
        return 0;
}

/* /proc/thread-self/attr/ATTR = label (NULL: back to the default). */
static int write_attr(const char *attr, const char *label)
{
        struct open_how how = {
                .flags = O_WRONLY | O_NOFOLLOW | O_CLOEXEC,
                .resolve = RESOLVE_NO_MAGICLINKS,
        };
        _cleanup_close_ int fd = -EBADF;
        char path[64];
        struct statfs sfs;
        size_t n = label ? strlen(label) + 1 : 0; /* with its NUL, as libselinux writes it */
        ssize_t w;

        /* What setexeccon() does, through an fd checked to be procfs: a mount over the payload's
         * /proc/<pid>/attr (CVE-2019-16884) would take the label and the payload would run
         * unlabelled. berth refuses such mounts (binds.c); this is the second lock. */
        snprintf(path, sizeof(path), "/proc/thread-self/attr/%s", attr);
        fd = (int)syscall(SYS_openat2, AT_FDCWD, path, &how, sizeof(how));
        if (fd < 0)
                return negative_errno();
        if (fstatfs(fd, &sfs) < 0)
                return negative_errno();
        if ((unsigned long)sfs.f_type != PROC_SUPER_MAGIC)
                return -EXDEV;
        w = write(fd, label, n);
        if (w < 0)
                return negative_errno();
        return (size_t)w == n ? 0 : -EIO;
}

int selinux_write_exec_label(const char *label)
{
        return write_attr("exec", label);
}

int selinux_write_sockcreate_label(const char *label)
{
        return write_attr("sockcreate", label);
}

int selinux_set_exec_label(const SelinuxLabels *l)
{
        if (!l->enforced || !l->process)
                return 0;
        return selinux_write_exec_label(l->process);
}

int selinux_mount_options(const SelinuxLabels *l, const char *options, char **ret)
{
        int r;

        if (l->enforced && l->file)
                r = asprintf(ret, "%s%scontext=\"%s\"", strempty(options), isempty(options) ? "" : ",",
                             l->file);
        else
                r = (*ret = strdup(strempty(options))) ? 0 : -1;
        return r < 0 ? -ENOMEM : 0;
}

/* Gives the inode fd refers to (an O_PATH fd may name a symlink or a device node) the label,
 * unless it already has exactly that one. /proc/self/fd/N names that inode itself: setxattr()
 * through it walks no path of the tree, and lands on a symlink, not on what it points to. */
static int label_fd(int fd, const char *label)
{
        char path[64];
        char *current = NULL;
        bool same;

        if (selinux_lib_load() < 0)
                return -EOPNOTSUPP;
        snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
        if (sym_getfilecon_raw(path, &current) >= 0) {
                same = streq(current, label);
                sym_freecon(current);
                if (same)
                        return 0;
        }
        return sym_setfilecon_raw(path, label) < 0 ? negative_errno() : 0;
}

DEFINE_TRIVIAL_CLEANUP_FUNC(DIR *, closedir);

/* Directories deeper than this are refused rather than followed (each level holds two fds). */
#define RELABEL_DEPTH_MAX 256

/* Labels the directory dir_fd (O_RDONLY) and everything below it on the same file system. Every
 * step is relative to an fd already opened without following symlinks, so nothing the image
 * holds (a symlink, a directory renamed meanwhile) can send the walk outside it. */
static int relabel_dir(int dir_fd, dev_t dev, const char *label, unsigned depth)
{
        _cleanup_(closedirp) DIR *d = NULL;
        struct dirent *de;
        int fd, r;

        if (depth > RELABEL_DEPTH_MAX)
                return -ELOOP;
        r = label_fd(dir_fd, label);
        if (r < 0)
                return r;
        fd = fcntl(dir_fd, F_DUPFD_CLOEXEC, 3);
        if (fd < 0)
                return negative_errno();
        d = fdopendir(fd);
        if (!d) {
                safe_close(fd);
                return negative_errno();
        }
        while ((errno = 0, de = readdir(d))) {
                _cleanup_close_ int child = -EBADF;
                struct stat st;

                if (streq(de->d_name, ".") || streq(de->d_name, ".."))
                        continue;
                child = openat(dir_fd, de->d_name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
                if (child < 0) {
                        if (errno == ENOENT)
                                continue;
                        return negative_errno();
                }
                if (fstat(child, &st) < 0)
                        return negative_errno();
                if (st.st_dev != dev)
                        continue; /* another file system mounted below the root: not ours */
                if (S_ISDIR(st.st_mode)) {
                        _cleanup_close_ int sub = openat(child, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                        if (sub < 0)
                                return negative_errno();
                        r = relabel_dir(sub, dev, label, depth + 1);
                } else
                        r = label_fd(child, label);
                if (r < 0)
                        return r;
        }
        return errno > 0 ? -errno : 0;
}

int selinux_relabel_root(const char *root, const SelinuxLabels *l)
{
        if (!l->enforced || !l->file)
                return 0;
        return selinux_relabel_tree(root, l->file);
}

int selinux_relabel_tree(const char *root, const char *label)
{
        _cleanup_close_ int fd = -EBADF;
        struct stat st;

        /* Every inode is checked, the root's label proving nothing about the rest: an image can
         * bring any label in its tarball's xattrs, the container's own pair included. */
        fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return negative_errno();
        if (fstat(fd, &st) < 0)
                return negative_errno();
        return relabel_dir(fd, st.st_dev, label, 0);
}
