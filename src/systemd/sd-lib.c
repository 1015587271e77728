/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "sd-lib.h"
#include "dlopen-util.h"

#define SD_LIB_DEFINE(name) typeof(name) *sym_##name;
SD_LIB_FOREACH_SYMBOL(SD_LIB_DEFINE)
#undef SD_LIB_DEFINE

int sd_lib_load(char **ret_error)
{
#define SD_LIB_ENTRY(name) DLOPEN_SYMBOL(name),
        static const DlopenSymbol symbols[] = { SD_LIB_FOREACH_SYMBOL(SD_LIB_ENTRY) };
#undef SD_LIB_ENTRY
        static void *dl;

        return dlopen_many(&dl, "libsystemd.so.0", symbols, ELEMENTSOF(symbols), ret_error);
}
