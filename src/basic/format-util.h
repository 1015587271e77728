/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* Sizes for humans, in powers of 1024: "512B", "1.5K", "23.4M" (the table's SIZE cells, berth
 * status, the import progress bar). */
void format_bytes(char *buf, size_t size, uint64_t bytes);
