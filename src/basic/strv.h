/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* NULL-terminated string vectors, as used for Exec=, Environment= and other list keys. */

#include <stdbool.h>
#include <stddef.h>

#include "macro.h"

char **strv_free(char **l);
static inline void strv_freep(char ***l)
{
        strv_free(*l);
}
#define _cleanup_strv_free_ _cleanup_(strv_freep)

size_t strv_length(char *const *l);
/* Appends s (taking ownership); on failure s is freed. */
int strv_consume(char ***l, char *s);
int strv_extend(char ***l, const char *s);
/* Appends a formatted string; 0 or -ENOMEM (so "strv_extendf(...) ?: -EINVAL" works). */
int strv_extendf(char ***l, const char *fmt, ...) _printf_(2, 3);
char **strv_copy(char *const *l);
bool strv_contains(char *const *l, const char *s);
/* For KEY=VALUE vectors: sets or replaces KEY. */
int strv_env_set(char ***l, const char *assignment);
const char *strv_env_get(char *const *l, const char *key);
/* Sorts l in place by strcmp(). */
void strv_sort(char **l);

#define STRV_FOREACH(s, l) for (char *const *s = (l); s && *s; s++)
