/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* berth cat: show a container's file and its drop-ins, each under a "# PATH" header, like
 * systemctl cat. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#include "exit-status.h"
#include "load.h"
#include "log.h"
#include "strv.h"
#include "verb-options.h"
#include "verbs.h"

static void cat_help(void)
{
        printf("berth cat [OPTIONS...] NAME...\n\n"
               "Show the files a container is read from, in the order they apply: NAME.container\n"
               "as found first in the search path ($BERTH_CONFIG_PATH, by default\n"
               "/etc/berth:/run/berth:/usr/lib/berth), then its NAME.container.d/ *.conf drop-ins\n"
               "in lexical order. Each file is preceded by a \"# PATH\" comment line, so the output\n"
               "is itself a valid configuration. Masked files are shown as such. A NAME that\n"
               "contains a '/' is a path to a .container file, shown with the drop-ins in PATH.d/.\n\n"
               "Options:\n"
               "  -h --help       Show this help\n\n"
               "Exit status: 0 on success, 4 when a container does not exist, 1 on other errors.\n"
               "Use 'berth verify NAME' to check the files.\n");
}

/* Copies a file to stdout, ending it with a newline if it lacks one. */
static int print_file(const char *path)
{
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        char buf[16384];
        char last = '\n';
        ssize_t n;

        if (fd < 0)
                return negative_errno();
        while ((n = read(fd, buf, sizeof(buf))) != 0) {
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return negative_errno();
                }
                fwrite(buf, 1, n, stdout);
                last = buf[n - 1];
        }
        if (last != '\n')
                putchar('\n');
        return 0;
}

static int cat_one(const char *name, bool first)
{
        _cleanup_free_ char *main_path = NULL;
        _cleanup_strv_free_ char **dropins = NULL, **errors = NULL;
        int r;

        r = config_find_files(name, &main_path, &dropins, &errors);
        if (r < 0) {
                STRV_FOREACH (e, errors)
                        fprintf(stderr, "%s\n", *e);
                return r;
        }
        if (!first)
                putchar('\n');
        if (config_file_is_masked(main_path)) {
                printf("# %s is masked (empty or a symlink to /dev/null)\n", main_path);
                return 0;
        }
        printf("# %s\n", main_path);
        fflush(stdout);
        r = print_file(main_path);
        if (r < 0)
                return log_error_errno(r, "Failed to read %s: %m", main_path);
        STRV_FOREACH (d, dropins) {
                if (config_file_is_masked(*d)) {
                        printf("\n# %s is masked (empty or a symlink to /dev/null)\n", *d);
                        continue;
                }
                printf("\n# %s\n", *d);
                r = print_file(*d);
                if (r < 0)
                        return log_error_errno(r, "Failed to read %s: %m", *d);
        }
        return 0;
}

int verb_cat(int argc, char **argv)
{
        VerbOptions o = { .help = cat_help };
        int ret = EXIT_OK;

        if (verb_getopt(&o, argc, argv) < 0) /* no options of its own */
                return o.exit_status;
        if (optind >= argc) {
                log_error("'berth cat' needs at least one container name. See 'berth cat --help'.");
                return EXIT_USAGE;
        }
        for (int i = optind; i < argc; i++) {
                int r = cat_one(argv[i], i == optind);
                if (r == -ENOENT && ret == EXIT_OK)
                        ret = EXIT_NO_SUCH;
                else if (r < 0 && r != -ENOENT)
                        ret = EXIT_FAILURE_GENERIC;
        }
        fflush(stdout);
        return ret;
}
