/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once
/* The one way berth loads an optional shared library: dlopen()ed at the first call that needs it,
 * not linked, so a process that never needs it does not map it, its dependencies, or run their
 * constructors (issue 16). Each user keeps a table of function pointers, filled all at once. */
#include <stddef.h>

typedef struct DlopenSymbol {
        const char *name;
        void **ptr;
} DlopenSymbol;

/* An entry for the pointer sym_NAME, of type typeof(NAME) *. */
#define DLOPEN_SYMBOL(name)                                                                                 \
        {                                                                                                   \
#name, (void **)&sym_##name                                                                 \
        }

/* Opens library (RTLD_NOW|RTLD_LOCAL|RTLD_NODELETE) into *handle once and resolves every symbol,
 * or none: 0 when done (or done before); -EOPNOTSUPP when the library or one symbol is missing,
 * with the loader's line naming the library (and the symbol) in *ret_error when not NULL. */
int dlopen_many(void **handle, const char *library, const DlopenSymbol *symbols, size_t n_symbols,
                char **ret_error);
