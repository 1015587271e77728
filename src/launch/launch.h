/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The launch pipeline: a validated ContainerConfig in, a supervised sandbox out. */

#include <stdbool.h>

#include "config.h"
#include "record.h"
#include "state.h"

typedef struct LaunchOptions {
        const char *state_dir; /* default /run/berth (BERTH_STATE_DIR overrides) */
        bool register_scope;   /* --register=yes: scope + machined (needs systemd) */
        bool interactive;      /* stdin is a tty: allocate a pty */
} LaunchOptions;

/* Runs the container to completion. Returns the exit status for berth's own exit (payload status,
 * or 125/126/127 from exit-status.h); *ret_error gets a one-line message when berth itself failed. */
int launch_run(const ContainerConfig *c, const LaunchOptions *o, char **ret_error);

/* The stale sweep of VirtualEthernet= (veth.c, net_collect_stale()): what dead containers (their
 * supervisor SIGKILLed) left behind -- nft elements, host links -- goes, and the forwarding berth
 * turned on goes off again when no container needs it; what it did is logged (stopped: the
 * container whose stop this is, for the message, or NULL). Containers that run or are starting
 * are never touched. 0 or -errno (not logged). */
int launch_network_collect(const char *state_dir, const char *stopped);

/* `berth exec`: what to run in a running container and how. */
typedef struct ExecOptions {
        const char *state_dir;
        char **argv;                   /* looked up in the container's PATH */
        char **env;                    /* --env KEY=VALUE, after the container's Environment= */
        const char *user;              /* --user: resolved in the container's /etc/passwd; NULL: root */
        const char *working_directory; /* NULL: WorkingDirectory= of the payload, else the user's home */
        int tty;                       /* 1: a pty (-t), 0: none (-T), -1: when stdin is a terminal */
        bool no_stdin;                 /* -n: /dev/null of the host as stdin, ours never read; no pty */
} ExecOptions;

/* Runs o->argv in the running container name (exec.c), confined with the record its payload's
 * start left (record.h), on a pty berth relays (or with no terminal of the caller's handed in).
 * Returns the exit status for berth's own exit: the command's, 128+N when signal N killed it,
 * EXIT_NOT_RUNNING, or 125/126/127; *ret_error gets a one-line message when berth failed. */
int launch_exec(const char *name, const ExecOptions *o, char **ret_error);

/* A running container to join from the host (join.c), found from its state and confinement record
 * only: the leader's pidfd (checked to be the recorded payload) and which of its user and mount
 * namespaces differ from ours (ns_flags, for setns(pidfd, ...)). */
typedef struct JoinTarget {
        RuntimeState state;
        ConfinementRecord rec;
        int pidfd;
        int ns_flags;
} JoinTarget;

void join_target_done(JoinTarget *t);
/* 0 when leader, pinned by pidfd, is rec's payload: the child of its supervisor, whose user
 * namespace maps rec's range (so a reused PID is not taken for the payload); -ESTALE when not. */
int join_leader_matches_record(pid_t leader, int pidfd, const ConfinementRecord *rec);
/* Which of the wanted namespaces (CLONE_NEW* flags) of pid differ from ours: setns() refuses to
 * re-enter one's own user namespace, and a container may share some (PrivateUsers=no, Private=no). */
int join_namespaces_to_join(pid_t pid, int wanted, int *ret_flags);
/* 0, -ESRCH when name is not running (or restarted meanwhile), another -errno with *ret_error set. */
int join_target_open(const char *state_dir, const char *name, JoinTarget *t, char **ret_error);
