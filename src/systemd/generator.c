/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* berth-generator: a systemd system generator. For every NAME.container on the config search path
 * whose [Install] section says WantedBy=TARGET, links TARGET.wants/berth@NAME.service in the
 * generator's normal directory, so declared containers start at boot with no `systemctl
 * enable`. systemd re-runs it on every daemon-reload. A file that does not load is reported
 * loudly (kmsg or journal, and stderr) and skipped; the others are still processed, and the
 * generator then exits non-zero so systemd reports it as well. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <systemd/sd-journal.h>
#include <unistd.h>

#include "load.h"
#include "macro.h"
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
        if (kmsg_fd >= 0)
                dprintf(kmsg_fd, "<%d>berth-generator[%d]: %s\n", level, (int)getpid(), msg);
        else
                sd_journal_send("MESSAGE=berth-generator: %s", msg, "PRIORITY=%d", level,
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

static int link_wanted_by(const char *dest, const ContainerConfig *c)
{
        int ret = 0;

        STRV_FOREACH (target, c->wanted_by) {
                _cleanup_free_ char *dir = NULL, *link = NULL;
                int r;

                if (!unit_name_plausible(*target)) {
                        gen_log(LOG_ERR, "%s: [Install] WantedBy=%s is not a unit name, ignoring.",
                                strna(c->path), *target);
                        ret = -EINVAL;
                        continue;
                }
                if (asprintf(&dir, "%s/%s.wants", dest, *target) < 0 ||
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

/* NAME from "NAME.container", or NULL for anything else. */
static char *container_file_name(const char *file)
{
        size_t l = strlen(file);
        if (l <= strlen(".container") || !streq(file + l - strlen(".container"), ".container"))
                return NULL;
        return strndup(file, l - strlen(".container"));
}

static int process_directory(const char *dest, const char *dir, char ***seen)
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
                        ret = -EINVAL;
                        continue;
                }
                r = config_load(name, &c, &errors);
                if (r == -ERFKILL)
                        continue; /* masked: silence is what the admin asked for */
                if (r < 0) {
                        gen_log(LOG_ERR,
                                "Container %s will not be started at boot; its config does not load:", name);
                        STRV_FOREACH (e, errors)
                                gen_log(LOG_ERR, "%s", *e);
                        if (!errors)
                                gen_log(LOG_ERR, "%s/%s: %s", dir, de->d_name, strerror(-r));
                        ret = r;
                        continue;
                }
                r = link_wanted_by(dest, c);
                if (r < 0)
                        ret = r;
        }
        closedir(d);
        return ret;
}

int main(int argc, char **argv)
{
        _cleanup_strv_free_ char **path = NULL, **seen = NULL;
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
                int r = process_directory(dest, *dir, &seen);
                if (r < 0)
                        ret = r;
        }
        /* Bad files did not keep the good ones from being linked; failing makes systemd log that
         * this generator failed too, next to our own messages. */
        return ret < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
