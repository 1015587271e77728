/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* One function per verb, one file per verb (verb-NAME.c). Each parses its own options (argv[0]
 * is the verb; verb_getopt() of verb-options.h for --help, -o, --no-legend, --no-pager and a
 * single NAME), prints its own errors and returns berth's exit status (exit-status.h). */

int verb_verify(int argc, char **argv);
int verb_cat(int argc, char **argv);
int verb_run(int argc, char **argv);
int verb_start(int argc, char **argv); /* start, stop, restart: argv[0] says which */
int verb_list(int argc, char **argv);
int verb_status(int argc, char **argv);
int verb_exec(int argc, char **argv);
int verb_copy(int argc, char **argv); /* copy-to, copy-from: argv[0] says which */
int verb_logs(int argc, char **argv);
int verb_import(int argc, char **argv);      /* in berth-import (import-main.c) */
int verb_import_exec(int argc, char **argv); /* in berth: executes berth-import */
int verb_audit(int argc, char **argv);
int verb_images(int argc, char **argv);   /* verb-images.c */
int verb_rm_image(int argc, char **argv); /* verb-images.c */
int verb_cleanup(int argc, char **argv);  /* verb-cleanup.c: berth@.service's ExecStopPost= */
