/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Running state: the lock decides whether a state file is believed. */
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rm-rf.h"
#include "state.h"
#include "strv.h"
#include "test.h"

int main(void)
{
        char tmpl[] = "/tmp/berth-test-state.XXXXXX";
        const char *dir = mkdtemp(tmpl);
        RuntimeState s = { .name = (char *)"web",
                           .supervisor_pid = 10,
                           .leader_pid = 11,
                           .since_usec = 42,
                           .uid_base = 0x80000,
                           .uid_size = 65536,
                           .label = (char *)"a:b:c:s0:c1,c2",
                           .root = (char *)"/var/lib/berth/web" };
        RuntimeState got = {};
        char **names = NULL;
        int fd = -1, fd2 = -1, r;

        CHECK(dir != NULL, "temporary state dir created");
        CHECK(state_read(dir, "web", &got) == -ESRCH, "a container never started reads as not running");
        CHECK(state_lock(dir, "web", &fd) == 0, "first lock of web succeeds");
        CHECK(state_lock(dir, "web", &fd2) == -EBUSY, "second lock of web fails with EBUSY");

        /* flock is per open file description: a child process must see the lock as held. */
        pid_t pid = fork();
        if (pid == 0) {
                int f = -1;
                _exit(state_lock(dir, "web", &f) == -EBUSY ? 0 : 1);
        }
        int st;
        waitpid(pid, &st, 0);
        CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "another process cannot take a held lock");

        CHECK(state_read(dir, "web", &got) == -ESRCH, "locked but no state file yet reads as not running");
        CHECK(state_write(dir, &s) == 0, "state written");
        r = state_read(dir, "web", &got);
        CHECK(r == 0, "state read back while locked (r=%d)", r);
        CHECK(got.leader_pid == 11 && got.uid_base == 0x80000 && got.since_usec == 42, "numbers round-trip");
        CHECK_STREQ(got.label, "a:b:c:s0:c1,c2", "label round-trips");
        CHECK(got.scope == NULL, "empty scope reads back as NULL");
        runtime_state_done(&got);

        CHECK(state_list(dir, &names) == 0 && strv_length(names) == 1 && streq(names[0], "web"),
              "list shows the locked container");
        names = strv_free(names);

        close(fd);
        CHECK(state_read(dir, "web", &got) == -ESRCH, "after the lock is released the state is not trusted");
        CHECK(state_list(dir, &names) == 0 && strv_length(names) == 0, "list is empty without a lock");
        CHECK(state_remove(dir, "web") == 0, "state removed");

        /* How the last run ended (list --all, status): a multi-line error is kept on one line. */
        RunResult res = {};
        CHECK(state_read_result(dir, "web", &res) == -ENOENT, "no result before a run ended");
        CHECK(state_write_result(dir, "web",
                                 &(RunResult){ .exit_status = 137,
                                               .ended_usec = 77,
                                               .error = (char *)"Failed\nFAKE=1" }) == 0,
              "result written");
        CHECK(state_read_result(dir, "web", &res) == 0, "result read back");
        CHECK(res.exit_status == 137 && res.ended_usec == 77, "exit status and end time round-trip");
        CHECK_STREQ(res.error, "Failed FAKE=1", "the error line stays one line (no injected key)");
        run_result_done(&res);
        CHECK(state_write_result(dir, "web", &(RunResult){ .exit_status = 0 }) == 0 &&
                      state_read_result(dir, "web", &res) == 0 && res.exit_status == 0 && !res.error,
              "a clean end replaces it, without an error line");
        run_result_done(&res);
        {
                char p[256];
                snprintf(p, sizeof(p), "%s/web/result", dir);
                (void)unlink(p);
        }

        /* Every field of the state file round-trips (the reader is a table of them). */
        {
                RuntimeState full = { .name = (char *)"full",
                                      .supervisor_pid = 21,
                                      .leader_pid = 22,
                                      .since_usec = UINT64_C(1765000000000000),
                                      .uid_base = 0x6FFF0000,
                                      .uid_size = 65536,
                                      .label = (char *)"l",
                                      .root = (char *)"/r",
                                      .scope = (char *)"berth-full.scope",
                                      .config_path = (char *)"/etc/berth/full.container",
                                      .address = (char *)"10.213.0.2/30",
                                      .address6 = (char *)"fd00::2/64",
                                      .interface = (char *)"bt-full",
                                      .ports = (char *)"tcp:8080:80",
                                      .forward_blocked = (char *)"inet filter",
                                      .host_access = 1,
                                      .link_local_access = 1 };
                int lfd = -1;

                CHECK(state_lock(dir, "full", &lfd) == 0 && state_write(dir, &full) == 0 &&
                              state_read(dir, "full", &got) == 0,
                      "a state with every field written and read back");
                CHECK(got.supervisor_pid == 21 && got.leader_pid == 22 &&
                              got.since_usec == full.since_usec && got.uid_base == 0x6FFF0000 &&
                              got.uid_size == 65536 && got.host_access == 1 && got.link_local_access == 1,
                      "the numbers round-trip");
                CHECK(streq_ptr(got.name, "full") && streq_ptr(got.label, "l") &&
                              streq_ptr(got.root, "/r") && streq_ptr(got.scope, full.scope) &&
                              streq_ptr(got.config_path, full.config_path) &&
                              streq_ptr(got.address, full.address) &&
                              streq_ptr(got.address6, full.address6) &&
                              streq_ptr(got.interface, full.interface) && streq_ptr(got.ports, full.ports) &&
                              streq_ptr(got.forward_blocked, full.forward_blocked),
                      "the strings round-trip");
                runtime_state_done(&got);
                close(lfd);
        }

        /* A symlink planted at the temporary names the old writers used (.state.tmp, .result.tmp)
         * or at the file's own name is never written through: the target stays uncreated. */
        {
                char p[256], victim[256];
                struct stat vs;
                int lfd = -1;

                snprintf(victim, sizeof(victim), "%s/victim", dir);
                CHECK(state_lock(dir, "evil", &lfd) == 0, "lock of evil taken");
                snprintf(p, sizeof(p), "%s/evil/.state.tmp", dir);
                CHECK(symlink(victim, p) == 0, "symlink planted at evil/.state.tmp");
                snprintf(p, sizeof(p), "%s/evil/.result.tmp", dir);
                CHECK(symlink(victim, p) == 0, "symlink planted at evil/.result.tmp");
                snprintf(p, sizeof(p), "%s/evil/result", dir);
                CHECK(symlink(victim, p) == 0, "symlink planted at evil/result");
                s.name = (char *)"evil";
                CHECK(state_write(dir, &s) == 0, "state of evil written");
                CHECK(state_write_result(dir, "evil", &(RunResult){ .exit_status = 3 }) == 0,
                      "result of evil written");
                CHECK(lstat(victim, &vs) < 0 && errno == ENOENT,
                      "no file appeared where the symlinks point");
                CHECK(lstat(p, &vs) == 0 && S_ISREG(vs.st_mode), "evil/result is a regular file now");
                CHECK(state_read_result(dir, "evil", &res) == 0 && res.exit_status == 3,
                      "the result reads back");
                run_result_done(&res);
                close(lfd);
        }

        /* Lock files stay after state_remove() (a lock file is never unlinked): the whole tree goes. */
        CHECK(rm_rf_path(dir) == 0, "scratch state directory removed");
        return test_done();
}
