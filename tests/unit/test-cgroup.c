/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Flat-keyed cgroup attributes (memory.events, cgroup.stat): a key's value, and -ENOENT for a
 * missing file or key, on a copy in a temporary directory and on our own cgroup. */
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "cgroup.h"
#include "macro.h"
#include "test.h"

static int write_file(const char *dir, const char *name, const char *content, char **ret)
{
        FILE *f;

        if (asprintf(ret, "%s/%s", dir, name) < 0)
                return -ENOMEM;
        f = fopen(*ret, "we");
        if (!f)
                return negative_errno();
        fputs(content, f);
        return fclose(f) == 0 ? 0 : negative_errno();
}

static void test_fake_files(void)
{
        char tmpl[] = "/tmp/berth-test-cgroup.XXXXXX";
        const char *dir = mkdtemp(tmpl);
        _cleanup_free_ char *events = NULL, *bad = NULL, *missing = NULL, *last = NULL;
        uint64_t v;
        int r;

        CHECK(dir != NULL, "temporary dir created");
        if (!dir)
                return;
        /* As Linux 6.x writes it, oom_group_kill included. */
        CHECK(write_file(dir, "memory.events", "low 0\nhigh 7\nmax 5\noom 3\noom_kill 2\noom_group_kill 0\n",
                         &events) == 0,
              "fake memory.events written");

        r = cgroup_file_read_key_u64(events, "oom_kill", &v);
        CHECK(r == 0 && v == 2, "oom_kill reads 2 (r=%d)", r);
        r = cgroup_file_read_key_u64(events, "oom", &v);
        CHECK(r == 0 && v == 3, "oom reads 3, not a key it is the prefix of (r=%d)", r);
        r = cgroup_file_read_key_u64(events, "max", &v);
        CHECK(r == 0 && v == 5, "a key named max reads its value 5 (r=%d)", r);
        r = cgroup_file_read_key_u64(events, "low", &v);
        CHECK(r == 0 && v == 0, "the first line's key reads 0 (r=%d)", r);

        v = 42;
        r = cgroup_file_read_key_u64(events, "oom_kil", &v);
        CHECK(r == -ENOENT && v == 42, "a prefix of a key is no key: -ENOENT, value untouched (r=%d)", r);
        r = cgroup_file_read_key_u64(events, "sock_throttled", &v);
        CHECK(r == -ENOENT && v == 42, "missing key: -ENOENT (r=%d)", r);

        CHECK(asprintf(&missing, "%s/memory.nosuch", dir) >= 0, "path of a missing file");
        r = cgroup_file_read_key_u64(missing, "oom_kill", &v);
        CHECK(r == -ENOENT && v == 42, "missing file: -ENOENT (r=%d)", r);

        static const char *const malformed[] = {
                "oom_kill 12abc\n",
                "oom_kill -1\n",
                "oom_kill \n",
                "oom_kill  3\n",
                "oom_kill 18446744073709551616\n",
        };
        for (size_t i = 0; i < ELEMENTSOF(malformed); i++) {
                free(bad);
                bad = NULL;
                CHECK(write_file(dir, "memory.events.bad", malformed[i], &bad) == 0, "malformed file %zu",
                      i);
                r = cgroup_file_read_key_u64(bad, "oom_kill", &v);
                CHECK(r == -EBADMSG && v == 42, "malformed value %zu: -EBADMSG, value untouched (r=%d)", i,
                      r);
        }

        CHECK(write_file(dir, "cgroup.stat", "nr_descendants 4\nnr_dying_descendants 18446744073709551615",
                         &last) == 0,
              "file without a final newline written");
        r = cgroup_file_read_key_u64(last, "nr_dying_descendants", &v);
        CHECK(r == 0 && v == UINT64_MAX, "the last line without newline reads, up to UINT64_MAX (r=%d)", r);

        (void)unlink(events);
        (void)unlink(bad);
        (void)unlink(last);
        (void)rmdir(dir);
}

static void test_own_cgroup(void)
{
        _cleanup_free_ char *cgroup = NULL;
        const char *mnt;
        uint64_t v;
        int r;

        if (cgroup_unified_mount(&mnt) < 0 || cgroup_pid_get_path(0, &cgroup) < 0) {
                printf("ok %d # SKIP no unified cgroup hierarchy\n", ++test_n);
                return;
        }
        /* cgroup.stat is in every cgroup, the root included. */
        r = cgroup_read_key_u64(cgroup, "cgroup.stat", "nr_descendants", &v);
        CHECK(r == 0, "our cgroup %s: cgroup.stat nr_descendants reads (r=%d)", cgroup, r);
        r = cgroup_read_key_u64(cgroup, "cgroup.stat", "nr_descendant", &v);
        CHECK(r == -ENOENT, "our cgroup: a missing key is -ENOENT (r=%d)", r);
        r = cgroup_read_key_u64(cgroup, "memory.nosuch", "oom_kill", &v);
        CHECK(r == -ENOENT, "our cgroup: a missing attribute is -ENOENT (r=%d)", r);

        /* Run from the root cgroup (as CI's test runner is), there is no cgroup.events to read. */
        r = cgroup_read_key_u64(cgroup, "cgroup.events", "populated", &v);
        if (streq(cgroup, "/"))
                CHECK(r == -ENOENT, "the root cgroup has no cgroup.events: -ENOENT (r=%d)", r);
        else
                CHECK(r == 0 && v == 1, "our cgroup is populated: we are in it (r=%d)", r);
}

int main(void)
{
        test_fake_files();
        test_own_cgroup();
        return test_done();
}
