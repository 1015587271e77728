/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* A tiny TAP producer for unit tests: each CHECK is one counted test line; main returns
 * test_done(), non-zero when any check failed. Meson runs these with protocol: 'tap'. */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int test_n, test_failed;

/* A test line's description, on that one line: a newline in it (a multi-line value quoted) would
 * start a line TAP does not know. Written as \n. */
__attribute__((format(printf, 1, 2))) static inline void test_print_description(const char *fmt, ...)
{
        char buf[8192];
        va_list ap;

        va_start(ap, fmt);
        vsnprintf(buf, sizeof(buf), fmt, ap);
        va_end(ap);
        for (const char *p = buf; *p; p++)
                if (*p == '\n')
                        fputs("\\n", stdout);
                else
                        putchar(*p);
        putchar('\n');
}

#define CHECK(cond, ...)                                                                                    \
        do {                                                                                                \
                bool _ok = (cond); /* evaluated once */                                                     \
                test_n++;                                                                                   \
                if (_ok)                                                                                    \
                        printf("ok %d - ", test_n);                                                         \
                else {                                                                                      \
                        test_failed++;                                                                      \
                        printf("not ok %d - ", test_n);                                                     \
                }                                                                                           \
                test_print_description(__VA_ARGS__);                                                        \
                if (!_ok)                                                                                   \
                        printf("#   failed: %s at %s:%d\n", #cond, __FILE__, __LINE__);                     \
                fflush(stdout);                                                                             \
        } while (0)

#define CHECK_STREQ(a, b, ...)                                                                              \
        do {                                                                                                \
                const char *_a = (a), *_b = (b);                                                            \
                bool _eq = _a && _b && strcmp(_a, _b) == 0;                                                 \
                CHECK(_eq, __VA_ARGS__);                                                                    \
                if (!_eq)                                                                                   \
                        printf("#   got:      %s\n#   expected: %s\n", _a ? _a : "(null)",                  \
                               _b ? _b : "(null)");                                                         \
        } while (0)

static inline int test_done(void)
{
        printf("1..%d\n", test_n);
        return test_failed ? 1 : 0;
}

/* Entries in the directory dfd, "." and ".." not counted; -1 when it cannot be read. */
static inline int test_count_entries(int dfd)
{
        int fd = openat(dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
        struct dirent *de;
        int n = 0;

        if (!d) {
                if (fd >= 0)
                        close(fd);
                return -1;
        }
        while ((de = readdir(d)))
                if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
                        n++;
        closedir(d);
        return n;
}
