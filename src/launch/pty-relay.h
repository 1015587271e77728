/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The terminal relay between berth's caller and a container: the console of an interactive
 * `berth run` and the pty of `berth exec` (its master; the container only ever holds the slave,
 * never the caller's terminal), or, for `berth exec -T` with a terminal on stdio, pipes in its
 * place. While a pty is relayed the caller's terminal is in raw mode, so ^C, ^Z and the rest
 * reach the container's line discipline, and its window size follows the caller's (SIGWINCH). */

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <termios.h>

#define RELAY_CHANNELS_MAX 3
/* What relay_drain() copies at most from each channel once the command is gone: more than the
 * container's side can have buffered (a pipe it sized to pipe-max-size, 1 MiB by default; a pty's
 * buffers, 64 KiB), so the last output is kept whole, and a bound, so that what the command left
 * behind cannot keep berth from returning by writing on. */
#define RELAY_DRAIN_MAX (2U * 1024U * 1024U)

typedef struct RelayChannel {
        int from; /* -1 once at EOF */
        int to;
        bool close_to; /* close `to` at EOF of `from` (a pipe into the container: EOF there) */
        bool output;   /* from the container: drained at the end */
        bool crlf;     /* a terminal's output to a file or pipe: its \r\n line ends as \n */
        bool broken;   /* output whose reader went away (EPIPE): what comes is dropped */
        /* Read from `from`, not yet written to `to`: while there is some, `to` is polled for
         * room instead of `from` for more. Only into the container (its `to` is non-blocking):
         * a container that reads nothing must not block the relay in a write. */
        char pending[4096];
        size_t pending_off, pending_len;
} RelayChannel;

typedef struct Relay {
        RelayChannel channels[RELAY_CHANNELS_MAX];
        size_t n_channels;
        int master; /* the pty master, -1 when none */
        bool raw;
        bool eio_is_hangup; /* a console whose slave is reopened after a vhangup(): EIO is not EOF */
        struct termios saved;
} Relay;

/* A pty: stdin → master, master → stdout; the caller's terminal (stdin) raw while it runs. master
 * < 0: nothing to relay. */
void relay_start_pty(Relay *r, int master);
/* A plain copy from → to (pipes of `berth exec -T`). Not output (into the container): `to` is
 * made non-blocking. */
void relay_add(Relay *r, int from, int to, bool close_to, bool output);
/* A console master copied to a file or pipe (not a terminal): from → to, \r\n as \n. */
void relay_add_console(Relay *r, int from, int to);
/* The caller's window size onto the pty (at start and on SIGWINCH). */
void relay_window_size(Relay *r);
/* Fills p[0..RELAY_CHANNELS_MAX) (fd -1 for a closed channel); returns RELAY_CHANNELS_MAX. */
size_t relay_pollfds(const Relay *r, struct pollfd *p);
/* Copies what the poll said is ready. */
void relay_process(Relay *r, const struct pollfd *p);
/* Copies what the container's side still holds now, without waiting for more, and at most
 * RELAY_DRAIN_MAX bytes of each channel. */
void relay_drain(Relay *r);
/* Whether an output channel's reader went away (EPIPE: `berth exec NAME yes | head`). The writes
 * raise SIGPIPE, which the caller blocks and never acts on: a write into the container whose
 * reader went away raises it too, and is not the command's business. */
bool relay_output_broken(const Relay *r);
/* Restores the caller's terminal; closes the `close_to` ends still open. */
void relay_stop(Relay *r);
