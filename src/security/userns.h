/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* User namespace identity: the container's 64K UID/GID range and how the root is shown with it.
 *
 * Locking (STATE_DIR/uid/): "<base>.lock" is held (flock LOCK_EX) by the container that picked
 * the 64K slot at base; "fixed-<base>-<size>.lock" is held shared by containers with
 * PrivateUsers=BASE[:SIZE]; a flock on the directory serializes allocation so picks avoid fixed
 * ranges in use.
 * Lock files are never removed (removing a flock file races with its next user); the kernel
 * drops the locks when the holder dies, so a SIGKILLed supervisor blocks nothing. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "config.h"

#define USERNS_RANGE_SIZE  0x10000U
#define USERNS_RANGE_FIRST 0x00080000U
#define USERNS_RANGE_LAST  0x6FFF0000U /* last allowed base */

typedef struct UidRange {
        uid_t base;    /* host uid that is root inside; 0 with PrivateUsers=no */
        uint32_t size; /* 0 = no user namespace */
        int lock_fd;   /* holds STATE_DIR/uid/<base>.lock while running, -EBADF if none */
} UidRange;

#define UID_RANGE_NULL ((UidRange){ .lock_fd = -EBADF })

/* Picks (PRIVATE_USERS_PICK: hash of the name first, then the following slots, never
 * overlapping an NSS user or group, a fixed range in use, a range of /etc/subuid or /etc/subgid,
 * or a range systemd-nspawn holds in /run/systemd/nspawn-uid) or validates the range for c, and
 * locks it under state_dir/uid/. -EBUSY: a fixed range overlaps a running container's range;
 * -ENOSPC: no slot. */
int userns_pick_range(const char *state_dir, const ContainerConfig *c, UidRange *ret);
void userns_release_range(UidRange *r);
/* Tests only: where the subuid and subgid files and nspawn's lock directory are (NULL: none). */
void userns_set_foreign_allocations(const char *subuid, const char *subgid, const char *nspawn_dir);

/* The first slot userns_pick_range() tries for name (a stable hash: restarts get the same range). */
uid_t userns_preferred_base(const char *name);

/* Writes /proc/PID/uid_map and gid_map ("0 BASE SIZE"); no-op for size 0. setgroups is left
 * allowed: the mapping is written by a privileged parent, and payloads (su, login) need it. */
int userns_write_maps(pid_t pid, const UidRange *r);

/* Opens an idmapped clone of the mount at dirfd/path (path "" means dirfd itself; open_tree(OPEN_TREE_CLONE)
 * + mount_setattr MOUNT_ATTR_IDMAP with the user namespace of userns_fd); returns the detached mount fd to
 * move_mount() into place. -EOPNOTSUPP when the filesystem refuses idmapping (name it with
 * userns_fs_type()). attrs: more MOUNT_ATTR_* set in the same call (MOUNT_ATTR_NODEV), which also
 * makes the copy private (no propagation to or from the source's peers).
 *
 * Intended use by launch: after userns_write_maps(), the parent (host root, initial user
 * namespace: only it may idmap host mounts) opens /proc/CHILD/ns/user O_CLOEXEC, calls this for
 * the root directory, and passes the mount fd to the child over the sync socket (SCM_RIGHTS);
 * the child move_mount()s it onto its staging root in its own mount namespace and closes it. */
int userns_open_idmapped(int dirfd, const char *path, int userns_fd, bool recursive, unsigned attrs,
                         int *ret_mount_fd);

/* The filesystem type of the mount that holds path ("ext4", "proc"), from mountinfo. */
int userns_fs_type(const char *path, char **ret);
