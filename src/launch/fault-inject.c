/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Test-only fault injection (tests/integration/hardening-faults.sh): with BERTH_TEST_KILL_AT=STEP
 * in its environment the supervisor SIGKILLs itself right after pipeline step STEP, the way an
 * OOM kill or a crash would, so tests can prove that nothing it leaves behind blocks the next
 * start. With BERTH_TEST_CHILD_PAUSE_AT=POINT the child stops at POINT, inside a step, so a test
 * can kill the supervisor there. Only root can start berth with that environment; without it
 * this does nothing. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "launch-context.h"

void launch_test_kill_at(const char *step)
{
        const char *at = getenv("BERTH_TEST_KILL_AT");

        if (at && streq(at, step))
                (void)raise(SIGKILL);
}

void child_test_pause_at(const char *point)
{
        const char *at = getenv("BERTH_TEST_CHILD_PAUSE_AT");

        if (!at || !streq(at, point))
                return;
        dprintf(STDERR_FILENO, "berth-test: child paused at %s\n", point);
        for (;;) /* until SIGKILL: the supervised signals are blocked here */
                pause();
}
