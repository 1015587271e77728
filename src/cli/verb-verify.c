/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* berth verify: check .container files without starting anything; print every error, and warn
 * about what the root does not have yet (Directory=, User=, Exec=). */
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "exit-status.h"
#include "launch-context.h"
#include "load.h"
#include "log.h"
#include "string-util.h"
#include "strv.h"
#include "verb-options.h"
#include "verbs.h"

static void verify_help(void)
{
        printf("berth verify [OPTIONS...] [NAME|FILE...]\n\n"
               "Check container declarations the way 'berth run' reads them, without starting\n"
               "anything, and print every error found, not just the first.\n\n"
               "A NAME is looked up in the search path ($BERTH_CONFIG_PATH, by default\n"
               "/etc/berth:/run/berth:/usr/lib/berth) together with all its drop-ins. An argument\n"
               "that contains a '/' or ends in .container is a FILE: that file is checked with the\n"
               "drop-ins in FILE.d/ beside it. Without arguments every NAME.container in the\n"
               "search path is checked; masked containers are skipped.\n\n"
               "Errors (and warnings, which do not fail the check) go to standard error, one per\n"
               "line, as\n"
               "  FILE:LINE: [Section] Key=Value: what is wrong (expected what is accepted)\n"
               "and a summary goes to standard output.\n\n"
               "A valid container is also checked against its root, with warnings (standard error,\n"
               "\"FILE: warning: ...\"; they do not change the exit status, as the root may appear\n"
               "later): a Directory= that does not exist, a User= that is not in the root's\n"
               "/etc/passwd, an Exec= program that is not an executable file in the root (resolved\n"
               "inside it, as the container would).\n\n"
               "Options:\n"
               "  -h --help       Show this help\n"
               "     --file       Treat every argument as a file path, even without '/'\n"
               "  -q --quiet      Print errors only, no per-file lines or summary\n\n"
               "Exit status: 0 when every container checked is valid, 1 when any has errors,\n"
               "is masked or does not exist, 2 on a usage error.\n"
               "See berth.container(5) for the format.\n");
}

/* True when path is p or below it. */
static bool path_is_at_or_below(const char *path, const char *p)
{
        size_t n = strlen(p);

        return streq(p, "/") || (strneq(path, p, n) && (path[n] == '\0' || path[n] == '/'));
}

/* The nodes berth's own /dev always has (src/launch/dev.c). */
static const char *const berth_dev_nodes[] = { "/dev/null",    "/dev/zero", "/dev/full", "/dev/random",
                                               "/dev/urandom", "/dev/tty",  NULL };

/* DeviceAllow= opens the device cgroup only: without a Bind= of the node (or of a directory on
 * the host's /dev above it) the container has no node to open. A warning: the container starts. */
static void warn_device_allow_unbound(const ContainerConfig *c)
{
        for (size_t i = 0; i < c->n_device_allow; i++) {
                const DeviceAllow *d = &c->device_allow[i];
                bool bound = false;

                if (device_allow_is_group(d) || strv_contains((char **)berth_dev_nodes, d->device))
                        continue;
                for (size_t j = 0; j < c->n_binds && !bound; j++)
                        bound = path_is_at_or_below(d->device, c->binds[j].source);
                if (!bound)
                        fprintf(stderr,
                                "%s: warning: no Bind= makes %s reachable in the container, DeviceAllow= "
                                "only lets it open a node it has (expected also Bind=%s in [Files])\n",
                                d->location, d->device, d->device);
        }
}

/* The values quoted may be an image's (berth import writes Exec= from its config): escaped. */
static _printf_(2, 3) void warn(const ContainerConfig *c, const char *fmt, ...)
{
        _cleanup_free_ char *text = NULL, *escaped = NULL;
        va_list ap;
        int r;

        va_start(ap, fmt);
        r = vasprintf(&text, fmt, ap);
        va_end(ap);
        if (r >= 0)
                escaped = cescape(text);
        fprintf(stderr, "%s: warning: %s\n", c->path ?: c->name, escaped ?: "(out of memory)");
}

/* What the root has to have for the container to start; returns the number of warnings. The root
 * is the image's: everything in it is resolved inside it (a symlink cannot point out). */
static size_t verify_root(const ContainerConfig *c)
{
        struct open_how how = { .flags = O_PATH | O_CLOEXEC,
                                .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS };
        const char *dir = c->directory ?: "/", *db = NULL;
        _cleanup_close_ int root = -EBADF, fd = -EBADF;
        size_t n = 0;
        struct stat st;
        int r;

        root = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (root < 0) {
                warn(c, "[Container] Directory=%s: %s (the container cannot start until it exists)", dir,
                     strerror(errno));
                return 1;
        }
        if (c->user) {
                UserRecord u = {};
                r = user_resolve_at(root, c->user, &u, &db);
                user_record_done(&u);
                if (r == -ESRCH)
                        warn(c, "[Container] User=%s: no such user in the root's /etc/passwd (%s)", c->user,
                             dir),
                                n++;
                else if (r < 0 && user_db_refusal(r))
                        warn(c, "[Container] User=%s: berth refuses the root's %s: %s", c->user, db,
                             user_db_refusal(r)),
                                n++;
                else if (r < 0)
                        warn(c, "[Container] User=%s: cannot read the root's %s: %s", c->user, db,
                             strerror(-r)),
                                n++;
        }
        if (c->exec && c->exec[0]) {
                fd = (int)syscall(SYS_openat2, root, c->exec[0], &how, sizeof(how));
                if (fd < 0)
                        warn(c, "[Container] Exec=%s: %s in the root %s", c->exec[0], strerror(errno), dir),
                                n++;
                else if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || !(st.st_mode & 0111))
                        warn(c, "[Container] Exec=%s: not an executable file in the root %s", c->exec[0],
                             dir),
                                n++;
        }
        return n;
}

