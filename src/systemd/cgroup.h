/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The unified (v2) cgroup hierarchy as berth sees it: where it is mounted, which cgroup a process
 * is in, and the few attribute files list/status read. */

#include <stdint.h>
#include <sys/types.h>

/* "/sys/fs/cgroup" on a unified host, "/sys/fs/cgroup/unified" on a hybrid one; -ENOMEDIUM without v2. */
int cgroup_unified_mount(const char **ret);
/* The v2 cgroup path of pid ("/machine.slice/berth-web.scope/payload"), relative to our cgroupns. */
int cgroup_pid_get_path(pid_t pid, char **ret);
/* Absolute file system path of cgroup path (+ optional attribute file). */
int cgroup_fs_path(const char *cgroup, const char *attribute, char **ret);
/* Moves pid into the existing cgroup. */
int cgroup_attach(const char *cgroup, pid_t pid);
/* Creates cgroup/sub (mode 0755) and moves pid into it. */
int cgroup_move_to_sub(const char *cgroup, const char *sub, pid_t pid);
/* Reads a single-number attribute ("max" reads as UINT64_MAX). -ENOENT when the controller is off. */
int cgroup_read_u64(const char *cgroup, const char *attribute, uint64_t *ret);
/* Reads the value of key from a flat-keyed attribute ("oom_kill 2" lines, as in memory.events);
 * -ENOENT when the attribute file or the key is missing. */
int cgroup_read_key_u64(const char *cgroup, const char *attribute, const char *key, uint64_t *ret);
/* The same on the file at path (any file of that format, such as a test's copy). */
int cgroup_file_read_key_u64(const char *path, const char *key, uint64_t *ret);
/* The cgroup of pid cut after its component named unit (the scope), or pid's own cgroup when
 * unit is NULL or not among its ancestors. */
int cgroup_pid_get_unit_path(pid_t pid, const char *unit, char **ret);
/* Tasks in the cgroup and all below it: pids.current when the pids controller is on, else the
 * sum of cgroup.threads over the subtree (hybrid hosts have no pids controller in v2). */
int cgroup_count_tasks(const char *cgroup, uint64_t *ret);
/* Hands cgroup over to uid/gid the way cgroups(7) describes delegation: the directory and its
 * cgroup.procs, cgroup.threads and cgroup.subtree_control (plus memory.oom.group and
 * memory.reclaim where they exist), so a container's root can build its own tree below, of at
 * most CGROUP_DELEGATE_DESCENDANTS_MAX cgroups, CGROUP_DELEGATE_DEPTH_MAX deep (cgroup.max.*,
 * which stay root's). A booted Debian makes a few dozen, 5 deep. */
#define CGROUP_DELEGATE_DESCENDANTS_MAX 1024
#define CGROUP_DELEGATE_DEPTH_MAX       32
int cgroup_delegate(const char *cgroup, uid_t uid, gid_t gid);
