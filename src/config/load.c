/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Finding a container's files (search path, masking, drop-ins) and turning them into one
 * validated ContainerConfig. */
#include <dirent.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "fileio.h"
#include "host-paths.h"
#include "load.h"
#include "parse-state.h"
#include "path-util.h"
#include "string-util.h"
#include "strv.h"

#define SUFFIX        ".container"
#define DROPIN_SUFFIX ".conf"

int config_search_path(char ***ret)
{
        const char *e = getenv("BERTH_CONFIG_PATH");
        _cleanup_strv_free_ char **l = NULL;

        if (isempty(e))
                e = CONFIG_SEARCH_PATH_DEFAULT;
        for (const char *p = e; *p;) {
                size_t n = strcspn(p, ":");
                if (n > 0 && strv_consume(&l, strndup(p, n)) < 0)
                        return -ENOMEM;
                p += n + (p[n] == ':');
        }
        if (!l && strv_extend(&l, "/etc/berth") < 0) /* only colons: fall back to the default */
                return -ENOMEM;
        *ret = TAKE_PTR(l);
        return 0;
}

bool container_name_is_valid(const char *name)
{
        return hostname_is_valid(name) && strlen(name) <= CONTAINER_NAME_MAX && !streq(name, "uid") &&
               !streq(name, "mcs") && !streq(name, "seccomp") && !streq(name, "net");
}

/* 1 when path is masked (an empty file, or /dev/null e.g. through a symlink), 0 when it is a
 * file to read, -ENOENT when absent (a dangling symlink counts as absent), other -errno. */
static int file_masked(const char *path)
{
        struct stat st;

        if (stat(path, &st) < 0)
                return negative_errno();
        if (S_ISCHR(st.st_mode) && st.st_rdev == makedev(1, 3))
                return 1;
        return S_ISREG(st.st_mode) && st.st_size == 0;
}

bool config_file_is_masked(const char *path)
{
        return file_masked(path) > 0;
}

/* Names of the entries of dir that end in suffix (hidden ones skipped); none when dir is absent. */
static int list_dir_suffix(const char *path, const char *suffix, char ***ret)
{
        _cleanup_strv_free_ char **l = NULL;
        DIR *dir = opendir(path);
        struct dirent *de;
        int r = 0;

        if (!dir) {
                if (errno != ENOENT && errno != ENOTDIR)
                        return negative_errno();
                *ret = NULL;
                return 0;
        }
        while (r >= 0 && (de = readdir(dir)))
                if (de->d_name[0] != '.' && de->d_type != DT_DIR && endswith(de->d_name, suffix))
                        r = strv_extend(&l, de->d_name);
        closedir(dir);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(l);
        return 0;
}

static int dropin_cmp(const void *a, const void *b)
{
        return strcmp(path_basename(*(char *const *)a), path_basename(*(char *const *)b));
}

/* *.conf files of the given .d directories (highest priority first): one per file name, the
 * highest-priority one, sorted by file name. */
static int collect_dropins(char **dirs, char ***ret)
{
        _cleanup_strv_free_ char **found = NULL;

        STRV_FOREACH (d, dirs) {
                _cleanup_strv_free_ char **names = NULL;
                int r = list_dir_suffix(*d, DROPIN_SUFFIX, &names);

                if (r < 0)
                        return r;
                STRV_FOREACH (n, names) {
                        bool dup = false;

                        STRV_FOREACH (f, found)
                                if (streq(path_basename(*f), *n))
                                        dup = true;
                        if (!dup && strv_consume(&found, path_join(*d, *n)) < 0)
                                return -ENOMEM;
                }
        }
        if (found)
                qsort(found, strv_length(found), sizeof(char *), dropin_cmp);
        *ret = TAKE_PTR(found);
        return 0;
}

static char *join_dirs(char **dirs)
{
        size_t n = 1;
        char *s, *p;

        STRV_FOREACH (d, dirs)
                n += strlen(*d) + 1;
        s = p = malloc(n);
        if (!s)
                return NULL;
        *p = 0;
        STRV_FOREACH (d, dirs)
                p += sprintf(p, "%s%s", p == s ? "" : ":", *d);
        return s;
}

#define NAME_RULES                                                                                          \
        "(expected letters, digits and '-' in dot-separated labels, at most 64 characters, not \"uid\", "   \
        "\"mcs\", \"net\" or \"seccomp\")"

/* Resolves name_or_path to the container name, its main file and its drop-ins (masked ones
 * included). */
