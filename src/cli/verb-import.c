/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* berth import NAME TARBALL | berth import NAME --oci DIR */
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "exit-status.h"
#include "import.h"
#include "load.h"
#include "log.h"
#include "parse-util.h"
#include "progress-bar.h"
#include "signature.h"
#include "string-util.h"
#include "strv.h"
#include "trust.h"
#include "verbs.h"

static void help(void)
{
        printf("berth import [OPTIONS...] NAME TARBALL\n"
               "berth import [OPTIONS...] NAME --oci DIR[:TAG]\n\n"
               "Import a root file system into %s/NAME (or $BERTH_IMAGE_DIR/NAME) and write a\n"
               "starter NAME.container into the first directory of the config search path.\n"
               "TARBALL is a tar archive, plain or compressed with gzip, xz, zstd or bzip2.\n"
               "An OCI image layout has every blob checked against its sha256 digest before use;\n"
               "DIR:TAG picks the manifest of its index.json tagged TAG (the annotation\n"
               "org.opencontainers.image.ref.name), as skopeo's oci:DIR:TAG writes it. A root with\n"
               "an init system gets a commented Boot=yes in the starter file.\n\n"
               "Device nodes in the image are refused (those in /dev are left out); setuid/setgid\n"
               "bits and file capabilities (security.capability) are removed unless\n"
               "--keep-setuid is given; other security.* and trusted.* attributes (SELinux\n"
               "labels, overlayfs) are never imported.\n\n"
               "Options:\n"
               "  -h --help              Show this help\n"
               "     --oci=DIR[:TAG]     Import the OCI image layout in DIR (its image tagged TAG)\n"
               "     --keep-setuid       Keep setuid/setgid bits and file capabilities\n"
               "     --max-size=BYTES    Refuse to unpack more than BYTES (K, M, G, T suffixes;\n"
               "                         default %" PRIu64 "G); free space bounds it too\n"
               "     --verify-key=KEY    Require a cosign signature by the ECDSA P-256 public key\n"
               "                         in KEY (PEM): in the layout for --oci, TARBALL.sig for a\n"
               "                         tarball; replaces the keys of trust.conf\n\n"
               "Without --verify-key the trust policy (trust.conf: RequireSignature=,\n"
               "TrustedKey=) decides. Signatures are checked before anything is unpacked and\n"
               "only at import; see berth-import(8) for what is and is not checked.\n",
               BERTH_IMAGE_DIR_DEFAULT, IMPORT_MAX_SIZE_DEFAULT >> 30);
}

static volatile sig_atomic_t import_cancelled;

static void on_signal(int sig)
{
        (void)sig;
        import_cancelled = 1;
}

