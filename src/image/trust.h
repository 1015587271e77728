/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The trust policy for berth import (issue 18): trust.conf from the first directory of the
 * config search path that has it (/etc/berth, /run/berth, /usr/lib/berth), then
 * trust.conf.d/ *.conf from every directory, merged by file name in lexical order (a same-named
 * drop-in in a higher-priority directory replaces lower ones). Same syntax as .container files:
 *
 *   [Trust]
 *   RequireSignature=yes|no   (default no; later assignments win)
 *   TrustedKey=PATH           (absolute; repeatable; an empty value clears the list so far)
 */

#include <stdbool.h>

typedef struct TrustPolicy {
        bool require_signature;
        char **keys;  /* PEM public key paths */
        char **files; /* the files read, in order */
} TrustPolicy;

void trust_policy_done(TrustPolicy *p);
/* 0, or -EINVAL with *ret_errors (complete "FILE:LINE: ..." lines), or another -errno. */
int trust_policy_load(TrustPolicy *ret, char ***ret_errors);
