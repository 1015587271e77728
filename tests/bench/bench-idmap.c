/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* bench-idmap: one ID-mapping of a root tree, the two ways a runtime can show a tree owned by host
 * root as owned by a container's 64K range. bench-rr times it.
 *
 *   bench-idmap idmap DIR TARGET  open_tree(DIR) + mount_setattr(MOUNT_ATTR_IDMAP) with a fresh
 *                                 user namespace mapping 0 -> 524288 (64K), move_mount onto
 *                                 TARGET, check TARGET shows 524288 as owner, detach it. Runs in
 *                                 its own mount namespace, so nothing stays mounted.
 *   bench-idmap chown DIR         lchown every entry of DIR to the other of two bases (524288,
 *                                 589824), so every run really rewrites every inode, and check
 *                                 the root's new owner.
 * Exit 0 when the observable result is right, 1 otherwise (with a message). */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "macro.h"

#define BASE_A 524288U
#define BASE_B 589824U

static uid_t chown_to;

static int chown_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
        (void)st;
        (void)flag;
        (void)ftw;
        return lchown(path, chown_to, chown_to) < 0 ? -1 : 0;
}

static int do_chown(const char *dir)
{
        struct stat st;

        if (stat(dir, &st) < 0)
                return negative_errno();
        chown_to = st.st_uid == BASE_A ? BASE_B : BASE_A;
        if (nftw(dir, chown_one, 64, FTW_PHYS) < 0)
                return negative_errno();
        if (stat(dir, &st) < 0)
                return negative_errno();
        return st.st_uid == chown_to ? 0 : -EPROTO;
}

static int write_file(const char *path, const char *text)
{
        _cleanup_close_ int fd = open(path, O_WRONLY | O_CLOEXEC);

        if (fd < 0)
                return negative_errno();
        return write(fd, text, strlen(text)) == (ssize_t)strlen(text) ? 0 : negative_errno();
}

/* A user namespace fd mapping 0..65535 to BASE_A..: a child unshares and waits to be killed. */
static int userns_fd_new(void)
{
        int pipefd[2], fd = -EBADF;
        char path[64], c;
        pid_t pid;

        if (pipe2(pipefd, O_CLOEXEC) < 0)
                return negative_errno();
        pid = fork();
        if (pid < 0)
                return negative_errno();
        if (pid == 0) {
                close(pipefd[0]);
                if (unshare(CLONE_NEWUSER) < 0)
                        _exit(1);
                (void)!write(pipefd[1], "x", 1);
                pause();
                _exit(0);
        }
        close(pipefd[1]);
        if (read(pipefd[0], &c, 1) == 1) {
                snprintf(path, sizeof(path), "/proc/%d/uid_map", (int)pid);
                if (write_file(path, "0 524288 65536\n") >= 0) {
                        snprintf(path, sizeof(path), "/proc/%d/gid_map", (int)pid);
                        if (write_file(path, "0 524288 65536\n") >= 0) {
                                snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)pid);
                                fd = open(path, O_RDONLY | O_CLOEXEC);
                                if (fd < 0)
                                        fd = negative_errno();
                        }
                }
        }
        close(pipefd[0]);
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        return fd;
}

static int do_idmap(const char *dir, const char *target)
{
        struct mount_attr attr = { .attr_set = MOUNT_ATTR_IDMAP };
        _cleanup_close_ int userns = -EBADF, tree = -EBADF;
        struct stat st;

        if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
                return negative_errno();
        userns = userns_fd_new();
        if (userns < 0)
                return userns;
        tree = (int)syscall(SYS_open_tree, AT_FDCWD, dir, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
        if (tree < 0)
                return negative_errno();
        attr.userns_fd = (uint64_t)userns;
        if (syscall(SYS_mount_setattr, tree, "", AT_EMPTY_PATH, &attr, sizeof(attr)) < 0)
                return negative_errno();
        if (syscall(SYS_move_mount, tree, "", AT_FDCWD, target, MOVE_MOUNT_F_EMPTY_PATH) < 0)
                return negative_errno();
        if (stat(target, &st) < 0)
                return negative_errno();
        if (umount2(target, MNT_DETACH) < 0)
                return negative_errno();
        return st.st_uid == BASE_A ? 0 : -EPROTO;
}

int main(int argc, char **argv)
{
        int r;

        if (argc == 4 && streq(argv[1], "idmap"))
                r = do_idmap(argv[2], argv[3]);
        else if (argc == 3 && streq(argv[1], "chown"))
                r = do_chown(argv[2]);
        else {
                fprintf(stderr, "usage: bench-idmap idmap DIR TARGET | chown DIR\n");
                return 2;
        }
        if (r < 0) {
                fprintf(stderr, "bench-idmap %s %s: %s\n", argv[1], argv[2],
                        r == -EPROTO ? "owner not as expected" : strerror(-r));
                return 1;
        }
        return 0;
}
