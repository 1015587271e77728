/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* seccomp: the policy tables are sane, a loaded filter answers real syscalls with the errno the
 * policy promises (each probe runs in a forked child that loads the filter), and the BPF berth
 * loads itself is exactly what seccomp_load() would have installed. */
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/keyctl.h>
#include <linux/netlink.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../lib/x86-32-syscall.h"

#include "caps.h"
#include "seccomp-bpf.h"
#include "seccomp-filter.h"
#include "seccomp-policy.h"
#include "seccomp-test-util.h"
#include "strv.h"
#include "test.h"

typedef enum Probe {
        P_GETPID,
        P_IOCTL,
        P_KEYCTL,
        P_ADD_KEY,
        P_BPF,
        P_UNKNOWN_1000,
        P_MSEAL, /* 462: newer than libseccomp 2.5.4 */
        P_UNSHARE_NEWUSER,
        P_UNSHARE_NEWNS,
        P_UNSHARE_FILES,
        P_CLONE_NEWUSER,
        P_CLONE3,
        P_FORK,
        P_PERSONALITY_QUERY,
        P_PERSONALITY_LINUX32,
        P_PERSONALITY_NORANDOM,
        P_SOCKET_UNIX,
        P_SOCKET_ALG,
        P_SOCKET_AUDIT_HIGH_BITS,
        P_TIOCSTI,
        P_SOCKET_VSOCK,
        P_SOCKET_NETLINK_ROUTE,
        P_SOCKET_NETLINK_AUDIT,
        P_SOCKET_NETLINK_UEVENT,
        P_CLOCK_SETTIME,
        P_MOUNT,
        P_PTRACE,
        P_PERF_EVENT_OPEN,
        P_IO_URING_SETUP,
        P_USERFAULTFD,
        P_KEXEC_LOAD,
        P_INIT_MODULE,
        P_OPEN_BY_HANDLE_AT,
        P_SWAPON,
        P_REBOOT,
        P_SETNS,
        P_X86_KEYCTL, /* int $0x80: the 32-bit ABI */
        P_X86_GETPID,
        P_X86_UNKNOWN,
        P_X32_KEYCTL,
        _P_MAX,
} Probe;

static long probe_run(Probe p)
{
        switch (p) {
        case P_GETPID: return syscall(SYS_getpid);
        case P_IOCTL: return syscall(SYS_ioctl, -1, 0x5401 /* TCGETS */, NULL);
        case P_KEYCTL: return syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, 0);
        case P_ADD_KEY: return syscall(SYS_add_key, "user", "berth", "x", 1, KEY_SPEC_PROCESS_KEYRING);
        case P_BPF: return syscall(SYS_bpf, 0, NULL, 0);
        case P_UNKNOWN_1000: return syscall(1000);
        case P_MSEAL: return syscall(462, 0, 0, 0);
        case P_UNSHARE_NEWUSER: return unshare(CLONE_NEWUSER);
        case P_UNSHARE_NEWNS: return unshare(CLONE_NEWNS);
        case P_UNSHARE_FILES: return unshare(CLONE_FILES);
        case P_CLONE_NEWUSER: {
                long pid = syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, NULL, NULL, 0);
                if (pid == 0)
                        _exit(0);
                return pid < 0 ? -1 : 0;
        }
        case P_CLONE3: return syscall(SYS_clone3, NULL, 0);
        case P_FORK: {
                pid_t pid = fork();
                if (pid == 0)
                        _exit(0);
                return pid < 0 ? -1 : waitpid(pid, NULL, 0);
        }
        case P_PERSONALITY_QUERY: return personality(0xffffffff);
        case P_PERSONALITY_LINUX32: return personality(PER_LINUX32);
        case P_PERSONALITY_NORANDOM: return personality(ADDR_NO_RANDOMIZE);
        case P_SOCKET_UNIX: return socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        case P_SOCKET_ALG: return socket(AF_ALG, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
        /* The kernel reads an int: high bits must not get a protocol past the rule. */
        case P_SOCKET_AUDIT_HIGH_BITS:
                return syscall(SYS_socket, AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_AUDIT | (1UL << 32));
        case P_TIOCSTI: {
                char c = 'x';
                return syscall(SYS_ioctl, -1, TIOCSTI | (1UL << 32), &c);
        }
        case P_SOCKET_VSOCK: return socket(AF_VSOCK, SOCK_STREAM | SOCK_CLOEXEC, 0);
        case P_SOCKET_NETLINK_ROUTE: return socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
        case P_SOCKET_NETLINK_AUDIT: return socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_AUDIT);
        case P_SOCKET_NETLINK_UEVENT:
                return socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_KOBJECT_UEVENT);
        case P_CLOCK_SETTIME: {
                /* CLOCK_MONOTONIC cannot be set: past the filter the kernel says EINVAL. */
                struct timespec ts = { 1, 0 };
                return syscall(SYS_clock_settime, CLOCK_MONOTONIC, &ts);
        }
        case P_MOUNT: return syscall(SYS_mount, "none", "/nonexistent-berth", "tmpfs", 0, NULL);
        case P_PTRACE: return syscall(SYS_ptrace, 0x4206 /* PTRACE_SEIZE */, 1, 0, 0);
        case P_PERF_EVENT_OPEN: return syscall(SYS_perf_event_open, NULL, 0, -1, -1, 0);
        case P_IO_URING_SETUP: return syscall(SYS_io_uring_setup, 1, NULL);
        case P_USERFAULTFD: return syscall(SYS_userfaultfd, 0);
        case P_KEXEC_LOAD: return syscall(SYS_kexec_load, 0, 0, NULL, 0);
        case P_INIT_MODULE: return syscall(SYS_init_module, NULL, 0, "");
        case P_OPEN_BY_HANDLE_AT: return syscall(SYS_open_by_handle_at, AT_FDCWD, NULL, 0);
        case P_SWAPON: return syscall(SYS_swapon, "/nonexistent-berth", 0);
        case P_REBOOT: return syscall(SYS_reboot, 0, 0, 0, NULL); /* bad magic: EINVAL past the filter */
        case P_SETNS: return syscall(SYS_setns, -1, 0);
        case P_X86_KEYCTL: return x86_32_syscall(288, KEYCTL_GET_KEYRING_ID);
        case P_X86_GETPID: return x86_32_syscall(20, 0);
        case P_X86_UNKNOWN: return x86_32_syscall(1000, 0);
        case P_X32_KEYCTL:
                return syscall(0x40000000 | SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, 0);
        case _P_MAX: break;
        }
        return -1;
}

/* The reference: what berth did before it loaded its own BPF, libseccomp compiling each program
 * again in seccomp_load(), in seccomp_bpf_load()'s order. */
static int load_with_libseccomp(const SeccompFilter *f)
{
        scmp_filter_ctx order[] = { f->arguments_native, f->arguments };

        /* berth's own programs, for the direct i386 calls (first) and the allowlist (last), are
         * not libseccomp's. */
        if (f->x86_direct.n_insns > 0 && seccomp_program_load(&f->x86_direct) < 0)
                return -1;
        for (size_t i = 0; i < ELEMENTSOF(order); i++)
                if (order[i] && seccomp_load(order[i]) < 0)
                        return -1;
        return seccomp_program_load(&f->allowlist) < 0 ? -1 : 0;
}

