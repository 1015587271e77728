/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* rm_rf_at()/rm_rf_children(): trees of any depth (an image's or a container's choice) go away
 * entirely with a few fds, symlinks inside are removed, never followed, and nothing is left or
 * moved outside the tree. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "macro.h"
#include "rm-rf.h"
#include "test.h"

#define DEEP 5000

static int count_fds(void)
{
        DIR *d = opendir("/proc/self/fd");
        int n = 0;

        if (!d)
                return -1;
        while (readdir(d))
                n++;
        closedir(d);
        return n;
}

/* dfd/name, then name/d/d/... levels deep; every 100th level gets a file, a symlink to the
 * sentinel directory outside and a few side directories (more than one subdirectory per level
 * below the remover's open-directory window). Returns the number of levels made. */
static int make_deep(int dfd, const char *name, int levels, const char *sentinel)
{
        int fd, made = 0;

        if (mkdirat(dfd, name, 0755) < 0)
                return -1;
        fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        for (int i = 0; fd >= 0 && i < levels; i++) {
                if (i % 100 == 7) {
                        int f = openat(fd, "file", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
                        if (f < 0 || write(f, "x", 1) != 1 || symlinkat(sentinel, fd, "escape") < 0 ||
                            mkdirat(fd, "side1", 0755) < 0 || mkdirat(fd, "side2", 0755) < 0 ||
                            mkdirat(fd, "side2/sub", 0755) < 0 ||
                            symlinkat(sentinel, fd, "side2/sub/l") < 0) {
                                safe_close(f);
                                break;
                        }
                        close(f);
                }
                if (mkdirat(fd, "d", 0755) < 0)
                        break;
                int next = openat(fd, "d", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                close(fd);
                fd = next;
                made++;
        }
        safe_close(fd);
        return made;
}

int main(void)
{
        char tmpl[] = "/tmp/berth-test-rm-rf.XXXXXX";
        const char *dir = mkdtemp(tmpl);
        _cleanup_free_ char *sentinel = NULL;
        _cleanup_close_ int dfd = -EBADF, sfd = -EBADF;
        struct rlimit rl;
        struct stat st;
        int r, fds;

        CHECK(dir != NULL, "temporary directory created");
        dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        CHECK(mkdirat(dfd, "sentinel", 0755) == 0 &&
                      (sfd = openat(dfd, "sentinel", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0 &&
                      mkdirat(sfd, "keep", 0755) == 0,
              "sentinel directory outside the trees");
        CHECK(asprintf(&sentinel, "%s/sentinel", dir) > 0, "sentinel path");

        /* The walk must not need an fd per level: a tree deeper than the fds a process may hold is
         * the point (the recursive remover held two per level and stopped with EMFILE). */
        CHECK(getrlimit(RLIMIT_NOFILE, &rl) == 0, "RLIMIT_NOFILE read");
        rl.rlim_cur = 256;
        CHECK(setrlimit(RLIMIT_NOFILE, &rl) == 0, "RLIMIT_NOFILE lowered to 256");

        CHECK(make_deep(dfd, "tree", DEEP, sentinel) == DEEP, "a tree %d directories deep", DEEP);
        fds = count_fds();
        r = rm_rf_at(dfd, "tree");
        CHECK(r == 0, "rm_rf_at: the deep tree removed without error (r=%d %s)", r, strerror(-r));
        CHECK(fstatat(dfd, "tree", &st, AT_SYMLINK_NOFOLLOW) < 0 && errno == ENOENT,
              "rm_rf_at: tree is gone");
        CHECK(count_fds() == fds, "rm_rf_at: no fd left open");

        /* rm_rf_children: the top stays, empty (nothing moved aside is left behind). */
        CHECK(make_deep(dfd, "top", DEEP, sentinel) == DEEP, "another tree %d directories deep", DEEP);
        _cleanup_close_ int tfd = openat(dfd, "top", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        r = rm_rf_children(tfd);
        CHECK(r == 0, "rm_rf_children: removed without error (r=%d %s)", r, strerror(-r));
        CHECK(test_count_entries(tfd) == 0, "rm_rf_children: the top directory is empty");
        CHECK(fstatat(dfd, "top", &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode),
              "rm_rf_children: the top directory stays");

        /* Symlinks were removed, not followed; nothing landed beside the trees. */
        CHECK(test_count_entries(sfd) == 1 && fstatat(sfd, "keep", &st, 0) == 0,
              "the sentinel is untouched");
        CHECK(test_count_entries(dfd) == 2, "beside the trees: only sentinel and top");

        /* The name itself a symlink to a directory: the link goes, not what it points to. */
        CHECK(symlinkat(sentinel, tfd, "link") == 0, "a symlink to the sentinel directory");
        r = rm_rf_at(tfd, "link");
        CHECK(r == 0 && test_count_entries(tfd) == 0, "rm_rf_at of a symlink: the link removed (r=%d)", r);
        CHECK(test_count_entries(sfd) == 1, "rm_rf_at of a symlink: the sentinel untouched");
        CHECK(rm_rf_at(tfd, "absent") == 0, "rm_rf_at of a missing name: 0");

        close(tfd);
        tfd = -EBADF;
        rl.rlim_cur = rl.rlim_max;
        (void)setrlimit(RLIMIT_NOFILE, &rl);
        CHECK(rm_rf_path(dir) == 0, "scratch directory removed");
        return test_done();
}
