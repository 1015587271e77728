/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* berth exec NAME -- CMD...: the command line; src/launch/exec.c enters the container and
 * confines CMD with the confinement recorded when the payload started. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exit-status.h"
#include "launch.h"
#include "load.h"
#include "log.h"
#include "state.h"
#include "strv.h"
#include "verbs.h"

static void help(void)
{
        printf("berth exec [OPTIONS...] NAME [--] CMD [ARGS...]\n\n"
               "Run CMD inside the running container NAME, confined exactly like its payload, with\n"
               "what was recorded when it started (never a config file read again): in every\n"
               "namespace of its PID 1, as root of its user namespace (or --user), with its\n"
               "capability bounding set, no_new_privs, SELinux label and seccomp filter. CMD is\n"
               "looked up in the container's PATH. CMD runs in a session of its own, on a pty berth\n"
               "relays when standard input is a terminal; it is never handed the caller's terminal.\n"
               "Under systemd it runs in a cgroup of its own in the container's scope.\n\n"
               "Options:\n"
               "  -h --help             Show this help\n"
               "  -n --no-stdin         CMD reads /dev/null; berth never reads its standard input\n"
               "                        (like ssh -n: safe in a 'while read' loop; implies -T,\n"
               "                        refused with -t)\n"
               "  -t --tty              Run CMD on a pty berth relays (default when stdin is a tty)\n"
               "  -T --no-tty           No pty: standard input, output and error are passed through,\n"
               "                        each one that is a terminal through a pipe berth relays\n"
               "                        (a directory or O_PATH descriptor is refused; under\n"
               "                        SELinux all three go through sockets berth relays)\n"
               "  -u --user=USER        Run CMD as USER (name or UID, from the container's\n"
               "                        /etc/passwd; default root)\n"
               "  -E --env=VAR=VALUE    Set an environment variable for CMD (repeatable; also\n"
               "     --setenv=VAR=VALUE)\n"
               "  -w --working-directory=DIR\n"
               "                        Directory inside the container to run CMD in (default: the\n"
               "                        payload's WorkingDirectory=, else the user's home)\n\n"
               "Exit status: CMD's, 128+N when it was killed by signal N; 3 when the container is not\n"
               "running, 125 when berth could not enter it, 126 when CMD cannot be executed, 127 when\n"
               "it was not found, 2 on a bad command line.\n");
}

int verb_exec(int argc, char **argv)
{
        static const struct option options[] = {
                { "help", no_argument, NULL, 'h' },
                { "no-stdin", no_argument, NULL, 'n' },
                { "tty", no_argument, NULL, 't' },
                { "no-tty", no_argument, NULL, 'T' },
                { "user", required_argument, NULL, 'u' },
                { "env", required_argument, NULL, 'E' },
                { "setenv", required_argument, NULL, 'E' },
                { "working-directory", required_argument, NULL, 'w' },
                {},
        };
        _cleanup_strv_free_ char **extra = NULL;
        _cleanup_free_ char *error = NULL;
        ExecOptions o = { .state_dir = state_dir_get(), .tty = -1 };
        const char *name;
        int c_opt, r;

        while ((c_opt = getopt_long(argc, argv, "+hntTu:E:w:", options, NULL)) >= 0)
                switch (c_opt) {
                case 'h': help(); return EXIT_OK;
                case 'n': o.no_stdin = true; break;
                case 't': o.tty = 1; break;
                case 'T': o.tty = 0; break;
                case 'u':
                        if (isempty(optarg)) {
                                log_error("--user needs a user name or UID.");
                                return EXIT_USAGE;
                        }
                        o.user = optarg;
                        break;
                case 'E':
                        if (!strchr(optarg, '=') || optarg[0] == '=') {
                                log_error("--env needs VAR=VALUE, not '%s'.", optarg);
                                return EXIT_USAGE;
                        }
                        if (strv_extend(&extra, optarg) < 0)
                                return EXIT_BERTH_FAILED;
                        break;
                case 'w':
                        if (optarg[0] != '/') {
                                log_error("--working-directory needs an absolute path.");
                                return EXIT_USAGE;
                        }
                        o.working_directory = optarg;
                        break;
                default: return EXIT_USAGE;
                }
        if (o.no_stdin && o.tty == 1) {
                log_error("-n/--no-stdin and -t/--tty exclude each other: a pty needs standard input.");
                return EXIT_USAGE;
        }
        if (argc - optind < 2) {
                log_error("'berth exec' needs a container name and a command.");
                return EXIT_USAGE;
        }
        name = argv[optind++];
        if (streq(argv[optind], "--"))
                optind++;
        if (optind >= argc) {
                log_error("'berth exec' needs a command after the container name.");
                return EXIT_USAGE;
        }
        if (!container_name_is_valid(name)) {
                log_error("Invalid container name '%s'.", name);
                return EXIT_USAGE;
        }
        o.argv = argv + optind;
        o.env = extra;

        r = launch_exec(name, &o, &error);
        if (r == EXIT_NOT_RUNNING)
                log_error("Container %s is not running.", name);
        else if (error)
                log_error("%s", error);
        return r;
}