/* Loads b (or else lib, or nothing) in a child, runs the probe; returns its errno, 0 on success,
 * -1 on trouble. */
/* A probe killed by a signal (int $0x80 without IA32 emulation is SIGSEGV). */
#define PROBE_KILLED_BY(sig) (-256 - (sig))

static int probe_loaded(const SeccompBpf *b, const SeccompFilter *lib, Probe p)
{
        pid_t pid = fork();
        int status;

        if (pid < 0)
                return -1;
        if (pid == 0) {
                /* The kernel's answer to int $0x80 without IA32 emulation is SIGSEGV: let it kill
                 * the probe, as it would any program, rather than a sanitizer's handler turning
                 * it into exit 1 (ASan installs one for SIGSEGV). */
                if (p == P_X86_KEYCTL || p == P_X86_GETPID || p == P_X86_UNKNOWN)
                        signal(SIGSEGV, SIG_DFL);
                if (b ? seccomp_bpf_load(b) < 0 : lib && load_with_libseccomp(lib) < 0)
                        _exit(254);
                errno = 0;
                _exit(probe_run(p) < 0 ? (errno & 0xff) : 0);
        }
        if (waitpid(pid, &status, 0) != pid)
                return -1;
        if (WIFSIGNALED(status))
                return PROBE_KILLED_BY(WTERMSIG(status));
        return !WIFEXITED(status) || WEXITSTATUS(status) == 254 ? -1 : WEXITSTATUS(status);
}

static int probe(const SeccompBpf *b, Probe p)
{
        return probe_loaded(b, NULL, p);
}

/* Compiled as a launch does (without the cache). bad (optional, 64 bytes) gets a copy of the
 * entry seccomp_compile() refused. */
static int build(char **filter, uint64_t caps, SeccompBpf *ret, char *bad)
{
        _cleanup_config_ ContainerConfig *c = NULL;
        const char *bad_name = NULL;
        int r = test_config_with_filter(filter, &c);
        if (r < 0)
                return r;
        r = seccomp_compile(c, caps, NULL, ret, &bad_name);
        if (bad)
                snprintf(bad, 64, "%s", strempty(bad_name));
        return r;
}

static void test_policy_tables(void)
{
        size_t n_sets = 0, unknown = 0;
        for (const SyscallSet *s = seccomp_syscall_sets; s->name; s++, n_sets++)
                for (const char *const *n = s->syscalls; *n; n++)
                        if (seccomp_syscall_resolve_name(*n) == __NR_SCMP_ERROR) {
                                printf("# unknown to libseccomp: %s in %s\n", *n, s->name);
                                unknown++;
                        }
        CHECK(n_sets >= 10, "policy has %zu named sets", n_sets);

        /* Every syscall libseccomp knows is put in some set on purpose, not left out by oversight. */
        size_t uncategorized = 0;
        uint32_t arches[] = { SCMP_ARCH_X86_64, SCMP_ARCH_X86 };
        for (size_t a = 0; a < ELEMENTSOF(arches); a++)
                for (int nr = 0; nr < 1024; nr++) {
                        char *name = seccomp_syscall_resolve_num_arch(arches[a], nr);
                        bool found = false;
                        for (const SyscallSet *s = seccomp_syscall_sets; name && !found && s->name; s++)
                                found = strv_contains((char *const *)s->syscalls, name);
                        if (name && !found) {
                                printf("# in no set: %s\n", name);
                                uncategorized++;
                        }
                        free(name);
                }
        CHECK(uncategorized == 0, "every syscall libseccomp knows belongs to a named set");
        CHECK(unknown == 0, "every syscall named by the policy is known to libseccomp");
        CHECK(seccomp_set_lookup("@file-system") && !seccomp_set_lookup("@nope"),
              "sets are looked up by name");
        for (const SyscallRestriction *r = seccomp_restrictions; r->syscall; r++)
                CHECK(seccomp_syscall_resolve_name(r->syscall) != __NR_SCMP_ERROR, "restricted %s is known",
                      r->syscall);
}

static void test_build_errors(void)
{
        SeccompBpf f = {};
        char bad[64];

        CHECK(build(STRV_MAKE("nosuchcall"), 0, &f, bad) == -EINVAL && streq(bad, "nosuchcall"),
              "unknown syscall name is refused and named");
        CHECK(build(STRV_MAKE("@file-system", "~@nosuchset"), 0, &f, bad) == -EINVAL &&
                      streq(bad, "~@nosuchset"),
              "unknown ~@set is refused and named");
}

