/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* berth list: running containers as a machinectl-style table, from the running-state files; with
 * --all also every declared container that is not running, with why (like systemctl list-units
 * --all). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup.h"
#include "container-state.h"
#include "exit-status.h"
#include "load.h"
#include "log.h"
#include "sd-lib.h"
#include "state.h"
#include "strv.h"
#include "table.h"
#include "verb-options.h"
#include "verbs.h"

static void help(void)
{
        printf("berth list [OPTIONS...]\n\n"
               "List running containers (with --all every declared one), one line each:\n"
               "  NAME      the container's name (berth@NAME.service, berth-NAME.scope)\n"
               "  STATE     running, or starting while the supervisor sets it up; with --all also\n"
               "            stopped, failed (and why: exit status, systemd's Result=), masked, or\n"
               "            invalid (and the config's first error); unknown when only root can tell\n"
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
               "  -a --all              Also list declared containers that are not running\n"
               "     --no-legend        Print neither the column header nor the footer\n"
               "     --no-pager         Do not pipe output into a pager\n"
               "  -o --output=MODE      text (default), json or json-pretty; JSON gives sizes in\n"
               "                        bytes, SINCE in µs since the epoch and null for unknown\n\n"
               "Environment:\n"
               "  BERTH_STATE_DIR       running-state directory (default " BERTH_STATE_DIR_DEFAULT ")\n\n"
               "Without root, the state directory's details are not readable: a container then shows\n"
               "what systemd says of berth@NAME.service, or unknown, and '-' in the other columns.\n\n"
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

static int cmp_str(const void *a, const void *b)
{
        return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names of a, b and c, each once, sorted. */
static int union_sorted(char ***ret, char *const *a, char *const *b, char *const *c)
{
        char *const *lists[] = { a, b, c };

        for (size_t i = 0; i < ELEMENTSOF(lists); i++)
                STRV_FOREACH (n, lists[i])
                        if (!strv_contains(*ret, *n) && strv_extend(ret, *n) < 0)
                                return -ENOMEM;
        if (*ret)
                qsort(*ret, strv_length(*ret), sizeof(char *), cmp_str);
        return 0;
}

/* A row for a container whose state this user cannot read, or that is not running (--all). */
static int add_other(Table *t, sd_bus *bus, const char *state_dir, const char *name, bool all,
                     bool unreadable)
{
        _cleanup_(container_state_done) ContainerState cs = {};
        _cleanup_free_ char *state = NULL;
        int r;

        r = container_state_describe(bus, state_dir, name, &cs);
        if (r < 0)
                return log_error_errno(r, "Out of memory.");
        /* Without root and without systemd's word, "stopped" is only a guess: the lock said nothing. */
        if (unreadable && cs.guessed)
                cs.state = "unknown";
        if (!all && !streq(cs.state, "running") && !streq(cs.state, "unknown"))
                return 0;
        if (cs.reason ? asprintf(&state, "%s (%s)", cs.state, cs.reason) < 0
                      : !(state = strdup(unreadable && streq(cs.state, "unknown") ? "unknown (needs root)"
                                                                                  : cs.state)))
                return log_error_errno(-ENOMEM, "Out of memory.");
        r = table_add_string(t, name);
        if (r >= 0)
                r = table_add_string(t, state);
        for (int i = 0; r >= 0 && i < 8; i++) /* the columns after STATE */
                r = table_add_string(t, NULL);
        return r;
}

int verb_list(int argc, char **argv)
{
        static const struct option options[] = {
                { "all", no_argument, NULL, 'a' },
                {},
        };
        VerbOptions o = {
                .accept = VERB_OPT_OUTPUT | VERB_OPT_NO_LEGEND | VERB_OPT_NO_PAGER,
                .options = options,
                .short_options = "a",
                .help = help,
                .args = VERB_ARGS_NONE,
        };
        static const char *const headers[] = { "NAME",  "STATE", "SINCE",   "MEMORY", "TASKS", "UID-BASE",
                                               "LABEL", "ROOT",  "ADDRESS", "PORTS",  NULL };
        _cleanup_(table_freep) Table *t = NULL;
        _cleanup_strv_free_ char **names = NULL, **unreadable = NULL, **declared = NULL, **invalid = NULL,
                                 **every = NULL;
        _cleanup_(bus_flush_close_unrefp) sd_bus *bus = NULL;
        const char *state_dir = state_dir_get();
        bool all = false;
        int c, r;

        while ((c = verb_getopt(&o, argc, argv)) > 0)
                if (c == 'a')
                        all = true;
        if (c < 0)
                return o.exit_status;

        r = state_list(state_dir, &names);
        if (r < 0) {
                log_error_errno(r, "Failed to list containers in %s: %m", state_dir);
                return EXIT_FAILURE_GENERIC;
        }
        r = table_new(headers, &t);
        if (r < 0)
                return log_error_errno(r, "Out of memory."), EXIT_FAILURE_GENERIC;
        /* Not root: the per-container directories are 0700. Ask systemd (readable by anyone). */
        r = state_list_unreadable(state_dir, &unreadable);
        if (r < 0)
                return log_error_errno(r, "Failed to list containers in %s: %m", state_dir),
                       EXIT_FAILURE_GENERIC;
        if (all) {
                r = config_list_names(&declared, &invalid);
                if (r < 0)
                        return log_error_errno(r, "Failed to list the declared containers: %m"),
                               EXIT_FAILURE_GENERIC;
        }
        /* without libsystemd (or the bus), states come from the state files alone */
        if ((unreadable || declared) && (sd_lib_load(NULL, NULL) < 0 || sym_sd_bus_open_system(&bus) < 0))
                bus = NULL;
        r = union_sorted(&every, names, unreadable, declared);
        if (r < 0)
                return log_error("Out of memory."), EXIT_FAILURE_GENERIC;
        STRV_FOREACH (n, every) {
                if (strv_contains(names, *n))
                        r = add_container(t, state_dir, *n);
                else
                        r = add_other(t, bus, state_dir, *n, all, strv_contains(unreadable, *n));
                if (r < 0)
                        return EXIT_FAILURE_GENERIC;
        }
        STRV_FOREACH (p, invalid) { /* a file whose name cannot be a container's */
                r = table_add_string(t, *p);
                if (r >= 0)
                        r = table_add_string(t, "invalid (not a valid container name)");
                for (int i = 0; r >= 0 && i < 8; i++) /* the columns after STATE */
                        r = table_add_string(t, NULL);
                if (r < 0)
                        return EXIT_FAILURE_GENERIC;
        }

        r = verb_print_table(&o, t, "container");
        if (r < 0)
                return log_error_errno(r, "Failed to print the table: %m"), EXIT_FAILURE_GENERIC;
        return EXIT_OK;
}
