/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The launch pipeline (README.md "Running a container: `berth run`"): the order of every
 * privileged step, on one screen. Each step lives in its own file; see launch-context.h for what
 * they share. */
#include <malloc.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>

#include "exit-status.h"
#include "launch-context.h"

/* After clone the child has its own copy (no CLONE_VM) of what only it needs; the supervisor lives
 * as long as the container: it wipes the credentials, returns the BPF and what compiling it left
 * on the heap. */
static int launch_drop_child_copies(LaunchContext *ctx)
{
        launch_forget_credentials(ctx);
        seccomp_bpf_done(&ctx->seccomp);
        (void)malloc_trim(0);
        return 0;
}

int launch_run(const ContainerConfig *c, const LaunchOptions *o, char **ret_error)
{
        /* kill_at: BERTH_TEST_KILL_AT=STEP SIGKILLs the supervisor right after that step (tests
         * only: tests/integration/hardening/hardening-faults.sh). */
        static const struct {
                int (*run)(LaunchContext *ctx);
                const char *kill_at;
        } steps[] = {
                { launch_check_stdin, NULL },             /* what the payload inherits: not a host tree */
                { launch_lock, "lock" },                  /* 1: the per-container lock (config: caller) */
                { launch_allocate_identity, "identity" }, /* 2: UID range, MCS pair, labels, seccomp */
                { launch_record_confinement, NULL },      /* what `berth exec` confines with (record.h) */
                { launch_allocate_network, NULL },        /* VirtualEthernet=: /30, ports */
                { launch_open_notify, NULL },             /* Boot=/Notify=: the container's notify socket */
                { launch_open_output, NULL },             /* stdout/stderr to the journal: pipes to relay */
                { launch_load_credentials, NULL },        /* read now; the child writes them */
                { launch_clone, NULL },                   /* 3: namespaces; the child: launch_child_main() */
                { launch_drop_child_copies, "clone" },    /* what only the child needs: credentials, BPF */
                { launch_register, "register" },          /* 4: transient scope, machined */
                { launch_network_setup, "network" },      /* veth pair, NAT and Port= elements */
                { launch_release_child, "release" },      /* 3+5+6: maps, go, child mounts/confines/execs */
                { launch_write_state, "state" },          /* the payload runs: state for list/status/exec */
        };
        _cleanup_(launch_context_done) LaunchContext ctx;
        int r = 0;

        launch_context_init(&ctx, c, o);
        /* Nothing inside may reach this process's memory or /proc/PID/exe (CVE-2019-5736). */
        (void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);

        for (size_t i = 0; i < ELEMENTSOF(steps) && r >= 0; i++) {
                r = steps[i].run(&ctx);
                if (steps[i].kill_at)
                        launch_test_kill_at(steps[i].kill_at);
        }
        if (r >= 0)
                return launch_supervise(&ctx); /* 7: relay signals, reap, exit status */

        launch_forget_credentials(&ctx); /* loaded, and clone failed or never came */
        if (ret_error)
                *ret_error = ctx.error ? strdup(ctx.error) : NULL;
        return ctx.child_exit_status > 0 ? ctx.child_exit_status : EXIT_BERTH_FAILED;
}

int launch_child_main(LaunchContext *ctx)
{
        _cleanup_(launch_child_done) LaunchChild ch;
        int (*const steps[])(LaunchChild *) = {
                child_wait_release,      /* parent wrote the maps and registered the scope */
                child_open_host_sources, /* 5: private mounts, host /dev nodes, scratch tmpfs */
                child_mount_root,        /*    Directory= bind or ephemeral overlay, ReadOnly= */
                child_mount_dev,         /*    minimal /dev, devpts, console */
                child_mount_api_fs,      /*    /proc (masked), /sys ro, /run, /tmp */
                child_mount_binds,       /*    Bind=, BindReadOnly=, TemporaryFileSystem= */
                child_mount_resolv_conf, /*    ResolvConf=auto with VirtualEthernet= */
                child_setup_host_dir,    /*    /run/host and the notify socket */
                child_pivot_root,        /*    pivot_root, old root detached */
                child_set_hostname,
                child_loopback_up,
                child_network_up,        /* VirtualEthernet=: eth0 address and default route */
                child_resolve_user,      /* User= from the container's own /etc/passwd */
                child_mount_credentials, /* read-only ramfs at /run/credentials/@container */
                child_build_env,
                child_confine_and_exec, /* 6: fds, caps, no_new_privs, label, uid, seccomp, execve */
        };
        int r;

        launch_child_init(&ch, ctx);
        for (size_t i = 0; i < ELEMENTSOF(steps); i++) {
                r = steps[i](&ch);
                if (r > 0)
                        return r; /* the step reported its error and chose the exit status */
                if (r < 0)
                        return child_report_error(&ch, EXIT_BERTH_FAILED, r, "Failed to set up container");
        }
        return EXIT_BERTH_FAILED; /* not reached: the last step execs */
}
