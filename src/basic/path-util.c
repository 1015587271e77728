/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "macro.h"
#include "path-util.h"

int path_normalize_absolute(const char *p, char **ret)
{
        size_t n = 0;
        char *out;

        if (p[0] != '/')
                return -EINVAL;
        if (strlen(p) >= PATH_MAX)
                return -ENAMETOOLONG;
        out = malloc(strlen(p) + 2);
        if (!out)
                return -ENOMEM;

        while (*p) {
                size_t l;
                p += strspn(p, "/");
                l = strcspn(p, "/");
                if (l == 0)
                        break;
                if (l == 2 && strneq(p, "..", 2)) {
                        free(out);
                        return -EINVAL;
                }
                if (!(l == 1 && p[0] == '.')) {
                        out[n++] = '/';
                        memcpy(out + n, p, l);
                        n += l;
                }
                p += l;
        }
        if (n == 0)
                out[n++] = '/';
        out[n] = 0;
        *ret = out;
        return 0;
}

bool path_is_root(const char *p)
{
        if (*p != '/')
                return false;
        for (; *p; p++)
                if (*p != '/' && !(*p == '.' && (p[1] == '/' || !p[1]) && p[-1] == '/'))
                        return false;
        return true;
}

char *path_join(const char *a, const char *b)
{
        size_t la = strlen(a);
        char *r;

        while (la > 1 && a[la - 1] == '/')
                la--;
        b += strspn(b, "/");
        if (asprintf(&r, "%.*s%s%s", (int)la, a, (la > 0 && a[la - 1] == '/') ? "" : "/", b) < 0)
                return NULL;
        return r;
}

const char *path_basename(const char *p)
{
        const char *s = strrchr(p, '/');
        return s ? s + 1 : p;
}
