/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* berth audit: how exposed the host is to each container, as systemd-analyze security judges
 * services. The checks and weights are audit-checks.c; this file loads and prints. */
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"
#include "exit-status.h"
#include "json-writer.h"
#include "load.h"
#include "log.h"
#include "string-util.h"
#include "strv.h"
#include "table.h"
#include "terminal.h"
#include "verb-options.h"
#include "verbs.h"

typedef struct AuditEntry {
        ContainerConfig *config;
        AuditReport report;
} AuditEntry;

static void audit_help(void)
{
        printf("berth audit [OPTIONS...] [NAME|FILE...]\n\n"
               "Judge how exposed the host is to each container, from its declaration and defaults:\n"
               "one row per check (user namespace, capabilities, seccomp, SELinux, network, root,\n"
               "bind mounts, devices, limits, ...) with the key to change, the exposure it adds,\n"
               "an overall exposure score from 0.0 to 10.0 and a verdict: OK (below 3.0), MEDIUM\n"
               "(below 6.0), EXPOSED (below 9.0) or UNSAFE. Checks, weights and the CIS Docker\n"
               "Benchmark items they map to: berth(1), section AUDIT.\n\n"
               "Containers are found as 'berth verify' finds them: a NAME in the search path, a\n"
               "FILE when the argument contains a '/' or ends in .container; without arguments\n"
               "every NAME.container in the search path (masked ones are skipped).\n\n"
               "Options:\n"
               "  -h --help            Show this help\n"
               "     --file            Treat every argument as a file path, even without '/'\n"
               "     --offline         Judge the declaration alone: do not look at the host's\n"
               "                       files (bind sources, the root directory's parents)\n"
               "  -o --output=MODE     text (default), json or json-pretty\n"
               "     --threshold=N     Exit with status 5 when a container scores above N\n"
               "                       (0.0 to 10.0)\n\n"
               "Exit status: 0 when every container was audited and none scores above the\n"
               "threshold, 1 when one cannot be loaded (errors, masked, missing), 2 on a usage\n"
               "error, 5 when one scores above --threshold.\n");
}

/* "7", "7.5", "10.0" -> tenths; -EINVAL for anything else. */
static int parse_threshold(const char *s, unsigned *ret)
{
        unsigned whole = 0, tenth = 0;
        const char *p = s;

        if (!*p)
                return -EINVAL;
        for (; *p >= '0' && *p <= '9'; p++) {
                whole = whole * 10 + (unsigned)(*p - '0');
                if (whole > 10)
                        return -EINVAL;
        }
        if (p == s)
                return -EINVAL;
        if (*p == '.') {
                p++;
                if (*p < '0' || *p > '9')
                        return -EINVAL;
                tenth = (unsigned)(*p++ - '0');
        }
        if (*p || whole * 10 + tenth > 100)
                return -EINVAL;
        *ret = whole * 10 + tenth;
        return 0;
}

static bool use_unicode(void)
{
        if (!isatty(STDOUT_FILENO))
                return false;
        setlocale(LC_CTYPE, "");
        return streq(nl_langinfo(CODESET), "UTF-8");
}

static const char *result_description(const AuditResult *res)
{
        return res->status == AUDIT_PASS      ? res->check->good
               : res->status == AUDIT_UNKNOWN ? "Not judged"
                                              : res->check->bad;
}

