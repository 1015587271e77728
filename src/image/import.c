/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <dirent.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "error-record.h"
#include "fileio.h"
#include "import.h"
#include "layer.h"
#include "oci-signature.h"
#include "oci.h"
#include "provenance.h"
#include "rm-rf.h"
#include "sha256.h"
#include "signature.h"
#include "starter.h"

void import_context_done(ImportContext *ctx)
{
        free(ctx->error);
        ctx->error = NULL;
        free(ctx->digest);
        ctx->digest = NULL;
}

int import_error(ImportContext *ctx, int error, const char *fmt, ...)
{
        _cleanup_free_ char *what = NULL;
        va_list ap;
        int r;

        if (ctx->error)
                return error < 0 ? error : -EIO;
        errno = error < 0 ? -error : EIO; /* for %m */
        va_start(ap, fmt);
        r = vasprintf(&what, fmt, ap);
        va_end(ap);
        if (r >= 0) /* the messages say why themselves (%m): recorded as they are */
                (void)error_record(&ctx->error, 0, "%s", what);
        return error < 0 ? error : -EIO;
}

int import_progress(ImportContext *ctx, uint64_t done_now)
{
        ctx->done = done_now;
        if (ctx->progress)
                ctx->progress(ctx->done, ctx->total, ctx->userdata);
        if (ctx->cancel && *ctx->cancel)
                return import_error(ctx, -ECANCELED, "interrupted; nothing was kept");
        return 0;
}

const char *image_dir_get(void)
{
        const char *e = getenv("BERTH_IMAGE_DIR");
        return isempty(e) ? BERTH_IMAGE_DIR_DEFAULT : e;
}

void import_result_done(ImportResult *r)
{
        free(r->root);
        free(r->config_path);
        *r = (ImportResult){};
}

static int mkdir_parents_and_self(const char *path, mode_t mode)
{
        _cleanup_free_ char *p = strdup(path);
        if (!p)
                return -ENOMEM;
        for (char *s = p + 1;; s++)
                if (*s == '/' || !*s) {
                        char c = *s;
                        *s = 0;
                        if (mkdir(p, mode) < 0 && errno != EEXIST)
                                return negative_errno();
                        if (!c)
                                return 0;
                        *s = c;
                }
}

/* The image directory is 0700 root's, like nspawn's /var/lib/machines: what an image holds
 * (setuid binaries kept with --keep-setuid, files a container makes through its idmapped root)
 * must be out of reach of host users. Created so, and tightened if it exists with a looser mode. */
static int image_dir_prepare(const char *image_dir)
{
        _cleanup_close_ int fd = -EBADF;
        struct stat st;
        int r;

        r = mkdir_parents_and_self(image_dir, 0755);
        if (r < 0)
                return r;
        fd = open(image_dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0 || fstat(fd, &st) < 0)
                return negative_errno();
        if ((st.st_mode & 0077) != 0 && fchmod(fd, st.st_mode & 07700) < 0)
                return negative_errno();
        return 0;
}

/* Staging directories of imports that were killed (SIGKILL, a crash, power loss) are removed by
 * the next import. A running import holds a lock on its own, so it is left alone. */
