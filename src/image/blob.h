/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* OCI content-addressed blobs (DIR/blobs/sha256/HEX). A blob is only ever used after its bytes
 * were hashed and matched the digest (and size) its descriptor promised; the bytes used are the
 * bytes hashed (a copy we own), so changing the file after the check changes nothing. */

#include <stddef.h>
#include <stdint.h>

#include "import.h"

typedef struct OciDescriptor {
        char *media_type;
        char *digest; /* "sha256:" + 64 lower-case hex digits, checked by oci_digest_is_valid() */
        uint64_t size;
} OciDescriptor;

void oci_descriptor_done(OciDescriptor *d);
bool oci_digest_is_valid(const char *digest);

/* Reads a small blob (a manifest, a config) into memory, NUL-terminated; refuses blobs larger
 * than max. */
int blob_read_verified(ImportContext *ctx, int layout_fd, const OciDescriptor *d, size_t max,
                       char **ret_data);
/* Copies a blob into dest_fd, counting progress; dest_fd holds verified bytes on success. */
int blob_copy_verified(ImportContext *ctx, int layout_fd, const OciDescriptor *d, int dest_fd);

/* Opens path below layout_fd (flags plus O_CLOEXEC|O_NOCTTY) refusing symlinks in any component
 * and anything outside the layout (RESOLVE_BENEATH|RESOLVE_NO_SYMLINKS): -ELOOP, -EXDEV. */
int layout_open_file(int layout_fd, const char *path, int flags);
