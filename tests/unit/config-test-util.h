/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Helpers for the config unit tests: temporary search-path directories and files. */

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "load.h"
#include "strv.h"

/* streq_ptr() for a literal, which clang refuses to compare by address. */
static inline bool str_eq(const char *a, const char *b)
{
        return a && strcmp(a, b) == 0;
}

static inline char *test_tmpdir(void)
{
        char *t = strdup("/tmp/berth-test-config.XXXXXX");
        if (!t || !mkdtemp(t)) {
                perror("mkdtemp");
                exit(99);
        }
        return t;
}

/* Writes len bytes to dir/rel, creating one level of parent directory when needed. */
static inline void test_write_n(const char *dir, const char *rel, const char *data, size_t len)
{
        char path[4096], parent[4096];
        int fd;

        snprintf(path, sizeof(path), "%s/%s", dir, rel);
        snprintf(parent, sizeof(parent), "%s", path);
        *strrchr(parent, '/') = 0;
        (void)mkdir(parent, 0755);
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0 || write(fd, data, len) != (ssize_t)len) {
                perror(path);
                exit(99);
        }
        close(fd);
}

static inline void test_write(const char *dir, const char *rel, const char *text)
{
        test_write_n(dir, rel, text, strlen(text));
}

static inline void test_rm_rf(const char *dir)
{
        char cmd[4200];
        snprintf(cmd, sizeof(cmd), "rm -rf -- '%s'", dir);
        if (system(cmd) != 0)
                fprintf(stderr, "# failed to remove %s\n", dir);
}

/* Loads text as DIR/NAME.container (by path); returns config_load()'s result. */
static inline int test_load_n(const char *dir, const char *name, const char *text, size_t len,
                              ContainerConfig **ret, char ***errors)
{
        char rel[512], path[4096];

        snprintf(rel, sizeof(rel), "%s.container", name);
        snprintf(path, sizeof(path), "%s/%s", dir, rel);
        test_write_n(dir, rel, text, len);
        return config_load(path, ret, errors);
}
