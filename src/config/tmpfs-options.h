/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* TemporaryFileSystem= options: the one table that berth verify (keys.c) checks against and the
 * launch (src/launch/binds.c) mounts with. Flags (ro, nosuid, noatime...) are mount attributes
 * given to fsmount(); keyed options (mode=, size=...) are tmpfs's own and go to fsconfig(). */

#include <stdbool.h>

#define TMPFS_DEFAULT_OPTIONS "mode=0755"

/* Whether o is one option (no comma) of the table, with a well-formed value. */
bool tmpfs_option_is_valid(const char *o);
/* "mode=, size=, ..., strictatime, comma-separated": every option, for error messages. */
const char *tmpfs_options_expected(void);
/* Splits options (NULL: TMPFS_DEFAULT_OPTIONS) into MOUNT_ATTR_* flags, starting from nosuid and
 * nodev, and the NULL-terminated tmpfs options. -EINVAL when an option is not in the table. */
int tmpfs_options_split(const char *options, unsigned *ret_attr, char ***ret_data);
