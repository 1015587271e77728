/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* A syscall through the 32-bit x86 ABI (int $0x80) from a 64-bit process: seccomp sees it with
 * AUDIT_ARCH_I386 and the i386 numbers, which is how tests reach the compat ABI's filter. */

#include <errno.h>

static inline long x86_32_syscall(long nr, long a0)
{
        long ret;
        __asm__ volatile("int $0x80" : "=a"(ret) : "a"(nr), "b"(a0) : "memory");
        if (ret < 0 && ret > -4096) {
                errno = (int)-ret;
                return -1;
        }
        return ret;
}

/* The same with three arguments (ebx, ecx, edx); pointers must lie below 4 GiB (MAP_32BIT). */
static inline long x86_32_syscall3(long nr, long a0, long a1, long a2)
{
        long ret;
        __asm__ volatile("int $0x80" : "=a"(ret) : "a"(nr), "b"(a0), "c"(a1), "d"(a2) : "memory");
        if (ret < 0 && ret > -4096) {
                errno = (int)-ret;
                return -1;
        }
        return ret;
}
