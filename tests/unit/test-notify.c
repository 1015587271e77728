/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The container's notify socket (src/systemd/notify.c): a payload flooding it must not keep the
 * supervisor away from its signals (issue 13, finding 19): one call reads a bounded number of
 * datagrams and says whether more are pending. */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "macro.h"
#include "notify.h"
#include "test.h"

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
        CHECK(drain(s[0]) == flood - NOTIFY_DATAGRAMS_PER_WAKEUP,
              "one call read exactly %u datagrams of %u", NOTIFY_DATAGRAMS_PER_WAKEUP, flood);

        send_str(s[1], "STOPPING=1");
        ev = (NotifyEvents){};
        r = notify_socket_process(s[0], &ev);
        CHECK(r == 0, "a few datagrams: one call reads them all and reports the socket drained");
        CHECK(ev.stopping && !ev.ready, "STOPPING=1 was seen");
        safe_close(s[0]);
        safe_close(s[1]);
        return test_done();
}
