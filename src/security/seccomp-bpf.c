/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The allowlist's BPF, written by berth instead of libseccomp (issue 16): the kernel's load cost
 * (checking, conversion, JIT) and every syscall's evaluation grow with the program, and a number
 * map needs none of libseccomp's generality. libseccomp 2.5 with SCMP_FLTATR_CTL_OPTIMIZE=2
 * writes one JGT per syscall rule (~1489 instructions for the default allowlist); here runs of
 * consecutive numbers with the same answer are one range, and the gaps between known numbers
 * answer the default, so neighbouring denied calls and their gaps merge into few ranges.
 *
 * The program's shape:
 *
 *         ld  [arch]
 *         jeq ARCH_0, 0, 1     one pair per map, in the caller's order
 *         ja  block_0          (32-bit offset: blocks can be far)
 *         ...
 *         ret BAD_ARCH
 * block_i:
 *         ld  [nr]
 *         a balanced binary search over the map's ranges [lo_k, lo_k+1), lo_0 = 0, which
 *         together cover every 32-bit nr: a node is "jge lo_mid" with the lower half right
 *         after it and the upper half after that; a half of one range is a jump straight to
 *         the block's "ret ACTION" for it, one per distinct action, after the last node:
 *         "jge lo_mid, upper, ret_A" (jf to ret_A when the lower half is one range of A).
 *         ret ACTION_0
 *         ret ACTION_1 ...
 *
 * A conditional jump reaches 255 instructions ahead. A block whose shared RETs are out of reach
 * is written with one RET per leaf instead (a leaf is "ret ACTION_k" in the node's place; a node
 * whose lower half is too long for jt is "jge lo_mid, 0, 1" followed by "ja upper").
 *
 * Every (arch, nr) pair reaches exactly one RET; there is no fall-through. */
#include <errno.h>
#include <linux/seccomp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "macro.h"
#include "seccomp-bpf.h"

/* [lo, next range's lo): action. */
typedef struct Range {
        uint32_t lo;
        uint32_t action;
} Range;

typedef struct Emitter {
        struct sock_filter *insns;
        size_t n;
} Emitter;

static int compare_nr(const void *a, const void *b)
{
        const SyscallAction *x = a, *y = b;
        return x->nr < y->nr ? -1 : x->nr > y->nr;
}

/* Appends [lo, ...): action, merging with the range before when the answer is the same. */
static void range_push(Range *r, size_t *n, uint32_t lo, uint32_t action)
{
        if (*n > 0 && r[*n - 1].lo == lo) {
                r[*n - 1].action = action;
                if (*n > 1 && r[*n - 2].action == action)
                        (*n)--;
        } else if (*n == 0 || r[*n - 1].action != action)
                r[(*n)++] = (Range){ lo, action };
}

/* The ranges of map, sorted, covering [0, 2^32). At most 2 * n + 1 of them. */
static int ranges_of(const SyscallActionMap *map, Range **ret, size_t *ret_n)
{
        _cleanup_free_ SyscallAction *v = NULL;
        _cleanup_free_ Range *r = NULL;
        size_t n = 0;

        v = reallocarray(NULL, map->n ?: 1, sizeof(*v));
        r = reallocarray(NULL, 2 * map->n + 1, sizeof(*r));
        if (!v || !r)
                return -ENOMEM;
        if (map->n > 0)
                memcpy(v, map->v, map->n * sizeof(*v));
        qsort(v, map->n, sizeof(*v), compare_nr);

        range_push(r, &n, 0, map->default_action);
        for (size_t i = 0; i < map->n; i++) {
                if (i > 0 && v[i].nr == v[i - 1].nr) {
                        if (v[i].action != v[i - 1].action)
                                return -EEXIST;
                        continue;
                }
                range_push(r, &n, v[i].nr, v[i].action);
                if (v[i].nr != UINT32_MAX)
                        range_push(r, &n, v[i].nr + 1, map->default_action);
        }
        *ret = TAKE_PTR(r);
        *ret_n = n;
        return 0;
}

/* Instructions the search over r[0..n) takes. */
static size_t tree_size(const Range *r, size_t n)
{
        size_t lower, half = n / 2;

        if (n == 1)
                return 1;
        lower = tree_size(r, half);
        return 1 + (lower > UINT8_MAX) + lower + tree_size(r + half, n - half);
}

static int emit(Emitter *e, uint16_t code, uint32_t k, uint8_t jt, uint8_t jf)
{
        if (e->n >= BPF_MAXINSNS)
                return -E2BIG;
        e->insns[e->n++] = (struct sock_filter)BPF_JUMP(code, k, jt, jf);
        return 0;
}

