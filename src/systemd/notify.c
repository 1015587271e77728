/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* sd_notify to the service manager, and relaying the container's own notifications. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <systemd/sd-daemon.h>

#include "log.h"
#include "macro.h"
#include "notify.h"

int notify_manager(const char *state)
{
        int r = sd_notify(0, state);
        return r < 0 ? r : 0;
}

int notify_socket_dir(const char *state_dir, const char *name, char **ret)
{
        return asprintf(ret, "%s/%s/notify", state_dir, name) < 0 ? -ENOMEM : 0;
}

int notify_socket_open(const char *state_dir, const char *name, int *ret_fd)
{
        _cleanup_free_ char *dir = NULL;
        _cleanup_close_ int fd = -EBADF;
        struct sockaddr_un sa = {.sun_family = AF_UNIX};
        int r;

        r = notify_socket_dir(state_dir, name, &dir);
        if (r < 0)
                return r;
        /* Traversable by the container's mapped users; only the socket lives here. */
        if (mkdir(dir, 0755) < 0 && errno != EEXIST)
                return negative_errno();
        if (chmod(dir, 0755) < 0)
                return negative_errno();
        if ((size_t)snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/notify", dir) >= sizeof(sa.sun_path))
                return -ENAMETOOLONG;
        (void)unlink(sa.sun_path); /* left by a supervisor that was killed */

        fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (fd < 0)
                return negative_errno();
        if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
                return negative_errno();
        if (chmod(sa.sun_path, 0777) < 0)
                return negative_errno();
        *ret_fd = TAKE_FD(fd);
        return 0;
}

/* Relays the assignments we act on from one message (newline-separated KEY=VALUE). Of several
 * STATUS= lines only the last is relayed: the manager keeps only the last, and a message full of
 * them must not cost one sd_notify() each. */
static int relay_message(char *buf, NotifyEvents *events)
{
        const char *status = NULL;
        char *save = NULL;
        int r = 0;

        for (char *line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                if (streq(line, "READY=1")) {
                        events->ready = true;
                        r = notify_manager("READY=1");
                } else if (streq(line, "STOPPING=1")) {
                        events->stopping = true;
                        r = notify_manager("STOPPING=1");
                } else if (strneq(line, "STATUS=", 7))
                        status = line;
                if (r < 0)
                        return r;
        }
        return status ? notify_manager(status) : 0;
}

int notify_socket_process(int fd, NotifyEvents *events)
{
        /* The payload writes to this socket as fast as it likes: reading until it is empty could
         * take forever, and the supervisor's signals and output would wait as long. A few per
         * wakeup; poll() says when more are there. */
        for (unsigned i = 0; i < NOTIFY_DATAGRAMS_PER_WAKEUP; i++) {
                char buf[4096];
                ssize_t n = recv(fd, buf, sizeof(buf) - 1, MSG_DONTWAIT);
                if (n < 0) {
                        if (errno == EAGAIN || errno == EINTR)
                                return 0;
                        return negative_errno();
                }
                buf[n] = 0;
                int r = relay_message(buf, events);
                if (r < 0)
                        return r;
        }
        return 1;
}
