/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* ContainerConfig: the one typed, validated description of a container. The parser fills it
 * from NAME.container plus drop-ins; every later layer (launch, security, systemd, cli) reads
 * only this struct, never the files. Fields may be added; do not rename existing ones. */

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "macro.h"

#define CONFIG_SIZE_INFINITY UINT64_MAX       /* "infinity" for sizes/counts */
#define CONFIG_UNSET         (UINT64_MAX - 1) /* key not given: systemd's default applies */

#define CONFIG_DEFAULT_TASKS_MAX 4096
#define CONTAINER_NAME_MAX       64

typedef enum PrivateUsersMode {
        PRIVATE_USERS_PICK,     /* default: a 64K range allocated per container */
        PRIVATE_USERS_IDENTITY, /* userns mapping 0..65535 to itself */
        PRIVATE_USERS_NO,       /* no user namespace (host root is container root) */
        PRIVATE_USERS_FIXED,    /* BASE[:SIZE] given */
} PrivateUsersMode;

typedef struct BindMount {
        char *source; /* absolute host path */
        char *target; /* absolute path inside the container (== source when not given) */
        bool read_only;
        bool recursive; /* rbind (default yes, like nspawn) */
        bool idmap;     /* idmapped with the container's range */
} BindMount;

typedef struct TmpfsMount {
        char *target;  /* absolute path inside the container */
        char *options; /* mount options as given (validated names), or NULL for "mode=0755" */
} TmpfsMount;

/* Port=[tcp:|udp:]HOSTPORT[:CONTAINERPORT] */
typedef struct PortForward {
        int protocol; /* IPPROTO_TCP or IPPROTO_UDP */
        uint16_t host_port;
        uint16_t container_port;
} PortForward;

typedef enum ResolvConfMode {
        RESOLV_CONF_AUTO, /* the host's, loopback stub servers replaced by the upstream ones */
        RESOLV_CONF_NO,   /* the image's own /etc/resolv.conf, untouched */
} ResolvConfMode;

/* [Security] DeviceAllow=DEVICE [ACCESS]: a device the scope's device cgroup admits beyond the
 * pseudo devices of DevicePolicy=closed. It only opens the cgroup: the node must still be made
 * reachable inside by a Bind= (a bound node keeps working, sources.c). */
typedef struct DeviceAllow {
        char *device;   /* a path below /dev (normalized), or char-GROUP / block-GROUP (/proc/devices) */
        char access[4]; /* what of "rwm" is allowed, in that order; never empty */
        char *location; /* "FILE:LINE: [Security] DeviceAllow=VALUE" of the (first) assignment */
} DeviceAllow;

/* The default AddressPool=: 10.213.0.0/16 (host byte order), 16384 /30 subnets. */
#define CONFIG_ADDRESS_POOL_DEFAULT        UINT32_C(0x0AD50000)
#define CONFIG_ADDRESS_POOL_PREFIX_DEFAULT 16

typedef struct ContainerConfig {
        char *name;     /* validated machine name */
        char *path;     /* file it was loaded from, NULL for the embedded default */
        char **dropins; /* drop-in paths applied, in order */

        /* [Container] */
        char *directory;         /* root directory; NULL = host / (always Ephemeral; ReadOnly unless =no) */
        char **exec;             /* argv, already unquoted, argv[0] absolute; config_load() fills the default
                                  * /bin/sh (or /sbin/init when Boot=yes), so it is never NULL there */
        char *user;              /* name or numeric uid, resolved inside the container; NULL = root */
        char **environment;      /* KEY=VALUE, later ones win */
        char *hostname;          /* NULL = the container name */
        char *working_directory; /* NULL = user's home or / */
        bool boot;               /* run /sbin/init as PID 1 */
        bool ephemeral;          /* overlay with tmpfs upper, discarded at exit; yes without Directory= */
        bool read_only;          /* root mounted read-only; default yes without Directory= */
        bool notify_ready;       /* ready when the payload sends READY=1: Notify=yes, or Boot=yes without
                                  * Notify= (config_load() decides; Boot=yes with Notify=no: once it runs) */
        uint64_t timeout_stop_usec; /* CONFIG_UNSET = unit default */
        int kill_signal;            /* KillSignal=; 0: SIGTERM, SIGRTMIN+3 with Boot=yes */
        int reload_signal;          /* ReloadSignal=; 0: SIGHUP (what the service's SIGHUP becomes) */
        bool init;                  /* Init=yes: a reaper as PID 1, the payload its child (confine.c) */

        /* [Resources] (CONFIG_UNSET when not given, CONFIG_SIZE_INFINITY for "infinity") */
        uint64_t memory_max;
        uint64_t memory_high;
        uint64_t cpu_quota_per_sec_usec; /* CPUQuota=150% -> 1500000 */
        uint64_t cpu_weight;
        uint64_t io_weight;
        uint64_t tasks_max; /* defaults to CONFIG_DEFAULT_TASKS_MAX */
        char *allowed_cpus; /* validated CPU list, e.g. "0-1,3" */
        char *slice;        /* default "machine.slice" */

        /* [Security] */
        PrivateUsersMode private_users;
        uid_t uid_base;           /* PRIVATE_USERS_FIXED */
        uint32_t uid_size;        /* PRIVATE_USERS_FIXED, default 65536 */
        uint64_t capability_add;  /* bitmask of CAP_* (bit N = capability N) added to the default set */
        uint64_t capability_drop; /* bitmask removed; applied after add */
        bool no_new_privileges;   /* default yes */
        char **syscall_filter;    /* "name", "@set", "~name", "~@set", in file order; checked for syntax
                                   * only ([a-z0-9_], sets also '-'): the seccomp code resolves names */
        char *selinux_type;       /* NULL = policy's container type */
        char *selinux_label;      /* full label or "disable"; NULL = computed; never set with selinux_type */

        /* [Files] */
        BindMount *binds;
        size_t n_binds;
        TmpfsMount *tmpfs;
        size_t n_tmpfs;
        /* The size= of the tmpfs berth mounts on /dev/shm, /run and /tmp: a byte count ("67108864")
         * or a percentage of host memory ("20%"), validated; never NULL after config_load() or
         * container_config_new_default() (CONFIG_DEFAULT_*_SIZE). */
        char *shm_size;
        char *run_size;
        char *tmp_size;

        /* [Network] */
        bool private_network;  /* default yes: only loopback */
        bool virtual_ethernet; /* a veth pair to the host, an address, NAT (implies private_network) */
        uint32_t address;      /* Address=: network of the container's /30 (host order), 0 = pick */
        uint32_t address_pool; /* AddressPool=, host order */
        uint8_t address_pool_prefix;
        bool address_pool_set; /* AddressPool= given (verify checks it against the host's networks) */
        PortForward *ports;
        size_t n_ports;
        ResolvConfMode resolv_conf;
        bool ipv6;              /* IPv6=yes: a ULA /64 as well (needs IPv6 forwarding already on) */
        bool host_access;       /* HostAccess=yes: may connect to the host's own addresses */
        bool link_local_access; /* LinkLocalAccess=yes: 169.254.0.0/16, fd00:ec2::254 forwarded */

        /* [Install] */
        char **wanted_by;

        /* Remarks from loading that are not errors ("FILE: ..."): symlinks resolved in host paths.
         * berth verify prints them. */
        char **notes;

        char **required_by; /* [Install] RequiredBy= */
        char **upheld_by;   /* [Install] UpheldBy= */
        char **aliases;     /* [Install] Alias=: instances ALIAS@NAME.service, as systemd accepts them */

        /* [Unit]: dependencies of berth@NAME.service (NAME.container means berth@NAME.service) */
        char **unit_after, **unit_before, **unit_requires, **unit_wants, **unit_binds_to, **unit_part_of;

        /* [Container] LoadCredential=, SetCredential= (in file order, IDs unique) and
         * ImportCredential= globs: see CredentialSource below. */
        struct CredentialSource *credentials;
        size_t n_credentials;
        char **import_credentials;

        /* [Security] DeviceAllow=, in file order, each device once (a repeated device adds its access) */
        DeviceAllow *device_allow;
        size_t n_device_allow;
} ContainerConfig;

