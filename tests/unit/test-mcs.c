/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* MCS pairs: valid, unique among running containers (also when allocated concurrently), stable
 * for a name across restarts, released with the holder. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "selinux.h"
#include "test-concurrent.h"
#include "test.h"

static char state_dir[] = "/tmp/berth-test-mcs.XXXXXX";

static bool pair_valid(const McsPair *p)
{
        return p->c1 < p->c2 && p->c2 < MCS_CATEGORIES && p->lock_fd >= 0;
}

static void test_allocate(void)
{
        McsPair a = MCS_PAIR_NULL, b = MCS_PAIR_NULL, again = MCS_PAIR_NULL, other = MCS_PAIR_NULL;

        CHECK(mcs_allocate(state_dir, "web", &a) == 0 && pair_valid(&a), "web gets c%u,c%u", a.c1, a.c2);
        CHECK(mcs_allocate(state_dir, "web", &b) == 0 && pair_valid(&b) && (a.c1 != b.c1 || a.c2 != b.c2),
              "a second holder of the same first candidate gets another pair c%u,c%u", b.c1, b.c2);
        CHECK(mcs_allocate(state_dir, "db", &other) == 0 && pair_valid(&other) &&
                      (other.c1 != a.c1 || other.c2 != a.c2),
              "another name gets another pair c%u,c%u", other.c1, other.c2);
        unsigned c1 = a.c1, c2 = a.c2;
        mcs_release(&a);
        CHECK(a.lock_fd < 0, "release drops the lock");
        CHECK(mcs_allocate(state_dir, "web", &again) == 0 && again.c1 == c1 && again.c2 == c2,
              "after release the name gets its pair back");
        mcs_release(&b);
        mcs_release(&again);
        mcs_release(&other);
}

static void mcs_race(void *result)
{
        McsPair p = MCS_PAIR_NULL;
        unsigned v[2] = { 0, 0 };
        if (mcs_allocate(state_dir, "race", &p) == 0 && pair_valid(&p))
                v[0] = p.c1, v[1] = p.c2;
        memcpy(result, v, sizeof(v)); /* the child keeps p (and its lock) until released */
}

static bool pair_in(unsigned c1, unsigned c2, unsigned (*pairs)[2], int n)
{
        for (int i = 0; i < n; i++)
                if (pairs[i][0] == c1 && pairs[i][1] == c2)
                        return true;
        return false;
}

/* N children allocate for the same name at once, holding their pairs until all reported. Which
 * child wins which pair is up to the scheduler; what is fixed is the set: a child only steps past
 * a candidate another holder keeps, so together they hold the name's first N candidates. */
static void test_concurrent(void)
{
        enum { N = 12 };
        unsigned pairs[N][2] = {};
        McsPair first = MCS_PAIR_NULL, again[N];
        int n_first = 0, n_again = 0, n_known = 0;

        /* The name's first candidate, learnt before the race and released again. */
        CHECK(mcs_allocate(state_dir, "race", &first) == 0 && pair_valid(&first),
              "the name's first candidate is c%u,c%u", first.c1, first.c2);
        unsigned f1 = first.c1, f2 = first.c2;
        mcs_release(&first);

        bool distinct = true, all = run_concurrently(N, sizeof(pairs[0]), mcs_race, pairs);

        for (int i = 0; i < N; i++)
                all = all && pairs[i][1] != 0;
        for (int i = 0; all && i < N; i++)
                for (int j = i + 1; j < N; j++)
                        distinct = distinct && (pairs[i][0] != pairs[j][0] || pairs[i][1] != pairs[j][1]);
        CHECK(all, "%d concurrent allocations succeeded", N);
        CHECK(all && distinct, "%d concurrent allocations got %d different pairs", N, N);

        for (int i = 0; i < N; i++)
                n_first += pairs[i][0] == f1 && pairs[i][1] == f2;
        CHECK(n_first == 1, "exactly one of the %d children got the first candidate (%d did)", N, n_first);

        /* All children have exited: N allocations now get the same N pairs, first one first. */
        for (int i = 0; i < N; i++) {
                again[i] = MCS_PAIR_NULL;
                if (mcs_allocate(state_dir, "race", &again[i]) == 0 && pair_valid(&again[i])) {
                        n_again++;
                        n_known += pair_in(again[i].c1, again[i].c2, pairs, N);
                }
        }
        CHECK(n_again == N && again[0].c1 == f1 && again[0].c2 == f2,
              "after the holders exited the name gets its first candidate back");
        CHECK(n_known == N, "pairs of exited holders are free again (%d of %d reused)", n_known, N);
        for (int i = 0; i < N; i++)
                mcs_release(&again[i]);
}

