/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The launch pipeline: a validated ContainerConfig in, a supervised sandbox out. */

#include <stdbool.h>

#include "config.h"

typedef struct LaunchOptions {
        const char *state_dir; /* default /run/berth (BERTH_STATE_DIR overrides) */
        bool register_scope;   /* --register=yes: scope + machined (needs systemd) */
        bool interactive;      /* stdin is a tty: allocate a pty */
} LaunchOptions;

/* Runs the container to completion. Returns the exit status for berth's own exit (payload status,
 * or 125/126/127 from exit-status.h); *ret_error gets a one-line message when berth itself failed. */
int launch_run(const ContainerConfig *c, const LaunchOptions *o, char **ret_error);
