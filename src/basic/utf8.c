/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdint.h>

#include "utf8.h"

bool utf8_is_valid_n(const char *str, size_t n)
{
        const uint8_t *s = (const uint8_t *)str, *end = s + n;

        while (s < end) {
                uint32_t cp;
                size_t len;

                if (*s < 0x80) {
                        s++;
                        continue;
                } else if ((*s & 0xE0) == 0xC0) {
                        len = 2;
                        cp = *s & 0x1F;
                } else if ((*s & 0xF0) == 0xE0) {
                        len = 3;
                        cp = *s & 0x0F;
                } else if ((*s & 0xF8) == 0xF0) {
                        len = 4;
                        cp = *s & 0x07;
                } else
                        return false;
                if ((size_t)(end - s) < len)
                        return false;
                for (size_t i = 1; i < len; i++) {
                        if ((s[i] & 0xC0) != 0x80)
                                return false;
                        cp = (cp << 6) | (s[i] & 0x3F);
                }
                if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
                    cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
                        return false;
                s += len;
        }
        return true;
}
