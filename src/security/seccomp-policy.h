/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The seccomp policy as data: tables generated at build time from the .conf files in policy/seccomp/ by
 * policy/seccomp/gen-policy.py (sets already expanded to flat syscall-name lists). */

#include <errno.h>
#include <linux/capability.h>
#include <linux/net.h> /* SYS_SOCKET: socketcall's call numbers */
#include <linux/netlink.h>
#include <sched.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/personality.h>
#include <sys/socket.h>

typedef struct SyscallSet {
        const char *name;            /* "@file-system" */
        const char *const *syscalls; /* NULL-terminated */
} SyscallSet;

typedef struct CapabilitySyscalls {
        int cap;                     /* CAP_SYS_TIME */
        const char *const *syscalls; /* allowed when the container keeps cap */
} CapabilitySyscalls;

typedef enum RestrictOp {
        RESTRICT_ANY_BIT, /* some of values[] (single flags) is set in the argument */
        RESTRICT_ONE_OF,  /* the argument equals one of values[] */
        RESTRICT_NONE_OF, /* the low 32 bits of the argument equal none of values[] */
} RestrictOp;

#define RESTRICT_VALUES_MAX  8
#define RESTRICT_CLAUSES_MAX 2

typedef struct RestrictClause {
        unsigned arg;
        RestrictOp op;
        unsigned n_values;
        uint64_t values[RESTRICT_VALUES_MAX];
} RestrictClause;

/* The syscall fails with error when every clause holds (always, with no clauses). */
typedef struct SyscallRestriction {
        const char *syscall;
        int error;
        const char *lifted_by_set; /* lifted when every syscall of this set is allowed */
        int lifted_by_cap;         /* lifted when the container keeps this capability; -1 none */
        bool lifted_by_boot;       /* lifted for Boot=yes (an init system's needs) */
        unsigned n_clauses;
        RestrictClause clauses[RESTRICT_CLAUSES_MAX];
} SyscallRestriction;

extern const SyscallSet seccomp_syscall_sets[];                /* ends with name == NULL */
extern const char *const *const seccomp_default_allow;         /* NULL-terminated */
extern const CapabilitySyscalls seccomp_capability_syscalls[]; /* ends with cap == -1 */
extern const SyscallRestriction seccomp_restrictions[];        /* ends with syscall == NULL */