static int find_files(const char *name_or_path, char **ret_name, char **ret_main, char ***ret_dropins,
                      char ***errors)
{
        _cleanup_strv_free_ char **dirs = NULL, **dropin_dirs = NULL, **dropins = NULL;
        _cleanup_free_ char *name = NULL, *main_path = NULL;
        int r;

        if (strchr(name_or_path, '/')) {
                const char *base = path_basename(name_or_path);
                char *ddir;

                if (!endswith(base, SUFFIX))
                        return strv_extendf(errors,
                                            "%s: not a container file (expected a file name ending in %s)",
                                            name_or_path, SUFFIX)
                                       ?: -EINVAL;
                name = strndup(base, strlen(base) - strlen(SUFFIX));
                if (!name)
                        return -ENOMEM;
                if (!container_name_is_valid(name))
                        return strv_extendf(errors, "%s: invalid container name \"%s\" " NAME_RULES,
                                            name_or_path, name)
                                       ?: -EINVAL;
                main_path = strdup(name_or_path);
                if (!main_path || asprintf(&ddir, "%s.d", name_or_path) < 0 ||
                    strv_consume(&dropin_dirs, ddir) < 0)
                        return -ENOMEM;
                r = file_masked(main_path);
                if (r == -ENOENT)
                        return strv_extendf(errors, "%s: no such file", main_path) ?: -ENOENT;
        } else {
                if (!container_name_is_valid(name_or_path)) {
                        _cleanup_free_ char *shown = display_text(name_or_path);
                        if (!shown)
                                return -ENOMEM;
                        return strv_extendf(errors, "invalid container name \"%s\" " NAME_RULES, shown)
                                       ?: -EINVAL;
                }
                name = strdup(name_or_path);
                if (!name)
                        return -ENOMEM;
                r = config_search_path(&dirs);
                if (r < 0)
                        return r;
                r = -ENOENT;
                STRV_FOREACH (d, dirs) {
                        _cleanup_free_ char *file = NULL;
                        char *ddir;

                        if (asprintf(&ddir, "%s/%s" SUFFIX ".d", *d, name) < 0 ||
                            strv_consume(&dropin_dirs, ddir) < 0)
                                return -ENOMEM;
                        if (main_path)
                                continue;
                        if (asprintf(&file, "%s/%s" SUFFIX, *d, name) < 0)
                                return -ENOMEM;
                        r = file_masked(file);
                        if (r != -ENOENT)
                                main_path = TAKE_PTR(file);
                }
                if (!main_path) {
                        _cleanup_free_ char *where = join_dirs(dirs);
                        if (!where)
                                return -ENOMEM;
                        return strv_extendf(errors, "%s: no such container (looked for %s" SUFFIX " in %s)",
                                            name, name, where)
                                       ?: -ENOENT;
                }
        }
        if (r < 0)
                return strv_extendf(errors, "%s: cannot access: %s", main_path, strerror(-r)) ?: r;

        r = collect_dropins(dropin_dirs, &dropins);
        if (r < 0)
                return strv_extendf(errors, "%s: cannot read its drop-in directories: %s", main_path,
                                    strerror(-r))
                               ?: r;
        *ret_name = TAKE_PTR(name);
        *ret_main = TAKE_PTR(main_path);
        *ret_dropins = TAKE_PTR(dropins);
        return 0;
}

/* Reads a whole config file, refusing what is not a regular file or is too large. */
static int read_config_file(ParseState *st, char **ret, size_t *ret_size)
{
        _cleanup_close_ int fd = -EBADF;
        _cleanup_free_ char *buf = NULL;
        struct stat s;
        size_t n = 0;
        int r;

        fd = open(st->file, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0) {
                r = negative_errno();
                return file_error(st, "cannot open: %s", strerror(-r)) == -ENOMEM ? -ENOMEM : r;
        }
        if (fstat(fd, &s) < 0) {
                r = negative_errno();
                return file_error(st, "cannot stat: %s", strerror(-r)) == -ENOMEM ? -ENOMEM : r;
        }
        if (!S_ISREG(s.st_mode))
                return file_error(st, "not a regular file (expected a text file)");

        /* The size in stat may be stale: read_fd_capped() goes by what read() returns. */
        r = read_fd_capped(fd, (size_t)s.st_size, CONFIG_FILE_MAX, &buf, &n);
        if (r == -EFBIG)
                return file_error(st, "file too large (more than %u bytes)", CONFIG_FILE_MAX);
        if (r < 0)
                return file_error(st, "cannot read: %s", strerror(-r)) == -ENOMEM ? -ENOMEM : r;
        *ret = TAKE_PTR(buf);
        *ret_size = n;
        return 0;
}

static int parse_file(ParseState *st, const char *path)
{
        _cleanup_free_ char *data = NULL;
        size_t size = 0;
        int r;

        st->file = path;
        st->line = 0;
        r = read_config_file(st, &data, &size);
        if (r < 0)
                return r;
        return config_parse_text(st, data, size);
}