static void test_default_filter(void)
{
        _cleanup_seccomp_bpf_ SeccompBpf f = {};
        struct timespec t0, t1;
        int r;

        clock_gettime(CLOCK_MONOTONIC, &t0);
        r = build(NULL, caps_default_set(), &f, NULL);
        CHECK(r == 0, "default filter builds (%s)", strerror(-r));
        if (r < 0)
                return;
        CHECK(seccomp_bpf_instructions(&f) > 100, "default filter compiles to %zu BPF insns",
              seccomp_bpf_instructions(&f));
        clock_gettime(CLOCK_MONOTONIC, &t1);
        printf("# build+compile %.2f ms\n", (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6);

        /* What the probes return without any filter, so "EPERM" is known to come from us. */
        CHECK(probe(NULL, P_UNKNOWN_1000) == ENOSYS, "no filter: syscall 1000 is ENOSYS anyway");
        CHECK(probe(NULL, P_MSEAL) != ENOSYS, "no filter: mseal exists on this kernel");
        CHECK(probe(NULL, P_CLOCK_SETTIME) == EINVAL, "no filter: clock_settime(CLOCK_MONOTONIC) is EINVAL");
        CHECK(probe(NULL, P_SOCKET_AUDIT_HIGH_BITS) == 0,
              "no filter: the kernel takes NETLINK_AUDIT | 1 << 32");
        CHECK(probe(NULL, P_TIOCSTI) == EBADF, "no filter: the kernel takes TIOCSTI | 1 << 32 (EBADF)");
        /* A kernel without IA32 emulation (ia32_emulation=0) kills int $0x80 callers with SIGSEGV
         * before seccomp sees the call: there the 32-bit ABI must stay unreachable. */
        int ia32_probe = probe(NULL, P_X86_GETPID);
        bool ia32 = ia32_probe == 0;
        if (!ia32) {
                printf("# this kernel has no 32-bit x86 ABI: int $0x80 is checked to stay unreachable\n");
                CHECK(ia32_probe == PROBE_KILLED_BY(SIGSEGV),
                      "no filter: int $0x80 is killed by SIGSEGV (got %d)", ia32_probe);
        }

        CHECK(probe(&f, P_GETPID) == 0, "getpid allowed");
        CHECK(probe(&f, P_IOCTL) == EBADF, "ioctl allowed (EBADF from the kernel)");
        CHECK(probe(&f, P_FORK) == 0, "fork (clone without namespace flags) allowed");
        CHECK(probe(&f, P_UNSHARE_FILES) == 0, "unshare(CLONE_FILES) allowed");
        CHECK(probe(&f, P_SOCKET_UNIX) == 0, "socket(AF_UNIX) allowed");
        CHECK(probe(&f, P_SOCKET_NETLINK_ROUTE) == 0, "socket(AF_NETLINK, NETLINK_ROUTE) allowed");
        CHECK(probe(&f, P_PERSONALITY_QUERY) == 0, "personality(0xffffffff) allowed");
        CHECK(probe(&f, P_PERSONALITY_LINUX32) == 0, "personality(PER_LINUX32) allowed");

        struct {
                Probe p;
                int expected;
                const char *what;
        } denied[] = {
                { P_KEYCTL, EPERM, "keyctl" },
                { P_ADD_KEY, EPERM, "add_key" },
                { P_BPF, EPERM, "bpf" },
                { P_UNKNOWN_1000, ENOSYS, "syscall 1000" },
                { P_MSEAL, ENOSYS, "mseal (newer than libseccomp)" },
                { P_UNSHARE_NEWUSER, EPERM, "unshare(CLONE_NEWUSER)" },
                { P_UNSHARE_NEWNS, EPERM, "unshare(CLONE_NEWNS)" },
                { P_CLONE_NEWUSER, EPERM, "clone(CLONE_NEWUSER)" },
                { P_CLONE3, ENOSYS, "clone3" },
                { P_PERSONALITY_NORANDOM, EPERM, "personality(ADDR_NO_RANDOMIZE)" },
                { P_SOCKET_ALG, EAFNOSUPPORT, "socket(AF_ALG)" },
                { P_SOCKET_AUDIT_HIGH_BITS, EPROTONOSUPPORT, "socket(AF_NETLINK, NETLINK_AUDIT | 1 << 32)" },
                { P_TIOCSTI, EPERM, "ioctl(TIOCSTI | 1 << 32)" },
                { P_SOCKET_VSOCK, EAFNOSUPPORT, "socket(AF_VSOCK)" },
                { P_SOCKET_NETLINK_AUDIT, EPROTONOSUPPORT, "socket(AF_NETLINK, NETLINK_AUDIT)" },
                { P_SOCKET_NETLINK_UEVENT, EPROTONOSUPPORT, "socket(AF_NETLINK, NETLINK_KOBJECT_UEVENT)" },
                { P_CLOCK_SETTIME, EPERM, "clock_settime" },
                { P_MOUNT, EPERM, "mount" },
                { P_PTRACE, EPERM, "ptrace" },
                { P_PERF_EVENT_OPEN, EPERM, "perf_event_open" },
                { P_IO_URING_SETUP, EPERM, "io_uring_setup" },
                { P_USERFAULTFD, EPERM, "userfaultfd" },
                { P_KEXEC_LOAD, EPERM, "kexec_load" },
                { P_INIT_MODULE, EPERM, "init_module" },
                { P_OPEN_BY_HANDLE_AT, EPERM, "open_by_handle_at" },
                { P_SWAPON, EPERM, "swapon" },
                { P_REBOOT, EPERM, "reboot" },
                { P_SETNS, EPERM, "setns" },
                { P_X86_KEYCTL, EPERM, "32-bit ABI keyctl" },
                { P_X86_UNKNOWN, ENOSYS, "32-bit ABI syscall 1000" },
                { P_X32_KEYCTL, EPERM, "x32 ABI keyctl" },
        };
        for (size_t i = 0; i < ELEMENTSOF(denied); i++) {
                if (!ia32 && (denied[i].p == P_X86_KEYCTL || denied[i].p == P_X86_UNKNOWN)) {
                        CHECK(probe(&f, denied[i].p) == PROBE_KILLED_BY(SIGSEGV),
                              "%s unreachable with the filter too (SIGSEGV, no IA32 emulation)",
                              denied[i].what);
                        continue;
                }
                int e = probe(&f, denied[i].p);
                CHECK(e == denied[i].expected, "%s fails with %s (got %s)", denied[i].what,
                      strerrorname_np(denied[i].expected),
                      e > 0    ? strerrorname_np(e)
                      : e == 0 ? "success"
                               : "?");
        }
        if (ia32)
                CHECK(probe(&f, P_X86_GETPID) == 0, "32-bit ABI getpid allowed");
        else
                CHECK(probe(&f, P_X86_GETPID) == PROBE_KILLED_BY(SIGSEGV),
                      "32-bit ABI getpid unreachable with the filter too (SIGSEGV, no IA32 emulation)");
}

static void test_edits(void)
{
        _cleanup_seccomp_bpf_ SeccompBpf time_cap = {}, time_cap_removed = {}, keys = {}, no_socket = {},
                                         ns = {}, admin = {}, all = {};

        CHECK(build(NULL, caps_default_set() | (UINT64_C(1) << CAP_SYS_TIME), &time_cap, NULL) == 0,
              "filter with CAP_SYS_TIME builds");
        CHECK(probe(&time_cap, P_CLOCK_SETTIME) == EINVAL, "CAP_SYS_TIME lets clock_settime through");
        CHECK(build(STRV_MAKE("~@clock"), caps_default_set() | (UINT64_C(1) << CAP_SYS_TIME),
                    &time_cap_removed, NULL) == 0 &&
                      probe(&time_cap_removed, P_CLOCK_SETTIME) == EPERM,
              "SystemCallFilter=~@clock wins over CAP_SYS_TIME");

        CHECK(build(STRV_MAKE("@keyring"), caps_default_set(), &keys, NULL) == 0,
              "filter with @keyring builds");
        CHECK(probe(&keys, P_KEYCTL) != EPERM, "SystemCallFilter=@keyring allows keyctl");
        CHECK(probe(&keys, P_BPF) == EPERM, "... and still refuses bpf");

        CHECK(build(STRV_MAKE("~socket"), caps_default_set(), &no_socket, NULL) == 0 &&
                      probe(&no_socket, P_SOCKET_UNIX) == EPERM,
              "SystemCallFilter=~socket refuses socket(AF_UNIX) with EPERM");

        CHECK(build(STRV_MAKE("@namespaces"), caps_default_set(), &ns, NULL) == 0,
              "filter with @namespaces builds");
        CHECK(probe(&ns, P_SETNS) == EBADF, "@namespaces allows setns (EBADF from the kernel)");
        CHECK(probe(&ns, P_UNSHARE_NEWUSER) == 0, "@namespaces lifts the CLONE_NEWUSER restriction");
        CHECK(probe(&ns, P_CLONE3) != ENOSYS, "@namespaces lifts the clone3 ENOSYS");

        CHECK(build(NULL, caps_default_set() | (UINT64_C(1) << CAP_SYS_ADMIN), &admin, NULL) == 0,
              "filter with CAP_SYS_ADMIN builds");
        CHECK(probe(&admin, P_MOUNT) == ENOENT, "CAP_SYS_ADMIN lets mount through (ENOENT from the kernel)");
        CHECK(probe(&admin, P_UNSHARE_NEWNS) == 0, "CAP_SYS_ADMIN lifts the namespace restriction");
        CHECK(probe(&admin, P_KEXEC_LOAD) == EPERM, "CAP_SYS_ADMIN does not allow kexec_load");
        CHECK(probe(&admin, P_TIOCSTI) == EPERM, "CAP_SYS_ADMIN does not lift the TIOCSTI/TIOCLINUX rule");
        CHECK(build(NULL, caps_all(), &all, NULL) == 0 && probe(&all, P_TIOCSTI) == EPERM,
              "no capability lifts the TIOCSTI/TIOCLINUX rule (Capability=all)");
}

/* What the kernel holds for a process that loaded a filter: its programs in load order, read back
 * with PTRACE_SECCOMP_GET_FILTER, and its NoNewPrivs and Seccomp_filters lines. */
typedef struct Installed {
        size_t n;
        struct sock_filter *programs[8];
        size_t lengths[8];
        int no_new_privs, filters;
} Installed;

static void installed_done(Installed *in)
{
        for (size_t i = 0; i < in->n; i++)
                free(in->programs[i]);
        *in = (Installed){};
}

static void status_read(pid_t pid, Installed *in)
{
        char path[64], line[256];
        FILE *f;

        snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
        f = fopen(path, "re");
        in->no_new_privs = in->filters = -1;
        while (f && fgets(line, sizeof(line), f)) {
                if (strncmp(line, "NoNewPrivs:", 11) == 0)
                        in->no_new_privs = atoi(line + 11);
                if (strncmp(line, "Seccomp_filters:", 16) == 0)
                        in->filters = atoi(line + 16);
        }
        if (f)
                fclose(f);
}

/* Loads b (or else lib) in a stopped, traced child and reads what the kernel installed.
 * Returns 0, -EOPNOTSUPP when this kernel cannot hand filters out (no CONFIG_CHECKPOINT_RESTORE),
 * other -errno on trouble. */
static int installed_read(const SeccompBpf *b, const SeccompFilter *lib, Installed *ret)
{
        Installed in = {};
        int status, r = 0;
        pid_t pid = fork();

        if (pid < 0)
                return -errno;
        if (pid == 0) {
                if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) < 0)
                        _exit(1);
                if (b ? seccomp_bpf_load(b) < 0 : load_with_libseccomp(lib) < 0)
                        _exit(2);
                raise(SIGSTOP);
                _exit(3);
        }
        if (waitpid(pid, &status, 0) != pid || !WIFSTOPPED(status)) {
                r = -ECHILD;
                goto out;
        }
        status_read(pid, &in);
        /* Index 0 is the program loaded first (the kernel counts back from the oldest). */
        for (long i = 0; i < (long)ELEMENTSOF(in.programs); i++) {
                long n = ptrace(PTRACE_SECCOMP_GET_FILTER, pid, i, NULL);
                if (n < 0) {
                        r = errno == ENOENT ? 0 : errno == EIO || errno == EINVAL ? -EOPNOTSUPP : -errno;
                        break;
                }
                struct sock_filter *p = calloc(n, sizeof(*p));
                if (!p || ptrace(PTRACE_SECCOMP_GET_FILTER, pid, i, p) != n) {
                        free(p);
                        r = -EIO;
                        break;
                }
                in.programs[in.n] = p;
                in.lengths[in.n++] = (size_t)n;
        }
