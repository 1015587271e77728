/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* berth-generator: a systemd system generator. For every NAME.container on the config search path
 * whose [Install] section says WantedBy=TARGET (RequiredBy=TARGET), links
 * TARGET.wants/berth@NAME.service (TARGET.requires/; UpheldBy=: a drop-in TARGET.d/ with Upholds=;
 * Alias=A@NAME.service: a symlink of that name to the template, as systemctl enable makes) in the
 * generator's normal directory, so declared containers start at boot with no `systemctl enable`, and turns
 * the container's TimeoutStopSec= and [Unit] dependencies into a drop-in for its service (OTHER.container
 * means berth@OTHER.service); a masked NAME.container masks berth@NAME.service. Warns when a container is
 * wanted by machines.target and that is not installed. systemd re-runs it on every daemon-reload. A file
 * that does not load is reported loudly (kmsg or journal, and stderr) and skipped; the others are still
 * processed, and the generator exits 0: one broken file must not fail the boot transaction. Only failures to
 * write its own output (the links and drop-ins of loadable files) make it exit non-zero. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "load.h"
#include "macro.h"
#include "sd-lib.h"
#include "string-util.h"
#include "strv.h"

#ifndef BERTH_UNIT_PATH
#define BERTH_UNIT_PATH "/lib/systemd/system/berth@.service"
#endif

static int kmsg_fd = -EBADF;

/* Generators run before journald at boot: the kernel log is where their messages survive. In a
 * container without /dev/kmsg, the journal (when it runs, e.g. on daemon-reload). */
static _printf_(2, 3) void gen_log(int level, const char *fmt, ...)
{
        char msg[2048];
        va_list ap;

        va_start(ap, fmt);
        vsnprintf(msg, sizeof(msg), fmt, ap);
        va_end(ap);

        fprintf(stderr, "berth-generator: %s\n", msg);
        if (kmsg_fd >= 0) {
                /* One write() per record, not dprintf(): glibc's dprintf() gives up on /dev/kmsg,
                 * whose lseek(SEEK_CUR) fails with EINVAL, and writes nothing. */
                char rec[2100];
                int n = snprintf(rec, sizeof(rec), "<%d>berth-generator[%d]: %s\n", level, (int)getpid(),
                                 msg);
                if (n > 0)
                        (void)!write(kmsg_fd, rec, n < (int)sizeof(rec) ? (size_t)n : sizeof(rec) - 1);
        } else if (sd_lib_load(NULL, NULL) >= 0) /* else on stderr only, which systemd reads too */
                sym_sd_journal_send("MESSAGE=berth-generator: %s", msg, "PRIORITY=%d", level,
                                    "SYSLOG_IDENTIFIER=berth-generator", NULL);
}

static int mkdir_p(const char *path)
{
        _cleanup_free_ char *p = strdup(path);
        if (!p)
                return -ENOMEM;
        for (char *s = strchr(p + 1, '/'); s; s = strchr(s + 1, '/')) {
                *s = 0;
                if (mkdir(p, 0755) < 0 && errno != EEXIST)
                        return negative_errno();
                *s = '/';
        }
        if (mkdir(p, 0755) < 0 && errno != EEXIST)
                return negative_errno();
        return 0;
}

static bool unit_name_plausible(const char *target)
{
        const char *dot = strrchr(target, '.');
        return dot && dot != target && !strchr(target, '/') && strlen(target) < 256;
}