static void staging_remove_stale(const char *image_dir)
{
        _cleanup_close_ int dfd = open(image_dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        DIR *d;
        struct dirent *de;

        if (dfd < 0)
                return;
        d = fdopendir(fcntl(dfd, F_DUPFD_CLOEXEC, 3));
        if (!d)
                return;
        while ((de = readdir(d))) {
                _cleanup_close_ int fd = -EBADF;

                if (!strneq(de->d_name, ".import-", strlen(".import-")))
                        continue;
                fd = openat(dfd, de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (fd < 0 || flock(fd, LOCK_EX | LOCK_NB) < 0)
                        continue;
                (void)rm_rf_at(dfd, de->d_name);
        }
        closedir(d);
}

/* One import in progress: everything lives in staging until import_commit(). */
typedef struct Import {
        char *target;      /* IMAGE_DIR/NAME */
        char *config_path; /* CONFIG_DIR/NAME.container */
        char *staging;     /* IMAGE_DIR/.import-NAME-XXXXXX (work area, removed at the end) */
        char *root;        /* staging/root: becomes target */
        int root_fd;
        int staging_fd;
} Import;

static void import_done(Import *im)
{
        if (im->staging)
                (void)rm_rf_path(im->staging);
        free(im->target);
        free(im->config_path);
        free(im->staging);
        free(im->root);
        safe_close(im->root_fd);
        safe_close(im->staging_fd);
}

static int import_begin(ImportContext *ctx, const char *name, const char *config_dir, Import *im)
{
        const char *image_dir = image_dir_get();
        int r;

        *im = (Import){ .root_fd = -EBADF, .staging_fd = -EBADF };
        if (asprintf(&im->target, "%s/%s", image_dir, name) < 0 ||
            asprintf(&im->config_path, "%s/%s.container", config_dir, name) < 0 ||
            asprintf(&im->staging, "%s/.import-%s-XXXXXX", image_dir, name) < 0)
                return -ENOMEM;
        if (access(im->target, F_OK) == 0)
                return import_error(ctx, -EEXIST,
                                    "%s already exists: remove it or import under another name", im->target);
        if (access(im->config_path, F_OK) == 0)
                return import_error(ctx, -EEXIST,
                                    "%s already exists: remove it or import under another name",
                                    im->config_path);
        r = image_dir_prepare(image_dir);
        if (r < 0)
                return import_error(ctx, r, "cannot create %s with mode 0700: %m", image_dir);
        staging_remove_stale(image_dir);
        for (unsigned attempt = 0;; attempt++) {
                struct stat st;

                if (!mkdtemp(im->staging)) {
                        r = negative_errno();
                        free(im->staging);
                        im->staging = NULL;
                        return import_error(ctx, r, "cannot create a staging directory in %s: %m",
                                            image_dir);
                }
                im->staging_fd = open(im->staging, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (im->staging_fd < 0)
                        return import_error(ctx, negative_errno(), "cannot open %s: %m", im->staging);
                /* Locked for as long as this import runs; another import removing stale staging
                 * directories may have taken it in the instant before: then make another. */
                if (flock(im->staging_fd, LOCK_EX | LOCK_NB) == 0 && fstat(im->staging_fd, &st) == 0 &&
                    st.st_nlink > 0)
                        break;
                im->staging_fd = safe_close(im->staging_fd);
                if (attempt >= 3)
                        return import_error(ctx, -EBUSY, "cannot lock a staging directory in %s", image_dir);
                memcpy(im->staging + strlen(im->staging) - 6, "XXXXXX", 6);
        }
        if (asprintf(&im->root, "%s/root", im->staging) < 0)
                return -ENOMEM;
        if (mkdir(im->root, 0755) < 0)
                return import_error(ctx, negative_errno(), "cannot create %s: %m", im->root);
        im->root_fd = open(im->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (im->root_fd < 0)
                return import_error(ctx, negative_errno(), "cannot open %s: %m", im->root);
        return 0;
}

/* Whether the root has an init system to boot (resolved inside the root: its symlinks are its own). */
static bool root_has_init(int root_fd)
{
        static const char *const inits[] = { "sbin/init", "lib/systemd/systemd", "usr/lib/systemd/systemd" };
        struct open_how how = { .flags = O_PATH | O_CLOEXEC,
                                .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS };

        for (size_t i = 0; i < ELEMENTSOF(inits); i++) {
                struct stat st;
                int fd = (int)syscall(SYS_openat2, root_fd, inits[i], &how, sizeof(how));
                if (fd < 0)
                        continue;
                bool ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0111);
                close(fd);
                if (ok)
                        return true;
        }
        return false;
}

/* IMAGE_DIR/.images/NAME: digest, signer, time (provenance.h). Replaces a stale record of an
 * earlier image of that name (its root is gone, or import_begin() would have refused). */
static int provenance_write(ImportContext *ctx, const char *name, const char *source)
{
        ImageProvenance p = {
                .digest = ctx->digest,
                .signed_by = ctx->signed_by ? (char *)ctx->signed_by->fingerprint : NULL,
                .key = ctx->signed_by ? ctx->signed_by->path : NULL,
                .source = (char *)source,
                .imported = (uint64_t)time(NULL),
                .size = ctx->unpacked,
        };
        _cleanup_free_ char *dir = NULL, *path = NULL, *text = NULL;
        _cleanup_close_ int dfd = -EBADF;
        int r;

        if (asprintf(&dir, "%s/" PROVENANCE_DIR, image_dir_get()) < 0 ||
            image_provenance_path(image_dir_get(), name, &path) < 0 ||
            image_provenance_format(&p, &text) < 0)
                return -ENOMEM;
        if (mkdir(dir, 0700) < 0 && errno != EEXIST)
                return import_error(ctx, negative_errno(), "cannot create %s: %m", dir);
        dfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (dfd < 0)
                return import_error(ctx, negative_errno(), "cannot open %s: %m", dir);
        r = write_file_atomic_at(dfd, name, text, strlen(text), 0644, WRITE_FILE_SYNC);
        if (r < 0)
                return import_error(ctx, r, "cannot write %s: %m", path);
        return 0;
}

/* Moves the finished root into place and writes the starter config; on any failure neither stays. */
static int import_commit(ImportContext *ctx, const char *name, const char *source, const OciImage *img,
                         const char *config_dir, Import *im, ImportResult *ret)
{
        _cleanup_free_ char *text = NULL, *tmp = NULL;
        _cleanup_close_ int fd = -EBADF;
        size_t len;
        int r;

        ctx->root_has_init = root_has_init(im->root_fd);
        r = starter_config_format(name, im->target, source, img, ctx->root_has_init, &text);
        if (r < 0)
                return import_error(ctx, r,
                                    "cannot write the starter config: the image's settings cannot be "
                                    "expressed as a .container file");
        r = mkdir_parents_and_self(config_dir, 0755);
        if (r < 0)
                return import_error(ctx, r, "cannot create %s: %m", config_dir);
        if (asprintf(&tmp, "%s/.%s.container.XXXXXX", config_dir, name) < 0)
                return -ENOMEM;
        fd = mkostemp(tmp, O_CLOEXEC);
        if (fd < 0)
                return import_error(ctx, negative_errno(), "cannot create a file in %s: %m", config_dir);
        len = strlen(text);
        if (write(fd, text, len) != (ssize_t)len || fchmod(fd, 0644) < 0 || fsync(fd) < 0) {
                r = import_error(ctx, errno ? negative_errno() : -EIO, "cannot write %s: %m", tmp);
                (void)unlink(tmp);
                return r;
        }
        if (syncfs(im->root_fd) < 0) {
                r = import_error(ctx, negative_errno(), "cannot flush %s: %m", im->root);
                (void)unlink(tmp);
                return r;
        }
        if (renameat2(AT_FDCWD, im->root, AT_FDCWD, im->target, RENAME_NOREPLACE) < 0) {
                r = import_error(ctx, negative_errno(), "cannot move the image to %s: %m", im->target);
                (void)unlink(tmp);
                return r;
        }
        if (renameat2(AT_FDCWD, tmp, AT_FDCWD, im->config_path, RENAME_NOREPLACE) < 0) {
                r = import_error(ctx, negative_errno(), "cannot create %s: %m", im->config_path);
                (void)unlink(tmp);
                (void)rm_rf_path(im->target);
                return r;
        }
        r = provenance_write(ctx, name, source);
        if (r < 0) {
                (void)unlink(im->config_path);
                (void)rm_rf_path(im->target);
                return r;
        }
        *ret = (ImportResult){};
        ret->root = TAKE_PTR(im->target);
        ret->config_path = TAKE_PTR(im->config_path);
        return 0;
}

/* A private, already unlinked file in the staging area for one verified layer. */
static int layer_copy_open(const Import *im)
{
        int fd = openat(im->staging_fd, ".", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
        if (fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR))
                return RET_NERRNO(fd);
        _cleanup_free_ char *p = NULL;
        if (asprintf(&p, "%s/layer-XXXXXX", im->staging) < 0)
                return -ENOMEM;
        fd = mkostemp(p, O_CLOEXEC);
        if (fd < 0)
                return negative_errno();
        (void)unlink(p);
        return fd;
}

/* TARBALL.sig, when a signature is to be checked: decoded, and well-formed DER, or refused
 * with the check that failed. *ret stays NULL when there is nothing to check. */
static int tarball_signature_read(ImportContext *ctx, const char *tarball, uint8_t **ret, size_t *ret_size)
{
        _cleanup_free_ char *path = NULL, *text = NULL;
        _cleanup_close_ int fd = -EBADF;
        ssize_t n;
        int r;

        *ret = NULL;
        if (ctx->n_trust_keys == 0 && !ctx->trust_require)
                return 0;
        if (asprintf(&path, "%s.sig", tarball) < 0)
                return -ENOMEM;
        fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        if (fd < 0 && errno == ENOENT && !ctx->trust_require)
                return 0;
        if (fd < 0 && errno == ENOENT)
                return import_error(
                        ctx, -ENOENT,
                        "signature check failed: no signature file %s, and a signature is required", path);
        if (fd < 0)
                return import_error(ctx, negative_errno(), "cannot open %s: %m", path);
        text = malloc(SIG_FILE_MAX + 1);
        if (!text)
                return -ENOMEM;
        n = read(fd, text, SIG_FILE_MAX + 1);
        if (n < 0)
                return import_error(ctx, negative_errno(), "cannot read %s: %m", path);
        if (n > SIG_FILE_MAX)
                return import_error(ctx, -EFBIG, "signature check failed: %s is too large", path);
        r = sig_base64_decode(text, (size_t)n, ret, ret_size);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return import_error(ctx, -EBADMSG, "signature check failed: %s is not base64", path);
        if (!sig_der_is_valid(*ret, *ret_size)) {
                free(*ret);
                *ret = NULL;
                return import_error(ctx, -EBADMSG,
                                    "signature check failed: %s is not a DER ECDSA signature (truncated or "
                                    "corrupt)",
                                    path);
        }
        return 0;
}

static void sig_streams_free(SigStream *s, size_t n)
{
        for (size_t i = 0; i < n; i++)
                sig_stream_done(&s[i]);
        free(s);
}

/* Copies the tarball into dest_fd while verifying sig (ECDSA-SHA256 over the file's bytes) with
 * each trusted key; dest_fd holds the verified bytes, at offset 0, on success. */
static int tarball_copy_verified(ImportContext *ctx, const char *tarball, int fd, int dest_fd,
                                 const uint8_t *sig, size_t sig_size)
{
        size_t n_keys = ctx->n_trust_keys;
        SigStream *streams = calloc(n_keys ? n_keys : 1, sizeof(SigStream));
        _cleanup_free_ uint8_t *buf = malloc(1U << 16);
        char hex[SHA256_HEX_SIZE];
        uint64_t off = 0;
        Sha256 h;
        int r = 0;

        if (!streams || !buf) {
                free(streams);
                return -ENOMEM;
        }
        sha256_init(&h);
        for (size_t i = 0; i < n_keys && r == 0; i++)
                r = sig_stream_begin(&streams[i], &ctx->trust_keys[i]);
        for (ssize_t n; r == 0;) {
                n = pread(fd, buf, 1U << 16, (off_t)off);
                if (n < 0) {
                        r = import_error(ctx, negative_errno(), "cannot read %s: %m", tarball);
                        break;
                }
                if (n == 0)
                        break;
                sha256_update(&h, buf, (size_t)n);
                for (size_t i = 0; i < n_keys && r == 0; i++)
                        r = sig_stream_update(&streams[i], buf, (size_t)n);
                if (r == 0 && write(dest_fd, buf, (size_t)n) != n)
                        r = import_error(ctx, errno == ENOSPC ? -ENOSPC : -EIO, "cannot copy %s: %m",
                                         tarball);
                off += (uint64_t)n;
                if (r == 0)
                        r = import_progress(ctx, off);
        }
        for (size_t i = 0; i < n_keys && r == 0 && !ctx->signed_by; i++)
                if (sig_stream_end(&streams[i], sig, sig_size) == 0)
                        ctx->signed_by = &ctx->trust_keys[i];
        sig_streams_free(streams, n_keys);
        if (r < 0)
                return r;
        if (!ctx->signed_by)
                return import_error(
                        ctx, -EKEYREJECTED,
                        "signature check failed: %s.sig does not verify over %s with the trusted "
                        "key%s %s%s",
                        tarball, tarball, n_keys > 1 ? "s" : "", n_keys ? ctx->trust_keys[0].path : "",
                        n_keys > 1 ? " (and others)" : "");
        sha256_final_hex(&h, hex);
        if (asprintf(&ctx->digest, "sha256:%s", hex) < 0)
                return -ENOMEM;
        if (lseek(dest_fd, 0, SEEK_SET) < 0)
                return import_error(ctx, negative_errno(), "cannot rewind the copy of %s: %m", tarball);
        return 0;
}

int import_tar(ImportContext *ctx, const char *name, const char *tarball, const char *config_dir,
               ImportResult *ret)
{
        _cleanup_(import_done) Import im = { .root_fd = -EBADF, .staging_fd = -EBADF };
        _cleanup_close_ int fd = -EBADF;
        _cleanup_free_ uint8_t *sig = NULL;
        size_t sig_size = 0;
        struct stat st;
        int r;

        fd = open(tarball, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0 || fstat(fd, &st) < 0)
                return import_error(ctx, negative_errno(), "cannot open %s: %m", tarball);
        if (!S_ISREG(st.st_mode))
                return import_error(ctx, -EINVAL, "%s is not a regular file", tarball);
        r = tarball_signature_read(ctx, tarball, &sig, &sig_size);
        if (r < 0)
                return r;
        r = import_begin(ctx, name, config_dir, &im);
        if (r < 0)
                return r;
        ctx->done = 0;
        ctx->total = (uint64_t)st.st_size;
        if (sig) {
                /* The bytes unpacked are the bytes verified: a private copy, checked first. */
                ctx->total *= 2;
                _cleanup_close_ int copy = layer_copy_open(&im);
                if (copy < 0)
                        return import_error(ctx, copy, "cannot create a file in %s: %m", im.staging);
                r = tarball_copy_verified(ctx, tarball, fd, copy, sig, sig_size);
                if (r < 0)
                        return r;
                safe_close(fd);
                fd = TAKE_FD(copy);
        }
        r = layer_apply(ctx, tarball, fd, im.root_fd, /* whiteouts= */ false);
        if (r < 0)
                return r;
        return import_commit(ctx, name, tarball, NULL, config_dir, &im, ret);
}

int import_oci(ImportContext *ctx, const char *name, const char *layout_dir, const char *config_dir,
               ImportResult *ret)
{
        _cleanup_(import_done) Import im = { .root_fd = -EBADF, .staging_fd = -EBADF };
        _cleanup_(oci_image_done) OciImage img = {};
        _cleanup_close_ int layout_fd = -EBADF;
        int *fds = NULL;
        int r;

        layout_fd = open(layout_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (layout_fd < 0)
                return import_error(ctx, negative_errno(), "cannot open %s: %m", layout_dir);
        r = oci_image_load(ctx, layout_fd, &img);
        if (r < 0)
                return r;
        if (ctx->n_trust_keys > 0 || ctx->trust_require) {
                r = oci_signature_check(ctx, layout_fd, img.index_digest, ctx->trust_keys, ctx->n_trust_keys,
                                        &ctx->signed_by);
                if (r == -ENOENT && !ctx->trust_require) {
                        free(ctx->error);
                        ctx->error = NULL;
                } else if (r < 0) {
                        _cleanup_free_ char *why = TAKE_PTR(ctx->error);
                        return import_error(ctx, r, "signature check failed: %s", strna(why));
                }
        }
        ctx->digest = strdup(img.index_digest);
        if (!ctx->digest)
                return -ENOMEM;
        r = import_begin(ctx, name, config_dir, &im);
        if (r < 0)
                return r;

        /* Each layer counts twice: copying it while hashing, then unpacking it. */
        ctx->done = 0;
        ctx->total = 0;
        for (size_t i = 0; i < img.n_layers; i++)
                ctx->total += 2 * img.layers[i].size;

        /* Every layer is copied and verified before the first is unpacked: a tampered blob is
         * refused before a byte of the image is written. */
        fds = calloc(img.n_layers ? img.n_layers : 1, sizeof(int));
        if (!fds)
                return -ENOMEM;
        for (size_t i = 0; i < img.n_layers; i++)
                fds[i] = -EBADF;
        for (size_t i = 0; i < img.n_layers; i++) {
                fds[i] = layer_copy_open(&im);
                if (fds[i] < 0) {
                        r = import_error(ctx, fds[i], "cannot create a file in %s: %m", im.staging);
                        goto finish;
                }
                r = blob_copy_verified(ctx, layout_fd, &img.layers[i], fds[i]);
                if (r < 0)
                        goto finish;
        }
        for (size_t i = 0; i < img.n_layers; i++) {
                r = layer_apply(ctx, img.layers[i].digest, fds[i], im.root_fd, /* whiteouts= */ true);
                if (r < 0)
                        goto finish;
                fds[i] = safe_close(fds[i]);
        }
        r = import_commit(ctx, name, layout_dir, &img, config_dir, &im, ret);
finish:
        for (size_t i = 0; i < img.n_layers; i++)
                safe_close(fds[i]);
        free(fds);
        return r;
}
