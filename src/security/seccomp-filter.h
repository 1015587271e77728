/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* seccomp: the allowlist in policy/seccomp/ compiled to BPF (src/security/seccomp.c).
 * (Not named seccomp.h: that would shadow libseccomp's <seccomp.h> on the include path.)
 *
 * A built filter is up to four programs, loaded together:
 *  - allowlist: by syscall name for the x86_64, x86 and x32 ABIs. Allowed names ALLOW, every
 *    other name libseccomp knows ERRNO(EPERM), anything else (newer syscalls) ERRNO(ENOSYS).
 *    Not libseccomp's BPF: the names are turned into numbers per ABI with libseccomp's tables and
 *    compiled by seccomp-bpf.c into a range search, a fifth of libseccomp's length (issue 16);
 *  - arguments: the [restrict] rules of policy/seccomp/allowlist.conf (clone/unshare namespace
 *    flags, clone3, personality), default ALLOW, same three ABIs;
 *  - arguments_native: restrictions libseccomp can only express on x86_64/x32 because it names
 *    the call on the 32-bit ABI by its multiplexer (socket() through socketcall, whose arguments
 *    live in memory): the socket family/protocol rules, bad-arch ALLOW;
 *  - x86_direct (not libseccomp's: written by seccomp.c): the same rules on the 32-bit ABI's
 *    direct calls (socket is 359 there), ALLOW for other ABIs. socketcall(SYS_SOCKET) and
 *    socketcall(SYS_SOCKETPAIR) are refused by the arguments program, so a 32-bit payload
 *    creates sockets only through the filtered direct call.
 * libseccomp cannot combine "allow these values, EPERM the rest" in one program; the kernel
 * runs every loaded program and the most restrictive answer wins, so splitting is exact.
 *
 * Generating the BPF is most of the cost of a start, so it happens once: the supervisor exports
 * the programs (SeccompBpf), caches them across starts (seccomp-cache.h), and the child hands the
 * BPF straight to seccomp(2) instead of letting seccomp_load() generate it again. */

#include <linux/filter.h>
#include <seccomp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"

DEFINE_TRIVIAL_CLEANUP_FUNC(scmp_filter_ctx, seccomp_release);

/* One program compiled to BPF, with what seccomp_load() would do around it: set no_new_privs
 * first when asked, then seccomp(SECCOMP_SET_MODE_FILTER, flags, {n_insns, insns}). */
typedef struct SeccompProgram {
        uint32_t flags; /* SECCOMP_FILTER_FLAG_*: what libseccomp passes for the filter's attributes */
        bool no_new_privs;
        uint16_t n_insns;
        struct sock_filter *insns;
} SeccompProgram;

typedef struct SeccompFilter {
        SeccompProgram allowlist; /* written by seccomp-bpf.c, not libseccomp */
        scmp_filter_ctx arguments;
        scmp_filter_ctx arguments_native; /* NULL when there is nothing to restrict */
        SeccompProgram x86_direct;        /* n_insns 0 when there is nothing to restrict */
} SeccompFilter;

void seccomp_filter_done(SeccompFilter *f);
#define _cleanup_seccomp_filter_ _cleanup_(seccomp_filter_done)

#define SECCOMP_PROGRAMS_MAX 4

/* A filter compiled to BPF: its programs in load order. Plain memory, so a cloned child can load
 * it without libseccomp's rule database, and it can be cached in a file (seccomp-cache.h). */
typedef struct SeccompBpf {
        size_t n_programs;
        SeccompProgram programs[SECCOMP_PROGRAMS_MAX];
} SeccompBpf;

void seccomp_bpf_done(SeccompBpf *b);
#define _cleanup_seccomp_bpf_ _cleanup_(seccomp_bpf_done)

/* Builds (does not load) the filter for c: the default allowlist, the syscalls that the kept
 * capabilities caps imply, then SystemCallFilter= edits in order. Errors (unknown name/set) are
 * reported as -EINVAL with *ret_bad_name set to the offending entry when not NULL. */
int seccomp_build_filter(const ContainerConfig *c, uint64_t caps, SeccompFilter *ret,
                         const char **ret_bad_name);

/* Generates the BPF of all programs, in load order (x86_direct and the argument programs first: the
 * allowlist might not admit seccomp() itself; their answers never overlap, so the order changes no result).
 */
int seccomp_filter_export(const SeccompFilter *f, SeccompBpf *ret);

/* The filter for c compiled to BPF: from the cache under state_dir when an identical filter was
 * compiled before (state_dir NULL: no cache), else built, exported and stored there. Same errors
 * as seccomp_build_filter(). */
int seccomp_compile(const ContainerConfig *c, uint64_t caps, const char *state_dir, SeccompBpf *ret,
                    const char **ret_bad_name);

/* Total BPF instructions of all programs (a sanity check and a benchmark figure). */
size_t seccomp_bpf_instructions(const SeccompBpf *b);

/* Loads one program (no_new_privs first when it asks). */
int seccomp_program_load(const SeccompProgram *p);

/* Loads it; call last, right before execve. Installs exactly what seccomp_load() would for each
 * program, without generating the BPF again (which costs tens of milliseconds). */
int seccomp_bpf_load(const SeccompBpf *b);

/* The allowlist program of c's filter as libseccomp compiles it from the same names (what berth
 * loaded before it wrote that program itself): the reference tests compare the generated one
 * with, and benchmarks time. Same errors as seccomp_build_filter(). */
int seccomp_allowlist_reference(const ContainerConfig *c, uint64_t caps, scmp_filter_ctx *ret,
                                const char **ret_bad_name);

/* The expanded syscall names of "@set", or NULL when no such set. */
const char *const *seccomp_set_lookup(const char *name);
