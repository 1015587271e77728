/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <inttypes.h>
#include <stdio.h>

#include "format-util.h"

void format_bytes(char *buf, size_t size, uint64_t bytes)
{
        static const char suffix[] = "KMGTPE";
        double v = (double)bytes;
        int i = -1;

        if (bytes < 1024) {
                snprintf(buf, size, "%" PRIu64 "B", bytes);
                return;
        }
        while (v >= 1024 && i < (int)sizeof(suffix) - 2) {
                v /= 1024;
                i++;
        }
        snprintf(buf, size, "%.1f%c", v, suffix[i]);
}