out:
        kill(pid, SIGKILL);
        (void)waitpid(pid, NULL, 0);
        if (r < 0) {
                installed_done(&in);
                return r;
        }
        *ret = in;
        return 0;
}

static bool installed_equal_bpf(const Installed *in, const SeccompBpf *b)
{
        if (in->n != b->n_programs)
                return false;
        for (size_t i = 0; i < in->n; i++)
                if (in->lengths[i] != b->programs[i].n_insns ||
                    memcmp(in->programs[i], b->programs[i].insns,
                           in->lengths[i] * sizeof(struct sock_filter)) != 0)
                        return false;
        return true;
}

/* seccomp_bpf_load() of the programs exported in the supervisor installs byte for byte what
 * seccomp_load() installs when it compiles them in the child, with the same no_new_privs. */
static void test_load_equivalence(void)
{
        const struct {
                const char *what;
                char **filter;
                uint64_t extra_caps;
                bool no_new_privileges;
                bool all_probes;
        } cases[] = {
                { "default", NULL, 0, true, true },
                { "@keyring", STRV_MAKE("@keyring"), 0, true, false },
                { "~socket", STRV_MAKE("~socket"), 0, true, false },
                { "@namespaces", STRV_MAKE("@namespaces"), 0, true, false },
                { "CAP_SYS_ADMIN, NoNewPrivileges=no", NULL, UINT64_C(1) << CAP_SYS_ADMIN, false, true },
        };
        bool skipped = false;

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                _cleanup_config_ ContainerConfig *c = NULL;
                _cleanup_seccomp_filter_ SeccompFilter lib = {};
                _cleanup_seccomp_bpf_ SeccompBpf b = {}, compiled = {};
                _cleanup_(installed_done) Installed by_lib = {}, by_bpf = {};
                uint64_t caps = caps_default_set() | cases[i].extra_caps;
                int r;

                if (test_config_with_filter(cases[i].filter, &c) < 0)
                        continue;
                c->no_new_privileges = cases[i].no_new_privileges;
                CHECK(seccomp_build_filter(c, caps, &lib, NULL) == 0 &&
                              seccomp_filter_export(&lib, &b) == 0 &&
                              seccomp_compile(c, caps, NULL, &compiled, NULL) == 0,
                      "%s: builds and exports", cases[i].what);
                if (b.n_programs == 0)
                        continue;
                CHECK(compiled.n_programs == b.n_programs &&
                              seccomp_bpf_instructions(&compiled) == seccomp_bpf_instructions(&b),
                      "%s: seccomp_compile() gives the exported programs", cases[i].what);

                r = installed_read(NULL, &lib, &by_lib);
                if (r == -EOPNOTSUPP) {
                        skipped = true;
                } else {
                        CHECK(r == 0 && installed_read(&b, NULL, &by_bpf) == 0, "%s: filters read back (%s)",
                              cases[i].what, strerror(-r));
                        CHECK(installed_equal_bpf(&by_lib, &b),
                              "%s: seccomp_load() installs the %zu exported programs byte for byte",
                              cases[i].what, b.n_programs);
                        CHECK(installed_equal_bpf(&by_bpf, &b),
                              "%s: seccomp_bpf_load() installs the same %zu programs", cases[i].what,
                              b.n_programs);
                        CHECK(by_bpf.filters == by_lib.filters && by_bpf.filters == (int)b.n_programs,
                              "%s: Seccomp_filters %d either way", cases[i].what, by_bpf.filters);
                        CHECK(by_bpf.no_new_privs == by_lib.no_new_privs &&
                                      by_bpf.no_new_privs == (int)cases[i].no_new_privileges,
                              "%s: NoNewPrivs %d either way", cases[i].what, by_bpf.no_new_privs);
                }

                if (!cases[i].all_probes)
                        continue;
                size_t differ = 0;
                for (Probe p = 0; p < _P_MAX; p++) {
                        if (probe_loaded(NULL, NULL, p) < 0)
                                continue; /* cannot run here at all (int $0x80 on some VMs) */
                        int e_lib = probe_loaded(NULL, &lib, p), e_bpf = probe_loaded(&b, NULL, p);
                        if (e_lib != e_bpf || e_lib < 0) {
                                printf("# probe %d: seccomp_load %d, seccomp_bpf_load %d\n", (int)p, e_lib,
                                       e_bpf);
                                differ++;
                        }
                }
                CHECK(differ == 0, "%s: every probe gets the same answer either way", cases[i].what);
        }
        if (skipped)
                printf("ok %d # SKIP PTRACE_SECCOMP_GET_FILTER is not available on this kernel\n", ++test_n);
}