/* Docker's --shm-size default; systemd's and nspawn's /run limit, the same for /tmp. */
#define CONFIG_DEFAULT_SHM_SIZE "67108864"
#define CONFIG_DEFAULT_RUN_SIZE "20%"
#define CONFIG_DEFAULT_TMP_SIZE "20%"

ContainerConfig *container_config_free(ContainerConfig *c);
DEFINE_TRIVIAL_CLEANUP_FUNC(ContainerConfig *, container_config_free);
#define _cleanup_config_ _cleanup_(container_config_freep)

/* A config with every default filled in (what an empty NAME.container means). */
int container_config_new_default(const char *name, ContainerConfig **ret);

/* A credential from LoadCredential=ID:PATH (path set: a file, or a directory whose regular files
 * become ID_FILENAME) or SetCredential=ID:VALUE (value set). Its bytes never leave the launch
 * pipeline: no state file, status or log line carries them (credentials.c). */
typedef struct CredentialSource {
        char *id;       /* a valid file name, at most CREDENTIAL_ID_MAX bytes */
        char *path;     /* LoadCredential=: absolute, normalized */
        char *value;    /* SetCredential=: taken literally */
        char *location; /* "FILE:LINE" of the assignment, for berth verify's warning */
} CredentialSource;

/* Frees what cr holds, the value wiped first. */
void credential_source_done(CredentialSource *cr);

#define CREDENTIAL_ID_MAX     255                  /* NAME_MAX */
#define CREDENTIAL_SIZE_MAX   (1024U * 1024U)      /* bytes of one credential, as systemd */
#define CREDENTIALS_TOTAL_MAX (8U * 1024U * 1024U) /* bytes of all of a container's credentials */
#define CREDENTIALS_COUNT_MAX 1024U
/* Where the payload finds them ($CREDENTIALS_DIRECTORY), and a Boot=yes guest's init too. */
#define CREDENTIALS_CONTAINER_DIR "/run/credentials/@container"
#define CREDENTIALS_HOST_DIR      "/run/host/credentials"

/* Whether any credential key is set: then the directory is mounted and the variable set. */
bool config_has_credentials(const ContainerConfig *c);
/* A valid credential ID: a file name (no '/', not "." or "..", no control characters). */
bool credential_id_is_valid(const char *id);
/* The LoadCredential= sources as the host has them now: one error line per source that is missing,
 * not a regular file or directory, or over CREDENTIAL_SIZE_MAX ("FILE:LINE: [Container]
 * LoadCredential=ID:PATH: ..."), appended to *errors. For `berth verify` and `berth run`, not the
 * generator: at boot a source may sit on a file system not mounted yet. A source only root may see
 * (verify run by a user) is left to the start. Returns the number of errors, or -ENOMEM. */
int config_check_credential_sources(const ContainerConfig *c, char ***errors);

/* Whether a DeviceAllow= entry is a character-or-block group (char-GROUP, block-GROUP) rather than
 * a path. */
bool device_allow_is_group(const DeviceAllow *d);
/* The DeviceAllow= paths as the host has them now: one error line per path that does not exist or
 * is not a character or block device (location + ": ..."),
 * appended to *errors. For `berth verify` and `berth run`. Returns the number of errors, or -ENOMEM. */
int config_check_device_allow(const ContainerConfig *c, char ***errors);
