/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Replays the OCI fuzz corpus through the target (in the unit suite, so CI also runs it under
 * ASan+UBSan; a broken invariant aborts the test): valid-* images load and their starter config
 * reads back exactly what the image said, bad-* layouts are refused, hostile-* images end either
 * way but never with a starter config that says something else (the target aborts then). */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../unit/test.h"
#include "fuzz-config-input.h"
#include "fuzz-oci.h"
#include "macro.h"

static const char *const stage_names[] = { "refused by the loader", "not expressible as a starter",
                                           "starter refused by config_load", "round trip exact" };

static int regular(const struct dirent *de)
{
        return de->d_name[0] != '.';
}

int main(int argc, char **argv)
{
        const char *corpus = argc > 1 ? argv[1] : FUZZ_CORPUS_DIR;
        struct dirent **list = NULL;
        int n = scandir(corpus, &list, regular, alphasort);

        CHECK(n >= 15, "OCI corpus %s has at least 15 files (%d)", corpus, n);
        LLVMFuzzerInitialize(&argc, &argv);
        for (int i = 0; i < n; i++) {
                const char *name = list[i]->d_name;
                char path[PATH_MAX], *data = NULL;
                size_t size = 0;
                FILE *f;

                snprintf(path, sizeof(path), "%s/%s", corpus, name);
                f = fopen(path, "re");
                if (f) {
                        data = malloc(1 << 20);
                        size = data ? fread(data, 1, 1 << 20, f) : 0;
                        fclose(f);
                }
                printf("# %s\n", name);
                fflush(stdout);
                if (!data) {
                        CHECK(false, "%s can be read", name);
                        continue;
                }
                LLVMFuzzerTestOneInput((const uint8_t *)data, size);
                free(data);
                if (strneq(name, "sig-valid-", 10))
                        CHECK(fuzz_oci_stage == FUZZ_OCI_ROUND_TRIP &&
                                      fuzz_oci_signature == FUZZ_OCI_SIG_VERIFIED,
                              "%s: imports, its signature verifies (%s)", name, stage_names[fuzz_oci_stage]);
                else if (strneq(name, "sig-bad-", 8))
                        CHECK(fuzz_oci_stage == FUZZ_OCI_ROUND_TRIP &&
                                      fuzz_oci_signature == FUZZ_OCI_SIG_REFUSED,
                              "%s: the image loads, its signature is refused (%s)", name,
                              stage_names[fuzz_oci_stage]);
                else if (strneq(name, "valid-", 6))
                        CHECK(fuzz_oci_stage == FUZZ_OCI_ROUND_TRIP,
                              "%s: imports, starter reads back exactly (%s)", name,
                              stage_names[fuzz_oci_stage]);
                else if (strneq(name, "bad-", 4))
                        CHECK(fuzz_oci_stage == FUZZ_OCI_REFUSED, "%s: refused by the loader (%s)", name,
                              stage_names[fuzz_oci_stage]);
                else
                        CHECK(true, "%s: no crash, no leak, no injected setting (%s)", name,
                              stage_names[fuzz_oci_stage]);
                free(list[i]);
        }
        free(list);
        return test_done();
}
