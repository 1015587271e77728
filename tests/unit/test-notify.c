/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The container's notify socket (src/systemd/notify.c): a payload flooding it must not keep the
 * supervisor away from its signals (issue 13, finding 19): one call reads a bounded number of
 * datagrams and says whether more are pending. Nor may it make the service manager do work per
 * datagram (src/systemd/notify-limit.c): a burst goes out at once, beyond it one coalesced message
 * at the bucket's rate, on a clock of the test's. */
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

static uint64_t fake_now = 1000000000;
static uint64_t fake_clock(void)
{
        return fake_now;
}

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
/* A service manager's notify socket ($NOTIFY_SOCKET, bound in a directory of its own) and a
 * socket pair standing in for the container's notify socket (s[0] the payload's end). */
typedef struct Manager {
        char dir[sizeof("/tmp/berth-test-notify.XXXXXX")],
                path[sizeof("/tmp/berth-test-notify.XXXXXX") + 16];
        int m, s[2];
} Manager;

static void manager_open(Manager *mg)
{
        struct sockaddr_un sa = { .sun_family = AF_UNIX };

        snprintf(mg->dir, sizeof(mg->dir), "/tmp/berth-test-notify.XXXXXX");
        if (!mkdtemp(mg->dir) || socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, mg->s) < 0)
                abort();
        snprintf(mg->path, sizeof(mg->path), "%s/notify", mg->dir);
        snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", mg->path);
        mg->m = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (mg->m < 0 || bind(mg->m, (struct sockaddr *)&sa, sizeof(sa)) < 0)
                abort();
        setenv("NOTIFY_SOCKET", mg->path, 1);
}

static void manager_close(Manager *mg)
{
        safe_close(mg->m);
        safe_close(mg->s[0]);
        safe_close(mg->s[1]);
        unlink(mg->path);
        rmdir(mg->dir);
}

static void test_relay(void)
{
        char buf[4096];
        Manager mg;
        NotifyEvents ev = {};
        NotifyLimit limit;
        char want[256];
        int *s, m;
        ssize_t n;

        manager_open(&mg);
        m = mg.m;
        s = mg.s;
        notify_limit_init(&limit, fake_clock);

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
                (void)notify_socket_process(s[0], &limit, &ev);
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
        (void)notify_socket_process(s[0], &limit, &ev);
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
                (void)notify_socket_process(s[0], &limit, &ev);
                n = recv(m, buf, sizeof(buf) - 1, MSG_DONTWAIT);
                buf[n < 0 ? 0 : n] = 0;
                CHECK(n < 0 && !ev.ready, "a datagram of %zu bytes is dropped whole (relayed: \"%.40s\")",
                      sizeof(big), oneline(buf, want, sizeof(want)));
                if (send(s[1], nul, sizeof(nul) - 1, 0) != (ssize_t)sizeof(nul) - 1)
                        abort();
                (void)notify_socket_process(s[0], &limit, &ev);
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
                (void)notify_socket_process(s[0], &limit, &ev);
                n = recv(m, buf, sizeof(buf) - 1, MSG_DONTWAIT);
                buf[n < 0 ? 0 : n] = 0;
                CHECK(n >= 0 && streq(buf, "READY=1"),
                      "with an fd attached: READY=1 relayed, FDSTORE=1 not");
                CHECK(read(p[0], &c, 1) == 0, "the fd sent along is closed once read (its pipe reads EOF)");
                safe_close(p[0]);
        }
        unsetenv("NOTIFY_SOCKET");
        manager_close(&mg);
}

/* The next message the limiter lets go, or "(none)". */
static const char *next_message(NotifyLimit *l, bool force)
{
        static char buf[NOTIFY_MESSAGE_MAX + 1];

        return notify_limit_next(l, force, buf) ? buf : "(none)";
}

static void check_next(NotifyLimit *l, const char *expected, const char *what)
{
        char got[512], want[512];
        const char *m = next_message(l, false);

        CHECK(streq(m, expected), "%s: \"%s\" (got \"%s\")", what, oneline(expected, want, sizeof(want)),
              oneline(m, got, sizeof(got)));
}

/* Sends each line of text as one datagram's lines into l: "|" separates datagrams. */
static void add_datagrams(NotifyLimit *l, const char *text)
{
        char buf[512], *save = NULL;

        snprintf(buf, sizeof(buf), "%s", text);
        for (char *d = strtok_r(buf, "|", &save); d; d = strtok_r(NULL, "|", &save)) {
                unsigned states = 0;
                char *save2 = NULL;

                for (char *line = strtok_r(d, "\n", &save2); line; line = strtok_r(NULL, "\n", &save2))
                        if (streq(line, "READY=1"))
                                states |= NOTIFY_STATE_READY;
                        else if (streq(line, "STOPPING=1"))
                                states |= NOTIFY_STATE_STOPPING;
                        else if (streq(line, "RELOADING=1"))
                                states |= NOTIFY_STATE_RELOADING;
                        else
                                notify_limit_add_line(l, line);
                notify_limit_add_states(l, states);
        }
}

