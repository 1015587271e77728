/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Step 7: the supervisor. Forwards every catchable signal to the payload (SIGTERM and SIGINT as
 * the halt signal when it is an init), turns systemd's RequestStop for the scope into a stop of
 * its service (scope.c), relays the console pty, the payload's output to the journal (output.c)
 * and its notifications (notify.c, at the pace notify-limit.h allows), reaps the payload and turns
 * its end into berth's exit status: its exit code, or 128+N when signal N killed it. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "exit-status.h"
#include "launch-context.h"
#include "log.h"

#include "notify.h"
#include "pty-relay.h"
#include "sd-lib.h"

static int exit_status_of(const LaunchContext *ctx, const siginfo_t *si)
{
        if (si->si_code == CLD_EXITED)
                return si->si_status;
        /* An init's reboot(2) in a pid namespace ends it with SIGINT (halt, poweroff) or SIGHUP
         * (reboot, 129, which berth@.service restarts on): a halt is a clean end. */
        if (ctx->config->boot && si->si_status == SIGINT)
                return 0;
        return 128 + si->si_status; /* CLD_KILLED, CLD_DUMPED */
}

static int forward_signal(LaunchContext *ctx, int sig)
{
        /* SIGTERM is the stop (systemd's, or the scope's RequestStop): the container's KillSignal=.
         * An init (Boot=yes) halts on SIGRTMIN+3; SIGTERM would make systemd re-execute. */
        if (sig == SIGTERM && ctx->config->kill_signal > 0)
                sig = ctx->config->kill_signal;
        /* SIGHUP is the reload (ExecReload= of berth@.service): the container's ReloadSignal=. */
        else if (sig == SIGHUP && ctx->config->reload_signal > 0)
                sig = ctx->config->reload_signal;
        else if (ctx->config->boot && (sig == SIGTERM || sig == SIGINT))
                sig = SIGRTMIN + 3;
        if (syscall(SYS_pidfd_send_signal, ctx->pidfd, sig, NULL, 0) < 0 && errno != ESRCH)
                return negative_errno();
        return 0;
}

/* Every signal berth's supervisor can catch is the payload's: `systemctl kill -s USR1
 * berth@NAME` must reach the container, not end berth (only SIGKILL does). Not forwarded:
 * SIGCHLD (the payload's end), SIGCONT (systemd sends it after every stop signal; not blocked,
 * it only resumes us), SIGTTIN and SIGTTOU (the kernel's answer to our own terminal access from
 * a background job: they stop us, as for any command), and what the supervisor raised itself
 * (SIGPIPE of a write).
 * Blocking the fault signals is safe: the kernel kills on a real fault even when blocked. */
static bool signal_is_forwarded(int sig)
{
        return sig != SIGKILL && sig != SIGSTOP && sig != SIGCHLD && sig != SIGCONT && sig != SIGTTIN &&
               sig != SIGTTOU;
}

void launch_supervised_signals(sigset_t *ret)
{
        sigemptyset(ret);
        sigaddset(ret, SIGCHLD);
        for (int sig = 1; sig <= SIGRTMAX; sig++)
                if (signal_is_forwarded(sig))
                        (void)sigaddset(ret, sig); /* EINVAL for the C library's own RT signals */
}

static void handle_signal(LaunchContext *ctx, Relay *relay, const struct signalfd_siginfo *ssi)
{
        int sig = (int)ssi->ssi_signo;

        if (!signal_is_forwarded(sig))
                return;
        if (ssi->ssi_code == SI_USER && ssi->ssi_pid == (uint32_t)getpid())
                return; /* our own (SIGPIPE, SIGXFSZ): not the payload's business */
        /* With a console, a new window size reaches the payload as the kernel's SIGWINCH. */
        if (sig == SIGWINCH && relay->master >= 0) {
                relay_window_size(relay);
                return;
        }
        /* Ctrl-C of the terminal berth runs in the foreground of (the kernel's SIGINT): the first
         * is the payload's to handle, a second kills it, so Ctrl-C always ends a foreground run. */
        if (sig == SIGINT && ssi->ssi_code == SI_KERNEL) {
                static unsigned ctrl_c;
                if (ctrl_c++ > 0) {
                        log_info("Killing container %s (Ctrl-C again).", ctx->config->name);
                        (void)syscall(SYS_pidfd_send_signal, ctx->pidfd, SIGKILL, NULL, 0);
                        return;
                }
        }
        (void)forward_signal(ctx, sig);
}

static void process_bus(LaunchContext *ctx)
{
        int r;

        /* Until its queue is empty: sd_bus_get_events() asks for POLLIN only then. */
        while (ctx->bus) {
                r = sym_sd_bus_process(ctx->bus, NULL);
                if (r == 0)
                        return;
                if (r < 0) {
                        log_warning_errno(r, "Lost the bus connection of container %s, ignoring: %m",
                                          ctx->config->name);
                        ctx->bus = sym_sd_bus_flush_close_unref(ctx->bus);
                        return;
                }
        }
}

/* The payload ended: what it still said, the last STATUS= a flooding payload sent above all (why
 * it stopped), reaches the manager before berth's STOPPING=1 instead of being dropped. Bounded: the
 * datagrams still in the socket are at most its queue (net.unix.max_dgram_qlen, 512 by default;
 * their writers are gone), read coalesced, and what the bucket held back goes out regardless of it,
 * in one message (up to three when its states must not share one): once a run, not a flood. */
