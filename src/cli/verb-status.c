/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* berth status NAME: like systemctl status, for a container: unit state, identity, scope, limits,
 * cgroup tree and the last journal lines. Exit status as LSB says for status actions. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cgroup-tree.h"
#include "cgroup.h"
#include "container-state.h"
#include "exit-status.h"
#include "job.h"
#include "journal-show.h"
#include "load.h"
#include "log.h"
#include "nft.h"
#include "provenance.h"
#include "sd-lib.h"
#include "state.h"
#include "status-json.h"
#include "string-util.h"
#include "strv.h"
#include "table.h"
#include "terminal.h"
#include "verb-options.h"
#include "verbs.h"

static void help(void)
{
        printf("berth status [OPTIONS...] NAME\n\n"
               "Show a container like 'systemctl status' shows a unit: the state of berth@NAME.service,\n"
               "the supervisor and the payload's leader, the scope berth-NAME.scope with the limits\n"
               "systemd applied to it and its cgroup tree, the container's identity (UID range, SELinux\n"
               "label, root) and config file, and the last lines of its journal. A container that is not\n"
               "running shows whether it stopped or failed and why: the exit status and systemd's\n"
               "Result= of berth@NAME.service, berth's error line or the payload's last line on stderr\n"
               "(the last run's last journal entry at priority err from berth or the payload); or that\n"
               "its config is masked or invalid.\n\n"
               "Options:\n"
               "  -h --help             Show this help\n"
               "  -n --lines=N          Number of journal lines to show (default 10, 'all' for all)\n"
               "     --no-pager         Do not pipe output into a pager\n"
               "  -o --output=MODE      text (default), json or json-pretty: one object with the\n"
               "                        fields name, unit, state, active, sub, since, config,\n"
               "                        dropins, root, supervisor_pid, leader_pid, uid_base,\n"
               "                        uid_size, label, scope, address, address6, interface, ports,\n"
               "                        forward_blocked, host_access, link_local_access, memory,\n"
               "                        oom_kills, tasks, cgroup; and result (stopped, failed,\n"
               "                        masked, invalid; null while running), reason and error\n\n"
               "Exit status (LSB): 0 running, 3 not running, 4 no such container, 2 bad command line.\n");
}

static uint64_t now_realtime_usec(void)
{
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        return (uint64_t)ts.tv_sec * 1000000ULL + (uint64_t)ts.tv_nsec / 1000ULL;
}

/* ActiveState/SubState of a unit, "inactive"/"dead" when it is not loaded or there is no bus. */
static void unit_state(sd_bus *bus, const char *unit, char **active, char **sub)
{
        _cleanup_free_ char *path = NULL;

        if (bus && unit_object_path(bus, unit, &path) >= 0) {
                (void)sym_sd_bus_get_property_string(bus, "org.freedesktop.systemd1", path,
                                                     "org.freedesktop.systemd1.Unit", "ActiveState", NULL,
                                                     active);
                (void)sym_sd_bus_get_property_string(bus, "org.freedesktop.systemd1", path,
                                                     "org.freedesktop.systemd1.Unit", "SubState", NULL, sub);
        }
}

