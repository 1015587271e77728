/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Step 5: the API file systems. /proc of the container's pid namespace with Docker's masked paths
 * (/dev/null over files, an empty read-only tmpfs over directories) and read-only paths; /sys
 * read-only with the container's own cgroup only; /run and /tmp as tmpfs. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "exit-status.h"
#include "launch-context.h"
#include "mount-util.h"

static const char *const masked_paths[] = {
        "/proc/acpi",        "/proc/asound",        "/proc/interrupts", "/proc/kcore",
        "/proc/keys",        "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats",
        "/proc/sched_debug", "/proc/scsi",          "/sys/firmware",    "/sys/devices/virtual/powercap",
        "/sys/fs/selinux", /* the host's selinuxfs in a /sys cloned from the host (Private=no) */
};

static const char *const read_only_paths[] = {
        "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger",
};

#define ATTR_API (MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC)

/* The empty read-only tmpfs over a masked directory. One is made per start and attached where
 * first needed; every other masked directory gets a bind of it, not a file system of its own (a
 * host with 64 CPUs has 64 thermal_throttle directories, and a tmpfs costs a superblock). It is
 * cloned once attached: a 6.1 kernel refuses to clone a detached mount (EINVAL). */
typedef struct EmptyDir {
        int attached; /* mount fd of the first one, once attached; -EBADF before */
} EmptyDir;

static int empty_dir_mount(const EmptyDir *e, int *ret_mount_fd)
{
        if (e->attached >= 0)
                return mount_clone(e->attached, "", false, ret_mount_fd);
        return mount_new_fs("tmpfs", (const char *const[]){ "size=0", "mode=0555", NULL },
                            ATTR_API | MOUNT_ATTR_RDONLY, ret_mount_fd);
}

static void empty_dir_done(EmptyDir *e)
{
        safe_close(e->attached);
}

/* After m (from empty_dir_mount()) is attached: the first one is kept for the clones. */
static void empty_dir_keep(EmptyDir *e, int *m)
{
        if (e->attached < 0)
                e->attached = TAKE_FD(*m);
}

/* Masks path (mask: /dev/null over a file, an empty read-only tmpfs over a directory) or makes it
 * read-only (!mask: a read-only bind of itself). A path this kernel does not have is left alone. */
static int cover_path(LaunchChild *ch, EmptyDir *empty, const char *path, bool mask)
{
        _cleanup_close_ int fd = -EBADF, m = -EBADF;
        struct stat st;
        bool dir;
        int r;

        r = resolve_in_root(ch->rootfd, path, false, TARGET_FILE, &fd);
        if (r == -ENOENT)
                return 0;
        if (r < 0)
                return r;
        if (fstat(fd, &st) < 0)
                return negative_errno();
        dir = S_ISDIR(st.st_mode);
        if (mask && dir)
                r = empty_dir_mount(empty, &m);
        else if (mask)
                r = child_clone_dev_null(ch, &m);
        else {
                r = mount_clone_with_attr(fd, "", true, MOUNT_ATTR_RDONLY, &m);
        }
        if (r < 0)
                return r;
        /* Onto fd, resolved above inside the root: resolving the path again (as
         * mount_attach_in_root() would) finds the same inode, since nothing in the container runs
         * yet, and every path here names /proc or /sys, which that check lets through. */
        r = mount_attach_at(m, fd);
        if (r >= 0 && mask && dir)
                empty_dir_keep(empty, &m);
        return r;
}

/* Docker masks each CPU's thermal_throttle (its counters tell about the host's load, and some
 * kernels let root reset them); the CPUs are those of the /sys the container got. */
static int mask_thermal_throttle(LaunchChild *ch, EmptyDir *empty)
{
        _cleanup_close_ int fd = -EBADF;
        DIR *d;
        struct dirent *de;
        int r, dfd;

        r = resolve_in_root(ch->rootfd, "/sys/devices/system/cpu", false, TARGET_DIRECTORY, &fd);
        if (r == -ENOENT)
                return 0;
        if (r < 0)
                return r;
        dfd = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd < 0)
                return negative_errno();
        d = fdopendir(dfd);
        if (!d) {
                r = negative_errno();
                safe_close(dfd);
                return r;
        }
        r = 0;
        while (r >= 0 && (de = readdir(d))) {
                char path[sizeof("/sys/devices/system/cpu//thermal_throttle") + sizeof(de->d_name)];
                size_t n;

                if (strncmp(de->d_name, "cpu", 3) != 0)
                        continue;
                n = strspn(de->d_name + 3, "0123456789");
                if (n == 0 || de->d_name[3 + n]) /* cpu0, cpu1, ...: not cpufreq, cpuidle */
                        continue;
                snprintf(path, sizeof(path), "/sys/devices/system/cpu/%s/thermal_throttle", de->d_name);
                r = cover_path(ch, empty, path, true);
        }
        closedir(d);
        return r;
}

