/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The parent/child socket: fixed-size messages with optional fds (SCM_RIGHTS). */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sync.h"

#define SYNC_MAX_FDS 16

int sync_send(int fd, const SyncMessage *m, const int *fds, size_t n_fds)
{
        union {
                struct cmsghdr h;
                char buf[CMSG_SPACE(sizeof(int) * SYNC_MAX_FDS)];
        } control = {};
        struct iovec iov = { .iov_base = (void *)m, .iov_len = sizeof(*m) };
        struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };

        if (n_fds > SYNC_MAX_FDS)
                return -E2BIG;
        if (n_fds > 0) {
                mh.msg_control = &control;
                mh.msg_controllen = CMSG_SPACE(sizeof(int) * n_fds);
                struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
                c->cmsg_level = SOL_SOCKET;
                c->cmsg_type = SCM_RIGHTS;
                c->cmsg_len = CMSG_LEN(sizeof(int) * n_fds);
                memcpy(CMSG_DATA(c), fds, sizeof(int) * n_fds);
        }
        if (sendmsg(fd, &mh, MSG_NOSIGNAL) < 0)
                return negative_errno();
        return 0;
}

int sync_recv(int fd, SyncMessage *m, int *ret_fds, size_t max_fds, size_t *ret_n_fds)
{
        union {
                struct cmsghdr h;
                char buf[CMSG_SPACE(sizeof(int) * SYNC_MAX_FDS)];
        } control = {};
        struct iovec iov = { .iov_base = m, .iov_len = sizeof(*m) };
        struct msghdr mh = {
                .msg_iov = &iov, .msg_iovlen = 1, .msg_control = &control, .msg_controllen = sizeof(control)
        };
        size_t n = 0;
        ssize_t k;

        do
                k = recvmsg(fd, &mh, MSG_CMSG_CLOEXEC);
        while (k < 0 && errno == EINTR);
        if (k < 0)
                return negative_errno();
        for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
                if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
                        continue;
                size_t cnt = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
                int *in = (int *)CMSG_DATA(c);
                for (size_t i = 0; i < cnt; i++) {
                        if (n < max_fds)
                                ret_fds[n++] = in[i];
                        else
                                safe_close(in[i]);
                }
        }
        if (ret_n_fds)
                *ret_n_fds = n;
        if (k == 0)
                return 0;
        if ((size_t)k != sizeof(*m) || (mh.msg_flags & MSG_TRUNC)) {
                for (size_t i = 0; i < n; i++)
                        safe_close(ret_fds[i]);
                return -EBADMSG;
        }
        return 1;
}

void sync_interrupt_signals(sigset_t *ret)
{
        sigemptyset(ret);
        sigaddset(ret, SIGINT);
        sigaddset(ret, SIGTERM);
        sigaddset(ret, SIGHUP);
        sigaddset(ret, SIGQUIT);
}

int sync_recv_or_signal(int fd, int sfd, SyncMessage *m, int *ret_fds, size_t max_fds, size_t *ret_n_fds,
                        int *ret_signo)
{
        for (;;) {
                struct pollfd p[2] = { { .fd = fd, .events = POLLIN }, { .fd = sfd, .events = POLLIN } };
                struct signalfd_siginfo ssi;

                if (poll(p, ELEMENTSOF(p), -1) < 0) {
                        if (errno == EINTR)
                                continue;
                        return negative_errno();
                }
                if ((p[1].revents & POLLIN) && read(sfd, &ssi, sizeof(ssi)) == sizeof(ssi)) {
                        *ret_signo = (int)ssi.ssi_signo;
                        return -EINTR;
                }
                if (p[0].revents & (POLLIN | POLLHUP | POLLERR))
                        return sync_recv(fd, m, ret_fds, max_fds, ret_n_fds);
        }
}

int sync_report_errorv(int fd, const char *name, int exit_status, int error, const char *fmt, va_list ap)
{
        SyncMessage m = { .type = SYNC_ERROR, .exit_status = exit_status };
        char what[300];

        vsnprintf(what, sizeof(what), fmt, ap);
        if (error < 0)
                snprintf(m.text, sizeof(m.text), "%s for container %s: %s", what, name, strerror(-error));
        else
                snprintf(m.text, sizeof(m.text), "%s for container %s", what, name);
        (void)sync_send(fd, &m, NULL, 0);
        return exit_status;
}

int sync_arm_parent_death(int fd)
{
        struct pollfd p = { .fd = fd, .events = POLLRDHUP };

        if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
                return negative_errno();
        if (fd < 0)
                return 0;
        /* The parent may have died while the signal was not armed. getppid() cannot tell (the
         * parent is outside our PID namespace: it reads 0 either way); the sync socket can: only
         * the parent holds its other end, so a hang-up means it is gone. */
        if (poll(&p, 1, 0) < 0)
                return negative_errno();
        if (p.revents & (POLLHUP | POLLRDHUP | POLLERR | POLLNVAL))
                return -ESRCH;
        return 0;
}
