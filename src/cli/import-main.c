/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* berth-import: `berth import` in its own executable, the only one linked with libarchive and
 * json-c (see verb-import-exec.c). berth executes it with the verb's argv (argv[0] "import");
 * run directly it takes the same arguments. */
#include "log.h"
#include "verbs.h"

int main(int argc, char **argv)
{
        log_set_prefix("berth");
        return verb_import(argc, argv);
}
