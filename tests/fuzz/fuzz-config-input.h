/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Shared by the libFuzzer target and the corpus replay test: turns one input into the files the
 * parser reads and loads them. The input up to the first line "#--- dropin" becomes
 * DIR/fuzz.container; each later part becomes DIR/fuzz.container.d/NN.conf (the marker is a
 * comment, so a corpus file still means the same when handed to the parser whole). */

#include <stddef.h>
#include <stdint.h>

#define FUZZ_DROPIN_MARKER "#--- dropin"
#define FUZZ_DROPINS_MAX   8

typedef struct FuzzConfigResult {
        int r;                 /* config_load()'s return */
        int n_errors;          /* messages it reported */
        int n_errors_located;  /* of those, how many start with "PATH:LINE:" of a file written here */
        int config_returned;   /* a config came back */
        const char *invariant; /* first safety invariant an accepted config broke, or NULL */
} FuzzConfigResult;

/* Makes the private directory (under $TMPDIR, /dev/shm preferred) and points
 * BERTH_CONFIG_PATH at it. */
int fuzz_config_setup(char **ret_dir);
/* Removes dir with everything in it, and frees dir. */
void fuzz_config_teardown(char *dir);
/* One directory per process, made on first use, removed at exit (for the libFuzzer targets). */
const char *fuzz_dir_for_process(void);
/* libFuzzer's hook, shared by the targets: makes that directory before the first input. */
int LLVMFuzzerInitialize(int *argc, char ***argv);
/* Writes the input as files in dir, loads container "fuzz", checks the outcome, frees it. */
int fuzz_config_load(const char *dir, const uint8_t *data, size_t size, FuzzConfigResult *ret);