/* A classic BPF interpreter for seccomp programs: what the kernel computes for data, program by
 * program. Returns the program's answer, or UINT32_MAX for an instruction it does not know or a
 * jump out of the program (the kernel's checker would have refused either). */
static uint32_t bpf_run(const struct sock_filter *insns, size_t n, const struct seccomp_data *data)
{
        uint32_t a = 0, x = 0, mem[BPF_MEMWORDS] = {};

        for (size_t pc = 0; pc < n; pc++) {
                const struct sock_filter *i = &insns[pc];
                uint32_t src = BPF_SRC(i->code) == BPF_X ? x : i->k;

                switch (BPF_CLASS(i->code)) {
                case BPF_LD:
                        if (i->code == (BPF_LD | BPF_W | BPF_ABS) && i->k % 4 == 0 && i->k < sizeof(*data))
                                memcpy(&a, (const char *)data + i->k, 4);
                        else if (i->code == (BPF_LD | BPF_IMM))
                                a = i->k;
                        else if (i->code == (BPF_LD | BPF_MEM) && i->k < BPF_MEMWORDS)
                                a = mem[i->k];
                        else
                                return UINT32_MAX;
                        break;
                case BPF_LDX:
                        if (i->code == (BPF_LDX | BPF_IMM))
                                x = i->k;
                        else if (i->code == (BPF_LDX | BPF_MEM) && i->k < BPF_MEMWORDS)
                                x = mem[i->k];
                        else
                                return UINT32_MAX;
                        break;
                case BPF_ST:
                        if (i->k >= BPF_MEMWORDS)
                                return UINT32_MAX;
                        mem[i->k] = a;
                        break;
                case BPF_STX:
                        if (i->k >= BPF_MEMWORDS)
                                return UINT32_MAX;
                        mem[i->k] = x;
                        break;
                case BPF_ALU:
                        switch (BPF_OP(i->code)) {
                        case BPF_ADD: a += src; break;
                        case BPF_SUB: a -= src; break;
                        case BPF_MUL: a *= src; break;
                        case BPF_OR: a |= src; break;
                        case BPF_AND: a &= src; break;
                        case BPF_XOR: a ^= src; break;
                        case BPF_LSH: a = src < 32 ? a << src : 0; break;
                        case BPF_RSH: a = src < 32 ? a >> src : 0; break;
                        case BPF_NEG: a = -a; break;
                        default: return UINT32_MAX;
                        }
                        break;
                case BPF_JMP: {
                        bool taken;
                        switch (BPF_OP(i->code)) {
                        case BPF_JA: pc += i->k; continue;
                        case BPF_JEQ: taken = a == src; break;
                        case BPF_JGT: taken = a > src; break;
                        case BPF_JGE: taken = a >= src; break;
                        case BPF_JSET: taken = (a & src) != 0; break;
                        default: return UINT32_MAX;
                        }
                        pc += taken ? i->jt : i->jf;
                        break;
                }
                case BPF_RET: return BPF_RVAL(i->code) == BPF_A ? a : i->k;
                case BPF_MISC:
                        if (BPF_MISCOP(i->code) == BPF_TAX)
                                x = a;
                        else
                                a = x;
                        break;
                default: return UINT32_MAX;
                }
        }
        return UINT32_MAX;
}

/* What the kernel answers with every program of a filter loaded, programs[0] loaded first: the
 * newest program is run first and a later answer replaces it only with a strictly more
 * restrictive action (kernel/seccomp.c, seccomp_run_filters()). */
static uint32_t filter_run(struct sock_filter *const *programs, const size_t *lengths, size_t n,
                           const struct seccomp_data *data)
{
        uint32_t ret = SECCOMP_RET_ALLOW;

        for (size_t i = n; i-- > 0;) {
                uint32_t cur = bpf_run(programs[i], lengths[i], data);
                if (cur == UINT32_MAX)
                        return UINT32_MAX;
                if ((int32_t)(cur & SECCOMP_RET_ACTION_FULL) < (int32_t)(ret & SECCOMP_RET_ACTION_FULL))
                        ret = cur;
        }
        return ret;
}

