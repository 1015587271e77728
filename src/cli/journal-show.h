/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* A unit's journal the way journalctl -u shows it (short format), for status and logs. */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

typedef struct JournalShowOptions {
        uint64_t lines; /* last N entries; UINT64_MAX = all */
        bool follow;    /* keep printing new entries until interrupted */
} JournalShowOptions;

/* Entries of unit (its processes' output, and what systemd logged about it). Returns the number
 * of entries printed or -errno. */
int journal_show_unit(const char *unit, const JournalShowOptions *o, FILE *f);
