/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Loading NAME.container: search path, masking, drop-ins, parsing and validation into one
 * ContainerConfig. The only way any other layer obtains a config. */

#include <stdbool.h>

#include "config.h"

#define CONFIG_SEARCH_PATH_DEFAULT "/etc/berth:/run/berth:/usr/lib/berth"

/* The directories searched for NAME.container, highest priority first: $BERTH_CONFIG_PATH
 * (colon-separated; empty entries ignored) or CONFIG_SEARCH_PATH_DEFAULT. Returns 0 or -ENOMEM. */
int config_search_path(char ***ret);

/* Machine-name rules: hostname-like (letters, digits, '-', '.'-separated labels), at most
 * CONTAINER_NAME_MAX chars, so never '/', "..", a leading '-' or '.'. "uid" and "mcs" are
 * reserved (lock directories under /run/berth). */
bool container_name_is_valid(const char *name);

/* Loads a container by NAME (NAME.container from the search path, the first directory that has
 * it wins, plus NAME.container.d/ *.conf drop-ins from every directory, merged by file name in
 * lexical order; a same-named drop-in in a higher-priority directory replaces lower ones), or by
 * PATH when name_or_path contains a '/' (that file, whose name must be NAME.container, plus
 * drop-ins in PATH.d/).
 *
 * Returns 0 and *ret; or a negative errno with *ret untouched and, when ret_errors is not NULL,
 * *ret_errors set to the complete error lines to print (at least one):
 *   -EINVAL   syntax or validation errors, every one as "FILE:LINE: [Section] Key=Value: message
 *             (expected ...)" (file-level problems as "FILE: message"),
 *   -ENOENT   no such container (the line says where it looked),
 *   -ERFKILL  the container is masked (empty file or symlink to /dev/null),
 *   other     -errno from reading the files (the line names the file).
 * No config is produced on any error. */
int config_load(const char *name_or_path, ContainerConfig **ret, char ***ret_errors);

/* The files config_load() would read, main file first, then drop-ins in application order
 * (for `berth cat`). Same return values as config_load() except that masked files are listed
 * rather than refused; -ENOENT when there is no main file. */
int config_find_files(const char *name_or_path, char **ret_main, char ***ret_dropins, char ***ret_errors);

/* True when path is masked: an empty file, or /dev/null (e.g. through a symlink). */
bool config_file_is_masked(const char *path);

/* Names of every NAME.container in the search path (each once, sorted), valid names only;
 * files with invalid names are returned in *ret_invalid as paths (may be NULL). */
int config_list_names(char ***ret, char ***ret_invalid);
/* What `berth verify` and `berth audit` check: each of args (a name, or a path; a bare
 * "web.container", or any bare argument with force_file, is a file in the current directory), or
 * with no args every container in the search path (config_list_names()). */
int config_targets(char *const *args, size_t n_args, bool force_file, char ***ret, char ***ret_invalid);