/* What is coalesced beyond the bucket keeps its meaning: the latest STATUS=, WATCHDOG_USEC= and
 * MONOTONIC_USEC=, WATCHDOG=1 once, the states in the order sent, split where one message would
 * read otherwise to systemd. */
static void test_coalesce(void)
{
        NotifyLimit l;
        unsigned sent = 0;
        int t;

        notify_limit_init(&l, fake_clock);
        CHECK(notify_limit_timeout_msec(&l) == -1, "nothing pending: poll() without a timeout");
        for (unsigned i = 0; i < NOTIFY_LIMIT_BURST; i++) {
                add_datagrams(&l, "STATUS=burst");
                sent += streq(next_message(&l, false), "STATUS=burst");
        }
        CHECK(sent == NOTIFY_LIMIT_BURST, "within the burst: each message at once (%u of %u)", sent,
              NOTIFY_LIMIT_BURST);
        add_datagrams(&l, "STATUS=held");
        check_next(&l, "(none)", "beyond the burst: held back");
        t = notify_limit_timeout_msec(&l);
        CHECK(t == 100, "held back: poll() wakes when the bucket has one (100 ms at 10/s; got %d)", t);
        fake_now += 60 * 1000;
        t = notify_limit_timeout_msec(&l);
        check_next(&l, "(none)", "60 ms later: still held back");
        CHECK(t == 40, "60 ms later: 40 ms to go (got %d)", t);

        add_datagrams(&l, "RELOADING=1\nMONOTONIC_USEC=5|STATUS=a\nWATCHDOG=1|WATCHDOG=1|READY=1|"
                          "WATCHDOG_USEC=7|WATCHDOG=1\nSTATUS=b|MAINPID=1");
        fake_now += 40 * 1000;
        CHECK(notify_limit_timeout_msec(&l) == 0, "100 ms later: the pending message may go");
        check_next(&l, "RELOADING=1\nREADY=1\nMONOTONIC_USEC=5\nWATCHDOG=1\nWATCHDOG_USEC=7\nSTATUS=b",
                   "RELOADING=1 then READY=1 coalesced: one message, the latest values, WATCHDOG=1 once");
        CHECK(!notify_limit_pending(&l) && notify_limit_timeout_msec(&l) == -1, "sent: nothing pending");

        add_datagrams(&l, "READY=1|RELOADING=1\nMONOTONIC_USEC=9|STATUS=c");
        fake_now += 100 * 1000;
        check_next(&l, "READY=1", "READY=1 then RELOADING=1: READY=1 first, alone");
        check_next(&l, "(none)", "the rest waits for the bucket");
        fake_now += 100 * 1000;
        check_next(&l, "RELOADING=1\nMONOTONIC_USEC=9\nSTATUS=c",
                   "then RELOADING=1 with its MONOTONIC_USEC=");

        add_datagrams(&l, "READY=1\nRELOADING=1");
        fake_now += 100 * 1000;
        check_next(&l, "RELOADING=1\nREADY=1", "READY=1 with RELOADING=1 in one datagram stays one message");
        add_datagrams(&l, "READY=1\nSTOPPING=1\nRELOADING=1");
        fake_now += 100 * 1000;
        check_next(&l, "STOPPING=1",
                   "STOPPING=1 with others in one datagram: STOPPING=1, as systemd reads it");
        add_datagrams(&l, "RELOADING=1|READY=1|RELOADING=1|READY=1|STATUS=d");
        fake_now += 100 * 1000;
        check_next(&l, "RELOADING=1\nREADY=1\nSTATUS=d",
                   "reload, ready, reload, ready: reload-then-ready once");
        add_datagrams(&l, "READY=1|STOPPING=1|STATUS=e");
        fake_now += 100 * 1000;
        check_next(&l, "READY=1", "READY=1 then STOPPING=1: READY=1 first");
        CHECK(streq(next_message(&l, true), "STOPPING=1\nSTATUS=e"),
              "at the payload's end what is left goes out regardless of the bucket");
        check_next(&l, "(none)", "nothing left");

        /* an empty bucket refills to the burst, no more */
        fake_now += 3600 * 1000000ULL;
        sent = 0;
        for (unsigned i = 0; i < NOTIFY_LIMIT_BURST; i++) {
                add_datagrams(&l, "WATCHDOG=1");
                sent += streq(next_message(&l, false), "WATCHDOG=1");
        }
        CHECK(sent == NOTIFY_LIMIT_BURST, "an hour later: the burst again (%u of %u)", sent,
              NOTIFY_LIMIT_BURST);
        add_datagrams(&l, "WATCHDOG=1");
        check_next(&l, "(none)", "an hour later: not more than the burst");
}

