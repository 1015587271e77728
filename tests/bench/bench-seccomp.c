/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* bench-seccomp: the cost of berth's seccomp allowlist, through the core library's own API
 * (src/security/seccomp-filter.h), for the default config and its capability set.
 *
 *   bench-seccomp [--reps N]      prints bench-rr style TSV lines (name, i, ns, 0, 0, 0) for
 *                                 "build" (seccomp_build_filter: libseccomp rule building),
 *                                 "compile" (seccomp_filter_export: BPF generation, once per start
 *                                 in the supervisor), "load" (seccomp_bpf_load of that BPF in a
 *                                 fresh child: what a start pays there), "load-lib-allowlist" (the
 *                                 same with libseccomp's allowlist program in place of berth's own:
 *                                 what a start paid before issue 16), "seccomp_load" (libseccomp's
 *                                 own load of the argument programs in a fresh child, which
 *                                 generates their BPF again), "cache-read"
 *                                 (seccomp_compile with a warm cache: key, read, checks),
 *                                 "build+compile+load" (a first start, everything in a child) and
 *                                 "cache+load" (any later start, in a child). The cache lives in a
 *                                 temporary directory. Each child checks that the kernel reports
 *                                 seccomp mode 2, so a no-op load is caught. The BPF size goes to
 *                                 stderr.
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
#include "rm-rf.h"
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

typedef enum Step {
        STEP_LOAD,         /* seccomp_bpf_load(bpf) */
        STEP_LOAD_LIB,     /* the same with libseccomp's allowlist program in place of berth's */
        STEP_SECCOMP_LOAD, /* libseccomp's seccomp_load() of every program of lib */
        STEP_ALL,          /* build, export, load */
        STEP_CACHED,       /* seccomp_compile() from the cache in dir, load */
} Step;

typedef struct Input {
        const ContainerConfig *config;
        const SeccompFilter *lib;
        const SeccompBpf *bpf;
        const SeccompBpf *bpf_lib; /* bpf with libseccomp's allowlist (seccomp_allowlist_reference) */
        const char *dir;
} Input;

static int step_run(Step step, const Input *in)
{
        _cleanup_seccomp_filter_ SeccompFilter f = {};
        _cleanup_seccomp_bpf_ SeccompBpf b = {};
        uint64_t caps = caps_effective_set(in->config);

        switch (step) {
        case STEP_LOAD: return seccomp_bpf_load(in->bpf);
        case STEP_LOAD_LIB: return seccomp_bpf_load(in->bpf_lib);
        case STEP_SECCOMP_LOAD: {
                scmp_filter_ctx order[] = { in->lib->arguments_native, in->lib->arguments };
                if (in->lib->x86_direct.n_insns > 0 && seccomp_program_load(&in->lib->x86_direct) < 0)
                        return -EIO;
                for (size_t i = 0; i < ELEMENTSOF(order); i++)
                        if (order[i] && seccomp_load(order[i]) < 0)
                                return -EIO;
                return seccomp_program_load(&in->lib->allowlist);
        }
        case STEP_ALL:
                if (build(in->config, &f) < 0 || seccomp_filter_export(&f, &b) < 0)
                        return -EIO;
                return seccomp_bpf_load(&b);
        case STEP_CACHED:
                if (seccomp_compile(in->config, caps, in->dir, &b, NULL) < 0)
                        return -EIO;
                return seccomp_bpf_load(&b);
        }
        return -EINVAL;
}

/* Runs step in a fresh child, checks the kernel reports a filter, returns the nanoseconds spent
 * (through a pipe). */
static int time_in_child(Step step, const Input *in, uint64_t *ret_ns)
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
                if (step_run(step, in) < 0)
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
        _cleanup_seccomp_bpf_ SeccompBpf b = {};

        if (build(c, &f) < 0 || seccomp_filter_export(&f, &b) < 0)
                return -EINVAL;
        for (size_t i = 0; i < b.n_programs; i++) { /* in load order */
                _cleanup_close_ int fd = -EBADF;
                size_t size = b.programs[i].n_insns * sizeof(struct sock_filter);
                char path[4096];

                snprintf(path, sizeof(path), "%s/%zu.bpf", dir, i);
                fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
                if (fd < 0 || write(fd, b.programs[i].insns, size) != (ssize_t)size) {
                        fprintf(stderr, "bench-seccomp: cannot export to %s\n", path);
                        return -EIO;
                }
        }
        printf("%zu\n", b.n_programs);
        return 0;
}

/* b with its last program (the allowlist) replaced by the one libseccomp compiles from the same
 * names: the load berth paid before it wrote that program itself. */
