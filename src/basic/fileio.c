/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fileio.h"
#include "macro.h"

#define TMP_TRIES 16

/* ".NAME.0123456789abcdef": hidden, and unique enough that a clash only costs a retry. */
static void tmp_name(const char *name, char ret[static 256])
{
        uint64_t rnd;

        if (getrandom(&rnd, sizeof(rnd), GRND_NONBLOCK) != sizeof(rnd)) {
                struct timespec ts;
                clock_gettime(CLOCK_MONOTONIC, &ts);
                rnd = (uint64_t)ts.tv_nsec ^ ((uint64_t)getpid() << 32) ^ (uint64_t)ts.tv_sec;
        }
        /* The name part is cut so the whole stays below NAME_MAX. */
        snprintf(ret, 256, ".%.200s.%016llx", name, (unsigned long long)rnd);
}

static int write_all(int fd, const void *data, size_t len)
{
        const char *p = data;

        while (len > 0) {
                ssize_t n = write(fd, p, len);
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return negative_errno();
                }
                if (n == 0)
                        return -EIO;
                p += n;
                len -= (size_t)n;
        }
        return 0;
}

/* Gives the unnamed file fd the name tmp in dirfd. */
static int link_tmpfile(int fd, int dirfd, const char *name, char tmp[static 256])
{
        char proc[64];

        snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
        for (int i = 0; i < TMP_TRIES; i++) {
                tmp_name(name, tmp);
                /* AT_EMPTY_PATH needs CAP_DAC_READ_SEARCH; /proc needs /proc. Either will do. */
                if (linkat(fd, "", dirfd, tmp, AT_EMPTY_PATH) >= 0)
                        return 0;
                if (errno == EEXIST)
                        continue;
                if (linkat(AT_FDCWD, proc, dirfd, tmp, AT_SYMLINK_FOLLOW) >= 0)
                        return 0;
                if (errno != EEXIST)
                        return negative_errno();
        }
        return -EEXIST;
}

/* A fresh file under a new name: O_EXCL never opens what is already there, symlink or not. */
static int open_named_tmp(int dirfd, const char *name, mode_t mode, char tmp[static 256])
{
        for (int i = 0; i < TMP_TRIES; i++) {
                tmp_name(name, tmp);
                int fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
                if (fd >= 0 || errno != EEXIST)
                        return RET_NERRNO(fd);
        }
        return -EEXIST;
}

int write_file_atomic_at(int dirfd, const char *name, const void *data, size_t len, mode_t mode,
                         WriteFileFlags flags)
{
        _cleanup_close_ int fd = -EBADF;
        char tmp[256];
        bool named = false;
        int r;

        if (flags & WRITE_FILE_NO_TMPFILE)
                errno = EOPNOTSUPP;
        else
                fd = openat(dirfd, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, mode);
        if (fd < 0) {
                if (errno != EOPNOTSUPP && errno != EISDIR)
                        return negative_errno();
                fd = open_named_tmp(dirfd, name, mode, tmp);
                if (fd < 0)
                        return fd;
                named = true;
        }
        /* The mode asked for, whatever the umask: open(2) would have taken the umask off. */
        r = RET_NERRNO(fchmod(fd, mode));
        if (r >= 0)
                r = write_all(fd, data, len);
        if (r >= 0 && (flags & WRITE_FILE_SYNC) && fsync(fd) < 0)
                r = negative_errno();
        if (r >= 0 && !named) {
                r = link_tmpfile(fd, dirfd, name, tmp);
                named = r >= 0;
        }
        if (r >= 0 && renameat(dirfd, tmp, dirfd, name) < 0)
                r = negative_errno();
        if (r < 0 && named)
                (void)unlinkat(dirfd, tmp, 0);
        return r;
}

int stdio_check_handoff(int fd)
{
        struct stat st;
        int flags;

        flags = fcntl(fd, F_GETFL);
        if (flags < 0)
                return errno == EBADF ? 0 : negative_errno();
        if (flags & O_PATH)
                return -EBADFD;
        if (fstat(fd, &st) < 0)
                return negative_errno();
        return S_ISDIR(st.st_mode) ? -EISDIR : 0;
}

const char *stdio_handoff_refusal(int fd, int error, char buf[static STDIO_REFUSAL_MAX])
{
        static const char *const names[] = { "standard input", "standard output", "standard error" };

        (void)snprintf(buf, STDIO_REFUSAL_MAX,
                       "berth's %s: %s gives a handle on the host's files past the container's root; "
                       "redirect it from or to a file or /dev/null",
                       fd >= 0 && fd < 3 ? names[fd] : "standard stream",
                       error == -EISDIR   ? "a directory"
                       : error == -EBADFD ? "an O_PATH descriptor"
                                          : "unusable");
        return buf;
}

int read_fd_capped(int fd, size_t size_hint, size_t max, char **ret, size_t *ret_size)
{
        /* One byte more than expected: EOF then comes in the next read, not after a regrowth. */
        size_t cap = (size_hint < max ? size_hint : max) + 1, n = 0;
        _cleanup_free_ char *buf = malloc(cap);

        if (!buf)
                return -ENOMEM;
        for (;;) {
                ssize_t k;

                if (n == cap) {
                        char *p;

                        if (n > max)
                                return -EFBIG;
                        cap = cap > (max + 1) / 2 ? max + 1 : cap * 2;
                        p = realloc(buf, cap);
                        if (!p)
                                return -ENOMEM;
                        buf = p;
                }
                k = read(fd, buf + n, cap - n);
                if (k < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                if (k == 0)
                        break;
                n += (size_t)k;
        }
        *ret = TAKE_PTR(buf);
        *ret_size = n;
        return 0;
}
