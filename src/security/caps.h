/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Capabilities: the default set (policy data: policy/seccomp/capabilities.conf, compiled into
 * caps-default.h) adjusted by Capability=/DropCapability=. */

#include <stdbool.h>
#include <stdint.h>

#include "config.h"

/* Every capability this build and the running kernel know. */
uint64_t caps_all(void);
/* The policy's default set (podman's 11: Docker's 14 less MKNOD, NET_RAW, AUDIT_WRITE). */
uint64_t caps_default_set(void);
/* The set the payload keeps: default | capability_add, minus capability_drop. */
uint64_t caps_effective_set(const ContainerConfig *c);
/* Drops every capability not in keep from the bounding set (needs CAP_SETPCAP). */
int caps_drop_bounding(uint64_t keep);
/* After the uid switch: permitted/effective/inheritable = keep (root) or empty (non-root), ambient cleared.
 */
int caps_apply_final(uint64_t keep, bool payload_is_root);
/* Name <-> number, names as "CAP_SYS_ADMIN" or "sys_admin" (case-insensitive); -EINVAL if unknown. */
int caps_from_name(const char *name);
const char *caps_to_name(int cap);
