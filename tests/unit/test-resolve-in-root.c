/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* resolve_in_root(): paths and symlinks of an image never lead outside its root, also when the
 * missing targets of a mount are created. Runs unprivileged in a temporary directory. */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mount-util.h"
#include "test.h"

static char base[PATH_MAX];

static bool exists(const char *rel)
{
        char p[PATH_MAX * 2];
        struct stat st;
        snprintf(p, sizeof(p), "%s/%s", base, rel);
        return lstat(p, &st) == 0;
}

/* The path of fd relative to base, or "" when it is not below base. */
static const char *where(int fd, char *buf, size_t n)
{
        char link[64];
        ssize_t k;
        size_t l = strlen(base);

        snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
        k = readlink(link, buf, n - 1);
        if (k < 0)
                return "";
        buf[k] = 0;
        if (strncmp(buf, base, l) != 0)
                return "";
        return buf + l;
}

int main(void)
{
        char tmpl[] = "/tmp/berth-test-resolve.XXXXXX", buf[PATH_MAX];
        int rootfd, fd, r;

        if (!mkdtemp(tmpl))
                return 1;
        snprintf(base, sizeof(base), "%s", tmpl);
        char p[PATH_MAX * 2];
        snprintf(p, sizeof(p), "%s/root", base);
        mkdir(p, 0755);
        snprintf(p, sizeof(p), "%s/outside", base);
        mkdir(p, 0755);
        snprintf(p, sizeof(p), "%s/root/etc", base);
        mkdir(p, 0755);
        /* the image's traps: absolute and relative links out of the root, a dangling one, a loop */
        snprintf(p, sizeof(p), "%s/root/abs", base);
        bool traps = symlink(base, p) == 0;
        snprintf(p, sizeof(p), "%s/root/etc/rel", base);
        traps = symlink("../../outside", p) == 0 && traps;
        snprintf(p, sizeof(p), "%s/root/dangling", base);
        traps = symlink("/no/such/place", p) == 0 && traps;
        snprintf(p, sizeof(p), "%s/root/loop", base);
        traps = symlink("/loop", p) == 0 && traps;
        CHECK(traps, "the image's symlinks are in place");

        snprintf(p, sizeof(p), "%s/root", base);
        rootfd = open(p, O_PATH | O_DIRECTORY | O_CLOEXEC);
        CHECK(rootfd >= 0, "open the root");

        r = resolve_in_root(rootfd, "/etc", false, TARGET_DIRECTORY, &fd);
        CHECK(r == 0, "an existing directory resolves");
        CHECK_STREQ(where(fd, buf, sizeof(buf)), "/root/etc", "to itself");
        close(fd);

        r = resolve_in_root(rootfd, "/abs/outside", false, TARGET_DIRECTORY, &fd);
        CHECK(r == -ENOENT, "an absolute link to the host's path resolves inside the root (%d)", r);
        r = resolve_in_root(rootfd, "/etc/rel", false, TARGET_DIRECTORY, &fd);
        CHECK(r == -ENOENT, "a relative link climbing out with .. stays inside (%d)", r);
        r = resolve_in_root(rootfd, "/../../outside", false, TARGET_DIRECTORY, &fd);
        CHECK(r == -ENOENT, "a path climbing out with .. stays inside (%d)", r);

        r = resolve_in_root(rootfd, "/etc/rel/made", true, TARGET_DIRECTORY, &fd);
        CHECK(r == 0, "creating through a relative link out of the root succeeds (%d)", r);
        CHECK_STREQ(where(fd, buf, sizeof(buf)), "/root/outside/made", "and creates inside the root");
        CHECK(!exists("outside/made"), "nothing created outside the root");
        close(fd);

        r = resolve_in_root(rootfd, "/abs/outside/x", true, TARGET_FILE, &fd);
        CHECK(r == 0, "creating through an absolute link to the host's path succeeds (%d)", r);
        CHECK(!exists("outside/x"), "nothing created at the host's path");
        snprintf(p, sizeof(p), "/root%s/outside/x", base);
        CHECK_STREQ(where(fd, buf, sizeof(buf)), p, "but at that path inside the root");
        close(fd);

        r = resolve_in_root(rootfd, "/dangling/sub", true, TARGET_DIRECTORY, &fd);
        CHECK(r == 0, "a dangling link's target is created (%d)", r);
        CHECK_STREQ(where(fd, buf, sizeof(buf)), "/root/no/such/place/sub", "inside the root");
        close(fd);

        r = resolve_in_root(rootfd, "/loop/x", true, TARGET_DIRECTORY, &fd);
        CHECK(r == -ELOOP, "a symlink loop is refused (%d)", r);

        r = resolve_in_root(rootfd, "/etc/file", true, TARGET_FILE, &fd);
        CHECK(r == 0, "a missing file target is created (%d)", r);
        struct stat st;
        CHECK(fstat(fd, &st) == 0 && S_ISREG(st.st_mode), "as a regular file");
        close(fd);

        /* Host paths (Bind= sources, roots): no symlink anywhere in the path is followed. */
        snprintf(p, sizeof(p), "%s/root/etc", base);
        r = open_host_path_no_symlinks(p, &fd);
        CHECK(r == 0, "a host path without symlinks opens (%d)", r);
        if (r == 0)
                close(fd);
        snprintf(p, sizeof(p), "%s/root/etc/rel", base);
        r = open_host_path_no_symlinks(p, &fd);
        CHECK(r == -ELOOP, "a host path that is a symlink is refused (%d)", r);
        snprintf(p, sizeof(p), "%s/root/abs/outside", base);
        r = open_host_path_no_symlinks(p, &fd);
        CHECK(r == -ELOOP, "a host path through a symlinked directory is refused (%d)", r);

        close(rootfd);
        snprintf(p, sizeof(p), "rm -rf '%s'", base);
        (void)!system(p);
        return test_done();
}
