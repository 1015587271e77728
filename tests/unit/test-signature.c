/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* src/image/signature.c: strict base64, strict DER, and the simple-signing payload rules (each
 * refusal with its own reason). Keys and ECDSA verification are exercised end to end, with
 * openssl-minted keys, by tests/integration/image/test-import-signature.sh. */
#include <stdlib.h>
#include <string.h>

#include "signature.h"
#include "test.h"

#define DIGEST "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static void test_base64(void)
{
        uint8_t *out = NULL;
        size_t n = 0;

        CHECK(sig_base64_decode("aGVsbG8=", 8, &out, &n) == 0 && n == 5 && memcmp(out, "hello", 5) == 0,
              "base64: padded text decodes");
        free(out);
        out = NULL;
        CHECK(sig_base64_decode("aGVsbG8=\n", 9, &out, &n) == 0 && n == 5,
              "base64: one trailing newline is allowed");
        free(out);
        out = NULL;
        CHECK(sig_base64_decode("aGVsbG8", 7, &out, &n) == -EBADMSG, "base64: unpadded is refused");
        CHECK(sig_base64_decode("aGVs bG8=", 9, &out, &n) == -EBADMSG, "base64: inner space is refused");
        CHECK(sig_base64_decode("aGVsbG=8", 8, &out, &n) == -EBADMSG, "base64: '=' inside is refused");
        CHECK(sig_base64_decode("", 0, &out, &n) == -EBADMSG, "base64: empty is refused");
        CHECK(sig_base64_decode("aGVs\n\n", 6, &out, &n) == -EBADMSG, "base64: two newlines are refused");
}

static void test_der(void)
{
        /* SEQUENCE { INTEGER 1, INTEGER 2 } */
        static const uint8_t ok[] = { 0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x02 };
        static const uint8_t trailing[] = { 0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x02, 0x00 };
        static const uint8_t longform[] = { 0x30, 0x81, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x02 };

        CHECK(sig_der_is_valid(ok, sizeof ok), "DER: a minimal ECDSA-Sig-Value is well-formed");
        CHECK(!sig_der_is_valid(ok, sizeof ok - 1), "DER: truncated is refused");
        CHECK(!sig_der_is_valid(trailing, sizeof trailing), "DER: trailing bytes are refused");
        CHECK(!sig_der_is_valid(longform, sizeof longform), "DER: a non-minimal length (BER) is refused");
        CHECK(!sig_der_is_valid(ok, 0), "DER: empty is refused");
}

static void payload(const char *text, const char *expect_digest, const char *expect_error)
{
        char *digest = NULL, *error = NULL;
        int r = sig_payload_parse(text, strlen(text), &digest, &error);

        if (expect_digest)
                CHECK(r == 0 && digest && strcmp(digest, expect_digest) == 0, "payload accepted: %s", text);
        else
                CHECK(r == -EBADMSG && error && strstr(error, expect_error),
                      "payload refused (%s): %s -> %s", expect_error, text, error ? error : "(accepted)");
        free(digest);
        free(error);
}

#define CRIT_OK(extra)                                                                                      \
        "{\"critical\":{\"identity\":{\"docker-reference\":\"r\"},\"image\":{\"docker-manifest-digest\":"   \
        "\"" DIGEST "\"},\"type\":\"cosign container image signature\"" extra "}"

int main(void)
{
        test_base64();
        test_der();
        payload(CRIT_OK("") ",\"optional\":null}", DIGEST, NULL);
        payload(CRIT_OK("") ",\"optional\":{\"creator\":\"x\"}}", DIGEST, NULL);
        payload(CRIT_OK("") "}", DIGEST, NULL);
        payload(CRIT_OK("") ",\"evil\":1}", NULL, "unknown field \"evil\"");
        payload(CRIT_OK(",\"evil\":1") "}", NULL, "unknown field \"critical.evil\"");
        payload(CRIT_OK("") ",\"optional\":[]}", NULL, "\"optional\" is not an object");
        payload(CRIT_OK("") "}\n", DIGEST, NULL); /* JSON allows whitespace after the value */
        payload(CRIT_OK("") "}{}", NULL, "not valid JSON");
        payload("[]", NULL, "not a JSON object");
        payload("{}", NULL, "no \"critical\" object");
        payload("{\"critical\":{\"identity\":{\"docker-reference\":\"r\"},\"image\":{\"docker-manifest-"
                "digest\":\"" DIGEST "\"},\"type\":\"atomic container signature\"}}",
                NULL, "critical.type is not");
        payload("{\"critical\":{\"identity\":{},\"image\":{\"docker-manifest-digest\":\"" DIGEST
                "\"},\"type\":\"cosign container image signature\"}}",
                NULL, "critical.identity");
        payload("{\"critical\":{\"identity\":{\"docker-reference\":\"r\"},\"image\":{\"docker-manifest-"
                "digest\":\"" DIGEST "\",\"x\":1},\"type\":\"cosign container image signature\"}}",
                NULL, "critical.image is not");
        payload("{\"critical\":{\"identity\":{\"docker-reference\":\"r\"},\"image\":{\"docker-manifest-"
                "digest\":"
                "\"sha512:00\"},\"type\":\"cosign container image signature\"}}",
                NULL, "not a sha256 digest");
        payload("{\"critical\":{\"identity\":{\"docker-reference\":\"r\"},\"image\":{\"docker-manifest-"
                "digest\":"
                "\"sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef\"},\"type\":"
                "\"cosign "
                "container image signature\"}}",
                NULL, "not a sha256 digest");
        return test_done();
}
