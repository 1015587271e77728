/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* User namespace identity: the container's 64K UID/GID range and how the root is shown with it. */

#include <stdint.h>
#include <sys/types.h>

#include "config.h"

#define USERNS_RANGE_SIZE  0x10000U
#define USERNS_RANGE_FIRST 0x00080000U
#define USERNS_RANGE_LAST  0x6FFF0000U /* last allowed base */

typedef struct UidRange {
        uid_t base;    /* host uid that is root inside; 0 with PrivateUsers=no */
        uint32_t size; /* 0 = no user namespace */
        int lock_fd;   /* holds /run/berth/uid/<base>.lock while running, -EBADF if none */
} UidRange;

#define UID_RANGE_NULL ((UidRange){ .lock_fd = -EBADF })

/* Picks (PRIVATE_USERS_PICK: hash of the name first, then others, never overlapping an NSS user)
 * or validates the range for c, and locks it under state_dir/uid/. */
int userns_pick_range(const char *state_dir, const ContainerConfig *c, UidRange *ret);
void userns_release_range(UidRange *r);

/* Writes /proc/PID/{uid_map,setgroups,gid_map} for the child. */
int userns_write_maps(pid_t pid, const UidRange *r);

/* Opens an idmapped clone of the mount at path (open_tree + mount_setattr MOUNT_ATTR_IDMAP with
 * the user namespace of userns_fd); returns the detached mount fd to move_mount() into place. */
int userns_open_idmapped(const char *path, int userns_fd, bool recursive, int *ret_mount_fd);
