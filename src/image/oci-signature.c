/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "blob.h"
#include "oci-signature.h"
#include "oci.h"

#define SIG_JSON_MAX    (4u * 1024 * 1024) /* index.json, the signature manifest */
#define SIG_PAYLOAD_MAX (64u * 1024)       /* a simple-signing payload is a few hundred bytes */

static void json_putp(json_object **o)
{
        if (*o)
                json_object_put(*o);
}

static const char *json_str(json_object *o, const char *key)
{
        json_object *v;
        if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
                return NULL;
        return json_object_get_string(v);
}

/* Minimal descriptor (digest + size) for a blob named by cosign's JSON. */
static int descriptor_from_json(json_object *o, OciDescriptor *ret)
{
        const char *digest = json_str(o, "digest");
        json_object *size;

        if (!oci_digest_is_valid(digest) || !json_object_object_get_ex(o, "size", &size) ||
            !json_object_is_type(size, json_type_int) || json_object_get_int64(size) < 0)
                return -EBADMSG;
        *ret = (OciDescriptor){ .size = (uint64_t)json_object_get_int64(size) };
        ret->digest = strdup(digest);
        return ret->digest ? 0 : -ENOMEM;
}

static int index_read(ImportContext *ctx, int layout_fd, json_object **ret)
{
        _cleanup_close_ int fd = layout_open_file(layout_fd, "index.json", O_RDONLY | O_NONBLOCK);
        _cleanup_free_ char *text = NULL;
        struct stat st;
        ssize_t n;

        if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
                return import_error(ctx, -EBADMSG, "index.json cannot be read again for the signature");
        text = malloc(SIG_JSON_MAX + 1);
        if (!text)
                return -ENOMEM;
        n = read(fd, text, SIG_JSON_MAX + 1);
        if (n < 0 || (size_t)n > SIG_JSON_MAX)
                return import_error(ctx, -EBADMSG, "index.json cannot be read again for the signature");
        text[n] = 0;
        *ret = json_tokener_parse(text);
        if (!*ret || !json_object_is_type(*ret, json_type_object))
                return import_error(ctx, -EBADMSG, "index.json is not a JSON object");
        return 0;
}

/* Whether index entry m is a signature manifest for signed_digest (by kind, or by its tag). */
static bool entry_is_signature_for(json_object *m, const char *signed_digest)
{
        json_object *a;
        const char *kind, *ref;
        char tag[7 + 64 + 4 + 1];

        if (!oci_entry_is_cosign_artifact(m) || !json_object_object_get_ex(m, "annotations", &a))
                return false;
        kind = json_str(a, "kind");
        if (kind && streq(kind, "dev.cosignproject.cosign/sigs"))
                return true;
        ref = json_str(a, "org.opencontainers.image.ref.name");
        if (!ref)
                return false;
        ref = strrchr(ref, ':') ? strrchr(ref, ':') + 1 : ref;
        snprintf(tag, sizeof tag, "sha256-%s.sig", signed_digest + 7);
        return streq(ref, tag);
}

/* Checks one payload layer. 0 and *ret_signer on success; else ctx->error says which check failed. */
static int layer_check(ImportContext *ctx, int layout_fd, json_object *layer, const char *signed_digest,
                       const SigKey *keys, size_t n_keys, const SigKey **ret_signer)
{
        _cleanup_(oci_descriptor_done) OciDescriptor d = {};
        _cleanup_free_ char *payload = NULL, *named = NULL, *why = NULL;
        _cleanup_free_ uint8_t *sig = NULL;
        json_object *ann;
        const char *media = json_str(layer, "mediaType"), *b64;
        size_t sig_size;
        int r;

        if (!media || !streq(media, SIG_MEDIA_TYPE))
                return import_error(ctx, -EBADMSG, "signature layer has media type %s, not %s", strna(media),
                                    SIG_MEDIA_TYPE);
        if (descriptor_from_json(layer, &d) < 0)
                return import_error(ctx, -EBADMSG, "signature layer has no valid digest and size");
        if (!json_object_object_get_ex(layer, "annotations", &ann) || !(b64 = json_str(ann, SIG_ANNOTATION)))
                return import_error(ctx, -EBADMSG, "signature layer %s has no %s annotation", d.digest,
                                    SIG_ANNOTATION);
        r = sig_base64_decode(b64, strlen(b64), &sig, &sig_size);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return import_error(ctx, -EBADMSG, "signature on payload %s is not valid base64", d.digest);
        if (!sig_der_is_valid(sig, sig_size))
                return import_error(
                        ctx, -EBADMSG,
                        "signature on payload %s is not a DER ECDSA signature (truncated or corrupt)",
                        d.digest);
        r = blob_read_verified(ctx, layout_fd, &d, SIG_PAYLOAD_MAX, &payload);
        if (r < 0)
                return r;
        /* The signature over the raw bytes first: nothing unsigned is parsed. */
        for (size_t i = 0; i < n_keys && !*ret_signer; i++) {
                r = sig_verify(&keys[i], payload, (size_t)d.size, sig, sig_size);
                if (r == 0)
                        *ret_signer = &keys[i];
                else if (r != -EBADMSG)
                        return import_error(ctx, r, "cannot verify the signature on payload %s", d.digest);
        }
        if (!*ret_signer)
                return import_error(ctx, -EKEYREJECTED,
                                    "signature on payload %s does not verify with the trusted key%s %s%s",
                                    d.digest, n_keys > 1 ? "s" : "", keys[0].path,
                                    n_keys > 1 ? " (and others)" : "");
        r = sig_payload_parse(payload, (size_t)d.size, &named, &why);
        if (r < 0) {
                *ret_signer = NULL;
                return r == -ENOMEM ? r : import_error(ctx, r, "%s", strna(why));
        }
        if (!streq(named, signed_digest)) {
                *ret_signer = NULL;
                return import_error(ctx, -EKEYREJECTED,
                                    "signed payload names image %s, not the imported image %s", named,
                                    signed_digest);
        }
        return 0;
}

