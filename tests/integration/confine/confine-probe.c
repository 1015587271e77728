/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Runs inside a container (static, no berth code): tries privileged operations and prints what
 * the kernel answered, so test-run-confinement.sh can compare with what the policy promises.
 *   confine-probe ops          one line per operation: "NAME ERRNO" (ERRNO "ok" on success)
 *   confine-probe status       CapBnd CapEff CapPrm CapInh CapAmb NoNewPrivs Seccomp of itself
 *   confine-probe fds          its open fds, sorted
 *   confine-probe create PATH  creates PATH (as whoever runs it) */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/keyctl.h>
#include <linux/netlink.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../lib/x86-32-syscall.h"

/* i386 socketcall(SYS_SOCKET, {family, type, 0}): its arguments in memory below 4 GiB, where
 * the 32-bit ABI can address them. */
static long x86_socketcall_socket(int family, int type)
{
        unsigned *args =
                mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
        long r;

        if (args == MAP_FAILED)
                return -1;
        args[0] = (unsigned)family;
        args[1] = (unsigned)type;
        args[2] = 0;
        r = x86_32_syscall3(102 /* socketcall */, 1 /* SYS_SOCKET */, (long)(unsigned long)args, 0);
        munmap(args, 4096);
        return r;
}

static long clone_newuser(void)
{
        long pid = syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, NULL, NULL, 0);
        if (pid == 0)
                _exit(0);
        if (pid > 0)
                waitpid(pid, NULL, 0);
        return pid < 0 ? -1 : 0;
}

static long vm_read(void)
{
        char buf[8], src[8] = "berth";
        struct iovec l = { buf, sizeof(buf) }, r = { src, sizeof(src) };
        return syscall(SYS_process_vm_readv, getpid(), &l, 1, &r, 1, 0);
}

static long op(const char *name)
{
        struct timespec ts = { 1, 0 };
        struct timeval tv = { 1, 0 };

#define IS(n) (strcmp(name, n) == 0)
        if (IS("keyctl"))
                return syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, 0);
        if (IS("add_key"))
                return syscall(SYS_add_key, "user", "berth", "x", 1, KEY_SPEC_PROCESS_KEYRING);
        if (IS("request_key"))
                return syscall(SYS_request_key, "user", "berth", NULL, 0);
        if (IS("bpf"))
                return syscall(SYS_bpf, 0, NULL, 0);
        if (IS("perf_event_open"))
                return syscall(SYS_perf_event_open, NULL, 0, -1, -1, 0);
        if (IS("kexec_load"))
                return syscall(SYS_kexec_load, 0, 0, NULL, 0);
        if (IS("kexec_file_load"))
                return syscall(SYS_kexec_file_load, -1, -1, 0, "", 0);
        if (IS("init_module"))
                return syscall(SYS_init_module, NULL, 0, "");
        if (IS("finit_module"))
                return syscall(SYS_finit_module, -1, "", 0);
        if (IS("delete_module"))
                return syscall(SYS_delete_module, "berth", 0);
        if (IS("open_by_handle_at"))
                return syscall(SYS_open_by_handle_at, AT_FDCWD, NULL, 0);
        if (IS("unshare_newuser"))
                return unshare(CLONE_NEWUSER);
        if (IS("unshare_newns"))
                return unshare(CLONE_NEWNS);
        if (IS("unshare_newnet"))
                return unshare(CLONE_NEWNET);
        if (IS("clone_newuser"))
                return clone_newuser();
        if (IS("clone3"))
                return syscall(SYS_clone3, NULL, 0);
        if (IS("setns"))
                return syscall(SYS_setns, -1, 0);
        if (IS("mount"))
                return syscall(SYS_mount, "none", "/tmp", "tmpfs", 0, NULL);
        if (IS("umount2"))
                return syscall(SYS_umount2, "/proc", 0);
        if (IS("pivot_root"))
                return syscall(SYS_pivot_root, "/", "/");
        if (IS("open_tree"))
                return syscall(SYS_open_tree, AT_FDCWD, "/", 1);
        if (IS("swapon"))
                return syscall(SYS_swapon, "/nonexistent", 0);
        if (IS("swapoff"))
                return syscall(SYS_swapoff, "/nonexistent");
        if (IS("reboot"))
                return syscall(SYS_reboot, 0, 0, 0, NULL);
        if (IS("ptrace_pid1"))
                return syscall(SYS_ptrace, 0x4206 /* PTRACE_SEIZE */, 1, 0, 0);
        if (IS("process_vm_readv"))
                return vm_read();
        if (IS("quotactl"))
                return syscall(SYS_quotactl, 0, NULL, 0, NULL);
        if (IS("userfaultfd"))
                return syscall(SYS_userfaultfd, 0);
        if (IS("io_uring_setup"))
                return syscall(SYS_io_uring_setup, 1, NULL);
        if (IS("fanotify_init"))
                return syscall(SYS_fanotify_init, 0, 0);
        if (IS("clock_settime"))
                return syscall(SYS_clock_settime, CLOCK_MONOTONIC, &ts);
        if (IS("settimeofday"))
                return syscall(SYS_settimeofday, &tv, NULL);
        if (IS("adjtimex"))
                return syscall(SYS_adjtimex, NULL);
        if (IS("syslog"))
                return syscall(SYS_syslog, 10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0);
        if (IS("acct"))
                return syscall(SYS_acct, NULL);
        if (IS("iopl"))
                return syscall(SYS_iopl, 3);
        if (IS("sethostname"))
                return syscall(SYS_sethostname, "x", 1);
        if (IS("personality_norandom"))
                return personality(ADDR_NO_RANDOMIZE);
        if (IS("socket_alg"))
                return socket(AF_ALG, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
        if (IS("socket_vsock"))
                return socket(AF_VSOCK, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (IS("socket_netlink_audit"))
                return socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_AUDIT);
        if (IS("socket_packet"))
                return socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
        if (IS("mknod_chr"))
                return mknod("/tmp/berth-null", S_IFCHR | 0600, makedev(1, 3));
        if (IS("tiocsti")) {
                char c = 'x';
                return ioctl(STDOUT_FILENO, TIOCSTI, &c);
        }
        if (IS("syscall_1000"))
                return syscall(1000);
        if (IS("x86_keyctl"))
                return x86_32_syscall(288, KEYCTL_GET_KEYRING_ID);
        if (IS("x86_syscall_1000"))
                return x86_32_syscall(1000, 0);
        /* i386 sockets: the direct call (359) is filtered like the 64-bit one; socketcall's
         * SYS_SOCKET, whose family no filter can read, is refused whatever the family. */
        if (IS("x86_socket_alg"))
                return x86_32_syscall3(359, AF_ALG, SOCK_SEQPACKET, 0);
        if (IS("x86_socket_vsock"))
                return x86_32_syscall3(359, AF_VSOCK, SOCK_STREAM, 0);
        if (IS("x86_socketcall_inet"))
                return x86_socketcall_socket(AF_INET, SOCK_STREAM);
        if (IS("x86_socketcall_alg"))
                return x86_socketcall_socket(AF_ALG, SOCK_SEQPACKET);
        /* Allowed ones, so a blanket failure cannot pass for confinement. */
        if (IS("getpid"))
                return getpid();
        if (IS("socket_inet"))
                return socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (IS("fork")) {
                pid_t p = fork();
                if (p == 0)
                        _exit(0);
                return p < 0 ? -1 : waitpid(p, NULL, 0);
        }
        if (IS("chroot"))
                return chroot("/");
        if (IS("x86_getpid"))
                return x86_32_syscall(20, 0);
        if (IS("x86_socket_inet"))
                return x86_32_syscall3(359, AF_INET, SOCK_STREAM, 0);
#undef IS
        errno = EINVAL;
        return -2;
}