static int mount_sys(LaunchChild *ch, EmptyDir *empty)
{
        const ContainerConfig *c = ch->ctx->config;
        _cleanup_close_ int m = -EBADF;
        int r;

        r = mount_new_fs_in_root(ch->rootfd, "sysfs", NULL, ATTR_API | MOUNT_ATTR_RDONLY, "/sys");
        if (r < 0 && !c->private_network && ch->ctx->range.size > 0) {
                /* sysfs of the host's network namespace cannot be mounted from a user namespace:
                 * show the host's, read-only (its cgroupfs is covered below). */
                _cleanup_close_ int host_sys = -EBADF;
                r = mount_clone_with_attr(AT_FDCWD, "/sys", true, ATTR_API | MOUNT_ATTR_RDONLY, &host_sys);
                if (r >= 0)
                        r = mount_attach_in_root(host_sys, ch->rootfd, "/sys", TARGET_DIRECTORY);
        }
        if (r < 0)
                return r;

        /* Only the container's own cgroup: cgroup2 of its cgroup namespace, rooted at its scope
         * (writable for Boot=yes, whose init manages its subtree). Unregistered (--register=no),
         * it has no cgroup of its own: an empty read-only tmpfs keeps the host's out of sight. */
        r = -ENOENT;
        if (ch->registered)
                r = mount_new_fs_in_root(ch->rootfd, "cgroup2", NULL,
                                         ATTR_API | (c->boot ? 0 : MOUNT_ATTR_RDONLY), "/sys/fs/cgroup");
        if (r >= 0)
                return r;
        r = empty_dir_mount(empty, &m);
        if (r >= 0)
                r = mount_attach_in_root(m, ch->rootfd, "/sys/fs/cgroup", TARGET_DIRECTORY);
        if (r >= 0)
                empty_dir_keep(empty, &m);
        return r;
}

int child_mount_api_fs(LaunchChild *ch)
{
        _cleanup_(empty_dir_done) EmptyDir empty = { .attached = -EBADF };
        int r;

        r = mount_new_fs_in_root(ch->rootfd, "proc", NULL, ATTR_API, "/proc");
        if (r < 0)
                return child_report_error(ch, EXIT_BERTH_FAILED, r, "Failed to mount /proc");
        r = mount_sys(ch, &empty);
        if (r < 0)
                return child_report_error(ch, EXIT_BERTH_FAILED, r, "Failed to mount /sys");
        for (size_t i = 0; i < ELEMENTSOF(masked_paths); i++) {
                r = cover_path(ch, &empty, masked_paths[i], true);
                if (r < 0)
                        return child_report_error(ch, EXIT_BERTH_FAILED, r, "Failed to mask %s",
                                                  masked_paths[i]);
        }
        r = mask_thermal_throttle(ch, &empty);
        if (r < 0)
                return child_report_error(ch, EXIT_BERTH_FAILED, r,
                                          "Failed to mask /sys/devices/system/cpu/cpu*/thermal_throttle");
        for (size_t i = 0; i < ELEMENTSOF(read_only_paths); i++) {
                r = cover_path(ch, &empty, read_only_paths[i], false);
                if (r < 0)
                        return child_report_error(ch, EXIT_BERTH_FAILED, r, "Failed to make %s read-only",
                                                  read_only_paths[i]);
        }
        /* Bounded (RunSize=, TmpSize=): unbounded, each may take half the host's memory. The
         * inodes too (kernel memory size= does not count; see child_mount_dev()). */
        _cleanup_free_ char *run_size = NULL, *tmp_size = NULL;
        if (asprintf(&run_size, "size=%s", ch->ctx->config->run_size) < 0 ||
            asprintf(&tmp_size, "size=%s", ch->ctx->config->tmp_size) < 0)
                return -ENOMEM;
        r = mount_new_fs_in_root(ch->rootfd, "tmpfs",
                                 (const char *const[]){ "mode=0755", run_size, "nr_inodes=128k", NULL },
                                 MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV, "/run");
        if (r < 0)
                return child_report_error(ch, EXIT_BERTH_FAILED, r, "Failed to mount /run");
        r = mount_new_fs_in_root(ch->rootfd, "tmpfs",
                                 (const char *const[]){ "mode=1777", tmp_size, "nr_inodes=400k", NULL },
                                 MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV, "/tmp");
        if (r < 0)
                return child_report_error(ch, EXIT_BERTH_FAILED, r, "Failed to mount /tmp");
        /* An init without CAP_SYS_ADMIN cannot mount its API file systems itself; systemd leaves
         * alone those already mounted, and /run/lock is the one it treats as fatal. */
        if (ch->ctx->config->boot) {
                r = mount_new_fs_in_root(
                        ch->rootfd, "tmpfs",
                        (const char *const[]){ "mode=1777", "size=5m", "nr_inodes=4k", NULL }, ATTR_API,
                        "/run/lock");
                if (r < 0)
                        return child_report_error(ch, EXIT_BERTH_FAILED, r, "Failed to mount /run/lock");
        }
        return 0;
}
