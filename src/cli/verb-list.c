/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* berth list: running containers as a machinectl-style table, from the running-state files. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cgroup.h"
#include "exit-status.h"
#include "log.h"
#include "state.h"
#include "strv.h"
#include "table.h"
#include "terminal.h"
#include "verbs.h"

static void help(void)
{
        printf("berth list [OPTIONS...]\n\n"
               "List running containers, one line each:\n"
               "  NAME      the container's name (berth@NAME.service, berth-NAME.scope)\n"
               "  STATE     running, or starting while the supervisor sets it up\n"
               "  SINCE     when its payload started\n"
               "  MEMORY    memory.current of its scope's cgroup (- without the memory controller)\n"
               "  TASKS     tasks in its scope's cgroup tree\n"
               "  UID-BASE  first host UID of its user namespace range\n"
               "  LABEL     its SELinux process label\n"
               "  ROOT      its root directory\n"
               "  ADDRESS   its address with VirtualEthernet= (- without)\n"
               "  PORTS     ports published with Port=, as PROTO:HOSTPORT:CONTAINERPORT\n\n"
               "Options:\n"
               "  -h --help             Show this help\n"
               "     --no-legend        Print neither the column header nor the footer\n"
               "     --no-pager         Do not pipe output into a pager\n"
               "  -o --output=MODE      text (default), json or json-pretty; JSON gives sizes in\n"
               "                        bytes, SINCE in µs since the epoch and null for unknown\n\n"
               "Environment:\n"
               "  BERTH_STATE_DIR       running-state directory (default " BERTH_STATE_DIR_DEFAULT ")\n\n"
               "Exit status: 0 (also with no containers), 1 when the state could not be read.\n");
}

static int add_container(Table *t, const char *state_dir, const char *name)
{
        _cleanup_(runtime_state_done) RuntimeState s = {};
        _cleanup_free_ char *cgroup = NULL;
        uint64_t v;
        int r;

        r = table_add_string(t, name);
        if (r < 0)
                return r;
        r = state_read(state_dir, name, &s);
        if (r == -ESRCH) { /* lock held, state not written yet */
                r = table_add_string(t, "starting");
                for (int i = 0; r >= 0 && i < 8; i++)
                        r = table_add_string(t, NULL);
                return r;
        }
        if (r < 0)
                return log_error_errno(r, "Failed to read the state of container %s: %m", name);

        /* Without a scope (--register=no) the leader sits in whatever cgroup berth ran in, shared
         * with unrelated processes: its numbers would not be the container's (and counting them
         * for every row makes a long list quadratic). */
        if (s.scope && cgroup_pid_get_unit_path(s.leader_pid, s.scope, &cgroup) < 0)
                cgroup = NULL; /* leader gone this instant: show what the state says */

        if ((r = table_add_string(t, "running")) < 0 ||
            (r = s.since_usec ? table_add_uint64(t, TABLE_TIMESTAMP, s.since_usec)
                              : table_add_string(t, NULL)) < 0 ||
            (r = cgroup && cgroup_read_u64(cgroup, "memory.current", &v) >= 0
                     ? table_add_uint64(t, TABLE_SIZE, v)
                     : table_add_string(t, NULL)) < 0 ||
            (r = cgroup && cgroup_count_tasks(cgroup, &v) >= 0 ? table_add_uint64(t, TABLE_UINT64, v)
                                                               : table_add_string(t, NULL)) < 0 ||
            (r = s.uid_size ? table_add_uint64(t, TABLE_UINT64, s.uid_base) : table_add_string(t, NULL)) <
                0 ||
            (r = table_add_string(t, s.label)) < 0 || (r = table_add_string(t, s.root)) < 0 ||
            (r = table_add_string(t, s.address)) < 0 ||
            (r = table_add_string(t, isempty(s.ports) ? NULL : s.ports)) < 0)
                return r;
        return 0;
}

int verb_list(int argc, char **argv)
{
        enum { ARG_NO_LEGEND = 0x100, ARG_NO_PAGER };
        static const struct option options[] = {
            {"help", no_argument, NULL, 'h'},
            {"no-legend", no_argument, NULL, ARG_NO_LEGEND},
            {"output", required_argument, NULL, 'o'},
            {"no-pager", no_argument, NULL, ARG_NO_PAGER},
            {},
        };
        static const char *const headers[] = {"NAME",     "STATE", "SINCE", "MEMORY",  "TASKS",
                                              "UID-BASE", "LABEL", "ROOT",  "ADDRESS", "PORTS", NULL};
        _cleanup_(table_freep) Table *t = NULL;
        _cleanup_strv_free_ char **names = NULL;
        TableOutput output = TABLE_OUTPUT_TEXT;
        const char *state_dir = state_dir_get();
        bool legend = true, no_pager = false;
        int c, r;

        while ((c = getopt_long(argc, argv, "ho:", options, NULL)) >= 0)
                switch (c) {
                case 'h': help(); return EXIT_OK;
                case ARG_NO_LEGEND: legend = false; break;
                case ARG_NO_PAGER: no_pager = true; break;
                case 'o':
                        if (table_output_from_arg(optarg, &output) < 0)
                                return EXIT_USAGE;
                        break;
                default: return EXIT_USAGE;
                }
        if (optind < argc) {
                log_error("'berth list' takes no arguments.");
                return EXIT_USAGE;
        }

        r = state_list(state_dir, &names);
        if (r < 0) {
                log_error_errno(r, "Failed to list containers in %s: %m", state_dir);
                return EXIT_FAILURE_GENERIC;
        }
        r = table_new(headers, &t);
        if (r < 0)
                return log_error_errno(r, "Out of memory."), EXIT_FAILURE_GENERIC;
        STRV_FOREACH (n, names) {
                r = add_container(t, state_dir, *n);
                if (r < 0)
                        return EXIT_FAILURE_GENERIC;
        }

        _cleanup_(pager_closep) _unused_ int paged = pager_open(no_pager);
        if (output == TABLE_OUTPUT_TEXT && table_rows(t) == 0) {
                if (legend)
                        printf("No containers.\n");
                return EXIT_OK;
        }
        r = table_print(t, stdout, output, legend);
        if (r < 0)
                return log_error_errno(r, "Failed to print the table: %m"), EXIT_FAILURE_GENERIC;
        if (output == TABLE_OUTPUT_TEXT && legend)
                printf("\n%zu container%s listed.\n", table_rows(t), table_rows(t) == 1 ? "" : "s");
        return EXIT_OK;
}
