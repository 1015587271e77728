/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* sd_notify relay: the supervisor's own READY/STATUS to the service manager, and the container's
 * notify socket (created by launch, NOTIFY_SOCKET=/run/host/notify inside) whose READY=1,
 * STATUS= and STOPPING=1 the supervisor relays. */

#include <stdbool.h>

#include "macro.h"

int notify_manager(const char *state); /* sd_notify(0, state); 0 when no NOTIFY_SOCKET */
/* STATUS=<formatted text> */
int notify_manager_statusf(const char *fmt, ...) _printf_(1, 2);

typedef struct NotifyEvents {
        bool ready;    /* READY=1 seen */
        bool stopping; /* STOPPING=1 seen */
} NotifyEvents;

/* Reads every pending datagram from the container's socket fd and relays READY=1, STOPPING=1 and STATUS=...
 * to the service manager; ORs what it saw into *events. Call when fd is readable. */
int notify_socket_process(int fd, NotifyEvents *events);
