/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The payload's stdout and stderr, relayed line by line to the journal by the supervisor
 * (output.c). */

#include <stdbool.h>
#include <stddef.h>

/* One of the two: stdout or stderr. */
typedef struct OutputRelay {
        int target;        /* STDOUT_FILENO or STDERR_FILENO: the supervisor's journal stream */
        int stream;        /* berth's own journal stream for the payload's lines (identifier: the
                            * container's name); -EBADF: lines go to target */
        bool errors;       /* stderr: every line is <3> (error), stdout's <6> (info), whatever the
                            * payload put at its start */
        int fd;            /* the pipe's read end (non-blocking); -EBADF when not relayed, or at EOF */
        int child_fd;      /* the pipe's write end: the payload's fd 1 or 2 (the parent closes it) */
        bool console;      /* fd is the console's pty master: EIO (no slave open, a vhangup) is not EOF */
        char *buf;         /* OUTPUT_LINE_MAX bytes: what was read of the current line */
        char *identifier;  /* "SYSLOG_IDENTIFIER=NAME" and "OBJECT_SYSTEMD_UNIT=berth-NAME.scope": with */
        char *object;      /* them (under a scope), lines go as native journal entries (output.c) */
        char *object_unit; /* "OBJECT_SYSTEMD_UNIT=" the supervisor's own unit, or NULL */
        size_t len;
} OutputRelay;
/* journald's default LineMax=: a longer line is split there anyway. */
#define OUTPUT_LINE_MAX (48U * 1024U)
/* The most of a payload's line relayed as one line: with "<N>" and "\n", OUTPUT_LINE_MAX bytes. */
#define OUTPUT_LINE_CHUNK (OUTPUT_LINE_MAX - 4U)

/* output.c, for the supervisor: relays what the pipe holds now. Returns > 0 when it relayed
 * something, 0 at EOF (the relay is closed), -EAGAIN when the pipe is empty. */
int output_relay_read(OutputRelay *o);
/* output.c: relays the rest once the payload is gone, including a last line without newline. */
void output_relay_drain(OutputRelay *o);
