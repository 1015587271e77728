/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "layer.h"
#include "rm-rf.h"

#define WHITEOUT_OPAQUE ".wh..wh..opq"

static inline void archive_read_freep(struct archive **a)
{
        if (*a)
                archive_read_free(*a);
}
static inline void archive_write_freep(struct archive **a)
{
        if (*a)
                archive_write_free(*a);
}

/* Member names must stay below the root: relative, no ".." component. Returns the name without
 * leading "./" (or "." for the root itself), or NULL when it escapes. */
static const char *member_path_normalize(const char *p)
{
        if (!p || p[0] == '/')
                return NULL;
        while (p[0] == '.' && p[1] == '/')
                for (p += 2; *p == '/'; p++)
                        ;
        if (!*p || streq(p, "."))
                return ".";
        for (const char *c = p; c;) {
                size_t n = strcspn(c, "/");
                if (n == 2 && c[0] == '.' && c[1] == '.')
                        return NULL;
                c = c[n] ? c + n + 1 : NULL;
        }
        return p;
}

static int open_archive(ImportContext *ctx, const char *what, int fd, struct archive **ret)
{
        struct archive *a;

        if (lseek(fd, 0, SEEK_SET) < 0)
                return negative_errno();
        a = archive_read_new();
        if (!a)
                return -ENOMEM;
        archive_read_support_format_tar(a);
        archive_read_support_format_gnutar(a);
        archive_read_support_filter_gzip(a);
        archive_read_support_filter_xz(a);
        archive_read_support_filter_zstd(a);
        archive_read_support_filter_bzip2(a);
        if (archive_read_open_fd(a, fd, 64 * 1024) != ARCHIVE_OK) {
                int r = import_error(ctx, -EBADMSG, "%s is not a tar archive berth can read: %s", what,
                                     archive_error_string(a));
                archive_read_free(a);
                return r;
        }
        *ret = a;
        return 0;
}

/* Opens the directory "path" (relative to root_fd) with every symlink resolved inside the root. */
static int open_in_root(int root_fd, const char *path)
{
        struct open_how how = {
            .flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC,
            .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV,
        };
        return RET_NERRNO((int)syscall(SYS_openat2, root_fd, path, &how, sizeof(how)));
}

static int whiteout_apply(ImportContext *ctx, const char *what, int root_fd, const char *path)
{
        _cleanup_free_ char *dir = strdup(path);
        _cleanup_close_ int dfd = -EBADF;
        const char *base;
        char *slash;

        if (!dir)
                return -ENOMEM;
        slash = strrchr(dir, '/');
        if (slash) {
                *slash = 0;
                base = slash + 1;
        } else {
                base = dir;
                dir[0] = 0; /* not used: the parent is the root */
        }

        dfd = slash ? open_in_root(root_fd, dir) : fcntl(root_fd, F_DUPFD_CLOEXEC, 3);
        if (dfd == -ENOENT || dfd == -ENOTDIR)
                return 0; /* nothing below to hide */
        if (dfd < 0)
                return import_error(ctx, dfd, "%s: cannot open the directory of whiteout %s: %s", what, path,
                                    strerror(-dfd));

        int r;
        if (streq(base, WHITEOUT_OPAQUE))
                r = rm_rf_children(dfd);
        else {
                const char *victim = base + strlen(".wh.");
                if (isempty(victim) || streq(victim, ".") || streq(victim, ".."))
                        return import_error(ctx, -EINVAL, "%s: invalid whiteout %s", what, path);
                r = rm_rf_at(dfd, victim);
        }
        if (r < 0)
                return import_error(ctx, r, "%s: cannot apply whiteout %s: %s", what, path, strerror(-r));
        return 0;
}

static bool is_whiteout(const char *path)
{
        const char *base = strrchr(path, '/');
        return strneq(base ? base + 1 : path, ".wh.", 4);
}

static int whiteouts_apply(ImportContext *ctx, const char *what, int archive_fd, int root_fd)
{
        _cleanup_(archive_read_freep) struct archive *a = NULL;
        struct archive_entry *e;
        int r;

        r = open_archive(ctx, what, archive_fd, &a);
        if (r < 0)
                return r;
        while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK || r == ARCHIVE_WARN) {
                const char *path = member_path_normalize(archive_entry_pathname(e));
                if (!path)
                        return import_error(ctx, -EPERM, "%s: member '%s' points outside the root, refusing",
                                            what, archive_entry_pathname(e));
                if (is_whiteout(path)) {
                        r = whiteout_apply(ctx, what, root_fd, path);
                        if (r < 0)
                                return r;
                }
        }
        if (r != ARCHIVE_EOF)
                return import_error(ctx, -EBADMSG, "%s: broken archive: %s", what, archive_error_string(a));
        return 0;
}

