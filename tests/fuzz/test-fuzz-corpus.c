/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Replays every file of the fuzz corpus through the parser (in the unit suite, so CI also runs it
 * under ASan+UBSan): valid-* must load, bad-* must be refused with every error at FILE:LINE, and
 * anything else (edge cases, crash regressions found by the fuzzer) must either load or be
 * refused with a located message. Every accepted config must pass the fuzzer's invariants. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../unit/test.h"
#include "fuzz-config-input.h"
#include "macro.h"

static int read_all(int dirfd, const char *name, uint8_t **ret, size_t *ret_size)
{
        _cleanup_close_ int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
        _cleanup_free_ uint8_t *buf = NULL;
        struct stat st;
        size_t got = 0;

        if (fd < 0 || fstat(fd, &st) < 0)
                return -errno;
        buf = malloc((size_t)st.st_size + 1);
        if (!buf)
                return -ENOMEM;
        while (got < (size_t)st.st_size) {
                ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);
                if (n <= 0)
                        return n < 0 ? -errno : -EIO;
                got += (size_t)n;
        }
        *ret = TAKE_PTR(buf);
        *ret_size = got;
        return 0;
}

static void check_one(const char *dir, int corpus_fd, const char *name)
{
        _cleanup_free_ uint8_t *data = NULL;
        FuzzConfigResult res;
        size_t size = 0;
        int r;

        r = read_all(corpus_fd, name, &data, &size);
        if (r >= 0)
                r = fuzz_config_load(dir, data, size, &res);
        if (r < 0) {
                CHECK(false, "%s: could not be written and loaded: %s", name, strerror(-r));
                return;
        }

        if (strneq(name, "valid-", 6)) {
                CHECK(res.r >= 0 && res.config_returned && res.n_errors == 0, "%s loads without errors",
                      name);
                if (res.r < 0)
                        printf("#   config_load() = %d (%s), %d error lines\n", res.r, strerror(-res.r),
                               res.n_errors);
        } else if (strneq(name, "bad-", 4))
                CHECK(res.r == -EINVAL && !res.config_returned && res.n_errors > 0 &&
                              res.n_errors_located == res.n_errors,
                      "%s is refused (-EINVAL, %d of %d error lines at FILE:LINE)", name,
                      res.n_errors_located, res.n_errors);
        else
                CHECK((res.r >= 0 && res.config_returned && res.n_errors == 0) ||
                              (res.r < 0 && !res.config_returned && res.n_errors > 0 &&
                               (res.r != -EINVAL || res.n_errors_located == res.n_errors)),
                      "%s loads or is refused with located errors (r=%d, %d errors)", name, res.r,
                      res.n_errors);
        if (res.config_returned) {
                CHECK(!res.invariant, "%s: accepted config keeps the invariants", name);
                if (res.invariant)
                        printf("#   broken: %s\n", res.invariant);
        }
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
        return strcmp((*a)->d_name, (*b)->d_name);
}

static int regular(const struct dirent *de)
{
        return de->d_name[0] != '.';
}

int main(int argc, char **argv)
{
        const char *corpus = argc > 1 ? argv[1] : FUZZ_CORPUS_DIR;
        _cleanup_close_ int corpus_fd = open(corpus, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        struct dirent **list = NULL;
        char *dir = NULL;
        int n;

        CHECK(corpus_fd >= 0, "corpus directory %s opens", corpus);
        n = corpus_fd >= 0 ? scandir(corpus, &list, regular, by_name) : -1;
        CHECK(n >= 30, "corpus has at least 30 files (%d)", n);
        CHECK(fuzz_config_setup(&dir) >= 0, "private config directory made");
        if (!dir)
                return test_done();

        for (int i = 0; i < n; i++) {
                check_one(dir, corpus_fd, list[i]->d_name);
                free(list[i]);
        }
        free(list);
        fuzz_config_teardown(dir);
        return test_done();
}
