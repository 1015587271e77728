/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* seccomp: compiles the policy tables (policy/seccomp/, see seccomp-policy.h) for one container
 * to BPF, and loads that BPF. */
#include <errno.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "build-id.h"
#include "log.h"
#include "seccomp-bpf.h"
#include "seccomp-cache.h"
#include "seccomp-filter.h"
#include "seccomp-policy.h"
#include "sha256.h"
#include "strv.h"

/* Bumped whenever the BPF written for the same inputs changes, so cached programs of an older
 * generator are not loaded: 2 is the allowlist written by seccomp-bpf.c instead of libseccomp. */
#define SECCOMP_GENERATOR_VERSION 2

/* The highest syscall number we ask libseccomp to name (x86_64 and x86 are in the 450s). */
#define SYSCALL_NR_SCAN_MAX 1024

/* A bag of syscall names being edited: appended freely, sorted and deduplicated at the end. The
 * strings belong to the policy tables or the config. */
typedef struct NameList {
        const char **v;
        size_t n, allocated;
} NameList;

static void name_list_done(NameList *l)
{
        free(l->v);
        *l = (NameList){};
}

static int name_list_add(NameList *l, const char *name)
{
        if (l->n == l->allocated) {
                size_t a = l->allocated ? l->allocated * 2 : 512;
                const char **v = reallocarray(l->v, a, sizeof(*v));
                if (!v)
                        return -ENOMEM;
                l->v = v;
                l->allocated = a;
        }
        l->v[l->n++] = name;
        return 0;
}

static int name_list_add_strv(NameList *l, const char *const *names)
{
        for (; names && *names; names++) {
                int r = name_list_add(l, *names);
                if (r < 0)
                        return r;
        }
        return 0;
}

static void name_list_remove(NameList *l, const char *name)
{
        size_t k = 0;
        for (size_t i = 0; i < l->n; i++)
                if (!streq(l->v[i], name))
                        l->v[k++] = l->v[i];
        l->n = k;
}

static void name_list_sort_unique(NameList *l)
{
        if (l->n == 0)
                return;
        qsort(l->v, l->n, sizeof(*l->v), strcmp_ptr);
        size_t k = 1;
        for (size_t i = 1; i < l->n; i++)
                if (!streq(l->v[i], l->v[k - 1]))
                        l->v[k++] = l->v[i];
        l->n = k;
}

/* Only after name_list_sort_unique(). */
static bool name_list_contains(const NameList *l, const char *name)
{
        return l->n > 0 && bsearch(&name, l->v, l->n, sizeof(*l->v), strcmp_ptr);
}

const char *const *seccomp_set_lookup(const char *name)
{
        for (const SyscallSet *s = seccomp_syscall_sets; s->name; s++)
                if (streq(s->name, name))
                        return s->syscalls;
        return NULL;
}

static bool syscall_known(const char *name)
{
        return seccomp_syscall_resolve_name(name) != __NR_SCMP_ERROR;
}

/* The allowed names: default sets, what kept capabilities imply, then SystemCallFilter= in order,
 * so an explicit "~name" wins over a capability. */
static int allowed_names(const ContainerConfig *c, uint64_t caps, NameList *ret, const char **ret_bad_name)
{
        NameList l = {};
        int r;

        r = name_list_add_strv(&l, seccomp_default_allow);
        for (const CapabilitySyscalls *cs = seccomp_capability_syscalls; r >= 0 && cs->cap >= 0; cs++)
                if (caps & (UINT64_C(1) << cs->cap))
                        r = name_list_add_strv(&l, cs->syscalls);

        STRV_FOREACH (e, c ? c->syscall_filter : NULL) {
                if (r < 0)
                        break;
                bool remove = (*e)[0] == '~';
                const char *name = *e + remove;
                const char *const *set = name[0] == '@' ? seccomp_set_lookup(name) : NULL;

                if (name[0] == '@' ? !set : !syscall_known(name)) {
                        if (ret_bad_name)
                                *ret_bad_name = *e;
                        name_list_done(&l);
                        return -EINVAL;
                }
                if (remove)
                        for (const char *const *s = set ?: (const char *const[]){ name, NULL }; *s; s++)
                                name_list_remove(&l, *s);
                else
                        r = set ? name_list_add_strv(&l, set) : name_list_add(&l, name);
        }
        if (r < 0) {
                name_list_done(&l);
                return r;
        }
        name_list_sort_unique(&l);
        *ret = l;
        return 0;
}

/* Every syscall name libseccomp knows for the ABIs we filter. Computed once per process (the
 * scan is the slowest part of a build) and kept for its lifetime; berth is single-threaded. */