static void print_text(const AuditEntry *e, bool unicode)
{
        const AuditReport *r = &e->report;
        int width = 0;

        for (size_t i = 0; i < _AUDIT_CHECK_MAX; i++) {
                int n = (int)strlen(r->results[i].check->name);
                width = n > width ? n : width;
        }
        _cleanup_free_ char *path = e->config->path ? cescape(e->config->path) : NULL;

        printf("%s%s%s (%s)\n", ansi_highlight(), e->config->name, ansi_normal(), strna(path));
        printf("  %-*s  %-18s %-9s %8s  %s\n", width, "CHECK", "KEY", "CIS", "EXPOSURE", "DESCRIPTION");
        for (size_t i = 0; i < _AUDIT_CHECK_MAX; i++) {
                const AuditResult *res = &r->results[i];
                const char *mark, *color;
                char exposure[16];

                switch (res->status) {
                case AUDIT_PASS: mark = unicode ? "✓" : "+", color = ansi_highlight_green(); break;
                case AUDIT_PARTIAL: mark = unicode ? "◐" : "~", color = ansi_highlight(); break;
                case AUDIT_FAIL: mark = unicode ? "✗" : "x", color = ansi_highlight_red(); break;
                default: mark = "?", color = ""; break;
                }
                if (res->status == AUDIT_PASS || res->status == AUDIT_UNKNOWN)
                        snprintf(exposure, sizeof(exposure), "-");
                else
                        snprintf(exposure, sizeof(exposure), "%u.%u", res->exposure / 10,
                                 res->exposure % 10);
                printf("%s%s%s %-*s  %-18s %-9s %8s  %s", color, mark, ansi_normal(), width,
                       res->check->name, res->check->key, res->check->cis, exposure,
                       result_description(res));
                for (size_t j = 0; j < res->n_findings; j++) {
                        /* paths come from the file audited, which may be anyone's: no raw
                         * control characters to the terminal */
                        _cleanup_free_ char *item = cescape(res->findings[j].item);

                        printf("%s%s", j == 0 ? ": " : ", ", item ?: "?");
                        if (res->findings[j].exposure > 0)
                                printf(" (%u.%u)", res->findings[j].exposure / 10,
                                       res->findings[j].exposure % 10);
                }
                printf("\n");
        }
        printf("%s Overall exposure level for %s: %s%u.%u %s%s\n", unicode ? "→" : "->", e->config->name,
               r->score >= 60  ? ansi_highlight_red()
               : r->score < 30 ? ansi_highlight_green()
                               : ansi_highlight(),
               r->score / 10, r->score % 10, audit_verdict(r->score), ansi_normal());
}

static void json_result(JsonWriter *w, const AuditResult *res)
{
        json_begin_object(w);
        json_key(w, "name");
        json_string(w, res->check->name);
        json_key(w, "key");
        json_string(w, res->check->key);
        json_key(w, "cis");
        json_string(w, res->check->cis);
        json_key(w, "status");
        json_string(w, audit_status_to_string(res->status));
        json_key(w, "exposure");
        json_decimal(w, res->exposure, 1);
        json_key(w, "description");
        json_string(w, result_description(res));
        json_key(w, "findings");
        json_begin_array(w);
        for (size_t j = 0; j < res->n_findings; j++) {
                json_begin_object(w);
                json_key(w, "item");
                json_string(w, res->findings[j].item);
                json_key(w, "exposure");
                json_decimal(w, res->findings[j].exposure, 1);
                json_end_object(w);
        }
        json_end_array(w);
        json_end_object(w);
}

/* All of berth audit's JSON, in one place (the schema is documented in berth(1), AUDIT):
 * [{"name", "path", "offline", "score", "verdict", "checks": [{"name", "key", "cis", "status",
 *   "exposure", "description", "findings": [{"item", "exposure"}]}]}] */
static int print_json(FILE *f, const AuditEntry *entries, size_t n, bool offline, bool pretty)
{
        JsonWriter w;

        json_writer_init(&w, f, pretty);
        json_begin_array(&w);
        for (size_t i = 0; i < n; i++) {
                const AuditReport *rep = &entries[i].report;

                json_begin_object(&w);
                json_key(&w, "name");
                json_string(&w, entries[i].config->name);
                json_key(&w, "path");
                json_string(&w, entries[i].config->path); /* NULL: null */
                json_key(&w, "offline");
                json_boolean(&w, offline);
                json_key(&w, "score");
                json_decimal(&w, rep->score, 1);
                json_key(&w, "verdict");
                json_string(&w, audit_verdict(rep->score));
                json_key(&w, "checks");
                json_begin_array(&w);
                for (size_t k = 0; k < _AUDIT_CHECK_MAX; k++)
                        json_result(&w, &rep->results[k]);
                json_end_array(&w);
                json_end_object(&w);
        }
        json_end_array(&w);
        return json_writer_finish(&w);
}

