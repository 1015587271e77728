/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "macro.h"
#include "string-util.h"
#include "utf8.h"

size_t string_edit_distance(const char *a, const char *b)
{
        size_t la = strlen(a), lb = strlen(b);
        size_t *row, result;

        if (la > 256 || lb > 256) /* suggestions only matter for short names */
                return SIZE_MAX;
        row = malloc((lb + 1) * sizeof(size_t));
        if (!row)
                return SIZE_MAX;
        for (size_t j = 0; j <= lb; j++)
                row[j] = j;
        for (size_t i = 1; i <= la; i++) {
                size_t diag = row[0];
                row[0] = i;
                for (size_t j = 1; j <= lb; j++) {
                        size_t up = row[j];
                        size_t cost = tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]);
                        size_t best = diag + cost;
                        if (up + 1 < best)
                                best = up + 1;
                        if (row[j - 1] + 1 < best)
                                best = row[j - 1] + 1;
                        row[j] = best;
                        diag = up;
                }
        }
        result = row[lb];
        free(row);
        return result;
}

bool endswith(const char *s, const char *suffix)
{
        size_t ls = strlen(s), lx = strlen(suffix);
        return ls >= lx && streq(s + ls - lx, suffix);
}

bool hostname_is_valid(const char *s)
{
        size_t label = 0, n = 0;

        if (isempty(s))
                return false;
        for (const char *p = s; *p; p++, n++) {
                if (*p == '.') {
                        if (label == 0 || p[-1] == '-')
                                return false;
                        label = 0;
                        continue;
                }
                if (!isalnum((unsigned char)*p) && *p != '-')
                        return false;
                if (*p == '-' && label == 0)
                        return false;
                if (++label > 63)
                        return false;
        }
        return n <= 64 && s[n - 1] != '.' && s[n - 1] != '-';
}

/* Length of the well-formed UTF-8 character at s (at most left bytes), 0 when there is none. */
static size_t utf8_char_length(const unsigned char *s, size_t left)
{
        size_t len = *s < 0x80             ? 1
                     : (*s & 0xE0) == 0xC0 ? 2
                     : (*s & 0xF0) == 0xE0 ? 3
                     : (*s & 0xF8) == 0xF0 ? 4
                                           : 0;

        if (len == 0 || len > left || !utf8_is_valid_n((const char *)s, len))
                return 0;
        return len;
}

char *cescape_length(const char *s, size_t n)
{
        const unsigned char *p = (const unsigned char *)s;
        char *ret, *t;

        /* At most four bytes out ("\xNN") for each byte in. */
        if (n > (SIZE_MAX - 1) / 4)
                return NULL;
        ret = t = malloc(n * 4 + 1);
        if (!ret)
                return NULL;
        for (size_t i = 0; i < n;) {
                size_t len = utf8_char_length(p + i, n - i);
                static const char simple[] = "\a\b\f\n\r\t\v\\";
                static const char names[] = "abfnrtv\\";
                const char *e;

                /* Printable ASCII, or a whole multi-byte character that is not a C1 control
                 * (U+0080..U+009F: "\xc2\x80".."\xc2\x9f"; a terminal may act on U+009B CSI). */
                if (len == 1 && p[i] >= ' ' && p[i] < 0x7F && p[i] != '\\') {
                        *t++ = (char)p[i++];
                        continue;
                }
                if (len > 1 && !(p[i] == 0xC2 && p[i + 1] < 0xA0)) {
                        memcpy(t, p + i, len);
                        t += len;
                        i += len;
                        continue;
                }
                if (p[i] != 0 && (e = strchr(simple, p[i]))) {
                        *t++ = '\\';
                        *t++ = names[e - simple];
                } else {
                        /* A control character, DEL, a C1 control's bytes, a byte that is not UTF-8. */
                        *t++ = '\\';
                        *t++ = 'x';
                        *t++ = "0123456789abcdef"[p[i] >> 4];
                        *t++ = "0123456789abcdef"[p[i] & 0xF];
                }
                i++;
        }
        *t = 0;
        return ret;
}

char *cescape(const char *s)
{
        return cescape_length(s, strlen(s));
}