static int known_names(const NameList **ret)
{
        static NameList known = {};
        uint32_t arches[] = { seccomp_arch_native(), SCMP_ARCH_X86 };
        NameList l = {};
        size_t k = 0;

        if (known.n > 0) {
                *ret = &known;
                return 0;
        }
        for (size_t a = 0; a < ELEMENTSOF(arches); a++)
                for (int nr = 0; nr < SYSCALL_NR_SCAN_MAX; nr++) {
                        /* libseccomp hands out a malloc()ed copy. */
                        char *name = seccomp_syscall_resolve_num_arch(arches[a], nr);
                        if (name && name_list_add(&l, name) < 0) {
                                free(name);
                                for (size_t i = 0; i < l.n; i++)
                                        free((char *)l.v[i]);
                                name_list_done(&l);
                                return -ENOMEM;
                        }
                }
        if (l.n > 0)
                qsort(l.v, l.n, sizeof(*l.v), strcmp_ptr);
        for (size_t i = 0; i < l.n; i++) {
                if (k > 0 && streq(l.v[i], l.v[k - 1]))
                        free((char *)l.v[i]);
                else
                        l.v[k++] = l.v[i];
        }
        l.n = k;
        known = l;
        *ret = &known;
        return 0;
}

static int filter_new(uint32_t def_action, bool all_abis, bool nnp, scmp_filter_ctx *ret)
{
        _cleanup_(seccomp_releasep) scmp_filter_ctx ctx = seccomp_init(def_action);
        int r;

        if (!ctx)
                return -ENOMEM;
        if (seccomp_arch_native() == SCMP_ARCH_X86_64) {
                if (all_abis) {
                        r = seccomp_arch_add(ctx, SCMP_ARCH_X86);
                        if (r < 0 && r != -EEXIST)
                                return r;
                }
                r = seccomp_arch_add(ctx, SCMP_ARCH_X32);
                if (r < 0 && r != -EEXIST)
                        return r;
        }
        /* A program that leaves out the x86 ABI lets 32-bit calls through: another program of the
         * same filter decides those. */
        r = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH,
                             all_abis ? SCMP_ACT_KILL_PROCESS : SCMP_ACT_ALLOW);
        if (r < 0)
                return r;
        r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, nnp);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(ctx);
        return 0;
}

/* The allowlist as libseccomp compiles it from names (what berth loaded before issue 16): the
 * reference seccomp_allowlist_reference() hands to tests and benchmarks. */
static int allowlist_build_libseccomp(const NameList *allowed, bool nnp, scmp_filter_ctx *ret)
{
        _cleanup_(seccomp_releasep) scmp_filter_ctx ctx = NULL;
        const NameList *known;
        int r;

        r = filter_new(SCMP_ACT_ERRNO(ENOSYS), true, nnp, &ctx);
        if (r < 0)
                return r;
        /* A binary tree of syscall numbers instead of a linear scan: ~450 rules per ABI. */
        r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
        if (r < 0)
                return r;
        r = known_names(&known);
        if (r < 0)
                return r;

        for (size_t i = 0; i < allowed->n; i++) {
                r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, seccomp_syscall_resolve_name(allowed->v[i]), 0);
                if (r < 0)
                        return r;
        }
        for (size_t i = 0; i < known->n; i++) {
                if (name_list_contains(allowed, known->v[i]))
                        continue;
                r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), seccomp_syscall_resolve_name(known->v[i]),
                                     0);
                if (r < 0)
                        return r;
        }
        *ret = TAKE_PTR(ctx);
        return 0;
}

/* An ABI the allowlist covers: libseccomp's name for it (to name its syscalls), the arch the
 * kernel reports for it, and the first number of its table. x32 shares AUDIT_ARCH_X86_64 with
 * x86_64; its numbers carry bit 0x40000000 (__X32_SYSCALL_BIT). */
typedef struct AllowlistAbi {
        uint32_t scmp_arch;
        uint32_t audit_arch;
        uint32_t nr_base;
} AllowlistAbi;

#define X32_SYSCALL_BIT UINT32_C(0x40000000)

/* The ABIs filter_new(..., all_abis = true, ...) puts in a libseccomp filter; ABIs that share an
 * arch are adjacent. */
static size_t allowlist_abis(AllowlistAbi ret[static 3])
{
        uint32_t native = seccomp_arch_native();

        if (native != SCMP_ARCH_X86_64) {
                ret[0] = (AllowlistAbi){ native, native, 0 }; /* SCMP_ARCH_* is AUDIT_ARCH_* there */
                return 1;
        }
        ret[0] = (AllowlistAbi){ SCMP_ARCH_X86_64, AUDIT_ARCH_X86_64, 0 };
        ret[1] = (AllowlistAbi){ SCMP_ARCH_X32, AUDIT_ARCH_X86_64, X32_SYSCALL_BIT };
        ret[2] = (AllowlistAbi){ SCMP_ARCH_X86, AUDIT_ARCH_I386, 0 };
        return 3;
}

