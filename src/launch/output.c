/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The payload's stdout and stderr, when they go to the journal: through pipes that the supervisor
 * relays, line by line, to its own journal stream.
 *
 * Inherited directly, the stream would carry the payload's writes, and journald (since systemd
 * 244) attributes each write to the process that made it (SCM_CREDENTIALS): to the cgroup of a
 * live payload, i.e. berth-NAME.scope, but to the unit the stream announced (berth@NAME.service)
 * when the writer has already exited by the time journald reads /proc. Relayed, every line is
 * written by the supervisor, which stays in berth@NAME.service, and journalctl -u berth@NAME
 * shows all of it.
 *
 * The payload's bytes are hostile input: they must not choose their priority (a "<0>" line is an
 * emergency journald walls to every terminal) nor pass for berth's own messages ("<3>berth: ...").
 * So the lines go to a journal stream of berth's own whose identifier is the container's name
 * (SYSLOG_IDENTIFIER=NAME, not berth) and whose priority is berth's, 6 (info) for stdout, 3 (error)
 * for stderr, with no level prefix: a "<N>" of the payload's is text. (Only where that stream
 * cannot be opened do the lines go to the unit's stream, with berth's "<6>" or "<3>" in front.)
 * Without the journal (a terminal, a pipe, a file, --register=no from a shell), stdio is
 * inherited unchanged. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#include "fileio.h"
#include "launch-context.h"
#include "log.h"
#include "sd-lib.h"

static int send_all(int fd, struct iovec *iov, size_t n);

/* A stream to journald whose lines carry SYSLOG_IDENTIFIER=identifier and, when the supervisor runs
 * in a unit, that unit as fallback for journald's attribution (it needs it when the supervisor has
 * exited before journald reads the stream; journald takes it from root only). The protocol of
 * sd_journal_stream_fd(), written here because that function cannot pass the unit: identifier,
 * unit, priority, level_prefix, forward to syslog, kmsg, console, one per line. No level prefix:
 * every line has the stream's priority, and journald reads no "<N>" in the payload's bytes, also
 * where it breaks a line longer than its LineMax= (which the admin may set as low as 79). */
static int journal_stream_open(const char *identifier, int priority, int *ret_fd)
{
        static const struct sockaddr_un sa = { .sun_family = AF_UNIX,
                                               .sun_path = "/run/systemd/journal/stdout" };
        _cleanup_free_ char *unit = NULL, *header = NULL;
        _cleanup_close_ int fd = -EBADF;
        int r;

        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
                return negative_errno();
        if (connect(fd, (const struct sockaddr *)&sa, sizeof(sa)) < 0)
                return negative_errno();
        (void)shutdown(fd, SHUT_RD);
        if (sd_lib_load(NULL, NULL) >= 0) /* else no unit fallback: journald still reads the stream */
                (void)sym_sd_pid_get_unit(0, &unit);
        if (asprintf(&header, "%s\n%s\n%d\n0\n0\n0\n0\n", identifier, strempty(unit), priority) < 0)
                return -ENOMEM;
        r = send_all(fd, &(struct iovec){ .iov_base = header, .iov_len = strlen(header) }, 1);
        if (r < 0)
                return r;
        *ret_fd = TAKE_FD(fd);
        return 0;
}

