/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* sd_notify relay: the supervisor's own READY/STATUS to the service manager, and the container's
 * notify socket whose READY=1 is relayed when Notify=yes. */

#include <stdbool.h>

#include "notify-limit.h"

/* Where the container sees its notify socket: launch bind-mounts the host directory returned by
 * notify_socket_dir() onto NOTIFY_CONTAINER_DIR and sets NOTIFY_SOCKET=NOTIFY_CONTAINER_SOCKET
 * in the payload's environment (the same place nspawn uses). */
#define NOTIFY_CONTAINER_DIR    "/run/host/notify"
#define NOTIFY_CONTAINER_SOCKET NOTIFY_CONTAINER_DIR "/notify"

int notify_manager(const char *state); /* sd_notify(0, state); 0 when no NOTIFY_SOCKET */

/* Host directory holding the container's notify socket: STATE_DIR/NAME/notify. */
int notify_socket_dir(const char *state_dir, const char *name, char **ret);
/* Creates that directory and a SOCK_DGRAM socket bound in it as "notify", writable by the
 * container's (unprivileged, mapped) users; returns the fd (O_CLOEXEC, non-blocking). */
int notify_socket_open(const char *state_dir, const char *name, int *ret_fd);

typedef struct NotifyEvents {
        bool ready;     /* READY=1 seen */
        bool stopping;  /* STOPPING=1 seen */
        bool reloading; /* RELOADING=1 seen */
        bool watchdog;  /* WATCHDOG=1 or WATCHDOG=trigger seen */
} NotifyEvents;

/* At most this many datagrams per notify_socket_process() call: a container flooding its notify
 * socket must not keep the supervisor from forwarding signals (poll() again between calls). */
#define NOTIFY_DATAGRAMS_PER_WAKEUP 16U
/* Reads up to NOTIFY_DATAGRAMS_PER_WAKEUP pending datagrams from fd (datagrams longer than
 * NOTIFY_MESSAGE_MAX are dropped) and relays READY=1, STOPPING=1, RELOADING=1 (with
 * MONOTONIC_USEC=), WATCHDOG=1, WATCHDOG=trigger, WATCHDOG_USEC= and the last STATUS=... of each to
 * the service manager through limit: one message per datagram while its bucket lasts, beyond it
 * coalesced into what notify_relay_flush() sends when the bucket allows (notify_limit_timeout_msec()
 * says when). Nothing is relayed or kept without $NOTIFY_SOCKET. ORs what it saw into *events. Call
 * when fd is readable. Returns 0 when the socket is drained, 1 when more may be pending, or -errno. */
int notify_socket_process(int fd, NotifyLimit *limit, NotifyEvents *events);
/* Sends what limit holds to the service manager as far as its bucket allows (force: all of it).
 * Returns the first error of sd_notify, or 0. */
int notify_relay_flush(NotifyLimit *limit, bool force);