/* [Install] WantedBy=/RequiredBy=: TARGET.wants/, TARGET.requires/ links. */
static int link_install(const char *dest, const ContainerConfig *c, char **targets, const char *key,
                        const char *suffix)
{
        int ret = 0;

        STRV_FOREACH (target, targets) {
                _cleanup_free_ char *dir = NULL, *link = NULL;
                int r;

                if (!unit_name_plausible(*target)) {
                        gen_log(LOG_ERR, "%s: [Install] %s=%s is not a unit name, ignoring.", strna(c->path),
                                key, *target);
                        continue; /* a config mistake, logged: the other targets still get links */
                }
                if (asprintf(&dir, "%s/%s.%s", dest, *target, suffix) < 0 ||
                    asprintf(&link, "%s/berth@%s.service", dir, c->name) < 0)
                        return -ENOMEM;
                r = mkdir_p(dir);
                if (r >= 0 && symlink(BERTH_UNIT_PATH, link) < 0 && errno != EEXIST)
                        r = negative_errno();
                if (r < 0) {
                        gen_log(LOG_ERR, "Failed to create %s: %s", link, strerror(-r));
                        ret = r;
                }
        }
        return ret;
}

/* [Install] UpheldBy=TARGET: Upholds=berth@NAME.service in a drop-in for TARGET. systemd 252 reads
 * only .wants/ and .requires/ directories (.upholds/ came with 254), and a drop-in means the same
 * on every version. */
static int write_upholds(const char *dest, const ContainerConfig *c)
{
        int ret = 0;

        STRV_FOREACH (target, c->upheld_by) {
                _cleanup_free_ char *dir = NULL, *path = NULL;
                _cleanup_fclose_ FILE *f = NULL;
                int r;

                if (!unit_name_plausible(*target)) {
                        gen_log(LOG_ERR, "%s: [Install] UpheldBy=%s is not a unit name, ignoring.",
                                strna(c->path), *target);
                        continue;
                }
                if (asprintf(&dir, "%s/%s.d", dest, *target) < 0 ||
                    asprintf(&path, "%s/50-berth-%s.conf", dir, c->name) < 0)
                        return -ENOMEM;
                r = mkdir_p(dir);
                if (r >= 0) {
                        f = fopen(path, "we");
                        if (!f)
                                r = negative_errno();
                }
                if (r >= 0) {
                        fprintf(f,
                                "# Automatically generated by berth-generator from "
                                "%s\n\n[Unit]\nUpholds=berth@%s.service\n",
                                strna(c->path), c->name);
                        if (fflush(f) != 0 || ferror(f))
                                r = negative_errno();
                }
                if (r < 0) {
                        gen_log(LOG_ERR, "Failed to write %s: %s", path, strerror(-r));
                        ret = r;
                }
        }
        return ret;
}

/* [Install] Alias=ALIAS@NAME.service: the alias symlink to the template, which systemd accepts for an
 * instance of the same name (the config admits no other kind); both names are one unit. */
static int link_aliases(const char *dest, const ContainerConfig *c)
{
        int ret = 0;

        STRV_FOREACH (alias, c->aliases) {
                _cleanup_free_ char *link = NULL;

                if (asprintf(&link, "%s/%s", dest, *alias) < 0)
                        return -ENOMEM;
                if (symlink(BERTH_UNIT_PATH, link) < 0 && errno != EEXIST) {
                        gen_log(LOG_ERR, "Failed to create %s: %s", link, strerror(errno));
                        ret = negative_errno();
                }
        }
        return ret;
}

/* [Unit] dependency lines; NAME.container names the container NAME's service. */
static void write_dependencies(FILE *f, const char *key, char **units)
{
        STRV_FOREACH (u, units) {
                size_t l = strlen(*u);

                if (endswith(*u, ".container"))
                        fprintf(f, "%s=berth@%.*s.service\n", key, (int)(l - strlen(".container")), *u);
                else
                        fprintf(f, "%s=%s\n", key, *u);
        }
}

/* TimeoutStopSec= and the [Unit] section of the container are the service's: a drop-in next to
 * the wants links. */
