/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* bench-rr: runs several commands interleaved (round-robin, the starting command rotating each
 * iteration so none always runs first after a slower one) and writes one TSV line per run:
 * name, iteration, wall ns (fork to reap), user us, sys us (the child and every descendant of
 * it: bench-rr is their child subreaper, so a process a tool orphans, like bubblewrap's sandbox
 * init when its monitor exits first, is reaped and counted here instead of by PID 1), exit status. A command
 * that fails is reported with its stderr and dropped after three failures; the run goes on with the others.
 *
 * usage: bench-rr [-n REPS] [-w WARMUP] [-o OUT.tsv] NAME[^MNTNS]=ARGV... [NAME[^MNTNS]=ARGV...]...
 *   ARGV is split on single spaces (the bench controls every path, none has a space).
 *   An ARGV word "<N=PATH" is no argument: PATH is opened read-only on fd N in the child (for
 *   programs that read a file from an fd, like bwrap --seccomp N, once per run).
 *   ^MNTNS: the child enters the mount namespace bound at that path before execve (setns costs
 *   microseconds, a wrapper like nsenter would add a whole exec to the measured time). */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "macro.h"

typedef struct Cmd {
        char *name;
        char **argv;
        const char *mntns; /* NULL: stay in ours */
        struct {
                int fd;
                const char *path;
        } redirects[4];
        size_t n_redirects;
        unsigned failures;
} Cmd;

static int split_command(char *spec, Cmd *ret)
{
        char *eq = strchr(spec, '=');
        size_t n = 0;

        if (!eq || eq == spec || !eq[1])
                return -EINVAL;
        *eq = '\0';
        ret->name = spec;
        ret->mntns = strchr(spec, '^');
        if (ret->mntns)
                *(char *)ret->mntns++ = '\0';
        ret->argv = calloc(strlen(eq + 1) / 2 + 2, sizeof(char *));
        if (!ret->argv)
                return -ENOMEM;
        for (char *tok = strtok(eq + 1, " "); tok; tok = strtok(NULL, " "))
                if (tok[0] == '<') {
                        char *end;
                        long fd = strtol(tok + 1, &end, 10);
                        if (end == tok + 1 || *end != '=' || fd < 3 || fd > 255 || ret->n_redirects >= 4)
                                return -EINVAL;
                        ret->redirects[ret->n_redirects].fd = (int)fd;
                        ret->redirects[ret->n_redirects++].path = end + 1;
                } else
                        ret->argv[n++] = tok;
        return n > 0 ? 0 : -EINVAL;
}

