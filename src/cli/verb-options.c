/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "exit-status.h"
#include "load.h"
#include "log.h"
#include "macro.h"
#include "terminal.h"
#include "verb-options.h"

/* Values of the long-only common options: above any verb's own (0x100 + a few). */
enum {
        ARG_NO_LEGEND = 0x1000,
        ARG_NO_PAGER,
};

static void add(VerbOptions *o, size_t *n, const struct option *opt)
{
        assert(*n + 1 < VERB_OPTIONS_MAX);
        o->all[(*n)++] = *opt;
}

static void setup(VerbOptions *o)
{
        size_t n = 0;

        add(o, &n, &(struct option){ "help", no_argument, NULL, 'h' });
        if (o->accept & VERB_OPT_OUTPUT)
                add(o, &n, &(struct option){ "output", required_argument, NULL, 'o' });
        if (o->accept & VERB_OPT_NO_LEGEND)
                add(o, &n, &(struct option){ "no-legend", no_argument, NULL, ARG_NO_LEGEND });
        if (o->accept & VERB_OPT_NO_PAGER)
                add(o, &n, &(struct option){ "no-pager", no_argument, NULL, ARG_NO_PAGER });
        for (const struct option *p = o->options; p && p->name; p++)
                add(o, &n, p);
        o->all[n] = (struct option){};
        snprintf(o->all_short, sizeof(o->all_short), "h%s%s", o->accept & VERB_OPT_OUTPUT ? "o:" : "",
                 o->short_options ? o->short_options : "");
        o->started = true;
}

static int args_check(VerbOptions *o, int argc, char **argv)
{
        switch (o->args) {
        case VERB_ARGS_ANY: return 0;
        case VERB_ARGS_NONE:
                if (optind < argc) {
                        log_error("'berth %s' takes no arguments.", argv[0]);
                        return -1;
                }
                return 0;
        case VERB_ARGS_ONE_NAME:
                if (argc - optind != 1) {
                        log_error("'berth %s' needs exactly one container name.", argv[0]);
                        return -1;
                }
                if (!container_name_is_valid(argv[optind])) {
                        log_error("Invalid container name '%s'.", argv[optind]);
                        return -1;
                }
                o->name = argv[optind];
                return 0;
        }
        return -1;
}

int verb_getopt(VerbOptions *o, int argc, char **argv)
{
        int c;

        if (!o->started)
                setup(o);
        for (;;) {
                c = getopt_long(argc, argv, o->all_short, o->all, NULL);
                switch (c) {
                case -1:
                        if (args_check(o, argc, argv) < 0) {
                                o->exit_status = EXIT_USAGE;
                                return -1;
                        }
                        return 0;
                case 'h':
                        o->help();
                        o->exit_status = EXIT_OK;
                        return -1;
                case 'o':
                        if (!(o->accept & VERB_OPT_OUTPUT))
                                return c;
                        if (table_output_from_arg(optarg, &o->output) < 0) {
                                o->exit_status = EXIT_USAGE;
                                return -1;
                        }
                        break;
                case ARG_NO_LEGEND: o->no_legend = true; break;
                case ARG_NO_PAGER: o->no_pager = true; break;
                case '?':
                case ':': o->exit_status = EXIT_USAGE; return -1;
                default: return c;
                }
        }
}

int verb_print_table(const VerbOptions *o, const Table *t, const char *noun)
{
        _cleanup_(pager_closep) _unused_ int paged = pager_open(o->no_pager);
        int r;

        if (o->output == TABLE_OUTPUT_TEXT && table_rows(t) == 0) {
                if (!o->no_legend)
                        printf("No %ss.\n", noun);
                return 0;
        }
        r = table_print(t, stdout, o->output, !o->no_legend);
        if (r < 0)
                return r;
        if (o->output == TABLE_OUTPUT_TEXT && !o->no_legend)
                printf("\n%zu %s%s listed.\n", table_rows(t), noun, table_rows(t) == 1 ? "" : "s");
        return 0;
}
