/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Removing trees without ever following a symlink: used to apply whiteouts inside an image being
 * built and to discard a failed import. */

/* Removes every entry inside the directory fd (fd stays open and the directory stays). */
int rm_rf_children(int fd);
/* Removes dirfd/name (a file, symlink or whole directory tree); 0 when it did not exist. name
 * must be a single path component. */
int rm_rf_at(int dirfd, const char *name);
/* Removes an absolute path's tree; 0 when it did not exist. */
int rm_rf_path(const char *path);