static int signature_config_check(ImportContext *ctx, int layout_fd, json_object *manifest,
                                  const char *digest)
{
        _cleanup_(oci_descriptor_done) OciDescriptor d = {};
        _cleanup_free_ char *text = NULL;
        json_object *c;

        if (!json_object_object_get_ex(manifest, "config", &c) || descriptor_from_json(c, &d) < 0)
                return import_error(ctx, -EBADMSG, "signature manifest %s has no valid config descriptor",
                                    digest);
        return blob_read_verified(ctx, layout_fd, &d, SIG_JSON_MAX, &text);
}

int oci_signature_check(ImportContext *ctx, int layout_fd, const char *signed_digest, const SigKey *keys,
                        size_t n_keys, const SigKey **ret_signer)
{
        _cleanup_(json_putp) json_object *index = NULL;
        json_object *manifests;
        bool found = false;
        int r, first_error = 0;
        _cleanup_free_ char *first_message = NULL;

        *ret_signer = NULL;
        r = index_read(ctx, layout_fd, &index);
        if (r < 0)
                return r;
        if (!json_object_object_get_ex(index, "manifests", &manifests) ||
            !json_object_is_type(manifests, json_type_array))
                return import_error(ctx, -EBADMSG, "index.json lists no manifests");

        for (size_t i = 0; i < json_object_array_length(manifests); i++) {
                json_object *m = json_object_array_get_idx(manifests, i), *root, *layers;
                _cleanup_(oci_descriptor_done) OciDescriptor d = {};
                _cleanup_free_ char *text = NULL;
                enum json_tokener_error jerr;

                if (!entry_is_signature_for(m, signed_digest))
                        continue;
                found = true;
                if (descriptor_from_json(m, &d) < 0) {
                        r = import_error(ctx, -EBADMSG,
                                         "index.json: signature manifest without a valid digest");
                        goto failed;
                }
                r = blob_read_verified(ctx, layout_fd, &d, SIG_JSON_MAX, &text);
                if (r < 0)
                        goto failed;
                root = json_tokener_parse_verbose(text, &jerr);
                if (!root || !json_object_is_type(root, json_type_object) ||
                    !json_object_object_get_ex(root, "layers", &layers) ||
                    !json_object_is_type(layers, json_type_array) || json_object_array_length(layers) == 0) {
                        if (root)
                                json_object_put(root);
                        r = import_error(ctx, -EBADMSG, "signature manifest %s has no layers", d.digest);
                        goto failed;
                }
                /* Its config is unused, but every blob the signature names must be intact too. */
                r = signature_config_check(ctx, layout_fd, root, d.digest);
                if (r < 0) {
                        json_object_put(root);
                        goto failed;
                }
                for (size_t j = 0; j < json_object_array_length(layers); j++) {
                        r = layer_check(ctx, layout_fd, json_object_array_get_idx(layers, j), signed_digest,
                                        keys, n_keys, ret_signer);
                        if (r == 0) {
                                json_object_put(root);
                                free(ctx->error);
                                ctx->error = NULL;
                                return 0;
                        }
                        if (r == -ENOMEM || r == -ECANCELED) {
                                json_object_put(root);
                                return r;
                        }
                        if (!first_message) {
                                first_error = r;
                                first_message = ctx->error ? strdup(ctx->error) : NULL;
                        }
                }
                json_object_put(root);
                continue;
        failed:
                if (r == -ENOMEM || r == -ECANCELED)
                        return r;
                if (!first_message) {
                        first_error = r;
                        first_message = ctx->error ? strdup(ctx->error) : NULL;
                }
        }
        if (!found)
                return import_error(ctx, -ENOENT, "no cosign signature for %s in the layout", signed_digest);
        /* Report the first failure: with one signature, the one check that failed. */
        return import_error(ctx, first_error, "%s", strna(first_message));
}
