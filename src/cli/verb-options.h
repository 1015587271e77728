/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The command line of a verb: the options several verbs share (-h --help, -o --output,
 * --no-legend, --no-pager) and the arguments they expect, parsed in one place. A verb declares
 * what it takes in a VerbOptions and loops over verb_getopt() for its own options:
 *
 *         VerbOptions o = { .accept = VERB_OPT_OUTPUT, .options = options, .short_options = "a",
 *                           .help = help, .args = VERB_ARGS_NONE };
 *         while ((c = verb_getopt(&o, argc, argv)) > 0)
 *                 switch (c) { case 'a': all = true; break; }
 *         if (c < 0)
 *                 return o.exit_status;
 */

#include <getopt.h>
#include <stdbool.h>

#include "table.h"

#define VERB_OPTIONS_MAX 32

typedef enum VerbOptionFlags {
        VERB_OPT_OUTPUT = 1 << 0,    /* -o --output=MODE: text (default), json, json-pretty */
        VERB_OPT_NO_LEGEND = 1 << 1, /* --no-legend */
        VERB_OPT_NO_PAGER = 1 << 2,  /* --no-pager */
} VerbOptionFlags;

typedef enum VerbArgs {
        VERB_ARGS_ANY,      /* the verb checks its arguments itself, from argv[optind] */
        VERB_ARGS_NONE,     /* none: "'berth VERB' takes no arguments." */
        VERB_ARGS_ONE_NAME, /* exactly one valid container name, left in .name */
} VerbArgs;

typedef struct VerbOptions {
        /* What the verb takes: -h --help always, calling help(). */
        VerbOptionFlags accept;
        const struct option *options; /* the verb's own, {}-terminated, or NULL */
        const char *short_options;    /* their letters, in getopt's syntax ("an:"), or NULL */
        void (*help)(void);
        VerbArgs args;

        /* What the command line said. */
        TableOutput output;
        bool no_legend;
        bool no_pager;
        const char *name; /* VERB_ARGS_ONE_NAME */
        int exit_status;  /* what the verb returns when verb_getopt() returned -1 */

        /* verb_getopt()'s own: the common options and the verb's, in one table. */
        struct option all[VERB_OPTIONS_MAX];
        char all_short[64];
        bool started;
} VerbOptions;

/* The next of the verb's own options (getopt_long's value, optarg set), after handling the
 * common ones; 0 when the options are done and the arguments are as o->args asks; -1 when the
 * verb returns o->exit_status now: EXIT_OK after --help, EXIT_USAGE after a bad option or
 * argument (the message printed). argv[0] is the verb. */
int verb_getopt(VerbOptions *o, int argc, char **argv);

/* Prints a listing as the options ask, through the pager unless --no-pager: the table in
 * o->output; in text, "No NOUNs." for none and a "N NOUN(s) listed." footer, both dropped by
 * --no-legend. 0 or -errno (the table could not be printed; not logged). */
int verb_print_table(const VerbOptions *o, const Table *t, const char *noun);
