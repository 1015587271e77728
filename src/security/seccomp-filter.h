/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* seccomp: the allowlist in policy/seccomp/ compiled with libseccomp (src/security/seccomp.c).
 * (Not named seccomp.h: that would shadow libseccomp's <seccomp.h> on the include path.)
 *
 * A built filter is three libseccomp programs, loaded together:
 *  - allowlist: by syscall name for the x86_64, x86 and x32 ABIs. Allowed names ALLOW, every
 *    other name libseccomp knows ERRNO(EPERM), anything else (newer syscalls) ERRNO(ENOSYS);
 *  - arguments: the [restrict] rules of policy/seccomp/allowlist.conf (clone/unshare namespace
 *    flags, clone3, personality), default ALLOW, same three ABIs;
 *  - arguments_native: restrictions libseccomp can only express on x86_64/x32 because the
 *    32-bit ABI multiplexes the call (socket() through socketcall, whose arguments live in
 *    memory): the socket family/protocol rules. 32-bit payloads are not family-filtered.
 * libseccomp cannot combine "allow these values, EPERM the rest" in one program; the kernel
 * runs every loaded program and the most restrictive answer wins, so splitting is exact. */

#include <seccomp.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"

DEFINE_TRIVIAL_CLEANUP_FUNC(scmp_filter_ctx, seccomp_release);

typedef struct SeccompFilter {
        scmp_filter_ctx allowlist;
        scmp_filter_ctx arguments;
        scmp_filter_ctx arguments_native; /* NULL when there is nothing to restrict */
} SeccompFilter;

void seccomp_filter_done(SeccompFilter *f);
#define _cleanup_seccomp_filter_ _cleanup_(seccomp_filter_done)

/* Builds (does not load) the filter for c: the default allowlist, the syscalls that the kept
 * capabilities caps imply, then SystemCallFilter= edits in order. Errors (unknown name/set) are
 * reported as -EINVAL with *ret_bad_name set to the offending entry when not NULL. */
int seccomp_build_filter(const ContainerConfig *c, uint64_t caps, SeccompFilter *ret,
                         const char **ret_bad_name);

/* Generates the BPF of all programs (what loading does first) and returns the total number of
 * BPF instructions: the measurable "compile" cost for benchmarks and a sanity check. */
int seccomp_filter_compile(const SeccompFilter *f, size_t *ret_instructions);

/* Loads it; call last, right before execve. Sets no_new_privs first unless the payload keeps
 * CAP_SYS_ADMIN and NoNewPrivileges=no (the kernel refuses filters otherwise). */
int seccomp_install_filter(const SeccompFilter *f);

/* The expanded syscall names of "@set", or NULL when no such set. */
const char *const *seccomp_set_lookup(const char *name);