/* A syscall of one ABI by number, named as libseccomp names it there. */
typedef struct NumberedSyscall {
        uint32_t audit_arch;
        uint32_t nr;
        char *name;
} NumberedSyscall;

/* Every numbered syscall of the allowlist's ABIs, scanned once per process like known_names().
 * From number to name, so a call libseccomp names by a pseudo number on one ABI but rewrites to
 * a direct one (i386 socket: 359) comes out under the number libseccomp's rule lands on. */
static int numbered_syscalls(const NumberedSyscall **ret, size_t *ret_n)
{
        static NumberedSyscall *table = NULL;
        static size_t n_table = 0;
        AllowlistAbi abis[3];
        size_t n_abis = allowlist_abis(abis), n = 0;
        NumberedSyscall *t;

        if (table) {
                *ret = table;
                *ret_n = n_table;
                return 0;
        }
        t = calloc(n_abis * SYSCALL_NR_SCAN_MAX, sizeof(*t));
        if (!t)
                return -ENOMEM;
        for (size_t a = 0; a < n_abis; a++)
                for (uint32_t nr = abis[a].nr_base; nr < abis[a].nr_base + SYSCALL_NR_SCAN_MAX; nr++) {
                        char *name = seccomp_syscall_resolve_num_arch(abis[a].scmp_arch, (int)nr);
                        if (name)
                                t[n++] = (NumberedSyscall){ abis[a].audit_arch, nr, name };
                }
        table = t;
        n_table = n;
        *ret = table;
        *ret_n = n_table;
        return 0;
}

/* Allowed names ALLOW, every other name libseccomp knows ERRNO(EPERM), other numbers
 * ERRNO(ENOSYS), another arch KILL_PROCESS: what allowlist_build_libseccomp() says, compiled by
 * seccomp-bpf.c into a fifth of the instructions. */
static int allowlist_build(const NameList *allowed, bool nnp, SeccompProgram *ret)
{
        _cleanup_free_ SyscallAction *actions = NULL;
        _cleanup_free_ struct sock_filter *insns = NULL;
        SyscallActionMap maps[3] = {};
        const NumberedSyscall *table;
        const NameList *known;
        AllowlistAbi abis[3];
        size_t n_abis = allowlist_abis(abis), n_maps = 0, n_table, n = 0;
        int r;

        r = known_names(&known);
        if (r < 0)
                return r;
        r = numbered_syscalls(&table, &n_table);
        if (r < 0)
                return r;
        actions = calloc(n_table ?: 1, sizeof(*actions));
        if (!actions)
                return -ENOMEM;
        for (size_t a = 0; a < n_abis; a++) {
                SyscallActionMap *m = NULL;

                for (size_t i = 0; i < n_maps && !m; i++)
                        if (maps[i].arch == abis[a].audit_arch)
                                m = &maps[i];
                if (!m) { /* ABIs sharing an arch are adjacent: so are their actions */
                        m = &maps[n_maps++];
                        *m = (SyscallActionMap){ .arch = abis[a].audit_arch,
                                                 .default_action = SECCOMP_RET_ERRNO | ENOSYS,
                                                 .v = actions + n };
                }
                for (size_t i = 0; i < n_table; i++) {
                        const NumberedSyscall *s = &table[i];
                        if (s->audit_arch != abis[a].audit_arch || s->nr < abis[a].nr_base ||
                            s->nr >= abis[a].nr_base + SYSCALL_NR_SCAN_MAX)
                                continue;
                        if (name_list_contains(allowed, s->name))
                                actions[n++] = (SyscallAction){ s->nr, SECCOMP_RET_ALLOW };
                        else if (name_list_contains(known, s->name))
                                actions[n++] = (SyscallAction){ s->nr, SECCOMP_RET_ERRNO | EPERM };
                }
                m->n = (size_t)(actions + n - m->v);
        }
        r = seccomp_number_map_compile(maps, n_maps, SECCOMP_RET_KILL_PROCESS, &insns);
        if (r < 0)
                return r;
        *ret = (SeccompProgram){ .n_insns = (uint16_t)r, .insns = TAKE_PTR(insns), .no_new_privs = nnp };
        return 0;
}

/* The 32-bit values that are none of values[], as (mask, value) pairs for SCMP_CMP_MASKED_EQ:
 * walk the binary trie of values[] from bit 31 down; every missing branch is one pair. */
static size_t none_of_cubes(const uint64_t *values, size_t n, uint32_t mask, uint32_t prefix, int bit,
                            struct scmp_arg_cmp *out, unsigned arg)
{
        size_t k = 0;

