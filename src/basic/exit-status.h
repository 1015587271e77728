/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Exit statuses of the berth binary. `berth run` passes the payload's status through
 * (0..124, 128+N when the payload died of signal N) and reserves 125..127 as docker/podman do,
 * so scripts and systemd's SuccessExitStatus= can tell berth's own failures apart. Other verbs
 * follow LSB/systemctl conventions. */

enum {
        EXIT_OK = 0,
        EXIT_FAILURE_GENERIC = 1, /* the verb failed (e.g. verify found errors) */
        EXIT_USAGE = 2,           /* bad command line */
        EXIT_NOT_RUNNING = 3,     /* status: container is not running (LSB "program is not running") */
        EXIT_NO_SUCH = 4,         /* status/cat: no such container (LSB "unknown") */
        EXIT_ABOVE_THRESHOLD = 5, /* audit: a container scored above --threshold */
        EXIT_BERTH_FAILED = 125,  /* run: berth failed before the payload started (config, setup, perms) */
        EXIT_CANNOT_EXEC = 126,   /* run: Exec= found but not executable */
        EXIT_NOT_FOUND = 127,     /* run: Exec= not found in the container */
};
