/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Allocation of per-container resources (UID ranges, MCS pairs) under STATE_DIR/<kind>/: flock
 * files that the kernel releases when their holder dies, and the stable hash that picks the
 * first candidate so a restart gets the same resource back. */

#include <stdbool.h>
#include <stdint.h>

/* Creates STATE_DIR/kind/ and opens it; with ret_global_lock, also flock()s the directory
 * exclusively (blocking), which serializes allocations that must see each other. */
int alloc_dir_open(const char *state_dir, const char *kind, int *ret_dir_fd, int *ret_global_lock);

/* flock()s dir/name (created 0600) with op (LOCK_EX or LOCK_SH, never blocks); -EBUSY when
 * another holder conflicts. */
int alloc_lock(int dir_fd, const char *name, int op, int *ret_fd);

/* Whether another process holds a lock on dir/name. */
bool alloc_lock_in_use(int dir_fd, const char *name);

/* FNV-1a 64 of s: stable across builds and versions. */
uint64_t alloc_hash(const char *s);
