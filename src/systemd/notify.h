/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* sd_notify relay: the supervisor's own READY/STATUS to the service manager, and the container's
 * notify socket whose READY=1 is relayed when Notify=yes. */

#include <stdbool.h>

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

/* The longest notification read from the container (longer datagrams are dropped, as systemd does). */
#define NOTIFY_MESSAGE_MAX 4095U

/* At most this many datagrams per notify_socket_process() call: a container flooding its notify
 * socket must not keep the supervisor from forwarding signals (poll() again between calls). */
#define NOTIFY_DATAGRAMS_PER_WAKEUP 16U
/* Reads up to NOTIFY_DATAGRAMS_PER_WAKEUP pending datagrams from fd and relays READY=1, STOPPING=1,
 * RELOADING=1 (with MONOTONIC_USEC=), WATCHDOG=1, WATCHDOG=trigger, WATCHDOG_USEC= and the last
 * STATUS=... of each to the service manager, one message per datagram; ORs what it saw into *events. Call
 * when fd is readable. Returns 0 when the socket is drained, 1 when more may be pending, or -errno. */
int notify_socket_process(int fd, NotifyEvents *events);
