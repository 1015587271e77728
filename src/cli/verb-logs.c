/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* berth logs NAME: the journal of berth@NAME.service (the payload's output, relayed by the
 * supervisor, and systemd's notes) and systemd's notes about berth-NAME.scope. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exit-status.h"
#include "journal-show.h"
#include "load.h"
#include "log.h"
#include "sd-lib.h"
#include "strv.h"
#include "verb-options.h"
#include "verbs.h"

static void help(void)
{
        printf("berth logs [OPTIONS...] NAME\n\n"
               "Show the container's journal: what its payload wrote to stdout and stderr and berth's\n"
               "own messages (both logged for berth@NAME.service), and systemd's messages about the\n"
               "service and about berth-NAME.scope, where the payload runs (its start and stop, OOM\n"
               "kills), in time order; the same entries as\n"
               "'journalctl -u berth@NAME -u berth-NAME.scope'.\n\n"
               "Options:\n"
               "  -h --help             Show this help\n"
               "  -n --lines=N          Show the last N entries (default: all; 'all' for all)\n"
               "  -f --follow           Keep printing new entries until interrupted\n\n"
               "Exit status: 0, 1 when the journal could not be read, 2 on a bad command line.\n");
}

int verb_logs(int argc, char **argv)
{
        static const struct option options[] = {
                { "lines", required_argument, NULL, 'n' },
                { "follow", no_argument, NULL, 'f' },
                {},
        };
        VerbOptions v = {
                .options = options, .short_options = "n:f", .help = help, .args = VERB_ARGS_ONE_NAME
        };
        JournalShowOptions o = { .lines = UINT64_MAX };
        _cleanup_strv_free_ char **units = NULL;
        _cleanup_free_ char *dlerr = NULL;
        int c, r;

        while ((c = verb_getopt(&v, argc, argv)) > 0)
                switch (c) {
                case 'f': o.follow = true; break;
                case 'n':
                        if (journal_parse_lines(optarg, &o.lines) < 0)
                                return EXIT_USAGE;
                        break;
                }
        if (c < 0)
                return v.exit_status;
        r = sd_lib_load(&dlerr, "'berth logs'");
        if (r < 0) {
                log_error("%s", strna(dlerr));
                return EXIT_FAILURE_GENERIC;
        }
        if (journal_container_units(v.name, &units) < 0)
                return log_error("Out of memory."), EXIT_FAILURE_GENERIC;

        r = journal_show_units(units, &o, stdout);
        if (r < 0) {
                log_error_errno(r, "Failed to read the journal of container %s: %m", v.name);
                return EXIT_FAILURE_GENERIC;
        }
        if (r == 0 && !o.follow)
                printf("-- No entries --\n");
        return EXIT_OK;
}