static void notify_drain_at_exit(LaunchContext *ctx, NotifyLimit *limit)
{
        NotifyEvents ev = {};

        for (unsigned i = 0; ctx->notify_fd >= 0 && i < 1024 / NOTIFY_DATAGRAMS_PER_WAKEUP; i++)
                if (notify_socket_process(ctx->notify_fd, limit, &ev) <= 0)
                        break;
        (void)notify_relay_flush(limit, true);
}

int launch_supervise(LaunchContext *ctx)
{
        _cleanup_close_ int sfd = -EBADF;
        sigset_t mask;
        Relay relay;
        NotifyLimit notify_limit;
        int status = EXIT_BERTH_FAILED;

        launch_supervised_signals(&mask);
        sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
        if (sfd < 0)
                log_warning_errno(negative_errno(), "Failed to watch signals for container %s: %m",
                                  ctx->config->name);

        /* berth@.service is Type=notify: ready once the payload runs, unless the payload itself
         * says when (Notify=yes, or an init with Boot=yes and no Notify=no), relayed from its
         * notify socket. */
        if (!ctx->config->notify_ready)
                (void)notify_manager("READY=1");
        bool console_journal = launch_console_to_journal(ctx); /* Boot=yes */
        relay_start_pty(&relay, ctx->options->interactive ? ctx->pty_master_fd : -EBADF);
        if (!ctx->options->interactive && ctx->pty_master_fd >= 0 && !console_journal)
                relay_add_console(&relay, ctx->pty_master_fd, STDOUT_FILENO);
        relay.eio_is_hangup = ctx->console_hold_fd >= 0;
        relay_window_size(&relay);
        notify_limit_init(&notify_limit, NULL);

        for (;;) {
                siginfo_t si = {};
                int bus_fd, bus_events;

                process_bus(ctx); /* also what came in during the registration's calls */
                bus_fd = ctx->bus ? sym_sd_bus_get_fd(ctx->bus) : -EBADF;
                bus_events = bus_fd >= 0 ? sym_sd_bus_get_events(ctx->bus) : 0;
                struct pollfd p[5 + RELAY_CHANNELS_MAX + 1] = {
                        { .fd = sfd, .events = POLLIN },
                        { .fd = ctx->notify_fd, .events = POLLIN },
                        { .fd = ctx->output[0].fd, .events = POLLIN },
                        { .fd = ctx->output[1].fd, .events = POLLIN },
                        /* systemd's RequestStop for the scope (scope.c), and whatever else arrives */
                        { .fd = bus_events > 0 ? bus_fd : -1,
                          .events = (short)(bus_events > 0 ? bus_events : 0) },
                };
                struct pollfd *hold = &p[5 + RELAY_CHANNELS_MAX];

                if (waitid(P_PIDFD, ctx->pidfd, &si, WEXITED | WNOHANG) == 0 && si.si_pid != 0) {
                        status = exit_status_of(ctx, &si);
                        break;
                }
                relay_pollfds(&relay, p + 5);
                *hold = (struct pollfd){ .fd = ctx->console_hold_fd }; /* only its hangup */
                /* What the payload's notifications held back goes out when the bucket allows, even
                 * if it sends nothing more: poll() wakes for it then. */
                (void)notify_relay_flush(&notify_limit, false);
                if (poll(p, ELEMENTSOF(p), notify_limit_timeout_msec(&notify_limit)) < 0) {
                        if (errno == EINTR)
                                continue;
                        log_error_errno(negative_errno(), "Failed to wait for container %s: %m",
                                        ctx->config->name);
                        /* Not without it: berth@'s ExecStopPost= trusts a supervisor that exited
                         * by itself to leave no process behind. */
                        (void)syscall(SYS_pidfd_send_signal, ctx->pidfd, SIGKILL, NULL, 0);
                        (void)waitid(P_PIDFD, ctx->pidfd, &si, WEXITED);
                        break;
                }
                if (p[0].revents & POLLIN) {
                        struct signalfd_siginfo ssi;
                        while (read(sfd, &ssi, sizeof(ssi)) == sizeof(ssi))
                                handle_signal(ctx, &relay, &ssi);
                }
                if (p[1].revents & POLLIN) {
                        NotifyEvents ev = {};
                        (void)notify_socket_process(ctx->notify_fd, &notify_limit, &ev);
                }
                launch_console_hold(ctx, hold->revents); /* before the master reads EIO again */
                relay_process(&relay, p + 5);
                for (size_t i = 0; i < ELEMENTSOF(ctx->output); i++)
                        if (p[2 + i].revents & (POLLIN | POLLHUP | POLLERR))
                                (void)output_relay_read(&ctx->output[i]);
        }
        /* The payload and all it forked are gone (its PID namespace died with it): what they
         * wrote last is still in the pipes. */
        for (size_t i = 0; i < ELEMENTSOF(ctx->output); i++)
                output_relay_drain(&ctx->output[i]);
        relay_drain(&relay); /* whatever the console still holds */
        relay_stop(&relay);
        notify_drain_at_exit(ctx, &notify_limit);
        /* The payload is gone: nothing to forward to. Signals still pending or arriving now must not
         * end the supervisor half-way through its cleanup: they stay blocked (cleanup leaves the
         * mask as it is) until berth exits, which discards them. One flag instead of a
         * sigaction(SIG_IGN) for each of the 56 signals. */
        ctx->sigmask_saved = false;
        (void)notify_manager("STOPPING=1");
        ctx->pidfd = safe_close(ctx->pidfd); /* reaped: nothing for cleanup to kill */
        return status;
}