        if (bit < 0)
                return 0;
        for (uint32_t side = 0; side <= 1; side++) {
                uint32_t m = mask | (UINT32_C(1) << bit), p = prefix | (side << bit);
                uint64_t sub[RESTRICT_VALUES_MAX];
                size_t n_sub = 0;

                for (size_t i = 0; i < n; i++)
                        if ((((uint32_t)values[i] >> bit) & 1) == side)
                                sub[n_sub++] = values[i];
                if (n_sub == 0)
                        out[k++] = SCMP_CMP(arg, SCMP_CMP_MASKED_EQ, m, p);
                else
                        k += none_of_cubes(sub, n_sub, m, p, bit - 1, out + k, arg);
        }
        return k;
}

/* Alternatives (ORed) that together say "this clause holds". */
static size_t clause_alternatives(const RestrictClause *cl, struct scmp_arg_cmp *out)
{
        size_t k = 0;

        switch (cl->op) {
        case RESTRICT_ANY_BIT:
                for (size_t i = 0; i < cl->n_values; i++)
                        out[k++] = SCMP_CMP(cl->arg, SCMP_CMP_MASKED_EQ, cl->values[i], cl->values[i]);
                break;
        case RESTRICT_ONE_OF:
                /* The low 32 bits only, like the kernel's int arguments: a full 64-bit compare
                 * would let socket(AF_ALG | 1UL << 32, ...) past the rule. */
                for (size_t i = 0; i < cl->n_values; i++)
                        out[k++] = SCMP_CMP(cl->arg, SCMP_CMP_MASKED_EQ, UINT32_MAX,
                                            cl->values[i] & UINT32_MAX);
                break;
        case RESTRICT_NONE_OF: k = none_of_cubes(cl->values, cl->n_values, 0, 0, 31, out, cl->arg); break;
        }
        return k;
}

#define ALTERNATIVES_MAX (RESTRICT_VALUES_MAX * 32)

static int restriction_add(scmp_filter_ctx ctx, const SyscallRestriction *rs)
{
        struct scmp_arg_cmp alt[RESTRICT_CLAUSES_MAX][ALTERNATIVES_MAX];
        size_t n_alt[RESTRICT_CLAUSES_MAX] = { 1, 1 };
        int nr = seccomp_syscall_resolve_name(rs->syscall);
        int r;

        for (unsigned c = 0; c < rs->n_clauses; c++)
                n_alt[c] = clause_alternatives(&rs->clauses[c], alt[c]);

        /* One rule per combination of alternatives: libseccomp ANDs the comparisons of a rule. */
        for (size_t i = 0; i < n_alt[0]; i++)
                for (size_t j = 0; j < n_alt[1]; j++) {
                        struct scmp_arg_cmp cmp[RESTRICT_CLAUSES_MAX];
                        if (rs->n_clauses > 0)
                                cmp[0] = alt[0][i];
                        if (rs->n_clauses > 1)
                                cmp[1] = alt[1][j];
                        r = seccomp_rule_add_array(ctx, SCMP_ACT_ERRNO(rs->error), nr, rs->n_clauses, cmp);
                        if (r < 0)
                                return r;
                }
        return 0;
}

static bool restriction_lifted(const SyscallRestriction *rs, const NameList *allowed, uint64_t caps,
                               bool boot)
{
        if (rs->lifted_by_boot && boot)
                return true;
        if (rs->lifted_by_cap >= 0 && (caps & (UINT64_C(1) << rs->lifted_by_cap)))
                return true;
        if (!rs->lifted_by_set)
                return false;
        for (const char *const *s = seccomp_set_lookup(rs->lifted_by_set); s && *s; s++)
                if (!name_list_contains(allowed, *s))
                        return false;
        return true;
}

/* Whether libseccomp can filter this call's arguments on the 32-bit x86 ABI: not when it names the
 * call there by a multiplexed pseudo number (socket is -101 in libseccomp 2.5, "socketcall(1)").
 * Its rule would be rewritten to socketcall with arg0 replaced by the call number, so these go to
 * the native program, and the x86 program below filters the direct call (socket is 359). */
static bool restriction_needs_native_only(const SyscallRestriction *rs)
{
        return seccomp_arch_native() == SCMP_ARCH_X86_64 &&
               seccomp_syscall_resolve_name_arch(SCMP_ARCH_X86, rs->syscall) < 0;
}

/* The direct i386 number of a call libseccomp names by a pseudo number there (socket: 359), from
 * libseccomp's own x86 table; -ENOENT when it has none. */
static int x86_direct_number(const char *name)
{
        for (int nr = 0; nr < SYSCALL_NR_SCAN_MAX; nr++) {
                _cleanup_free_ char *n = seccomp_syscall_resolve_num_arch(SCMP_ARCH_X86, nr);
                if (n && streq(n, name))
                        return nr;
        }
        return -ENOENT;
}

