/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* SHA-256 (FIPS 180-4) for verifying OCI blob digests.
 *
 * Why our own and not libcrypto: the design card fixes berth's libraries (libsystemd, libseccomp,
 * libcap, libselinux, libmount), and pulling OpenSSL into a root tool for one hash function adds a
 * large dependency for ~100 lines. The digest only checks integrity of data we then use (no key,
 * no secrets), so timing side channels do not matter; correctness is proven by the unit test
 * against the FIPS 180-4 vectors and against sha256sum(1) on random data. */

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_SIZE 32
#define SHA256_HEX_SIZE    (SHA256_DIGEST_SIZE * 2 + 1)

typedef struct Sha256 {
        uint32_t h[8];
        uint64_t length; /* bytes hashed so far */
        uint8_t buffer[64];
        size_t buffered;
} Sha256;

void sha256_init(Sha256 *s);
void sha256_update(Sha256 *s, const void *data, size_t size);
void sha256_final(Sha256 *s, uint8_t ret[SHA256_DIGEST_SIZE]);
/* Lower-case hex of the digest, NUL-terminated. */
void sha256_final_hex(Sha256 *s, char ret[SHA256_HEX_SIZE]);