static uint64_t now_ns(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static uint64_t tv_us(struct timeval tv)
{
        return (uint64_t)tv.tv_sec * 1000000ULL + (uint64_t)tv.tv_usec;
}

/* Runs one command with stdin and stdout on /dev/null and stderr into errfd; returns its wait
 * status, or -errno when it could not be started. */
static int run_once(const Cmd *c, int errfd, uint64_t *ret_wall, struct rusage *ret_ru)
{
        uint64_t t0;
        int status;
        pid_t pid;

        t0 = now_ns();
        pid = fork();
        if (pid < 0)
                return negative_errno();
        if (pid == 0) {
                int null = open("/dev/null", O_RDWR | O_CLOEXEC);
                if (null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0 || dup2(errfd, 2) < 0)
                        _exit(126);
                for (size_t i = 0; i < c->n_redirects; i++) {
                        /* no O_CLOEXEC: it may land on the wanted number already */
                        int fd = open(c->redirects[i].path, O_RDONLY); // NOLINT(android-cloexec-open)
                        if (fd >= 0 && fd != c->redirects[i].fd) {
                                if (dup2(fd, c->redirects[i].fd) < 0)
                                        fd = -1;
                                else
                                        close(fd);
                        }
                        if (fd < 0) {
                                fprintf(stderr, "cannot open %s: %m\n", c->redirects[i].path);
                                _exit(126);
                        }
                }
                if (c->mntns) {
                        int ns = open(c->mntns, O_RDONLY | O_CLOEXEC);
                        if (ns < 0 || setns(ns, CLONE_NEWNS) < 0) {
                                fprintf(stderr, "cannot enter mount namespace %s: %m\n", c->mntns);
                                _exit(126);
                        }
                }
                execvp(c->argv[0], c->argv);
                _exit(127);
        }
        if (wait4(pid, &status, 0, ret_ru) < 0)
                return negative_errno();
        *ret_wall = now_ns() - t0;
        /* descendants the command left orphaned were reparented to us: wait for each and add its
         * CPU time (the wall time is the command's own; none of the benched tools leaves a daemon) */
        for (;;) {
                struct rusage ru;

                if (wait4(-1, NULL, __WALL, &ru) < 0) {
                        if (errno == EINTR)
                                continue;
                        if (errno != ECHILD)
                                return negative_errno();
                        break;
                }
                ret_ru->ru_utime.tv_sec += ru.ru_utime.tv_sec;
                ret_ru->ru_utime.tv_usec += ru.ru_utime.tv_usec;
                ret_ru->ru_stime.tv_sec += ru.ru_stime.tv_sec;
                ret_ru->ru_stime.tv_usec += ru.ru_stime.tv_usec;
        }
        return status;
}

static void report_failure(const Cmd *c, int status, int errfd)
{
        char buf[2048];
        ssize_t n;

        fprintf(stderr, "bench-rr: %s failed (%s %d)\n", c->name, WIFEXITED(status) ? "exit" : "signal",
                WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
        n = pread(errfd, buf, sizeof(buf) - 1, 0);
        if (n > 0) {
                buf[n] = '\0';
                fprintf(stderr, "  %s: stderr: %s\n", c->name, buf);
        }
}

int main(int argc, char **argv)
{
        static const struct option options[] = {
                { "reps", required_argument, NULL, 'n' },
                { "warmup", required_argument, NULL, 'w' },
                { "output", required_argument, NULL, 'o' },
                {},
        };
        unsigned reps = 100, warmup = 3;
        const char *out_path = NULL;
        _cleanup_close_ int errfd = -EBADF;
        FILE *out = stdout;
        Cmd *cmds;
        size_t n_cmds;
        int c, r = 0;

        while ((c = getopt_long(argc, argv, "+n:w:o:", options, NULL)) >= 0)
                switch (c) {
                case 'n': reps = (unsigned)strtoul(optarg, NULL, 10); break;
                case 'w': warmup = (unsigned)strtoul(optarg, NULL, 10); break;
                case 'o': out_path = optarg; break;
                default: return 2;
                }
        n_cmds = (size_t)(argc - optind);
        if (n_cmds == 0 || reps == 0) {
                fprintf(stderr, "usage: bench-rr [-n REPS] [-w WARMUP] [-o OUT.tsv] NAME=ARGV...\n");
                return 2;
        }
        cmds = calloc(n_cmds, sizeof(Cmd));
        if (!cmds)
                return 1;
        for (size_t i = 0; i < n_cmds; i++)
                if (split_command(argv[optind + i], &cmds[i]) < 0) {
                        fprintf(stderr, "bench-rr: bad command '%s' (want NAME=ARGV)\n", argv[optind + i]);
                        return 2;
                }
        if (out_path) {
                out = fopen(out_path, "we");
                if (!out) {
                        fprintf(stderr, "bench-rr: cannot open %s: %m\n", out_path);
                        return 1;
                }
        }
        if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0) {
                fprintf(stderr, "bench-rr: PR_SET_CHILD_SUBREAPER: %m\n");
                return 1;
        }
        errfd = memfd_create("bench-rr-stderr", MFD_CLOEXEC);
        if (errfd < 0) {
                fprintf(stderr, "bench-rr: memfd_create: %m\n");
                return 1;
        }

        for (unsigned it = 0; it < warmup + reps; it++)
                for (size_t k = 0; k < n_cmds; k++) {
                        Cmd *cmd = &cmds[(it + k) % n_cmds];
                        struct rusage ru = {};
                        uint64_t wall = 0;
                        int status;

                        if (cmd->failures >= 3)
                                continue;
                        if (ftruncate(errfd, 0) < 0 || lseek(errfd, 0, SEEK_SET) < 0)
                                return 1;
                        status = run_once(cmd, errfd, &wall, &ru);
                        if (status < 0) {
                                fprintf(stderr, "bench-rr: cannot run %s: %s\n", cmd->name,
                                        strerror(-status));
                                return 1;
                        }
                        if (status != 0) {
                                report_failure(cmd, status, errfd);
                                if (++cmd->failures >= 3)
                                        fprintf(stderr, "bench-rr: dropping %s after 3 failures\n",
                                                cmd->name);
                                r = 1;
                                continue;
                        }
                        if (it >= warmup)
                                fprintf(out, "%s\t%u\t%llu\t%llu\t%llu\t0\n", cmd->name, it - warmup,
                                        (unsigned long long)wall, (unsigned long long)tv_us(ru.ru_utime),
                                        (unsigned long long)tv_us(ru.ru_stime));
                }
        if (out != stdout)
                fclose(out);
        for (size_t i = 0; i < n_cmds; i++)
                free(cmds[i].argv);
        free(cmds);
        return r;
}