static void status(void)
{
        const char *keys[] = { "CapBnd", "CapEff", "CapPrm", "CapInh", "CapAmb", "NoNewPrivs", "Seccomp" };
        char line[256];
        FILE *f = fopen("/proc/self/status", "re");

        for (size_t i = 0; f && i < sizeof(keys) / sizeof(keys[0]); i++) {
                rewind(f);
                while (fgets(line, sizeof(line), f)) {
                        size_t n = strlen(keys[i]);
                        if (strncmp(line, keys[i], n) == 0 && line[n] == ':') {
                                char *v = line + n + 1;
                                v += strspn(v, " \t");
                                printf("%s=%s", keys[i], v);
                        }
                }
        }
        if (f)
                fclose(f);
}

static int cmp_int(const void *a, const void *b)
{
        return *(const int *)a - *(const int *)b;
}

static void fds(void)
{
        DIR *d = opendir("/proc/self/fd");
        struct dirent *de;
        int v[256], n = 0, own = d ? dirfd(d) : -1;

        while (d && (de = readdir(d)) && n < 256)
                if (de->d_name[0] != '.' && atoi(de->d_name) != own)
                        v[n++] = atoi(de->d_name);
        if (d)
                closedir(d);
        qsort(v, n, sizeof(int), cmp_int);
        for (int i = 0; i < n; i++)
                printf("%s%d", i ? " " : "", v[i]);
        printf("\n");
}

static void print_op(const char *name)
{
        errno = 0;
        long r = op(name);
        printf("%s %s\n", name, r == -2 ? "unknown-op" : r < 0 ? strerrorname_np(errno) : "ok");
}

/* The 32-bit ABI ops run in a child: a kernel without IA32 emulation answers int $0x80 with
 * SIGSEGV, which is printed as the result ("x86_getpid SIGSEGV") instead of ending the probe. */
static void run_op(const char *name)
{
        if (strncmp(name, "x86_", 4) != 0) {
                print_op(name);
                return;
        }
        fflush(stdout);
        pid_t pid = fork();
        if (pid == 0) {
                print_op(name);
                fflush(stdout);
                _exit(0);
        }
        int st = 0;
        if (pid < 0 || waitpid(pid, &st, 0) < 0)
                printf("%s fork-failed\n", name);
        else if (WIFSIGNALED(st))
                printf("%s SIG%s\n", name, sigabbrev_np(WTERMSIG(st)));
}

int main(int argc, char **argv)
{
        if (argc >= 2 && strcmp(argv[1], "status") == 0)
                status();
        else if (argc >= 2 && strcmp(argv[1], "fds") == 0)
                fds();
        else if (argc >= 3 && strcmp(argv[1], "create") == 0) {
                int fd = open(argv[2], O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
                printf("%s\n", fd >= 0 ? "ok" : strerrorname_np(errno));
        } else if (argc >= 3 && strcmp(argv[1], "ops") == 0) {
                for (int i = 2; i < argc; i++)
                        run_op(argv[i]);
        } else {
                fprintf(stderr, "usage: confine-probe ops NAME...|status|fds|create PATH\n");
                return 2;
        }
        return 0;
}
