/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* A one-line progress bar on stderr for long operations (berth import). Drawn only when stderr
 * is a terminal (and TERM is not "dumb") and the work is large enough to be worth watching;
 * otherwise every call does nothing, so logs and pipes stay clean. */

#include <stdbool.h>
#include <stdint.h>

#define PROGRESS_BAR_MIN_TOTAL (4u * 1024 * 1024) /* smaller jobs finish before a bar helps */

typedef struct ProgressBar {
        const char *label;
        bool enabled;
        bool drawn;
        uint64_t last_usec;
} ProgressBar;

void progress_bar_init(ProgressBar *p, const char *label);
/* Matches ImportContext.progress: userdata is the ProgressBar. */
void progress_bar_update(uint64_t done, uint64_t total, void *userdata);
/* Erases the bar (call before printing anything else). */
void progress_bar_finish(ProgressBar *p);
