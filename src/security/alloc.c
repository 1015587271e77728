/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Allocation locks under STATE_DIR and the stable name hash. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/file.h>
#include <sys/stat.h>

#include "alloc.h"
#include "macro.h"

int alloc_dir_open(const char *state_dir, const char *kind, int *ret_dir_fd, int *ret_global_lock)
{
        _cleanup_close_ int sfd = -EBADF, dfd = -EBADF, lfd = -EBADF;

        if (mkdir(state_dir, 0755) < 0 && errno != EEXIST)
                return negative_errno();
        sfd = open(state_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (sfd < 0)
                return negative_errno();
        if (mkdirat(sfd, kind, 0755) < 0 && errno != EEXIST)
                return negative_errno();
        dfd = openat(sfd, kind, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
        if (dfd < 0)
                return negative_errno();
        if (ret_global_lock) {
                /* The directory itself is the lock: no extra file (inodes matter on a small /run). */
                lfd = openat(sfd, kind, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
                if (lfd < 0)
                        return negative_errno();
                if (flock(lfd, LOCK_EX) < 0)
                        return negative_errno();
                *ret_global_lock = TAKE_FD(lfd);
        }
        *ret_dir_fd = TAKE_FD(dfd);
        return 0;
}

int alloc_lock(int dir_fd, const char *name, int op, int *ret_fd)
{
        _cleanup_close_ int fd = openat(dir_fd, name, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (fd < 0)
                return negative_errno();
        if (flock(fd, op | LOCK_NB) < 0)
                return errno == EWOULDBLOCK ? -EBUSY : negative_errno();
        *ret_fd = TAKE_FD(fd);
        return 0;
}

bool alloc_lock_in_use(int dir_fd, const char *name)
{
        _cleanup_close_ int fd = -EBADF;
        return alloc_lock(dir_fd, name, LOCK_EX, &fd) == -EBUSY;
}

uint64_t alloc_hash(const char *s)
{
        uint64_t h = UINT64_C(0xcbf29ce484222325);
        for (; *s; s++) {
                h ^= (unsigned char)*s;
                h *= UINT64_C(0x100000001b3);
        }
        return h;
}
