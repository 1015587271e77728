/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* berth: entry point. Global options, then dispatch to one verb. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exit-status.h"
#include "log.h"
#include "verbs.h"

typedef struct Verb {
        const char *name;
        const char *args;
        const char *summary;
        int (*fn)(int argc, char **argv);
} Verb;

static const Verb verbs[] = {
        { "list", "", "List running containers (--all: every declared one)", verb_list },
        { "status", "NAME", "Show state, scope, limits, identity and recent log of a container",
          verb_status },
        { "start", "NAME...", "Start containers (systemctl start berth@NAME)", verb_start },
        { "stop", "NAME...", "Stop containers (systemctl stop berth@NAME)", verb_start },
        { "restart", "NAME...", "Restart containers", verb_start },
        { "reload", "NAME...", "Send containers their ReloadSignal= (systemctl reload berth@NAME)",
          verb_start },
        { "exec", "NAME -- CMD...", "Run a command inside a running container, equally confined",
          verb_exec },
        { "copy-to", "NAME HOST-PATH [PATH]", "Copy a file or directory into a running container",
          verb_copy },
        { "copy-from", "NAME PATH [HOST-PATH]", "Copy a file or directory out of a running container",
          verb_copy },
        { "logs", "NAME", "Show the container's journal", verb_logs },
        { "run", "NAME | --file PATH", "Run a container in the foreground (what berth@.service runs)",
          verb_run },
        { "verify", "[NAME|FILE...]", "Check .container files and print every error", verb_verify },
        { "cat", "NAME...", "Show a container's file and its drop-ins", verb_cat },
        { "import", "NAME TARBALL | --oci DIR", "Import a root file system into /var/lib/berth/NAME",
          verb_import_exec },
        { "audit", "[NAME|FILE...]", "Score how exposed the host is to each container", verb_audit },
        { "images", "", "List imported images: digest, signer, which containers use them", verb_images },
        { "rm-image", "NAME", "Remove an imported image no declared container uses", verb_rm_image },
        { "cleanup", "", "Remove what killed containers left behind (berth@.service's ExecStopPost=)",
          verb_cleanup },
};

static void help(void)
{
        printf("berth [OPTIONS...] COMMAND ...\n\n"
               "Run containers declared in /etc/berth/NAME.container as systemd units.\n\n"
               "Commands:\n");
        for (size_t i = 0; i < ELEMENTSOF(verbs); i++) {
                char left[64];
                snprintf(left, sizeof(left), "%s %s", verbs[i].name, verbs[i].args);
                printf("  %-34s %s\n", left, verbs[i].summary);
        }
        printf("\nOptions:\n"
               "  -h --help                          Show this help\n"
               "     --version                       Show package version and build features\n"
               "     --config-path=DIR[:DIR...]      Search these directories for NAME.container\n"
               "                                     (as $BERTH_CONFIG_PATH; default\n"
               "                                     /etc/berth:/run/berth:/usr/lib/berth)\n"
               "\n"
               "Run 'berth COMMAND --help' for the options of one command.\n"
               "See the berth(1) and berth.container(5) manual pages for details.\n");
}

/* Like systemd's: the version, then what this build has. The libraries are all required at build
 * time; the hardening line comes from meson.build (what the compiler and linker supported). */
static void version(void)
{
        printf("berth %s\n"
               "+SD-BUS +SECCOMP +SELINUX +LIBCAP +LIBMOUNT +LIBARCHIVE +JSON-C\n"
               "%s\n",
               BERTH_VERSION, BERTH_HARDENING);
}

int main(int argc, char **argv)
{
        static const struct option options[] = {
                { "help", no_argument, NULL, 'h' },
                { "version", no_argument, NULL, 'V' },
                { "config-path", required_argument, NULL, 'C' },
                {},
        };
        int c;

        log_set_prefix("berth");
        /* Stop at the verb: what follows belongs to it. */
        while ((c = getopt_long(argc, argv, "+h", options, NULL)) >= 0)
                switch (c) {
                case 'h': help(); return EXIT_OK;
                case 'V': version(); return EXIT_OK;
                case 'C': /* the config loader reads it from the environment, as do child processes */
                        if (setenv("BERTH_CONFIG_PATH", optarg, 1) < 0) {
                                log_error_errno(errno, "Failed to set $BERTH_CONFIG_PATH: %m");
                                return EXIT_FAILURE_GENERIC;
                        }
                        break;
                default: return EXIT_USAGE;
                }

        if (optind >= argc) {
                log_error("No command given. See 'berth --help'.");
                return EXIT_USAGE;
        }
        for (size_t i = 0; i < ELEMENTSOF(verbs); i++)
                if (streq(argv[optind], verbs[i].name)) {
                        int first = optind;
                        optind = 0; /* reset getopt for the verb's own parsing */
                        return verbs[i].fn(argc - first, argv + first);
                }
        log_error("Unknown command '%s'. See 'berth --help'.", argv[optind]);
        return EXIT_USAGE;
}
