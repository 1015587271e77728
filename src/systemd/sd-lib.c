/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "dlopen-util.h"
#include "error-record.h"
#include "sd-lib.h"

#define SD_LIB_DEFINE(name) typeof(name) *sym_##name;
SD_LIB_FOREACH_SYMBOL(SD_LIB_DEFINE)
#undef SD_LIB_DEFINE

int sd_lib_load(char **error_slot, const char *purpose, ...)
{
#define SD_LIB_ENTRY(name) DLOPEN_SYMBOL(name),
        static const DlopenSymbol symbols[] = { SD_LIB_FOREACH_SYMBOL(SD_LIB_ENTRY) };
#undef SD_LIB_ENTRY
        static void *dl;
        _cleanup_free_ char *why = NULL, *what = NULL;
        va_list ap;
        int r;

        r = dlopen_many(&dl, "libsystemd.so.0", symbols, ELEMENTSOF(symbols), error_slot ? &why : NULL);
        if (r >= 0 || !error_slot)
                return r;
        va_start(ap, purpose);
        if (vasprintf(&what, purpose, ap) < 0)
                what = NULL;
        va_end(ap);
        (void)error_record(error_slot, 0, "%s needs libsystemd.so.0 (install libsystemd0): %s", strna(what),
                           strna(why));
        return r;
}
