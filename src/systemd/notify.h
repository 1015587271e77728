/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* sd_notify relay: the supervisor's own READY/STATUS to the service manager, and the container's
 * notify socket whose READY=1 is relayed when Notify=yes. */

int notify_manager(const char *state); /* sd_notify(0, state); 0 when no NOTIFY_SOCKET */
