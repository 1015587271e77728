/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* berth audit's policy as data: the checks, the CIS Docker Benchmark item each maps to (numbered
 * as in v1.6.0), and every weight. berth(1), section AUDIT, documents this table; change both
 * together. The code that applies it is audit.c. */
#include <string.h>

#include "audit.h"
#include "macro.h"

const AuditCheck audit_checks[_AUDIT_CHECK_MAX] = {
        [AUDIT_USER_NAMESPACE] = { AUDIT_USER_NAMESPACE, "user-namespace", "PrivateUsers=", "5.31",
                                   "Container root is an unprivileged UID range of its own",
                                   "Container root is (or maps onto) host UID 0" },
        [AUDIT_CAPABILITIES] = { AUDIT_CAPABILITIES, "capabilities", "Capability=", "5.4, 5.5",
                                 "Only the default capability set",
                                 "Capabilities added beyond the default set" },
        [AUDIT_NO_NEW_PRIVILEGES] = { AUDIT_NO_NEW_PRIVILEGES, "no-new-privileges", "NoNewPrivileges=",
                                      "5.26", "Set-user-ID binaries and file capabilities grant nothing",
                                      "Set-user-ID binaries and file capabilities can raise privileges" },
        [AUDIT_SYSCALL_FILTER] = { AUDIT_SYSCALL_FILTER, "syscall-filter", "SystemCallFilter=", "5.22",
                                   "The default system call allowlist, not widened",
                                   "System call allowlist widened" },
        [AUDIT_SELINUX] = { AUDIT_SELINUX, "selinux", "SELinuxLabel=", "5.3",
                            "Confined by an SELinux label of its own",
                            "SELinux confinement disabled or unconfined" },
        [AUDIT_HOST_NETWORK] = { AUDIT_HOST_NETWORK, "host-network", "Private=", "5.10",
                                 "Network namespace of its own", "Shares the host's network namespace" },
        [AUDIT_PRIVILEGED_PORTS] = { AUDIT_PRIVILEGED_PORTS, "privileged-ports", "Private=", "5.8",
                                     "Cannot bind the host's ports below 1024",
                                     "Can bind the host's ports below 1024" },
        [AUDIT_READ_ONLY_ROOT] = { AUDIT_READ_ONLY_ROOT, "read-only-root", "ReadOnly=", "5.13",
                                   "Root file system mounted read-only", "Root file system writable" },
        [AUDIT_EPHEMERAL] = { AUDIT_EPHEMERAL, "ephemeral", "Ephemeral=", "-",
                              "Changes to the root are discarded at exit",
                              "Changes to the root persist across restarts" },
        [AUDIT_SENSITIVE_BINDS] = { AUDIT_SENSITIVE_BINDS, "sensitive-binds", "Bind=", "5.6, 5.32",
                                    "No sensitive host path bound", "Sensitive host paths bound" },
        [AUDIT_WRITABLE_BINDS] = { AUDIT_WRITABLE_BINDS, "writable-binds", "BindReadOnly=", "5.6",
                                   "Every host path bound read-only", "Host paths bound writable" },
        [AUDIT_DEVICES] = { AUDIT_DEVICES, "devices", "Bind=", "5.18", "No host device bound",
                            "Host devices bound" },
        [AUDIT_MEMORY_LIMIT] = { AUDIT_MEMORY_LIMIT, "memory-limit", "MemoryMax=", "5.11", "Memory limited",
                                 "No memory limit" },
        [AUDIT_CPU_LIMIT] = { AUDIT_CPU_LIMIT, "cpu-limit", "CPUQuota=", "5.12", "CPU time limited",
                              "No CPU limit" },
        [AUDIT_TASKS_LIMIT] = { AUDIT_TASKS_LIMIT, "tasks-limit", "TasksMax=", "5.29",
                                "Number of tasks limited", "No limit on the number of tasks" },
        [AUDIT_ROOT_REACHABLE] = { AUDIT_ROOT_REACHABLE, "root-reachable", "Directory=", "-",
                                   "Root directory below a directory only host root can enter",
                                   "Root directory reachable by host users" },
};

/* Tenths of a point of exposure; a container's score is the sum of its rows, at most 100. The
 * bands (audit_verdict()) are OK below 30, MEDIUM below 60, EXPOSED below 90, UNSAFE above. */
