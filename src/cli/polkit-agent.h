/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* A text polkit authentication agent (pkttyagent) for the calls berth makes to systemd, as
 * systemctl starts one: a non-root operator whom a polkit rule lets start units after
 * authenticating (auth_self, auth_admin) is asked for the password on the terminal. */

#include <sys/types.h>

#define POLKIT_AGENT_BINARY_PATH "/usr/bin/pkttyagent"

/* Starts the agent for this process when standard input and output are terminals, berth is not
 * root (systemd never asks root) and the agent is installed; waits until it has registered with
 * polkit. *ret_pid is 0 when none was started. Returns 0, or -errno when it could not be started. */
int polkit_agent_open(pid_t *ret_pid);
/* Ends the agent started by polkit_agent_open() (SIGTERM, then reaps it); pid 0 does nothing. */
void polkit_agent_close(pid_t pid);
