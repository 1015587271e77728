/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Unpacking one tar archive (plain, gzip, xz, zstd or bzip2) onto a root directory, keeping
 * numeric ownership, modes, times and xattrs. Members with absolute paths or ".." components
 * are refused, and nothing is written through a symlink. With whiteouts, OCI whiteout entries
 * (".wh.NAME" deletes NAME, ".wh..wh..opq" empties its directory) are applied to what lower
 * layers left before this layer's own entries are written. */

#include <stdbool.h>

#include "import.h"

int layer_apply(ImportContext *ctx, const char *what, int archive_fd, int root_fd, bool whiteouts);
