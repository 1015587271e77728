/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* seccomp: the allowlist in policy/seccomp/ compiled with libseccomp. */

#include <seccomp.h>
#include <stdint.h>

#include "config.h"

DEFINE_TRIVIAL_CLEANUP_FUNC(scmp_filter_ctx, seccomp_release);

/* Builds (does not load) the filter for c: the default allowlist, SystemCallFilter= edits, and the
 * syscalls that the kept capabilities imply. Errors (unknown name/set) are reported as -EINVAL
 * with *ret_bad_name set to the offending entry when not NULL. */
int seccomp_build_filter(const ContainerConfig *c, uint64_t caps, scmp_filter_ctx *ret, const char **ret_bad_name);
/* Loads it; call last, right before execve, after no_new_privs. */
int seccomp_install_filter(scmp_filter_ctx f);