/* The lower half r[0..n/2) answers nr < r[n/2].lo, the upper half the rest. */
static int tree_emit(Emitter *e, const Range *r, size_t n)
{
        size_t half = n / 2, lower;
        int k;

        if (n == 1)
                return emit(e, BPF_RET | BPF_K, r[0].action, 0, 0);
        lower = tree_size(r, half);
        if (lower <= UINT8_MAX)
                k = emit(e, BPF_JMP | BPF_JGE | BPF_K, r[half].lo, (uint8_t)lower, 0);
        else {
                k = emit(e, BPF_JMP | BPF_JGE | BPF_K, r[half].lo, 0, 1);
                if (k >= 0)
                        k = emit(e, BPF_JMP | BPF_JA, (uint32_t)lower, 0, 0);
        }
        if (k >= 0)
                k = tree_emit(e, r, half);
        if (k >= 0)
                k = tree_emit(e, r + half, n - half);
        return k;
}

/* A jump of a node to a block's shared RET, patched once the RETs are placed. */
typedef struct Fixup {
        size_t at;
        bool jt;
        uint32_t action;
} Fixup;

/* The search over r[0..n), n >= 2, with halves of one range left to fixups; -ERANGE when an
 * upper half is out of a conditional jump's reach. */
static int shared_tree_emit(Emitter *e, const Range *r, size_t n, Fixup *fx, size_t *n_fx)
{
        size_t half = n / 2, node = e->n;
        int k;

        k = emit(e, BPF_JMP | BPF_JGE | BPF_K, r[half].lo, 0, 0);
        if (k < 0)
                return k;
        if (half == 1)
                fx[(*n_fx)++] = (Fixup){ node, false, r[0].action };
        else {
                k = shared_tree_emit(e, r, half, fx, n_fx);
                if (k < 0)
                        return k;
        }
        if (n - half == 1) {
                fx[(*n_fx)++] = (Fixup){ node, true, r[half].action };
                return 0;
        }
        if (e->n - (node + 1) > UINT8_MAX)
                return -ERANGE;
        e->insns[node].jt = (uint8_t)(e->n - (node + 1));
        return shared_tree_emit(e, r + half, n - half, fx, n_fx);
}

/* The search over r[0..n) with one RET per distinct action after the last node; -ERANGE when a
 * RET is out of some node's reach. */
static int shared_block_emit(Emitter *e, const Range *r, size_t n)
{
        _cleanup_free_ Fixup *fx = NULL;
        size_t n_fx = 0, rets = 0;
        int k;

        if (n < 2)
                return -ERANGE;
        fx = calloc(n, sizeof(*fx));
        if (!fx)
                return -ENOMEM;
        k = shared_tree_emit(e, r, n, fx, &n_fx);
        if (k < 0)
                return k;
        rets = e->n;
        for (size_t i = 0; i < n_fx; i++) {
                size_t at = rets;

                while (at < e->n && e->insns[at].k != fx[i].action)
                        at++;
                if (at == e->n) {
                        k = emit(e, BPF_RET | BPF_K, fx[i].action, 0, 0);
                        if (k < 0)
                                return k;
                }
                if (at - (fx[i].at + 1) > UINT8_MAX)
                        return -ERANGE;
                if (fx[i].jt)
                        e->insns[fx[i].at].jt = (uint8_t)(at - (fx[i].at + 1));
                else
                        e->insns[fx[i].at].jf = (uint8_t)(at - (fx[i].at + 1));
        }
        return 0;
}

int seccomp_number_map_compile(const SyscallActionMap *maps, size_t n_maps, uint32_t bad_arch_action,
                               struct sock_filter **ret)
{
        _cleanup_free_ struct sock_filter *insns = NULL;
        Emitter e;
        int r;

        if (n_maps == 0 || n_maps > BPF_MAXINSNS)
                return -EINVAL;
        for (size_t i = 0; i < n_maps; i++)
                for (size_t j = 0; j < i; j++)
                        if (maps[i].arch == maps[j].arch)
                                return -EINVAL;
        insns = calloc(BPF_MAXINSNS, sizeof(*insns));
        if (!insns)
                return -ENOMEM;
        e = (Emitter){ .insns = insns };

        /* The dispatch; the JAs are patched once each block's place is known. */
        r = emit(&e, BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch), 0, 0);
        for (size_t i = 0; r >= 0 && i < n_maps; i++) {
                r = emit(&e, BPF_JMP | BPF_JEQ | BPF_K, maps[i].arch, 0, 1);
                if (r >= 0)
                        r = emit(&e, BPF_JMP | BPF_JA, 0, 0, 0);
        }
        if (r >= 0)
                r = emit(&e, BPF_RET | BPF_K, bad_arch_action, 0, 0);

        for (size_t i = 0; r >= 0 && i < n_maps; i++) {
                _cleanup_free_ Range *ranges = NULL;
                size_t n_ranges, ja = 2 + 2 * i;

                r = ranges_of(&maps[i], &ranges, &n_ranges);
                if (r < 0)
                        break;
                e.insns[ja].k = (uint32_t)(e.n - (ja + 1));
                r = emit(&e, BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr), 0, 0);
                if (r < 0)
                        break;
                size_t start = e.n;
                r = shared_block_emit(&e, ranges, n_ranges);
                if (r == -ERANGE) { /* too long for shared RETs, or a single range */
                        e.n = start;
                        r = tree_emit(&e, ranges, n_ranges);
                }
        }
        if (r < 0)
                return r;
        *ret = TAKE_PTR(insns);
        return (int)e.n;
}