/* Loads one container with verify's loader; errors go to standard error. */
static int load_one(const char *name_or_path, ContainerConfig **ret)
{
        _cleanup_strv_free_ char **errors = NULL;
        int r;

        r = config_load(name_or_path, ret, &errors);
        if (r >= 0)
                return 0;
        STRV_FOREACH (e, errors)
                fprintf(stderr, "%s\n", *e);
        if (strv_length(errors) == 0)
                log_error("Failed to load %s: %s", name_or_path, strerror(-r));
        return r;
}

int verb_audit(int argc, char **argv)
{
        enum { ARG_FILE = 0x100, ARG_OFFLINE, ARG_THRESHOLD };
        static const struct option options[] = {
                { "file", no_argument, NULL, ARG_FILE },
                { "offline", no_argument, NULL, ARG_OFFLINE },
                { "threshold", required_argument, NULL, ARG_THRESHOLD },
                {},
        };
        VerbOptions o = { .accept = VERB_OPT_OUTPUT, .options = options, .help = audit_help };
        _cleanup_strv_free_ char **targets = NULL, **invalid = NULL;
        bool force_file = false, offline = false, failed = false, above = false, unicode;
        unsigned threshold = 100;
        AuditEntry *entries = NULL;
        size_t n_entries = 0;
        int c, r;

        while ((c = verb_getopt(&o, argc, argv)) > 0)
                switch (c) {
                case ARG_FILE: force_file = true; break;
                case ARG_OFFLINE: offline = true; break;
                case ARG_THRESHOLD:
                        if (parse_threshold(optarg, &threshold) < 0) {
                                log_error("Invalid --threshold=%s (expected a score from 0.0 to 10.0).",
                                          optarg);
                                return EXIT_USAGE;
                        }
                        break;
                }
        if (c < 0)
                return o.exit_status;

        r = config_targets(argv + optind, argc - optind, force_file, &targets, &invalid);
        if (r < 0) {
                log_error_errno(r, "Failed to list the containers to check: %m");
                return EXIT_FAILURE_GENERIC;
        }
        STRV_FOREACH (p, invalid) {
                fprintf(stderr, "%s: invalid container name, not audited\n", *p);
                failed = true;
        }

        entries = calloc(strv_length(targets) + 1, sizeof(AuditEntry));
        if (!entries) {
                log_error("Out of memory.");
                return EXIT_FAILURE_GENERIC;
        }
        STRV_FOREACH (t, targets) {
                AuditEntry *e = &entries[n_entries];

                if (optind >= argc) { /* enumerating: a masked container is deliberate */
                        _cleanup_free_ char *main_path = NULL;
                        _cleanup_strv_free_ char **dropins = NULL;
                        if (config_find_files(*t, &main_path, &dropins, NULL) == 0 &&
                            config_file_is_masked(main_path))
                                continue;
                }
                if (load_one(*t, &e->config) < 0) {
                        failed = true;
                        continue;
                }
                r = audit_container(e->config, offline, &e->report);
                if (r < 0) {
                        log_error_errno(r, "Failed to audit container %s: %m", e->config->name);
                        container_config_free(e->config);
                        e->config = NULL;
                        failed = true;
                        continue;
                }
                if (e->report.score > threshold)
                        above = true;
                n_entries++;
        }

        unicode = o.output == TABLE_OUTPUT_TEXT && use_unicode();
        if (o.output != TABLE_OUTPUT_TEXT) {
                r = print_json(stdout, entries, n_entries, offline, o.output == TABLE_OUTPUT_JSON_PRETTY);
                if (r < 0) {
                        log_error_errno(r, "Failed to print JSON: %m");
                        failed = true;
                }
        } else {
                if (n_entries == 0 && optind >= argc && !failed)
                        printf("No .container files found in the search path.\n");
                for (size_t i = 0; i < n_entries; i++) {
                        if (i > 0)
                                printf("\n");
                        print_text(&entries[i], unicode);
                }
        }

        for (size_t i = 0; i < n_entries; i++) {
                audit_report_done(&entries[i].report);
                container_config_free(entries[i].config);
        }
        free(entries);
        return failed ? EXIT_FAILURE_GENERIC : above ? EXIT_ABOVE_THRESHOLD : EXIT_OK;
}
