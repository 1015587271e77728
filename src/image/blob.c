/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <fcntl.h>
#include <inttypes.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "blob.h"
#include "sha256.h"

#define SHA256_PREFIX          "sha256:"
#define BLOB_OVERSIZE_HASH_MAX (16u * 1024 * 1024)

void oci_descriptor_done(OciDescriptor *d)
{
        free(d->media_type);
        free(d->digest);
        *d = (OciDescriptor){};
}

bool oci_digest_is_valid(const char *digest)
{
        if (!digest || !strneq(digest, SHA256_PREFIX, strlen(SHA256_PREFIX)))
                return false;
        const char *hex = digest + strlen(SHA256_PREFIX);
        /* Also what keeps a digest from naming a path outside blobs/sha256/. */
        return strlen(hex) == SHA256_DIGEST_SIZE * 2 &&
               strspn(hex, "0123456789abcdef") == SHA256_DIGEST_SIZE * 2;
}

int layout_open_file(int layout_fd, const char *path, int flags)
{
        struct open_how how = {
                .flags = (uint64_t)(flags | O_CLOEXEC | O_NOCTTY),
                .resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
        };
        return RET_NERRNO((int)syscall(SYS_openat2, layout_fd, path, &how, sizeof(how)));
}

/* Streams the blob through the hash into either a memory buffer or an fd. */
static int blob_stream(ImportContext *ctx, int layout_fd, const OciDescriptor *d, char *mem, int dest_fd)
{
        _cleanup_free_ char *path = NULL;
        _cleanup_close_ int fd = -EBADF;
        char actual[SHA256_HEX_SIZE];
        uint64_t total = 0;
        bool oversized = false;
        struct stat st;
        uint8_t buf[128 * 1024];
        Sha256 h;

        if (!oci_digest_is_valid(d->digest))
                return import_error(ctx, -EINVAL,
                                    "unsupported or malformed digest '%s' (berth verifies sha256)",
                                    strna(d->digest));
        if (asprintf(&path, "blobs/sha256/%s", d->digest + strlen(SHA256_PREFIX)) < 0)
                return -ENOMEM;
        /* O_NONBLOCK so a FIFO planted as a blob cannot hang the open; only regular files pass. */
        /* A layout is untrusted input: a blob that is a symlink would make import read (and report
         * digests of) any host file, so neither it nor its directories may be symlinks. */
        fd = layout_open_file(layout_fd, path, O_RDONLY | O_NONBLOCK);
        if (fd == -ELOOP)
                return import_error(ctx, fd, "blob %s is a symlink, or below one; refusing it", d->digest);
        if (fd < 0)
                return import_error(ctx, fd, "blob %s is missing: %s", d->digest, strerror(-fd));
        if (fstat(fd, &st) < 0)
                return import_error(ctx, negative_errno(), "cannot stat blob %s: %m", d->digest);
        if (!S_ISREG(st.st_mode))
                return import_error(ctx, -EBADMSG, "blob %s is not a regular file", d->digest);
        if (fcntl(fd, F_SETFL, 0) < 0)
                return negative_errno();

        sha256_init(&h);
        for (;;) {
                ssize_t n = read(fd, buf, sizeof(buf));
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return import_error(ctx, negative_errno(), "cannot read blob %s: %m", d->digest);
                }
                if (n == 0)
                        break;
                /* A little past the promised size is hashed for the error message; a blob far larger
                 * (or growing while we read) is refused without reading it all. */
                if (total > d->size + BLOB_OVERSIZE_HASH_MAX)
                        return import_error(ctx, -EBADMSG,
                                            "blob %s is larger than the %" PRIu64
                                            " bytes its descriptor says; refusing to use it",
                                            path, d->size);
                sha256_update(&h, buf, (size_t)n);
                /* Past the promised size the bytes are only hashed, for the error message. */
                if (total + (uint64_t)n > d->size)
                        oversized = true;
                else if (mem)
                        memcpy(mem + total, buf, (size_t)n);
                else {
                        for (ssize_t off = 0; off < n;) {
                                ssize_t w = write(dest_fd, buf + off, (size_t)(n - off));
                                if (w < 0 && errno == EINTR)
                                        continue;
                                if (w < 0 && (errno == ENOSPC || errno == EDQUOT))
                                        return import_error(ctx, -ENOSPC, "cannot copy blob %s: disk full",
                                                            d->digest);
                                if (w < 0)
                                        return import_error(ctx, negative_errno(), "cannot copy blob %s: %m",
                                                            d->digest);
                                off += w;
                        }
                        int r = import_progress(ctx, ctx->done + (uint64_t)n);
                        if (r < 0)
                                return r;
                }
                total += (uint64_t)n;
        }
        sha256_final_hex(&h, actual);
        if (oversized || total != d->size || !streq(actual, d->digest + strlen(SHA256_PREFIX)))
                return import_error(ctx, -EBADMSG,
                                    "blob %s does not match its digest: expected %s (%" PRIu64
                                    " bytes), actual sha256:%s (%" PRIu64 " bytes); refusing to use it",
                                    path, d->digest, d->size, actual, total);
        if (mem)
                mem[total] = 0;
        return 0;
}

int blob_read_verified(ImportContext *ctx, int layout_fd, const OciDescriptor *d, size_t max,
                       char **ret_data)
{
        _cleanup_free_ char *mem = NULL;
        int r;

        if (d->size > max)
                return import_error(ctx, -EFBIG, "blob %s is %" PRIu64 " bytes, more than the %zu allowed",
                                    strna(d->digest), d->size, max);
        mem = malloc(d->size + 1);
        if (!mem)
                return -ENOMEM;
        r = blob_stream(ctx, layout_fd, d, mem, -EBADF);
        if (r < 0)
                return r;
        *ret_data = TAKE_PTR(mem);
        return 0;
}

int blob_copy_verified(ImportContext *ctx, int layout_fd, const OciDescriptor *d, int dest_fd)
{
        return blob_stream(ctx, layout_fd, d, NULL, dest_fd);
}
