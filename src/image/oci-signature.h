/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Finding and checking the cosign signature of an image in an OCI layout (issue 18).
 *
 * `cosign save` writes the signature manifest into index.json beside the image, annotated
 * "kind": "dev.cosignproject.cosign/sigs"; a registry copy tags it sha256-HEX.sig
 * (org.opencontainers.image.ref.name). Each of its layers is a simple-signing payload
 * (SIG_MEDIA_TYPE) with the base64 signature in the layer annotation SIG_ANNOTATION.
 *
 * The order of checks, each with its own error: signature manifest and payload blobs match their
 * digests; the annotation is base64 of a strict-DER ECDSA signature; it verifies over the payload's
 * raw bytes with a trusted key; only then is the payload parsed (strictly) and its
 * docker-manifest-digest must equal signed_digest. One layer passing all of them is enough. */

#include <stddef.h>

#include "import.h"
#include "signature.h"

/* 0 and *ret_signer (one of keys) when a signature verified; -ENOENT (ctx->error set) when the
 * layout holds no signature for the image; another -errno (ctx->error set) when one is bad. */
int oci_signature_check(ImportContext *ctx, int layout_fd, const char *signed_digest, const SigKey *keys,
                        size_t n_keys, const SigKey **ret_signer);
