/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* berth's own BPF generator for a seccomp program that maps syscall numbers to actions, per
 * architecture, with no argument comparisons (the allowlist program; see seccomp-bpf.c for the
 * shape of what it writes). Programs that compare arguments are libseccomp's. */

#include <linux/filter.h>
#include <stddef.h>
#include <stdint.h>

/* One syscall number and what the program answers for it (SECCOMP_RET_*). */
typedef struct SyscallAction {
        uint32_t nr;
        uint32_t action;
} SyscallAction;

/* The answers for one value of seccomp_data.arch (AUDIT_ARCH_*). Numbers not in v[] get
 * default_action. v[] may be in any order and repeat a number with the same action; one number
 * with two different actions is -EEXIST. On x86_64 the x32 calls (nr with bit 0x40000000) share
 * AUDIT_ARCH_X86_64: they go in the same map. */
typedef struct SyscallActionMap {
        uint32_t arch;
        uint32_t default_action;
        const SyscallAction *v;
        size_t n;
} SyscallActionMap;

/* Writes the program: maps[] by seccomp_data.arch, bad_arch_action for any other arch. Returns
 * the number of instructions in *ret (malloc()ed), -E2BIG past BPF_MAXINSNS, -EEXIST on a
 * conflicting number, -EINVAL for no maps or one arch twice. */
int seccomp_number_map_compile(const SyscallActionMap *maps, size_t n_maps, uint32_t bad_arch_action,
                               struct sock_filter **ret);
