/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* PLACEHOLDER: replaced by the issue that implements 'berth start'. Must not survive to a landing. */
#include "exit-status.h"
#include "log.h"
#include "verbs.h"

int verb_start(int argc, char **argv)
{
        (void)argc;
        log_error("'berth %s' is not implemented yet.", argv[0]);
        return EXIT_FAILURE_GENERIC;
}
