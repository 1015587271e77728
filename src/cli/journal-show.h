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

/* Entries of the units (their processes' output, and what systemd logged about them), merged in
 * time order. Returns the number of entries printed or -errno. */
int journal_show_units(char *const *units, const JournalShowOptions *o, FILE *f);

/* A container's units: berth@NAME.service (the supervisor, which relays the payload's output;
 * systemd's messages) and berth-NAME.scope (systemd's messages about the scope the payload runs
 * in: its start and stop, OOM kills). */
int journal_container_units(const char *name, char ***ret);

/* The argument of -n/--lines: a count, or "all" (UINT64_MAX). Logs and returns -EINVAL when bad. */
int journal_parse_lines(const char *s, uint64_t *ret);

/* The MESSAGE of the last entry at priority err or worse that berth wrote in berth@NAME.service
 * (its own errors, the payload's stderr), escaped for the terminal; of its run invocation_id
 * (32 hex digits) unless NULL. -ENOENT when there is none. */
int journal_last_error(const char *name, const char *invocation_id, char **ret);
