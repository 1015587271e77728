/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* One fuzz input -> NAME.container (+ drop-ins) on a tmpfs -> config_load(), then the checks every
 * outcome must pass: a rejected file always says why at FILE:LINE, an accepted config never holds
 * a path that climbs out or a value outside what launch can safely use. */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz-config-input.h"
#include "load.h"
#include "rm-rf.h"
#include "strv.h"

#define FUZZ_NAME "fuzz"

static int write_file(const char *path, const uint8_t *data, size_t size)
{
        _cleanup_close_ int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0)
                return -errno;
        while (size > 0) {
                ssize_t n = write(fd, data, size);
                if (n < 0)
                        return -errno;
                data += n;
                size -= (size_t)n;
        }
        return 0;
}

int fuzz_config_setup(char **ret_dir)
{
        const char *base = getenv("TMPDIR");
        _cleanup_free_ char *dir = NULL, *dropins = NULL;

        if (!base && access("/dev/shm", W_OK) == 0)
                base = "/dev/shm";
        if (asprintf(&dir, "%s/berth-fuzz-XXXXXX", base ?: "/tmp") < 0)
                return -ENOMEM;
        if (!mkdtemp(dir))
                return -errno;
        if (asprintf(&dropins, "%s/" FUZZ_NAME ".container.d", dir) < 0)
                return -ENOMEM;
        if (mkdir(dropins, 0755) < 0)
                return -errno;
        if (setenv("BERTH_CONFIG_PATH", dir, 1) < 0)
                return -errno;
        *ret_dir = TAKE_PTR(dir);
        return 0;
}

void fuzz_config_teardown(char *dir)
{
        if (!dir)
                return;
        (void)rm_rf_path(dir); /* also what a target added beside the config (fuzz-oci's layout) */
        free(dir);
}

static char *process_dir;

static void process_dir_teardown(void)
{
        fuzz_config_teardown(process_dir);
        process_dir = NULL;
}

const char *fuzz_dir_for_process(void)
{
        if (!process_dir) {
                if (fuzz_config_setup(&process_dir) < 0) {
                        perror("fuzz: cannot make the scratch config directory");
                        abort();
                }
                atexit(process_dir_teardown);
        }
        return process_dir;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
        (void)argc;
        (void)argv;
        (void)fuzz_dir_for_process();
        return 0;
}

/* Start of the next part: the byte after the next line that is exactly the marker, or NULL. */
static const uint8_t *next_part(const uint8_t *p, const uint8_t *end, const uint8_t **ret_part_end)
{
        size_t mlen = strlen(FUZZ_DROPIN_MARKER);

        for (const uint8_t *line = p; line < end;) {
                const uint8_t *nl = memchr(line, '\n', (size_t)(end - line));
                const uint8_t *line_end = nl ?: end;

                if ((size_t)(line_end - line) == mlen && memcmp(line, FUZZ_DROPIN_MARKER, mlen) == 0) {
                        *ret_part_end = line;
                        return nl ? nl + 1 : end;
                }
                if (!nl)
                        break;
                line = nl + 1;
        }
        *ret_part_end = end;
        return NULL;
}

static bool path_is_safe(const char *p)
{
        if (!p || p[0] != '/')
                return false;
        for (const char *c = p; (c = strstr(c, "..")); c += 2)
                if ((c == p || c[-1] == '/') && (c[2] == '/' || c[2] == 0))
                        return false;
        return true;
}

static bool weight_ok(uint64_t w)
{
        return w == CONFIG_UNSET || (w >= 1 && w <= 10000);
}

