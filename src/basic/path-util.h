/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Checks and normalization of paths that come from configuration. */

#include <stdbool.h>

/* Returns a normalized copy of an absolute path: repeated slashes collapsed, "." components
 * and trailing slashes dropped. -EINVAL when not absolute or a ".." component is present (a
 * configured path must never climb), -ENAMETOOLONG beyond PATH_MAX, -ENOMEM. */
int path_normalize_absolute(const char *p, char **ret);

/* True for "/", "//", "/./" and the like. */
bool path_is_root(const char *p);

/* "a" + "/" + "b", with exactly one slash between. NULL on allocation failure. */
char *path_join(const char *a, const char *b);

/* The last component of p (no allocation; p must not end in '/'). */
const char *path_basename(const char *p);
