/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libFuzzer target for `berth import --oci`: hostile image layouts (index.json, manifests, image
 * configs) through oci_image_load(), and what the importer then writes, the starter .container,
 * through config_load().
 *
 * Input: parts separated by lines "--- blob". Part 0 is index.json, parts 1..8 are blobs stored
 * under their real sha256 digests; "@Dk@" and "@Sk@" in a part are replaced by the digest
 * ("sha256:HEX") and size of part k (only later parts can be named, so there are no cycles).
 *
 * A loaded image's cosign signature is checked (oci_signature_check(), the public key of
 * fuzz-sig-test-key.pem trusted; corpus sig-* made by make-sig-corpus.py), and every part is also
 * fed to the simple-signing payload parser. It aborts when a signature verifies but no blob is a
 * payload that parses and names the image, or when the parser accepts a malformed digest.
 *
 * Beyond ASan/UBSan/LeakSanitizer it aborts when an accepted image's starter config loads with
 * anything the image did not say: the Exec= argv, Environment=, WorkingDirectory= and User= must
 * read back exactly as the image gave them (an image must not be able to inject keys, e.g.
 * PrivateUsers=no or Bind=, into the generated file), and every other setting keeps its default. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz-config-input.h"
#include "fuzz-oci.h"
#include "load.h"
#include "oci-signature.h"
#include "oci.h"
#include "rm-rf.h"
#include "sha256.h"
#include "signature.h"
#include "starter.h"
#include "strv.h"

#define PART_MARKER "\n--- blob\n"
#define PARTS_MAX   9
#define ROOT        "/var/lib/berth/fuzz"

FuzzOciStage fuzz_oci_stage;
FuzzOciSignature fuzz_oci_signature;

/* The public half of fuzz-sig-test-key.pem (test only). */
static const char fuzz_sig_pubkey[] = "-----BEGIN PUBLIC KEY-----\n"
                                      "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEZqr/GhizWNgQEWNL2gYhmPpq/q7g\n"
                                      "CUSXm8CoFmqngL5VtlVdtb00zcbkGvmJwQEb9r9UtRQmLBlALrXiTEml1g==\n"
                                      "-----END PUBLIC KEY-----\n";

typedef struct Part {
        char *data; /* after substitution */
        size_t size;
        char digest[7 + SHA256_HEX_SIZE];
} Part;

/* data with every "@Dk@"/"@Sk@" (k > self) replaced from parts[]. */
static char *substitute(const char *data, size_t size, const Part *parts, size_t n, size_t self,
                        size_t *ret_size)
{
        char *out = NULL;
        size_t out_size = 0;
        FILE *f = open_memstream(&out, &out_size);

        if (!f)
                return NULL;
        for (size_t i = 0; i < size; i++) {
                size_t k = data[i + 2 < size ? i + 2 : i] - '0';
                if (data[i] == '@' && i + 3 < size && (data[i + 1] == 'D' || data[i + 1] == 'S') &&
                    data[i + 3] == '@' && k > self && k < n) {
                        if (data[i + 1] == 'D')
                                fputs(parts[k].digest, f);
                        else
                                fprintf(f, "%zu", parts[k].size);
                        i += 3;
                } else
                        fputc(data[i], f);
        }
        if (fclose(f) != 0) {
                free(out);
                return NULL;
        }
        *ret_size = out_size;
        return out;
}

static int write_at(int dirfd, const char *name, const char *data, size_t size)
{
        _cleanup_close_ int fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0 || (size > 0 && write(fd, data, size) != (ssize_t)size))
                return -errno;
        return 0;
}

/* Both NULL or equal element by element. */
static bool strv_equal(char *const *a, char *const *b)
{
        size_t n = strv_length(a);

        if (n != strv_length(b))
                return false;
        for (size_t i = 0; i < n; i++)
                if (!streq(a[i], b[i]))
                        return false;
        return true;
}

static void print_words(const char *what, char *const *a, char *const *b)
{
        fprintf(stderr, "%s:", what);
        STRV_FOREACH (w, a)
                fprintf(stderr, " [%s]", *w);
        STRV_FOREACH (w, b)
                fprintf(stderr, " [%s]", *w);
        fputc('\n', stderr);
}

