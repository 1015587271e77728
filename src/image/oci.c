/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* JSON is parsed with json-c: the manifests come from outside, and a hand-written parser for
 * hostile input is exactly the code berth should not carry. */
#include <fcntl.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "oci.h"
#include "strv.h"

#define JSON_BLOB_MAX     (4u * 1024 * 1024)
#define MEDIA_INDEX       "application/vnd.oci.image.index.v1+json"
#define MEDIA_MANIFEST    "application/vnd.oci.image.manifest.v1+json"
#define MEDIA_DOCKER_LIST "application/vnd.docker.distribution.manifest.list.v2+json"
#define MEDIA_DOCKER_MANI "application/vnd.docker.distribution.manifest.v2+json"

/* Whether a possibly NULL string equals a literal. */
static bool str_is(const char *s, const char *literal)
{
        return s && streq(s, literal);
}

static inline void json_object_putp(json_object **o)
{
        if (*o)
                json_object_put(*o);
}
#define _cleanup_json_ _cleanup_(json_object_putp)

/* Layer media types berth can unpack (all are tar, optionally compressed). */
static const char *const layer_media_types[] = {
        "application/vnd.oci.image.layer.v1.tar",
        "application/vnd.oci.image.layer.v1.tar+gzip",
        "application/vnd.oci.image.layer.v1.tar+zstd",
        "application/vnd.oci.image.layer.nondistributable.v1.tar",
        "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
        "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd",
        "application/vnd.docker.image.rootfs.diff.tar.gzip",
        NULL,
};

void oci_image_done(OciImage *img)
{
        free(img->manifest_digest);
        free(img->index_digest);
        for (size_t i = 0; i < img->n_layers; i++)
                oci_descriptor_done(&img->layers[i]);
        free(img->layers);
        strv_free(img->entrypoint);
        strv_free(img->cmd);
        strv_free(img->env);
        free(img->working_dir);
        free(img->user);
        *img = (OciImage){};
}

static int json_parse(ImportContext *ctx, const char *what, const char *text, json_object **ret)
{
        enum json_tokener_error jerr;
        json_object *o = json_tokener_parse_verbose(text, &jerr);
        if (!o)
                return import_error(ctx, -EBADMSG, "%s is not valid JSON: %s", what,
                                    json_tokener_error_desc(jerr));
        if (!json_object_is_type(o, json_type_object)) {
                json_object_put(o);
                return import_error(ctx, -EBADMSG, "%s is not a JSON object", what);
        }
        *ret = o;
        return 0;
}

static const char *json_string_get(json_object *o, const char *key)
{
        json_object *v;
        if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
                return NULL;
        return json_object_get_string(v);
}

static int descriptor_parse(ImportContext *ctx, const char *what, json_object *o, OciDescriptor *ret)
{
        const char *digest = json_string_get(o, "digest"), *media = json_string_get(o, "mediaType");
        json_object *size;

        if (!json_object_object_get_ex(o, "size", &size) || !json_object_is_type(size, json_type_int) ||
            json_object_get_int64(size) < 0)
                return import_error(ctx, -EBADMSG, "%s: descriptor without a valid size", what);
        if (!oci_digest_is_valid(digest))
                return import_error(ctx, -EBADMSG,
                                    "%s: unsupported or malformed digest '%s' (berth verifies sha256)", what,
                                    strna(digest));
        *ret = (OciDescriptor){ .size = (uint64_t)json_object_get_int64(size) };
        ret->digest = strdup(digest);
        ret->media_type = media ? strdup(media) : NULL;
        if (!ret->digest || (media && !ret->media_type)) {
                oci_descriptor_done(ret);
                return -ENOMEM;
        }
        return 0;
}

static const char *host_oci_architecture(void)
{
#if defined(__x86_64__)
        return "amd64";
#elif defined(__aarch64__)
        return "arm64";
#elif defined(__i386__)
        return "386";
#elif defined(__powerpc64__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        return "ppc64le";
#elif defined(__s390x__)
        return "s390x";
#else
        return NULL;
#endif
}

/* An index entry cosign wrote for a signature or attestation: `cosign save` marks them with the
 * annotation "kind", a registry copy tags them sha256-HEX.sig / .att. */