static void print_limits(sd_bus *bus, const char *scope)
{
        static const struct {
                const char *property;
                const char *key;
                TableCellType type;
        } limits[] = {
                { "MemoryMax", "MemoryMax", TABLE_SIZE },
                { "MemoryHigh", "MemoryHigh", TABLE_SIZE },
                { "CPUQuotaPerSecUSec", "CPUQuota", TABLE_EMPTY },
                { "CPUWeight", "CPUWeight", TABLE_UINT64 },
                { "IOWeight", "IOWeight", TABLE_UINT64 },
                { "TasksMax", "TasksMax", TABLE_UINT64 },
        };
        _cleanup_free_ char *path = NULL;
        bool any = false;

        if (!bus || !scope || unit_object_path(bus, scope, &path) < 0)
                return;
        for (size_t i = 0; i < ELEMENTSOF(limits); i++) {
                uint64_t v;
                char buf[64];

                if (sym_sd_bus_get_property_trivial(bus, "org.freedesktop.systemd1", path,
                                                    "org.freedesktop.systemd1.Scope", limits[i].property,
                                                    NULL, 't', &v) < 0 ||
                    v == UINT64_MAX)
                        continue; /* infinity, or not set */
                if (limits[i].type == TABLE_SIZE)
                        format_bytes(buf, sizeof(buf), v);
                else if (limits[i].type == TABLE_EMPTY) /* CPU time per second as a percentage */
                        snprintf(buf, sizeof(buf), "%" PRIu64 "%%", v / 10000);
                else
                        snprintf(buf, sizeof(buf), "%" PRIu64, v);
                printf("%s%s=%s", any ? " " : "     Limits: ", limits[i].key, buf);
                any = true;
        }
        if (any)
                printf("\n");
}

/* The image the root was imported as (issue 18): its digest and the key that verified it then. */
static void print_image(const char *root)
{
        _cleanup_(image_provenance_done) ImageProvenance p = {};
        _cleanup_free_ char *name = NULL;

        if (image_provenance_for_root(root, &name, &p) < 0)
                return;
        printf("      Image: %s (%s)\n", name, p.digest ? p.digest : "no digest recorded");
        printf("  Signed by: %s\n", p.signed_by ? p.signed_by : "- (imported unsigned)");
}

static void print_running(sd_bus *bus, const RuntimeState *s)
{
        _cleanup_free_ char *active = NULL, *sub = NULL, *cgroup = NULL, *leader = NULL;
        char buf[64], ago[64];
        uint64_t v;

        if (s->since_usec) {
                format_timestamp(buf, sizeof(buf), s->since_usec);
                format_timespan(ago, sizeof(ago), now_realtime_usec() - s->since_usec);
                printf("    Running: since %s; %s ago\n", buf, ago);
        }
        printf("     Config: %s\n", strna(s->config_path));
        printf("       Root: %s\n", strna(s->root));
        print_image(s->root);
        printf(" Supervisor: %d\n", (int)s->supervisor_pid);
        if (asprintf(&leader, "/proc/%d/comm", (int)s->leader_pid) >= 0) {
                FILE *f = fopen(leader, "re");
                _cleanup_free_ char *escaped = NULL;
                char comm[64];
                size_t n = 0;
                if (f) {
                        n = fread(comm, 1, sizeof(comm), f);
                        fclose(f);
                }
                if (n > 0 && comm[n - 1] == '\n') /* the kernel's; the name may hold more */
                        n--;
                /* The container names its processes: escaped, no raw bytes on the terminal. */
                escaped = cescape_length(comm, n);
                printf("     Leader: %d%s%s%s\n", (int)s->leader_pid, n > 0 ? " (" : "", strempty(escaped),
                       n > 0 ? ")" : "");
        }
        if (s->uid_size)
                printf("  UID range: %u-%u (%u IDs)\n", (unsigned)s->uid_base,
                       (unsigned)(s->uid_base + s->uid_size - 1), (unsigned)s->uid_size);
        else
                printf("  UID range: none (host users)\n");
        printf("      Label: %s\n", strna(s->label));
        if (s->address) {
                printf("    Address: %s%s%s on %s\n", s->address, s->address6 ? ", " : "",
                       strempty(s->address6), strna(s->interface));
                printf("      Ports: %s\n", isempty(s->ports) ? "none" : s->ports);
                printf("Host access: %s\n",
                       s->host_access ? "yes (HostAccess=yes: reaches the host's own services)" : "no");
                printf(" Link-local: %s\n",
                       s->link_local_access
                               ? "yes (LinkLocalAccess=yes: reaches 169.254.0.0/16, the cloud's metadata)"
                               : "no");
                if (s->forward_blocked) {
                        _cleanup_free_ char *fix = NULL;
                        printf("    Warning: forwarded traffic is dropped by %s\n", s->forward_blocked);
                        if (net_forward_drop_fix(s->forward_blocked, &fix) >= 0)
                                printf("        Fix: %s\n", fix);
                }
        }
        if (s->scope) {
                unit_state(bus, s->scope, &active, &sub);
                printf("      Scope: %s%s%s%s\n", s->scope, active ? " (" : "", strempty(active),
                       active ? ")" : "");
                print_limits(bus, s->scope);
        } else
                printf("      Scope: none (not registered with systemd)\n");

        /* Without a scope the leader shares whatever cgroup berth ran in: nothing to show. */
        if (!s->scope || cgroup_pid_get_unit_path(s->leader_pid, s->scope, &cgroup) < 0)
                return;
        if (cgroup_read_u64(cgroup, "memory.current", &v) >= 0) {
                format_bytes(buf, sizeof(buf), v);
                printf("     Memory: %s\n", buf);
        }
        /* Counted for the whole subtree; no line without a memory controller in v2. */
        if (cgroup_read_key_u64(cgroup, "memory.events", "oom_kill", &v) >= 0)
                printf("  OOM kills: %" PRIu64 "\n", v);
        if (cgroup_count_tasks(cgroup, &v) >= 0)
                printf("      Tasks: %" PRIu64 "\n", v);
        printf("     CGroup: %s\n", cgroup);
        if (cgroup_tree_show(cgroup, "             ", stdout) < 0)
                printf("             (cgroup tree not readable)\n");
}

