/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The container's transient scope: StartTransientUnit("berth-NAME.scope") with Delegate=yes and
 * the [Resources] limits, bound to the service that runs the supervisor. */

#include <systemd/sd-bus.h>
#include <sys/types.h>

#include "config.h"

/* Registers pid (and the payload subtree) in berth-NAME.scope; waits for the job. On a failed job
 * returns -EIO and sets *ret_error to systemd's own text (caller frees). */
int scope_register(sd_bus *bus, const ContainerConfig *c, pid_t pid, char **ret_scope, char **ret_error);
/* Stops the scope (best effort at supervisor exit). */
int scope_unregister(sd_bus *bus, const char *scope);
