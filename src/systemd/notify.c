/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* sd_notify to the service manager, and relaying the container's own notifications. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "log.h"
#include "macro.h"
#include "notify.h"
#include "sd-lib.h"
#include "string-util.h"

int notify_manager(const char *state)
{
        _cleanup_free_ char *error = NULL;
        int r;

        if (!getenv("NOTIFY_SOCKET"))
                return 0; /* no service manager listens: libsystemd stays unloaded */
        r = sd_lib_load(&error, "Telling the service manager %s", state);
        if (r < 0)
                return log_warning_errno(r, "%s", strna(error));
        r = sym_sd_notify(0, state);
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
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
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

/* What the payload may tell the service manager through berth: these assignments exactly, and
 * these with a number (MONOTONIC_USEC= goes with RELOADING=1, WATCHDOG_USEC= changes the
 * watchdog timeout). Everything else a container sends (MAINPID=, FDSTORE=, NOTIFYACCESS=, ...)
 * is berth's business or none, and dropped. */
static const char *const relayed_lines[] = { "READY=1", "STOPPING=1", "RELOADING=1", "WATCHDOG=1",
                                             "WATCHDOG=trigger" };
static const char *const relayed_numbers[] = { "MONOTONIC_USEC=", "WATCHDOG_USEC=" };

static bool line_is_relayed(const char *line)
{
        for (size_t i = 0; i < ELEMENTSOF(relayed_lines); i++)
                if (streq(line, relayed_lines[i]))
                        return true;
        for (size_t i = 0; i < ELEMENTSOF(relayed_numbers); i++) {
                size_t n = strlen(relayed_numbers[i]);
                if (strneq(line, relayed_numbers[i], n))
                        return line[n] && strspn(line + n, "0123456789") == strlen(line + n) &&
                               strlen(line + n) <= 20;
        }
        return false;
}

/* Adds the assignments we act on from one message (newline-separated KEY=VALUE) to what goes to the
 * manager (NotifyLimit: at once while its budget lasts, coalesced beyond it). Of several STATUS=
 * lines only the last counts: the manager keeps only the last. Its text is the container's and
 * systemctl status prints it on the admin's terminal as it is: control characters, C1 controls and
 * bytes that are not UTF-8 go escaped (\x1b). limit NULL: nothing listens, only *events. */
static int relay_message(char *buf, NotifyLimit *limit, NotifyEvents *events)
{
        _cleanup_free_ char *status = NULL;
        unsigned states = 0;
        char *save = NULL;

        for (char *line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                if (strneq(line, "STATUS=", 7)) {
                        free(status);
                        status = cescape(line);
                        if (!status)
                                return -ENOMEM;
                        continue;
                }
                if (!line_is_relayed(line))
                        continue;
                if (streq(line, "READY=1")) {
                        events->ready = true;
                        states |= NOTIFY_STATE_READY;
                } else if (streq(line, "STOPPING=1")) {
                        events->stopping = true;
                        states |= NOTIFY_STATE_STOPPING;
                } else if (streq(line, "RELOADING=1")) {
                        events->reloading = true;
                        states |= NOTIFY_STATE_RELOADING;
                } else {
                        if (strneq(line, "WATCHDOG=", 9))
                                events->watchdog = true;
                        if (limit)
                                notify_limit_add_line(limit, line);
                }
        }
        if (!limit)
                return 0;
        notify_limit_add_states(limit, states);
        if (status)
                notify_limit_add_line(limit, status);
        return notify_relay_flush(limit, false);
}

int notify_relay_flush(NotifyLimit *limit, bool force)
{
        char out[NOTIFY_MESSAGE_MAX + 1];
        int r = 0;

        while (notify_limit_next(limit, force, out)) {
                int k = notify_manager(out);
                if (k < 0 && r == 0)
                        r = k;
        }
        return r;
}

int notify_socket_process(int fd, NotifyLimit *limit, NotifyEvents *events)
{
        /* No service manager: nothing is relayed, nothing waits in limit. */
        if (!getenv("NOTIFY_SOCKET"))
                limit = NULL;

        /* The payload writes to this socket as fast as it likes: reading until it is empty could
         * take forever, and the supervisor's signals and output would wait as long. A few per
         * wakeup; poll() says when more are there. */
        for (unsigned i = 0; i < NOTIFY_DATAGRAMS_PER_WAKEUP; i++) {
                char buf[NOTIFY_MESSAGE_MAX + 1];
                /* MSG_TRUNC: n is the datagram's whole length. fds sent along are closed by the
                 * kernel (no control buffer); they never reach us. */
                ssize_t n = recv(fd, buf, sizeof(buf) - 1, MSG_DONTWAIT | MSG_TRUNC);
                if (n < 0) {
                        if (errno == EAGAIN || errno == EINTR)
                                return 0;
                        return negative_errno();
                }
                /* As systemd does: a datagram longer than the buffer, or one with a NUL, is dropped
                 * whole (cut, "WATCHDOG_USEC=10000000" could arrive as "WATCHDOG_USEC=1"). */
                if ((size_t)n > sizeof(buf) - 1 || memchr(buf, 0, (size_t)n))
                        continue;
                buf[n] = 0;
                int r = relay_message(buf, limit, events);
                if (r < 0)
                        return r;
        }
        return 1;
}
