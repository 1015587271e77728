/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Waiting for systemd jobs: subscribe to the manager's JobRemoved signal before enqueueing, then
 * wait until each job path is removed and turn its result into systemctl-like text. */

#include <systemd/sd-bus.h>

#include "macro.h"

typedef struct JobWait JobWait;

/* Subscribes to the manager's signals on bus and starts collecting JobRemoved. */
int job_wait_new(sd_bus *bus, JobWait **ret);
JobWait *job_wait_free(JobWait *w);
DEFINE_TRIVIAL_CLEANUP_FUNC(JobWait *, job_wait_free);

/* Waits until job_path has been removed (at most timeout_usec, 0 = forever). *ret_result is the
 * job's result string ("done", "failed", "dependency", "canceled", "timeout", "skipped", ...).
 * Returns -ETIME on timeout. */
int job_wait_for(JobWait *w, const char *job_path, uint64_t timeout_usec, char **ret_result);

/* "Job for UNIT failed because ..." in systemctl's words, from the job result and the unit's own
 * Result property. */
int job_result_message(sd_bus *bus, const char *unit, const char *job_result, char **ret);

/* Object path of unit (LoadUnit, so an unloaded unit still has one). */
int unit_object_path(sd_bus *bus, const char *unit, char **ret_path);
