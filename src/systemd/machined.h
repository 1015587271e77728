/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Registration with systemd-machined so machinectl sees berth containers; optional. */

#include <systemd/sd-bus.h>
#include <sys/types.h>

#include "config.h"

/* Returns 0 when registered, -ENOENT/-EHOSTDOWN-like errors when machined is absent (caller ignores). */
int machined_register(sd_bus *bus, const ContainerConfig *c, pid_t leader, const char *root_directory);
int machined_unregister(sd_bus *bus, const char *name);
