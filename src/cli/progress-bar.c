/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "format-util.h"
#include "macro.h"
#include "progress-bar.h"
#include "time-util.h"

void progress_bar_init(ProgressBar *p, const char *label)
{
        const char *term = getenv("TERM");
        *p = (ProgressBar){ .label = label };
        p->enabled = isatty(STDERR_FILENO) && !(term && streq(term, "dumb"));
}

void progress_bar_update(uint64_t done, uint64_t total, void *userdata)
{
        ProgressBar *p = userdata;
        struct winsize ws = {};
        char sizes[48], d[16], t[16];
        unsigned columns = 80, percent, width, filled;
        uint64_t now;

        if (!p->enabled || total < PROGRESS_BAR_MIN_TOTAL)
                return;
        now = now_usec();
        if (done < total && p->drawn && now - p->last_usec < 100000) /* at most 10 redraws a second */
                return;
        p->last_usec = now;

        if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
                columns = ws.ws_col;
        if (done > total)
                done = total;
        percent = (unsigned)(done * 100 / total);
        format_bytes(d, sizeof(d), done);
        format_bytes(t, sizeof(t), total);
        snprintf(sizes, sizeof(sizes), " %3u%% %s/%s", percent, d, t);

        /* "LABEL [=====>    ] 42% 1.0M/2.0M", the bar taking what the line has left. */
        size_t fixed = strlen(p->label) + 3 + strlen(sizes);
        width = columns > fixed + 10 ? (unsigned)(columns - fixed - 1) : 10;
        if (width > 50)
                width = 50;
        filled = (unsigned)(done * width / total);

        fprintf(stderr, "\r%s [", p->label);
        for (unsigned i = 0; i < width; i++)
                fputc(i < filled ? '=' : i == filled ? '>' : ' ', stderr);
        fprintf(stderr, "]%s\033[K", sizes);
        fflush(stderr);
        p->drawn = true;
}

void progress_bar_finish(ProgressBar *p)
{
        if (!p->drawn)
                return;
        fputs("\r\033[K", stderr);
        fflush(stderr);
        p->drawn = false;
}
