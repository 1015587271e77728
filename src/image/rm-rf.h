/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Removing trees without ever following a symlink or opening '..', at any depth with a bounded
 * number of open fds: used to apply whiteouts inside an image being built, to discard a failed
 * import or a removed image, and by copy-to/copy-from on trees a running container may change.
 * Errors do not stop the walk: everything removable is removed and the first error returned. */

/* Removes every entry inside the directory fd (fd stays open and the directory stays). */
int rm_rf_children(int fd);
/* Removes dirfd/name (a file, symlink or whole directory tree); 0 when it did not exist. name
 * must be a single path component. */
int rm_rf_at(int dirfd, const char *name);
/* Removes an absolute path's tree; 0 when it did not exist. */
int rm_rf_path(const char *path);
