/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Reading an OCI image layout (https://github.com/opencontainers/image-spec, layout.md):
 * oci-layout, index.json -> image manifest -> config + layers. Every blob read here is
 * digest-verified first (blob.h). */

#include "blob.h"
#include "import.h"

typedef struct OciImage {
        char *manifest_digest;
        char *index_digest;    /* what index.json names: the manifest, or an image index above it */
        OciDescriptor *layers; /* in the order they apply, lowest first */
        size_t n_layers;
        /* From the image config's "config" object; NULL when absent. */
        char **entrypoint;
        char **cmd;
        char **env;
        char *working_dir;
        char *user;
} OciImage;

void oci_image_done(OciImage *img);
int oci_image_load(ImportContext *ctx, int layout_fd, OciImage *ret);

/* Whether an index.json entry (a json_object) is a cosign signature or attestation. */
struct json_object;
bool oci_entry_is_cosign_artifact(struct json_object *entry);
