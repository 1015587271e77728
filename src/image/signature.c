/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Signature checks with libcrypto: the library made for it. berth's own sha256.c hashes blobs;
 * anything involving a public key goes through OpenSSL, never hand-written code. */
#include <errno.h>
#include <json-c/json.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <string.h>

#include "blob.h"
#include "sha256.h"
#include "signature.h"

void sig_key_done(SigKey *k)
{
        free(k->path);
        EVP_PKEY_free(k->pkey);
        *k = (SigKey){};
}

static int set_error(char **ret_error, const char *fmt, ...) _printf_(2, 3);
static int set_error(char **ret_error, const char *fmt, ...)
{
        va_list ap;
        char *s = NULL;

        va_start(ap, fmt);
        if (vasprintf(&s, fmt, ap) < 0)
                s = NULL;
        va_end(ap);
        free(*ret_error);
        *ret_error = s;
        return s ? -EBADMSG : -ENOMEM;
}

int sig_key_load(const char *path, SigKey *ret, char **ret_error)
{
        _cleanup_(sig_key_done) SigKey k = {};
        unsigned char *der = NULL;
        char group[64] = "";
        size_t group_len = 0;
        uint8_t digest[SHA256_DIGEST_SIZE];
        Sha256 h;
        FILE *f;
        int len;

        f = fopen(path, "re");
        if (!f) {
                int r = negative_errno();
                set_error(ret_error, "cannot open key %s: %s", path, strerror(-r));
                return r;
        }
        k.pkey = PEM_read_PUBKEY(f, NULL, NULL, NULL);
        fclose(f);
        if (!k.pkey)
                return set_error(ret_error, "key %s is not a PEM public key (-----BEGIN PUBLIC KEY-----)",
                                 path);
        if (EVP_PKEY_get_base_id(k.pkey) != EVP_PKEY_EC) {
                int id = EVP_PKEY_get_base_id(k.pkey);
                return set_error(ret_error,
                                 "key %s is %s key, not ECDSA P-256 (the only scheme berth verifies)", path,
                                 id == EVP_PKEY_RSA       ? "an RSA"
                                 : id == EVP_PKEY_ED25519 ? "an Ed25519"
                                                          : "a non-ECDSA");
        }
        if (EVP_PKEY_get_utf8_string_param(k.pkey, "group", group, sizeof group, &group_len) != 1 ||
            !streq(group, "prime256v1"))
                return set_error(ret_error,
                                 "key %s is ECDSA on %s, not P-256 (the only curve berth verifies)", path,
                                 group[0] ? group : "an unnamed curve");
        len = i2d_PUBKEY(k.pkey, &der);
        if (len <= 0)
                return set_error(ret_error, "cannot encode key %s", path);
        sha256_init(&h);
        sha256_update(&h, der, (size_t)len);
        OPENSSL_free(der);
        sha256_final(&h, digest);
        memcpy(k.fingerprint, "sha256:", 7);
        for (size_t i = 0; i < SHA256_DIGEST_SIZE; i++)
                snprintf(k.fingerprint + 7 + 2 * i, 3, "%02x", digest[i]);
        k.path = strdup(path);
        if (!k.path)
                return -ENOMEM;
        *ret = k;
        k = (SigKey){};
        return 0;
}

static int b64_value(char c)
{
        if (c >= 'A' && c <= 'Z')
                return c - 'A';
        if (c >= 'a' && c <= 'z')
                return c - 'a' + 26;
        if (c >= '0' && c <= '9')
                return c - '0' + 52;
        if (c == '+')
                return 62;
        if (c == '/')
                return 63;
        return -1;
}

int sig_base64_decode(const char *text, size_t len, uint8_t **ret, size_t *ret_size)
{
        _cleanup_free_ uint8_t *out = NULL;
        size_t n = 0, pad = 0;

        if (len > 0 && text[len - 1] == '\n')
                len--;
        if (len == 0 || len % 4 != 0)
                return -EBADMSG;
        if (text[len - 1] == '=')
                pad = text[len - 2] == '=' ? 2 : 1;
        out = malloc(len / 4 * 3);
        if (!out)
                return -ENOMEM;
        for (size_t i = 0; i < len; i += 4) {
                int v[4];
                for (size_t j = 0; j < 4; j++) {
                        bool padding = i + 4 == len && j >= 4 - pad;
                        v[j] = padding ? (text[i + j] == '=' ? 0 : -1) : b64_value(text[i + j]);
                        if (v[j] < 0)
                                return -EBADMSG;
                }
                uint32_t w =
                        (uint32_t)v[0] << 18 | (uint32_t)v[1] << 12 | (uint32_t)v[2] << 6 | (uint32_t)v[3];
                out[n++] = w >> 16;
                out[n++] = (w >> 8) & 0xff;
                out[n++] = w & 0xff;
        }
        n -= pad;
        *ret = TAKE_PTR(out);
        *ret_size = n;
        return 0;
}

bool sig_der_is_valid(const uint8_t *sig, size_t size)
{
        const unsigned char *p = sig;
        unsigned char *again = NULL;
        ECDSA_SIG *s;
        int len;
        bool ok;

        if (size == 0 || size > 256)
                return false;
        s = d2i_ECDSA_SIG(NULL, &p, (long)size);
        if (!s)
                return false;
        /* Strict DER: the parse consumed everything and re-encoding gives the same bytes. */
        len = i2d_ECDSA_SIG(s, &again);
        ok = p == sig + size && len == (int)size && memcmp(again, sig, size) == 0;
        OPENSSL_free(again);
        ECDSA_SIG_free(s);
        return ok;
}