static int open_relay(OutputRelay *o, int target, const char *name, bool scope)
{
        int pair[2], r;

        *o = (OutputRelay){ .target = target,
                            .stream = -EBADF,
                            .errors = target == STDERR_FILENO,
                            .fd = -EBADF,
                            .child_fd = -EBADF };
        if (!fd_is_journal_stream(target))
                return 0;
        r = journal_stream_open(name, o->errors ? 3 : 6, &o->stream);
        if (r < 0) /* still relayed to the unit's stream, with berth's priorities, as "berth" */
                log_warning_errno(
                        r, "Failed to open a journal stream for container %s, logging as berth: %m", name);
        /* The lines are the container's, and machinectl status NAME shows the journal of the
         * machine's unit, the scope: each line names the scope in OBJECT_SYSTEMD_UNIT=, a field that
         * journalctl -u (and machinectl) matches from a root sender. A stream cannot carry it: such
         * lines go as native entries. journald files them under this process's unit when it can
         * still read it, but not when we have exited before it reads them (journald busy), which a
         * stream survives with its unit fallback: so they name this unit in OBJECT_SYSTEMD_UNIT=
         * too, and journalctl -u berth@NAME finds them either way. */
        if (r >= 0 && scope && sd_lib_load(NULL, NULL) >= 0) {
                _cleanup_free_ char *unit = NULL;

                (void)sym_sd_pid_get_unit(0, &unit);
                if (asprintf(&o->identifier, "SYSLOG_IDENTIFIER=%s", name) < 0 ||
                    asprintf(&o->object, "OBJECT_SYSTEMD_UNIT=berth-%s.scope", name) < 0 ||
                    (unit && asprintf(&o->object_unit, "OBJECT_SYSTEMD_UNIT=%s", unit) < 0))
                        return -ENOMEM;
        }
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

/* Without a console the payload inherits berth's standard input as it is (stdout and stderr go
 * through the relay): never a handle on the host's file tree. Checked before anything is made. */
int launch_check_stdin(LaunchContext *ctx)
{
        int r;

        if (ctx->options->interactive)
                return 0; /* the console pty replaces it */
        r = stdio_check_handoff(STDIN_FILENO);
        if (r < 0) {
                char why[STDIO_REFUSAL_MAX];
                return launch_error(ctx, r, "Refusing to hand the container %s",
                                    stdio_handoff_refusal(STDIN_FILENO, r, why));
        }
        return 0;
}

int launch_open_output(LaunchContext *ctx)
{
        int r;

        if (ctx->options->interactive)
                return 0; /* the console pty is relayed already */
        for (size_t i = 0; i < ELEMENTSOF(ctx->output); i++) {
                r = open_relay(&ctx->output[i], STDOUT_FILENO + (int)i, ctx->config->name,
                               ctx->options->register_scope);
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
                o->stream = safe_close(o->stream);
                free(o->buf);
                o->buf = NULL;
                free(o->identifier);
                o->identifier = NULL;
                free(o->object);
                o->object = NULL;
                free(o->object_unit);
                o->object_unit = NULL;
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

/* sendmsg() rather than writev(): a journald that went away is EPIPE, not SIGPIPE. */
static int send_all(int fd, struct iovec *iov, size_t n)
{
        while (n > 0) {
                struct msghdr mh = { .msg_iov = iov, .msg_iovlen = n };
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

        /* berth's priority first, always: journald parses one prefix, so a "<N>" the payload put at
         * the start of its line is text. */
        if (o->console && n > 0 && p[n - 1] == '\r')
                n--; /* a terminal's line end is \r\n */
        if (o->object) {
                _cleanup_free_ char *message = malloc(strlen("MESSAGE=") + n);

                /* Any byte may be in a line the payload wrote (its newlines were split off);
                 * sd_journal_sendv() sends such a field length-prefixed. No "<N>" parsing here:
                 * the priority is berth's, the line all text. */
                if (message) {
                        struct iovec entry[] = {
                                { .iov_base = message, .iov_len = strlen("MESSAGE=") + n },
                                { .iov_base = (char *)(o->errors ? "PRIORITY=3" : "PRIORITY=6"),
                                  .iov_len = strlen("PRIORITY=3") },
                                { .iov_base = o->identifier, .iov_len = strlen(o->identifier) },
                                { .iov_base = o->object, .iov_len = strlen(o->object) },
                                { .iov_base = o->object_unit, .iov_len = strlen(strempty(o->object_unit)) },
                        };
                        memcpy(message, "MESSAGE=", strlen("MESSAGE="));
                        memcpy(message + strlen("MESSAGE="), p, n);
                        if (sym_sd_journal_sendv(entry, ELEMENTSOF(entry) - !o->object_unit) >= 0)
                                return;
                }
                /* journald refused the entry: the line still goes to the stream */
        }
        /* Our own stream has the priority in its header; the unit's (journald could not give us
         * one) reads a "<N>" in front of every line. */
        if (o->stream < 0)
                iov[k++] = (struct iovec){ .iov_base = (char *)(o->errors ? "<3>" : "<6>"), .iov_len = 3 };
        iov[k++] = (struct iovec){ .iov_base = p, .iov_len = n };
        iov[k++] = (struct iovec){ .iov_base = (char *)"\n", .iov_len = 1 };
        /* nowhere to report a failure: the journal is the report */
        (void)send_all(o->stream >= 0 ? o->stream : o->target, iov, k);
}

/* Where a line of the payload's ends: at a newline or at a NUL, where journald's stream reader
 * ends it too. Passed on inside a line, a NUL would begin a new line for journald, and a "<0>"
 * after it would be read as that line's priority (an emergency, walled to every terminal). */
static char *line_end(char *p, size_t n)
{
        char *nl = memchr(p, '\n', n);
        char *nul = memchr(p, 0, nl ? (size_t)(nl - p) : n);

        return nul ?: nl;
}

/* Emits the complete lines in the buffer; also the incomplete rest when flushing. A line longer
 * than OUTPUT_LINE_CHUNK goes in pieces of that size, so that with berth's "<N>" and the newline
 * each is at most journald's default LineMax=: journald would break a longer one itself, and read
 * the payload's bytes after its break as a new line, "<N>" included. */
static void emit_lines(OutputRelay *o, bool flush)
{
        size_t start = 0;
        char *end;

        for (;;) {
                end = line_end(o->buf + start, o->len - start);
                if (end && (size_t)(end - (o->buf + start)) <= OUTPUT_LINE_CHUNK) {
                        emit_line(o, o->buf + start, (size_t)(end - (o->buf + start)));
                        start = (size_t)(end - o->buf) + 1;
                } else if (o->len - start >= OUTPUT_LINE_CHUNK) {
                        emit_line(o, o->buf + start, OUTPUT_LINE_CHUNK);
                        start += OUTPUT_LINE_CHUNK;
                } else
                        break;
        }
        if (start < o->len && flush) {
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
        if (n < 0 && (errno == EAGAIN || errno == EINTR || (o->console && errno == EIO)))
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

/* The console of a booted container (Boot=yes). Its init closes and reopens /dev/console, and a
 * getty hangs it up (vhangup()): with no slave open the master reads EIO and polls POLLHUP without
 * end. A slave the supervisor holds (O_NOCTTY: never its controlling terminal; never read or
 * written) keeps the master quiet; a vhangup() hangs that up too, so it is reopened then. */
static int console_hold_open(LaunchContext *ctx)
{
        ctx->console_hold_fd = safe_close(ctx->console_hold_fd);
        ctx->console_hold_fd =
                ioctl(ctx->pty_master_fd, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
        return ctx->console_hold_fd < 0 ? negative_errno() : 0;
}

void launch_console_hold(LaunchContext *ctx, short revents)
{
        if (ctx->console_hold_fd >= 0 && (revents & (POLLHUP | POLLERR)))
                (void)console_hold_open(ctx);
}

bool launch_console_to_journal(LaunchContext *ctx)
{
        OutputRelay *o = &ctx->output[0];
        int fd, r;

        if (!ctx->config->boot || ctx->pty_master_fd < 0)
                return false;
        r = console_hold_open(ctx);
        if (r < 0)
                log_warning_errno(r, "Failed to hold the console of container %s open: %m",
                                  ctx->config->name);
        if (ctx->options->interactive || !o->buf)
                return false; /* a terminal, or stdout is not the journal: the bytes as they are */
        fd = fcntl(ctx->pty_master_fd, F_DUPFD_CLOEXEC, 3);
        if (fd < 0 || fcntl(fd, F_SETFL, O_NONBLOCK) < 0) {
                log_warning_errno(negative_errno(), "Failed to relay the console of container %s: %m",
                                  ctx->config->name);
                safe_close(fd);
                return false;
        }
        /* The init has the console as stdout and stderr: the pipes are not used. */
        o->fd = safe_close(o->fd);
        o->fd = fd;
        o->console = true;
        return true;
}