/* Checks one container; returns the number of error lines printed, adds its warnings. */
static size_t verify_one(const char *name_or_path, bool quiet, size_t *n_warnings)
{
        _cleanup_config_ ContainerConfig *c = NULL;
        _cleanup_strv_free_ char **errors = NULL;
        size_t n;
        int r;

        r = config_load(name_or_path, &c, &errors);
        if (r >= 0) {
                STRV_FOREACH (note, c->notes)
                        printf("note: %s\n", *note);
                r = config_check_credential_sources(c, &errors);
                if (r >= 0) {
                        int k = config_check_device_allow(c, &errors);
                        r = k < 0 ? k : r + k;
                }
                if (r < 0) {
                        log_error("Out of memory.");
                        return 1;
                }
                if (r > 0) {
                        STRV_FOREACH (e, errors)
                                fprintf(stderr, "%s\n", *e);
                        return strv_length(errors);
                }
                /* A warning, not an error: the container starts, but the secret sits in a config
                 * file that `berth cat`, backups and world-readable /etc/berth may show. */
                for (size_t i = 0; i < c->n_credentials; i++)
                        if (c->credentials[i].value)
                                fprintf(stderr,
                                        "%s: [Container] SetCredential=%s:...: warning: a secret written "
                                        "in the config file is less safe than a file (expected "
                                        "LoadCredential=%s:PATH with a root-only file, or "
                                        "ImportCredential= of a systemd-creds encrypted credential)\n",
                                        c->credentials[i].location, c->credentials[i].id,
                                        c->credentials[i].id);
                warn_device_allow_unbound(c);
                *n_warnings += verify_root(c);
                if (!quiet)
                        printf("%s: ok%s\n", c->path, c->dropins ? " (with drop-ins)" : "");
                if (!quiet && !c->private_network && c->private_users != PRIVATE_USERS_NO)
                        printf("%s: note: [Network] Private=no with a user namespace: binding ports below "
                               "1024 fails with EACCES (the host's network belongs to the host's user "
                               "namespace, where the container's root is unprivileged); use "
                               "VirtualEthernet=yes with Port=HOSTPORT:CONTAINERPORT, or ports from 1024\n",
                               c->path);
                return 0;
        }
        STRV_FOREACH (e, errors)
                fprintf(stderr, "%s\n", *e);
        n = strv_length(errors);
        if (n == 0) {
                log_error("Failed to load %s: %s", name_or_path, strerror(-r));
                n = 1;
        }
        return n;
}

int verb_verify(int argc, char **argv)
{
        enum { ARG_FILE = 0x100 };
        static const struct option options[] = {
                { "file", no_argument, NULL, ARG_FILE },
                { "quiet", no_argument, NULL, 'q' },
                {},
        };
        VerbOptions o = { .options = options, .short_options = "q", .help = verify_help };
        _cleanup_strv_free_ char **targets = NULL, **invalid = NULL;
        bool force_file = false, quiet = false;
        size_t n_checked = 0, n_bad = 0, n_errors = 0, n_warnings = 0;
        int c, r;

        while ((c = verb_getopt(&o, argc, argv)) > 0)
                switch (c) {
                case ARG_FILE: force_file = true; break;
                case 'q': quiet = true; break;
                }
        if (c < 0)
                return o.exit_status;

        r = config_targets(argv + optind, argc - optind, force_file, &targets, &invalid);
        if (r < 0) {
                log_error_errno(r, "Failed to list the containers to check: %m");
                return EXIT_FAILURE_GENERIC;
        }
        STRV_FOREACH (p, invalid) {
                fprintf(stderr,
                        "%s: invalid container name (expected letters, digits and '-' in "
                        "dot-separated labels, at most 64 characters, not \"uid\", "
                        "\"mcs\", \"net\" or \"seccomp\")\n",
                        *p);
                n_checked++, n_bad++, n_errors++;
        }

        STRV_FOREACH (t, targets) {
                size_t e;

                if (optind >= argc) { /* enumerating: a masked container is deliberate, not an error */
                        _cleanup_free_ char *main_path = NULL;
                        _cleanup_strv_free_ char **dropins = NULL;
                        if (config_find_files(*t, &main_path, &dropins, NULL) == 0 &&
                            config_file_is_masked(main_path)) {
                                if (!quiet)
                                        printf("%s: masked, skipped\n", main_path);
                                continue;
                        }
                }
                e = verify_one(*t, quiet, &n_warnings);
                n_checked++;
                if (e > 0) {
                        n_bad++;
                        n_errors += e;
                }
        }

        if (!quiet) {
                if (n_checked == 0 && optind >= argc)
                        printf("No .container files found in the search path.\n");
                else {
                        printf("%zu checked, %zu valid, %zu with errors (%zu error%s)", n_checked,
                               n_checked - n_bad, n_bad, n_errors, n_errors == 1 ? "" : "s");
                        if (n_warnings > 0)
                                printf(", %zu warning%s", n_warnings, n_warnings == 1 ? "" : "s");
                        printf("\n");
                }
        }
        return n_bad > 0 ? EXIT_FAILURE_GENERIC : EXIT_OK;
}