int verb_status(int argc, char **argv)
{
        static const struct option options[] = {
                { "lines", required_argument, NULL, 'n' },
                {},
        };
        VerbOptions o = {
                .accept = VERB_OPT_OUTPUT | VERB_OPT_NO_PAGER,
                .options = options,
                .short_options = "n:",
                .help = help,
                .args = VERB_ARGS_ONE_NAME,
        };
        _cleanup_(bus_flush_close_unrefp) sd_bus *bus = NULL;
        _cleanup_(runtime_state_done) RuntimeState s = {};
        _cleanup_free_ char *unit = NULL, *active = NULL, *sub = NULL, *main_file = NULL;
        _cleanup_strv_free_ char **dropins = NULL, **errors = NULL;
        JournalShowOptions jo = { .lines = 10 };
        const char *name;
        bool running, exists, unreadable = false;
        int c, r;

        while ((c = verb_getopt(&o, argc, argv)) > 0)
                if (c == 'n' && journal_parse_lines(optarg, &jo.lines) < 0)
                        return EXIT_USAGE;
        if (c < 0)
                return o.exit_status;
        name = o.name;
        if (asprintf(&unit, "berth@%s.service", name) < 0)
                return log_error("Out of memory."), EXIT_FAILURE_GENERIC;

        r = state_read(state_dir_get(), name, &s);
        if (r == -EACCES) { /* not root: STATE_DIR/NAME is 0700; systemd still answers */
                unreadable = true;
                r = -ESRCH;
        }
        if (r < 0 && r != -ESRCH) {
                log_error_errno(r, "Failed to read the state of container %s: %m", name);
                return EXIT_FAILURE_GENERIC;
        }
        running = r >= 0;
        r = config_find_files(name, &main_file, &dropins, &errors);
        exists = running || r >= 0 || r == -ERFKILL;
        if (!exists) {
                log_error("Container %s is not running and has no config file.", name);
                return EXIT_NO_SUCH;
        }

        if (sd_lib_load(NULL, NULL) < 0 || sym_sd_bus_open_system(&bus) < 0)
                bus = NULL; /* status works from the state files alone */
        unit_state(bus, unit, &active, &sub);

        _cleanup_(container_state_done) ContainerState cs = {};
        _cleanup_free_ char *error_line = NULL;
        if (!running && container_state_describe(bus, state_dir_get(), name, &cs) < 0)
                return log_error("Out of memory."), EXIT_FAILURE_GENERIC;
        if (unreadable && cs.guessed)
                cs.state = "unknown";
        bool failed = !running && cs.state && streq(cs.state, "failed");
        /* Running as systemd says, when this user cannot read the state. */
        bool systemd_running = !running && cs.state && streq(cs.state, "running");
        /* Why it failed: berth's own line when the launch failed, else the payload's last
         * complaint; both escaped (the journal's may be the container's). */
        if (failed && cs.error)
                error_line = cescape_length(cs.error, strlen(cs.error));
        else if (failed) {
                /* Of the run that failed: not an older run's complaint. */
                _cleanup_free_ char *invocation = container_unit_invocation_id(bus, name);
                (void)journal_last_error(name, invocation, &error_line);
        }

        if (o.output != TABLE_OUTPUT_TEXT) {
                StatusInfo info = {
                        .result = running || systemd_running ? NULL : cs.state,
                        .reason = cs.reason,
                        .error = error_line,
                        .name = name,
                        .unit = unit,
                        .active = active,
                        .sub = sub,
                        .state = running ? &s : NULL,
                        .config_path = main_file,
                        .dropins = dropins,
                };
                r = status_print_json(stdout, &info, o.output == TABLE_OUTPUT_JSON_PRETTY);
                if (r < 0)
                        return log_error_errno(r, "Failed to print the status: %m"), EXIT_FAILURE_GENERIC;
                return running || systemd_running ? EXIT_OK : EXIT_NOT_RUNNING;
        }

        _cleanup_(pager_closep) _unused_ int paged = pager_open(o.no_pager);
        const char *on = running || systemd_running ? ansi_highlight_green()
                         : failed                   ? ansi_highlight_red()
                                                    : "";
        printf("%s%s%s %s - berth container %s\n", on,
               running || systemd_running ? "●"
               : failed                   ? "×"
                                          : "○",
               *on ? ansi_normal() : "", unit, name);
        if (failed) /* systemd's word, or the result `berth run` recorded (run by hand) */
                printf("     Active: %sfailed (%s)%s\n", on, strna(cs.reason), ansi_normal());
        else if (!running && cs.state && streq(cs.state, "unknown"))
                printf("     Active: unknown (needs root)\n");
        else
                printf("     Active: %s%s (%s)%s\n", on, active ? active : "inactive",
                       sub                                     ? sub
                       : running                               ? "running"
                       : cs.state && streq(cs.state, "masked") ? "masked"
                                                               : "dead",
                       *on ? ansi_normal() : "");
        if (running)
                print_running(bus, &s);
        else {
                if (cs.ended_usec) {
                        char buf[64];
                        format_timestamp(buf, sizeof(buf), cs.ended_usec);
                        printf("      Ended: %s\n", buf);
                }
                if (error_line)
                        printf("      Error: %s\n", error_line);
                if (unreadable)
                        printf("       Note: only root can read the container's state in %s/%s; run as "
                               "root\n"
                               "             for its leader, UID range, label, scope and cgroup.\n",
                               state_dir_get(), name);
                if (cs.state && streq(cs.state, "invalid") && cs.reason)
                        printf("    Invalid: %s\n", cs.reason);
                printf("     Config: %s\n", main_file ? main_file : "(none)");
                STRV_FOREACH (d, dropins)
                        printf("             %s\n", *d);
        }

        if (jo.lines > 0) {
                printf("\n");
                _cleanup_strv_free_ char **units = NULL;
                r = journal_container_units(name, &units);
                if (r >= 0)
                        r = journal_show_units(units, &jo, stdout);
                if (r < 0)
                        log_warning_errno(r, "Failed to read the journal of container %s: %m", name);
        }
        return running || systemd_running ? EXIT_OK : EXIT_NOT_RUNNING;
}
