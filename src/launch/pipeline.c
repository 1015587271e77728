/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The launch pipeline (DESIGN.md "The launch pipeline"): the order of every privileged step, on
 * one screen. Each step lives in its own file; see launch-context.h for what they share. */
#include <malloc.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>

#include "exit-status.h"
#include "launch-context.h"

int launch_run(const ContainerConfig *c, const LaunchOptions *o, char **ret_error)
{
        _cleanup_(launch_context_done) LaunchContext ctx;
        int r;

        launch_context_init(&ctx, c, o);
        /* Nothing inside may reach this process's memory or /proc/PID/exe (CVE-2019-5736). */
        (void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);

        r = launch_lock(&ctx);       /* 1: the per-container lock (config was loaded by the caller) */
        launch_test_kill_at("lock"); /* tests only, as after each step: BERTH_TEST_KILL_AT=STEP */
        if (r >= 0)
                r = launch_allocate_identity(&ctx); /* 2: UID range, MCS pair, labels, seccomp */
        launch_test_kill_at("identity");
        if (r >= 0)
                r = launch_record_confinement(&ctx); /* what `berth exec` confines with (record.h) */
        if (r >= 0)
                r = launch_allocate_network(&ctx); /* VirtualEthernet=: /30, ports */
        if (r >= 0)
                r = launch_open_notify(&ctx); /* Boot=/Notify=: the container's notify socket */
        if (r >= 0)
                r = launch_open_output(&ctx); /* stdout/stderr to the journal: pipes to relay */
        if (r >= 0)
                r = launch_load_credentials(&ctx); /* read now; the child writes them */
        if (r >= 0)
                r = launch_clone(&ctx); /* 3: namespaces; the child runs launch_child_main() */
        launch_forget_credentials(&ctx); /* the child has its copy */
        if (r >= 0) {
                /* The child has its own copy (no CLONE_VM); the supervisor lives as long as the
                 * container: it returns the BPF and what compiling it left on the heap. */
                seccomp_bpf_done(&ctx.seccomp);
                (void)malloc_trim(0);
        }
        launch_test_kill_at("clone");
        if (r >= 0)
                r = launch_register(&ctx); /* 4: transient scope, machined */
        launch_test_kill_at("register");
        if (r >= 0)
                r = launch_network_setup(&ctx); /* veth pair, NAT and Port= elements */
        launch_test_kill_at("network");
        if (r >= 0)
                r = launch_release_child(&ctx); /* 3+5+6: maps, go, child mounts/confines/execs */
        launch_test_kill_at("release");
        if (r >= 0)
                r = launch_write_state(&ctx); /* the payload runs: state file for list/status/exec */
        launch_test_kill_at("state");
        if (r >= 0)
                return launch_supervise(&ctx); /* 7: relay signals, reap, exit status */

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
            child_resolve_user, /* User= from the container's own /etc/passwd */
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
