/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Step 5: a minimal /dev: the host's null zero full random urandom tty bound onto files of a
 * fresh tmpfs (mknod is not allowed in a user namespace; a bind works in both cases), a private
 * devpts instance with its ptmx, shm, mqueue, the fd/stdio symlinks, and the console: a pty of the
 * container's devpts when interactive or booting an init (Boot=yes: getty and the boot messages
 * need a terminal; the supervisor relays it to the journal), /dev/null otherwise. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "exit-status.h"
#include "launch-context.h"
#include "mount-util.h"

static const char *const node_names[_HOST_NODE_MAX] = {
        [HOST_NODE_NULL] = "/dev/null",       [HOST_NODE_ZERO] = "/dev/zero",
        [HOST_NODE_FULL] = "/dev/full",       [HOST_NODE_RANDOM] = "/dev/random",
        [HOST_NODE_URANDOM] = "/dev/urandom", [HOST_NODE_TTY] = "/dev/tty",
};

static const struct {
        const char *name, *target;
} dev_links[] = {
        { "ptmx", "pts/ptmx" },          { "fd", "/proc/self/fd" },       { "stdin", "/proc/self/fd/0" },
        { "stdout", "/proc/self/fd/1" }, { "stderr", "/proc/self/fd/2" },
};

/* A bind of the container's own /dev/null (a detached mount cannot be cloned on older kernels).
 * Resolved once: the console and every mask of /proc clone it before Bind= could mount over it. */
int child_clone_dev_null(LaunchChild *ch, int *ret_mount_fd)
{
        if (ch->dev_null_fd < 0) {
                int r = resolve_in_root(ch->rootfd, "/dev/null", false, TARGET_FILE, &ch->dev_null_fd);
                if (r < 0)
                        return r;
        }
        return mount_clone(ch->dev_null_fd, "", false, ret_mount_fd);
}

/* Opens a pty in the container's own devpts: master to the supervisor, slave kept as console. */
static int open_console_pty(LaunchChild *ch, int *ret_slave)
{
        _cleanup_close_ int ptmx = -EBADF, master = -EBADF, slave = -EBADF;
        char path[64];
        int r;

        r = resolve_in_root(ch->rootfd, "/dev/pts/ptmx", false, TARGET_FILE, &ptmx);
        if (r < 0)
                return r;
        snprintf(path, sizeof(path), "/proc/self/fd/%d", ptmx);
        master = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (master < 0)
                return negative_errno();
        if (unlockpt(master) < 0)
                return negative_errno();
        slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (slave < 0)
                return negative_errno();
        /* The caller's size before the payload starts: the relay's copy would come too late for a
         * command that asks at once. */
        if (ch->ctx->have_winsize && ioctl(slave, TIOCSWINSZ, &ch->ctx->winsize) < 0)
                return negative_errno();
        SyncMessage m = { .type = SYNC_PTY_MASTER };
        r = sync_send(ch->ctx->child_sync_fd, &m, &master, 1);
        if (r < 0)
                return r;
        *ret_slave = TAKE_FD(slave);
        return 0;
}

/* A target made in berth's own /dev: devfd is the root of the tmpfs this child has just mounted,
 * which nothing else has seen yet (the payload does not run), so a name there is what berth made:
 * one create and one move_mount instead of resolving every path inside the image's root again
 * (issue 16: that walk was some 12 system calls per node). */
