/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The container's notify socket (src/systemd/notify.c): a payload flooding it must not keep the
 * supervisor away from its signals (issue 13, finding 19): one call reads a bounded number of
 * datagrams and says whether more are pending. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "macro.h"
#include "notify.h"
#include "test.h"

/* A message on one line for a TAP check's name: newlines shown as \\n. */
static const char *oneline(const char *s, char *buf, size_t size)
{
        size_t n = 0;

        for (; *s && n + 3 < size; s++) {
                if (*s == '\n') {
                        buf[n++] = '\\';
                        buf[n++] = 'n';
                } else
                        buf[n++] = *s;
        }
        buf[n] = 0;
        return buf;
}

static void send_str(int fd, const char *s)
{
        if (send(fd, s, strlen(s), 0) != (ssize_t)strlen(s))
                abort();
}

static unsigned drain(int fd)
{
        char buf[4096];
        unsigned n = 0;

        while (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) >= 0)
                n++;
        return n;
}

/* What reaches the service manager (a socket of ours as $NOTIFY_SOCKET) from one datagram the
 * payload sent (issue 21: RELOADING=1 and WATCHDOG=1 were dropped). */
static void test_relay(void)
{
        char dir[] = "/tmp/berth-test-notify.XXXXXX", path[sizeof(dir) + 16], buf[4096];
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        NotifyEvents ev = {};
        char want[256];
        int s[2], m;
        ssize_t n;

        if (!mkdtemp(dir) || socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, s) < 0)
                abort();
        snprintf(path, sizeof(path), "%s/notify", dir);
        snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
        m = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (m < 0 || bind(m, (struct sockaddr *)&sa, sizeof(sa)) < 0)
                abort();
        setenv("NOTIFY_SOCKET", path, 1);

        static const struct {
                const char *sent, *expected;
        } cases[] = {
                { "RELOADING=1\nMONOTONIC_USEC=12345\nSTATUS=reloading",
                  "RELOADING=1\nMONOTONIC_USEC=12345\nSTATUS=reloading" },
                { "WATCHDOG=1", "WATCHDOG=1" },
                { "WATCHDOG=trigger\nWATCHDOG_USEC=5000000", "WATCHDOG=trigger\nWATCHDOG_USEC=5000000" },
                { "READY=1\nMAINPID=1\nFDSTORE=1\nWATCHDOG_USEC=5s\nMONOTONIC_USEC=", "READY=1" },
                { "STATUS=a\nSTOPPING=1\nSTATUS=b", "STOPPING=1\nSTATUS=b" },
                /* the text systemctl status shows the admin: no escape sequence, C1 control or
                 * byte that is not UTF-8 reaches it raw */
                { "STATUS=\033]0;owned\a\033[2J\xc2\x9b"
                  "31m\xff ok \xc3\xa9",
                  "STATUS=\\x1b]0;owned\\a\\x1b[2J\\xc2\\x9b"
                  "31m\\xff ok \xc3\xa9" },
        };
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                char got[256];

                send_str(s[1], cases[i].sent);
                ev = (NotifyEvents){};
                (void)notify_socket_process(s[0], &ev);
                n = recv(m, buf, sizeof(buf) - 1, MSG_DONTWAIT);
                buf[n < 0 ? 0 : n] = 0;
                CHECK(n >= 0 && streq(buf, cases[i].expected), "relayed as one message: \"%s\" (got \"%s\")",
                      oneline(cases[i].expected, want, sizeof(want)), oneline(buf, got, sizeof(got)));
                if (i == 0)
                        CHECK(ev.reloading, "RELOADING=1 was seen");
                if (i == 1)
                        CHECK(ev.watchdog, "WATCHDOG=1 was seen");
        }
        send_str(s[1], "MAINPID=1\nNOTIFYACCESS=all");
        (void)notify_socket_process(s[0], &ev);
        CHECK(recv(m, buf, sizeof(buf), MSG_DONTWAIT) < 0,
              "nothing relayed of a message with nothing to relay");

        /* A datagram longer than NOTIFY_MESSAGE_MAX would be cut anywhere (a number too): dropped
         * whole, as systemd drops it. So is one with a NUL. */
        {
                static char big[NOTIFY_MESSAGE_MAX + 64];
                static const char nul[] = "READY=1\0STOPPING=1";

                memset(big, 'x', sizeof(big));
                memcpy(big, "READY=1\nSTATUS=", strlen("READY=1\nSTATUS="));
                memcpy(big + NOTIFY_MESSAGE_MAX - 20, "\nWATCHDOG_USEC=10000000", 23);
                if (send(s[1], big, sizeof(big), 0) != (ssize_t)sizeof(big))
                        abort();
                ev = (NotifyEvents){};
                (void)notify_socket_process(s[0], &ev);
                n = recv(m, buf, sizeof(buf) - 1, MSG_DONTWAIT);
                buf[n < 0 ? 0 : n] = 0;
                CHECK(n < 0 && !ev.ready, "a datagram of %zu bytes is dropped whole (relayed: \"%.40s\")",
                      sizeof(big), oneline(buf, want, sizeof(want)));
                if (send(s[1], nul, sizeof(nul) - 1, 0) != (ssize_t)sizeof(nul) - 1)
                        abort();
                (void)notify_socket_process(s[0], &ev);
                n = recv(m, buf, sizeof(buf) - 1, MSG_DONTWAIT);
                buf[n < 0 ? 0 : n] = 0;
                CHECK(n < 0 && !ev.ready, "a datagram with a NUL is dropped whole (relayed: \"%s\")",
                      oneline(buf, want, sizeof(want)));
        }
        /* An fd sent along (FDSTORE=1 with SCM_RIGHTS) is neither relayed nor kept: once the
         * message is read, the pipe's write end the payload sent is closed, and its reader sees EOF. */
        {
                char control[CMSG_SPACE(sizeof(int))] = {}, c;
                struct iovec iov = { .iov_base = (char *)"READY=1\nFDSTORE=1", .iov_len = 17 };
                struct msghdr mh = { .msg_iov = &iov,
                                     .msg_iovlen = 1,
                                     .msg_control = control,
                                     .msg_controllen = sizeof(control) };
                struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
                int p[2];

                if (pipe2(p, O_CLOEXEC | O_NONBLOCK) < 0)
                        abort();
                cm->cmsg_level = SOL_SOCKET;
                cm->cmsg_type = SCM_RIGHTS;
                cm->cmsg_len = CMSG_LEN(sizeof(int));
                memcpy(CMSG_DATA(cm), &p[1], sizeof(int));
                if (sendmsg(s[1], &mh, 0) < 0)
                        abort();
                p[1] = safe_close(p[1]); /* the message holds the only other reference */
                ev = (NotifyEvents){};
                (void)notify_socket_process(s[0], &ev);
                n = recv(m, buf, sizeof(buf) - 1, MSG_DONTWAIT);
                buf[n < 0 ? 0 : n] = 0;
                CHECK(n >= 0 && streq(buf, "READY=1"),
                      "with an fd attached: READY=1 relayed, FDSTORE=1 not");
                CHECK(read(p[0], &c, 1) == 0, "the fd sent along is closed once read (its pipe reads EOF)");
                safe_close(p[0]);
        }
        unsetenv("NOTIFY_SOCKET");
        safe_close(m);
        safe_close(s[0]);
        safe_close(s[1]);
        unlink(path);
        rmdir(dir);
}