int config_find_files(const char *name_or_path, char **ret_main, char ***ret_dropins, char ***ret_errors)
{
        _cleanup_strv_free_ char **errors = NULL, **dropins = NULL;
        _cleanup_free_ char *name = NULL, *main_path = NULL;
        int r;

        r = find_files(name_or_path, &name, &main_path, &dropins, &errors);
        if (r < 0) {
                if (ret_errors)
                        *ret_errors = TAKE_PTR(errors);
                return r;
        }
        *ret_main = TAKE_PTR(main_path);
        *ret_dropins = TAKE_PTR(dropins);
        return 0;
}

int config_load(const char *name_or_path, ContainerConfig **ret, char ***ret_errors)
{
        _cleanup_strv_free_ char **dropins = NULL, **applied = NULL;
        _cleanup_free_ char *name = NULL, *main_path = NULL;
        _cleanup_config_ ContainerConfig *c = NULL;
        ParseState st = {};
        int r;

        r = find_files(name_or_path, &name, &main_path, &dropins, &st.errors);
        if (r < 0)
                goto fail;

        r = file_masked(main_path);
        if (r > 0) {
                r = strv_extendf(&st.errors,
                                 "%s: container %s is masked (the file is empty or a symlink to "
                                 "/dev/null)",
                                 main_path, name)
                            ?: -ERFKILL;
                goto fail;
        }

        r = container_config_new_default(name, &c);
        if (r < 0)
                goto fail;
        st.config = c;

        r = parse_file(&st, main_path);
        if (r == -ENOMEM || (r < 0 && r != -EINVAL))
                goto fail;
        STRV_FOREACH (d, dropins) {
                if (file_masked(*d) > 0) /* a masked drop-in hides lower-priority ones of that name */
                        continue;
                r = parse_file(&st, *d);
                if (r == -ENOMEM || (r < 0 && r != -EINVAL))
                        goto fail;
                r = strv_extend(&applied, *d);
                if (r < 0)
                        goto fail;
        }
        r = config_finalize(&st);
        if (r < 0)
                goto fail;
        if (!st.errors) {
                c->path = main_path; /* borrowed for the messages */
                r = config_resolve_host_paths(c, &c->notes, &st.errors);
                c->path = NULL;
                if (r < 0 && r != -EINVAL)
                        goto fail;
        }
        if (st.errors) {
                r = -EINVAL;
                goto fail;
        }

        c->path = TAKE_PTR(main_path);
        c->dropins = TAKE_PTR(applied);
        parse_state_done(&st);
        if (ret_errors)
                *ret_errors = NULL;
        *ret = TAKE_PTR(c);
        return 0;

fail:
        if (r == -ENOMEM && !st.errors)
                (void)strv_extendf(&st.errors, "%s: out of memory", name_or_path);
        if (ret_errors) {
                *ret_errors = TAKE_PTR(st.errors);
        }
        parse_state_done(&st);
        return r;
}

int config_list_names(char ***ret, char ***ret_invalid)
{
        _cleanup_strv_free_ char **dirs = NULL, **names = NULL, **invalid = NULL;
        int r;

        r = config_search_path(&dirs);
        if (r < 0)
                return r;
        STRV_FOREACH (d, dirs) {
                _cleanup_strv_free_ char **files = NULL;

                r = list_dir_suffix(*d, SUFFIX, &files);
                if (r < 0)
                        return r;
                STRV_FOREACH (f, files) {
                        char *name = strndup(*f, strlen(*f) - strlen(SUFFIX));

                        if (!name)
                                return -ENOMEM;
                        if (!container_name_is_valid(name)) {
                                free(name);
                                r = strv_consume(&invalid, path_join(*d, *f));
                        } else if (strv_contains(names, name))
                                free(name);
                        else
                                r = strv_consume(&names, name);
                        if (r < 0)
                                return r;
                }
        }
        strv_sort(names);
        *ret = TAKE_PTR(names);
        if (ret_invalid)
                *ret_invalid = TAKE_PTR(invalid);
        return 0;
}

int config_targets(char *const *args, size_t n_args, bool force_file, char ***ret, char ***ret_invalid)
{
        _cleanup_strv_free_ char **targets = NULL;

        if (n_args == 0)
                return config_list_names(ret, ret_invalid);
        for (size_t i = 0; i < n_args; i++) {
                const char *a = args[i];
                char *t;

                if ((force_file || endswith(a, ".container")) && !strchr(a, '/')) {
                        if (asprintf(&t, "./%s", a) < 0)
                                return -ENOMEM;
                } else if (!(t = strdup(a)))
                        return -ENOMEM;
                if (strv_consume(&targets, t) < 0)
                        return -ENOMEM;
        }
        *ret = TAKE_PTR(targets);
        if (ret_invalid)
                *ret_invalid = NULL;
        return 0;
}
