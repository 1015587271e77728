/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Step 3: clone() the payload into new namespaces, and the sync socket between the supervisor and
 * the child. The child waits until the parent has written its ID maps (it cannot act as root in
 * its user namespace before) and registered the scope, then sets itself up and execs. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "error-record.h"
#include "exit-status.h"
#include "launch-context.h"

static unsigned long clone_flags(const LaunchContext *ctx)
{
        /* CLONE_NEWCGROUP is unshared by the child after the parent moved it into its scope, so
         * that the namespace's root is the scope's cgroup. */
        unsigned long f = CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC;

        if (ctx->config->private_network)
                f |= CLONE_NEWNET;
        if (ctx->range.size > 0)
                f |= CLONE_NEWUSER;
        return f;
}

int launch_clone(LaunchContext *ctx)
{
        int pair[2], pidfd = -EBADF;
        sigset_t block;
        pid_t pid;

        if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) < 0)
                return launch_error(ctx, negative_errno(), "Failed to create sync socket");
        ctx->sync_fd = pair[0];
        ctx->child_sync_fd = pair[1];

        /* The supervisor takes these through a signalfd; blocked before clone so none is lost. */
        launch_supervised_signals(&block);
        if (sigprocmask(SIG_BLOCK, &block, &ctx->saved_sigmask) < 0)
                return launch_error(ctx, negative_errno(), "Failed to block signals");
        ctx->sigmask_saved = true;
        /* Read before the clone so the child puts it on the console before the payload can ask;
         * a later change is a SIGWINCH, which the blocked mask keeps for the relay. */
        if (ctx->options->interactive)
                ctx->have_winsize = ioctl(STDIN_FILENO, TIOCGWINSZ, &ctx->winsize) >= 0;

        /* Raw clone: fork semantics (no separate stack) with namespace flags and a pidfd. */
        pid = (pid_t)syscall(SYS_clone, clone_flags(ctx) | CLONE_PIDFD | SIGCHLD, NULL, &pidfd, NULL, 0);
        if (pid < 0)
                return launch_error(ctx, negative_errno(), "Failed to clone into new namespaces");
        if (pid == 0) {
                ctx->sync_fd = safe_close(ctx->sync_fd);
                _exit(launch_child_main(ctx));
        }
        ctx->pid = pid;
        ctx->pidfd = pidfd;
        ctx->child_sync_fd = safe_close(ctx->child_sync_fd);
        /* The payload holds the output pipes' write ends now: EOF once it and its children are gone. */
        for (size_t i = 0; i < ELEMENTSOF(ctx->output); i++)
                ctx->output[i].child_fd = safe_close(ctx->output[i].child_fd);
        return 0;
}

/* Parent: writes the ID maps, hands over the idmapped root, releases the child, and waits until it
 * has exec'ed the payload (EOF on the CLOEXEC socket) or reported why it could not. The child's
 * setup can be held up by what the container controls (a FIFO, a FUSE file in a bind of its own):
 * SIGTERM, SIGINT, SIGHUP or SIGQUIT (blocked since the clone) kill it and end the start, which
 * would otherwise wait for ever, deaf to `systemctl stop` and ^C. */
int launch_release_child(LaunchContext *ctx)
{
        SyncMessage go = { .type = SYNC_GO, .registered = ctx->scope != NULL };
        _cleanup_close_ int sfd = -EBADF;
        sigset_t interrupt;
        int r;

        sync_interrupt_signals(&interrupt);
        sfd = signalfd(-1, &interrupt, SFD_CLOEXEC | SFD_NONBLOCK);
        if (sfd < 0)
                return launch_error(ctx, negative_errno(), "Failed to watch signals");

        if (ctx->range.size > 0) {
                r = userns_write_maps(ctx->pid, &ctx->range);
                if (r < 0)
                        return launch_error(ctx, r, "Failed to write UID/GID maps");
        }
        r = launch_send_host_sources(ctx);
        if (r < 0)
                return r;
        r = sync_send(ctx->sync_fd, &go, NULL, 0);
        if (r < 0)
                return launch_error(ctx, r, "Failed to release payload process");

        for (;;) {
                SyncMessage m;
                int in[1], signo;
                size_t n_in = 0;

                r = sync_recv_or_signal(ctx->sync_fd, sfd, &m, in, ELEMENTSOF(in), &n_in, &signo);
                if (r == -EINTR) {
                        (void)syscall(SYS_pidfd_send_signal, ctx->pidfd, SIGKILL, NULL, 0);
                        ctx->child_exit_status = 128 + signo;
                        (void)launch_error(ctx, 0, "Interrupted by SIG%s before the payload started",
                                           sigabbrev_np(signo));
                        return -EINTR;
                }
                if (r < 0)
                        return launch_error(ctx, r, "Failed to read from payload process");
                if (r == 0)
                        break;
                switch (m.type) {
                case SYNC_PTY_MASTER:
                        if (n_in == 1)
                                ctx->pty_master_fd = in[0];
                        break;
                case SYNC_ERROR:
                        /* The child's line is the cause: nothing is recorded before this point
                         * (every step that records one stops the pipeline). */
                        m.text[sizeof(m.text) - 1] = 0;
                        (void)error_record(&ctx->error, 0, "%s", m.text);
                        ctx->child_exit_status = m.exit_status;
                        for (size_t i = 0; i < n_in; i++)
                                safe_close(in[i]);
                        return -EIO;
                default:
                        for (size_t i = 0; i < n_in; i++)
                                safe_close(in[i]);
                }
        }
        ctx->sync_fd = safe_close(ctx->sync_fd);

        /* EOF without an error: execve() succeeded (had the child died first, the supervisor reaps
         * it and reports its status all the same). */
        return 0;
}

