/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The OCI fuzz target (fuzz-oci.c), shared with its corpus replay (test-fuzz-corpus-oci.c). */

#include <stddef.h>
#include <stdint.h>

typedef enum FuzzOciStage {
        FUZZ_OCI_REFUSED,         /* oci_image_load() refused the layout */
        FUZZ_OCI_NO_STARTER,      /* loaded, but the starter config could not express it */
        FUZZ_OCI_STARTER_REFUSED, /* the starter config was written and config_load() refused it */
        FUZZ_OCI_ROUND_TRIP,      /* the starter config loaded and says exactly what the image said */
} FuzzOciStage;

/* How far the last input got. */
extern FuzzOciStage fuzz_oci_stage;

/* The cosign signature check of a loaded image (issue 18), with fuzz-sig-test-key.pem's public
 * key trusted. */
typedef enum FuzzOciSignature {
        FUZZ_OCI_SIG_NONE,     /* not loaded, or no signature manifest for the image */
        FUZZ_OCI_SIG_REFUSED,  /* a signature was there and some check failed */
        FUZZ_OCI_SIG_VERIFIED, /* verified, and its payload names the image */
} FuzzOciSignature;
extern FuzzOciSignature fuzz_oci_signature;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