static struct sock_filter *insns_dup(const struct sock_filter *insns, size_t n)
{
        struct sock_filter *copy = calloc(n, sizeof(*copy));
        if (copy)
                memcpy(copy, insns, n * sizeof(*copy));
        return copy;
}

/* A classic BPF program under construction. */
typedef struct BpfBuilder {
        struct sock_filter insns[BPF_MAXINSNS];
        size_t n;
} BpfBuilder;

static int bpf_emit(BpfBuilder *b, uint16_t code, uint32_t k, size_t jt, size_t jf)
{
        if (b->n >= ELEMENTSOF(b->insns) || jt > UINT8_MAX || jf > UINT8_MAX)
                return -E2BIG;
        b->insns[b->n++] = (struct sock_filter)BPF_JUMP(code, k, (uint8_t)jt, (uint8_t)jf);
        return 0;
}

#define SECCOMP_DATA_NR        offsetof(struct seccomp_data, nr)
#define SECCOMP_DATA_ARCH      offsetof(struct seccomp_data, arch)
#define SECCOMP_DATA_ARG_LO(i) (offsetof(struct seccomp_data, args) + 8 * (i)) /* little endian */

/* One restriction on the direct i386 call nr: "if nr and every clause holds, ERRNO". The i386
 * arguments are 32 bits wide, so the low word is the whole argument. Every test that fails jumps
 * to the end of the block (the next restriction); the block's last instruction is the ERRNO. */
static int x86_restriction_emit(BpfBuilder *b, const SyscallRestriction *rs, int nr)
{
        size_t len = 3; /* ld nr, jeq nr, ret */
        size_t start = b->n, end;
        int r;

        for (unsigned c = 0; c < rs->n_clauses; c++)
                len += 1 + rs->clauses[c].n_values;
        end = start + len; /* the next block */
        r = bpf_emit(b, BPF_LD | BPF_W | BPF_ABS, SECCOMP_DATA_NR, 0, 0);
        if (r >= 0)
                r = bpf_emit(b, BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)nr, 0, end - (b->n + 1));
        for (unsigned c = 0; r >= 0 && c < rs->n_clauses; c++) {
                const RestrictClause *cl = &rs->clauses[c];
                size_t ok = b->n + 1 + cl->n_values; /* the clause holds: go on here */

                r = bpf_emit(b, BPF_LD | BPF_W | BPF_ABS, SECCOMP_DATA_ARG_LO(cl->arg), 0, 0);
                for (unsigned i = 0; r >= 0 && i < cl->n_values; i++) {
                        uint32_t v = (uint32_t)cl->values[i];
                        size_t here = b->n + 1; /* jump offsets count from the next instruction */
                        bool last = i + 1 == cl->n_values;

                        switch (cl->op) {
                        case RESTRICT_ONE_OF: /* equal to one: holds; to none: fails */
                                r = bpf_emit(b, BPF_JMP | BPF_JEQ | BPF_K, v, ok - here,
                                             last ? end - here : 0);
                                break;
                        case RESTRICT_ANY_BIT:
                                r = bpf_emit(b, BPF_JMP | BPF_JSET | BPF_K, v, ok - here,
                                             last ? end - here : 0);
                                break;
                        case RESTRICT_NONE_OF: /* equal to one: fails */
                                r = bpf_emit(b, BPF_JMP | BPF_JEQ | BPF_K, v, end - here, 0);
                                break;
                        }
                }
        }
        if (r >= 0)
                r = bpf_emit(b, BPF_RET | BPF_K,
                             SECCOMP_RET_ERRNO | ((uint32_t)rs->error & SECCOMP_RET_DATA), 0, 0);
        if (r >= 0 && b->n != end)
                r = -EINVAL;
        return r;
}

/* The program for the 32-bit x86 ABI's direct calls that libseccomp cannot filter (socket(2) as
 * syscall 359: AF_ALG, AF_VSOCK, audit and uevent netlink). Written here because libseccomp 2.5
 * rewrites every x86 socket rule onto socketcall; socketcall's own SYS_SOCKET/SYS_SOCKETPAIR are
 * refused by a plain [restrict] rule (policy/seccomp/allowlist.conf). Other ABIs: ALLOW, like
 * arguments_native for the x86 ABI, so the two cover every ABI exactly once. */