/* NULL when the loaded starter config says exactly what the image said and nothing else. */
static const char *starter_mismatch(const OciImage *img, const ContainerConfig *c)
{
        _cleanup_strv_free_ char **exec = strv_copy(img->entrypoint);
        _cleanup_config_ ContainerConfig *def = NULL;
        _cleanup_free_ char *user = img->user ? strndup(img->user, strcspn(img->user, ":")) : NULL;

        STRV_FOREACH (w, img->cmd)
                (void)strv_extend(&exec, *w);
        if (container_config_new_default("fuzz", &def) < 0)
                return NULL;
        if (!c->directory || !streq(c->directory, ROOT))
                return "Directory= is not the imported root";
        /* No Entrypoint/Cmd: the starter leaves Exec= out and the loader's default applies. */
        if (!strv_equal(c->exec, exec) &&
            (strv_length(exec) > 0 || !strv_equal(c->exec, (char *[]){ (char *)"/bin/sh", NULL })))
                return "Exec= does not read back as Entrypoint+Cmd";
        if (!strv_equal(c->environment, img->env))
                return "Environment= does not read back as Env";
        if (!streq_ptr(c->working_directory, img->working_dir))
                return "WorkingDirectory= does not read back as WorkingDir";
        if (isempty(user)) /* ":GID" names no user: root */
                free(user), user = NULL;
        if (!streq_ptr(c->user, user))
                return "User= does not read back as User";
        if (c->private_users != def->private_users || c->capability_add || c->capability_drop ||
            c->no_new_privileges != def->no_new_privileges || c->syscall_filter || c->selinux_label ||
            c->selinux_type || c->n_binds || c->n_tmpfs || c->private_network != def->private_network ||
            c->boot || c->ephemeral || c->read_only || c->hostname || c->wanted_by)
                return "a setting the image cannot give changed from its default";
        if (c->memory_max != def->memory_max || c->tasks_max != def->tasks_max ||
            c->cpu_quota_per_sec_usec != def->cpu_quota_per_sec_usec || !streq_ptr(c->slice, def->slice))
                return "a resource setting changed from its default";
        return NULL;
}

