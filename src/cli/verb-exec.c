/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* berth exec NAME -- CMD...: run a command inside a running container under the same confinement
 * as its payload: its cgroup, every namespace of its leader, root of its user namespace, the
 * capability bounding set, no_new_privs, the SELinux label and the seccomp filter (loaded last).
 * The host side is made non-dumpable and keeps no fd but stdio when it enters, so nothing in the
 * container can reach berth's binary or a host file through /proc (CVE-2019-5736,
 * CVE-2024-21626). */
#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <linux/sched.h>
#include <sched.h>
#include <selinux/selinux.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "caps.h"
#include "cgroup.h"
#include "exit-status.h"
#include "load.h"
#include "log.h"
#include "seccomp-filter.h"
#include "selinux.h"
#include "state.h"
#include "strv.h"
#include "verbs.h"

/* The namespaces of pid that differ from ours: setns() refuses to re-enter one's own user
 * namespace, and a container may share some (PrivateUsers=no, Private=no). */
static int namespaces_to_join(pid_t pid, int *ret_flags)
{
        static const struct {
                const char *name;
                int flag;
        } table[] = {
            {"user", CLONE_NEWUSER},     {"mnt", CLONE_NEWNS},  {"pid", CLONE_NEWPID},
            {"uts", CLONE_NEWUTS},       {"ipc", CLONE_NEWIPC}, {"net", CLONE_NEWNET},
            {"cgroup", CLONE_NEWCGROUP},
        };
        int flags = 0;

        for (size_t i = 0; i < ELEMENTSOF(table); i++) {
                char theirs[64], ours[64];
                struct stat a, b;

                snprintf(theirs, sizeof(theirs), "/proc/%d/ns/%s", (int)pid, table[i].name);
                snprintf(ours, sizeof(ours), "/proc/self/ns/%s", table[i].name);
                if (stat(theirs, &a) < 0 || stat(ours, &b) < 0)
                        return negative_errno();
                if (a.st_dev != b.st_dev || a.st_ino != b.st_ino)
                        flags |= table[i].flag;
        }
        *ret_flags = flags;
        return 0;
}

static void help(void)
{
        printf("berth exec [OPTIONS...] NAME [--] CMD [ARGS...]\n\n"
               "Run CMD inside the running container NAME, confined exactly like its payload: in its\n"
               "cgroup (so its limits apply), in every namespace of its PID 1 (user, mount, PID, UTS,\n"
               "IPC, network, cgroup), as root of its user namespace (its UID range on the host),\n"
               "with its capability bounding set, no_new_privs, its SELinux label and its seccomp\n"
               "filter. CMD is looked up in the container's PATH. Standard input, output and error are\n"
               "passed through; no other file descriptor enters the container.\n\n"
               "Options:\n"
               "  -h --help             Show this help\n"
               "  -E --setenv=VAR=VALUE Set an environment variable for CMD (repeatable)\n"
               "  -w --working-directory=DIR\n"
               "                        Directory inside the container to run CMD in (default /)\n\n"
               "Exit status: CMD's, 128+N when it was killed by signal N; 3 when the container is not\n"
               "running, 125 when berth could not enter it, 126 when CMD cannot be executed, 127 when\n"
               "it was not found, 2 on a bad command line.\n");
}

