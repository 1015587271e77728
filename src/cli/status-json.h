/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* berth status --output=json: one JSON object per container with stable field names (those of
 * berth list where they overlap), numbers as numbers, null for what is unknown:
 *   name unit state active sub since config dropins root supervisor_pid leader_pid uid_base
 *   uid_size label scope memory oom_kills tasks cgroup
 * since is µs since the epoch, memory bytes, oom_kills the scope's memory.events oom_kill count;
 * state is "running" or "inactive". */

#include <stdbool.h>
#include <stdio.h>

#include "state.h"

typedef struct StatusInfo {
        const char *name;
        const char *unit;
        const char *active; /* the unit's ActiveState, NULL when unknown */
        const char *sub;
        const RuntimeState *state; /* NULL when not running */
        const char *config_path;   /* when not running: the file found, or NULL */
        char **dropins;
        /* When not running (container-state.h): stopped, failed, masked or invalid; why; the
         * error line. NULL when running or unknown. */
        const char *result;
        const char *reason;
        const char *error;
} StatusInfo;

int status_print_json(FILE *f, const StatusInfo *info, bool pretty);