static int with_lib_allowlist(const ContainerConfig *c, const SeccompBpf *b, SeccompBpf *ret)
{
        _cleanup_(seccomp_releasep) scmp_filter_ctx ref = NULL;
        _cleanup_close_ int fd = -EBADF;
        SeccompProgram *last;
        struct stat st;

        if (seccomp_allowlist_reference(c, caps_effective_set(c), &ref, NULL) < 0)
                return -EINVAL;
        fd = memfd_create("bench-seccomp", MFD_CLOEXEC);
        if (fd < 0 || seccomp_export_bpf(ref, fd) < 0 || fstat(fd, &st) < 0)
                return -EIO;
        for (size_t i = 0; i < b->n_programs; i++) {
                ret->programs[i] = b->programs[i];
                ret->programs[i].insns = calloc(b->programs[i].n_insns, sizeof(struct sock_filter));
                if (!ret->programs[i].insns)
                        return -ENOMEM;
                memcpy(ret->programs[i].insns, b->programs[i].insns,
                       b->programs[i].n_insns * sizeof(struct sock_filter));
                ret->n_programs++;
        }
        last = &ret->programs[ret->n_programs - 1];
        free(last->insns);
        last->n_insns = (uint16_t)(st.st_size / sizeof(struct sock_filter));
        last->insns = malloc(st.st_size);
        if (!last->insns || pread(fd, last->insns, st.st_size, 0) != st.st_size)
                return -EIO;
        fprintf(stderr, "bench-seccomp: allowlist program: %u BPF instructions (libseccomp's: %u)\n",
                b->programs[b->n_programs - 1].n_insns, last->n_insns);
        return 0;
}

static void print_row(const char *name, unsigned i, uint64_t ns)
{
        printf("%s\t%u\t%llu\t0\t0\t0\n", name, i, (unsigned long long)ns);
}

int main(int argc, char **argv)
{
        static const struct option options[] = {
                { "reps", required_argument, NULL, 'n' },
                { "export", required_argument, NULL, 'e' },
                {},
        };
        static const struct {
                const char *name;
                Step step;
        } in_child[] = {
                { "load", STEP_LOAD },
                { "load-lib-allowlist", STEP_LOAD_LIB },
                { "seccomp_load", STEP_SECCOMP_LOAD },
                { "build+compile+load", STEP_ALL },
                { "cache+load", STEP_CACHED },
        };
        _cleanup_config_ ContainerConfig *c = NULL;
        const char *export = NULL;
        char dir[] = "/tmp/bench-seccomp.XXXXXX";
        _cleanup_seccomp_bpf_ SeccompBpf b_lib = {};
        unsigned reps = 1000;
        int o, r, ret = 1;

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
        if (!mkdtemp(dir))
                return 1;

        for (unsigned i = 0; i < reps; i++) {
                _cleanup_seccomp_filter_ SeccompFilter f = {};
                _cleanup_seccomp_bpf_ SeccompBpf b = {}, cached = {};
                uint64_t t0 = now_ns(), t1, ns = 0;

                if (build(c, &f) < 0)
                        goto out;
                t1 = now_ns();
                print_row("build", i, t1 - t0);
                if (seccomp_filter_export(&f, &b) < 0)
                        goto out;
                print_row("compile", i, now_ns() - t1);
                if (i == 0) {
                        fprintf(stderr,
                                "bench-seccomp: default filter: %zu BPF instructions in %zu programs\n",
                                seccomp_bpf_instructions(&b), b.n_programs);
                        /* warms the cache for "cache-read" and "cache+load" */
                        if (seccomp_compile(c, caps_effective_set(c), dir, &cached, NULL) < 0)
                                goto out;
                        seccomp_bpf_done(&cached);
                }
                t0 = now_ns();
                if (seccomp_compile(c, caps_effective_set(c), dir, &cached, NULL) < 0)
                        goto out;
                print_row("cache-read", i, now_ns() - t0);

                if (i == 0 && with_lib_allowlist(c, &b, &b_lib) < 0)
                        goto out;
                Input in = { .config = c, .lib = &f, .bpf = &b, .bpf_lib = &b_lib, .dir = dir };
                for (size_t k = 0; k < ELEMENTSOF(in_child); k++) {
                        r = time_in_child(in_child[k].step, &in, &ns);
                        if (r < 0) {
                                fprintf(stderr, "bench-seccomp: %s failed or left no filter loaded\n",
                                        in_child[k].name);
                                goto out;
                        }
                        print_row(in_child[k].name, i, ns);
                }
        }
        ret = 0;
out:
        (void)rm_rf_path(dir);
        return ret;
}