bool oci_entry_is_cosign_artifact(json_object *m)
{
        json_object *a;
        const char *kind, *ref;
        size_t l;

        if (!json_object_object_get_ex(m, "annotations", &a) || !json_object_is_type(a, json_type_object))
                return false;
        kind = json_string_get(a, "kind");
        if (str_is(kind, "dev.cosignproject.cosign/sigs") || str_is(kind, "dev.cosignproject.cosign/atts"))
                return true;
        ref = json_string_get(a, "org.opencontainers.image.ref.name");
        if (!ref || (l = strlen(ref)) < 4)
                return false;
        ref = strrchr(ref, ':') ? strrchr(ref, ':') + 1 : ref;
        l = strlen(ref);
        return strneq(ref, "sha256-", 7) && l > 4 &&
               (streq(ref + l - 4, ".sig") || streq(ref + l - 4, ".att"));
}

#define OCI_REF_NAME "org.opencontainers.image.ref.name"

/* A manifest's tag (its org.opencontainers.image.ref.name annotation), or NULL. */
static const char *manifest_tag(json_object *m)
{
        json_object *annotations;

        if (!json_object_object_get_ex(m, "annotations", &annotations) ||
            !json_object_is_type(annotations, json_type_object))
                return NULL;
        return json_string_get(annotations, OCI_REF_NAME);
}

/* The tags of an index, for an error message: the layout's text goes to a terminal, so only
 * what the OCI grammar for a tag allows is shown, and not without end. */
