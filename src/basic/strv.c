/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strv.h"

char **strv_free(char **l)
{
        STRV_FOREACH (s, l)
                free(*s);
        free(l);
        return NULL;
}

size_t strv_length(char *const *l)
{
        size_t n = 0;
        STRV_FOREACH (s, l)
                n++;
        return n;
}

int strv_consume(char ***l, char *s)
{
        if (!s)
                return -ENOMEM;
        size_t n = strv_length(*l);
        char **c = realloc(*l, sizeof(char *) * (n + 2));
        if (!c) {
                free(s);
                return -ENOMEM;
        }
        c[n] = s;
        c[n + 1] = NULL;
        *l = c;
        return 0;
}

int strv_extend(char ***l, const char *s)
{
        return strv_consume(l, strdup(s));
}

char **strv_copy(char *const *l)
{
        char **c = calloc(strv_length(l) + 1, sizeof(char *));
        if (!c)
                return NULL;
        size_t i = 0;
        STRV_FOREACH (s, l) {
                c[i] = strdup(*s);
                if (!c[i])
                        return strv_free(c);
                i++;
        }
        return c;
}

bool strv_contains(char *const *l, const char *s)
{
        STRV_FOREACH (i, l)
                if (streq(*i, s))
                        return true;
        return false;
}

static size_t env_key_len(const char *a)
{
        const char *eq = strchr(a, '=');
        return eq ? (size_t)(eq - a) : strlen(a);
}

int strv_env_set(char ***l, const char *assignment)
{
        size_t k = env_key_len(assignment);
        for (char **s = *l; s && *s; s++)
                if (env_key_len(*s) == k && strneq(*s, assignment, k)) {
                        char *n = strdup(assignment);
                        if (!n)
                                return -ENOMEM;
                        free(*s);
                        *s = n;
                        return 0;
                }
        return strv_extend(l, assignment);
}

const char *strv_env_get(char *const *l, const char *key)
{
        size_t k = strlen(key);
        STRV_FOREACH (s, l)
                if (strneq(*s, key, k) && (*s)[k] == '=')
                        return *s + k + 1;
        return NULL;
}

static int strcmp_ptr(const void *a, const void *b)
{
        return strcmp(*(char *const *)a, *(char *const *)b);
}

void strv_sort(char **l)
{
        if (l)
                qsort(l, strv_length(l), sizeof(char *), strcmp_ptr);
}

int strv_extendf(char ***l, const char *fmt, ...)
{
        va_list ap;
        char *s;
        int r;

        va_start(ap, fmt);
        r = vasprintf(&s, fmt, ap);
        va_end(ap);
        if (r < 0)
                return -ENOMEM;
        return strv_consume(l, s);
}
