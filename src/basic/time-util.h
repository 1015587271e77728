/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdint.h>

/* CLOCK_MONOTONIC in microseconds: for deadlines and rates, never for wall time. */
uint64_t now_usec(void);
