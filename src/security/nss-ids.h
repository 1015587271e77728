/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The host's NSS users and groups whose IDs fall inside an ID area, enumerated once and cached
 * while the sources NSS reads them from are provably unchanged. */

#include <stddef.h>
#include <stdint.h>

/* Name of the cache file in the directory given to nss_ids_in_area(). */
#define NSS_IDS_CACHE_NAME "nss-ids.cache"

/* The sorted IDs of all NSS users (uid) and groups (gid) in [lo, hi). With cache_dir_fd >= 0,
 * a cache in cache_dir_fd/NSS_IDS_CACHE_NAME answers when its key (stat data of nsswitch.conf,
 * /etc/passwd, /etc/group and systemd's userdb places) still matches; the caller serializes
 * writers (the uid/ directory lock). Returns 0 or -errno; *ret_v is freed by the caller. */
int nss_ids_in_area(int cache_dir_fd, uint32_t lo, uint64_t hi, uint32_t **ret_v, size_t *ret_n);
