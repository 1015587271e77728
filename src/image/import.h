/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* berth import: a root file system from a tar archive, or an OCI image layout, into
 * IMAGE_DIR/NAME plus a starter NAME.container. Everything is built in a hidden staging
 * directory beside the target and renamed into place at the end, so a failure (a tampered
 * blob, a hostile archive member, a full disk) leaves nothing half-imported. */

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "macro.h"

#define BERTH_IMAGE_DIR_DEFAULT "/var/lib/berth"
/* What an import may unpack at most unless told otherwise (--max-size=): a decompression bomb
 * stops here, or earlier at the free space of the image directory's file system. */
#define IMPORT_MAX_SIZE_DEFAULT (UINT64_C(32) << 30)
/* Each archive member counts this much besides its data (inode, directory entry), so a bomb of
 * empty files is bounded too. */
#define IMPORT_MEMBER_OVERHEAD UINT64_C(512)

typedef struct ImportContext {
        /* Set by the import on failure: what went wrong, with the detail the errno lacks
         * (which blob, expected and actual digest, which archive member). */
        char *error;
        /* Called now and then with bytes processed so far and the total expected. */
        void (*progress)(uint64_t done, uint64_t total, void *userdata);
        void *userdata;
        uint64_t done, total;
        /* When set (by a signal handler), the import stops at its next step and removes what it
         * staged: an interrupted import leaves nothing either. */
        const volatile sig_atomic_t *cancel;
        /* Keep setuid/setgid bits and security.capability xattrs (--keep-setuid); by default
         * they are removed from every file (directories keep setgid). */
        bool keep_setuid;
        /* Bound on the unpacked size (file data plus IMPORT_MEMBER_OVERHEAD a member); 0 means
         * IMPORT_MAX_SIZE_DEFAULT. */
        uint64_t max_size;
        /* Filled in by the import: bytes counted against max_size, files stripped of setuid,
         * setgid or capabilities. */
        uint64_t unpacked;
        uint64_t n_stripped;
        /* Device nodes left out of /dev (berth mounts its own there). */
        uint64_t n_nodes_skipped;
        /* --oci DIR:TAG: the manifest of index.json whose org.opencontainers.image.ref.name is
         * this; NULL: the one for this platform, or the only one. */
        const char *oci_tag;
        /* Set by the import: the root has an init (/sbin/init or /lib/systemd/systemd). */
        bool root_has_init;
        /* Signatures (issue 18, oci-signature.h): the keys to verify with; when require is set an
         * image without a good signature by one of them is refused before anything is unpacked.
         * A signature present but bad is refused whenever keys are given. */
        const struct SigKey *trust_keys;
        size_t n_trust_keys;
        bool trust_require;
        /* Filled in by the import: the verifying key (NULL when unsigned) and the digest recorded
         * in the provenance file (provenance.h). */
        const struct SigKey *signed_by;
        char *digest;
} ImportContext;

void import_context_done(ImportContext *ctx);
/* Records the failure detail with error_record() (the first one stays: the cause); returns error
 * (-EIO when not negative) so callers can write return import_error(...). */
int import_error(ImportContext *ctx, int error, const char *fmt, ...) _printf_(3, 4);
/* Records progress; -ECANCELED (with ctx->error set) when the import was asked to stop. */
int import_progress(ImportContext *ctx, uint64_t done_now);

/* $BERTH_IMAGE_DIR or the default. */
const char *image_dir_get(void);

typedef struct ImportResult {
        char *root;        /* IMAGE_DIR/NAME */
        char *config_path; /* the starter NAME.container written */
} ImportResult;

void import_result_done(ImportResult *r);

/* config_dir: where NAME.container goes (the first directory of the config search path). */
int import_tar(ImportContext *ctx, const char *name, const char *tarball, const char *config_dir,
               ImportResult *ret);
int import_oci(ImportContext *ctx, const char *name, const char *layout_dir, const char *config_dir,
               ImportResult *ret);
