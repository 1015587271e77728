/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Races for allocation tests: n forked children run allocate() at once; each writes its
 * result_size-byte answer to a pipe and keeps whatever it allocated (locks) until the parent has
 * read all n answers, so the answers describe n simultaneous holders. */

#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/wait.h>
#include <unistd.h>

#define CONCURRENT_MAX 32

/* results: n * result_size bytes. Returns true when every child answered. */
static inline bool run_concurrently(int n, size_t result_size, void (*allocate)(void *result), void *results)
{
        int answers[2], release[2];
        pid_t pids[CONCURRENT_MAX];
        bool all = true;

        if (n > CONCURRENT_MAX || pipe2(answers, O_CLOEXEC) < 0)
                return false;
        if (pipe2(release, O_CLOEXEC) < 0) {
                close(answers[0]);
                close(answers[1]);
                return false;
        }
        for (int i = 0; i < n; i++) {
                pids[i] = fork();
                if (pids[i] == 0) {
                        char buf[256] = {}, c;
                        close(answers[0]);
                        close(release[1]);
                        allocate(buf);
                        if (write(answers[1], buf, result_size) != (ssize_t)result_size)
                                _exit(1);
                        (void)!read(release[0], &c, 1); /* EOF once the parent has read all */
                        _exit(0);
                }
        }
        close(answers[1]);
        close(release[0]);
        for (int i = 0; i < n; i++)
                if (read(answers[0], (char *)results + i * result_size, result_size) != (ssize_t)result_size)
                        all = false;
        close(release[1]);
        close(answers[0]);
        for (int i = 0; i < n; i++)
                if (pids[i] > 0)
                        waitpid(pids[i], NULL, 0);
        return all;
}