/* What launch relies on without checking again. NULL when all hold. */
static const char *config_broken_invariant(const ContainerConfig *c)
{
        if (!c->name || !streq(c->name, FUZZ_NAME))
                return "name is not the file's name";
        if (c->directory && !path_is_safe(c->directory))
                return "Directory= is relative or climbs with ..";
        if (c->working_directory && !path_is_safe(c->working_directory))
                return "WorkingDirectory= is relative or climbs with ..";
        for (size_t i = 0; i < c->n_binds; i++)
                if (!path_is_safe(c->binds[i].source) || !path_is_safe(c->binds[i].target))
                        return "a Bind= source or target is relative or climbs with ..";
        for (size_t i = 0; i < c->n_tmpfs; i++)
                if (!path_is_safe(c->tmpfs[i].target))
                        return "a TemporaryFileSystem= target is relative or climbs with ..";
        if (c->hostname && (isempty(c->hostname) || strlen(c->hostname) > 64 || strchr(c->hostname, '/')))
                return "Hostname= is empty, longer than 64 or has a '/'";
        if (c->slice && (strchr(c->slice, '/') || strlen(c->slice) < 7 ||
                         !streq(c->slice + strlen(c->slice) - 6, ".slice")))
                return "Slice= is not a plain NAME.slice";
        if (c->exec && (!c->exec[0] || isempty(c->exec[0])))
                return "Exec= gives an empty argv or an empty program";
        STRV_FOREACH (e, c->environment)
                if (!strchr(*e, '=') || (*e)[0] == '=')
                        return "an Environment= entry is not KEY=VALUE";
        if (!weight_ok(c->cpu_weight) || !weight_ok(c->io_weight))
                return "CPUWeight=/IOWeight= outside 1..10000";
        if (c->tasks_max == 0)
                return "TasksMax=0";
        if (c->private_users == PRIVATE_USERS_FIXED &&
            (c->uid_size == 0 || (uint64_t)c->uid_base + c->uid_size > UINT64_C(0x100000000)))
                return "PrivateUsers= range is empty or wraps past 2^32";
        return NULL;
}

/* Error lines must start with "PATH:" of one of the files written (its line number follows,
 * or the message for file-level problems). */
static bool error_is_located(const char *e, char *const *paths)
{
        STRV_FOREACH (p, paths) {
                size_t n = strlen(*p);
                if (strneq(e, *p, n) && e[n] == ':')
                        return true;
        }
        return false;
}

int fuzz_config_load(const char *dir, const uint8_t *data, size_t size, FuzzConfigResult *ret)
{
        _cleanup_strv_free_ char **paths = NULL, **errors = NULL;
        _cleanup_free_ char *dropins = NULL;
        _cleanup_config_ ContainerConfig *c = NULL;
        const uint8_t *end = data + size, *part = data, *part_end;
        int r;

        static unsigned last_dropins = FUZZ_DROPINS_MAX; /* unknown at first: clear them all */
        unsigned n_dropins = 0;

        if (asprintf(&dropins, "%s/" FUZZ_NAME ".container.d", dir) < 0)
                return -ENOMEM;
        for (unsigned i = 1; i <= last_dropins; i++) {
                char path[PATH_MAX];
                snprintf(path, sizeof(path), "%s/%02u.conf", dropins, i);
                (void)unlink(path);
        }

        for (unsigned i = 0; part && i <= FUZZ_DROPINS_MAX; i++) {
                const uint8_t *next = next_part(part, end, &part_end);
                char *path;

                if (i == 0)
                        r = asprintf(&path, "%s/" FUZZ_NAME ".container", dir);
                else
                        r = asprintf(&path, "%s/%02u.conf", dropins, i);
                if (r < 0)
                        return -ENOMEM;
                r = strv_consume(&paths, path);
                if (r < 0)
                        return r;
                r = write_file(path, part, (size_t)(part_end - part));
                if (r < 0)
                        return r;
                part = next;
                n_dropins = i;
        }
        last_dropins = n_dropins;

        *ret = (FuzzConfigResult){};
        ret->r = config_load(FUZZ_NAME, &c, &errors);
        ret->config_returned = !!c;
        STRV_FOREACH (e, errors) {
                ret->n_errors++;
                if (error_is_located(*e, paths))
                        ret->n_errors_located++;
        }
        if (c)
                ret->invariant = config_broken_invariant(c);
        return 0;
}
