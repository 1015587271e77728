/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Helpers for the seccomp unit tests. */

#include "config.h"
#include "strv.h"

#define STRV_MAKE(...) ((char *[]){ __VA_ARGS__, NULL })

/* The default config of container "test" with SystemCallFilter= set to filter (may be NULL). */
static inline int test_config_with_filter(char **filter, ContainerConfig **ret)
{
        _cleanup_config_ ContainerConfig *c = NULL;
        int r = container_config_new_default("test", &c);
        if (r < 0)
                return r;
        c->syscall_filter = strv_copy(filter);
        if (filter && !c->syscall_filter)
                return -ENOMEM;
        *ret = TAKE_PTR(c);
        return 0;
}
