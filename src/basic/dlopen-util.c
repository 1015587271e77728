/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dlopen-util.h"
#include "macro.h"

static int dlopen_fail(const char *library, const char *symbol, char **ret_error)
{
        const char *why = dlerror();

        if (!ret_error)
                return -EOPNOTSUPP;
        if (why && (!symbol || strstr(why, symbol)))
                *ret_error = strdup(why);
        else if (symbol)
                (void)!asprintf(ret_error, "%s: undefined symbol: %s", library, symbol);
        else
                (void)!asprintf(ret_error, "%s: cannot be loaded", library);
        return -EOPNOTSUPP;
}

int dlopen_many(void **handle, const char *library, const DlopenSymbol *symbols, size_t n_symbols,
                char **ret_error)
{
        void *dl;

        if (ret_error)
                *ret_error = NULL;
        if (*handle)
                return 0;
        dl = dlopen(library, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
        if (!dl)
                return dlopen_fail(library, NULL, ret_error);
        for (size_t i = 0; i < n_symbols; i++) {
                *symbols[i].ptr = dlsym(dl, symbols[i].name);
                if (!*symbols[i].ptr) {
                        int r = dlopen_fail(library, symbols[i].name, ret_error);

                        /* all or nothing: a caller sees either every pointer or none */
                        for (size_t k = 0; k <= i; k++)
                                *symbols[k].ptr = NULL;
                        dlclose(dl);
                        return r;
                }
        }
        *handle = dl;
        return 0;
}
