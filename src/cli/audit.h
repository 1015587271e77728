/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* berth audit: how exposed the host is to a container, judged from its validated ContainerConfig
 * (and, unless offline, the host file system its paths name). Every check is one row, mapped to
 * the CIS Docker Benchmark's container-runtime item where there is one; its weights are data in
 * audit-checks.c. Exposure is counted in tenths of a point: the overall score is the sum of the
 * rows, capped at 100 (10.0). */

#include <stdbool.h>
#include <stddef.h>

#include "config.h"

typedef enum AuditCheckId {
        AUDIT_USER_NAMESPACE,
        AUDIT_CAPABILITIES,
        AUDIT_NO_NEW_PRIVILEGES,
        AUDIT_SYSCALL_FILTER,
        AUDIT_SELINUX,
        AUDIT_HOST_NETWORK,
        AUDIT_PRIVILEGED_PORTS,
        AUDIT_READ_ONLY_ROOT,
        AUDIT_EPHEMERAL,
        AUDIT_SENSITIVE_BINDS,
        AUDIT_WRITABLE_BINDS,
        AUDIT_DEVICES,
        AUDIT_MEMORY_LIMIT,
        AUDIT_CPU_LIMIT,
        AUDIT_TASKS_LIMIT,
        AUDIT_ROOT_REACHABLE,
        _AUDIT_CHECK_MAX,
} AuditCheckId;

typedef struct AuditCheck {
        AuditCheckId id;
        const char *name; /* stable identifier: "user-namespace" */
        const char *key;  /* the key to change: "PrivateUsers=" */
        const char *cis;  /* CIS Docker Benchmark item, "-" when none maps */
        const char *good; /* what the row says when it passes */
        const char *bad;  /* what it says when it does not */
} AuditCheck;

/* One weight: of a check as a whole (item NULL; for checks with items, the weight of an item not
 * listed), or of one item of it: a PrivateUsers= mode, a capability, a syscall set, a host path. */
typedef struct AuditWeight {
        AuditCheckId check;
        const char *item;
        unsigned weight; /* tenths of a point of exposure */
} AuditWeight;

extern const AuditCheck audit_checks[_AUDIT_CHECK_MAX]; /* indexed by AuditCheckId */
/* Ends with item == NULL && weight == 0. AUDIT_SENSITIVE_BINDS items are host paths: one ending
 * in '/' covers everything below it too, the others only the path itself; every one is also
 * exposed by a bind of a directory above it (binding /var exposes /var/lib). */
extern const AuditWeight audit_weights[];

/* The weight of item in check (item NULL: the check's own weight); an item not listed weighs
 * what the check's own entry says, 0 without one. A new check (a key added later, such as a
 * port or credential setting) is one AuditCheckId, one audit_checks[] row, its weights and one
 * function in audit.c. */
unsigned audit_weight(AuditCheckId check, const char *item);

typedef enum AuditStatus {
        AUDIT_PASS,
        AUDIT_PARTIAL,
        AUDIT_FAIL,
        AUDIT_UNKNOWN, /* could not be judged (offline, or the path is missing): counts 0 */
} AuditStatus;

typedef struct AuditFinding {
        char *item;        /* "CAP_SYS_ADMIN", "@mount", "/:/host", "/var/lib/berth (0755 uid 0)" */
        unsigned exposure; /* tenths */
} AuditFinding;

typedef struct AuditResult {
        const AuditCheck *check;
        AuditStatus status;
        unsigned exposure; /* tenths, the sum of the findings or the check's weight, at most 100 */
        AuditFinding *findings;
        size_t n_findings;
} AuditResult;

typedef struct AuditReport {
        AuditResult results[_AUDIT_CHECK_MAX];
        unsigned score; /* tenths, 0..100 */
} AuditReport;

void audit_report_done(AuditReport *r);
#define _cleanup_audit_report_ _cleanup_(audit_report_done)

/* Judges c. offline: the declaration alone (checks that need the host file system are
 * AUDIT_UNKNOWN, Bind= sources are taken as written); otherwise paths are resolved on this host.
 * Returns 0 or -ENOMEM. */
int audit_container(const ContainerConfig *c, bool offline, AuditReport *ret);

/* "OK" (below 3.0), "MEDIUM" (below 6.0), "EXPOSED" (below 9.0), "UNSAFE". */
const char *audit_verdict(unsigned score);
const char *audit_status_to_string(AuditStatus s); /* "pass", "partial", "fail", "unknown" */