int main(void)
{
        const unsigned flood = 3 * NOTIFY_DATAGRAMS_PER_WAKEUP + 5;
        NotifyEvents ev = {};
        int s[2], r;

        unsetenv("NOTIFY_SOCKET"); /* nothing is relayed: only what is read counts */
        if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, s) < 0)
                abort();
        send_str(s[1], "READY=1");
        for (unsigned i = 1; i < flood; i++)
                send_str(s[1], "STATUS=flood\nSTATUS=flood\nSTATUS=flood");
        r = notify_socket_process(s[0], &ev);
        CHECK(r == 1, "a flood: one call stops early and says more may be pending (got %d)", r);
        CHECK(ev.ready, "READY=1 in the first datagram was seen");
        CHECK(drain(s[0]) == flood - NOTIFY_DATAGRAMS_PER_WAKEUP, "one call read exactly %u datagrams of %u",
              NOTIFY_DATAGRAMS_PER_WAKEUP, flood);

        send_str(s[1], "STOPPING=1");
        ev = (NotifyEvents){};
        r = notify_socket_process(s[0], &ev);
        CHECK(r == 0, "a few datagrams: one call reads them all and reports the socket drained");
        CHECK(ev.stopping && !ev.ready, "STOPPING=1 was seen");
        safe_close(s[0]);
        safe_close(s[1]);
        test_relay();
        return test_done();
}
