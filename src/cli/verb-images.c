/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* berth images: the imported images with where they came from (IMAGE_DIR/.images/NAME, written
 * by berth import) and which declared containers use them. berth rm-image NAME: removes one that
 * no declared container uses. Neither needs libcrypto: the signature was checked at import. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exit-status.h"
#include "load.h"
#include "log.h"
#include "provenance.h"
#include "rm-rf.h"
#include "strv.h"
#include "table.h"
#include "verb-options.h"
#include "verbs.h"

/* The declared containers whose Directory= is the image's root; *ret_unknown: those whose config
 * does not load, so whether they use it cannot be told. */
static int image_users(const char *root, char ***ret_users, char ***ret_unknown)
{
        _cleanup_strv_free_ char **names = NULL, **invalid = NULL, **users = NULL, **unknown = NULL;
        _cleanup_free_ char *real = realpath(root, NULL);
        int r;

        if (!real)
                return negative_errno();
        r = config_list_names(&names, &invalid);
        if (r < 0)
                return r;
        STRV_FOREACH (n, names) {
                _cleanup_config_ ContainerConfig *c = NULL;
                _cleanup_strv_free_ char **errors = NULL;
                _cleanup_free_ char *dir = NULL;

                r = config_load(*n, &c, &errors);
                if (r == -ERFKILL)
                        continue; /* masked: not declared */
                if (r < 0) {
                        if (strv_extend(&unknown, *n) < 0)
                                return -ENOMEM;
                        continue;
                }
                if (!c->directory || !(dir = realpath(c->directory, NULL)))
                        continue;
                if (streq(dir, real) && strv_extend(&users, *n) < 0)
                        return -ENOMEM;
        }
        *ret_users = TAKE_PTR(users);
        if (ret_unknown)
                *ret_unknown = TAKE_PTR(unknown);
        return 0;
}

static char *strv_join_comma(char **l)
{
        char *s = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&s, &size);
        if (!f)
                return NULL;
        STRV_FOREACH (i, l)
                fprintf(f, "%s%s", i == l ? "" : ",", *i);
        fclose(f);
        return s;
}

