/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* verb_getopt(): the common options, a verb's own, and the argument checks, as the verbs had them. */
#include <stdlib.h>

#include "exit-status.h"
#include "test.h"
#include "verb-options.h"

static int helped;

static void help(void)
{
        helped++;
}

static const struct option own[] = {
        { "all", no_argument, NULL, 'a' },
        { "lines", required_argument, NULL, 'n' },
        {},
};

/* Runs verb_getopt() over argv like a verb: the count of its own options seen, -1 on exit. */
static int parse(VerbOptions *o, char **argv, char *seen)
{
        int argc = 0, c, n = 0;

        while (argv[argc])
                argc++;
        optind = 0; /* as main() leaves it for each verb: getopt starts over */
        opterr = 0;
        while ((c = verb_getopt(o, argc, argv)) > 0)
                seen[n++] = (char)c;
        seen[n] = 0;
        return c < 0 ? -1 : n;
}

int main(void)
{
        char seen[16];
        int r;

        {
                VerbOptions o = { .accept = VERB_OPT_OUTPUT | VERB_OPT_NO_LEGEND | VERB_OPT_NO_PAGER,
                                  .options = own,
                                  .short_options = "an:",
                                  .help = help,
                                  .args = VERB_ARGS_NONE };
                r = parse(&o,
                          (char *[]){ "list", "-a", "--no-legend", "-o", "json", "--no-pager", "-n5", NULL },
                          seen);
                CHECK(r == 2, "two of the verb's own options handed back (r=%d)", r);
                CHECK_STREQ(seen, "an", "in order: -a, then -n");
                CHECK(o.no_legend && o.no_pager && o.output == TABLE_OUTPUT_JSON,
                      "the common ones are kept in the options");
        }
        {
                VerbOptions o = { .accept = VERB_OPT_OUTPUT, .help = help, .args = VERB_ARGS_NONE };
                r = parse(&o, (char *[]){ "images", "--output=json-pretty", NULL }, seen);
                CHECK(r == 0 && o.output == TABLE_OUTPUT_JSON_PRETTY && !o.no_legend && !o.no_pager,
                      "--output=MODE, nothing else set");
                r = parse(&o, (char *[]){ "images", "extra", NULL }, seen);
                CHECK(r == -1 && o.exit_status == EXIT_USAGE,
                      "an argument where none is taken: usage error");
                r = parse(&o, (char *[]){ "images", "-o", "yaml", NULL }, seen);
                CHECK(r == -1 && o.exit_status == EXIT_USAGE, "an unknown output mode: usage error");
                r = parse(&o, (char *[]){ "images", "--no-legend", NULL }, seen);
                CHECK(r == -1 && o.exit_status == EXIT_USAGE, "--no-legend where the verb does not take it");
                r = parse(&o, (char *[]){ "images", "-a", NULL }, seen);
                CHECK(r == -1 && o.exit_status == EXIT_USAGE, "a letter the verb does not take");
                helped = 0;
                r = parse(&o, (char *[]){ "images", "--help", "bogus", NULL }, seen);
                CHECK(r == -1 && o.exit_status == EXIT_OK && helped == 1, "--help prints the help, exit 0");
        }
        {
                VerbOptions o = { .help = help, .args = VERB_ARGS_ONE_NAME };
                r = parse(&o, (char *[]){ "status", "web", NULL }, seen);
                CHECK(r == 0 && o.name && streq(o.name, "web"), "one valid name is handed back");
                r = parse(&o, (char *[]){ "status", NULL }, seen);
                CHECK(r == -1 && o.exit_status == EXIT_USAGE, "no name: usage error");
                r = parse(&o, (char *[]){ "status", "a", "b", NULL }, seen);
                CHECK(r == -1 && o.exit_status == EXIT_USAGE, "two names: usage error");
                r = parse(&o, (char *[]){ "status", "../etc", NULL }, seen);
                CHECK(r == -1 && o.exit_status == EXIT_USAGE, "an invalid name: usage error");
                r = parse(&o, (char *[]){ "status", "-o", "json", "web", NULL }, seen);
                CHECK(r == -1 && o.exit_status == EXIT_USAGE, "-o where the verb does not take it");
        }
        {
                VerbOptions o = { .help = help };
                r = parse(&o, (char *[]){ "cat", "a", "b", "c", NULL }, seen);
                CHECK(r == 0 && optind == 1, "any arguments left for the verb at optind");
        }
        return test_done();
}