static char *index_tags(json_object *manifests)
{
        _cleanup_free_ char *text = NULL;
        size_t size = 0, shown = 0;
        FILE *f = open_memstream(&text, &size);

        if (!f)
                return NULL;
        for (size_t i = 0; i < json_object_array_length(manifests); i++) {
                json_object *m = json_object_array_get_idx(manifests, i);
                const char *t = manifest_tag(m);
                if (!t || oci_entry_is_cosign_artifact(m))
                        continue;
                if (shown == 8) {
                        fputs(", ...", f);
                        break;
                }
                bool plain =
                        !isempty(t) && strlen(t) <= 128 &&
                        strspn(t, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-:/@") ==
                                strlen(t);
                fprintf(f, "%s%s", shown++ ? ", " : "", plain ? t : "(a tag with other characters)");
        }
        if (fclose(f) != 0)
                return NULL;
        if (shown == 0)
                return strdup("none"); /* text is freed on return */
        return TAKE_PTR(text);
}

/* From an index's "manifests": the one tagged tag when it is not NULL, else the one for linux on
 * this architecture (or the only one). */
static int index_pick(ImportContext *ctx, const char *what, json_object *index, const char *tag,
                      OciDescriptor *ret)
{
        json_object *manifests, *chosen = NULL;
        size_t n;

        size_t n_images = 0;

        if (!json_object_object_get_ex(index, "manifests", &manifests) ||
            !json_object_is_type(manifests, json_type_array) ||
            (n = json_object_array_length(manifests)) == 0)
                return import_error(ctx, -EBADMSG, "%s lists no manifests", what);
        if (tag) {
                for (size_t i = 0; !chosen && i < n; i++) {
                        json_object *m = json_object_array_get_idx(manifests, i);
                        if (!oci_entry_is_cosign_artifact(m) && str_is(manifest_tag(m), tag))
                                chosen = m;
                }
                if (!chosen) {
                        _cleanup_free_ char *tags = index_tags(manifests);
                        return import_error(ctx, -ENOENT,
                                            "%s has no manifest tagged \"%s\" (%s); its tags: %s", what, tag,
                                            OCI_REF_NAME, strna(tags));
                }
                return descriptor_parse(ctx, what, chosen, ret);
        }
        /* Signatures and attestations cosign saves beside the image are not candidates. */
        for (size_t i = 0; i < n; i++)
                if (!oci_entry_is_cosign_artifact(json_object_array_get_idx(manifests, i))) {
                        n_images++;
                        chosen = json_object_array_get_idx(manifests, i);
                }
        if (n_images != 1)
                chosen = NULL;
        for (size_t i = 0; !chosen && i < n; i++) {
                json_object *m = json_object_array_get_idx(manifests, i), *platform;
                if (oci_entry_is_cosign_artifact(m))
                        continue;
                if (json_object_object_get_ex(m, "platform", &platform) &&
                    str_is(json_string_get(platform, "os"), "linux") &&
                    str_is(json_string_get(platform, "architecture"), host_oci_architecture()))
                        chosen = m;
        }
        if (!chosen) {
                _cleanup_free_ char *tags = index_tags(manifests);
                return import_error(ctx, -ENOENT,
                                    "%s has %zu manifests and none for linux/%s; pick one by its tag with "
                                    "--oci DIR:TAG (tags: %s)",
                                    what, n, strna(host_oci_architecture()), strna(tags));
        }
        return descriptor_parse(ctx, what, chosen, ret);
}

static int strv_from_json(json_object *o, const char *key, char ***ret)
{
        _cleanup_strv_free_ char **l = NULL;
        json_object *a;

        if (!json_object_object_get_ex(o, key, &a) || json_object_is_type(a, json_type_null))
                return 0;
        if (!json_object_is_type(a, json_type_array))
                return -EBADMSG;
        for (size_t i = 0; i < json_object_array_length(a); i++) {
                json_object *s = json_object_array_get_idx(a, i);
                if (!json_object_is_type(s, json_type_string))
                        return -EBADMSG;
                if (strv_extend(&l, json_object_get_string(s)) < 0)
                        return -ENOMEM;
        }
        *ret = TAKE_PTR(l);
        return 0;
}

static int config_parse(ImportContext *ctx, int layout_fd, const OciDescriptor *d, OciImage *img)
{
        _cleanup_free_ char *text = NULL;
        _cleanup_json_ json_object *root = NULL;
        json_object *config;
        const char *s;
        int r;

        r = blob_read_verified(ctx, layout_fd, d, JSON_BLOB_MAX, &text);
        if (r < 0)
                return r;
        r = json_parse(ctx, "image config", text, &root);
        if (r < 0)
                return r;
        if (!json_object_object_get_ex(root, "config", &config) ||
            json_object_is_type(config, json_type_null))
                return 0; /* an image without defaults: the starter file says what to fill in */
        if (!json_object_is_type(config, json_type_object))
                return import_error(ctx, -EBADMSG, "image config: \"config\" is not an object");
        if (strv_from_json(config, "Entrypoint", &img->entrypoint) < 0 ||
            strv_from_json(config, "Cmd", &img->cmd) < 0 || strv_from_json(config, "Env", &img->env) < 0)
                return import_error(ctx, -EBADMSG,
                                    "image config: Entrypoint, Cmd and Env must be string arrays");
        if ((s = json_string_get(config, "WorkingDir")) && !isempty(s) && !(img->working_dir = strdup(s)))
                return -ENOMEM;
        if ((s = json_string_get(config, "User")) && !isempty(s) && !(img->user = strdup(s)))
                return -ENOMEM;
        return 0;
}

static bool media_type_is_layer(const char *t)
{
        for (size_t i = 0; layer_media_types[i]; i++)
                if (streq(t, layer_media_types[i]))
                        return true;
        return false;
}

static int manifest_parse(ImportContext *ctx, int layout_fd, const char *text, OciImage *img)
{
        _cleanup_json_ json_object *root = NULL;
        _cleanup_(oci_descriptor_done) OciDescriptor config = {};
        json_object *o, *layers;
        size_t n;
        int r;

        r = json_parse(ctx, "image manifest", text, &root);
        if (r < 0)
                return r;
        if (!json_object_object_get_ex(root, "config", &o) || !json_object_is_type(o, json_type_object))
                return import_error(ctx, -EBADMSG, "image manifest has no config descriptor");
        r = descriptor_parse(ctx, "image manifest config", o, &config);
        if (r < 0)
                return r;
        if (!json_object_object_get_ex(root, "layers", &layers) ||
            !json_object_is_type(layers, json_type_array))
                return import_error(ctx, -EBADMSG, "image manifest has no layers array");
        n = json_object_array_length(layers);
        img->layers = calloc(n ? n : 1, sizeof(OciDescriptor));
        if (!img->layers)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++) {
                OciDescriptor *d = &img->layers[i];
                r = descriptor_parse(ctx, "image manifest layer", json_object_array_get_idx(layers, i), d);
                if (r < 0)
                        return r;
                img->n_layers++;
                if (!d->media_type || !media_type_is_layer(d->media_type))
                        return import_error(ctx, -EOPNOTSUPP,
                                            "layer %s has media type %s, which berth cannot unpack",
                                            d->digest, strna(d->media_type));
        }
        return config_parse(ctx, layout_fd, &config, img);
}

