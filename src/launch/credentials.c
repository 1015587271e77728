/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Credentials, as systemd passes them to a service: LoadCredential=, SetCredential= and
 * ImportCredential= (from berth@NAME.service's own $CREDENTIALS_DIRECTORY). The supervisor, root of
 * the host, reads them into memory before clone(); the child inherits that copy and writes it into
 * a ramfs it mounts read-only at /run/credentials/@container (and /run/host/credentials for a
 * Boot=yes guest's init), each file 0400 and owned by the payload's user; both copies in memory are
 * wiped right after. The bytes live only in that mount, in the container's mount namespace: nothing
 * is written under /run/berth, to the journal or into the environment, and the mount goes with the
 * namespace when the container stops.
 *
 * ramfs, not tmpfs: tmpfs pages may go to swap, and tmpfs's noswap option needs Linux 6.4 (Debian
 * 12 ships 6.1). ramfs is never swapped but has no size= limit: the sizes are checked here
 * (CREDENTIAL_SIZE_MAX each, CREDENTIALS_TOTAL_MAX in all, as systemd does for its own ramfs), and
 * the mount is read-only once filled, so the container cannot grow it (CAP_SYS_ADMIN, which could
 * remount it, is not in the default capability set). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "exit-status.h"
#include "launch-context.h"
#include "mount-util.h"
#include "strv.h"

static void closedirp(DIR **d)
{
        if (*d)
                closedir(*d);
}

static void credential_wipe(LoadedCredential *c)
{
        if (c->data)
                explicit_bzero(c->data, c->size);
        free(c->data);
        free(c->id);
        *c = (LoadedCredential){};
}

void launch_forget_credentials(LaunchContext *ctx)
{
        for (size_t i = 0; i < ctx->n_credentials; i++)
                credential_wipe(&ctx->credentials[i]);
        free(ctx->credentials);
        ctx->credentials = NULL;
        ctx->n_credentials = 0;
        ctx->credentials_size = 0;
}

static bool credential_loaded(const LaunchContext *ctx, const char *id)
{
        for (size_t i = 0; i < ctx->n_credentials; i++)
                if (streq(ctx->credentials[i].id, id))
                        return true;
        return false;
}

/* Takes data (size bytes) as credential id. -EEXIST for an ID given twice, -E2BIG over the caps. */
static int credential_add(LaunchContext *ctx, const char *id, char *data, size_t size)
{
        LoadedCredential *a;
        char *copy;

        if (credential_loaded(ctx, id))
                return -EEXIST;
        if (ctx->n_credentials >= CREDENTIALS_COUNT_MAX ||
            size > CREDENTIALS_TOTAL_MAX - ctx->credentials_size)
                return -E2BIG;
        copy = strdup(id);
        if (!copy)
                return -ENOMEM;
        a = reallocarray(ctx->credentials, ctx->n_credentials + 1, sizeof(LoadedCredential));
        if (!a) {
                free(copy);
                return -ENOMEM;
        }
        ctx->credentials = a;
        a[ctx->n_credentials++] = (LoadedCredential){ .id = copy, .data = data, .size = size };
        ctx->credentials_size += size;
        return 0;
}

/* Opens path below dirfd without following any symlink (a credential source is an admin's path,
 * but a symlink swapped in by whoever can write its directory must not redirect the read). */
static int open_no_symlinks(int dirfd, const char *path, uint64_t flags, uint64_t resolve)
{
        struct open_how how = {
                .flags = flags | O_CLOEXEC | O_NOCTTY | O_NONBLOCK,
                .resolve = resolve | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
        };
        int fd = (int)syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
        return fd < 0 ? negative_errno() : fd;
}

/* Reads a regular file of at most CREDENTIAL_SIZE_MAX bytes: -EBADFD when it is something else
 * (a FIFO would block, a device never end), -EFBIG when it is larger, even if it grows meanwhile. */
static int read_capped(int fd, char **ret, size_t *ret_size)
{
        _cleanup_free_ char *buf = NULL;
        struct stat st;
        size_t n = 0;

        if (fstat(fd, &st) < 0)
                return negative_errno();
        if (!S_ISREG(st.st_mode))
                return -EBADFD;
        if ((uint64_t)st.st_size > CREDENTIAL_SIZE_MAX)
                return -EFBIG;
        buf = malloc(CREDENTIAL_SIZE_MAX + 1);
        if (!buf)
                return -ENOMEM;
        for (;;) {
                ssize_t k = read(fd, buf + n, CREDENTIAL_SIZE_MAX + 1 - n);
                if (k < 0 && errno == EINTR)
                        continue;
                if (k < 0) {
                        int r = negative_errno();
                        explicit_bzero(buf, n);
                        return r;
                }
                if (k == 0)
                        break;
                n += k;
                if (n > CREDENTIAL_SIZE_MAX) {
                        explicit_bzero(buf, n);
                        return -EFBIG;
                }
        }
        /* Shrink to what was read: only the credential's bytes stay on the heap. */
        char *data = malloc(n ?: 1);
        if (!data) {
                explicit_bzero(buf, n);
                return -ENOMEM;
        }
        memcpy(data, buf, n);
        explicit_bzero(buf, n);
        *ret = data;
        *ret_size = n;
        return 0;
}

static const char *load_refusal(int r)
{
        switch (r) {
        case -ELOOP: return "refusing to follow a symlink";
        case -EBADFD: return "not a regular file";
        case -EFBIG: return "larger than the 1 MiB a credential may hold";
        case -E2BIG: return "over the 8 MiB (or 1024 files) all credentials of a container may hold";
        case -EEXIST: return "a credential of that ID is already loaded";
        default: return NULL;
        }
}

static int load_error(LaunchContext *ctx, int r, const char *id, const char *from)
{
        const char *why = load_refusal(r);

        if (why)
                return launch_error(ctx, 0, "Failed to load credential %s from %s (%s)", id, from, why);
        return launch_error(ctx, r, "Failed to load credential %s from %s", id, from);
}

static int load_fd(LaunchContext *ctx, int fd, const char *id)
{
        char *data = NULL;
        size_t size = 0;
        int r;

        r = read_capped(fd, &data, &size);
        if (r < 0)
                return r;
        r = credential_add(ctx, id, data, size);
        if (r < 0) {
                explicit_bzero(data, size);
                free(data);
        }
        return r;
}

static int load_file_at(LaunchContext *ctx, int dirfd, const char *name, const char *id)
{
        _cleanup_close_ int fd = -EBADF;

        fd = open_no_symlinks(dirfd, name, O_RDONLY, RESOLVE_BENEATH);
        if (fd < 0)
                return fd;
        return load_fd(ctx, fd, id);
}

/* LoadCredential=ID:DIR: each regular file of DIR (not recursive) as ID_FILENAME. */
static int load_directory(LaunchContext *ctx, int fd, const CredentialSource *s)
{
        _cleanup_(closedirp) DIR *d = NULL;
        struct dirent *de;
        int r;

        d = fdopendir(fd);
        if (!d) {
                r = negative_errno();
                safe_close(fd);
                return launch_error(ctx, r, "Failed to read credential directory %s", s->path);
        }
        while ((errno = 0, de = readdir(d))) {
                _cleanup_free_ char *id = NULL, *from = NULL;
                struct stat st;

                if (streq(de->d_name, ".") || streq(de->d_name, ".."))
                        continue;
                if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                        return launch_error(ctx, negative_errno(), "Failed to read credential directory %s",
                                            s->path);
                if (!S_ISREG(st.st_mode))
                        continue;
                if (asprintf(&id, "%s_%s", s->id, de->d_name) < 0 ||
                    asprintf(&from, "%s/%s", s->path, de->d_name) < 0)
                        return -ENOMEM;
                if (!credential_id_is_valid(id))
                        return launch_error(ctx, 0,
                                            "Failed to load credential from %s (%s_FILENAME is not a valid "
                                            "credential ID: at most %u bytes, no control characters)",
                                            from, s->id, CREDENTIAL_ID_MAX);
                r = load_file_at(ctx, dirfd(d), de->d_name, id);
                if (r < 0)
                        return load_error(ctx, r, id, from);
        }
        if (errno != 0)
                return launch_error(ctx, negative_errno(), "Failed to read credential directory %s",
                                    s->path);
        return 0;
}

static int load_source(LaunchContext *ctx, const CredentialSource *s)
{
        _cleanup_close_ int fd = -EBADF;
        struct stat st;
        char *data;
        int r;

        if (s->value) {
                size_t n = strlen(s->value);
                data = malloc(n ?: 1);
                if (!data)
                        return -ENOMEM;
                memcpy(data, s->value, n);
                r = credential_add(ctx, s->id, data, n);
                if (r < 0) {
                        explicit_bzero(data, n);
                        free(data);
                        return load_error(ctx, r, s->id, "SetCredential=");
                }
                return 0;
        }

        fd = open_no_symlinks(AT_FDCWD, s->path, O_RDONLY, 0);
        if (fd < 0)
                return load_error(ctx, fd, s->id, s->path);
        if (fstat(fd, &st) < 0)
                return load_error(ctx, negative_errno(), s->id, s->path);
        if (S_ISDIR(st.st_mode))
                return load_directory(ctx, TAKE_FD(fd), s);
        r = load_fd(ctx, fd, s->id);
        if (r < 0)
                return load_error(ctx, r, s->id, s->path);
        return 0;
}

/* ImportCredential=GLOB: what systemd passed berth@NAME.service in $CREDENTIALS_DIRECTORY (e.g.
 * decrypted from LoadCredentialEncrypted=). An ID loaded or set explicitly takes precedence. */
static int import_credentials(LaunchContext *ctx)
{
        const ContainerConfig *c = ctx->config;
        const char *dir = getenv("CREDENTIALS_DIRECTORY");
        _cleanup_(closedirp) DIR *d = NULL;
        struct dirent *de;
        int fd, r;

        if (!c->import_credentials || !dir || !*dir)
                return 0; /* systemd passed none: nothing to import, as in a service */
        fd = open_no_symlinks(AT_FDCWD, dir, O_RDONLY | O_DIRECTORY, 0);
        if (fd < 0)
                return launch_error(ctx, fd, "Failed to open $CREDENTIALS_DIRECTORY %s", dir);
        d = fdopendir(fd);
        if (!d) {
                r = negative_errno();
                safe_close(fd);
                return launch_error(ctx, r, "Failed to open $CREDENTIALS_DIRECTORY %s", dir);
        }
        while ((errno = 0, de = readdir(d))) {
                bool match = false;

                if (streq(de->d_name, ".") || streq(de->d_name, "..") || !credential_id_is_valid(de->d_name))
                        continue;
                STRV_FOREACH (g, c->import_credentials)
                        if (fnmatch(*g, de->d_name, 0) == 0)
                                match = true;
                if (!match || credential_loaded(ctx, de->d_name))
                        continue;
                r = load_file_at(ctx, dirfd(d), de->d_name, de->d_name);
                if (r < 0) {
                        _cleanup_free_ char *from = NULL;
                        if (asprintf(&from, "%s/%s", dir, de->d_name) < 0)
                                return -ENOMEM;
                        return load_error(ctx, r, de->d_name, from);
                }
        }
        if (errno != 0)
                return launch_error(ctx, negative_errno(), "Failed to read $CREDENTIALS_DIRECTORY %s", dir);
        return 0;
}

int launch_load_credentials(LaunchContext *ctx)
{
        const ContainerConfig *c = ctx->config;
        int r;

        for (size_t i = 0; i < c->n_credentials; i++) {
                r = load_source(ctx, &c->credentials[i]);
                if (r == -ENOMEM)
                        return launch_error(ctx, r, "Failed to load credentials");
                if (r < 0)
                        return r;
        }
        r = import_credentials(ctx);
        if (r == -ENOMEM)
                return launch_error(ctx, r, "Failed to import credentials");
        return r;
}

/* Fills the (still writable, detached) ramfs at mfd: one 0400 file per credential, owned by the
 * payload's user, like the directory itself. */
static int credentials_fill(LaunchChild *ch, int mfd)
{
        LaunchContext *ctx = ch->ctx;

        for (size_t i = 0; i < ctx->n_credentials; i++) {
                const LoadedCredential *cr = &ctx->credentials[i];
                _cleanup_close_ int fd = -EBADF;
                size_t done = 0;

                fd = openat(mfd, cr->id, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0400);
                if (fd < 0)
                        return negative_errno();
                while (done < cr->size) {
                        ssize_t k = write(fd, cr->data + done, cr->size - done);
                        if (k < 0 && errno == EINTR)
                                continue;
                        if (k < 0)
                                return negative_errno();
                        done += k;
                }
                if (fchmod(fd, 0400) < 0 || fchown(fd, ch->uid, ch->gid) < 0)
                        return negative_errno();
        }
        if (fchownat(mfd, "", ch->uid, ch->gid, AT_EMPTY_PATH) < 0)
                return negative_errno();
        return 0;
}

int child_mount_credentials(LaunchChild *ch)
{
        LaunchContext *ctx = ch->ctx;
        _cleanup_close_ int m = -EBADF, host = -EBADF, rootfd = -EBADF;
        int r;

        if (!config_has_credentials(ctx->config))
                return 0;
        /* After pivot_root, before the payload runs: / and /run are the container's, just made. */
        rootfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (rootfd < 0)
                return child_report_error(ch, EXIT_BERTH_FAILED, negative_errno(),
                                          "Failed to open the root");
        r = mount_new_fs("ramfs", (const char *const[]){ "mode=0500", NULL },
                         MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC, &m);
        if (r >= 0)
                r = credentials_fill(ch, m);
        launch_forget_credentials(ctx); /* our copy of the bytes: in the ramfs now, or never */
        if (r >= 0)
                r = mount_set_attr(m, MOUNT_ATTR_RDONLY, false);
        if (r >= 0)
                r = mount_attach_in_root(m, rootfd, CREDENTIALS_CONTAINER_DIR, TARGET_DIRECTORY);
        if (r < 0)
                return child_report_error(ch, EXIT_BERTH_FAILED, r, "Failed to mount the credentials on %s",
                                          CREDENTIALS_CONTAINER_DIR);
        if (!ctx->config->boot)
                return 0;
        /* Where systemd-nspawn puts them, for a guest that looks there ($CREDENTIALS_DIRECTORY is set). */
        r = mount_clone(rootfd, &CREDENTIALS_CONTAINER_DIR[1], false, &host);
        if (r >= 0)
                r = mount_set_attr(
                        host, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC,
                        false);
        if (r >= 0)
                r = mount_attach_in_root(host, rootfd, CREDENTIALS_HOST_DIR, TARGET_DIRECTORY);
        if (r < 0)
                return child_report_error(ch, EXIT_BERTH_FAILED, r, "Failed to mount the credentials on %s",
                                          CREDENTIALS_HOST_DIR);
        return 0;
}

int credentials_env(const ContainerConfig *c, char ***env)
{
        if (!config_has_credentials(c))
                return 0;
        return strv_env_set(env, "CREDENTIALS_DIRECTORY=" CREDENTIALS_CONTAINER_DIR);
}