const AuditWeight audit_weights[] = {
        /* PrivateUsers=: the mode given */
        { AUDIT_USER_NAMESPACE, "no", 40 },
        { AUDIT_USER_NAMESPACE, "identity", 25 },

        /* Capability=: each capability added beyond the default set; unlisted ones weigh 10 */
        { AUDIT_CAPABILITIES, NULL, 10 },
        { AUDIT_CAPABILITIES, "CAP_SYS_ADMIN", 40 },
        { AUDIT_CAPABILITIES, "CAP_SYS_MODULE", 50 },
        { AUDIT_CAPABILITIES, "CAP_SYS_RAWIO", 40 },
        { AUDIT_CAPABILITIES, "CAP_SYS_PTRACE", 25 },
        { AUDIT_CAPABILITIES, "CAP_DAC_READ_SEARCH", 25 },
        { AUDIT_CAPABILITIES, "CAP_BPF", 25 },
        { AUDIT_CAPABILITIES, "CAP_MAC_ADMIN", 30 },
        { AUDIT_CAPABILITIES, "CAP_MAC_OVERRIDE", 30 },
        { AUDIT_CAPABILITIES, "CAP_NET_ADMIN", 20 },
        { AUDIT_CAPABILITIES, "CAP_SYS_BOOT", 15 },
        { AUDIT_CAPABILITIES, "CAP_SYS_TIME", 15 },
        { AUDIT_CAPABILITIES, "CAP_PERFMON", 15 },
        { AUDIT_CAPABILITIES, "CAP_AUDIT_CONTROL", 15 },
        { AUDIT_CAPABILITIES, "CAP_SYSLOG", 10 },
        { AUDIT_CAPABILITIES, "CAP_NET_RAW", 10 },
        { AUDIT_CAPABILITIES, "CAP_MKNOD", 10 },
        { AUDIT_CAPABILITIES, "CAP_LINUX_IMMUTABLE", 5 },
        { AUDIT_CAPABILITIES, "CAP_IPC_LOCK", 5 },
        { AUDIT_CAPABILITIES, "CAP_SYS_NICE", 5 },
        { AUDIT_CAPABILITIES, "CAP_SYS_RESOURCE", 5 },
        { AUDIT_CAPABILITIES, "CAP_AUDIT_WRITE", 5 },

        /* NoNewPrivileges=no */
        { AUDIT_NO_NEW_PRIVILEGES, NULL, 20 },

        /* SystemCallFilter=: each set (or a system call outside the default allowlist, weighed
         * as the first set that lists it) allowed beyond the default; unlisted ones weigh 10 */
        { AUDIT_SYSCALL_FILTER, NULL, 10 },
        { AUDIT_SYSCALL_FILTER, "@module", 40 },
        { AUDIT_SYSCALL_FILTER, "@raw-io", 30 },
        { AUDIT_SYSCALL_FILTER, "@bpf", 25 },
        { AUDIT_SYSCALL_FILTER, "@system-admin", 25 },
        { AUDIT_SYSCALL_FILTER, "@debug", 20 },
        { AUDIT_SYSCALL_FILTER, "@mount", 15 },
        { AUDIT_SYSCALL_FILTER, "@namespaces", 15 },
        { AUDIT_SYSCALL_FILTER, "@io-uring", 15 },
        { AUDIT_SYSCALL_FILTER, "@handles", 15 },
        { AUDIT_SYSCALL_FILTER, "@reboot", 10 },
        { AUDIT_SYSCALL_FILTER, "@swap", 10 },
        { AUDIT_SYSCALL_FILTER, "@clock", 10 },
        { AUDIT_SYSCALL_FILTER, "@keyring", 10 },
        { AUDIT_SYSCALL_FILTER, "@perf", 10 },
        { AUDIT_SYSCALL_FILTER, "@userfaultfd", 10 },
        { AUDIT_SYSCALL_FILTER, "@fanotify", 5 },
        { AUDIT_SYSCALL_FILTER, "@quota", 5 },
        { AUDIT_SYSCALL_FILTER, "@hostname", 5 },
        { AUDIT_SYSCALL_FILTER, "@numa", 5 },
        { AUDIT_SYSCALL_FILTER, "@chroot", 5 },
        { AUDIT_SYSCALL_FILTER, "@obsolete", 5 },

        /* SELinuxLabel=disable, or SELinuxType= one of these unconfined types */
        { AUDIT_SELINUX, "disable", 30 },
        { AUDIT_SELINUX, "unconfined_t", 30 },
        { AUDIT_SELINUX, "spc_t", 30 },

        /* Private=no */
        { AUDIT_HOST_NETWORK, NULL, 25 },
        /* Private=no without a user namespace and with CAP_NET_BIND_SERVICE kept */
        { AUDIT_PRIVILEGED_PORTS, NULL, 10 },
        /* ReadOnly=no; half when Ephemeral=yes throws the writes away */
        { AUDIT_READ_ONLY_ROOT, NULL, 5 },
        /* Ephemeral=no */
        { AUDIT_EPHEMERAL, NULL, 3 },

        /* Bind= of a host path (the most exposing match counts; half when read-only, except a
         * socket, which a read-only mount does not stop anyone from connecting to). An item that
         * ends in '/' also covers everything below it; every item covers the directories above
         * it. Unlisted paths weigh nothing here. */
        { AUDIT_SENSITIVE_BINDS, "/", 40 },
        { AUDIT_SENSITIVE_BINDS, "/var/run/docker.sock", 50 },
        { AUDIT_SENSITIVE_BINDS, "/run/docker.sock", 50 },
        { AUDIT_SENSITIVE_BINDS, "/run/containerd/containerd.sock", 50 },
        { AUDIT_SENSITIVE_BINDS, "/run/podman/podman.sock", 50 },
        { AUDIT_SENSITIVE_BINDS, "/run/systemd/", 30 },
        { AUDIT_SENSITIVE_BINDS, "/run/dbus/", 30 },
        { AUDIT_SENSITIVE_BINDS, "/etc/", 30 },
        { AUDIT_SENSITIVE_BINDS, "/dev/", 30 },
        { AUDIT_SENSITIVE_BINDS, "/proc/", 30 },
        { AUDIT_SENSITIVE_BINDS, "/sys/", 25 },
        { AUDIT_SENSITIVE_BINDS, "/boot/", 25 },
        { AUDIT_SENSITIVE_BINDS, "/root/", 25 },
        { AUDIT_SENSITIVE_BINDS, "/usr/", 20 },
        { AUDIT_SENSITIVE_BINDS, "/lib/", 20 },
        { AUDIT_SENSITIVE_BINDS, "/var/lib/", 15 },
        { AUDIT_SENSITIVE_BINDS, "/var/log/", 10 },
        { AUDIT_SENSITIVE_BINDS, "/home/", 10 },

        /* each Bind= without ro */
        { AUDIT_WRITABLE_BINDS, NULL, 5 },
        /* each Bind= of a device node or of something below /dev */
        { AUDIT_DEVICES, NULL, 20 },
        /* each DeviceAllow= entry (the device cgroup opened for it); a block device (block-GROUP,
         * or a block node on this host) is raw access to a disk beneath every file system */
        { AUDIT_DEVICES, "DeviceAllow=", 10 },
        { AUDIT_DEVICES, "DeviceAllow=block", 30 },

        /* no MemoryMax=; only MemoryHigh= given */
        { AUDIT_MEMORY_LIMIT, NULL, 5 },
        { AUDIT_MEMORY_LIMIT, "MemoryHigh=", 3 },
        /* no CPUQuota=; only CPUWeight= or AllowedCPUs= given */
        { AUDIT_CPU_LIMIT, NULL, 3 },
        { AUDIT_CPU_LIMIT, "CPUWeight=", 2 },
        /* TasksMax=infinity */
        { AUDIT_TASKS_LIMIT, NULL, 10 },
        /* Directory= reachable: no directory above it is owned by root with mode 0700 */
        { AUDIT_ROOT_REACHABLE, NULL, 20 },

        {},
};

unsigned audit_weight(AuditCheckId check, const char *item)
{
        for (const AuditWeight *w = audit_weights; w->item || w->weight; w++)
                if (w->check == check && streq_ptr(w->item, item))
                        return w->weight;
        /* an unlisted item weighs what the check's own entry says (0 without one) */
        return item ? audit_weight(check, NULL) : 0;
}
