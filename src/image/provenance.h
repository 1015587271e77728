/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Where an imported image came from (issue 18): IMAGE_DIR/.images/NAME, written by berth import
 * next to (never inside) the root IMAGE_DIR/NAME the container owns, read by `berth images`,
 * `berth rm-image` and `berth status`. Text, one Key=Value a line:
 *   Digest=sha256:HEX      the OCI manifest (or index) digest, or the tarball's sha256 when its
 *                          signature was checked; absent otherwise
 *   SignedBy=sha256:HEX    fingerprint of the key that verified it (sha256 of its DER
 *                          SubjectPublicKeyInfo); absent when unsigned
 *   Key=PATH               that key's file
 *   Imported=SECONDS       Unix time of the import
 *   Size=BYTES             what the import unpacked
 *   Source=PATH            the tarball or layout (absent when it has control characters) */

#include <stdint.h>

#define PROVENANCE_DIR ".images"

typedef struct ImageProvenance {
        char *digest;
        char *signed_by;
        char *key;
        char *source;
        uint64_t imported; /* seconds */
        uint64_t size;
} ImageProvenance;

void image_provenance_done(ImageProvenance *p);
int image_provenance_path(const char *image_dir, const char *name, char **ret);
int image_provenance_format(const ImageProvenance *p, char **ret);
/* -ENOENT when the image has no record (imported before issue 18, or not by berth). */
int image_provenance_read(const char *image_dir, const char *name, ImageProvenance *ret);

/* $BERTH_IMAGE_DIR or /var/lib/berth (the same rule as berth import's image_dir_get()). */
const char *image_provenance_dir(void);
/* When root is IMAGE_DIR/NAME (an imported image): *ret_name and its record (ret may be NULL).
 * -ENOENT when root is not an image or the image has no record. */
int image_provenance_for_root(const char *root, char **ret_name, ImageProvenance *ret);