int verb_import(int argc, char **argv)
{
        enum { ARG_OCI = 0x100, ARG_KEEP_SETUID, ARG_MAX_SIZE, ARG_VERIFY_KEY };
        static const struct option options[] = {
                { "help", no_argument, NULL, 'h' },
                { "oci", required_argument, NULL, ARG_OCI },
                { "keep-setuid", no_argument, NULL, ARG_KEEP_SETUID },
                { "max-size", required_argument, NULL, ARG_MAX_SIZE },
                { "verify-key", required_argument, NULL, ARG_VERIFY_KEY },
                {},
        };
        _cleanup_(import_context_done) ImportContext ctx = {};
        _cleanup_(import_result_done) ImportResult result = {};
        _cleanup_strv_free_ char **search = NULL;
        _cleanup_free_ char *oci_dir = NULL;
        _cleanup_(trust_policy_done) TrustPolicy policy = {};
        _cleanup_strv_free_ char **policy_errors = NULL;
        SigKey *keys = NULL;
        size_t n_keys = 0;
        const char *oci = NULL, *verify_key = NULL, *name, *source;
        ProgressBar bar;
        int c, r;

        while ((c = getopt_long(argc, argv, "h", options, NULL)) >= 0)
                switch (c) {
                case 'h': help(); return EXIT_OK;
                case ARG_OCI: oci = optarg; break;
                case ARG_KEEP_SETUID: ctx.keep_setuid = true; break;
                case ARG_VERIFY_KEY: verify_key = optarg; break;
                case ARG_MAX_SIZE:
                        if (parse_size(optarg, &ctx.max_size) < 0 || ctx.max_size == 0) {
                                log_error("Invalid --max-size=%s (expected a size such as 500M, 20G or "
                                          "infinity).",
                                          optarg);
                                return EXIT_USAGE;
                        }
                        break;
                default: return EXIT_USAGE;
                }

        if (argc - optind != (oci ? 1 : 2)) {
                log_error("Expected NAME and TARBALL, or NAME and --oci DIR. See 'berth import --help'.");
                return EXIT_USAGE;
        }
        name = argv[optind];
        if (oci) {
                /* DIR:TAG, unless DIR itself has that name (a directory may contain ':'). */
                const char *colon = strrchr(oci, ':');
                struct stat st;
                if (colon && colon[1] && !strchr(colon, '/') &&
                    !(stat(oci, &st) == 0 && S_ISDIR(st.st_mode))) {
                        oci_dir = strndup(oci, colon - oci);
                        if (!oci_dir)
                                return log_error("Out of memory."), EXIT_FAILURE_GENERIC;
                        ctx.oci_tag = colon + 1;
                        oci = oci_dir;
                }
        }
        source = oci ?: argv[optind + 1];
        if (!container_name_is_valid(name)) {
                log_error("Invalid container name '%s' (letters, digits, '-' and '.'-separated labels, at "
                          "most %d "
                          "characters).",
                          name, CONTAINER_NAME_MAX);
                return EXIT_USAGE;
        }
        r = config_search_path(&search);
        if (r < 0)
                return log_error_errno(r, "Failed to determine the config search path: %m"),
                       EXIT_FAILURE_GENERIC;

        /* The keys before anything else: a wrong key or policy refuses the import up front. */
        r = trust_policy_load(&policy, &policy_errors);
        if (r == -EINVAL) {
                STRV_FOREACH (e, policy_errors)
                        log_error("%s", *e);
                log_error("Refusing to import %s: the trust policy has errors.", name);
                return EXIT_FAILURE_GENERIC;
        }
        if (r < 0)
                return log_error_errno(r, "Failed to load the trust policy: %m"), EXIT_FAILURE_GENERIC;
        if (verify_key) {
                strv_free(policy.keys);
                policy.keys = NULL;
                if (strv_extend(&policy.keys, verify_key) < 0)
                        return log_error("Out of memory."), EXIT_FAILURE_GENERIC;
                policy.require_signature = true;
        }
        if (policy.require_signature && !policy.keys) {
                log_error(
                        "Refusing to import %s: RequireSignature=yes but no TrustedKey= in the trust policy "
                        "(%s); add one or pass --verify-key=KEY.",
                        name, policy.files ? policy.files[0] : "trust.conf");
                return EXIT_FAILURE_GENERIC;
        }
        keys = calloc(strv_length(policy.keys) + 1, sizeof(SigKey));
        if (!keys)
                return log_error("Out of memory."), EXIT_FAILURE_GENERIC;
        STRV_FOREACH (k, policy.keys) {
                _cleanup_free_ char *why = NULL;
                r = sig_key_load(*k, &keys[n_keys], &why);
                if (r < 0) {
                        log_error("Failed to import %s as %s: signature check failed: %s", source, name,
                                  why ?: strerror(-r));
                        r = EXIT_FAILURE_GENERIC;
                        goto finish;
                }
                n_keys++;
        }
        ctx.trust_keys = keys;
        ctx.n_trust_keys = n_keys;
        ctx.trust_require = policy.require_signature;

        progress_bar_init(&bar, name);
        ctx.progress = progress_bar_update;
        ctx.userdata = &bar;
        /* Ctrl-C, a stop or a hangup end the import cleanly (no SA_RESTART: reads return early). */
        ctx.cancel = &import_cancelled;
        struct sigaction sa = { .sa_handler = on_signal };
        sigemptyset(&sa.sa_mask);
        (void)sigaction(SIGINT, &sa, NULL);
        (void)sigaction(SIGTERM, &sa, NULL);
        (void)sigaction(SIGHUP, &sa, NULL);
        r = oci ? import_oci(&ctx, name, oci, search[0], &result)
                : import_tar(&ctx, name, source, search[0], &result);
        progress_bar_finish(&bar);
        if (r < 0) {
                /* The message quotes the image's own bytes (member names, media types): escaped. */
                _cleanup_free_ char *why = ctx.error ? cescape(ctx.error) : NULL;
                if (why)
                        log_error("Failed to import %s as %s: %s", source, name, why);
                else
                        log_error_errno(r, "Failed to import %s as %s: %m", source, name);
                r = EXIT_FAILURE_GENERIC;
                goto finish;
        }

        if (ctx.n_nodes_skipped > 0)
                printf("Left out %" PRIu64 " device node(s) in /dev: the container gets berth's own /dev.\n",
                       ctx.n_nodes_skipped);
        if (ctx.n_stripped > 0)
                printf("Removed setuid/setgid bits or file capabilities from %" PRIu64
                       " file(s); import with --keep-setuid to keep them.\n",
                       ctx.n_stripped);
        if (ctx.root_has_init)
                printf("The root has an init system: %s has a commented Boot=yes to boot it whole.\n",
                       result.config_path);
        if (ctx.signed_by)
                printf("Verified the signature of %s by key %s (%s).\n", ctx.digest,
                       ctx.signed_by->fingerprint, ctx.signed_by->path);
        printf("Imported %s into %s.\n"
               "Wrote %s; check it with 'berth verify %s', then 'berth start %s'.\n",
               source, result.root, result.config_path, name, name);
        r = EXIT_OK;
finish:
        for (size_t i = 0; i < n_keys; i++)
                sig_key_done(&keys[i]);
        free(keys);
        return r;
}
