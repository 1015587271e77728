/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* berth cleanup: the stale sweep a start or a stop does (launch_network_collect()), on its own.
 * berth@.service's ExecStopPost= runs it, so that what a supervisor SIGKILLed at TimeoutStopSec=
 * left behind goes at that very stop, not at some later start or stop of another container. */
#include <stdio.h>
#include <unistd.h>

#include "exit-status.h"
#include "launch.h"
#include "log.h"
#include "state.h"
#include "verb-options.h"
#include "verbs.h"

static void help(void)
{
        printf("berth cleanup [OPTIONS...]\n\n"
               "Remove what containers whose supervisor was killed (SIGKILL) left behind: their nft\n"
               "elements (published ports, masquerade) and host links (bt-*), and the IPv4 forwarding\n"
               "berth turned on, when no container with VirtualEthernet= needs it any more. Running\n"
               "and starting containers are not touched. berth@.service runs it when a container\n"
               "stops (ExecStopPost=); a start or a stop of any container does the same.\n\n"
               "Options:\n"
               "  -h --help             Show this help\n\n"
               "Exit status: 0, 1 when the cleanup failed, 2 on a bad command line.\n");
}

int verb_cleanup(int argc, char **argv)
{
        VerbOptions v = { .help = help, .args = VERB_ARGS_NONE };
        const char *state_dir = state_dir_get();
        int c, r;

        while ((c = verb_getopt(&v, argc, argv)) > 0)
                ;
        if (c < 0)
                return v.exit_status;
        if (geteuid() != 0) {
                log_error("berth cleanup: must be run as root.");
                return EXIT_FAILURE_GENERIC;
        }
        r = launch_network_collect(state_dir, NULL);
        if (r < 0) {
                log_error_errno(r, "Failed to remove what dead containers left in %s/net: %m", state_dir);
                return EXIT_FAILURE_GENERIC;
        }
        return EXIT_OK;
}
