/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Colour and paging for the CLI, with systemctl's rules so berth fits the same terminal:
 * colour only when standard output is a terminal (or a pager that berth started for one), TERM
 * is not "dumb", $NO_COLOR is unset and $SYSTEMD_COLORS is not false; a pager ($SYSTEMD_PAGER,
 * then $PAGER, else less or more; "cat" or "" for none) only when standard output is a
 * terminal and --no-pager was not given, with LESS=FRXMK so short output does not wait. */

#include <stdbool.h>

bool colors_enabled(void);

/* Escape sequences, or "" when colour is off. */
const char *ansi_highlight_green(void);
const char *ansi_highlight_red(void);
const char *ansi_highlight(void); /* bold */
const char *ansi_normal(void);

/* Starts the pager and points standard output at it; 1 when one runs, 0 when none is wanted,
 * or -errno. Call pager_close() before the command returns. */
int pager_open(bool no_pager);
/* Flushes standard output and waits for the pager to finish. No-op when none runs. */
void pager_close(void);

/* For _cleanup_: closes the pager when pager_open() returned 1. */
static inline void pager_closep(int *opened)
{
        if (*opened > 0)
                pager_close();
}