static int x86_direct_build(const NameList *allowed, uint64_t caps, bool boot, bool nnp, SeccompProgram *ret)
{
        _cleanup_free_ BpfBuilder *b = NULL;
        size_t jump_to_allow;
        int r;

        *ret = (SeccompProgram){};
        if (seccomp_arch_native() != SCMP_ARCH_X86_64)
                return 0;
        b = calloc(1, sizeof(*b));
        if (!b)
                return -ENOMEM;
        r = bpf_emit(b, BPF_LD | BPF_W | BPF_ABS, SECCOMP_DATA_ARCH, 0, 0);
        if (r < 0)
                return r;
        /* Not i386: ALLOW at the end, reached with an unconditional jump (no 8-bit limit). */
        r = bpf_emit(b, BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_I386, 1, 0);
        if (r < 0)
                return r;
        jump_to_allow = b->n;
        r = bpf_emit(b, BPF_JMP | BPF_JA, 0, 0, 0);
        if (r < 0)
                return r;
        for (const SyscallRestriction *rs = seccomp_restrictions; rs->syscall; rs++) {
                int nr;

                if (!name_list_contains(allowed, rs->syscall) ||
                    restriction_lifted(rs, allowed, caps, boot) || !restriction_needs_native_only(rs))
                        continue;
                nr = x86_direct_number(rs->syscall);
                if (nr < 0)
                        return nr; /* a multiplexed call with no direct number: no silent gap */
                r = x86_restriction_emit(b, rs, nr);
                if (r < 0)
                        return r;
        }
        if (b->n == jump_to_allow + 1)
                return 0; /* nothing to restrict */
        b->insns[jump_to_allow].k = (uint32_t)(b->n - (jump_to_allow + 1));
        r = bpf_emit(b, BPF_RET | BPF_K, SECCOMP_RET_ALLOW, 0, 0);
        if (r < 0)
                return r;
        ret->insns = insns_dup(b->insns, b->n);
        if (!ret->insns)
                return -ENOMEM;
        ret->n_insns = (uint16_t)b->n;
        ret->no_new_privs = nnp;
        ret->flags = 0; /* what libseccomp passes for its default attributes, like the others */
        return 0;
}

static int arguments_build(const NameList *allowed, uint64_t caps, bool boot, bool nnp, SeccompFilter *f)
{
        int r;

        r = filter_new(SCMP_ACT_ALLOW, true, nnp, &f->arguments);
        if (r < 0)
                return r;
        for (const SyscallRestriction *rs = seccomp_restrictions; rs->syscall; rs++) {
                scmp_filter_ctx *ctx = &f->arguments;

                /* Not allowed at all: the allowlist answers EPERM, nothing to refine. */
                if (!name_list_contains(allowed, rs->syscall) || restriction_lifted(rs, allowed, caps, boot))
                        continue;
                if (restriction_needs_native_only(rs)) {
                        ctx = &f->arguments_native;
                        if (!*ctx) {
                                r = filter_new(SCMP_ACT_ALLOW, false, nnp, ctx);
                                if (r < 0)
                                        return r;
                        }
                }
                r = restriction_add(*ctx, rs);
                if (r < 0)
                        return r;
        }
        return 0;
}

void seccomp_filter_done(SeccompFilter *f)
{
        free(f->allowlist.insns);
        seccomp_releasep(&f->arguments);
        seccomp_releasep(&f->arguments_native);
        free(f->x86_direct.insns);
        *f = (SeccompFilter){};
}

/* Boot=yes: restrictions marked "Boot=yes" in [restrict] are lifted (what an init system needs). */
static bool filter_is_boot(const ContainerConfig *c)
{
        return c && c->boot;
}

/* The kernel takes a filter from an unprivileged task only with no_new_privs set. */
static bool filter_wants_nnp(const ContainerConfig *c, uint64_t caps)
{
        return !c || c->no_new_privileges || !(caps & (UINT64_C(1) << CAP_SYS_ADMIN));
}

static int filter_build(const NameList *allowed, uint64_t caps, bool boot, bool nnp, SeccompFilter *ret)
{
        _cleanup_seccomp_filter_ SeccompFilter f = {};
        int r;

        r = allowlist_build(allowed, nnp, &f.allowlist);
        if (r < 0)
                return r;
        r = arguments_build(allowed, caps, boot, nnp, &f);
        if (r < 0)
                return r;
        r = x86_direct_build(allowed, caps, boot, nnp, &f.x86_direct);
        if (r < 0)
                return r;
        *ret = f;
        f = (SeccompFilter){};
        return 0;
}

int seccomp_build_filter(const ContainerConfig *c, uint64_t caps, SeccompFilter *ret,
                         const char **ret_bad_name)
{
        _cleanup_(name_list_done) NameList allowed = {};
        int r;

        r = allowed_names(c, caps, &allowed, ret_bad_name);
        if (r < 0)
                return r;
        return filter_build(&allowed, caps, filter_is_boot(c), filter_wants_nnp(c, caps), ret);
}

