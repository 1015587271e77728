/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libFuzzer target for the .container parser (built with meson -Dfuzz=true by clang; run by
 * tests/fuzz/run-fuzz.sh). Beyond memory errors and leaks (ASan/UBSan/LeakSanitizer), it aborts
 * when an outcome breaks the loader's contract: an error without a FILE:LINE location, a rejected
 * file with no message, a config returned with an error, or an accepted config that breaks one of
 * the invariants in fuzz-config-input.c. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "fuzz-config-input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        FuzzConfigResult res;

        if (fuzz_config_load(fuzz_dir_for_process(), data, size, &res) < 0) {
                perror("fuzz-config: cannot write the input");
                abort();
        }
        if (res.r >= 0 && (!res.config_returned || res.n_errors > 0)) {
                fprintf(stderr, "fuzz-config: success without a config, or with %d errors\n", res.n_errors);
                abort();
        }
        if (res.r < 0 && (res.config_returned || res.n_errors == 0)) {
                fprintf(stderr, "fuzz-config: failure %d with a config or without a message\n", res.r);
                abort();
        }
        if (res.r == -EINVAL && res.n_errors_located != res.n_errors) {
                fprintf(stderr, "fuzz-config: %d of %d errors do not start with FILE:\n",
                        res.n_errors - res.n_errors_located, res.n_errors);
                abort();
        }
        if (res.invariant) {
                fprintf(stderr, "fuzz-config: accepted config breaks an invariant: %s\n", res.invariant);
                abort();
        }
        return 0;
}
