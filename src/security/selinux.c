/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* SELinux: MCS pairs under STATE_DIR/mcs/ and the container's labels (libselinux). */
#include <errno.h>
#include <ftw.h>
#include <selinux/context.h>
#include <selinux/selinux.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>

#include "alloc.h"
#include "selinux.h"

#define BERTH_PROCESS_CONTEXT "system_u:system_r:berth_container_t:s0"
#define BERTH_FILE_CONTEXT    "system_u:object_r:berth_container_file_t:s0"

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
                        *ret = (McsPair){.c1 = c1, .c2 = c2, .lock_fd = fd};
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
        context_t ctx = label ? context_new(label) : NULL;
        const char *range = ctx ? context_range_get(ctx) : NULL;
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
        if (ctx)
                context_free(ctx);
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
        *ret = (McsPair){.c1 = c1, .c2 = c2, .lock_fd = fd};
        return 0;
}

/* Reads key = "value" from the policy's lxc_contexts. */
static int lxc_context(const char *key, char **ret)
{
        const char *path = selinux_lxc_contexts_path();
        _cleanup_free_ char *line = NULL;
        size_t allocated = 0;
        FILE *f;
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
        fclose(f);
        return r;
}

DEFINE_TRIVIAL_CLEANUP_FUNC(context_t, context_free);

/* base with its level replaced by level and, when type is given, its type replaced. */
static int context_with(const char *base, const char *type, const char *level, char **ret)
{
        _cleanup_(context_freep) context_t ctx = context_new(base);
        const char *s;

        if (!ctx)
                return -EINVAL;
        if (type && context_type_set(ctx, type) != 0)
                return -EINVAL;
        if (level && context_range_set(ctx, level) != 0)
                return -EINVAL;
        s = context_str(ctx);
        if (!s)
                return -EINVAL;
        *ret = strdup(s);
        return *ret ? 0 : -ENOMEM;
}

/* The policy's container contexts when the loaded policy has their types, else berth's. */
static int base_contexts(bool enabled, char **ret_process, char **ret_file)
{
        _cleanup_free_ char *process = NULL, *file = NULL;

        if (enabled && lxc_context("process", &process) >= 0 && lxc_context("file", &file) >= 0 &&
            security_check_context(process) == 0 && security_check_context(file) == 0) {
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
        bool enabled = is_selinux_enabled() > 0;
        int r;

        if (c->selinux_label && streq(c->selinux_label, "disable")) {
                *ret = (SelinuxLabels){};
                return 0;
        }
        r = base_contexts(enabled, &process, &file);
        if (r < 0)
                return r;

        if (c->selinux_label) {
                _cleanup_(context_freep) context_t given = context_new(c->selinux_label);
                const char *range = given ? context_range_get(given) : NULL;
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

int selinux_set_exec_label(const SelinuxLabels *l)
{
        if (!l->enforced || !l->process)
                return 0;
        return setexeccon(l->process) < 0 ? negative_errno() : 0;
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

/* nftw() has no user pointer; berth is single-threaded and this is not reentrant. */
static const char *relabel_to;

static int relabel_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
        (void)st;
        (void)flag;
        (void)ftw;
        return lsetfilecon(path, relabel_to) < 0 ? -1 : 0;
}

int selinux_relabel_root(const char *root, const SelinuxLabels *l)
{
        char *current = NULL;
        bool same;
        int r;

        if (!l->enforced || !l->file)
                return 0;
        if (lgetfilecon(root, &current) >= 0) {
                same = streq(current, l->file);
                freecon(current);
                if (same)
                        return 0;
        }
        relabel_to = l->file;
        r = nftw(root, relabel_one, 64, FTW_PHYS | FTW_MOUNT);
        relabel_to = NULL;
        return r < 0 ? negative_errno() : 0;
}
