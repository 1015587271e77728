/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
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

#define XATTR_CAPABILITY "security.capability"

/* Extended attributes of the host's kernel and security modules, not the image's to set: SELinux
 * labels (security.selinux: the image would pick the type and categories its files are read
 * under), IMA/EVM and the others of security.*, and trusted.* (overlayfs's own
 * trusted.overlay.opaque/redirect/metacopy, read from a lower layer). The file capability is
 * kept only when asked (--keep-setuid). */
static bool xattr_is_hosts(const char *name, bool keep_capability)
{
        if (keep_capability && streq(name, XATTR_CAPABILITY))
                return false;
        return strneq(name, "security.", strlen("security.")) ||
               strneq(name, "trusted.", strlen("trusted."));
}

/* Removes the xattrs xattr_is_hosts() names from one member; returns whether any went, and in
 * *ret_capability whether the file capability was one of them. */
static int entry_drop_xattrs(struct archive_entry *e, bool keep_capability, bool *ret_capability)
{
        struct {
                char *name;
                void *value;
                size_t size;
        } *keep = NULL;
        size_t n = 0, cap = (size_t)archive_entry_xattr_count(e), dropped = 0;
        const char *name;
        const void *value;
        size_t size;
        int r = 0;

        *ret_capability = false;
        archive_entry_xattr_reset(e);
        while (archive_entry_xattr_next(e, &name, &value, &size) == ARCHIVE_OK)
                if (xattr_is_hosts(name, keep_capability)) {
                        dropped++;
                        if (streq(name, XATTR_CAPABILITY))
                                *ret_capability = true;
                }
        if (dropped == 0)
                return 0;
        /* libarchive cannot drop one xattr: copy the others and put them back. */
        keep = calloc(cap ?: 1, sizeof(*keep));
        if (!keep)
                return -ENOMEM;
        archive_entry_xattr_reset(e);
        while (archive_entry_xattr_next(e, &name, &value, &size) == ARCHIVE_OK && n < cap) {
                if (xattr_is_hosts(name, keep_capability))
                        continue;
                keep[n].name = strdup(name);
                keep[n].value = size ? malloc(size) : NULL;
                if (keep[n].value)
                        memcpy(keep[n].value, value, size);
                keep[n].size = size;
                if (!keep[n].name || (size && !keep[n].value)) {
                        free(keep[n].name);
                        r = -ENOMEM;
                        break;
                }
                n++;
        }
        if (r >= 0) {
                archive_entry_xattr_clear(e);
                for (size_t i = 0; i < n; i++)
                        archive_entry_xattr_add_entry(e, keep[i].name, keep[i].value, keep[i].size);
        }
        for (size_t i = 0; i < n; i++) {
                free(keep[i].name);
                free(keep[i].value);
        }
        free(keep);
        return r < 0 ? r : 1;
}

/* Removes setuid/setgid bits (not a directory's setgid: it only passes the group on) and file
 * capabilities from one member, unless keep_setuid; always the host's xattrs (above). Returns
 * whether a privilege (setuid, setgid, capability) was removed. */
static int entry_strip_privileges(struct archive_entry *e, bool keep_setuid)
{
        mode_t perm = archive_entry_perm(e),
               strip = archive_entry_filetype(e) == AE_IFDIR ? S_ISUID : S_ISUID | S_ISGID;
        bool stripped = false, dropped_cap;
        int r;

        if (!keep_setuid && (perm & strip)) {
                archive_entry_set_perm(e, perm & ~strip);
                stripped = true;
        }
        r = entry_drop_xattrs(e, keep_setuid, &dropped_cap);
        if (r < 0)
                return r;
        return stripped || dropped_cap;
}

/* What the image may not carry, and what it may carry only when asked (--keep-setuid). Returns 1
 * for a member to skip. */
static int entry_check(ImportContext *ctx, const char *what, const char *path, struct archive_entry *e)
{
        mode_t type = archive_entry_filetype(e);
        int r;

        /* A node naming a host device would open that device wherever the image is mounted with
         * device nodes allowed. Root file system tarballs (debootstrap, mmdebstrap) carry the usual
         * few in /dev, which berth covers with its own /dev: those are left out; anywhere else a
         * node is refused. */
        if (type == AE_IFCHR || type == AE_IFBLK) {
                if (strneq(path, "dev/", 4)) {
                        ctx->n_nodes_skipped++;
                        return 1;
                }
                return import_error(
                        ctx, -EPERM,
                        "%s: member '%s' is a %s device node (%u:%u); berth does not import "
                        "device nodes (the container gets its own /dev), remove it from the image",
                        what, path, type == AE_IFCHR ? "character" : "block",
                        (unsigned)archive_entry_rdevmajor(e), (unsigned)archive_entry_rdevminor(e));
        }
        r = entry_strip_privileges(e, ctx->keep_setuid);
        if (r < 0)
                return import_error(ctx, r, "%s: cannot rewrite member '%s': %m", what, path);
        if (r > 0)
                ctx->n_stripped++;
        return 0;
}

