/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The container's /30 and its published ports, allocated under STATE_DIR/net/ like UID ranges:
 * flock files the kernel releases when their holder dies. The /30's lock file also holds the
 * recipe that undoes the container's network state (its nft elements, its host link), so the next
 * allocation can collect what a SIGKILLed supervisor left behind. */

#include <stdint.h>

#include "config.h"

typedef struct NetAllocation {
        int dir_fd;         /* STATE_DIR/net */
        int subnet_lock_fd; /* STATE_DIR/net/A.B.C.D.lock, held while the container runs */
        int *port_lock_fds; /* STATE_DIR/net/port-PROTO-N.lock, one per Port= */
        size_t n_port_locks;
        uint32_t subnet; /* network of the /30, host order */
} NetAllocation;

#define NET_ALLOCATION_NULL ((NetAllocation){ .dir_fd = -EBADF, .subnet_lock_fd = -EBADF })

/* Collects leftovers of dead containers, then locks the ports and picks the /30 (Address=, or
 * the pool: the name's hash first, then the next free /30 that overlaps none of the host's
 * networks). On failure *ret_detail (when not NULL) says why in words. */
int net_allocate(const char *state_dir, const ContainerConfig *c, NetAllocation *ret, char **ret_detail);
/* Stores the undo recipe in the /30's lock file: "# link IFNAME" lines and an nft batch. */
int net_allocation_record(NetAllocation *a, const char *ifname, const char *nft_batch);
/* Empties the recipe (undone) and drops every lock. */
void net_allocation_release(NetAllocation *a);
