/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "macro.h"
#include "rm-rf.h"

/* A tree's depth is whatever its owner made it: an image's tar members carry PAX paths of any
 * length (libarchive creates them component by component), and a running container can nest
 * directories as deep as it likes under a copy-to target. So the walk is a loop, not a recursion,
 * and holds at most RM_RF_OPEN_MAX directories open: a subdirectory met at that depth is renamed
 * up into the top directory (inside the tree being removed, never outside it) under a fresh name,
 * and removed from there on a later pass. No '..' is ever opened and no symlink followed, so a
 * tree that changes while it is removed (a container's) cannot lead the walk out of it. */
#define RM_RF_OPEN_MAX 64

typedef struct RmFrame {
        DIR *d;
        char name[NAME_MAX + 1]; /* in the frame above; unused at the top */
} RmFrame;

/* Moves dir_fd/name into top_fd under a name of its own; 0 or -errno. */
static int move_up(int dir_fd, const char *name, int top_fd, unsigned long *counter)
{
        for (unsigned tries = 0; tries < 1000; tries++) {
                char tmp[NAME_MAX + 1];

                snprintf(tmp, sizeof(tmp), ".#rm-rf-%d-%lu", (int)getpid(), (*counter)++);
                if (syscall(SYS_renameat2, dir_fd, name, top_fd, tmp, RENAME_NOREPLACE) == 0)
                        return 0;
                /* A file system without RENAME_NOREPLACE: what a plain rename could replace is inside
                 * the tree being removed anyway. */
                if (errno == EINVAL && renameat(dir_fd, name, top_fd, tmp) == 0)
                        return 0;
                if (errno != EEXIST)
                        return negative_errno();
        }
        return -EEXIST;
}

int rm_rf_children(int fd)
{
        _cleanup_free_ RmFrame *frames = calloc(RM_RF_OPEN_MAX, sizeof(RmFrame));
        unsigned long counter = 0;
        bool moved = false;
        int depth = 0, dfd, r = 0;

#define KEEP_FIRST(q)                                                                                       \
        do {                                                                                                \
                int _q = (q);                                                                               \
                if (_q < 0 && r == 0)                                                                       \
                        r = _q;                                                                             \
        } while (0)

        if (!frames)
                return -ENOMEM;
        /* fdopendir takes the fd over: give it a copy so the caller's stays valid. */
        dfd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
        if (dfd < 0)
                return negative_errno();
        frames[0].d = fdopendir(dfd);
        if (!frames[0].d) {
                r = negative_errno();
                close(dfd);
                return r;
        }
        rewinddir(frames[0].d);

        for (;;) {
                RmFrame *f = &frames[depth];
                struct dirent *de;
                struct stat st;

                errno = 0;
                de = readdir(f->d);
                if (!de) {
                        KEEP_FIRST(errno != 0 ? negative_errno() : 0);
                        if (depth == 0) {
                                if (!moved)
                                        break;
                                /* Entries added while reading may be missed: read again. */
                                moved = false;
                                rewinddir(f->d);
                                continue;
                        }
                        closedir(f->d);
                        f->d = NULL;
                        depth--;
                        KEEP_FIRST(RET_NERRNO(unlinkat(dirfd(frames[depth].d), f->name, AT_REMOVEDIR)));
                        continue;
                }
                if (streq(de->d_name, ".") || streq(de->d_name, ".."))
                        continue;

                if (fstatat(dirfd(f->d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
                        if (errno != ENOENT)
                                KEEP_FIRST(negative_errno());
                        continue;
                }
                if (!S_ISDIR(st.st_mode)) {
                        if (unlinkat(dirfd(f->d), de->d_name, 0) < 0 && errno != ENOENT)
                                KEEP_FIRST(negative_errno());
                        continue;
                }
                if (depth + 1 >= RM_RF_OPEN_MAX) {
                        int q = move_up(dirfd(f->d), de->d_name, dirfd(frames[0].d), &counter);
                        if (q >= 0)
                                moved = true;
                        else if (q != -ENOENT)
                                KEEP_FIRST(q);
                        continue;
                }

                int cfd = openat(dirfd(f->d), de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (cfd < 0) {
                        if (errno != ENOENT)
                                KEEP_FIRST(negative_errno());
                        continue;
                }
                RmFrame *c = &frames[depth + 1];
                c->d = fdopendir(cfd);
                if (!c->d) {
                        KEEP_FIRST(negative_errno());
                        close(cfd);
                        continue;
                }
                snprintf(c->name, sizeof(c->name), "%s", de->d_name);
                depth++;
        }
#undef KEEP_FIRST

        closedir(frames[0].d);
        return r;
}

int rm_rf_at(int dirfd, const char *name)
{
        _cleanup_close_ int fd = -EBADF;
        struct stat st;
        int r;

        if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                return errno == ENOENT ? 0 : negative_errno();
        if (!S_ISDIR(st.st_mode))
                return RET_NERRNO(unlinkat(dirfd, name, 0));
        fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0)
                return negative_errno();
        r = rm_rf_children(fd);
        if (r < 0)
                return r;
        return RET_NERRNO(unlinkat(dirfd, name, AT_REMOVEDIR));
}

int rm_rf_path(const char *path)
{
        _cleanup_close_ int parent = -EBADF;
        _cleanup_free_ char *dir = strdup(path);
        char *slash;

        if (!dir)
                return -ENOMEM;
        slash = strrchr(dir, '/');
        if (!slash || !slash[1])
                return -EINVAL;
        *slash = 0;
        parent = open(isempty(dir) ? "/" : dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (parent < 0)
                return errno == ENOENT ? 0 : negative_errno();
        return rm_rf_at(parent, slash + 1);
}