/* The unpacked size is bounded by --max-size= over the whole import and by the space free on
 * the image directory's file system when this layer started. */
static int entry_account(ImportContext *ctx, const char *what, const char *path, struct archive_entry *e,
                         uint64_t layer_start, uint64_t layer_free)
{
        uint64_t max = ctx->max_size ?: IMPORT_MAX_SIZE_DEFAULT;
        uint64_t size = archive_entry_size_is_set(e) && archive_entry_size(e) > 0
                                ? (uint64_t)archive_entry_size(e)
                                : 0;
        uint64_t need = size + IMPORT_MEMBER_OVERHEAD;

        if (ctx->unpacked + need > max)
                return import_error(
                        ctx, -EFBIG,
                        "%s: member '%s' (%" PRIu64 " bytes) would take the unpacked image past "
                        "the limit of %" PRIu64 " MiB (--max-size=); refusing a possible "
                        "decompression bomb (raise --max-size= if the image is really this large)",
                        what, path, size, max >> 20);
        if (ctx->unpacked - layer_start + need > layer_free)
                return import_error(ctx, -ENOSPC,
                                    "%s: member '%s' (%" PRIu64 " bytes) does not fit: disk full (%" PRIu64
                                    " MiB were free in the image directory)",
                                    what, path, size, layer_free >> 20);
        ctx->unpacked += need;
        return 0;
}

static int write_error(ImportContext *ctx, struct archive *disk, const char *what, const char *verb,
                       const char *path)
{
        if (archive_errno(disk) == ENOSPC || archive_errno(disk) == EDQUOT)
                return import_error(ctx, -ENOSPC, "%s: cannot %s %s: disk full", what, verb, path);
        return import_error(ctx, -EIO, "%s: cannot %s %s: %s", what, verb, path, archive_error_string(disk));
}

static int entries_extract(ImportContext *ctx, const char *what, int archive_fd, int root_fd, bool whiteouts)
{
        _cleanup_(archive_read_freep) struct archive *a = NULL;
        _cleanup_(archive_write_freep) struct archive *disk = NULL;
        _cleanup_close_ int saved_cwd = -EBADF;
        _cleanup_free_ char *name = NULL;
        struct archive_entry *e;
        uint64_t base = ctx->done;
        uint64_t layer_start = ctx->unpacked, layer_free;
        struct statvfs sv;
        struct stat st;
        int r;

        if (fstatvfs(root_fd, &sv) < 0)
                return import_error(ctx, negative_errno(), "cannot find the free space for %s: %m", what);
        layer_free = (uint64_t)sv.f_bavail * (uint64_t)sv.f_frsize;
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
                /* Setting the name frees the string path points into: keep a copy for messages. */
                free(name);
                name = strdup(path);
                if (!name) {
                        r = -ENOMEM;
                        goto out;
                }
                path = name;
                archive_entry_set_pathname(e, path);
                if (link)
                        archive_entry_set_hardlink(e, member_path_normalize(link));
                r = entry_check(ctx, what, path, e);
                if (r > 0)
                        continue;
                if (r >= 0)
                        r = entry_account(ctx, what, path, e, layer_start, layer_free);
                if (r < 0)
                        goto out;

                if (archive_write_header(disk, e) < ARCHIVE_WARN) {
                        r = write_error(ctx, disk, what, "create", path);
                        goto out;
                }
                if (archive_entry_size(e) > 0) {
                        const void *buf;
                        size_t size;
                        la_int64_t offset;
                        int q;
                        while ((q = archive_read_data_block(a, &buf, &size, &offset)) == ARCHIVE_OK) {
                                if (archive_write_data_block(disk, buf, size, offset) < ARCHIVE_OK) {
                                        r = write_error(ctx, disk, what, "write", path);
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
                        r = write_error(ctx, disk, what, "finish", path);
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