static int write_dropin(const char *dest, const ContainerConfig *c)
{
        _cleanup_free_ char *dir = NULL, *path = NULL;
        /* On the host's network (Private=no) the payload expects the network configured, as any
         * network service would: after network-online.target, pulled in. (With VirtualEthernet=
         * the template's After=network.target suffices: berth configures its own link.) */
        bool host_network = !c->private_network;
        bool unit = c->unit_after || c->unit_before || c->unit_requires || c->unit_wants ||
                    c->unit_binds_to || c->unit_part_of || host_network;
        _cleanup_fclose_ FILE *f = NULL;
        int r;

        if (c->timeout_stop_usec == CONFIG_UNSET && !unit)
                return 0;
        if (asprintf(&dir, "%s/berth@%s.service.d", dest, c->name) < 0 ||
            asprintf(&path, "%s/50-berth-generator.conf", dir) < 0)
                return -ENOMEM;
        r = mkdir_p(dir);
        if (r < 0)
                return r;
        f = fopen(path, "we");
        if (!f)
                return negative_errno();
        fprintf(f, "# Automatically generated by berth-generator from %s\n", strna(c->path));
        if (unit) {
                fprintf(f, "\n[Unit]\n");
                if (host_network)
                        fprintf(f, "Wants=network-online.target\nAfter=network-online.target\n");
                write_dependencies(f, "After", c->unit_after);
                write_dependencies(f, "Before", c->unit_before);
                write_dependencies(f, "Requires", c->unit_requires);
                write_dependencies(f, "Wants", c->unit_wants);
                write_dependencies(f, "BindsTo", c->unit_binds_to);
                write_dependencies(f, "PartOf", c->unit_part_of);
        }
        if (c->timeout_stop_usec == CONFIG_SIZE_INFINITY)
                fprintf(f, "\n[Service]\nTimeoutStopSec=infinity\n");
        else if (c->timeout_stop_usec != CONFIG_UNSET)
                fprintf(f, "\n[Service]\nTimeoutStopSec=%" PRIu64 "us\n", c->timeout_stop_usec);
        return fflush(f) != 0 || ferror(f) ? negative_errno() : 0;
}

/* A masked NAME.container masks berth@NAME.service: the instance linked to /dev/null in the
 * generator's directory, which comes before the template's in the unit search path. */
static int mask_service(const char *dest, const char *name)
{
        _cleanup_free_ char *link = NULL;

        if (asprintf(&link, "%s/berth@%s.service", dest, name) < 0)
                return -ENOMEM;
        if (symlink("/dev/null", link) < 0 && errno != EEXIST)
                return negative_errno();
        return 0;
}

/* NAME from "NAME.container", or NULL for anything else. */
static char *container_file_name(const char *file)
{
        size_t l = strlen(file);
        if (l <= strlen(".container") || !streq(file + l - strlen(".container"), ".container"))
                return NULL;
        return strndup(file, l - strlen(".container"));
}

