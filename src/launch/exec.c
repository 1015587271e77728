/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* `berth exec`: a command inside a running container, confined exactly like its payload. Nothing
 * here reads a config file: the confinement is the record the payload's start left in its state
 * directory (record.h), and the child runs the very function that confined the payload
 * (confine_and_exec(), confine.c).
 *
 * The host side (this process) makes itself non-dumpable and closes every fd it inherited before
 * it touches the container (CVE-2019-5736, CVE-2024-21626), and never joins any cgroup the
 * container controls. The command is never handed a terminal of the caller's: it gets a pty of
 * the container's own devpts, opened inside, whose master berth relays (-t, the default when stdin
 * is a terminal), or, with -T, pipes in place of each of stdin/stdout/stderr that is a terminal.
 * With -n its stdin is the host's /dev/null, opened here, and berth never reads its own stdin.
 * It is always a session leader of its own. A process it leaves behind holds nothing of the
 * caller's: the master closes when berth exits.
 *
 * Its cgroup: with a scope (the container runs under systemd), a cgroup berth creates for this
 * exec, berth-NAME.scope/exec-PID, beside the payload's delegated "payload" subtree: the scope's
 * limits count it and stopping the container ends it, but the container's root, which owns
 * "payload" (an init builds its own tree there), cannot freeze, kill, move or limit it. The child
 * is born into it by clone3(CLONE_INTO_CGROUP), already inside the container's namespaces, so no
 * host-side process is ever in a cgroup the exec created either. Without a scope (berth run from
 * a shell, --register=no) there is no container cgroup to count it in: it stays where the caller
 * is. */
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <linux/sched.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "cgroup.h"
#include "error-record.h"
#include "exit-status.h"
#include "fileio.h"
#include "launch-context.h"
#include "pty-relay.h"
#include "record.h"
#include "state.h"
#include "strv.h"

typedef struct ExecContext {
        const char *name;
        const ExecOptions *o;
        RuntimeState state;
        ConfinementRecord rec;
        int pidfd;            /* the container's leader */
        int ns_flags;         /* its namespaces that differ from ours */
        int scope_cgroup_fd;  /* berth-NAME.scope's cgroup; -EBADF without a scope */
        int exec_cgroup_fd;   /* the cgroup made for this exec in it */
        char exec_cgroup[32]; /* its name */
        int sync_fd, child_sync_fd;
        bool pty;
        bool have_winsize; /* with a pty: the caller's size, set on it before the command runs */
        struct winsize winsize;
        int child_stdio[3]; /* what the command gets as fd 0, 1, 2 without a pty */
        int relay_fds[3];   /* our ends of the pipes replacing a terminal (-T) */
        sigset_t saved_sigmask;
        int exit_status; /* reported by the child, 0 when none */
        char *error;
} ExecContext;

static void exec_context_done(ExecContext *x)
{
        runtime_state_done(&x->state);
        confinement_record_done(&x->rec);
        x->pidfd = safe_close(x->pidfd);
        if (x->exec_cgroup_fd >= 0 && x->scope_cgroup_fd >= 0)
                /* EBUSY while something the command left behind still runs: the scope's stop
                 * collects it. */
                (void)unlinkat(x->scope_cgroup_fd, x->exec_cgroup, AT_REMOVEDIR);
        x->exec_cgroup_fd = safe_close(x->exec_cgroup_fd);
        x->scope_cgroup_fd = safe_close(x->scope_cgroup_fd);
        x->sync_fd = safe_close(x->sync_fd);
        x->child_sync_fd = safe_close(x->child_sync_fd);
        for (int i = 0; i < 3; i++) {
                if (x->child_stdio[i] != i)
                        x->child_stdio[i] = safe_close(x->child_stdio[i]);
                x->relay_fds[i] = safe_close(x->relay_fds[i]);
        }
        free(x->error);
}

_printf_(3, 4) static int exec_error(ExecContext *x, int error, const char *fmt, ...)
{
        va_list ap;

        va_start(ap, fmt);
        (void)launch_error_recordv(&x->error, x->name, error, fmt, ap);
        va_end(ap);
        return error;
}

