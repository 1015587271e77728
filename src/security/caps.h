/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Capabilities: the default set (policy data in caps-default.h) adjusted by Capability=/DropCapability=. */

#include <stdint.h>

#include "config.h"

/* The set the payload keeps: default | capability_add, minus capability_drop. */
uint64_t caps_effective_set(const ContainerConfig *c);
/* Drops every capability not in keep from the bounding set (needs CAP_SETPCAP). */
int caps_drop_bounding(uint64_t keep);
/* After the uid switch: permitted/effective/inheritable = keep (root) or empty (non-root), ambient cleared. */
int caps_apply_final(uint64_t keep, bool payload_is_root);
/* Name <-> number, names as "CAP_SYS_ADMIN" or "sys_admin" (case-insensitive). */
int caps_from_name(const char *name);
const char *caps_to_name(int cap);
