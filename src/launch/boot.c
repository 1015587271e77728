/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Step 5 for Boot=yes and Notify=yes: what an init system expects of its container manager:
 * /run/host/ with container-manager, and a notify socket whose READY=1 the supervisor relays. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "exit-status.h"
#include "launch-context.h"
#include "mount-util.h"

static int write_file_at(int dirfd, const char *name, const char *content)
{
        _cleanup_close_ int fd =
            openat(dirfd, name, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0444);
        size_t n = strlen(content);

        if (fd < 0)
                return negative_errno();
        if (write(fd, content, n) != (ssize_t)n)
                return negative_errno();
        return 0;
}

static int open_notify_socket(LaunchChild *ch, int hostdir)
{
        _cleanup_close_ int fd = -EBADF;
        struct sockaddr_un sa = {.sun_family = AF_UNIX};
        int one = 1, r;

        fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (fd < 0)
                return negative_errno();
        /* Bound through the already-resolved directory, never through a path of the image. */
        snprintf(sa.sun_path, sizeof(sa.sun_path), "/proc/self/fd/%d/notify", hostdir);
        if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
                return negative_errno();
        if (setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &one, sizeof(one)) < 0)
                return negative_errno();
        SyncMessage m = {.type = SYNC_NOTIFY_FD};
        r = sync_send(ch->ctx->child_sync_fd, &m, &fd, 1);
        return r;
}

int child_setup_host_dir(LaunchChild *ch)
{
        const ContainerConfig *c = ch->ctx->config;
        _cleanup_close_ int hostdir = -EBADF;
        int r;

        if (!c->boot && !c->notify_ready)
                return 0;
        r = resolve_in_root(ch->rootfd, LAUNCH_HOST_DIR, true, TARGET_DIRECTORY, &hostdir);
        if (r >= 0) {
                /* O_PATH is enough for a dirfd; reopen as a directory for file creation. */
                _cleanup_close_ int dir = openat(hostdir, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                r = dir < 0 ? negative_errno() : write_file_at(dir, "container-manager", "berth\n");
        }
        if (r < 0)
                return child_report_error(ch, EXIT_BERTH_FAILED, r, "Failed to set up %s", LAUNCH_HOST_DIR);
        r = open_notify_socket(ch, hostdir);
        if (r < 0)
                return child_report_error(ch, EXIT_BERTH_FAILED, r, "Failed to create notify socket");
        return 0;
}
