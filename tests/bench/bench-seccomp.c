/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* bench-seccomp: the cost of berth's seccomp allowlist, through the core library's own API.
 *
 *   bench-seccomp [--reps N]      prints bench-rr style TSV lines (name, i, ns, 0, 0, 0) for
 *                                 "compile" (seccomp_build_filter for the default config and its
 *                                 capability set), "load" (seccomp_install_filter in a fresh child
 *                                 after no_new_privs; the child then checks that the kernel
 *                                 reports seccomp mode 2, so a no-op load is caught) and
 *                                 "compile+load" (both, in the child, as the launch does).
 *   bench-seccomp --export FILE   writes the default filter as a BPF program (for bwrap --seccomp). */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "caps.h"
#include "config.h"
#include "seccomp.h"

static uint64_t now_ns(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static int build(const ContainerConfig *c, scmp_filter_ctx *ret)
{
        const char *bad = NULL;
        int r = seccomp_build_filter(c, caps_effective_set(c), ret, &bad);

        if (r < 0)
                fprintf(stderr, "bench-seccomp: building the default filter failed: %s%s%s\n", strerror(-r),
                        bad ? " at " : "", bad ?: "");
        return r;
}

/* /proc/self/status says "Seccomp: 2" once a filter is loaded. */
static bool seccomp_mode_is_filter(void)
{
        char line[256];
        bool found = false;
        FILE *f = fopen("/proc/self/status", "re");

        if (!f)
                return false;
        while (fgets(line, sizeof(line), f))
                if (strncmp(line, "Seccomp:", 8) == 0)
                        found = strtol(line + 8, NULL, 10) == 2;
        fclose(f);
        return found;
}

/* In a child: optionally build, then load, then check the kernel reports a filter. Reports the
 * nanoseconds spent through a pipe. */
static int time_in_child(const ContainerConfig *c, scmp_filter_ctx prebuilt, uint64_t *ret_ns)
{
        int p[2], status;
        uint64_t ns = 0;
        pid_t pid;

        if (pipe2(p, O_CLOEXEC) < 0)
                return -errno;
        pid = fork();
        if (pid < 0)
                return -errno;
        if (pid == 0) {
                scmp_filter_ctx f = prebuilt;
                uint64_t t0;

                close(p[0]);
                if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
                        _exit(1);
                t0 = now_ns();
                if (!f && build(c, &f) < 0)
                        _exit(1);
                if (seccomp_install_filter(f) < 0)
                        _exit(1);
                ns = now_ns() - t0;
                if (!seccomp_mode_is_filter())
                        _exit(2);
                (void)!write(p[1], &ns, sizeof(ns));
                _exit(0);
        }
        close(p[1]);
        if (read(p[0], &ns, sizeof(ns)) != sizeof(ns))
                ns = 0;
        close(p[0]);
        if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0 || ns == 0)
                return -EPROTO;
        *ret_ns = ns;
        return 0;
}

int main(int argc, char **argv)
{
        static const struct option options[] = {
            {"reps", required_argument, NULL, 'n'},
            {"export", required_argument, NULL, 'e'},
            {},
        };
        _cleanup_config_ ContainerConfig *c = NULL;
        const char *export = NULL;
        unsigned reps = 1000;
        int o, r;

        while ((o = getopt_long(argc, argv, "n:e:", options, NULL)) >= 0)
                switch (o) {
                case 'n': reps = (unsigned)strtoul(optarg, NULL, 10); break;
                case 'e': export = optarg; break;
                default: return 2;
                }
        r = container_config_new_default("bench", &c);
        if (r < 0)
                return 1;

        if (export) {
                _cleanup_(seccomp_releasep) scmp_filter_ctx f = NULL;
                _cleanup_close_ int fd = -EBADF;

                if (build(c, &f) < 0)
                        return 1;
                fd = open(export, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
                if (fd < 0 || seccomp_export_bpf(f, fd) < 0) {
                        fprintf(stderr, "bench-seccomp: cannot export to %s\n", export);
                        return 1;
                }
                return 0;
        }

        for (unsigned i = 0; i < reps; i++) {
                _cleanup_(seccomp_releasep) scmp_filter_ctx f = NULL;
                uint64_t t0 = now_ns(), ns;

                if (build(c, &f) < 0)
                        return 1;
                printf("compile\t%u\t%llu\t0\t0\t0\n", i, (unsigned long long)(now_ns() - t0));
                r = time_in_child(c, f, &ns);
                if (r < 0) {
                        fprintf(stderr, "bench-seccomp: loading the filter failed or left none loaded\n");
                        return 1;
                }
                printf("load\t%u\t%llu\t0\t0\t0\n", i, (unsigned long long)ns);
                r = time_in_child(c, NULL, &ns);
                if (r < 0)
                        return 1;
                printf("compile+load\t%u\t%llu\t0\t0\t0\n", i, (unsigned long long)ns);
        }
        return 0;
}