static const char *answer_name(uint32_t r, char buf[static 64])
{
        if (r == UINT32_MAX)
                return "bad program";
        if ((r & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_ALLOW)
                return "ALLOW";
        if ((r & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_ERRNO)
                snprintf(buf, 64, "ERRNO(%s)", strerrorname_np(r & SECCOMP_RET_DATA) ?: "?");
        else
                snprintf(buf, 64, "action 0x%08x", r);
        return buf;
}

#define ERRNO_OF(e) (SECCOMP_RET_ERRNO | (e))

/* The 32-bit x86 ABI's socket rules, evaluated on the BPF the kernel holds (read back from a
 * child that loaded it; the exported programs where the kernel cannot hand them out). This kernel
 * may have no IA32 emulation, so the i386 calls cannot be made here: the programs are run for
 * AUDIT_ARCH_I386 by the interpreter above. tests/vm runs the same calls in a guest that has it. */
static void test_x86_socket_rules(void)
{
        const struct {
                const char *what;
                uint32_t arch;
                int nr;
                uint64_t a0, a1, a2;
                uint64_t extra_caps;
                uint32_t expected;
        } cases[] = {
                { "i386 socket(AF_ALG)", AUDIT_ARCH_I386, 359, AF_ALG, SOCK_SEQPACKET, 0, 0,
                  ERRNO_OF(EAFNOSUPPORT) },
                { "i386 socket(AF_VSOCK)", AUDIT_ARCH_I386, 359, AF_VSOCK, SOCK_STREAM, 0, 0,
                  ERRNO_OF(EAFNOSUPPORT) },
                { "i386 socket(AF_NETLINK, NETLINK_AUDIT)", AUDIT_ARCH_I386, 359, AF_NETLINK, SOCK_RAW,
                  NETLINK_AUDIT, 0, ERRNO_OF(EPROTONOSUPPORT) },
                { "i386 socket(AF_NETLINK, NETLINK_KOBJECT_UEVENT)", AUDIT_ARCH_I386, 359, AF_NETLINK,
                  SOCK_RAW, NETLINK_KOBJECT_UEVENT, 0, ERRNO_OF(EPROTONOSUPPORT) },
                { "i386 socket(AF_NETLINK, NETLINK_AUDIT) with CAP_AUDIT_WRITE", AUDIT_ARCH_I386, 359,
                  AF_NETLINK, SOCK_RAW, NETLINK_AUDIT, UINT64_C(1) << CAP_AUDIT_WRITE, SECCOMP_RET_ALLOW },
                { "i386 socket(AF_INET)", AUDIT_ARCH_I386, 359, AF_INET, SOCK_STREAM, 0, 0,
                  SECCOMP_RET_ALLOW },
                { "i386 socket(AF_UNIX)", AUDIT_ARCH_I386, 359, AF_UNIX, SOCK_STREAM, 0, 0,
                  SECCOMP_RET_ALLOW },
                { "i386 socket(AF_NETLINK, NETLINK_ROUTE)", AUDIT_ARCH_I386, 359, AF_NETLINK, SOCK_RAW,
                  NETLINK_ROUTE, 0, SECCOMP_RET_ALLOW },
                { "i386 socketpair(AF_UNIX)", AUDIT_ARCH_I386, 360, AF_UNIX, SOCK_STREAM, 0, 0,
                  SECCOMP_RET_ALLOW },
                /* socketcall(call, args): the family is behind the pointer, out of any filter's reach. */
                { "i386 socketcall(SYS_SOCKET)", AUDIT_ARCH_I386, 102, 1, 0x10000, 0, 0, ERRNO_OF(ENOSYS) },
                { "i386 socketcall(SYS_SOCKETPAIR)", AUDIT_ARCH_I386, 102, 8, 0x10000, 0, 0,
                  ERRNO_OF(ENOSYS) },
                { "i386 socketcall(SYS_SOCKET | 1 << 32) (the kernel reads an int)", AUDIT_ARCH_I386, 102,
                  1 | (UINT64_C(1) << 32), 0x10000, 0, 0, ERRNO_OF(ENOSYS) },
                { "i386 socketcall(SYS_CONNECT)", AUDIT_ARCH_I386, 102, 3, 0x10000, 0, 0,
                  SECCOMP_RET_ALLOW },
                { "i386 socketcall(SYS_SENDMSG)", AUDIT_ARCH_I386, 102, 16, 0x10000, 0, 0,
                  SECCOMP_RET_ALLOW },
                { "i386 keyctl", AUDIT_ARCH_I386, 288, 0, 0, 0, 0, ERRNO_OF(EPERM) },
                { "i386 getpid", AUDIT_ARCH_I386, 20, 0, 0, 0, 0, SECCOMP_RET_ALLOW },
                { "x86_64 socket(AF_ALG)", AUDIT_ARCH_X86_64, SYS_socket, AF_ALG, SOCK_SEQPACKET, 0, 0,
                  ERRNO_OF(EAFNOSUPPORT) },
                { "x86_64 socket(AF_INET)", AUDIT_ARCH_X86_64, SYS_socket, AF_INET, SOCK_STREAM, 0, 0,
                  SECCOMP_RET_ALLOW },
                { "x86_64 syscall 359 (no such call there: the i386 rule stays on i386)", AUDIT_ARCH_X86_64,
                  359, AF_ALG, 0, 0, 0, ERRNO_OF(ENOSYS) },
                { "x32 socket(AF_VSOCK)", AUDIT_ARCH_X86_64, 0x40000000 | SYS_socket, AF_VSOCK, SOCK_STREAM,
                  0, 0, ERRNO_OF(EAFNOSUPPORT) },
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                _cleanup_seccomp_bpf_ SeccompBpf b = {};
                _cleanup_(installed_done) Installed in = {};
                struct seccomp_data d = { .nr = cases[i].nr,
                                          .arch = cases[i].arch,
                                          .args = { cases[i].a0, cases[i].a1, cases[i].a2 } };
                char buf_e[64], buf_i[64], buf_x[64];
                const char *source = "installed";
                uint32_t exported, installed;
                int r;

                r = build(NULL, caps_default_set() | cases[i].extra_caps, &b, NULL);
                if (r < 0) {
                        CHECK(false, "%s: filter builds (%s)", cases[i].what, strerror(-r));
                        continue;
                }
                struct sock_filter *programs[SECCOMP_PROGRAMS_MAX];
                size_t lengths[SECCOMP_PROGRAMS_MAX];
                for (size_t k = 0; k < b.n_programs; k++) {
                        programs[k] = b.programs[k].insns;
                        lengths[k] = b.programs[k].n_insns;
                }
                exported = filter_run(programs, lengths, b.n_programs, &d);
                r = installed_read(&b, NULL, &in);
                if (r == -EOPNOTSUPP) {
                        source = "exported (the kernel hands out no filters)";
                        installed = exported;
                } else if (r < 0) {
                        CHECK(false, "%s: the installed filter reads back (%s)", cases[i].what,
                              strerror(-r));
                        continue;
                } else
                        installed = filter_run(in.programs, in.lengths, in.n, &d);
                CHECK(installed == cases[i].expected && exported == installed,
                      "%s: %s (%s BPF: %s, exported: %s)", cases[i].what,
                      answer_name(cases[i].expected, buf_x), source, answer_name(installed, buf_i),
                      answer_name(exported, buf_e));
        }
}

/* The expected answer of map for nr: the last entry for nr, else the default. */
static uint32_t map_lookup(const SyscallActionMap *m, uint32_t nr)
{
        for (size_t i = m->n; i-- > 0;)
                if (m->v[i].nr == nr)
                        return m->v[i].action;
        return m->default_action;
}

/* seccomp-bpf.c on maps no policy has: long ones (blocks past a conditional jump's reach: one RET
 * per leaf, JA over long lower halves; past BPF_MAXINSNS), the ends of the number space, repeats
 * and conflicts. The answers are checked against the map itself. */
static void test_number_map_generator(void)
{
        const uint32_t answers[] = { SECCOMP_RET_ALLOW, SECCOMP_RET_ERRNO | EPERM,
                                     SECCOMP_RET_ERRNO | EACCES, SECCOMP_RET_KILL_THREAD };
        const size_t sizes[] = { 0, 1, 2, 3, 100, 700, 3000 };
        unsigned seed = 16;

        for (size_t t = 0; t < ELEMENTSOF(sizes); t++) {
                _cleanup_free_ SyscallAction *v = calloc(sizes[t] + 4, sizeof(*v));
                _cleanup_free_ struct sock_filter *insns = NULL;
                size_t n = 0, differ = 0, asked = 0;

                if (!v)
                        return;
                for (size_t i = 0; i < sizes[t]; i++) /* dense, so runs and gaps alternate */
                        v[n++] = (SyscallAction){ (uint32_t)(rand_r(&seed) % (3 * sizes[t] + 1)),
                                                  answers[rand_r(&seed) % ELEMENTSOF(answers)] };
                for (size_t i = 0; i < n; i++) /* a repeat must agree: keep the first answer */
                        for (size_t j = 0; j < i; j++)
                                if (v[j].nr == v[i].nr)
                                        v[i].action = v[j].action;
                if (sizes[t] >= 2) {
                        v[n++] = (SyscallAction){ 0, answers[0] };
                        v[n++] = (SyscallAction){ UINT32_MAX, answers[1] };
                        for (size_t i = 0; i + 2 < n; i++)
                                if (v[i].nr == 0)
                                        v[i].action = answers[0];
                }
                SyscallActionMap maps[] = {
                        { AUDIT_ARCH_X86_64, SECCOMP_RET_ERRNO | ENOSYS, v, n },
                        { AUDIT_ARCH_I386, SECCOMP_RET_ALLOW, v, n / 2 },
                };
                int r = seccomp_number_map_compile(maps, ELEMENTSOF(maps), SECCOMP_RET_KILL_PROCESS, &insns);
                if (sizes[t] > 1000) { /* some 4000 ranges: past BPF_MAXINSNS */
                        CHECK(r == -E2BIG, "map of %zu numbers is too long for one program (E2BIG)", n);
                        continue;
                }
                CHECK(r > 0, "map of %zu numbers compiles (%s)", n, r < 0 ? strerror(-r) : "ok");
                if (r <= 0)
                        continue;
                const uint32_t arches[] = { AUDIT_ARCH_X86_64, AUDIT_ARCH_I386, AUDIT_ARCH_AARCH64 };
                for (size_t a = 0; a < ELEMENTSOF(arches); a++)
                        for (uint64_t k = 0; k < 3 * sizes[t] + 8; k++)
                                for (int top = 0; top < 2; top++) {
                                        uint32_t nr = top ? UINT32_MAX - (uint32_t)k : (uint32_t)k;
                                        struct seccomp_data d = { .nr = (int)nr, .arch = arches[a] };
                                        uint32_t want =
                                                a == 2 ? SECCOMP_RET_KILL_PROCESS : map_lookup(&maps[a], nr);
                                        asked++;
                                        if (bpf_run(insns, (size_t)r, &d) != want && differ++ < 5)
                                                printf("# arch 0x%08x nr 0x%08x: 0x%08x, want 0x%08x\n",
                                                       arches[a], nr, bpf_run(insns, (size_t)r, &d), want);
                                }
                CHECK(differ == 0, "map of %zu numbers: %d BPF instructions answer all %zu (arch, nr) asked",
                      n, r, asked);
        }

        _cleanup_free_ struct sock_filter *insns = NULL;
        SyscallAction conflict[] = { { 5, SECCOMP_RET_ALLOW }, { 5, SECCOMP_RET_ERRNO | EPERM } };
        SyscallActionMap m[] = { { AUDIT_ARCH_X86_64, SECCOMP_RET_ALLOW, conflict, 2 },
                                 { AUDIT_ARCH_X86_64, SECCOMP_RET_ALLOW, NULL, 0 } };
        CHECK(seccomp_number_map_compile(m, 1, SECCOMP_RET_KILL_PROCESS, &insns) == -EEXIST,
              "one number with two answers is refused (EEXIST)");
        m[0].n = 1;
        CHECK(seccomp_number_map_compile(m, 2, SECCOMP_RET_KILL_PROCESS, &insns) == -EINVAL,
              "one arch twice is refused (EINVAL)");
}

/* libseccomp's allowlist program for the same config (seccomp_export_bpf through a memfd). */
static int reference_export(const ContainerConfig *c, uint64_t caps, struct sock_filter **ret, size_t *ret_n)
{
        _cleanup_(seccomp_releasep) scmp_filter_ctx ref = NULL;
        _cleanup_close_ int fd = -EBADF;
        struct sock_filter *insns;
        struct stat st;
        int r;

        r = seccomp_allowlist_reference(c, caps, &ref, NULL);
        if (r < 0)
                return r;
        fd = memfd_create("test-seccomp", MFD_CLOEXEC);
        if (fd < 0)
                return -errno;
        r = seccomp_export_bpf(ref, fd);
        if (r < 0)
                return r;
        if (fstat(fd, &st) < 0)
                return -errno;
        insns = malloc(st.st_size);
        if (!insns)
                return -ENOMEM;
        if (pread(fd, insns, st.st_size, 0) != st.st_size) {
                free(insns);
                return -EIO;
        }
        *ret = insns;
        *ret_n = (size_t)st.st_size / sizeof(*insns);
        return 0;
}

static int compare_u32(const void *a, const void *b)
{
        uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
        return x < y ? -1 : x > y;
}

/* The numbers worth asking both programs about: every nr in [0, 4096) and in [0x40000000,
 * 0x40001000) (x32), the top of the range, and every constant either program compares nr with,
 * +-1 (the range boundaries of berth's, the rule numbers of libseccomp's). */
static size_t probe_numbers(const struct sock_filter *a, size_t n_a, const struct sock_filter *b, size_t n_b,
                            uint32_t **ret)
{
        size_t n = 0, cap = 2 * 4096 + 3 + 3 * (n_a + n_b);
        uint32_t *v = calloc(cap, sizeof(*v));

        if (!v)
                return 0;
        for (uint32_t nr = 0; nr < 4096; nr++) {
                v[n++] = nr;
                v[n++] = 0x40000000 + nr;
        }
        v[n++] = 0x7fffffff;
        v[n++] = 0x80000000;
        v[n++] = 0xffffffff;
        for (size_t p = 0; p < 2; p++)
                for (size_t i = 0; i < (p ? n_b : n_a); i++) {
                        const struct sock_filter *in = p ? &b[i] : &a[i];
                        if (BPF_CLASS(in->code) != BPF_JMP || BPF_OP(in->code) == BPF_JA)
                                continue;
                        v[n++] = in->k - 1;
                        v[n++] = in->k;
                        v[n++] = in->k + 1;
                }
        qsort(v, n, sizeof(*v), compare_u32);
        *ret = v;
        return n;
}

/* berth's allowlist program (seccomp-bpf.c) answers every (arch, nr) exactly as the program
 * libseccomp compiles from the same names, and is shorter. Both run in the interpreter above on
 * every arch the kernel could report: the three x86 ABIs' and foreign ones. */
static void test_allowlist_generator(void)
{
        const struct {
                const char *what;
                char **filter;
                uint64_t extra_caps;
                bool boot;
        } cases[] = {
                { "default", NULL, 0, false },
                { "@keyring", STRV_MAKE("@keyring"), 0, false },
                { "~socket", STRV_MAKE("~socket"), 0, false },
                { "~socketcall", STRV_MAKE("~socketcall"), 0, false },
                { "~@ipc", STRV_MAKE("~@ipc"), 0, false },
                { "@namespaces", STRV_MAKE("@namespaces"), 0, false },
                { "CAP_SYS_ADMIN", NULL, UINT64_C(1) << CAP_SYS_ADMIN, false },
                { "Boot=yes", NULL, 0, true },
        };
        const uint32_t arches[] = { AUDIT_ARCH_X86_64, AUDIT_ARCH_I386, AUDIT_ARCH_AARCH64, 0 };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                _cleanup_config_ ContainerConfig *c = NULL;
                _cleanup_seccomp_filter_ SeccompFilter f = {};
                _cleanup_free_ struct sock_filter *ref = NULL;
                _cleanup_free_ uint32_t *nrs = NULL;
                size_t n_ref = 0, n_nrs, differ = 0, asked = 0;
                uint64_t caps;
                int r;

                r = test_config_with_filter(cases[i].filter, &c);
                if (r >= 0) {
                        c->boot = cases[i].boot;
                        caps = caps_effective_set(c) | cases[i].extra_caps;
                        r = seccomp_build_filter(c, caps, &f, NULL);
                }
                if (r >= 0)
                        r = reference_export(c, caps, &ref, &n_ref);
                CHECK(r >= 0, "%s: both allowlist programs build (%s)", cases[i].what, strerror(-r));
                if (r < 0)
                        continue;
                printf("# %s: allowlist program %u BPF instructions, libseccomp's %zu\n", cases[i].what,
                       f.allowlist.n_insns, n_ref);
                CHECK(f.allowlist.n_insns < n_ref, "%s: berth's allowlist program is shorter (%u < %zu)",
                      cases[i].what, f.allowlist.n_insns, n_ref);

                n_nrs = probe_numbers(f.allowlist.insns, f.allowlist.n_insns, ref, n_ref, &nrs);
                for (size_t a = 0; a < ELEMENTSOF(arches); a++)
                        for (size_t k = 0; k < n_nrs; k++) {
                                struct seccomp_data d = { .nr = (int)nrs[k], .arch = arches[a] };
                                uint32_t ours = bpf_run(f.allowlist.insns, f.allowlist.n_insns, &d);
                                uint32_t theirs = bpf_run(ref, n_ref, &d);
                                char b1[64], b2[64];

                                asked++;
                                if (ours == theirs && ours != UINT32_MAX)
                                        continue;
                                if (differ++ < 10)
                                        printf("# %s: arch 0x%08x nr 0x%08x: berth %s, libseccomp %s\n",
                                               cases[i].what, arches[a], nrs[k], answer_name(ours, b1),
                                               answer_name(theirs, b2));
                        }
                CHECK(n_nrs > 0 && differ == 0,
                      "%s: berth's allowlist answers all %zu (arch, nr) pairs asked like libseccomp's (%zu "
                      "differ)",
                      cases[i].what, asked, differ);
        }
}

/* The generated allowlist program alone, loaded into the kernel: allowed calls work, known ones
 * outside the list fail with EPERM, unknown numbers with ENOSYS, on every x86 ABI. */
static void test_allowlist_generator_loaded(void)
{
        _cleanup_config_ ContainerConfig *c = NULL;
        _cleanup_seccomp_filter_ SeccompFilter f = {};
        SeccompBpf only = {};
        bool ia32 = probe(NULL, P_X86_GETPID) == 0;
        int r;

        r = test_config_with_filter(NULL, &c);
        if (r >= 0)
                r = seccomp_build_filter(c, caps_default_set(), &f, NULL);
        CHECK(r >= 0, "default filter builds (%s)", strerror(-r));
        if (r < 0)
                return;
        only.n_programs = 1;
        only.programs[0] = f.allowlist; /* borrowed: not seccomp_bpf_done()ed */

        CHECK(probe(&only, P_GETPID) == 0, "allowlist program alone: getpid allowed");
        CHECK(probe(&only, P_KEYCTL) == EPERM, "allowlist program alone: keyctl EPERM");
        CHECK(probe(&only, P_MOUNT) == EPERM, "allowlist program alone: mount EPERM");
        CHECK(probe(&only, P_UNKNOWN_1000) == ENOSYS, "allowlist program alone: syscall(1000) ENOSYS");
        CHECK(probe(&only, P_MSEAL) == ENOSYS,
              "allowlist program alone: mseal (unknown to libseccomp) ENOSYS");
        CHECK(probe(&only, P_X32_KEYCTL) == EPERM, "allowlist program alone: x32 keyctl EPERM");
        if (ia32) {
                CHECK(probe(&only, P_X86_GETPID) == 0, "allowlist program alone: i386 getpid allowed");
                CHECK(probe(&only, P_X86_KEYCTL) == EPERM, "allowlist program alone: i386 keyctl EPERM");
                CHECK(probe(&only, P_X86_UNKNOWN) == ENOSYS,
                      "allowlist program alone: i386 syscall 1000 ENOSYS");
        } else
                CHECK(probe(&only, P_X86_KEYCTL) == PROBE_KILLED_BY(SIGSEGV),
                      "allowlist program alone: i386 keyctl unreachable (no IA32 emulation here)");
}

/* Boot=yes (issue 15): what a booted system needs passes the filter: the uevent socket
 * systemd-logind watches devices with, and reboot(2) through the kept CAP_SYS_BOOT; the audit
 * socket stays refused, and DropCapability=CAP_SYS_BOOT takes reboot(2) away again. */
static void test_boot(void)
{
        _cleanup_config_ ContainerConfig *c = NULL;
        _cleanup_seccomp_bpf_ SeccompBpf f = {}, dropped = {};
        int r;

        r = test_config_with_filter(NULL, &c);
        CHECK(r == 0, "config for Boot=yes (%s)", strerror(-r));
        if (r < 0)
                return;
        c->boot = true;
        CHECK(caps_effective_set(c) & (UINT64_C(1) << CAP_SYS_BOOT), "Boot=yes keeps CAP_SYS_BOOT");
        r = seccomp_compile(c, caps_effective_set(c), NULL, &f, NULL);
        CHECK(r == 0, "Boot=yes: the filter builds (%s)", strerror(-r));
        if (r < 0)
                return;
        CHECK(probe(&f, P_SOCKET_NETLINK_UEVENT) == 0,
              "Boot=yes: socket(AF_NETLINK, NETLINK_KOBJECT_UEVENT) allowed");
        CHECK(probe(&f, P_REBOOT) == EINVAL, "Boot=yes: reboot reaches the kernel (EINVAL: bad magic)");
        CHECK(probe(&f, P_SOCKET_NETLINK_AUDIT) == EPROTONOSUPPORT,
              "Boot=yes: socket(AF_NETLINK, NETLINK_AUDIT) still refused");

        c->capability_drop |= UINT64_C(1) << CAP_SYS_BOOT;
        r = seccomp_compile(c, caps_effective_set(c), NULL, &dropped, NULL);
        CHECK(r == 0 && probe(&dropped, P_REBOOT) == EPERM,
              "Boot=yes with DropCapability=CAP_SYS_BOOT: reboot refused (EPERM)");
}

int main(void)
{
        test_policy_tables();
        test_build_errors();
        test_default_filter();
        test_edits();
        test_load_equivalence();
        test_x86_socket_rules();
        test_boot();
        test_number_map_generator();
        test_allowlist_generator();
        test_allowlist_generator_loaded();
        return test_done();
}
