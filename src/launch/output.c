/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The payload's stdout and stderr, when they go to the journal: through pipes that the supervisor
 * relays, line by line, to its own journal stream.
 *
 * Inherited directly, the stream would carry the payload's writes, and journald (since systemd
 * 244) attributes each write to the process that made it (SCM_CREDENTIALS): to the cgroup of a
 * live payload, i.e. berth-NAME.scope, but to the unit the stream announced (berth@NAME.service)
 * when the writer has already exited by the time journald reads /proc. Relayed, every line is
 * written by the supervisor, which stays in berth@NAME.service, and journalctl -u berth@NAME
 * shows all of it. stderr lines get the <3> (error) prefix that journal streams parse. Without
 * the journal (a terminal, a pipe, a file, --register=no from a shell), stdio is inherited
 * unchanged. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "launch-context.h"
#include "log.h"

static int open_relay(OutputRelay *o, int target)
{
        int pair[2];

        *o = (OutputRelay){
            .target = target, .errors = target == STDERR_FILENO, .fd = -EBADF, .child_fd = -EBADF};
        if (!fd_is_journal_stream(target))
                return 0;
        o->buf = malloc(OUTPUT_LINE_MAX);
        if (!o->buf)
                return -ENOMEM;
        if (pipe2(pair, O_CLOEXEC) < 0)
                return negative_errno();
        o->fd = pair[0];
        o->child_fd = pair[1];
        /* Only the supervisor's end: the payload writes to a blocking pipe, as to any other. */
        if (fcntl(o->fd, F_SETFL, O_NONBLOCK) < 0)
                return negative_errno();
        return 0;
}

int launch_open_output(LaunchContext *ctx)
{
        int r;

        if (ctx->options->interactive)
                return 0; /* the console pty is relayed already */
        for (size_t i = 0; i < ELEMENTSOF(ctx->output); i++) {
                r = open_relay(&ctx->output[i], STDOUT_FILENO + (int)i);
                if (r < 0)
                        return launch_error(ctx, r, "Failed to create the output relay");
        }
        return 0;
}

void launch_close_output(LaunchContext *ctx)
{
        for (size_t i = 0; i < ELEMENTSOF(ctx->output); i++) {
                OutputRelay *o = &ctx->output[i];
                o->fd = safe_close(o->fd);
                o->child_fd = safe_close(o->child_fd);
                free(o->buf);
                o->buf = NULL;
                o->len = 0;
        }
}

int child_take_output(LaunchChild *ch)
{
        for (size_t i = 0; i < ELEMENTSOF(ch->ctx->output); i++) {
                OutputRelay *o = &ch->ctx->output[i];

                if (o->child_fd < 0)
                        continue;
                if (dup2(o->child_fd, o->target) < 0) /* the copy is not O_CLOEXEC */
                        return negative_errno();
        }
        return 0;
}

/* What a journal stream takes as the line's priority: <0> to <7>. */
static bool has_level_prefix(const char *p, size_t n)
{
        return n >= 3 && p[0] == '<' && p[1] >= '0' && p[1] <= '7' && p[2] == '>';
}

/* sendmsg() rather than writev(): a journald that went away is EPIPE, not SIGPIPE. */
static int send_all(int fd, struct iovec *iov, size_t n)
{
        while (n > 0) {
                struct msghdr mh = {.msg_iov = iov, .msg_iovlen = n};
                ssize_t k = sendmsg(fd, &mh, MSG_NOSIGNAL);

                if (k < 0) {
                        if (errno == EINTR)
                                continue;
                        return negative_errno();
                }
                for (; n > 0 && (size_t)k >= iov->iov_len; iov++, n--)
                        k -= (ssize_t)iov->iov_len;
                if (n > 0) {
                        iov->iov_base = (char *)iov->iov_base + k;
                        iov->iov_len -= (size_t)k;
                }
        }
        return 0;
}

static void emit_line(OutputRelay *o, char *p, size_t n)
{
        struct iovec iov[3];
        size_t k = 0;

        /* The payload's own prefix wins, as it would on a stream of its own. */
        if (o->errors && !has_level_prefix(p, n))
                iov[k++] = (struct iovec){.iov_base = (char *)"<3>", .iov_len = 3};
        iov[k++] = (struct iovec){.iov_base = p, .iov_len = n};
        iov[k++] = (struct iovec){.iov_base = (char *)"\n", .iov_len = 1};
        (void)send_all(o->target, iov, k); /* nowhere to report it: the journal is the report */
}

/* Emits the complete lines in the buffer; also the incomplete rest when flushing, or when it
 * fills the buffer. */
static void emit_lines(OutputRelay *o, bool flush)
{
        size_t start = 0;
        char *nl;

        while ((nl = memchr(o->buf + start, '\n', o->len - start))) {
                emit_line(o, o->buf + start, (size_t)(nl - (o->buf + start)));
                start = (size_t)(nl - o->buf) + 1;
        }
        if (start < o->len && (flush || (start == 0 && o->len == OUTPUT_LINE_MAX))) {
                emit_line(o, o->buf + start, o->len - start);
                start = o->len;
        }
        memmove(o->buf, o->buf + start, o->len - start);
        o->len -= start;
}

int output_relay_read(OutputRelay *o)
{
        ssize_t n;

        if (o->fd < 0)
                return 0;
        n = read(o->fd, o->buf + o->len, OUTPUT_LINE_MAX - o->len);
        if (n < 0 && (errno == EAGAIN || errno == EINTR))
                return -EAGAIN;
        if (n <= 0) {
                /* EOF: every writer is gone. (A read error is no better: give up the same way.) */
                emit_lines(o, true);
                o->fd = safe_close(o->fd);
                return 0;
        }
        o->len += (size_t)n;
        emit_lines(o, false);
        return 1;
}

void output_relay_drain(OutputRelay *o)
{
        while (output_relay_read(o) > 0)
                ;
        if (o->fd >= 0) /* a writer outside the payload's PID namespace? Not waiting for it. */
                emit_lines(o, true);
}
