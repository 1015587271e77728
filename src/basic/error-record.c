/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error-record.h"

int error_recordv(char **slot, int error, const char *fmt, va_list ap)
{
        _cleanup_free_ char *msg = NULL;
        int ret = error < 0 ? error : -EIO;

        if (*slot)
                return ret;
        errno = error < 0 ? -error : 0; /* for %m */
        if (vasprintf(&msg, fmt, ap) < 0)
                return ret; /* out of memory: the error code still travels */
        if (error < 0) {
                if (asprintf(slot, "%s: %s", msg, strerror(-error)) < 0)
                        *slot = NULL;
        } else
                *slot = TAKE_PTR(msg);
        return ret;
}

int error_record(char **slot, int error, const char *fmt, ...)
{
        va_list ap;
        int r;

        va_start(ap, fmt);
        r = error_recordv(slot, error, fmt, ap);
        va_end(ap);
        return r;
}
