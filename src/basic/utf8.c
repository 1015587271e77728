/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdint.h>

#include "utf8.h"

int utf8_decode_one(const char *str, size_t n, uint32_t *ret)
{
        const uint8_t *s = (const uint8_t *)str;
        uint32_t cp;
        size_t len;

        if (n == 0)
                return -EILSEQ;
        if (*s < 0x80) {
                *ret = *s;
                return 1;
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
                return -EILSEQ;
        if (n < len)
                return -EILSEQ;
        for (size_t i = 1; i < len; i++) {
                if ((s[i] & 0xC0) != 0x80)
                        return -EILSEQ;
                cp = (cp << 6) | (s[i] & 0x3F);
        }
        if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
            cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
                return -EILSEQ;
        *ret = cp;
        return (int)len;
}

bool utf8_is_valid_n(const char *str, size_t n)
{
        for (size_t i = 0; i < n;) {
                uint32_t cp;
                int l = utf8_decode_one(str + i, n - i, &cp);
                if (l < 0)
                        return false;
                i += (size_t)l;
        }
        return true;
}