/* The environment CMD starts with: a clean one, the container's Environment=, then -E. */
static int build_environment(const ContainerConfig *c, char **extra, char ***ret)
{
        _cleanup_strv_free_ char **env = NULL;
        const char *term = getenv("TERM");
        int r = 0;

        r = strv_env_set(&env, "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        if (r >= 0)
                r = strv_env_set(&env, "HOME=/root");
        if (r >= 0)
                r = strv_env_set(&env, "container=berth");
        if (r >= 0 && term) {
                _cleanup_free_ char *t = NULL;
                r = asprintf(&t, "TERM=%s", term) < 0 ? -ENOMEM : strv_env_set(&env, t);
        }
        STRV_FOREACH (e, c->environment)
                if (r >= 0)
                        r = strv_env_set(&env, *e);
        STRV_FOREACH (e, extra)
                if (r >= 0)
                        r = strv_env_set(&env, *e);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(env);
        return 0;
}

/* In the child, inside every namespace: become the container's root and confine, then execve.
 * Only returns on failure, with the exit status to use. */
static int confine_and_exec(const ContainerConfig *c, uint64_t caps, const SeccompBpf *filter,
                            const char *wd, char **argv, char **env)
{
        int r;

        if (chdir(wd) < 0) {
                log_error("Failed to change to %s in container %s: %m", wd, c->name);
                return EXIT_BERTH_FAILED;
        }
        r = caps_drop_bounding(caps);
        if (r < 0) {
                log_error_errno(r, "Failed to drop the capability bounding set: %m");
                return EXIT_BERTH_FAILED;
        }
        if (c->no_new_privileges && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
                log_error("Failed to set no_new_privs: %m");
                return EXIT_BERTH_FAILED;
        }
        /* Root of the container's user namespace: its UID base on the host. */
        if (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0) {
                log_error("Failed to become root of container %s's user namespace: %m", c->name);
                return EXIT_BERTH_FAILED;
        }
        if (setgroups(0, NULL) < 0 && errno != EPERM) { /* EPERM: setgroups is denied in this userns */
                log_error("Failed to drop supplementary groups: %m");
                return EXIT_BERTH_FAILED;
        }
        r = caps_apply_final(caps, true);
        if (r < 0) {
                log_error_errno(r, "Failed to set the capabilities: %m");
                return EXIT_BERTH_FAILED;
        }
        r = seccomp_bpf_load(filter);
        if (r < 0) {
                log_error_errno(r, "Failed to load the seccomp filter: %m");
                return EXIT_BERTH_FAILED;
        }
        execvpe(argv[0], argv, env);
        r = errno;
        log_error("Failed to execute %s in container %s: %s", argv[0], c->name, strerror(r));
        return r == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_EXEC;
}

/* Signals that would end us go to CMD instead; we exit when it does. */
static void exec_signals(sigset_t *mask)
{
        sigemptyset(mask);
        sigaddset(mask, SIGINT);
        sigaddset(mask, SIGTERM);
        sigaddset(mask, SIGHUP);
        sigaddset(mask, SIGQUIT);
        sigaddset(mask, SIGCHLD);
}

static int wait_child(pid_t pid)
{
        int status;
        sigset_t mask;

        exec_signals(&mask);
        for (;;) {
                int sig;
                pid_t p = waitpid(pid, &status, WNOHANG);
                if (p == pid)
                        break;
                if (p < 0 && errno != EINTR)
                        return EXIT_BERTH_FAILED;
                if (sigwait(&mask, &sig) == 0 && sig != SIGCHLD)
                        kill(pid, sig);
        }
        if (WIFEXITED(status))
                return WEXITSTATUS(status);
        return 128 + WTERMSIG(status);
}

int verb_exec(int argc, char **argv)
{
        static const struct option options[] = {
            {"help", no_argument, NULL, 'h'},
            {"setenv", required_argument, NULL, 'E'},
            {"working-directory", required_argument, NULL, 'w'},
            {},
        };
        _cleanup_(runtime_state_done) RuntimeState s = {};
        _cleanup_config_ ContainerConfig *c = NULL;
        _cleanup_strv_free_ char **extra = NULL, **errors = NULL, **env = NULL;
        _cleanup_seccomp_bpf_ SeccompBpf filter = {};
        _cleanup_free_ char *cgroup = NULL;
        const char *name, *wd = "/", *bad = NULL;
        SelinuxLabels labels = {};
        sigset_t mask, old;
        uint64_t caps;
        int c_opt, r, pidfd, ns_flags;
        pid_t child;

        while ((c_opt = getopt_long(argc, argv, "+hE:w:", options, NULL)) >= 0)
                switch (c_opt) {
                case 'h': help(); return EXIT_OK;
                case 'E':
                        if (!strchr(optarg, '=') || optarg[0] == '=') {
                                log_error("--setenv needs VAR=VALUE, not '%s'.", optarg);
                                return EXIT_USAGE;
                        }
                        if (strv_extend(&extra, optarg) < 0)
                                return EXIT_BERTH_FAILED;
                        break;
                case 'w':
                        if (optarg[0] != '/') {
                                log_error("--working-directory needs an absolute path.");
                                return EXIT_USAGE;
                        }
                        wd = optarg;
                        break;
                default: return EXIT_USAGE;
                }
        if (argc - optind < 2) {
                log_error("'berth exec' needs a container name and a command.");
                return EXIT_USAGE;
        }
        name = argv[optind++];
        if (streq(argv[optind], "--"))
                optind++;
        if (optind >= argc) {
                log_error("'berth exec' needs a command after the container name.");
                return EXIT_USAGE;
        }
        if (!container_name_is_valid(name)) {
                log_error("Invalid container name '%s'.", name);
                return EXIT_USAGE;
        }

        r = state_read(state_dir_get(), name, &s);
        if (r == -ESRCH) {
                log_error("Container %s is not running.", name);
                return EXIT_NOT_RUNNING;
        }
        if (r < 0) {
                log_error_errno(r, "Failed to read the state of container %s: %m", name);
                return EXIT_BERTH_FAILED;
        }
        /* The same config the payload was confined with. */
        r = config_load(s.config_path ? s.config_path : name, &c, &errors);
        if (r < 0) {
                STRV_FOREACH (e, errors)
                        log_error("%s", *e);
                log_error_errno(r, "Failed to load the config of container %s: %m", name);
                return EXIT_BERTH_FAILED;
        }
        caps = caps_effective_set(c);
        r = seccomp_compile(c, caps, state_dir_get(), &filter, &bad);
        if (r < 0) {
                log_error_errno(r, "Failed to build the seccomp filter of container %s%s%s: %m", name,
                                bad ? " at " : "", strempty(bad));
                return EXIT_BERTH_FAILED;
        }
        r = build_environment(c, extra, &env);
        if (r < 0)
                return log_error_errno(r, "Out of memory."), EXIT_BERTH_FAILED;

        labels.process = s.label;
        labels.enforced = is_selinux_enabled() > 0;
        r = selinux_set_exec_label(&labels);
        if (r < 0) {
                log_error_errno(r, "Failed to set the SELinux label %s: %m", strna(s.label));
                return EXIT_BERTH_FAILED;
        }

        /* Into the leader's own (leaf) cgroup, so the scope's limits count us and stopping the
         * scope ends us. */
        r = cgroup_pid_get_path(s.leader_pid, &cgroup);
        if (r >= 0)
                r = cgroup_attach(cgroup, getpid());
        if (r < 0) {
                log_error_errno(r, "Failed to join container %s's cgroup: %m", name);
                return EXIT_BERTH_FAILED;
        }

        /* Nothing of the host may follow us in: no core dumps or ptrace of this process (which
         * would expose /proc/PID/exe), and no fd but stdio. */
        if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
                return log_error("Failed to make berth non-dumpable: %m"), EXIT_BERTH_FAILED;
        if (close_range(3, ~0U, 0) < 0)
                return log_error("Failed to close file descriptors: %m"), EXIT_BERTH_FAILED;

        pidfd = (int)syscall(SYS_pidfd_open, s.leader_pid, 0);
        if (pidfd < 0) {
                log_error("Container %s's leader %d is gone: %m", name, (int)s.leader_pid);
                return EXIT_NOT_RUNNING;
        }
        r = namespaces_to_join(s.leader_pid, &ns_flags);
        if (r >= 0)
                r = setns(pidfd, ns_flags) < 0 ? negative_errno() : 0;
        safe_close(pidfd);
        if (r < 0) {
                log_error_errno(r, "Failed to enter the namespaces of container %s: %m", name);
                return EXIT_BERTH_FAILED;
        }

        exec_signals(&mask);
        sigprocmask(SIG_BLOCK, &mask, &old);

        child = fork(); /* the first process we start in the PID namespace we entered */
        if (child < 0)
                return log_error("Failed to fork: %m"), EXIT_BERTH_FAILED;
        if (child == 0) {
                sigprocmask(SIG_SETMASK, &old, NULL);
                _exit(confine_and_exec(c, caps, &filter, wd, argv + optind, env));
        }
        r = wait_child(child);
        sigprocmask(SIG_SETMASK, &old, NULL); /* CMD is gone: we may be ended again */
        return r;
}
