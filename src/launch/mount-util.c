/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "macro.h"
#include "mount-util.h"

static int openat2_in_root(int rootfd, const char *path, int *ret_fd)
{
        struct open_how how = {
                .flags = O_PATH | O_CLOEXEC,
                .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
        };
        int fd;

        while (*path == '/')
                path++;
        fd = (int)syscall(SYS_openat2, rootfd, *path ? path : ".", &how, sizeof(how));
        if (fd < 0)
                return negative_errno();
        *ret_fd = fd;
        return 0;
}

/* The path with its component at [comp, comp_end) replaced by the symlink's target: an absolute
 * target restarts from the root, a relative one from the link's directory (RESOLVE_IN_ROOT keeps
 * ".." inside the root either way). */
static int splice_symlink(const char *path, const char *comp, const char *comp_end, const char *target,
                          char **ret)
{
        if (target[0] == '/')
                return asprintf(ret, "%s%s", target, comp_end) < 0 ? -ENOMEM : 0;
        return asprintf(ret, "%.*s%s%s", (int)(comp - path), path, target, comp_end) < 0 ? -ENOMEM : 0;
}

static int resolve_create(int rootfd, const char *path, TargetKind kind, unsigned depth, int *ret_fd)
{
        _cleanup_free_ char *buf = NULL;
        _cleanup_close_ int parent = -EBADF;
        char *p;
        int r;

        if (depth > 40)
                return -ELOOP;
        buf = strdup(path);
        if (!buf)
                return -ENOMEM;
        r = openat2_in_root(rootfd, "", &parent);
        if (r < 0)
                return r;
        for (p = buf; *p == '/'; p++)
                ;
        /* Walk the path: each prefix is resolved afresh inside the root, and only a missing last
         * component is created, relative to its already-resolved parent. */
        while (*p) {
                _cleanup_close_ int next = -EBADF;
                char *slash = strchr(p, '/');
                bool last;

                if (slash)
                        *slash = 0;
                last = !slash || slash[1 + strspn(slash + 1, "/")] == 0;
                r = openat2_in_root(rootfd, buf, &next);
                if (r == -ENOENT) {
                        char target[PATH_MAX];
                        ssize_t n = readlinkat(parent, p, target, sizeof(target) - 1);

                        if (n >= 0) {
                                /* A dangling symlink: create what it points to, inside the root. */
                                _cleanup_free_ char *spliced = NULL;
                                target[n] = 0;
                                if (slash)
                                        *slash = '/';
                                r = splice_symlink(buf, p, slash ? slash : p + strlen(p), target, &spliced);
                                if (r < 0)
                                        return r;
                                return resolve_create(rootfd, spliced, kind, depth + 1, ret_fd);
                        }
                        if (last && kind == TARGET_FILE) {
                                int f = openat(parent, p,
                                               O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
                                if (f < 0)
                                        return negative_errno();
                                close(f);
                        } else if (mkdirat(parent, p, 0755) < 0)
                                return negative_errno();
                        r = openat2_in_root(rootfd, buf, &next);
                }
                if (r < 0)
                        return r;
                safe_close(parent);
                parent = TAKE_FD(next);
                if (!slash)
                        break;
                *slash = '/';
                for (p = slash + 1; *p == '/'; p++)
                        ;
        }
        *ret_fd = TAKE_FD(parent);
        return 0;
}

int resolve_in_root(int rootfd, const char *path, bool create, TargetKind kind, int *ret_fd)
{
        int r = openat2_in_root(rootfd, path, ret_fd);

        if (r != -ENOENT || !create)
                return r;
        return resolve_create(rootfd, path, kind, 0, ret_fd);
}

/* procfs and sysfs: a mount there changes what the kernel's own interfaces answer (a bind over
 * /proc/<pid>/attr swallows the SELinux exec label, CVE-2019-16884). */
static const char *kernel_api_fs_name(const struct statfs *sfs)
{
        if ((unsigned long)sfs->f_type == PROC_SUPER_MAGIC)
                return "procfs";
        if ((unsigned long)sfs->f_type == SYSFS_MAGIC)
                return "sysfs";
        return NULL;
}

int resolved_in_kernel_api_fs(int rootfd, int fd, const char **ret_fstype)
{
        _cleanup_close_ int cur = -EBADF;
        struct stat root_st, st;
        struct statfs sfs;

        if (fstatfs(fd, &sfs) < 0)
                return negative_errno();
        if ((*ret_fstype = kernel_api_fs_name(&sfs)))
                return 1;
        if (fstat(fd, &st) < 0 || fstat(rootfd, &root_st) < 0)
                return negative_errno();
        if (!S_ISDIR(st.st_mode))
                return 0; /* a file mounted over one in /proc is itself a mount of berth's (a mask) */
        /* A directory may be another file system mounted inside /proc or /sys (a mask's tmpfs,
         * cgroup2 on /sys/fs/cgroup): walk up through the mounts to the root, from fd itself
         * (the caller's: not closed here), then from each parent opened on the way. */
        for (unsigned depth = 0; depth < PATH_MAX / 2; depth++) {
                int up;

                if (st.st_dev == root_st.st_dev && st.st_ino == root_st.st_ino)
                        return 0;
                up = openat(cur >= 0 ? cur : fd, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
                if (up < 0)
                        return negative_errno();
                safe_close(cur);
                cur = up;
                if (fstatfs(cur, &sfs) < 0)
                        return negative_errno();
                if ((*ret_fstype = kernel_api_fs_name(&sfs)))
                        return 1;
                if (fstat(cur, &st) < 0)
                        return negative_errno();
        }
        return -ELOOP;
}

int resolve_target_outside_api_fs(int rootfd, const char *path, TargetKind kind, int *ret_fd,
                                  const char **ret_fstype)
{
        _cleanup_close_ int fd = -EBADF;
        int r;

        *ret_fstype = NULL;
        r = resolve_in_root(rootfd, path, true, kind, &fd);
        if (r < 0)
                return r;
        r = resolved_in_kernel_api_fs(rootfd, fd, ret_fstype);
        if (r < 0)
                return r;
        if (r > 0)
                return -EXDEV;
        *ret_fd = TAKE_FD(fd);
        return 0;
}

/* A tree cloned with open_tree() keeps the propagation of its source: cloned from a host whose /
 * is shared (systemd as PID 1 makes it so), it would stay a peer of the host's mounts after being
 * attached in the container's namespace, and pivot_root() refuses a shared new root (EINVAL, seen
 * on Debian 12's 6.1 kernel in the VM bed). Nothing attached for a container may propagate, so
 * every clone is made private where it is made, with its attributes in the same call. A new file
 * system (mount_new_fs()) never has peers: it needs no such call. */
int mount_clone_with_attr(int dirfd, const char *path, bool recursive, unsigned attrs, int *ret_mount_fd)
{
        struct mount_attr a = { .attr_set = attrs, .propagation = MS_PRIVATE };
        unsigned flags = OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | (recursive ? AT_RECURSIVE : 0);
        _cleanup_close_ int fd = -EBADF;

        if (isempty(path))
                flags |= AT_EMPTY_PATH;
        fd = open_tree(dirfd, strempty(path), flags);
        if (fd < 0)
                return negative_errno();
        if (mount_setattr(fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &a, sizeof(a)) < 0)
                return negative_errno();
        *ret_mount_fd = TAKE_FD(fd);
        return 0;
}

int mount_clone(int dirfd, const char *path, bool recursive, int *ret_mount_fd)
{
        return mount_clone_with_attr(dirfd, path, recursive, 0, ret_mount_fd);
}

static const char *selinux_context;

void mount_set_selinux_context(const char *label)
{
        selinux_context = label;
}

int mount_new_fs(const char *fstype, const char *const *options, unsigned attrs, int *ret_mount_fd)
{
        _cleanup_close_ int fs = -EBADF;
        int mfd;

        fs = fsopen(fstype, FSOPEN_CLOEXEC);
        if (fs < 0)
                return negative_errno();
        for (const char *const *o = options; o && *o; o++) {
                const char *eq = strchr(*o, '=');
                int r;

                if (eq) {
                        _cleanup_free_ char *key = strndup(*o, eq - *o);
                        if (!key)
                                return -ENOMEM;
                        r = fsconfig(fs, FSCONFIG_SET_STRING, key, eq + 1, 0);
                } else
                        r = fsconfig(fs, FSCONFIG_SET_FLAG, *o, NULL, 0);
                if (r < 0)
                        return negative_errno();
        }
        /* The container's label on what it gets new: tmpfs, devpts and the ephemeral root's overlay
         * (whose lower layer, the host's / for the demo, keeps host labels the container domain may
         * not execute), and the credentials' ramfs. mqueue refuses context= (EINVAL). */
        if (selinux_context &&
            (streq(fstype, "tmpfs") || streq(fstype, "devpts") || streq(fstype, "overlay") ||
             streq(fstype, "ramfs")) &&
            fsconfig(fs, FSCONFIG_SET_STRING, "context", selinux_context, 0) < 0)
                return negative_errno();
        if (fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
                return negative_errno();
        mfd = fsmount(fs, FSMOUNT_CLOEXEC, attrs);
        if (mfd < 0)
                return negative_errno();
        *ret_mount_fd = mfd;
        return 0;
}

int mount_set_attr(int mount_fd, unsigned attrs, bool recursive)
{
        struct mount_attr a = { .attr_set = attrs };

        if (mount_setattr(mount_fd, "", AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0), &a, sizeof(a)) < 0)
                return negative_errno();
        return 0;
}

int mount_attach_at(int mount_fd, int target_fd)
{
        if (move_mount(mount_fd, "", target_fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
                return negative_errno();
        return 0;
}

/* Whether path names something in /proc or /sys (or one of them) by itself, without symlinks. */
static bool path_names_kernel_api_fs(const char *path)
{
        path += strspn(path, "/");
        for (const char *const *top = (const char *const[]){ "proc", "sys", NULL }; *top; top++) {
                size_t n = strlen(*top);
                if (strneq(path, *top, n) && (path[n] == 0 || path[n] == '/'))
                        return true;
        }
        return false;
}

int mount_attach_in_root(int mount_fd, int rootfd, const char *path, TargetKind kind)
{
        _cleanup_close_ int target = -EBADF;
        const char *fstype;
        int r;

        r = resolve_in_root(rootfd, path, true, kind, &target);
        if (r < 0)
                return r;
        /* berth's own mounts inside /proc and /sys (masks, cgroup2) name them; any other target
         * that resolves there came through a symlink in the image (/run -> /proc/self/attr). */
        if (!path_names_kernel_api_fs(path)) {
                r = resolved_in_kernel_api_fs(rootfd, target, &fstype);
                if (r < 0)
                        return r;
                if (r > 0)
                        return -EXDEV;
        }
        return mount_attach_at(mount_fd, target);
}

int mount_attach_path(int mount_fd, const char *path)
{
        if (move_mount(mount_fd, "", AT_FDCWD, path, MOVE_MOUNT_F_EMPTY_PATH) < 0)
                return negative_errno();
        return 0;
}

int mount_new_fs_in_root(int rootfd, const char *fstype, const char *const *options, unsigned attrs,
                         const char *path)
{
        _cleanup_close_ int m = -EBADF;
        int r;

        r = mount_new_fs(fstype, options, attrs, &m);
        if (r < 0)
                return r;
        return mount_attach_in_root(m, rootfd, path, TARGET_DIRECTORY);
}

int open_host_path_no_symlinks(const char *path, int *ret_fd)
{
        struct open_how how = {
                .flags = O_PATH | O_CLOEXEC,
                .resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
        };
        int fd = (int)syscall(SYS_openat2, AT_FDCWD, path, &how, sizeof(how));

        if (fd < 0)
                return negative_errno();
        *ret_fd = fd;
        return 0;
}