/* Through the socket: a flood of STATUS= gives the manager the burst and, once the bucket allows,
 * the latest STATUS= in one message (before the limiter: one message per datagram). */
static void test_flood_relay(void)
{
        char buf[4096], last[4096] = "";
        Manager mg;
        const unsigned flood = 100;
        NotifyEvents ev = {};
        NotifyLimit limit;
        unsigned got = 0;
        int *s, m, t;
        ssize_t n;

        manager_open(&mg);
        m = mg.m;
        s = mg.s;
        notify_limit_init(&limit, fake_clock);

        for (unsigned i = 1; i <= flood; i++) {
                char msg[32];

                snprintf(msg, sizeof(msg), "STATUS=%u", i);
                send_str(s[1], msg);
                if (i % 16 == 0) /* the socket's queue is short: read as the supervisor would */
                        while (notify_socket_process(s[0], &limit, &ev) > 0)
                                ;
        }
        while (notify_socket_process(s[0], &limit, &ev) > 0)
                ;
        while ((n = recv(m, buf, sizeof(buf) - 1, MSG_DONTWAIT)) >= 0) {
                buf[n] = 0;
                snprintf(last, sizeof(last), "%s", buf);
                got++;
        }
        CHECK(got == NOTIFY_LIMIT_BURST, "%u datagrams at once: the manager got the burst, %u (got %u)",
              flood, NOTIFY_LIMIT_BURST, got);
        CHECK(streq(last, "STATUS=10"), "in order: the burst's last is STATUS=10 (got \"%s\")", last);
        t = notify_limit_timeout_msec(&limit);
        CHECK(t == 100, "the rest is pending, poll() wakes for it in 100 ms (got %d)", t);
        fake_now += 100 * 1000;
        CHECK(notify_relay_flush(&limit, false) == 0, "flushed when the bucket allows");
        n = recv(m, buf, sizeof(buf) - 1, MSG_DONTWAIT);
        buf[n < 0 ? 0 : n] = 0;
        CHECK(n >= 0 && streq(buf, "STATUS=100"), "then one message: the latest STATUS=100 (got \"%s\")",
              buf);
        CHECK(recv(m, buf, sizeof(buf), MSG_DONTWAIT) < 0 && notify_limit_timeout_msec(&limit) == -1,
              "and nothing more: nothing pending");

        /* No manager: nothing is relayed or held back, the payload's READY=1 is seen all the same. */
        unsetenv("NOTIFY_SOCKET");
        fake_now += 3600 * 1000000ULL;
        for (unsigned i = 0; i < 2 * NOTIFY_LIMIT_BURST; i++)
                send_str(s[1], "READY=1\nSTATUS=x");
        ev = (NotifyEvents){};
        while (notify_socket_process(s[0], &limit, &ev) > 0)
                ;
        CHECK(ev.ready && !notify_limit_pending(&limit) && notify_limit_timeout_msec(&limit) == -1,
              "without NOTIFY_SOCKET: READY=1 seen, nothing pending");
        CHECK(recv(m, buf, sizeof(buf), MSG_DONTWAIT) < 0, "without NOTIFY_SOCKET: nothing relayed");

        manager_close(&mg);
}

int main(void)
{
        const unsigned flood = 3 * NOTIFY_DATAGRAMS_PER_WAKEUP + 5;
        NotifyEvents ev = {};
        NotifyLimit limit;
        int s[2], r;

        notify_limit_init(&limit, fake_clock);

        unsetenv("NOTIFY_SOCKET"); /* nothing is relayed: only what is read counts */
        if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, s) < 0)
                abort();
        send_str(s[1], "READY=1");
        for (unsigned i = 1; i < flood; i++)
                send_str(s[1], "STATUS=flood\nSTATUS=flood\nSTATUS=flood");
        r = notify_socket_process(s[0], &limit, &ev);
        CHECK(r == 1, "a flood: one call stops early and says more may be pending (got %d)", r);
        CHECK(ev.ready, "READY=1 in the first datagram was seen");
        CHECK(drain(s[0]) == flood - NOTIFY_DATAGRAMS_PER_WAKEUP, "one call read exactly %u datagrams of %u",
              NOTIFY_DATAGRAMS_PER_WAKEUP, flood);

        send_str(s[1], "STOPPING=1");
        ev = (NotifyEvents){};
        r = notify_socket_process(s[0], &limit, &ev);
        CHECK(r == 0, "a few datagrams: one call reads them all and reports the socket drained");
        CHECK(ev.stopping && !ev.ready, "STOPPING=1 was seen");
        safe_close(s[0]);
        safe_close(s[1]);
        test_relay();
        test_coalesce();
        test_flood_relay();
        return test_done();
}