/* An explicit SELinuxLabel= pair is held while its container runs: no pick hands it out
 * (issue 13, finding 16); containers given the same label share it; a picked pair cannot be
 * claimed by a label. */
static void test_reserve(void)
{
        McsPair want = MCS_PAIR_NULL, fixed = MCS_PAIR_NULL, fixed2 = MCS_PAIR_NULL, picked = MCS_PAIR_NULL,
                none = MCS_PAIR_NULL, clash = MCS_PAIR_NULL;
        unsigned c1 = 0, c2 = 0;
        char label[128];

        CHECK(mcs_pair_from_label("system_u:system_r:svirt_t:s0:c5,c10", &c1, &c2) == 0 && c1 == 5 &&
                      c2 == 10,
              "the pair of s0:c5,c10 is c5,c10");
        CHECK(mcs_pair_from_label("system_u:system_r:svirt_t:s0:c5", &c1, &c2) == -ENOENT &&
                      mcs_pair_from_label("system_u:system_r:spc_t:s0-s0:c0.c1023", &c1, &c2) == -ENOENT &&
                      mcs_pair_from_label("system_u:system_r:svirt_t:s0:c10,c5", &c1, &c2) == -ENOENT,
              "a single category, a range or a reversed pair is no pair");

        /* The pair name "reserve-me" would pick first, given explicitly to another container. */
        CHECK(mcs_allocate(state_dir, "reserve-me", &want) == 0, "reserve-me's first pick is c%u,c%u",
              want.c1, want.c2);
        c1 = want.c1, c2 = want.c2;
        mcs_release(&want);
        snprintf(label, sizeof(label), "system_u:system_r:svirt_t:s0:c%u,c%u", c1, c2);
        CHECK(mcs_reserve(state_dir, label, &fixed) == 0 && fixed.lock_fd >= 0 && fixed.c1 == c1 &&
                      fixed.c2 == c2,
              "SELinuxLabel=...:s0:c%u,c%u holds its pair", c1, c2);
        CHECK(mcs_reserve(state_dir, label, &fixed2) == 0 && fixed2.lock_fd >= 0,
              "a second container with the same label shares it");
        CHECK(mcs_allocate(state_dir, "reserve-me", &picked) == 0 && (picked.c1 != c1 || picked.c2 != c2),
              "a pick does not hand out the reserved pair (got c%u,c%u)", picked.c1, picked.c2);
        CHECK(mcs_reserve(state_dir, "system_u:system_r:svirt_t:s0:c3", &none) == 0 && none.lock_fd < 0,
              "a label without a pair reserves nothing");
        snprintf(label, sizeof(label), "system_u:system_r:svirt_t:s0:c%u,c%u", picked.c1, picked.c2);
        CHECK(mcs_reserve(state_dir, label, &clash) == -EBUSY,
              "a label cannot take a pair a running pick holds");
        mcs_release(&fixed);
        mcs_release(&fixed2);
        mcs_release(&picked);
        CHECK(mcs_allocate(state_dir, "reserve-me", &picked) == 0 && picked.c1 == c1 && picked.c2 == c2,
              "once the labelled containers are gone, the pick gets its pair back");
        mcs_release(&picked);
}

int main(void)
{
        char cmd[128];

        if (!mkdtemp(state_dir))
                return 1;
        test_allocate();
        test_concurrent();
        test_reserve();
        snprintf(cmd, sizeof(cmd), "rm -rf %s", state_dir);
        (void)!system(cmd);
        return test_done();
}
