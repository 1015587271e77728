/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "log.h"

static int max_level = LOG_INFO;
static const char *prefix;

void log_set_max_level(int level)
{
        max_level = level;
}

int log_get_max_level(void)
{
        return max_level;
}

void log_set_prefix(const char *p)
{
        prefix = p;
}

bool fd_is_journal_stream(int fd)
{
        const char *e = getenv("JOURNAL_STREAM");
        struct stat st;
        unsigned long long dev, ino;

        if (!e || sscanf(e, "%llu:%llu", &dev, &ino) != 2)
                return false;
        if (fstat(fd, &st) < 0)
                return false;
        return st.st_dev == dev && st.st_ino == ino;
}

int log_internal(int level, int error, const char *fmt, ...)
{
        int saved = errno;
        if (error < 0)
                error = -error;

        if (level <= max_level) {
                char buf[2048];
                va_list ap;

                /* %m means strerror(error) here, not of whatever errno happens to hold. */
                errno = error;
                va_start(ap, fmt);
                vsnprintf(buf, sizeof(buf), fmt, ap);
                va_end(ap);

                if (fd_is_journal_stream(STDERR_FILENO))
                        fprintf(stderr, "<%d>%s%s%s\n", level, strempty(prefix), prefix ? ": " : "", buf);
                else
                        fprintf(stderr, "%s%s%s\n", strempty(prefix), prefix ? ": " : "", buf);
        }
        errno = saved;
        return error > 0 ? -error : -EIO;
}
