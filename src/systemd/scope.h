/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The container's transient scope: StartTransientUnit("berth-NAME.scope") with Delegate=yes and
 * the [Resources] limits, bound to the service that runs the supervisor. */

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <systemd/sd-bus.h>

#include "config.h"

/* Sub-cgroup of the delegated scope that holds the payload: cgroup v2 forbids processes in an
 * inner node that delegates controllers, so the container's own tree hangs below this one. */
#define SCOPE_PAYLOAD_CGROUP "payload"

/* Registers pid in berth-NAME.scope and moves it into the scope's SCOPE_PAYLOAD_CGROUP; waits
 * for the job. On a failed job returns -EIO and sets *ret_error to systemd's own text (caller
 * frees); on a refused call returns the bus error and sets *ret_error likewise. *ret_scope gets
 * the unit name. The scope is bound (BindsTo=) to the caller's own unit when it runs in one
 * (berth@NAME.service), so stopping or killing that service stops the scope. The caller is the
 * scope's Controller= and must dispatch bus messages (RequestStop) while it supervises: under a
 * service a stop of the scope becomes a stop of the service (and the scope's stop waits for the
 * service's, Before=), otherwise a SIGTERM queued to the caller itself.
 * Call it while the payload is still held before its own namespaces' setup (clone()d with
 * CLONE_NEWCGROUP, it should unshare its cgroup namespace only after it was moved, or its
 * /proc/self/cgroup will show the path relative to the supervisor's cgroup). */
int scope_register(sd_bus *bus, const ContainerConfig *c, pid_t pid, char **ret_scope, char **ret_error);
/* Delegates the payload's cgroup (SCOPE_PAYLOAD_CGROUP, where scope_register() put pid) to the
 * container's root, uid/gid on the host, so a payload in a user namespace can manage its own
 * cgroup tree (an init with Boot=yes needs to). */
int scope_delegate_payload(pid_t pid, uid_t uid, gid_t gid);
/* Stops the scope (best effort at supervisor exit); does not wait for the job. */
int scope_unregister(sd_bus *bus, const char *scope);

/* "berth-NAME.scope" */
int scope_name(const char *container, char **ret);
/* systemd's AllowedCPUs= bus encoding (byte i/8, bit i%8) of a CPU list like "0-1,3". */
int scope_cpu_list_to_mask(const char *list, uint8_t **ret_mask, size_t *ret_size);