int seccomp_allowlist_reference(const ContainerConfig *c, uint64_t caps, scmp_filter_ctx *ret,
                                const char **ret_bad_name)
{
        _cleanup_(name_list_done) NameList allowed = {};
        int r;

        r = allowed_names(c, caps, &allowed, ret_bad_name);
        if (r < 0)
                return r;
        return allowlist_build_libseccomp(&allowed, filter_wants_nnp(c, caps), ret);
}

void seccomp_bpf_done(SeccompBpf *b)
{
        for (size_t i = 0; i < b->n_programs; i++)
                free(b->programs[i].insns);
        *b = (SeccompBpf){};
}

size_t seccomp_bpf_instructions(const SeccompBpf *b)
{
        size_t n = 0;

        for (size_t i = 0; i < b->n_programs; i++)
                n += b->programs[i].n_insns;
        return n;
}

/* The seccomp(2) flags seccomp_load() derives from a filter's attributes (libseccomp 2.5's
 * sys_filter_load()). It adds SECCOMP_FILTER_FLAG_NEW_LISTENER only for filters with
 * SCMP_ACT_NOTIFY rules, which berth never writes. */
static int program_attributes(scmp_filter_ctx ctx, SeccompProgram *p)
{
        uint32_t nnp, tsync, log, ssb;
        int r;

        r = seccomp_attr_get(ctx, SCMP_FLTATR_CTL_NNP, &nnp);
        if (r >= 0)
                r = seccomp_attr_get(ctx, SCMP_FLTATR_CTL_TSYNC, &tsync);
        if (r >= 0)
                r = seccomp_attr_get(ctx, SCMP_FLTATR_CTL_LOG, &log);
        if (r >= 0)
                r = seccomp_attr_get(ctx, SCMP_FLTATR_CTL_SSB, &ssb);
        if (r < 0)
                return r;
        p->no_new_privs = nnp;
        p->flags = (tsync ? SECCOMP_FILTER_FLAG_TSYNC : 0) | (log ? SECCOMP_FILTER_FLAG_LOG : 0) |
                   (ssb ? SECCOMP_FILTER_FLAG_SPEC_ALLOW : 0);
        return 0;
}

/* libseccomp 2.5 has no seccomp_export_bpf_mem(): the BPF goes through a memfd. */
static int program_export(scmp_filter_ctx ctx, SeccompProgram *ret)
{
        _cleanup_close_ int fd = -EBADF;
        _cleanup_free_ struct sock_filter *insns = NULL;
        struct stat st;
        size_t n;
        int r;

        fd = memfd_create("berth-seccomp-bpf", MFD_CLOEXEC);
        if (fd < 0)
                return negative_errno();
        r = seccomp_export_bpf(ctx, fd);
        if (r < 0)
                return r;
        if (fstat(fd, &st) < 0)
                return negative_errno();
        n = (size_t)st.st_size / sizeof(struct sock_filter);
        if (st.st_size <= 0 || st.st_size % sizeof(struct sock_filter) != 0)
                return -EBADMSG;
        if (n > BPF_MAXINSNS)
                return -E2BIG; /* what the kernel would answer */
        insns = malloc(st.st_size);
        if (!insns)
                return -ENOMEM;
        if (pread(fd, insns, st.st_size, 0) != st.st_size)
                return -EIO;
        r = program_attributes(ctx, ret);
        if (r < 0)
                return r;
        ret->n_insns = (uint16_t)n;
        ret->insns = TAKE_PTR(insns);
        return 0;
}

static int program_copy(const SeccompProgram *p, SeccompProgram *ret)
{
        *ret = *p;
        ret->insns = insns_dup(p->insns, p->n_insns);
        return ret->insns ? 0 : -ENOMEM;
}

int seccomp_filter_export(const SeccompFilter *f, SeccompBpf *ret)
{
        scmp_filter_ctx order[] = { f->arguments_native, f->arguments };
        _cleanup_seccomp_bpf_ SeccompBpf b = {};
        int r;

        if (f->allowlist.n_insns == 0)
                return -EINVAL;
        if (f->x86_direct.n_insns > 0) {
                r = program_copy(&f->x86_direct, &b.programs[b.n_programs]);
                if (r < 0)
                        return r;
                b.n_programs++;
        }
        for (size_t i = 0; i < ELEMENTSOF(order); i++) {
                if (!order[i])
                        continue;
                r = program_export(order[i], &b.programs[b.n_programs]);
                if (r < 0)
                        return r;
                b.n_programs++;
        }
        r = program_copy(&f->allowlist, &b.programs[b.n_programs]);
        if (r < 0)
                return r;
        b.n_programs++;
        *ret = b;
        b = (SeccompBpf){};
        return 0;
}

static void hash_u64(Sha256 *h, uint64_t v)
{
        sha256_update(h, &v, sizeof(v));
}

static void hash_string(Sha256 *h, const char *s)
{
        sha256_update(h, strempty(s), strlen(strempty(s)) + 1);
}