int sig_stream_begin(SigStream *s, const SigKey *key)
{
        s->md = EVP_MD_CTX_new();
        if (!s->md)
                return -ENOMEM;
        if (EVP_DigestVerifyInit(s->md, NULL, EVP_sha256(), NULL, key->pkey) != 1)
                return -EINVAL;
        return 0;
}

int sig_stream_update(SigStream *s, const void *data, size_t size)
{
        return EVP_DigestVerifyUpdate(s->md, data, size) == 1 ? 0 : -EINVAL;
}

int sig_stream_end(SigStream *s, const uint8_t *sig, size_t sig_size)
{
        if (!sig_der_is_valid(sig, sig_size))
                return -EBADMSG;
        return EVP_DigestVerifyFinal(s->md, sig, sig_size) == 1 ? 0 : -EBADMSG;
}

void sig_stream_done(SigStream *s)
{
        EVP_MD_CTX_free(s->md);
        s->md = NULL;
}

int sig_verify(const SigKey *key, const void *data, size_t size, const uint8_t *sig, size_t sig_size)
{
        _cleanup_(sig_stream_done) SigStream s = {};
        int r;

        r = sig_stream_begin(&s, key);
        if (r < 0)
                return r;
        r = sig_stream_update(&s, data, size);
        if (r < 0)
                return r;
        return sig_stream_end(&s, sig, sig_size);
}

/* Every key of o is one of the NULL-terminated allowed; otherwise the first other one. */
static const char *json_unknown_key(json_object *o, const char *const *allowed)
{
        json_object_object_foreach(o, key, value)
        {
                bool ok = false;
                (void)value;
                for (size_t i = 0; allowed[i]; i++)
                        ok = ok || streq(key, allowed[i]);
                if (!ok)
                        return key;
        }
        return NULL;
}

static json_object *json_member(json_object *o, const char *key, json_type type)
{
        json_object *v;
        if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, type))
                return NULL;
        return v;
}

int sig_payload_parse(const char *payload, size_t size, char **ret_digest, char **ret_error)
{
        static const char *const top_keys[] = { "critical", "optional", NULL };
        static const char *const critical_keys[] = { "identity", "image", "type", NULL };
        static const char *const image_keys[] = { "docker-manifest-digest", NULL };
        json_tokener *tok;
        json_object *root, *critical, *identity, *image, *type, *digest, *opt, *ref;
        enum json_tokener_error jerr;
        const char *bad;
        int r = -EBADMSG;

        if (memchr(payload, 0, size))
                return set_error(ret_error, "signature payload contains a NUL byte");
        tok = json_tokener_new();
        if (!tok)
                return -ENOMEM;
        json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
        root = json_tokener_parse_ex(tok, payload, (int)size);
        jerr = json_tokener_get_error(tok);
        if (root && (jerr != json_tokener_success || json_tokener_get_parse_end(tok) != size))
                jerr = json_tokener_error_parse_eof;
        json_tokener_free(tok);
        if (!root || jerr != json_tokener_success) {
                set_error(ret_error, "signature payload is not valid JSON");
                goto finish;
        }
        if (!json_object_is_type(root, json_type_object)) {
                set_error(ret_error, "signature payload is not a JSON object");
                goto finish;
        }
        if ((bad = json_unknown_key(root, top_keys))) {
                set_error(ret_error, "signature payload has an unknown field \"%s\"", bad);
                goto finish;
        }
        if (json_object_object_get_ex(root, "optional", &opt) && !json_object_is_type(opt, json_type_null) &&
            !json_object_is_type(opt, json_type_object)) {
                set_error(ret_error, "signature payload: \"optional\" is not an object");
                goto finish;
        }
        critical = json_member(root, "critical", json_type_object);
        if (!critical) {
                set_error(ret_error, "signature payload has no \"critical\" object");
                goto finish;
        }
        if ((bad = json_unknown_key(critical, critical_keys))) {
                set_error(ret_error, "signature payload has an unknown field \"critical.%s\"", bad);
                goto finish;
        }
        type = json_member(critical, "type", json_type_string);
        if (!type || !streq(json_object_get_string(type), SIG_PAYLOAD_TYPE)) {
                set_error(ret_error, "signature payload: critical.type is not \"%s\"", SIG_PAYLOAD_TYPE);
                goto finish;
        }
        identity = json_member(critical, "identity", json_type_object);
        ref = identity ? json_member(identity, "docker-reference", json_type_string) : NULL;
        if (!identity || !ref || json_object_object_length(identity) != 1) {
                set_error(ret_error, "signature payload: critical.identity is not an object with only a "
                                     "docker-reference string");
                goto finish;
        }
        image = json_member(critical, "image", json_type_object);
        if (!image || (bad = json_unknown_key(image, image_keys))) {
                set_error(ret_error, "signature payload: critical.image is not an object with only "
                                     "docker-manifest-digest");
                goto finish;
        }
        digest = json_member(image, "docker-manifest-digest", json_type_string);
        if (!digest || !oci_digest_is_valid(json_object_get_string(digest))) {
                set_error(ret_error,
                          "signature payload: critical.image.docker-manifest-digest is missing or not a "
                          "sha256 digest");
                goto finish;
        }
        *ret_digest = strdup(json_object_get_string(digest));
        r = *ret_digest ? 0 : -ENOMEM;
finish:
        if (root)
                json_object_put(root);
        return r;
}
