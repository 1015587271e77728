/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* berth list with zero and with hundreds of running containers: this process holds the locks
 * and state files of N fake containers (leader = itself) and reads what `berth list` prints.
 * usage: test-list-many PATH-TO-BERTH */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rm-rf.h"
#include "state.h"
#include "test.h"

#define N 300

/* Runs berth list ARGS with BERTH_STATE_DIR=dir; returns its stdout (caller frees). */
static char *run_list(const char *berth, const char *dir, const char *arg)
{
        int p[2];
        char *out = NULL;
        size_t size = 0;
        pid_t pid;

        if (pipe2(p, O_CLOEXEC) < 0)
                return NULL;
        pid = fork();
        if (pid == 0) {
                dup2(p[1], STDOUT_FILENO);
                setenv("BERTH_STATE_DIR", dir, 1);
                execl(berth, berth, "list", arg, (char *)NULL);
                _exit(127);
        }
        close(p[1]);
        FILE *f = open_memstream(&out, &size);
        char buf[4096];
        ssize_t n;
        while ((n = read(p[0], buf, sizeof(buf))) > 0)
                fwrite(buf, 1, (size_t)n, f);
        fclose(f);
        close(p[0]);
        waitpid(pid, NULL, 0);
        return out;
}

static size_t count_lines(const char *s)
{
        size_t n = 0;
        for (; s && *s; s++)
                n += *s == '\n';
        return n;
}

int main(int argc, char **argv)
{
        char tmpl[] = "/tmp/berth-test-list-XXXXXX";
        int locks[N];
        char *out;

        if (argc != 2 || !mkdtemp(tmpl))
                return 2;

        out = run_list(argv[1], tmpl, "--output=text");
        CHECK_STREQ(out, "No containers.\n", "zero containers: one line saying so");
        free(out);
        out = run_list(argv[1], tmpl, "--output=json");
        CHECK_STREQ(out, "[]\n", "zero containers: empty JSON array");
        free(out);

        for (int i = 0; i < N; i++) {
                char name[32];
                snprintf(name, sizeof(name), "c%03d", i);
                RuntimeState s = {
                        .name = name,
                        .supervisor_pid = getpid(),
                        .leader_pid = getpid(),
                        .since_usec = 1700000000000000ULL + (uint64_t)i,
                        .uid_base = 0x80000U + (uid_t)i * 0x10000U,
                        .uid_size = 0x10000U,
                        .root = (char *)"/",
                };
                if (state_lock(tmpl, name, &locks[i]) < 0 || state_write(tmpl, &s) < 0) {
                        CHECK(false, "set up container %s", name);
                        return test_done();
                }
        }

        out = run_list(argv[1], tmpl, "--output=text");
        CHECK(count_lines(out) == 1 + N + 2,
              "%d containers: header, %d rows, blank line, footer (%zu lines)", N, N, count_lines(out));
        CHECK(out && strstr(out, "\n300 containers listed.\n"), "footer counts %d", N);
        CHECK(out && strstr(out, "\nc000 ") && strstr(out, "\nc299 "), "first and last rows present");
        CHECK(out && strstr(out, "c000") < strstr(out, "c150") && strstr(out, "c150") < strstr(out, "c299"),
              "rows sorted by name");
        free(out);

        out = run_list(argv[1], tmpl, "--no-legend");
        CHECK(count_lines(out) == N, "--no-legend: only the %d rows", N);
        free(out);

        out = run_list(argv[1], tmpl, "--output=json");
        size_t objects = 0;
        for (const char *p = out; p && (p = strstr(p, "\"name\":")); p++)
                objects++;
        CHECK(objects == N, "JSON has %d objects (%zu)", N, objects);
        CHECK(out && strstr(out, "\"uid_base\":524288,") && strstr(out, "\"since\":1700000000000299"),
              "JSON numbers are numbers");
        CHECK(out && strstr(out, "\"memory\":null,\"tasks\":null,") && !strstr(out, "\"tasks\":1"),
              "no scope registered: memory and tasks unknown, not the cgroup berth itself runs in");
        free(out);

        for (int i = 0; i < N; i++) {
                char name[32];
                snprintf(name, sizeof(name), "c%03d", i);
                state_remove(tmpl, name);
                close(locks[i]);
        }
        /* Lock files stay after state_remove() (a lock file is never unlinked): the whole tree goes. */
        CHECK(rm_rf_path(tmpl) == 0, "scratch state directory removed");
        return test_done();
}