static int dev_make_target(int devfd, const char *name, TargetKind kind, int *ret_fd)
{
        int fd;

        if (kind == TARGET_FILE)
                fd = openat(devfd, name, O_RDONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
        else {
                if (mkdirat(devfd, name, 0755) < 0)
                        return negative_errno();
                fd = openat(devfd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        }
        if (fd < 0)
                return negative_errno();
        *ret_fd = fd;
        return 0;
}

static int dev_attach(int mount_fd, int devfd, const char *name, TargetKind kind)
{
        _cleanup_close_ int target = -EBADF;
        int r = dev_make_target(devfd, name, kind, &target);

        if (r < 0)
                return r;
        return mount_attach_at(mount_fd, target);
}

static int dev_new_fs(int devfd, const char *name, const char *fstype, const char *const *options,
                      unsigned attrs)
{
        _cleanup_close_ int m = -EBADF;
        int r = mount_new_fs(fstype, options, attrs, &m);

        if (r < 0)
                return r;
        return dev_attach(m, devfd, name, TARGET_DIRECTORY);
}

int child_mount_dev(LaunchChild *ch)
{
        _cleanup_close_ int devfd = -EBADF, console = -EBADF;
        int r;

        /* The one target in the image: resolved inside its root, refused in procfs/sysfs. devfd,
         * the new mount's own fd, is its root once attached. */
        /* nr_inodes= on each tmpfs: inodes are kernel memory that size= does not count (about
         * 0.8 KiB each), and tmpfs's default, half the host's pages, let empty files take GiBs. */
        r = mount_new_fs("tmpfs", (const char *const[]){ "mode=0755", "size=64k", "nr_inodes=4k", NULL },
                         MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC, &devfd);
        if (r >= 0)
                r = mount_attach_in_root(devfd, ch->rootfd, "/dev", TARGET_DIRECTORY);
        if (r < 0)
                return child_report_error(ch, EXIT_BERTH_FAILED, r, "Failed to mount /dev");
        for (size_t i = 0; i < _HOST_NODE_MAX; i++) {
                r = dev_attach(ch->node_fds[i], devfd, node_names[i] + strlen("/dev/"), TARGET_FILE);
                if (r < 0)
                        return child_report_error(ch, EXIT_BERTH_FAILED, r, "Failed to bind %s",
                                                  node_names[i]);
        }
        r = dev_new_fs(devfd, "pts", "devpts",
                       (const char *const[]){ "newinstance", "ptmxmode=0666", "mode=0620", NULL },
                       MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC);
        if (r < 0)
                return child_report_error(ch, EXIT_BERTH_FAILED, r, "Failed to mount /dev/pts");
        /* Bounded (ShmSize=): unbounded, a tmpfs may take half the host's memory. */
        _cleanup_free_ char *shm_size = NULL;
        if (asprintf(&shm_size, "size=%s", ch->ctx->config->shm_size) < 0)
                return -ENOMEM;
        r = dev_new_fs(devfd, "shm", "tmpfs",
                       (const char *const[]){ "mode=1777", shm_size, "nr_inodes=64k", NULL },
                       MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV);
        if (r < 0)
                return child_report_error(ch, EXIT_BERTH_FAILED, r, "Failed to mount /dev/shm");
        r = dev_new_fs(devfd, "mqueue", "mqueue", NULL,
                       MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
        if (r < 0)
                return child_report_error(ch, EXIT_BERTH_FAILED, r, "Failed to mount /dev/mqueue");

        for (size_t i = 0; i < ELEMENTSOF(dev_links); i++)
                if (symlinkat(dev_links[i].target, devfd, dev_links[i].name) < 0)
                        return child_report_error(ch, EXIT_BERTH_FAILED, negative_errno(),
                                                  "Failed to create /dev/%s", dev_links[i].name);

        if (ch->ctx->options->interactive || ch->ctx->config->boot) {
                r = open_console_pty(ch, &ch->console_fd);
                if (r < 0)
                        return child_report_error(ch, EXIT_BERTH_FAILED, r, "Failed to allocate a pty");
                r = mount_clone(ch->console_fd, "", false, &console);
        } else
                r = child_clone_dev_null(ch, &console);
        if (r >= 0)
                r = dev_attach(console, devfd, "console", TARGET_FILE);
        if (r < 0)
                return child_report_error(ch, EXIT_BERTH_FAILED, r, "Failed to set up /dev/console");
        return 0;
}
