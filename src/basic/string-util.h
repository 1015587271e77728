/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* Levenshtein distance, case-insensitive (for "did you mean" suggestions). */
size_t string_edit_distance(const char *a, const char *b);

/* True when s ends with suffix. */
bool endswith(const char *s, const char *suffix);

/* Hostname rules (RFC 1123 labels of letters, digits and '-', dot-separated, at most 64 chars). */
bool hostname_is_valid(const char *s);

/* A copy of s[0..n) safe to print on a terminal, for anything a container made (process names,
 * command lines, log lines, cgroup names): control characters (C0, DEL and the C1 range), a
 * backslash and bytes that are not UTF-8 are escaped as in C and systemd's cescape() ("\n",
 * "\t", "\\", "\x1b"); printable UTF-8 stays as it is. NULL on allocation failure. */
char *cescape_length(const char *s, size_t n);
char *cescape(const char *s);