/* berth-NAME.scope/exec-PID, when the container runs in a scope. The scope's cgroup is the first
 * path component named after the scope in the leader's cgroup: the container can only add
 * components below it. It is root's (only "payload" is delegated), which is checked. */
static int exec_make_cgroup(ExecContext *x)
{
        _cleanup_free_ char *leader = NULL, *scope = NULL, *fs = NULL, *needle = NULL;
        struct stat st;
        char *p;
        int r;

        if (!x->state.scope)
                return 0;
        r = cgroup_pid_get_path(x->state.leader_pid, &leader);
        if (r < 0)
                return exec_error(x, r, "Failed to find the cgroup");
        if (asprintf(&needle, "/%s/", x->state.scope) < 0)
                return -ENOMEM;
        p = strstr(leader, needle);
        if (!p)
                return exec_error(x, -ENOENT, "Failed to find scope %s in cgroup %s", x->state.scope,
                                  leader);
        scope = strndup(leader, p - leader + strlen(needle) - 1);
        if (!scope)
                return -ENOMEM;
        r = cgroup_fs_path(scope, NULL, &fs);
        if (r < 0)
                return exec_error(x, r, "Failed to find the cgroup file system");
        x->scope_cgroup_fd = open(fs, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (x->scope_cgroup_fd < 0)
                return exec_error(x, negative_errno(), "Failed to open cgroup %s", scope);
        if (fstat(x->scope_cgroup_fd, &st) < 0 || st.st_uid != 0)
                return exec_error(x, -EPERM, "Failed to use cgroup %s (not root's)", scope);
        snprintf(x->exec_cgroup, sizeof(x->exec_cgroup), "exec-%d", (int)getpid());
        if (mkdirat(x->scope_cgroup_fd, x->exec_cgroup, 0755) < 0 && errno != EEXIST)
                return exec_error(x, negative_errno(), "Failed to create cgroup %s/%s", scope,
                                  x->exec_cgroup);
        x->exec_cgroup_fd =
                openat(x->scope_cgroup_fd, x->exec_cgroup, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (x->exec_cgroup_fd < 0)
                return exec_error(x, negative_errno(), "Failed to open cgroup %s/%s", scope, x->exec_cgroup);
        return 0;
}

/* A socket pair whose sockets carry the container's process label: the command may write to
 * its end (its own type and pair), berth reads the other. */
static int exec_labelled_socketpair(ExecContext *x, int p[2])
{
        int r;

        r = selinux_write_sockcreate_label(x->rec.label);
        if (r >= 0 && socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, p) < 0)
                r = negative_errno();
        (void)selinux_write_sockcreate_label(NULL);
        if (r < 0)
                return exec_error(x, r, "Failed to create a socket pair labelled %s", x->rec.label);
        return 0;
}

/* How the command gets fd 0, 1 or 2: as the caller's own, through berth, or as /dev/null. */
typedef enum ExecStreamMode {
        EXEC_STREAM_HANDED,  /* the caller's fd as it is: never a handle on the host's file tree */
        EXEC_STREAM_RELAYED, /* the pty, or a pipe or socket pair berth relays */
        EXEC_STREAM_NULLED,  /* -n, stdin only: the host's /dev/null, the caller's stdin unread */
} ExecStreamMode;

/* Under SELinux the relayed streams are socket pairs labelled as the container's process. */
static bool exec_labels_streams(const ExecContext *x)
{
        return x->rec.label_enforced && x->rec.label;
}

/* The one decision per stream, in this order:
 * - with -n, stdin is the host's /dev/null, whatever else holds (-n never comes with a pty);
 * - with a pty, all three are the pty;
 * - under SELinux, every one of them is relayed, whatever it is: handed as it is, it carries the
 *   caller's level, and where the caller is an administrator's shell (s0-s0:c0.c1023) the
 *   container's pair does not dominate it, so MCS refuses the command's use of it (`berth exec
 *   NAME -- CMD | ...` got nothing);
 * - with -T, each one that is a terminal is replaced by a pipe we relay;
 * - the rest is handed as it is (checked first, stdio_check_handoff()). */
static ExecStreamMode exec_stream_mode(const ExecContext *x, int fd)
{
        if (fd == STDIN_FILENO && x->o->no_stdin)
                return EXEC_STREAM_NULLED;
        if (x->pty || exec_labels_streams(x) || isatty(fd))
                return EXEC_STREAM_RELAYED;
        return EXEC_STREAM_HANDED;
}

/* -n: the host's /dev/null, opened by us (never a path inside the container), so that reading
 * stdin is the same everywhere: the command gets EOF and the caller's stdin stays unread. */
static int exec_open_null(ExecContext *x)
{
        _cleanup_close_ int fd = -EBADF;
        struct stat st;

        fd = open("/dev/null", O_RDONLY | O_NOCTTY | O_CLOEXEC);
        if (fd < 0)
                return exec_error(x, negative_errno(), "Failed to open /dev/null");
        if (fstat(fd, &st) < 0)
                return exec_error(x, negative_errno(), "Failed to inspect /dev/null");
        if (!S_ISCHR(st.st_mode) || st.st_rdev != makedev(1, 3))
                return exec_error(x, -ENODEV, "Refusing /dev/null of the host: not the null device");
        x->child_stdio[STDIN_FILENO] = TAKE_FD(fd);
        return 0;
}

static int exec_make_pipes(ExecContext *x)
{
        int r;

        for (int i = 0; i < 3; i++) {
                int p[2];

                x->child_stdio[i] = i;
                switch (exec_stream_mode(x, i)) {
                case EXEC_STREAM_HANDED: continue;
                case EXEC_STREAM_NULLED:
                        r = exec_open_null(x);
                        if (r < 0)
                                return r;
                        continue;
                case EXEC_STREAM_RELAYED: break;
                }
                if (exec_labels_streams(x)) {
                        r = exec_labelled_socketpair(x, p);
                        if (r < 0)
                                return r;
                } else if (pipe2(p, O_CLOEXEC) < 0)
                        return exec_error(x, negative_errno(), "Failed to create a pipe");
                x->child_stdio[i] = i == 0 ? p[0] : p[1];
                x->relay_fds[i] = i == 0 ? p[1] : p[0];
        }
        return 0;
}

/* What berth exec blocks and reads from a signalfd while it runs. SIGPIPE is the kernel's answer
 * to a write of the relay whose reader went away: blocked, so berth lives on to restore the
 * terminal it made raw and to exit as the command did, and never forwarded as such (a write into
 * the container's stdin raises it too); see exec_relay(). */
static void exec_signals(sigset_t *mask)
{
        sync_interrupt_signals(mask); /* forwarded to the command, or, before it started, fatal to it */
        sigaddset(mask, SIGCHLD);
        sigaddset(mask, SIGWINCH);
        sigaddset(mask, SIGPIPE);
}

/* A write of the relay's last drain into a reader that went away leaves a SIGPIPE pending that
 * the signalfd no longer reads: berth's own, taken here so that restoring the mask after the
 * command is gone does not kill berth with it (exit 141 of the command became berth's death by
 * SIGPIPE, now and then, in `berth exec NAME yes | head`). */
static void exec_discard_sigpipe(void)
{
        sigset_t pipe;

        sigemptyset(&pipe);
        sigaddset(&pipe, SIGPIPE);
        (void)sigtimedwait(&pipe, NULL, &(struct timespec){});
}

/* ---- the child: inside every namespace, from here to execve ------------------------------- */

_printf_(4, 5) static int child_fail(ExecContext *x, int exit_status, int error, const char *fmt, ...)
{
        va_list ap;

        va_start(ap, fmt);
        exit_status = sync_report_errorv(x->child_sync_fd, x->name, exit_status, error, fmt, ap);
        va_end(ap);
        return exit_status;
}

/* A pty of the container's own devpts, opened inside as the container's root, never a path that
 * leads elsewhere: the master goes to berth, the slave becomes our controlling terminal. */
static int child_take_pty(ExecContext *x)
{
        _cleanup_close_ int master = -EBADF, slave = -EBADF;
        SyncMessage m = { .type = SYNC_PTY_MASTER };
        struct statfs fs;
        struct stat st;
        int r;

        master = open("/dev/pts/ptmx", O_RDWR | O_NOCTTY | O_NOFOLLOW | O_CLOEXEC);
        if (master < 0)
                return negative_errno();
        if (fstatfs(master, &fs) < 0 || fstat(master, &st) < 0)
                return negative_errno();
        if (fs.f_type != DEVPTS_SUPER_MAGIC || !S_ISCHR(st.st_mode))
                return -ENOTTY;
        if (unlockpt(master) < 0)
                return negative_errno();
        slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (slave < 0)
                return negative_errno();
        /* The caller's size before the command runs: the relay's copy would come too late for a
         * command that asks at once (stty size). */
        if (x->have_winsize && ioctl(slave, TIOCSWINSZ, &x->winsize) < 0)
                return negative_errno();
        r = sync_send(x->child_sync_fd, &m, &master, 1);
        if (r < 0)
                return r;
        if (ioctl(slave, TIOCSCTTY, 0) < 0)
                return negative_errno();
        for (int i = 0; i < 3; i++)
                if (dup2(slave, i) < 0)
                        return negative_errno();
        return 0;
}

static int child_main(ExecContext *x)
{
        const ConfinementRecord *rec = &x->rec;
        const char *user = x->o->user ?: "root", *db = NULL;
        _cleanup_strv_free_ char **env = NULL;
        SelinuxLabels labels = { .process = rec->label, .enforced = rec->label_enforced };
        UserRecord u = {};
        ConfineStep step;
        int r;

        /* Die with berth: nobody would relay or reap otherwise. */
        r = sync_arm_parent_death(x->child_sync_fd);
        if (r == -ESRCH)
                return EXIT_BERTH_FAILED; /* nobody to tell */
        if (r < 0)
                return child_fail(x, EXIT_BERTH_FAILED, r, "Failed to set parent death signal");
        /* Born into our cgroup, now into the container's cgroup namespace. */
        if ((x->ns_flags & CLONE_NEWCGROUP) && setns(x->pidfd, CLONE_NEWCGROUP) < 0)
                return child_fail(x, EXIT_BERTH_FAILED, negative_errno(),
                                  "Failed to enter the cgroup namespace");
        x->pidfd = safe_close(x->pidfd);
        /* Root of the container's user namespace: no host identity touches its files. */
        if (rec->uid_size > 0 && (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0))
                return child_fail(x, EXIT_BERTH_FAILED, negative_errno(),
                                  "Failed to become root of the user namespace");
        /* The credential change cleared the parent death signal: set it again. */
        r = sync_arm_parent_death(x->child_sync_fd);
        if (r == -ESRCH)
                return EXIT_BERTH_FAILED; /* nobody to tell */
        if (r < 0)
                return child_fail(x, EXIT_BERTH_FAILED, r, "Failed to set parent death signal");
        if (setsid() < 0)
                return child_fail(x, EXIT_BERTH_FAILED, negative_errno(), "Failed to create a session");
        if (x->pty) {
                r = child_take_pty(x);
                if (r < 0)
                        return child_fail(x, EXIT_BERTH_FAILED, r, "Failed to allocate a pty");
        } else
                for (int i = 0; i < 3; i++)
                        if (x->child_stdio[i] != i && dup2(x->child_stdio[i], i) < 0)
                                return child_fail(x, EXIT_BERTH_FAILED, negative_errno(),
                                                  "Failed to set up standard input/output");

        r = user_resolve(user, &u, &db);
        if (r == -ESRCH)
                return child_fail(x, EXIT_BERTH_FAILED, 0, "Failed to find user %s in /etc/passwd", user);
        if (r < 0 && user_db_refusal(r))
                return child_fail(x, EXIT_BERTH_FAILED, 0, "Refusing the container's %s: %s", db,
                                  user_db_refusal(r));
        if (r < 0)
                return child_fail(x, EXIT_BERTH_FAILED, r, "Failed to read the container's %s", db);
        r = env_build(u.home, false, rec->environment, &env);
        STRV_FOREACH (e, x->o->env)
                if (r >= 0)
                        r = strv_env_set(&env, *e);
        if (r < 0)
                return child_fail(x, EXIT_BERTH_FAILED, r, "Failed to build the environment");

        /* No fd of the host but the sync socket (CLOEXEC: closed by the execve). */
        r = close_all_fds_but(x->child_sync_fd);
        if (r < 0)
                return child_fail(x, EXIT_BERTH_FAILED, r, "Failed to close file descriptors");
        if (chdir("/") < 0)
                return child_fail(x, EXIT_BERTH_FAILED, negative_errno(), "Failed to enter the root");

        Confinement cf = {
                .caps = rec->caps,
                .no_new_privs = rec->no_new_privs,
                .labels = &labels,
                .userns = rec->uid_size > 0,
                .uid = u.uid,
                .gid = u.gid,
                .groups = u.groups,
                .n_groups = u.n_groups,
                .working_directory = x->o->working_directory ?: rec->working_directory,
                .home = u.home,
                .env = env,
                .parent_fd = x->child_sync_fd,
                .sigmask = &x->saved_sigmask,
                .seccomp = &rec->seccomp,
                .argv = x->o->argv,
        };
        r = confine_and_exec(&cf, &step);
        if (step == CONFINE_EXEC)
                return child_fail(x, r == -ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_EXEC, r, "Failed to %s %s",
                                  r == -ENOENT ? "find" : "execute", cf.argv[0]);
        if (step == CONFINE_WORKDIR)
                return child_fail(x, EXIT_BERTH_FAILED, r, "Failed to change to directory %s",
                                  cf.working_directory ?: u.home);
        return child_fail(x, EXIT_BERTH_FAILED, r, "%s", confine_step_to_string(step));
}

/* ---- the parent: relay, forward signals, reap ------------------------------------------------ */

static pid_t exec_clone(ExecContext *x)
{
        struct clone_args args = { .exit_signal = SIGCHLD };

        if (x->exec_cgroup_fd >= 0) {
                args.flags |= CLONE_INTO_CGROUP;
                args.cgroup = (uint64_t)x->exec_cgroup_fd;
        }
        return (pid_t)syscall(SYS_clone3, &args, sizeof(args));
}

/* Until the child has exec'ed (EOF on the CLOEXEC socket) or said why it could not. The child is
 * in the container's PID namespace, where its root can stop it (SIGSTOP) before the exec: a
 * termination signal for berth (blocked, so read here) then kills the child and ends the wait,
 * which would otherwise last for ever. */
static int exec_wait_started(ExecContext *x, pid_t child, int *ret_master)
{
        _cleanup_close_ int sfd = -EBADF;
        sigset_t mask;

        sync_interrupt_signals(&mask);
        sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
        if (sfd < 0)
                return exec_error(x, negative_errno(), "Failed to watch signals");
        for (;;) {
                SyncMessage m;
                int in[1], signo;
                size_t n_in = 0;
                int r = sync_recv_or_signal(x->sync_fd, sfd, &m, in, ELEMENTSOF(in), &n_in, &signo);

                if (r == -EINTR) {
                        (void)kill(child, SIGKILL);
                        x->exit_status = 128 + signo;
                        (void)exec_error(x, 0, "Interrupted by SIG%s before the command started",
                                         sigabbrev_np(signo));
                        return -EINTR;
                }
                if (r < 0)
                        return exec_error(x, r, "Failed to read from the command's process");
                if (r == 0)
                        return 0;
                if (m.type == SYNC_PTY_MASTER && n_in == 1 && *ret_master < 0) {
                        *ret_master = in[0];
                        continue;
                }
                for (size_t i = 0; i < n_in; i++)
                        safe_close(in[i]);
                if (m.type == SYNC_ERROR) {
                        /* The child's line is the cause: nothing is recorded before this point
                         * (every failure that records one ends launch_exec()). */
                        m.text[sizeof(m.text) - 1] = 0;
                        (void)error_record(&x->error, 0, "%s", m.text);
                        x->exit_status = m.exit_status;
                        return -EIO;
                }
        }
}

static int exec_relay(ExecContext *x, pid_t child, int master)
{
        _cleanup_close_ int sfd = -EBADF;
        sigset_t mask;
        Relay relay;
        int status = EXIT_BERTH_FAILED;
        bool sigpipe_sent = false;

        exec_signals(&mask);
        sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
        if (sfd < 0)
                return exec_error(x, negative_errno(), "Failed to watch signals");
        relay_start_pty(&relay, master);
        relay_window_size(&relay);
        if (x->relay_fds[0] >= 0)
                relay_add(&relay, STDIN_FILENO, TAKE_FD(x->relay_fds[0]), true, false);
        for (int i = 1; i < 3; i++)
                if (x->relay_fds[i] >= 0)
                        relay_add(&relay, x->relay_fds[i], i, false, true);

        for (;;) {
                struct pollfd p[1 + RELAY_CHANNELS_MAX] = { { .fd = sfd, .events = POLLIN } };
                siginfo_t si = {};

                if (waitid(P_PID, child, &si, WEXITED | WNOHANG) == 0 && si.si_pid == child) {
                        status = si.si_code == CLD_EXITED ? si.si_status : 128 + si.si_status;
                        break;
                }
                relay_pollfds(&relay, p + 1);
                if (poll(p, ELEMENTSOF(p), -1) < 0) {
                        if (errno == EINTR)
                                continue;
                        exec_error(x, negative_errno(), "Failed to wait for the command");
                        (void)kill(child, SIGKILL);
                        (void)waitid(P_PID, child, &si, WEXITED);
                        break;
                }
                if (p[0].revents & POLLIN) {
                        struct signalfd_siginfo ssi;
                        while (read(sfd, &ssi, sizeof(ssi)) == sizeof(ssi)) {
                                if (ssi.ssi_signo == SIGWINCH)
                                        relay_window_size(&relay);
                                else if (ssi.ssi_signo != SIGCHLD && ssi.ssi_signo != SIGPIPE)
                                        (void)kill(child, (int)ssi.ssi_signo);
                        }
                }
                relay_process(&relay, p + 1);
                /* `berth exec NAME yes | head`: the command gets the SIGPIPE, as it would have,
                 * writing into that pipe itself. Once: what it left behind may write on. */
                if (!sigpipe_sent && relay_output_broken(&relay)) {
                        (void)kill(child, SIGPIPE);
                        sigpipe_sent = true;
                }
        }
        /* What the command wrote last; what it left behind keeps nothing of ours once we exit. */
        relay_drain(&relay);
        relay_stop(&relay);
        return status;
}

int launch_exec(const char *name, const ExecOptions *o, char **ret_error)
{
        _cleanup_(exec_context_done) ExecContext x = {
                .name = name,
                .o = o,
                .pidfd = -EBADF,
                .scope_cgroup_fd = -EBADF,
                .exec_cgroup_fd = -EBADF,
                .sync_fd = -EBADF,
                .child_sync_fd = -EBADF,
                .child_stdio = { 0, 1, 2 },
                .relay_fds = { -EBADF, -EBADF, -EBADF },
        };
        _cleanup_close_ int master = -EBADF;
        int pair[2], r, status = EXIT_BERTH_FAILED;
        sigset_t mask;
        pid_t child;

        /* Nothing of the host may follow us in: no core dumps or ptrace of this process (which
         * would expose /proc/PID/exe), and no fd we were given but stdio. */
        if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0) {
                r = exec_error(&x, negative_errno(), "Failed to make berth non-dumpable");
                goto finish;
        }
        if (syscall(SYS_close_range, 3, ~0U, 0) < 0) {
                r = exec_error(&x, negative_errno(), "Failed to close file descriptors");
                goto finish;
        }

        /* -n: no pty (the CLI refuses -n with -t), and stdin is never looked at. */
        x.pty = o->no_stdin ? false : o->tty >= 0 ? o->tty : isatty(STDIN_FILENO);
        r = state_read(o->state_dir, name, &x.state);
        if (r == -ESRCH) {
                status = EXIT_NOT_RUNNING;
                r = exec_error(&x, 0, "Not running");
                goto finish;
        }
        if (r < 0) {
                r = exec_error(&x, r, "Failed to read the state in %s", o->state_dir);
                goto finish;
        }
        r = confinement_record_read(o->state_dir, name, &x.rec);
        if (r == -ENOENT) {
                r = exec_error(&x, r,
                               "No recorded confinement in %s/%s (started by an older berth? restart it)",
                               o->state_dir, name);
                goto finish;
        }
        if (r < 0) {
                r = exec_error(&x, r, "Failed to read the recorded confinement in %s/%s", o->state_dir,
                               name);
                goto finish;
        }
        /* A record and a state of different starts (the container restarted in between). */
        if (x.rec.supervisor_pid != x.state.supervisor_pid) {
                status = EXIT_NOT_RUNNING;
                r = exec_error(&x, -ESTALE, "The container restarted meanwhile");
                goto finish;
        }
        /* What the command is handed as it is: checked before anything is made. */
        for (int i = 0; i < 3; i++) {
                char why[STDIO_REFUSAL_MAX];

                if (exec_stream_mode(&x, i) != EXEC_STREAM_HANDED)
                        continue;
                r = stdio_check_handoff(i);
                if (r < 0) {
                        r = exec_error(&x, r, "Refusing to hand the command %s",
                                       stdio_handoff_refusal(i, r, why));
                        goto finish;
                }
        }
        x.pidfd = (int)syscall(SYS_pidfd_open, x.state.leader_pid, 0);
        if (x.pidfd < 0) {
                status = EXIT_NOT_RUNNING;
                r = exec_error(&x, negative_errno(), "Failed to find the leader %d",
                               (int)x.state.leader_pid);
                goto finish;
        }
        /* The process the pidfd pins is the recorded payload: its user namespace maps the
         * recorded range (a PID reused since would not). */
        r = join_leader_matches_record(x.state.leader_pid, x.pidfd, &x.rec);
        if (r < 0) {
                status = EXIT_NOT_RUNNING;
                r = exec_error(&x, r, "The leader %d is not the recorded payload", (int)x.state.leader_pid);
                goto finish;
        }
        r = join_namespaces_to_join(x.state.leader_pid,
                                    CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS |
                                            CLONE_NEWIPC | CLONE_NEWNET | CLONE_NEWCGROUP,
                                    &x.ns_flags);
        if (r < 0) {
                r = exec_error(&x, r, "Failed to inspect the namespaces");
                goto finish;
        }
        r = exec_make_cgroup(&x);
        if (r < 0)
                goto finish;
        /* Read before the clone; the relay reads it again when it starts and on SIGWINCH. */
        if (x.pty)
                x.have_winsize = ioctl(STDIN_FILENO, TIOCGWINSZ, &x.winsize) >= 0;
        if (!x.pty) {
                r = exec_make_pipes(&x);
                if (r < 0)
                        goto finish;
        }
        if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) < 0) {
                r = exec_error(&x, negative_errno(), "Failed to create a socket");
                goto finish;
        }
        x.sync_fd = pair[0];
        x.child_sync_fd = pair[1];

        /* Every namespace but the cgroup one: the child must be born into its cgroup first, which
         * lies outside the container's cgroup namespace. */
        if ((x.ns_flags & ~CLONE_NEWCGROUP) && setns(x.pidfd, x.ns_flags & ~CLONE_NEWCGROUP) < 0) {
                r = exec_error(&x, negative_errno(), "Failed to enter the namespaces");
                goto finish;
        }
        exec_signals(&mask);
        if (sigprocmask(SIG_BLOCK, &mask, &x.saved_sigmask) < 0) {
                r = exec_error(&x, negative_errno(), "Failed to block signals");
                goto finish;
        }
        child = exec_clone(&x); /* the first process we start in the PID namespace we entered */
        if (child < 0) {
                r = exec_error(&x, negative_errno(), "Failed to start the command's process");
                (void)sigprocmask(SIG_SETMASK, &x.saved_sigmask, NULL);
                goto finish;
        }
        if (child == 0) {
                x.sync_fd = safe_close(x.sync_fd);
                _exit(child_main(&x));
        }
        x.child_sync_fd = safe_close(x.child_sync_fd);
        for (int i = 0; i < 3; i++)
                if (x.child_stdio[i] != i)
                        x.child_stdio[i] = safe_close(x.child_stdio[i]);

        r = exec_wait_started(&x, child, &master);
        if (r < 0) {
                siginfo_t si;
                (void)waitid(P_PID, child, &si, WEXITED);
                if (x.exit_status > 0)
                        status = x.exit_status;
        } else
                status = exec_relay(&x, child, master);
        exec_discard_sigpipe();
        (void)sigprocmask(SIG_SETMASK, &x.saved_sigmask, NULL); /* the command is gone */

finish:
        if (ret_error)
                *ret_error = x.error ? strdup(x.error) : NULL;
        return status;
}
