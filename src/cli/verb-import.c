/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* berth import NAME TARBALL | berth import NAME --oci DIR */
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "exit-status.h"
#include "import.h"
#include "load.h"
#include "log.h"
#include "parse-util.h"
#include "progress-bar.h"
#include "strv.h"
#include "verbs.h"

static void help(void)
{
        printf("berth import [OPTIONS...] NAME TARBALL\n"
               "berth import [OPTIONS...] NAME --oci DIR[:TAG]\n\n"
               "Import a root file system into %s/NAME (or $BERTH_IMAGE_DIR/NAME) and write a\n"
               "starter NAME.container into the first directory of the config search path.\n"
               "TARBALL is a tar archive, plain or compressed with gzip, xz, zstd or bzip2.\n"
               "An OCI image layout has every blob checked against its sha256 digest before use;\n"
               "DIR:TAG picks the manifest of its index.json tagged TAG (the annotation\n"
               "org.opencontainers.image.ref.name), as skopeo's oci:DIR:TAG writes it. A root with\n"
               "an init system gets a commented Boot=yes in the starter file.\n\n"
               "Device nodes in the image are refused (those in /dev are left out); setuid/setgid\n"
               "bits and file capabilities (security.capability) are removed unless\n"
               "--keep-setuid is given.\n\n"
               "Options:\n"
               "  -h --help              Show this help\n"
               "     --oci=DIR[:TAG]     Import the OCI image layout in DIR (its image tagged TAG)\n"
               "     --keep-setuid       Keep setuid/setgid bits and file capabilities\n"
               "     --max-size=BYTES    Refuse to unpack more than BYTES (K, M, G, T suffixes;\n"
               "                         default %" PRIu64 "G); free space bounds it too\n",
               BERTH_IMAGE_DIR_DEFAULT, IMPORT_MAX_SIZE_DEFAULT >> 30);
}

static volatile sig_atomic_t import_cancelled;

static void on_signal(int sig)
{
        (void)sig;
        import_cancelled = 1;
}

int verb_import(int argc, char **argv)
{
        enum { ARG_OCI = 0x100, ARG_KEEP_SETUID, ARG_MAX_SIZE };
        static const struct option options[] = {
            {"help", no_argument, NULL, 'h'},
            {"oci", required_argument, NULL, ARG_OCI},
            {"keep-setuid", no_argument, NULL, ARG_KEEP_SETUID},
            {"max-size", required_argument, NULL, ARG_MAX_SIZE},
            {},
        };
        _cleanup_(import_context_done) ImportContext ctx = {};
        _cleanup_(import_result_done) ImportResult result = {};
        _cleanup_strv_free_ char **search = NULL;
        _cleanup_free_ char *oci_dir = NULL;
        const char *oci = NULL, *name, *source;
        ProgressBar bar;
        int c, r;

        while ((c = getopt_long(argc, argv, "h", options, NULL)) >= 0)
                switch (c) {
                case 'h': help(); return EXIT_OK;
                case ARG_OCI: oci = optarg; break;
                case ARG_KEEP_SETUID: ctx.keep_setuid = true; break;
                case ARG_MAX_SIZE:
                        if (parse_size(optarg, &ctx.max_size) < 0 || ctx.max_size == 0) {
                                log_error("Invalid --max-size=%s (expected a size such as 500M, 20G or "
                                          "infinity).",
                                          optarg);
                                return EXIT_USAGE;
                        }
                        break;
                default: return EXIT_USAGE;
                }

        if (argc - optind != (oci ? 1 : 2)) {
                log_error("Expected NAME and TARBALL, or NAME and --oci DIR. See 'berth import --help'.");
                return EXIT_USAGE;
        }
        name = argv[optind];
        if (oci) {
                /* DIR:TAG, unless DIR itself has that name (a directory may contain ':'). */
                const char *colon = strrchr(oci, ':');
                struct stat st;
                if (colon && colon[1] && !strchr(colon, '/') && !(stat(oci, &st) == 0 && S_ISDIR(st.st_mode))) {
                        oci_dir = strndup(oci, colon - oci);
                        if (!oci_dir)
                                return log_error("Out of memory."), EXIT_FAILURE_GENERIC;
                        ctx.oci_tag = colon + 1;
                        oci = oci_dir;
                }
        }
        source = oci ?: argv[optind + 1];
        if (!container_name_is_valid(name)) {
                log_error(
                    "Invalid container name '%s' (letters, digits, '-' and '.'-separated labels, at most %d "
                    "characters).",
                    name, CONTAINER_NAME_MAX);
                return EXIT_USAGE;
        }
        r = config_search_path(&search);
        if (r < 0)
                return log_error_errno(r, "Failed to determine the config search path: %m"),
                       EXIT_FAILURE_GENERIC;

        progress_bar_init(&bar, name);
        ctx.progress = progress_bar_update;
        ctx.userdata = &bar;
        /* Ctrl-C, a stop or a hangup end the import cleanly (no SA_RESTART: reads return early). */
        ctx.cancel = &import_cancelled;
        struct sigaction sa = {.sa_handler = on_signal};
        sigemptyset(&sa.sa_mask);
        (void)sigaction(SIGINT, &sa, NULL);
        (void)sigaction(SIGTERM, &sa, NULL);
        (void)sigaction(SIGHUP, &sa, NULL);
        r = oci ? import_oci(&ctx, name, oci, search[0], &result)
                : import_tar(&ctx, name, source, search[0], &result);
        progress_bar_finish(&bar);
        if (r < 0) {
                if (ctx.error)
                        log_error("Failed to import %s as %s: %s", source, name, ctx.error);
                else
                        log_error_errno(r, "Failed to import %s as %s: %m", source, name);
                return EXIT_FAILURE_GENERIC;
        }

        if (ctx.n_nodes_skipped > 0)
                printf("Left out %" PRIu64 " device node(s) in /dev: the container gets berth's own /dev.\n",
                       ctx.n_nodes_skipped);
        if (ctx.n_stripped > 0)
                printf("Removed setuid/setgid bits or file capabilities from %" PRIu64
                       " file(s); import with --keep-setuid to keep them.\n",
                       ctx.n_stripped);
        if (ctx.root_has_init)
                printf("The root has an init system: %s has a commented Boot=yes to boot it whole.\n",
                       result.config_path);
        printf("Imported %s into %s.\n"
               "Wrote %s; check it with 'berth verify %s', then 'berth start %s'.\n",
               source, result.root, result.config_path, name, name);
        return EXIT_OK;
}
