/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The container's /30 and its published ports, allocated under STATE_DIR/net/ like UID ranges:
 * flock files the kernel releases when their holder dies. The /30's lock file also holds the
 * recipe that undoes the container's network state (its nft elements, its host link), so the next
 * allocation can collect what a SIGKILLed supervisor left behind. */

#include <stdbool.h>
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

/* A 0/1 sysctl file: 1 when its value is not "0", 0 when it is, or -errno. */
int net_sysctl_read_flag(const char *path);
/* Writes value to a sysctl file; -errno on failure. */
int net_sysctl_write(const char *path, const char *value);

/* net.ipv4.ip_forward, a host-wide switch. berth turns it on only for a container that needs it,
 * and records in STATE_DIR/net/ip_forward that it did; when the last container with
 * VirtualEthernet= is gone, the value found is restored. Both under STATE_DIR/net's allocation
 * lock, so a start (which holds its /30 lock before it enables) never loses forwarding to a
 * concurrent stop. A forwarding that was on already (the administrator's) is never turned off. */
#define NET_IP_FORWARD     "/proc/sys/net/ipv4/ip_forward"
#define NET_FORWARD_RECORD "ip_forward"
int net_forward_enable(const char *state_dir, const char *name, bool *ret_changed);
/* The stale sweep: collects every dead container's leftovers (their recipes undone, as
 * net_allocate() does first); then, when berth's forwarding record is there and no /30 lock is
 * held, writes 0 to net.ipv4.ip_forward and removes the record (*ret_restored true). Run at each
 * container's stop (the supervisor's teardown, and `berth cleanup` from berth@.service's
 * ExecStopPost=, for a supervisor that was SIGKILLed). Nothing to do without STATE_DIR/net.
 * Returns how many dead containers' recipes were undone, their names appended to *ret_collected
 * when given, or -errno. */
int net_collect_stale(const char *state_dir, char ***ret_collected, bool *ret_restored);
