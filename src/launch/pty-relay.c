/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The terminal relay (pty-relay.h), shared by the supervisor of `berth run` and `berth exec`. */
#include <errno.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "macro.h"
#include "pty-relay.h"

void relay_add(Relay *r, int from, int to, bool close_to, bool output)
{
        int flags;

        if (from < 0 || r->n_channels >= RELAY_CHANNELS_MAX)
                return;
        /* Into the container, `to` is ours (the pty master or a pipe we made): non-blocking, so
         * that a reader there that stops reading (or a process left behind holding the other end)
         * cannot keep the relay in a write for ever, deaf to signals and to the command's exit. */
        if (!output && (flags = fcntl(to, F_GETFL)) >= 0)
                (void)fcntl(to, F_SETFL, flags | O_NONBLOCK);
        r->channels[r->n_channels++] =
                (RelayChannel){ .from = from, .to = to, .close_to = close_to, .output = output };
}

void relay_add_console(Relay *r, int from, int to)
{
        relay_add(r, from, to, false, true);
        if (r->n_channels > 0 && r->channels[r->n_channels - 1].from == from)
                r->channels[r->n_channels - 1].crlf = true;
}

/* Drops each \r right before a \n (a \r\n split across two reads keeps its \r). */
static size_t strip_crlf(char *buf, size_t n)
{
        size_t k = 0;

        for (size_t i = 0; i < n; i++)
                if (!(buf[i] == '\r' && i + 1 < n && buf[i + 1] == '\n'))
                        buf[k++] = buf[i];
        return k;
}

void relay_start_pty(Relay *r, int master)
{
        struct termios raw;

        *r = (Relay){ .master = master };
        if (master < 0)
                return;
        relay_add(r, STDIN_FILENO, master, false, false);
        relay_add(r, master, STDOUT_FILENO, false, true);
        if (tcgetattr(STDIN_FILENO, &r->saved) < 0)
                return;
        raw = r->saved;
        cfmakeraw(&raw);
        r->raw = tcsetattr(STDIN_FILENO, TCSANOW, &raw) >= 0;
}

void relay_window_size(Relay *r)
{
        struct winsize ws;

        if (r->master >= 0 && ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) >= 0)
                (void)ioctl(r->master, TIOCSWINSZ, &ws);
}

/* Writes what is pending on c: all of it, or (a non-blocking `to` that is full) what fits, the rest
 * when there is room again. */
static void channel_flush(RelayChannel *c)
{
        while (c->pending_len > 0) {
                ssize_t w = write(c->to, c->pending + c->pending_off, c->pending_len);
                if (w < 0 && errno == EINTR)
                        continue;
                if (w < 0 && errno == EAGAIN)
                        return;
                if (w <= 0) {
                        c->pending_len = 0; /* the reader went away: drop, keep the container going */
                        c->broken = c->broken || (c->output && w < 0 && errno == EPIPE);
                        return;
                }
                c->pending_off += (size_t)w;
                c->pending_len -= (size_t)w;
        }
}

/* Copies one chunk (*ret_read: its size as read); returns false at EOF or error of the source. */
static bool copy_chunk(RelayChannel *c, bool eio_is_hangup, size_t *ret_read)
{
        ssize_t n = read(c->from, c->pending, sizeof(c->pending));

        *ret_read = n > 0 ? (size_t)n : 0;
        if (n <= 0)
                return n < 0 && (errno == EINTR || errno == EAGAIN || (eio_is_hangup && errno == EIO));
        c->pending_off = 0;
        c->pending_len = c->crlf ? strip_crlf(c->pending, (size_t)n) : (size_t)n;
        channel_flush(c);
        return true;
}

static void channel_eof(RelayChannel *c)
{
        c->from = -1; /* EIO from a master once the last slave closed */
        if (c->close_to)
                c->to = safe_close(c->to);
}

size_t relay_pollfds(const Relay *r, struct pollfd *p)
{
        for (size_t i = 0; i < RELAY_CHANNELS_MAX; i++) {
                const RelayChannel *c = i < r->n_channels ? &r->channels[i] : NULL;

                if (c && c->from >= 0 && c->pending_len > 0)
                        p[i] = (struct pollfd){ .fd = c->to, .events = POLLOUT };
                else
                        p[i] = (struct pollfd){ .fd = c ? c->from : -1, .events = POLLIN };
        }
        return RELAY_CHANNELS_MAX;
}

void relay_process(Relay *r, const struct pollfd *p)
{
        for (size_t i = 0; i < r->n_channels; i++) {
                RelayChannel *c = &r->channels[i];
                size_t n;

                if (c->from < 0)
                        continue;
                if (c->pending_len > 0) {
                        if (p[i].fd == c->to && p[i].revents)
                                channel_flush(c);
                        continue;
                }
                if (p[i].fd == c->from && (p[i].revents & (POLLIN | POLLHUP | POLLERR)) &&
                    !copy_chunk(c, r->eio_is_hangup, &n))
                        channel_eof(c);
        }
}

void relay_drain(Relay *r)
{
        for (size_t i = 0; i < r->n_channels; i++) {
                RelayChannel *c = &r->channels[i];
                struct pollfd q = { .fd = c->from, .events = POLLIN };
                size_t left = RELAY_DRAIN_MAX, n;

                if (!c->output || c->from < 0)
                        continue;
                /* At most RELAY_DRAIN_MAX: a process left behind that writes as fast as we read
                 * would keep the pipe full, and us draining (signals blocked) for ever. */
                while (left > 0 && poll(&q, 1, 0) > 0 && (q.revents & POLLIN) && copy_chunk(c, false, &n) &&
                       n > 0) /* nothing read (a non-blocking master's EAGAIN): nothing more now */
                        left -= n < left ? n : left;
        }
}

bool relay_output_broken(const Relay *r)
{
        for (size_t i = 0; i < r->n_channels; i++)
                if (r->channels[i].broken)
                        return true;
        return false;
}

void relay_stop(Relay *r)
{
        if (r->raw)
                (void)tcsetattr(STDIN_FILENO, TCSANOW, &r->saved);
        r->raw = false;
        for (size_t i = 0; i < r->n_channels; i++)
                if (r->channels[i].close_to)
                        r->channels[i].to = safe_close(r->channels[i].to);
}
