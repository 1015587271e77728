/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "extract-word.h"
#include "macro.h"
#include "strv.h"

static int hexval(char c)
{
        if (c >= '0' && c <= '9')
                return c - '0';
        if (c >= 'a' && c <= 'f')
                return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
                return c - 'A' + 10;
        return -1;
}

/* Decodes the escape after a backslash at *p, advancing *p past it. */
static int unescape_one(const char **p, char *ret)
{
        static const char simple[] = "a\ab\bf\fn\nr\rt\tv\v\\\\\"\"''s   ";
        const char *s = *p;

        if (!*s)
                return -EINVAL;
        for (size_t i = 0; simple[i]; i += 2)
                if (*s == simple[i]) {
                        *ret = simple[i + 1];
                        *p = s + 1;
                        return 0;
                }
        if (*s == 'x') {
                int a = hexval(s[1]), b = a >= 0 ? hexval(s[2]) : -1;
                if (a < 0 || b < 0 || (a | b) == 0)
                        return -EINVAL;
                *ret = (char)(a * 16 + b);
                *p = s + 3;
                return 0;
        }
        if (*s >= '0' && *s <= '3' && s[1] >= '0' && s[1] <= '7' && s[2] >= '0' && s[2] <= '7') {
                int v = (s[0] - '0') * 64 + (s[1] - '0') * 8 + (s[2] - '0');
                if (v == 0)
                        return -EINVAL;
                *ret = (char)v;
                *p = s + 3;
                return 0;
        }
        return -EINVAL;
}

int extract_first_word(const char **p, char **ret)
{
        const char *s = *p + strspn(*p, " \t\n\r");
        char quote = 0;
        size_t n = 0;
        _cleanup_free_ char *word = NULL;

        if (!*s) {
                *p = s;
                *ret = NULL;
                return 0;
        }
        word = malloc(strlen(s) + 1); /* the word is never longer than the rest of the input */
        if (!word)
                return -ENOMEM;

        for (; *s;) {
                char c = *s;
                if (!quote && strchr(" \t\n\r", c))
                        break;
                s++;
                if (c == '\\') {
                        int r = unescape_one(&s, &c);
                        if (r < 0)
                                return r;
                        word[n++] = c;
                } else if (quote && c == quote)
                        quote = 0;
                else if (!quote && (c == '"' || c == '\''))
                        quote = c;
                else
                        word[n++] = c;
        }
        if (quote)
                return -EINVAL;
        word[n] = 0;
        *p = s;
        *ret = TAKE_PTR(word);
        return 1;
}

int extract_all_words(const char *s, char ***ret)
{
        _cleanup_strv_free_ char **l = NULL;

        for (;;) {
                char *w;
                int r = extract_first_word(&s, &w);
                if (r < 0)
                        return r;
                if (r == 0)
                        break;
                r = strv_consume(&l, w);
                if (r < 0)
                        return r;
        }
        if (!l) {
                l = calloc(1, sizeof(char *));
                if (!l)
                        return -ENOMEM;
        }
        *ret = TAKE_PTR(l);
        return 0;
}
