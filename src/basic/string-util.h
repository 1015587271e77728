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
