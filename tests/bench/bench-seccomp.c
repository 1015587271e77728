/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* bench-seccomp: the cost of berth's seccomp allowlist, through the core library's own API
 * (src/security/seccomp-filter.h), for the default config and its capability set.
 *
 *   bench-seccomp [--reps N]      prints bench-rr style TSV lines (name, i, ns, 0, 0, 0) for
 *                                 "build" (seccomp_build_filter: libseccomp rule building),
 *                                 "compile" (seccomp_filter_compile: BPF generation, which the
 *                                 launch does before touching the root), "load"
 *                                 (seccomp_install_filter of a built filter, in a fresh child;
 *                                 libseccomp generates the BPF again there) and
 *                                 "build+compile+load" (all three in a child, as one launch does),
 *                                 and "load-precompiled": the programs' BPF (exported once) handed
 *                                 straight to seccomp(2), what a launch that kept the compiled
 *                                 program (or cached it across starts) would pay.
 *                                 Each child checks that the kernel reports seccomp mode 2, so a
 *                                 no-op load is caught. The BPF size goes to stderr.
 *   bench-seccomp --export DIR    writes the default filter's programs as DIR/0.bpf, 1.bpf, ...
 *                                 (for bwrap --add-seccomp-fd) and prints how many. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "caps.h"
#include "config.h"
#include "seccomp-filter.h"

static uint64_t now_ns(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static int build(const ContainerConfig *c, SeccompFilter *ret)
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

/* The BPF of the filter's programs in load order, as seccomp_install_filter() loads them. */
typedef struct Precompiled {
        struct sock_fprog progs[3];
        size_t n;
} Precompiled;

static void precompiled_done(Precompiled *p)
{
        for (size_t i = 0; i < p->n; i++)
                free(p->progs[i].filter);
}

static int precompile(const SeccompFilter *f, Precompiled *ret)
{
        scmp_filter_ctx order[] = {f->arguments_native, f->arguments, f->allowlist};

        for (size_t i = 0; i < ELEMENTSOF(order); i++) {
                _cleanup_close_ int fd = -EBADF;
                struct stat st;
                void *buf;

                if (!order[i])
                        continue;
                fd = memfd_create("bench-bpf", MFD_CLOEXEC);
                if (fd < 0 || seccomp_export_bpf(order[i], fd) < 0 || fstat(fd, &st) < 0 || st.st_size <= 0)
                        return -EIO;
                buf = malloc((size_t)st.st_size);
                if (!buf)
                        return -ENOMEM;
                if (pread(fd, buf, (size_t)st.st_size, 0) != st.st_size) {
                        free(buf);
                        return -EIO;
                }
                ret->progs[ret->n].filter = buf;
                ret->progs[ret->n++].len = (unsigned short)((size_t)st.st_size / sizeof(struct sock_filter));
        }
        return 0;
}

/* In a child: load precompiled BPF with seccomp(2) after no_new_privs, check, report ns. */
static int time_precompiled_in_child(const Precompiled *pc, uint64_t *ret_ns)
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
                uint64_t t0;

                close(p[0]);
                t0 = now_ns();
                if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
                        _exit(1);
                for (size_t i = 0; i < pc->n; i++)
                        if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &pc->progs[i]) < 0)
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

/* In a child: with prebuilt NULL build and compile first, then load, then check the kernel reports
 * a filter. Reports the nanoseconds spent through a pipe. */
static int time_in_child(const ContainerConfig *c, const SeccompFilter *prebuilt, uint64_t *ret_ns)
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
                SeccompFilter own = {};
                const SeccompFilter *f = prebuilt ?: &own;
                uint64_t t0;

                close(p[0]);
                t0 = now_ns();
                if (!prebuilt && (build(c, &own) < 0 || seccomp_filter_compile(&own, NULL) < 0))
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

static int export_programs(const ContainerConfig *c, const char *dir)
{
        _cleanup_seccomp_filter_ SeccompFilter f = {};
        scmp_filter_ctx programs[3];
        unsigned n = 0;

        if (build(c, &f) < 0)
                return -EINVAL;
        /* the order seccomp_install_filter() loads them in */
        programs[0] = f.arguments_native;
        programs[1] = f.arguments;
        programs[2] = f.allowlist;
        for (size_t i = 0; i < 3; i++) {
                _cleanup_close_ int fd = -EBADF;
                char path[4096];

                if (!programs[i])
                        continue;
                snprintf(path, sizeof(path), "%s/%u.bpf", dir, n);
                fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
                if (fd < 0 || seccomp_export_bpf(programs[i], fd) < 0) {
                        fprintf(stderr, "bench-seccomp: cannot export to %s\n", path);
                        return -EIO;
                }
                n++;
        }
        printf("%u\n", n);
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
        if (export)
                return export_programs(c, export) < 0 ? 1 : 0;

        for (unsigned i = 0; i < reps; i++) {
                _cleanup_seccomp_filter_ SeccompFilter f = {};
                size_t instructions = 0;
                uint64_t t0 = now_ns(), t1, ns;

                if (build(c, &f) < 0)
                        return 1;
                t1 = now_ns();
                printf("build\t%u\t%llu\t0\t0\t0\n", i, (unsigned long long)(t1 - t0));
                if (seccomp_filter_compile(&f, &instructions) < 0)
                        return 1;
                printf("compile\t%u\t%llu\t0\t0\t0\n", i, (unsigned long long)(now_ns() - t1));
                if (i == 0)
                        fprintf(stderr, "bench-seccomp: default filter: %zu BPF instructions\n",
                                instructions);
                r = time_in_child(c, &f, &ns);
                if (r < 0) {
                        fprintf(stderr, "bench-seccomp: loading the filter failed or left none loaded\n");
                        return 1;
                }
                printf("load\t%u\t%llu\t0\t0\t0\n", i, (unsigned long long)ns);
                r = time_in_child(c, NULL, &ns);
                if (r < 0)
                        return 1;
                printf("build+compile+load\t%u\t%llu\t0\t0\t0\n", i, (unsigned long long)ns);

                _cleanup_(precompiled_done) Precompiled pc = {};
                if (precompile(&f, &pc) < 0 || time_precompiled_in_child(&pc, &ns) < 0) {
                        fprintf(stderr, "bench-seccomp: loading the precompiled programs failed\n");
                        return 1;
                }
                printf("load-precompiled\t%u\t%llu\t0\t0\t0\n", i, (unsigned long long)ns);
        }
        return 0;
}