static int entries_extract(ImportContext *ctx, const char *what, int archive_fd, int root_fd, bool whiteouts)
{
        _cleanup_(archive_read_freep) struct archive *a = NULL;
        _cleanup_(archive_write_freep) struct archive *disk = NULL;
        _cleanup_close_ int saved_cwd = -EBADF;
        struct archive_entry *e;
        uint64_t base = ctx->done;
        struct stat st;
        int r;

        r = open_archive(ctx, what, archive_fd, &a);
        if (r < 0)
                return r;
        disk = archive_write_disk_new();
        if (!disk)
                return -ENOMEM;
        /* No archive_write_disk_set_standard_lookup(): IDs stay numeric, as the container sees them. */
        archive_write_disk_set_options(
            disk, ARCHIVE_EXTRACT_OWNER | ARCHIVE_EXTRACT_PERM | ARCHIVE_EXTRACT_TIME |
                      ARCHIVE_EXTRACT_XATTR | ARCHIVE_EXTRACT_ACL | ARCHIVE_EXTRACT_UNLINK |
                      ARCHIVE_EXTRACT_SECURE_SYMLINKS | ARCHIVE_EXTRACT_SECURE_NODOTDOT |
                      ARCHIVE_EXTRACT_SECURE_NOABSOLUTEPATHS);

        /* archive_write_disk works relative to the working directory: enter the root for the
         * duration and always come back. */
        saved_cwd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (saved_cwd < 0)
                return negative_errno();
        if (fchdir(root_fd) < 0)
                return negative_errno();

        while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK || r == ARCHIVE_WARN) {
                const char *raw = archive_entry_pathname(e), *path = member_path_normalize(raw);
                const char *link = archive_entry_hardlink(e);

                if (!path || (link && !member_path_normalize(link))) {
                        r = import_error(ctx, -EPERM, "%s: member '%s' points outside the root, refusing",
                                         what, path ? link : raw);
                        goto out;
                }
                if (whiteouts && is_whiteout(path))
                        continue;
                archive_entry_set_pathname(e, path);
                if (link)
                        archive_entry_set_hardlink(e, member_path_normalize(link));

                if (archive_write_header(disk, e) < ARCHIVE_WARN) {
                        r = import_error(ctx, -EIO, "%s: cannot create %s: %s", what, path,
                                         archive_error_string(disk));
                        goto out;
                }
                if (archive_entry_size(e) > 0) {
                        const void *buf;
                        size_t size;
                        la_int64_t offset;
                        int q;
                        while ((q = archive_read_data_block(a, &buf, &size, &offset)) == ARCHIVE_OK) {
                                if (archive_write_data_block(disk, buf, size, offset) < ARCHIVE_OK) {
                                        r = import_error(ctx, -EIO, "%s: cannot write %s: %s", what, path,
                                                         archive_error_string(disk));
                                        goto out;
                                }
                                r = import_progress(ctx, base + (uint64_t)archive_filter_bytes(a, -1));
                                if (r < 0)
                                        goto out;
                        }
                        if (q != ARCHIVE_EOF) {
                                r = import_error(ctx, -EBADMSG, "%s: broken archive at %s: %s", what, path,
                                                 archive_error_string(a));
                                goto out;
                        }
                }
                if (archive_write_finish_entry(disk) < ARCHIVE_WARN) {
                        r = import_error(ctx, -EIO, "%s: cannot finish %s: %s", what, path,
                                         archive_error_string(disk));
                        goto out;
                }
                r = import_progress(ctx, base + (uint64_t)archive_filter_bytes(a, -1));
                if (r < 0)
                        goto out;
                r = ARCHIVE_OK;
        }
        if (r != ARCHIVE_EOF) {
                r = import_error(ctx, -EBADMSG, "%s: broken archive: %s", what, archive_error_string(a));
                goto out;
        }
        /* Directory modes and times are applied at close. */
        if (archive_write_close(disk) != ARCHIVE_OK) {
                r = import_error(ctx, -EIO, "%s: cannot finish extraction: %s", what,
                                 archive_error_string(disk));
                goto out;
        }
        /* The whole file counts as done, though the reader may skip the archive's zero padding. */
        r = fstat(archive_fd, &st) == 0 ? import_progress(ctx, base + (uint64_t)st.st_size) : 0;
out:
        if (fchdir(saved_cwd) < 0 && r >= 0)
                r = negative_errno();
        return r;
}

int layer_apply(ImportContext *ctx, const char *what, int archive_fd, int root_fd, bool whiteouts)
{
        int r;

        if (whiteouts) {
                r = whiteouts_apply(ctx, what, archive_fd, root_fd);
                if (r < 0)
                        return r;
        }
        return entries_extract(ctx, what, archive_fd, root_fd, whiteouts);
}
