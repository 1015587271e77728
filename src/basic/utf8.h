/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* True when s[0..n) is well-formed UTF-8 (no overlong forms, surrogates or code points above
 * U+10FFFF). NUL bytes are valid UTF-8; callers that refuse them check separately. */
bool utf8_is_valid_n(const char *s, size_t n);

/* Decodes the well-formed UTF-8 sequence at the start of s[0..n): its length in bytes (1-4),
 * with the code point in *ret; -EILSEQ when s does not start with one (n > 0 required). */
int utf8_decode_one(const char *s, size_t n, uint32_t *ret);
