/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Parsers for the value types of unit-file-like configuration: booleans, sizes, percentages,
 * time spans and plain numbers. Each returns 0 or -EINVAL/-ERANGE and leaves *ret untouched on
 * failure. */

#include <stdbool.h>
#include <stdint.h>

#define USEC_PER_SEC  UINT64_C(1000000)
#define USEC_INFINITY UINT64_MAX

/* yes/no/true/false/on/off/1/0, case-insensitive; returns 1 or 0. */
int parse_boolean(const char *s);
/* Decimal (or 0x hex when allow_hex) without sign, whitespace or trailing garbage. */
int parse_uint64(const char *s, bool allow_hex, uint64_t *ret);
/* Bytes with optional K, M, G or T suffix (base 1024), or "infinity" (UINT64_MAX). */
int parse_size(const char *s, uint64_t *ret);
/* "N%" with 0 <= N, up to two decimals; returns hundredths of a percent ("1.5%" -> 150). */
int parse_percent_hundredths(const char *s, uint64_t *ret);
/* "90", "90s", "1min 30s", "1h", "500ms", "infinity"; bare numbers are seconds. */
int parse_time_span(const char *s, uint64_t *ret_usec);