static int str_cmp(const void *a, const void *b)
{
        return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Image names: the directories of IMAGE_DIR with valid container names, sorted. */
static int image_list(const char *image_dir, char ***ret)
{
        _cleanup_strv_free_ char **l = NULL;
        struct dirent *de;
        DIR *d = opendir(image_dir);

        if (!d) {
                if (errno == ENOENT) {
                        *ret = NULL;
                        return 0;
                }
                return negative_errno();
        }
        while ((de = readdir(d))) {
                struct stat st;
                if (!container_name_is_valid(de->d_name) ||
                    fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISDIR(st.st_mode))
                        continue;
                if (strv_extend(&l, de->d_name) < 0) {
                        closedir(d);
                        return -ENOMEM;
                }
        }
        closedir(d);
        if (l)
                qsort(l, strv_length(l), sizeof(char *), str_cmp);
        *ret = TAKE_PTR(l);
        return 0;
}

static void help_images(void)
{
        printf("berth images [OPTIONS...]\n\n"
               "List the images in %s (or $BERTH_IMAGE_DIR): size unpacked, the digest\n"
               "and signing key's fingerprint recorded by 'berth import', when, and which\n"
               "declared containers use each (Directory=). '-' where nothing was recorded.\n\n"
               "Options:\n"
               "  -h --help              Show this help\n"
               "     --no-legend         Do not print the header and footer\n"
               "     --no-pager          Do not pipe output into a pager\n"
               "  -o --output=MODE      text (default), json or json-pretty\n",
               image_provenance_dir());
}

int verb_images(int argc, char **argv)
{
        VerbOptions o = {
                .accept = VERB_OPT_OUTPUT | VERB_OPT_NO_LEGEND | VERB_OPT_NO_PAGER,
                .help = help_images,
                .args = VERB_ARGS_NONE,
        };
        static const char *const headers[] = { "NAME",     "SIZE",    "DIGEST", "SIGNED-BY",
                                               "IMPORTED", "USED-BY", NULL };
        _cleanup_(table_freep) Table *t = NULL;
        _cleanup_strv_free_ char **names = NULL;
        const char *image_dir = image_provenance_dir();
        int r;

        if (verb_getopt(&o, argc, argv) < 0) /* no options of its own */
                return o.exit_status;
        r = image_list(image_dir, &names);
        if (r < 0)
                return log_error_errno(r, "Failed to list images in %s: %m", image_dir),
                       EXIT_FAILURE_GENERIC;
        r = table_new(headers, &t);
        if (r < 0)
                return log_error("Out of memory."), EXIT_FAILURE_GENERIC;
        STRV_FOREACH (n, names) {
                _cleanup_(image_provenance_done) ImageProvenance p = {};
                _cleanup_strv_free_ char **users = NULL;
                _cleanup_free_ char *root = NULL, *used = NULL;
                bool have = image_provenance_read(image_dir, *n, &p) >= 0;

                if (asprintf(&root, "%s/%s", image_dir, *n) < 0)
                        return log_error("Out of memory."), EXIT_FAILURE_GENERIC;
                (void)image_users(root, &users, NULL);
                used = users ? strv_join_comma(users) : NULL;
                if ((r = table_add_string(t, *n)) < 0 ||
                    (r = have ? table_add_uint64(t, TABLE_SIZE, p.size) : table_add_string(t, NULL)) < 0 ||
                    (r = table_add_string(t, p.digest)) < 0 || (r = table_add_string(t, p.signed_by)) < 0 ||
                    (r = have ? table_add_uint64(t, TABLE_TIMESTAMP, p.imported * UINT64_C(1000000))
                              : table_add_string(t, NULL)) < 0 ||
                    (r = table_add_string(t, used)) < 0)
                        return log_error("Out of memory."), EXIT_FAILURE_GENERIC;
        }

        r = verb_print_table(&o, t, "image");
        if (r < 0)
                return log_error_errno(r, "Failed to print the table: %m"), EXIT_FAILURE_GENERIC;
        return EXIT_OK;
}

static void help_rm_image(void)
{
        printf("berth rm-image NAME\n\n"
               "Remove the imported image %s/NAME and its provenance record. Refused while a\n"
               "declared container (a NAME.container in the search path, including the starter\n"
               "file berth import wrote) has it as its Directory=, or has a config that does\n"
               "not load; those are named.\n\n"
               "Options:\n"
               "  -h --help              Show this help\n",
               image_provenance_dir());
}

int verb_rm_image(int argc, char **argv)
{
        VerbOptions o = { .help = help_rm_image };
        _cleanup_strv_free_ char **users = NULL, **unknown = NULL;
        _cleanup_free_ char *root = NULL, *record = NULL, *trash = NULL, *list = NULL;
        const char *image_dir = image_provenance_dir(), *name;
        struct stat st;
        int r;

        if (verb_getopt(&o, argc, argv) < 0) /* no options of its own */
                return o.exit_status;
        if (argc - optind != 1) {
                log_error("Expected one image NAME. See 'berth rm-image --help'.");
                return EXIT_USAGE;
        }
        name = argv[optind];
        if (!container_name_is_valid(name)) {
                log_error("Invalid image name '%s'.", name);
                return EXIT_USAGE;
        }
        if (asprintf(&root, "%s/%s", image_dir, name) < 0 ||
            image_provenance_path(image_dir, name, &record) < 0 ||
            asprintf(&trash, "%s/.import-rm-%s-XXXXXX", image_dir, name) < 0)
                return log_error("Out of memory."), EXIT_FAILURE_GENERIC;
        if (lstat(root, &st) < 0 || !S_ISDIR(st.st_mode)) {
                /* A record whose root was removed by hand: drop the record. */
                if (unlink(record) == 0) {
                        printf("Removed the record of image %s (its root %s was already gone).\n", name,
                               root);
                        return EXIT_OK;
                }
                log_error("No image %s in %s.", name, image_dir);
                return EXIT_FAILURE_GENERIC;
        }
        r = image_users(root, &users, &unknown);
        if (r < 0)
                return log_error_errno(r, "Failed to find the containers that use %s: %m", root),
                       EXIT_FAILURE_GENERIC;
        if (users) {
                list = strv_join_comma(users);
                log_error("Refusing to remove image %s: used by container%s %s (Directory=%s); remove or "
                          "change "
                          "%s first.",
                          name, strv_length(users) > 1 ? "s" : "", strna(list), root,
                          strv_length(users) > 1 ? "their .container files" : "its .container file");
                return EXIT_FAILURE_GENERIC;
        }
        if (unknown) {
                list = strv_join_comma(unknown);
                log_error("Refusing to remove image %s: cannot tell whether %s use%s it (config errors; see "
                          "'berth "
                          "verify').",
                          name, strna(list), strv_length(unknown) > 1 ? "" : "s");
                return EXIT_FAILURE_GENERIC;
        }
        /* Renamed out of the way first (a name the next import cleans up if this is killed). */
        if (!mkdtemp(trash))
                return log_error_errno(-errno, "Failed to create a directory in %s: %m", image_dir),
                       EXIT_FAILURE_GENERIC;
        if (rename(root, trash) < 0) {
                r = negative_errno();
                (void)rmdir(trash);
                return log_error_errno(r, "Failed to remove %s: %m", root), EXIT_FAILURE_GENERIC;
        }
        r = rm_rf_path(trash);
        if (r < 0)
                return log_error_errno(r, "Failed to remove %s: %m", trash), EXIT_FAILURE_GENERIC;
        if (unlink(record) < 0 && errno != ENOENT)
                return log_error_errno(-errno, "Failed to remove %s: %m", record), EXIT_FAILURE_GENERIC;
        printf("Removed image %s.\n", name);
        return EXIT_OK;
}
