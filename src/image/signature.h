/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Cosign key-based signatures, verified offline with OpenSSL's libcrypto (issue 18).
 *
 * The scheme: ECDSA over NIST P-256 with SHA-256, signature DER-encoded (X9.62 ECDSA-Sig-Value)
 * and base64-encoded (RFC 4648, padded). Public keys are PEM "PUBLIC KEY" (SubjectPublicKeyInfo),
 * what `cosign generate-key-pair` writes to cosign.pub; any other key type or curve is refused.
 * A key is named by its fingerprint: "sha256:" + hex of sha256 over the DER SubjectPublicKeyInfo
 * (the same value `openssl pkey -pubin -outform DER | sha256sum` prints).
 *
 * What is signed:
 *   OCI images: the "simple signing" payload (a JSON blob, the layer of the manifest cosign tags
 *     sha256-HEX.sig); ECDSA-SHA256 over the payload's exact bytes. The payload is parsed only
 *     after its signature verified, strictly, and must name the imported manifest's digest.
 *   Tarballs: ECDSA-SHA256 over the tarball's bytes (what `cosign sign-blob --key` and
 *     `openssl dgst -sha256 -sign` produce); the signature, base64, in TARBALL.sig. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SIG_FINGERPRINT_SIZE (7 + 64 + 1) /* "sha256:" + hex + NUL */
#define SIG_PAYLOAD_TYPE     "cosign container image signature"
#define SIG_ANNOTATION       "dev.cosignproject.cosign/signature"
#define SIG_MEDIA_TYPE       "application/vnd.dev.cosign.simplesigning.v1+json"
#define SIG_FILE_MAX         (64u * 1024) /* a detached signature file, base64 */

typedef struct SigKey {
        char *path;
        void *pkey; /* EVP_PKEY */
        char fingerprint[SIG_FINGERPRINT_SIZE];
} SigKey;

void sig_key_done(SigKey *k);
/* Loads a PEM public key; refuses anything but ECDSA P-256. On failure *ret_error says why. */
int sig_key_load(const char *path, SigKey *ret, char **ret_error);

/* Strict base64 (padded, no whitespace except one trailing newline). -EBADMSG when malformed. */
int sig_base64_decode(const char *text, size_t len, uint8_t **ret, size_t *ret_size);

/* Whether sig is a well-formed DER ECDSA-Sig-Value (strict DER, nothing trailing). */
bool sig_der_is_valid(const uint8_t *sig, size_t size);

/* 0 when sig (DER) verifies over data with key; -EBADMSG when it does not. */
int sig_verify(const SigKey *key, const void *data, size_t size, const uint8_t *sig, size_t sig_size);

/* Streaming verification of a file: begin, update with every byte, end. */
typedef struct SigStream {
        void *md; /* EVP_MD_CTX */
} SigStream;
int sig_stream_begin(SigStream *s, const SigKey *key);
int sig_stream_update(SigStream *s, const void *data, size_t size);
int sig_stream_end(SigStream *s, const uint8_t *sig, size_t sig_size); /* 0 or -EBADMSG */
void sig_stream_done(SigStream *s);

/* Parses a simple-signing payload strictly: an object with exactly "critical" and optionally
 * "optional" (object or null); "critical" with exactly "identity" (object with a string
 * "docker-reference"), "image" (exactly a valid "docker-manifest-digest") and "type" equal to
 * SIG_PAYLOAD_TYPE. Returns the digest, or -EBADMSG with *ret_error saying which rule failed. */
int sig_payload_parse(const char *payload, size_t size, char **ret_digest, char **ret_error);
