/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Compiled seccomp filters cached across starts: STATE_DIR/seccomp/KEY.bpf, KEY the hex SHA-256
 * of everything that decides the filter (seccomp.c computes it). The directory is 0700 and the
 * files 0600, both owned by us (root); a file that is not, or that fails any check, is ignored
 * and the filter compiled again. A file is written whole and renamed into place, so a reader
 * never sees half of one. Nothing removes entries: there is one per distinct filter, a few KiB
 * each, and /run is emptied at boot.
 *
 * File: a header (magic "BERTHBPF", format version, number of programs, the key, SHA-256 of the
 * rest), then per program its flags, no_new_privs and length, then its instructions. */

#include <stdint.h>

#include "seccomp-filter.h"
#include "sha256.h"

#define SECCOMP_CACHE_DIR "seccomp"

/* Fills ret from the entry for key: -ENOENT when there is none, -EPERM when its owner or mode
 * (or the directory's) is wrong, -EBADMSG when it is malformed or corrupt. ret is untouched on
 * failure. */
int seccomp_cache_read(const char *state_dir, const uint8_t key[SHA256_DIGEST_SIZE], SeccompBpf *ret);

/* Stores b as the entry for key, replacing any. */
int seccomp_cache_write(const char *state_dir, const uint8_t key[SHA256_DIGEST_SIZE], const SeccompBpf *b);
