/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "macro.h"
#include "string-util.h"

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