int child_wait_release(LaunchChild *ch)
{
        LaunchContext *ctx = ch->ctx;
        SyncMessage m;
        int fds[1];
        size_t n = 0;
        int r;

        /* Die with the supervisor: a payload nobody reaps would keep the namespaces alive. */
        r = child_arm_parent_death(ch);
        if (r > 0)
                return r;
        ch->bind_src_fds = calloc(ctx->config->n_binds ?: 1, sizeof(int));
        if (!ch->bind_src_fds)
                return -ENOMEM;
        for (size_t i = 0; i < ctx->config->n_binds; i++)
                ch->bind_src_fds[i] = -EBADF;
        for (;;) {
                r = sync_recv(ctx->child_sync_fd, &m, fds, ELEMENTSOF(fds), &n);
                if (r <= 0)
                        return EXIT_BERTH_FAILED; /* the parent is gone or gave up: nobody to tell */
                if (m.type == SYNC_GO)
                        break;
                if (m.type != SYNC_MOUNT_FD || n != 1)
                        return child_report_error(ch, EXIT_BERTH_FAILED, -EBADMSG, "Unexpected message");
                if (m.index == SOURCE_ROOT)
                        ch->root_src_fd = fds[0];
                else if (m.index == SOURCE_NOTIFY)
                        ch->notify_src_fd = fds[0];
                else if (m.index == SOURCE_RESOLV)
                        ch->resolv_src_fd = fds[0];
                else if (m.index >= 0 && (size_t)m.index < ctx->config->n_binds)
                        ch->bind_src_fds[m.index] = fds[0];
                else
                        safe_close(fds[0]);
        }
        ch->registered = m.registered;

        if (ctx->range.size > 0) {
                /* The maps are written: become root of the new user namespace. */
                if (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0)
                        return child_report_error(ch, EXIT_BERTH_FAILED, negative_errno(),
                                                  "Failed to become root in user namespace");
                /* The kernel cleared the parent death signal with the new IDs. */
                r = child_arm_parent_death(ch);
                if (r > 0)
                        return r;
                child_test_pause_at("userns"); /* tests only: BERTH_TEST_CHILD_PAUSE_AT=userns */
        }
        /* Now that the parent moved us into the scope, its cgroup becomes the namespace root. */
        if (unshare(CLONE_NEWCGROUP) < 0)
                return child_report_error(ch, EXIT_BERTH_FAILED, negative_errno(),
                                          "Failed to create cgroup namespace");
        return 0;
}

int child_arm_parent_death(LaunchChild *ch)
{
        int r = sync_arm_parent_death(ch->ctx->child_sync_fd);

        if (r == -ESRCH)
                return EXIT_BERTH_FAILED; /* the supervisor is gone: nobody to tell */
        if (r < 0)
                return child_report_error(ch, EXIT_BERTH_FAILED, r, "Failed to set parent death signal");
        return 0;
}

int child_report_error(LaunchChild *ch, int exit_status, int error, const char *fmt, ...)
{
        va_list ap;

        va_start(ap, fmt);
        exit_status = sync_report_errorv(ch->ctx->child_sync_fd, ch->ctx->config->name, exit_status, error,
                                         fmt, ap);
        va_end(ap);
        return exit_status;
}
