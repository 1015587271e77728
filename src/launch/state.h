/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Running state in STATE_DIR/NAME/: "lock" (flock held by the supervisor while the container
 * exists) and "state" (KEY=VALUE lines, written atomically once the payload runs). Readers
 * (list, status, exec) trust "state" only while "lock" is held. */

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "fileio.h"
#include "macro.h"

#define BERTH_STATE_DIR_DEFAULT "/run/berth"

typedef struct RuntimeState {
        char *name;
        pid_t supervisor_pid;
        pid_t leader_pid;    /* payload PID 1, as seen from the host */
        uint64_t since_usec; /* CLOCK_REALTIME when the payload started */
        uid_t uid_base;
        uint32_t uid_size;
        char *label; /* SELinux process label (computed, even if not enforced) */
        char *root;  /* root directory ("/" for the host-root demo) */
        char *scope; /* berth-NAME.scope, or NULL when not registered */
        char *config_path;
        /* VirtualEthernet= (NULL without it) */
        char *address;         /* the container's, "A.B.C.D/30" */
        char *address6;        /* IPv6=yes: "fdXX:...::2/64" */
        char *interface;       /* host end of the veth pair */
        char *ports;           /* "tcp:8080:80 udp:53:53", published on the host's addresses */
        char *forward_blocked; /* another table's forward hook that drops its traffic */
        int host_access;       /* HostAccess=yes: 1 */
        int link_local_access; /* LinkLocalAccess=yes: 1 */
} RuntimeState;

void runtime_state_done(RuntimeState *s);

/* state_dir from $BERTH_STATE_DIR or the default. */
const char *state_dir_get(void);

/* Creates STATE_DIR/NAME/ and takes the lock; -EBUSY when another supervisor holds it. */
int state_lock(const char *state_dir, const char *name, int *ret_lock_fd);
int state_write(const char *state_dir, const RuntimeState *s);
/* Replaces STATE_DIR/NAME/FILE with data in one step (write_file_atomic_at()): a reader sees the
 * old file or the new one. */
int state_file_write(const char *state_dir, const char *name, const char *file, const void *data, size_t len,
                     mode_t mode, WriteFileFlags flags);
/* Removes the state file (the caller still holds the lock). The lock file and the directory
 * stay: a lock file is never unlinked. */
int state_remove(const char *state_dir, const char *name);
/* Reads a running container's state: -ESRCH when it is not running (no lock held). */
int state_read(const char *state_dir, const char *name, RuntimeState *ret);
/* Names of running containers, sorted. */
int state_list(const char *state_dir, char ***ret_names);

/* How a container's last run ended, in STATE_DIR/NAME/result (written by `berth run` when the
 * supervisor returns, read by list and status while the container is not running). */
typedef struct RunResult {
        int exit_status;     /* berth's exit status: the payload's, 128+N for signal N, or berth's */
        uint64_t ended_usec; /* CLOCK_REALTIME */
        char *error;         /* berth's own error line when the launch failed, or NULL */
} RunResult;
void run_result_done(RunResult *r);
int state_write_result(const char *state_dir, const char *name, const RunResult *r);
/* -ENOENT when there is none. */
int state_read_result(const char *state_dir, const char *name, RunResult *ret);
/* Entries of state_dir that look like containers whose lock cannot be read (not root): the
 * caller cannot tell whether they run. */
int state_list_unreadable(const char *state_dir, char ***ret_names);