static void hash_build_id(Sha256 *h, int size, const uint8_t *id)
{
        hash_u64(h, size > 0 ? (uint64_t)size : 0);
        if (size > 0)
                sha256_update(h, id, size);
}

/* The cache key: everything filter_build() reads. The denied names are every name libseccomp
 * knows less the allowed ones, so libseccomp's version and build ID stand for them (listing them
 * is the slowest part of a build); berth's version and build ID stand for the code that turns
 * the policy into rules, the policy tables themselves are hashed too. */
static void filter_key(const NameList *allowed, uint64_t caps, bool boot, bool nnp,
                       uint8_t ret[SHA256_DIGEST_SIZE])
{
        const struct scmp_version *v = seccomp_version();
        uint8_t id[BUILD_ID_MAX];
        Sha256 h;

        sha256_init(&h);
        hash_string(&h, "berth " BERTH_VERSION);
        /* How the programs are generated (the build ID stands for it too, when there is one). */
        hash_u64(&h, SECCOMP_GENERATOR_VERSION);
        hash_build_id(&h, build_id_of_address((const void *)filter_key, id), id);
        hash_build_id(&h, build_id_of_library("libseccomp.so", id), id);
        hash_u64(&h, v ? v->major : 0);
        hash_u64(&h, v ? v->minor : 0);
        hash_u64(&h, v ? v->micro : 0);
        hash_u64(&h, seccomp_arch_native());
        hash_u64(&h, nnp);
        hash_u64(&h, boot);
        hash_u64(&h, caps);
        hash_u64(&h, allowed->n);
        for (size_t i = 0; i < allowed->n; i++)
                hash_string(&h, allowed->v[i]);
        for (const SyscallRestriction *rs = seccomp_restrictions; rs->syscall; rs++) {
                hash_string(&h, rs->syscall);
                hash_u64(&h, (uint64_t)rs->error);
                hash_string(&h, rs->lifted_by_set);
                hash_u64(&h, (uint64_t)rs->lifted_by_cap);
                hash_u64(&h, rs->lifted_by_boot);
                hash_u64(&h, rs->n_clauses);
                for (unsigned c = 0; c < rs->n_clauses; c++) {
                        const RestrictClause *cl = &rs->clauses[c];
                        hash_u64(&h, cl->arg);
                        hash_u64(&h, cl->op);
                        hash_u64(&h, cl->n_values);
                        for (unsigned k = 0; k < cl->n_values; k++)
                                hash_u64(&h, cl->values[k]);
                }
        }
        sha256_final(&h, ret);
}

int seccomp_compile(const ContainerConfig *c, uint64_t caps, const char *state_dir, SeccompBpf *ret,
                    const char **ret_bad_name)
{
        _cleanup_(name_list_done) NameList allowed = {};
        _cleanup_seccomp_filter_ SeccompFilter f = {};
        uint8_t key[SHA256_DIGEST_SIZE];
        bool nnp = filter_wants_nnp(c, caps);
        int r;

        r = allowed_names(c, caps, &allowed, ret_bad_name);
        if (r < 0)
                return r;
        if (state_dir) {
                filter_key(&allowed, caps, filter_is_boot(c), nnp, key);
                r = seccomp_cache_read(state_dir, key, ret);
                if (r >= 0)
                        return 0;
                if (r != -ENOENT)
                        log_debug_errno(r, "Ignoring the cached seccomp filter: %m");
        }
        r = filter_build(&allowed, caps, filter_is_boot(c), nnp, &f);
        if (r < 0)
                return r;
        r = seccomp_filter_export(&f, ret);
        if (r < 0)
                return r;
        if (state_dir) {
                r = seccomp_cache_write(state_dir, key, ret);
                if (r < 0) /* only the next start pays for it */
                        log_debug_errno(r, "Failed to cache the seccomp filter: %m");
        }
        return 0;
}

int seccomp_program_load(const SeccompProgram *p)
{
        struct sock_fprog prog = { .len = p->n_insns, .filter = p->insns };

        /* In this order, like seccomp_load(). */
        if (p->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
                return negative_errno();
        if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, p->flags, &prog) < 0)
                return negative_errno();
        return 0;
}

int seccomp_bpf_load(const SeccompBpf *b)
{
        bool no_new_privs = false;

        if (b->n_programs == 0)
                return -EINVAL;
        for (size_t i = 0; i < b->n_programs; i++) {
                SeccompProgram p = b->programs[i];
                int r;

                /* no_new_privs cannot be unset: once is enough for every program that asks. */
                if (no_new_privs)
                        p.no_new_privs = false;
                r = seccomp_program_load(&p);
                if (r < 0)
                        return r;
                no_new_privs = no_new_privs || b->programs[i].no_new_privs;
        }
        return 0;
}
