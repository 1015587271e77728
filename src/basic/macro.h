/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Cleanup attributes and ownership helpers shared by every berth module. */

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define _cleanup_(f)   __attribute__((cleanup(f)))
#define _unused_       __attribute__((unused))
#define _pure_         __attribute__((pure))
#define _printf_(a, b) __attribute__((format(printf, a, b)))
#define _noreturn_     __attribute__((noreturn))
#define _likely_(x)    __builtin_expect(!!(x), 1)
#define _unlikely_(x)  __builtin_expect(!!(x), 0)

#define ELEMENTSOF(x) (sizeof(x) / sizeof((x)[0]))

/* Hand ownership on: returns the value and clears the variable so its cleanup does nothing. */
#define TAKE_GENERIC(var, type, nullvalue)                                                                  \
        ({                                                                                                  \
                type *_pvar_ = &(var);                                                                      \
                type _var_ = *_pvar_;                                                                       \
                type _nullvalue_ = nullvalue;                                                               \
                *_pvar_ = _nullvalue_;                                                                      \
                _var_;                                                                                      \
        })
#define TAKE_PTR(ptr) TAKE_GENERIC(ptr, typeof(ptr), NULL)
#define TAKE_FD(fd)   TAKE_GENERIC(fd, int, -EBADF)

/* Generates a cleanup function calling func(*p) when *p is not NULL. */
#define DEFINE_TRIVIAL_CLEANUP_FUNC(type, func)                                                             \
        static inline void func##p(type *p)                                                                 \
        {                                                                                                   \
                if (*p)                                                                                     \
                        func(*p);                                                                           \
        }

static inline void freep(void *p)
{
        free(*(void **)p);
}
#define _cleanup_free_ _cleanup_(freep)

static inline int safe_close(int fd)
{
        if (fd >= 0) {
                int saved = errno;
                close(fd);
                errno = saved;
        }
        return -EBADF;
}

static inline void closep(int *fd)
{
        *fd = safe_close(*fd);
}
#define _cleanup_close_ _cleanup_(closep)

/* Closes a stream. Writers fflush() and check ferror() themselves before returning success. */
static inline void fclosep(FILE **f)
{
        if (*f)
                fclose(*f);
}
#define _cleanup_fclose_ _cleanup_(fclosep)

static inline void close_pair(int p[2])
{
        p[0] = safe_close(p[0]);
        p[1] = safe_close(p[1]);
}
static inline void close_pairp(int (*p)[2])
{
        close_pair(*p);
}
#define _cleanup_close_pair_ _cleanup_(close_pairp)

/* Returns -errno from the last failed libc call, never 0 (so a caller cannot mistake it for success). */
static inline int negative_errno(void)
{
        return errno > 0 ? -errno : -EIO;
}

#define RET_NERRNO(expr)                                                                                    \
        ({                                                                                                  \
                typeof(expr) _r_ = (expr);                                                                  \
                _r_ < 0 ? negative_errno() : (int)_r_;                                                      \
        })

#define streq(a, b)     (strcmp((a), (b)) == 0)
#define strneq(a, b, n) (strncmp((a), (b), (n)) == 0)
#define streq_ptr(a, b) ((a) == (b) || ((a) && (b) && strcmp((a), (b)) == 0))
#define isempty(s)      (!(s) || !(s)[0])
#define strempty(s)     ((s) ? (s) : "")
#define strna(s)        ((s) ? (s) : "n/a")
#define yes_no(b)       ((b) ? "yes" : "no")
