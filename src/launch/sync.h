/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The socket between berth (the supervisor of run, or exec) and the child it cloned (sync.c):
 * fixed-size messages with optional fds. The child's end is CLOEXEC, so EOF tells the parent that
 * execve() succeeded. */

#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "macro.h"

/* The messages, both ways (SOCK_SEQPACKET). */
typedef enum SyncMessageType {
        SYNC_MOUNT_FD,   /* parent → child: a host source as a detached mount, index says which */
        SYNC_GO,         /* parent → child: maps written, registered, sources sent */
        SYNC_PTY_MASTER, /* child → parent: fd of the console's pty master */
        SYNC_ERROR,      /* child → parent: setup failed, then the child exits */
} SyncMessageType;

typedef struct SyncMessage {
        int32_t type;
        int32_t exit_status; /* SYNC_ERROR */
        int32_t registered;  /* SYNC_GO: the payload is in its own scope (cgroup) */
        int32_t index;       /* SYNC_MOUNT_FD: SOURCE_ROOT, SOURCE_NOTIFY or the Bind= index */
        char text[480];
} SyncMessage;

enum {
        SOURCE_ROOT = -1,
        SOURCE_NOTIFY = -2,
        SOURCE_RESOLV = -3,
};

/* sync.c */
int sync_send(int fd, const SyncMessage *m, const int *fds, size_t n_fds);
/* Returns 0 on EOF (the other end closed: in the parent, execve succeeded or the child died),
 * 1 when a message arrived; received fds go to ret_fds (up to max_fds, rest closed). */
int sync_recv(int fd, SyncMessage *m, int *ret_fds, size_t max_fds, size_t *ret_n_fds);
/* The signals that end the parent's wait while its child (of run or exec) sets up: SIGINT,
 * SIGTERM, SIGHUP, SIGQUIT. The child can be blocked there by what the container controls (its
 * root SIGSTOPs an exec child; a FUSE file, a lock) and, as PID 1 of its namespace, ignores them. */
void sync_interrupt_signals(sigset_t *ret);
/* sync_recv(), unless a signal that sfd (a signalfd of signals the caller blocked) reads comes
 * first: then -EINTR and *ret_signo, and the caller kills the child. */
int sync_recv_or_signal(int fd, int sfd, SyncMessage *m, int *ret_fds, size_t max_fds, size_t *ret_n_fds,
                        int *ret_signo);
/* In a child of run or exec: sends "WHAT for container NAME: strerror(-error)" (no ": ..." when
 * error is 0) as SYNC_ERROR over fd, then the child exits; returns exit_status to exit with. */
int sync_report_errorv(int fd, const char *name, int exit_status, int error, const char *fmt, va_list ap)
        _printf_(5, 0);
/* In a child of run or exec: (re-)arms SIGKILL on the parent's death, which every change of the
 * child's effective or file-system IDs clears, then checks on fd (the child's end of the sync
 * socket; skipped when negative) that the parent did not die while it was not armed. Returns 0,
 * -ESRCH when the parent is gone (nobody to tell), or -errno. */
int sync_arm_parent_death(int fd);
