/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The running payload's effective confinement, recorded in STATE_DIR/NAME/ when `berth run`
 * starts it, before anything is cloned: "confinement" (NUL-separated KEY=VALUE entries, so no
 * value can forge another line) and its seccomp program, "seccomp/KEY.bpf" in the format of the
 * filter cache (seccomp-cache.h: owner and mode checked, SHA-256 verified). `berth exec` confines
 * with exactly this record, never with a config file read again: the file may have changed since,
 * or a relative path may now name another one. Both files are written 0600 by root in the 0700
 * directory and replaced atomically. */

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "seccomp-filter.h"
#include "sha256.h"

typedef struct ConfinementRecord {
        pid_t supervisor_pid; /* the `berth run` it belongs to (the state file names it too) */
        uint64_t caps;        /* the bounding set (and root's permitted/effective set) */
        bool no_new_privs;
        char *label;         /* SELinux process label; NULL when none */
        bool label_enforced; /* SELinux was on: the label is applied */
        uid_t uid_base;
        uint32_t uid_size;       /* 0: no user namespace */
        char *user;              /* User= of the payload; NULL: root */
        char *working_directory; /* WorkingDirectory=; NULL: unset */
        char **environment;      /* Environment=, KEY=VALUE in order */
        char *root;              /* Directory=, "/" for the host root */
        uint8_t seccomp_key[SHA256_DIGEST_SIZE];
        SeccompBpf seccomp; /* read by confinement_record_read() only */
} ConfinementRecord;

void confinement_record_done(ConfinementRecord *r);

/* Writes r and bpf for container name (STATE_DIR/NAME/ exists: the lock is held). */
int confinement_record_write(const char *state_dir, const char *name, const ConfinementRecord *r,
                             const SeccompBpf *bpf);
/* Reads it back with its seccomp program: -ENOENT when there is none, -EBADMSG when malformed,
 * -EPERM when a file is not root's own 0600 one. */
int confinement_record_read(const char *state_dir, const char *name, ConfinementRecord *ret);
/* Removes both files (at stop; the caller still holds the lock). */
void confinement_record_remove(const char *state_dir, const char *name);