/* Checks the loaded image's signature with the test key trusted; sets fuzz_oci_signature. */
static void signature_check(ImportContext *ctx, int layout_fd, const OciImage *img, const Part *parts,
                            size_t n)
{
        static SigKey key;
        const SigKey *signer = NULL;
        char path[PATH_MAX];
        int r;

        if (!key.pkey) {
                _cleanup_free_ char *why = NULL;
                snprintf(path, sizeof(path), "%s/fuzz-sig.pub", fuzz_dir_for_process());
                if (write_at(AT_FDCWD, path, fuzz_sig_pubkey, strlen(fuzz_sig_pubkey)) < 0 ||
                    sig_key_load(path, &key, &why) < 0) {
                        fprintf(stderr, "fuzz-oci: cannot load the test key: %s\n", strna(why));
                        abort();
                }
        }
        r = oci_signature_check(ctx, layout_fd, img->index_digest, &key, 1, &signer);
        free(ctx->error);
        ctx->error = NULL;
        if (r == -ENOENT)
                return;
        if (r < 0) {
                fuzz_oci_signature = FUZZ_OCI_SIG_REFUSED;
                return;
        }
        if (signer != &key)
                abort();
        /* Verified: some blob must be a payload that parses and names exactly this image. */
        for (size_t k = 1; k < n; k++) {
                _cleanup_free_ char *named = NULL, *why = NULL;
                if (sig_payload_parse(parts[k].data, parts[k].size, &named, &why) == 0 &&
                    streq(named, img->index_digest)) {
                        fuzz_oci_signature = FUZZ_OCI_SIG_VERIFIED;
                        return;
                }
        }
        fprintf(stderr, "fuzz-oci: a signature verified, but no payload names %s\n", img->index_digest);
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        _cleanup_(import_context_done) ImportContext ctx = {};
        _cleanup_(oci_image_done) OciImage img = {};
        _cleanup_free_ char *starter = NULL;
        _cleanup_strv_free_ char **errors = NULL;
        _cleanup_config_ ContainerConfig *c = NULL;
        _cleanup_close_ int layout_fd = -EBADF, blobs_fd = -EBADF;
        const char *raw[PARTS_MAX], *p = (const char *)data, *end = p + size;
        size_t raw_size[PARTS_MAX], n = 0;
        Part parts[PARTS_MAX] = {};
        char path[PATH_MAX];
        const char *dir = fuzz_dir_for_process(), *why;
        int r;

        /* Split, then substitute from the last part down and hash. */
        while (n < PARTS_MAX) {
                const char *m = memmem(p, (size_t)(end - p), PART_MARKER, strlen(PART_MARKER));
                raw[n] = p;
                raw_size[n] = (size_t)((m && n + 1 < PARTS_MAX ? m : end) - p);
                n++;
                if (!m || n == PARTS_MAX)
                        break;
                p = m + strlen(PART_MARKER);
        }
        for (size_t k = n; k-- > 0;) {
                Sha256 h;
                parts[k].data = substitute(raw[k], raw_size[k], parts, n, k, &parts[k].size);
                if (!parts[k].data)
                        abort();
                sha256_init(&h);
                sha256_update(&h, parts[k].data, parts[k].size);
                strcpy(parts[k].digest, "sha256:");
                sha256_final_hex(&h, parts[k].digest + 7);
        }

        snprintf(path, sizeof(path), "%s/layout", dir);
        (void)rm_rf_path(path);
        if (mkdir(path, 0755) < 0 || (layout_fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0 ||
            mkdirat(layout_fd, "blobs", 0755) < 0 || mkdirat(layout_fd, "blobs/sha256", 0755) < 0 ||
            (blobs_fd = openat(layout_fd, "blobs/sha256", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
                abort();
        if (write_at(layout_fd, "oci-layout", "{\"imageLayoutVersion\": \"1.0.0\"}", 32) < 0 ||
            write_at(layout_fd, "index.json", parts[0].data, parts[0].size) < 0)
                abort();
        for (size_t k = 1; k < n; k++)
                if (write_at(blobs_fd, parts[k].digest + 7, parts[k].data, parts[k].size) < 0)
                        abort();
        /* Any part as a simple-signing payload: an accepted one names a well-formed digest. */
        for (size_t k = 0; k < n; k++) {
                _cleanup_free_ char *named = NULL, *reason = NULL;
                if (sig_payload_parse(parts[k].data, parts[k].size, &named, &reason) == 0 &&
                    !oci_digest_is_valid(named)) {
                        fprintf(stderr, "fuzz-oci: the payload parser accepted digest '%s'\n", named);
                        abort();
                }
        }

        fuzz_oci_stage = FUZZ_OCI_REFUSED;
        fuzz_oci_signature = FUZZ_OCI_SIG_NONE;
        r = oci_image_load(&ctx, layout_fd, &img);
        if (r < 0) {
                for (size_t k = 0; k < n; k++)
                        free(parts[k].data);
                return 0; /* refused: fine, as long as nothing crashed or leaked */
        }
        signature_check(&ctx, layout_fd, &img, parts, n);
        for (size_t k = 0; k < n; k++)
                free(parts[k].data);
        fuzz_oci_stage = FUZZ_OCI_NO_STARTER;
        r = starter_config_format("fuzz", ROOT, "fuzz", &img, false, &starter);
        if (r < 0)
                return 0; /* an image the starter cannot express (a newline in WorkingDir...) */
        snprintf(path, sizeof(path), "%s/fuzz.container", dir);
        if (write_at(AT_FDCWD, path, starter, strlen(starter)) < 0)
                abort();
        fuzz_oci_stage = FUZZ_OCI_STARTER_REFUSED;
        r = config_load("fuzz", &c, &errors);
        if (r < 0)
                return 0; /* the import writes it; `berth verify` then says what is wrong */
        fuzz_oci_stage = FUZZ_OCI_ROUND_TRIP;
        why = starter_mismatch(&img, c);
        if (why) {
                fprintf(stderr,
                        "fuzz-oci: the starter config does not say what the image said: %s\n--\n%s--\n", why,
                        starter);
                print_words("image Entrypoint+Cmd", img.entrypoint, img.cmd);
                print_words("config Exec", c->exec, NULL);
                print_words("image Env", img.env, NULL);
                print_words("config Environment", c->environment, NULL);
                abort();
        }
        return 0;
}
