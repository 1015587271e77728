/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <dirent.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#include "macro.h"
#include "rm-rf.h"

int rm_rf_children(int fd)
{
        struct dirent *de;
        DIR *d;
        int dfd, r = 0;

        /* fdopendir takes the fd over: give it a copy so the caller's stays valid. */
        dfd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
        if (dfd < 0)
                return negative_errno();
        d = fdopendir(dfd);
        if (!d) {
                r = negative_errno();
                close(dfd);
                return r;
        }
        rewinddir(d);
        while ((errno = 0, de = readdir(d))) {
                if (streq(de->d_name, ".") || streq(de->d_name, ".."))
                        continue;
                int q = rm_rf_at(dirfd(d), de->d_name);
                if (q < 0 && r == 0)
                        r = q;
        }
        if (errno != 0 && r == 0)
                r = negative_errno();
        closedir(d);
        return r;
}

int rm_rf_at(int dirfd, const char *name)
{
        struct stat st;
        int r;

        if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                return errno == ENOENT ? 0 : negative_errno();
        if (S_ISDIR(st.st_mode)) {
                _cleanup_close_ int fd =
                        openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (fd < 0)
                        return negative_errno();
                r = rm_rf_children(fd);
                if (r < 0)
                        return r;
                return RET_NERRNO(unlinkat(dirfd, name, AT_REMOVEDIR));
        }
        return RET_NERRNO(unlinkat(dirfd, name, 0));
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
