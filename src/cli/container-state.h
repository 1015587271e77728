/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once
/* What a container that is not running is, for list --all and status: stopped, failed and why
 * (systemd's view of berth@NAME.service when there is a bus, else the result `berth run`
 * recorded), masked, or invalid with its first config error. */
#include <stdbool.h>
#include <stdint.h>
#include <systemd/sd-bus.h>

typedef struct ContainerState {
        const char *state; /* running, stopped, failed, masked, invalid, unknown (static strings) */
        char *reason;      /* failed: "exit status 1", "Result: signal, status=9/KILL", ...;
                            * invalid: the first error line; else NULL */
        char *error;       /* failed: berth's error line of the failed launch, or NULL */
        uint64_t ended_usec;
        bool guessed; /* "stopped" from neither systemd nor a recorded result */
} ContainerState;

void container_state_done(ContainerState *s);

/* The unit's ActiveState, or NULL without a bus or when not loaded. */
char *container_unit_active_state(sd_bus *bus, const char *name);

/* The unit's InvocationID (the ID of its last run, in the journal as _SYSTEMD_INVOCATION_ID=) as
 * 32 hex digits, or NULL without a bus, when not loaded or when it never ran. */
char *container_unit_invocation_id(sd_bus *bus, const char *name);

/* Fills *ret for a container that is not running according to the state directory (or whose
 * state this user cannot read). bus may be NULL. Returns 0 or -ENOMEM. */
int container_state_describe(sd_bus *bus, const char *state_dir, const char *name, ContainerState *ret);

/* "exit status 1", "killed by signal 9 (KILL)" for berth's exit status. */
char *exit_status_describe(int status);