static int process_directory(const char *dest, const char *dir, char ***seen, bool *wants_machines)
{
        struct dirent *de;
        DIR *d = opendir(dir);
        int ret = 0;

        if (!d)
                return errno == ENOENT ? 0 : negative_errno();
        while ((de = readdir(d))) {
                _cleanup_free_ char *name = container_file_name(de->d_name);
                _cleanup_config_ ContainerConfig *c = NULL;
                _cleanup_strv_free_ char **errors = NULL;
                int r;

                if (!name || strv_contains(*seen, name))
                        continue; /* not ours, or shadowed by a higher-priority directory */
                if (strv_extend(seen, name) < 0) {
                        closedir(d);
                        return -ENOMEM;
                }
                if (!container_name_is_valid(name)) {
                        gen_log(LOG_ERR, "%s/%s: \"%s\" is not a valid container name, ignoring the file.",
                                dir, de->d_name, name);
                        continue; /* skipped, logged: not a generator failure */
                }
                r = config_load(name, &c, &errors);
                if (r == -ERFKILL) {
                        /* masked: silence is what the admin asked for, and systemd's word for it
                         * (a start is refused as masked instead of failing the unit) */
                        r = mask_service(dest, name);
                        if (r < 0) {
                                gen_log(LOG_ERR, "Failed to mask berth@%s.service: %s", name, strerror(-r));
                                ret = r;
                        }
                        continue;
                }
                if (r < 0) {
                        gen_log(LOG_ERR,
                                "Container %s will not be started at boot; its config does not load:", name);
                        STRV_FOREACH (e, errors)
                                gen_log(LOG_ERR, "%s", *e);
                        if (!errors)
                                gen_log(LOG_ERR, "%s/%s: %s", dir, de->d_name, strerror(-r));
                        if (r == -ENOMEM)
                                ret = r;
                        continue; /* skipped, logged: not a generator failure */
                }
                if (strv_contains(c->wanted_by, "machines.target") ||
                    strv_contains(c->required_by, "machines.target") ||
                    strv_contains(c->upheld_by, "machines.target"))
                        *wants_machines = true;
                r = link_install(dest, c, c->wanted_by, "WantedBy", "wants");
                if (r >= 0)
                        r = link_install(dest, c, c->required_by, "RequiredBy", "requires");
                if (r >= 0)
                        r = write_upholds(dest, c);
                if (r >= 0)
                        r = link_aliases(dest, c);
                if (r < 0)
                        ret = r;
                r = write_dropin(dest, c);
                if (r < 0) {
                        gen_log(LOG_ERR, "Failed to write the drop-in for berth@%s.service: %s", name,
                                strerror(-r));
                        ret = r;
                }
        }
        closedir(d);
        return ret;
}

static bool file_in(const char *dir, const char *name)
{
        _cleanup_free_ char *p = NULL;
        return asprintf(&p, "%s/%s", dir, name) >= 0 && access(p, F_OK) == 0;
}

/* In the system manager's unit search path; $BERTH_GENERATOR_UNIT_PATH (':'-separated, for
 * tests) replaces it. */
static bool machines_target_exists(void)
{
        static const char *const dirs[] = { "/etc/systemd/system", "/run/systemd/system",
                                            "/usr/local/lib/systemd/system", "/usr/lib/systemd/system",
                                            "/lib/systemd/system" };
        const char *env = getenv("BERTH_GENERATOR_UNIT_PATH");

        if (env) {
                _cleanup_free_ char *copy = strdup(env);
                char *save = NULL;

                for (char *d = copy ? strtok_r(copy, ":", &save) : NULL; d; d = strtok_r(NULL, ":", &save))
                        if (file_in(d, "machines.target"))
                                return true;
                return !copy; /* out of memory: do not cry wolf */
        }
        for (size_t i = 0; i < ELEMENTSOF(dirs); i++)
                if (file_in(dirs[i], "machines.target"))
                        return true;
        return false;
}

int main(int argc, char **argv)
{
        _cleanup_strv_free_ char **path = NULL, **seen = NULL;
        bool wants_machines = false;
        const char *dest;
        int ret = 0;

        /* systemd passes normal, early and late directories; a manual run may pass just one. */
        if (argc != 2 && argc != 4) {
                fprintf(stderr, "usage: %s NORMAL_DIR [EARLY_DIR LATE_DIR]\n", argv[0]);
                return EXIT_FAILURE;
        }
        dest = argv[1];
        kmsg_fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC | O_NOCTTY);

        if (config_search_path(&path) < 0) {
                gen_log(LOG_ERR, "Out of memory.");
                return EXIT_FAILURE;
        }
        STRV_FOREACH (dir, path) {
                int r = process_directory(dest, *dir, &seen, &wants_machines);
                if (r < 0)
                        ret = r;
        }
        if (wants_machines && !machines_target_exists())
                gen_log(LOG_WARNING,
                        "machines.target is not installed, so containers wanted by it will not start at "
                        "boot: "
                        "install systemd-container (it ships machines.target and systemd-machined).");
        /* A broken file was logged and skipped above; only our own write failures are failures. */
        return ret < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
