/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* What the steps of the launch pipeline share. pipeline.c lists the steps; each step lives in its
 * own file and only reads and fills the fields it is about. Parent-side steps run in the
 * supervisor; child-side steps (LaunchChild) run in the cloned payload process before execve.
 * The protocol between the two is in sync.h, the payload's output relay in output.h. */

#include <net/if.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/types.h>

#include <systemd/sd-bus.h>

#include "config.h"
#include "launch.h"
#include "macro.h"
#include "output.h"
#include "sync.h"

#include "address.h"
#include "seccomp-filter.h"
#include "selinux.h"
#include "userns.h"

/* Scratch tmpfs mounted in the child's private mount namespace (invisible on the host) after every
 * host path has been opened; the root is assembled in SCRATCH/root. */
#define LAUNCH_SCRATCH "/tmp"
#define LAUNCH_ROOT    LAUNCH_SCRATCH "/root"
/* Inside the container, for Boot=yes and Notify=yes (the notify socket: notify.h). */
#define LAUNCH_HOST_DIR "/run/host"

/* A credential's bytes, read by the supervisor before clone (credentials.c). */
typedef struct LoadedCredential {
        char *id;
        char *data;
        size_t size;
} LoadedCredential;

typedef struct LaunchContext {
        const ContainerConfig *config;
        const LaunchOptions *options;
        const char *state_dir;

        /* step 1 */
        int lock_fd;
        bool state_created;

        /* step 2 */
        UidRange range; /* .base: host uid of the container's root; .size 0: no user namespace */
        McsPair mcs;
        SelinuxLabels labels; /* .process: the SELinux process label, NULL when none */
        SeccompBpf seccomp;   /* compiled; the child loads it */
        uint64_t caps;

        /* VirtualEthernet= (veth.c): allocated before clone, set up once the netns exists */
        NetAllocation net;
        uint32_t host_addr, container_addr;          /* .1 and .2 of the /30, host order */
        uint8_t host_addr6[16], container_addr6[16]; /* IPv6=yes: ::1 and ::2 of the ULA /64 */
        char ifname[IF_NAMESIZE];                    /* host end, bt-NAME */
        bool ifname_shortened;
        bool link_created;
        bool elements_added;
        char *resolv_conf;     /* STATE_DIR/NAME/resolv.conf for the container, NULL when none */
        char *forward_blocked; /* another table's forward hook that drops, NULL when none */

        /* step 3 */
        sigset_t saved_sigmask; /* restored in the child before execve */
        /* cleanup restores saved_sigmask when set (cleared once the payload was supervised) */
        bool sigmask_saved;
        int sync_fd;       /* parent's end of the parent/child socket */
        int child_sync_fd; /* child's end (only meaningful in the child) */
        pid_t pid;         /* payload, as seen from the host */
        int pidfd;
        OutputRelay output[2]; /* stdout, stderr; relayed only when they go to the journal */

        /* step 4 */
        sd_bus *bus;
        char *scope;
        bool machine_registered;
        char *notify_dir;       /* host directory of the container's notify socket (Boot=, Notify=) */
        struct winsize winsize; /* interactive: the caller's, set on the console before the payload */
        bool have_winsize;      /* runs; SIGWINCH updates go through the relay afterwards */

        /* received from the child */
        int pty_master_fd;     /* interactive or Boot=yes: the container's console */
        int console_hold_fd;   /* Boot=yes: a slave of it held open, so the master reads no EIO while
                                * nothing inside has the console open (output.c) */
        int notify_fd;         /* Boot=yes / Notify=yes: the container's notify socket */
        int child_exit_status; /* 125/126/127 reported by the child, 0 when none */

        char *error; /* one line, for launch_run()'s *ret_error */

        /* credentials.c: loaded before clone, wiped in both processes right after */
        LoadedCredential *credentials;
        size_t n_credentials;
        size_t credentials_size;
} LaunchContext;

void launch_context_init(LaunchContext *ctx, const ContainerConfig *c, const LaunchOptions *o);
void launch_context_done(LaunchContext *ctx);

/* Records "WHAT for container NAME: strerror(error)" as the one error line (first one wins).
 * Returns error, so a step can `return launch_error(ctx, r, "Failed to ...");`. */
int launch_error(LaunchContext *ctx, int error, const char *fmt, ...) _printf_(3, 4);
/* The same for any slot (exec.c's): error_record() of "WHAT for container NAME". */
int launch_error_recordv(char **slot, const char *name, int error, const char *fmt, va_list ap)
        _printf_(4, 0);

/* The signals the supervisor handles (blocked from before clone on, read from a signalfd). */
void launch_supervised_signals(sigset_t *ret);

