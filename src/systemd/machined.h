/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Registration with systemd-machined so machinectl sees berth containers; optional. */

#include <sys/types.h>
#include <systemd/sd-bus.h>

#include "config.h"

/* Registers the container as a machine of class "container", service "berth", with its leader
 * and root directory. Call after scope_register(): machined takes the leader's unit (the scope)
 * as the machine's unit. Returns 0 when registered, -EHOSTDOWN when machined is not available
 * on this bus (the caller goes on silently), another negative errno when machined refused; then
 * *ret_error (when not NULL) gets a sentence for the log: for a name that is taken, the holder's
 * unit, leader and service, and the fix (caller frees). */
int machined_register(sd_bus *bus, const ContainerConfig *c, pid_t leader, const char *root_directory,
                      char **ret_error);
/* Forgets the machine; 0 also when it was never registered or machined is absent. */
int machined_unregister(sd_bus *bus, const char *name);
