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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