int oci_image_load(ImportContext *ctx, int layout_fd, OciImage *ret)
{
        _cleanup_(oci_image_done) OciImage img = {};
        _cleanup_(oci_descriptor_done) OciDescriptor d = {};
        _cleanup_json_ json_object *index = NULL, *layout = NULL;
        _cleanup_free_ char *text = NULL;
        _cleanup_close_ int fd = -EBADF;
        struct stat st;
        FILE *f;
        int r;

        /* The oci-layout marker and the top index.json are the unsigned entry points. */
        for (unsigned i = 0; i < 2; i++) {
                const char *file = i == 0 ? "oci-layout" : "index.json";
                size_t len = 0;

                fd = layout_open_file(layout_fd, file, O_RDONLY | O_NONBLOCK);
                if (fd < 0)
                        return import_error(ctx, fd, "not an OCI image layout: %s: %s", file,
                                            fd == -ELOOP ? "a symlink, refused" : strerror(-fd));
                if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
                        return import_error(ctx, -EBADMSG,
                                            "not an OCI image layout: %s is not a regular file", file);
                f = fdopen(TAKE_FD(fd), "re");
                if (!f)
                        return -ENOMEM;
                free(text);
                text = malloc(JSON_BLOB_MAX + 1);
                if (text)
                        len = fread(text, 1, JSON_BLOB_MAX + 1, f);
                fclose(f);
                if (!text)
                        return -ENOMEM;
                if (len > JSON_BLOB_MAX)
                        return import_error(ctx, -EFBIG, "%s is too large", file);
                text[len] = 0;
                r = json_parse(ctx, file, text, i == 0 ? &layout : &index);
                if (r < 0)
                        return r;
        }
        if (!str_is(json_string_get(layout, "imageLayoutVersion"), "1.0.0"))
                return import_error(ctx, -EOPNOTSUPP, "oci-layout: unsupported imageLayoutVersion");

        r = index_pick(ctx, "index.json", index, ctx->oci_tag, &d);
        if (r < 0)
                return r;
        /* What index.json names is what a signature signs (for a multi-platform image, the index). */
        img.index_digest = strdup(d.digest);
        if (!img.index_digest)
                return -ENOMEM;
        /* An index may point at a nested index (a multi-platform image): follow a few levels. */
        for (unsigned depth = 0;; depth++) {
                free(text);
                text = NULL;
                r = blob_read_verified(ctx, layout_fd, &d, JSON_BLOB_MAX, &text);
                if (r < 0)
                        return r;
                if (!str_is(d.media_type, MEDIA_INDEX) && !str_is(d.media_type, MEDIA_DOCKER_LIST))
                        break;
                if (depth >= 4)
                        return import_error(ctx, -ELOOP, "image indexes nest too deeply");
                json_object_putp(&index);
                index = NULL;
                r = json_parse(ctx, d.digest, text, &index);
                if (r < 0)
                        return r;
                oci_descriptor_done(&d);
                r = index_pick(ctx, "nested image index", index, NULL, &d);
                if (r < 0)
                        return r;
        }
        if (d.media_type && !streq(d.media_type, MEDIA_MANIFEST) && !streq(d.media_type, MEDIA_DOCKER_MANI))
                return import_error(ctx, -EOPNOTSUPP,
                                    "manifest %s has media type %s, which berth cannot read", d.digest,
                                    d.media_type);
        r = manifest_parse(ctx, layout_fd, text, &img);
        if (r < 0)
                return r;
        img.manifest_digest = TAKE_PTR(d.digest);
        *ret = img;
        img = (OciImage){};
        return 0;
}