/* Parent-side steps, in pipeline order. */
int launch_lock(LaunchContext *ctx);                /* lock.c */
int launch_allocate_identity(LaunchContext *ctx);   /* identity.c */
int launch_record_confinement(LaunchContext *ctx);  /* lock.c */
int launch_allocate_network(LaunchContext *ctx);    /* veth.c: /30, ports, resolv.conf */
int launch_network_setup(LaunchContext *ctx);       /* veth.c: veth pair, forwarding, nft elements */
void launch_network_teardown(LaunchContext *ctx);   /* veth.c: at exit */
int launch_open_notify(LaunchContext *ctx);         /* boot.c */
void launch_close_notify(LaunchContext *ctx);       /* boot.c: at exit */
int launch_check_stdin(LaunchContext *ctx);         /* output.c */
int launch_open_output(LaunchContext *ctx);         /* output.c */
void launch_close_output(LaunchContext *ctx);       /* output.c: at exit */
int launch_load_credentials(LaunchContext *ctx);    /* credentials.c */
void launch_forget_credentials(LaunchContext *ctx); /* credentials.c: wipes the loaded bytes */
int launch_clone(LaunchContext *ctx);               /* clone.c: returns 0 in the parent only */
int launch_register(LaunchContext *ctx);            /* register.c */
void launch_unregister(LaunchContext *ctx);         /* register.c: at exit */
int launch_send_host_sources(LaunchContext *ctx);   /* sources.c */
int launch_release_child(LaunchContext *ctx);       /* clone.c: maps, idmapped root, go, wait for exec */
int launch_write_state(LaunchContext *ctx);         /* lock.c */
int launch_supervise(LaunchContext *ctx);           /* supervise.c: returns the exit status */
void launch_cleanup(LaunchContext *ctx);            /* cleanup.c */
/* fault-inject.c: SIGKILLs the supervisor after STEP when $BERTH_TEST_KILL_AT=STEP (tests only). */
void launch_test_kill_at(const char *step);
/* output.c, Boot=yes without a terminal: the console's pty master becomes output[0]'s source when
 * it goes to the journal (returns true; else the caller relays it as bytes), and a slave is held
 * open (console_hold_fd) so that the init's closing or hanging up the console is no EOF. */
bool launch_console_to_journal(LaunchContext *ctx);
/* output.c: reopens the held slave once a vhangup() inside hung it up (revents of its poll). */
void launch_console_hold(LaunchContext *ctx, short revents);

/* Child-side state: fds opened from the host before anything of the container is touched. */
typedef enum HostNode {
        HOST_NODE_NULL,
        HOST_NODE_ZERO,
        HOST_NODE_FULL,
        HOST_NODE_RANDOM,
        HOST_NODE_URANDOM,
        HOST_NODE_TTY,
        _HOST_NODE_MAX,
} HostNode;

typedef struct LaunchChild {
        LaunchContext *ctx;
        int root_src_fd;              /* detached mount: Directory= (idmapped when received), or host / */
        int notify_src_fd;            /* detached mount of ctx->notify_dir */
        int resolv_src_fd;            /* detached mount of ctx->resolv_conf */
        int *bind_src_fds;            /* detached mounts, one per config->binds[] */
        int node_fds[_HOST_NODE_MAX]; /* detached mounts of the host's /dev nodes */
        int dev_null_fd;              /* O_PATH: the container's /dev/null, once a clone needed it */
        int rootfd;                   /* O_PATH of LAUNCH_ROOT once the root is mounted */
        int console_fd;               /* pty slave when interactive */
        bool registered;              /* in its own scope: its cgroup namespace is its own cgroup */
        /* resolved in the container after pivot_root */
        uid_t uid;
        gid_t gid;
        gid_t *groups;
        size_t n_groups;
        char *home;
        char **env;
} LaunchChild;

/* Runs in the cloned child, in the new namespaces (pipeline.c): the child-side steps in order.
 * Returns the exit status when a step fails (after reporting it to the parent); on success
 * execve() does not return. */
int launch_child_main(LaunchContext *ctx);

/* Child-side steps, in order (listed in pipeline.c's launch_child_main). */
int child_wait_release(LaunchChild *ch);                      /* clone.c */
int child_open_host_sources(LaunchChild *ch);                 /* rootfs.c */
int child_mount_root(LaunchChild *ch);                        /* rootfs.c */
int child_mount_dev(LaunchChild *ch);                         /* dev.c */
int child_mount_api_fs(LaunchChild *ch);                      /* mounts-api.c */
int child_mount_binds(LaunchChild *ch);                       /* binds.c */
int child_setup_host_dir(LaunchChild *ch);                    /* boot.c */
int child_pivot_root(LaunchChild *ch);                        /* pivot.c */
int child_set_hostname(LaunchChild *ch);                      /* network.c */
int child_loopback_up(LaunchChild *ch);                       /* network.c */
int child_network_up(LaunchChild *ch);                        /* veth.c: eth0 */
int child_mount_resolv_conf(LaunchChild *ch);                 /* veth.c */
int child_resolve_user(LaunchChild *ch);                      /* user.c */
int child_mount_credentials(LaunchChild *ch);                 /* credentials.c */
int child_build_env(LaunchChild *ch);                         /* env.c */
int child_confine_and_exec(LaunchChild *ch);                  /* confine.c: returns only on failure */
int child_clone_dev_null(LaunchChild *ch, int *ret_mount_fd); /* dev.c */
int child_take_output(LaunchChild *ch);                       /* output.c: pipes onto fd 1, 2 */
void launch_child_init(LaunchChild *ch, LaunchContext *ctx);  /* rootfs.c */
void launch_child_done(LaunchChild *ch);

