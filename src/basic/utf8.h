/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* True when s[0..n) is well-formed UTF-8 (no overlong forms, surrogates or code points above
 * U+10FFFF). NUL bytes are valid UTF-8; callers that refuse them check separately. */
bool utf8_is_valid_n(const char *s, size_t n);