/* Step 6 from the capability bounding set on (confine.c): what a process is confined with, filled
 * by run from its LaunchContext and by exec (exec.c) from the record the payload's start left. */
typedef struct Confinement {
        uint64_t caps; /* bounding set, and permitted/effective when uid is 0 */
        bool no_new_privs;
        const SelinuxLabels *labels; /* exec label, applied when labels->enforced */
        bool userns;                 /* in a user namespace: setgroups() may be denied */
        uid_t uid;
        gid_t gid;
        const gid_t *groups;
        size_t n_groups;
        const char *working_directory; /* must exist; NULL: home, else / */
        const char *home;
        char *const *env;          /* its PATH is where argv[0] is looked up */
        int parent_fd;             /* our end of the socket to berth: a hang-up says it died */
        const sigset_t *sigmask;   /* restored right before the filter is loaded */
        const SeccompBpf *seccomp; /* loaded last */
        bool init;                 /* Init=yes: fork a reaper as PID 1 right before execve */
        char *const *argv;
} Confinement;

typedef enum ConfineStep {
        CONFINE_BOUNDING,
        CONFINE_NO_NEW_PRIVS,
        CONFINE_LABEL,
        CONFINE_USER,
        CONFINE_CAPS,
        CONFINE_WORKDIR,
        CONFINE_PDEATHSIG,
        CONFINE_SIGMASK,
        CONFINE_SECCOMP,
        CONFINE_INIT,
        CONFINE_EXEC,
        _CONFINE_STEP_MAX,
} ConfineStep;

/* confine.c: bounding set, no_new_privs, label, user, capabilities, working directory, parent
 * death signal, signal mask, seccomp, execve in the container's PATH. Call with the fds closed
 * and the root entered. Returns only on failure: -errno, the failed step in *ret_step. */
int confine_and_exec(const Confinement *cf, ConfineStep *ret_step);
/* confine.c: closes every fd above stdio but keep (the sync socket). 0 or -errno. */
int close_all_fds_but(int keep);
/* reaper.c, Init=yes, fully confined: forks; returns 0 in the child, which goes on to exec the
 * payload; the parent stays as the container's PID 1, forwards signals, reaps, and exits with the
 * payload's status (128+N for signal N) without returning. -errno when the fork failed. */
int reaper_fork(int parent_fd);
/* "Failed to drop the capability bounding set", ... */
const char *confine_step_to_string(ConfineStep s);

/* User= and `berth exec --user`: resolved in the container's /etc/passwd and /etc/group (user.c),
 * after pivot_root or setns, each opened O_NOFOLLOW|O_NONBLOCK, a regular file, size-capped, and
 * parsed from a private copy. */
typedef struct UserRecord {
        uid_t uid;
        gid_t gid;
        gid_t *groups; /* supplementary groups */
        size_t n_groups;
        char *home;
} UserRecord;

/* -ESRCH when there is no such user (a numeric UID and root need no entry); on other errors
 * *ret_db names the file that failed. */
int user_resolve(const char *user, UserRecord *ret, const char **ret_db);
/* The same in the databases under rootfd (a root directory seen from the host: berth verify). */
int user_resolve_at(int rootfd, const char *user, UserRecord *ret, const char **ret_db);
/* Why the container's user database file was refused (-ELOOP, -EBADFD, -EFBIG), else NULL. */
const char *user_db_refusal(int error);
void user_record_done(UserRecord *u);

/* credentials.c: sets CREDENTIALS_DIRECTORY in *env when c has credentials. */
int credentials_env(const ContainerConfig *c, char ***env);

/* env.c: the clean environment a payload or exec'd command starts with: PATH, container=berth,
 * HOME, TERM (from ours), NOTIFY_SOCKET when notify, then environment (KEY=VALUE) in order. */
int env_build(const char *home, bool notify, char *const *environment, char ***ret);

/* In the child: reports the error line to the parent and returns the exit status to use. */
int child_report_error(LaunchChild *ch, int exit_status, int error, const char *fmt, ...) _printf_(4, 5);
/* clone.c, in the child: sync_arm_parent_death() on the sync socket. Returns 0, or the exit status
 * to leave with (reported to the parent when it is still there). */
int child_arm_parent_death(LaunchChild *ch);
/* fault-inject.c, in the child: with $BERTH_TEST_CHILD_PAUSE_AT=POINT, says so on stderr and waits
 * at POINT until killed (tests only), so a test can kill the supervisor inside a step. */
void child_test_pause_at(const char *point);
