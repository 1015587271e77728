/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The cache of compiled seccomp filters (see seccomp-cache.h for the layout and why). */
#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "macro.h"
#include "seccomp-cache.h"

#define CACHE_MAGIC   "BERTHBPF"
#define CACHE_VERSION 1

typedef struct CacheHeader {
        char magic[8];
        uint32_t version;
        uint32_t n_programs;
        uint8_t key[SHA256_DIGEST_SIZE];
        uint8_t digest[SHA256_DIGEST_SIZE]; /* of everything after the header */
} CacheHeader;

typedef struct CacheProgram {
        uint32_t flags;
        uint32_t no_new_privs;
        uint32_t n_insns;
        uint32_t reserved; /* 0; keeps the instructions 8-byte aligned */
} CacheProgram;

_Static_assert(sizeof(CacheHeader) % 8 == 0, "header keeps instructions aligned");
_Static_assert(sizeof(CacheProgram) % 8 == 0, "program header keeps instructions aligned");

#define CACHE_SIZE_MAX                                                                                      \
        (sizeof(CacheHeader) +                                                                              \
         SECCOMP_PROGRAMS_MAX * (sizeof(CacheProgram) + BPF_MAXINSNS * sizeof(struct sock_filter)))

#define KNOWN_FLAGS (SECCOMP_FILTER_FLAG_TSYNC | SECCOMP_FILTER_FLAG_LOG | SECCOMP_FILTER_FLAG_SPEC_ALLOW)

static void key_to_name(const uint8_t key[SHA256_DIGEST_SIZE], char ret[SHA256_HEX_SIZE + 4])
{
        for (size_t i = 0; i < SHA256_DIGEST_SIZE; i++)
                sprintf(ret + 2 * i, "%02x", key[i]);
        strcpy(ret + 2 * SHA256_DIGEST_SIZE, ".bpf");
}

/* Only what nobody else could have written: ours, and no access for group or others. What fstat()
 * said goes to *ret_st when not NULL (the reader's size: no second fstat()). */
static int check_private(int fd, mode_t type, struct stat *ret_st)
{
        struct stat st;

        if (fstat(fd, &st) < 0)
                return negative_errno();
        if ((st.st_mode & S_IFMT) != type || st.st_uid != geteuid() || (st.st_mode & 0077) != 0)
                return -EPERM;
        if (ret_st)
                *ret_st = st;
        return 0;
}

/* STATE_DIR/seccomp, created (0700) when create is set. */
static int cache_dir_open(const char *state_dir, bool create, int *ret_fd)
{
        _cleanup_close_ int sfd = -EBADF, dfd = -EBADF;
        int r;

        if (create && mkdir(state_dir, 0755) < 0 && errno != EEXIST)
                return negative_errno();
        sfd = open(state_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (sfd < 0)
                return negative_errno();
        if (create && mkdirat(sfd, SECCOMP_CACHE_DIR, 0700) < 0 && errno != EEXIST)
                return negative_errno();
        dfd = openat(sfd, SECCOMP_CACHE_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
        if (dfd < 0)
                return errno == ELOOP || errno == ENOTDIR ? -EPERM : negative_errno();
        r = check_private(dfd, S_IFDIR, NULL);
        if (r < 0)
                return r;
        *ret_fd = TAKE_FD(dfd);
        return 0;
}

static int parse(const uint8_t *buf, size_t size, const uint8_t key[SHA256_DIGEST_SIZE], SeccompBpf *ret)
{
        _cleanup_seccomp_bpf_ SeccompBpf b = {};
        const CacheHeader *h = (const CacheHeader *)buf;
        uint8_t digest[SHA256_DIGEST_SIZE];
        size_t off = sizeof(*h);
        Sha256 s;

        if (size < sizeof(*h) || size % 8 != 0 || memcmp(h->magic, CACHE_MAGIC, sizeof(h->magic)) != 0 ||
            h->version != CACHE_VERSION || memcmp(h->key, key, SHA256_DIGEST_SIZE) != 0 ||
            h->n_programs == 0 || h->n_programs > SECCOMP_PROGRAMS_MAX)
                return -EBADMSG;
        sha256_init(&s);
        sha256_update(&s, buf + off, size - off);
        sha256_final(&s, digest);
        if (memcmp(digest, h->digest, sizeof(digest)) != 0)
                return -EBADMSG;

        for (uint32_t i = 0; i < h->n_programs; i++) {
                const CacheProgram *p = (const CacheProgram *)(buf + off);
                SeccompProgram *bp = &b.programs[i];
                size_t bytes;

                if (size - off < sizeof(*p))
                        return -EBADMSG;
                off += sizeof(*p);
                bytes = (size_t)p->n_insns * sizeof(struct sock_filter);
                if (p->n_insns == 0 || p->n_insns > BPF_MAXINSNS || p->no_new_privs > 1 ||
                    (p->flags & ~KNOWN_FLAGS) != 0 || p->reserved != 0 || size - off < bytes)
                        return -EBADMSG;
                bp->insns = malloc(bytes);
                if (!bp->insns)
                        return -ENOMEM;
                memcpy(bp->insns, buf + off, bytes);
                bp->n_insns = (uint16_t)p->n_insns;
                bp->flags = p->flags;
                bp->no_new_privs = p->no_new_privs;
                b.n_programs++;
                off += bytes;
        }
        if (off != size)
                return -EBADMSG;
        *ret = b;
        b = (SeccompBpf){};
        return 0;
}

int seccomp_cache_read(const char *state_dir, const uint8_t key[SHA256_DIGEST_SIZE], SeccompBpf *ret)
{
        _cleanup_close_ int dfd = -EBADF, fd = -EBADF;
        _cleanup_free_ uint8_t *buf = NULL;
        char name[SHA256_HEX_SIZE + 4];
        struct stat st;
        ssize_t n;
        int r;

        r = cache_dir_open(state_dir, false, &dfd);
        if (r < 0)
                return r;
        key_to_name(key, name);
        fd = openat(dfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
        if (fd < 0)
                return errno == ELOOP ? -EPERM : negative_errno();
        r = check_private(fd, S_IFREG, &st);
        if (r < 0)
                return r;
        if (st.st_size <= 0 || (size_t)st.st_size > CACHE_SIZE_MAX)
                return -EBADMSG;
        buf = malloc(st.st_size);
        if (!buf)
                return -ENOMEM;
        n = pread(fd, buf, st.st_size, 0);
        if (n < 0)
                return negative_errno();
        if (n != st.st_size)
                return -EBADMSG;
        return parse(buf, n, key, ret);
}

static int serialize(const uint8_t key[SHA256_DIGEST_SIZE], const SeccompBpf *b, uint8_t **ret,
                     size_t *ret_size)
{
        size_t size = sizeof(CacheHeader), off;
        CacheHeader *h;
        uint8_t *buf;
        Sha256 s;

        if (b->n_programs == 0 || b->n_programs > SECCOMP_PROGRAMS_MAX)
                return -EINVAL;
        for (size_t i = 0; i < b->n_programs; i++)
                size += sizeof(CacheProgram) + b->programs[i].n_insns * sizeof(struct sock_filter);
        buf = calloc(1, size);
        if (!buf)
                return -ENOMEM;
        off = sizeof(CacheHeader);
        for (size_t i = 0; i < b->n_programs; i++) {
                const SeccompProgram *p = &b->programs[i];
                CacheProgram cp = { .flags = p->flags,
                                    .no_new_privs = p->no_new_privs,
                                    .n_insns = p->n_insns };
                size_t bytes = p->n_insns * sizeof(struct sock_filter);

                memcpy(buf + off, &cp, sizeof(cp));
                off += sizeof(cp);
                memcpy(buf + off, p->insns, bytes);
                off += bytes;
        }
        h = (CacheHeader *)buf;
        memcpy(h->magic, CACHE_MAGIC, sizeof(h->magic));
        h->version = CACHE_VERSION;
        h->n_programs = (uint32_t)b->n_programs;
        memcpy(h->key, key, SHA256_DIGEST_SIZE);
        sha256_init(&s);
        sha256_update(&s, buf + sizeof(*h), size - sizeof(*h));
        sha256_final(&s, h->digest);
        *ret = buf;
        *ret_size = size;
        return 0;
}

static bool file_has_content_at(int dfd, const char *name, const uint8_t *data, size_t size)
{
        _cleanup_close_ int fd = -EBADF;
        _cleanup_free_ uint8_t *buf = NULL;
        struct stat st;

        fd = openat(dfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
        if (fd < 0 || check_private(fd, S_IFREG, &st) < 0 || (size_t)st.st_size != size)
                return false;
        buf = malloc(size);
        if (!buf)
                return false;
        return pread(fd, buf, size, 0) == (ssize_t)size && memcmp(buf, data, size) == 0;
}

int seccomp_cache_write(const char *state_dir, const uint8_t key[SHA256_DIGEST_SIZE], const SeccompBpf *b)
{
        _cleanup_close_ int dfd = -EBADF;
        _cleanup_free_ uint8_t *buf = NULL;
        char name[SHA256_HEX_SIZE + 4];
        size_t size;
        int r;

        r = serialize(key, b, &buf, &size);
        if (r < 0)
                return r;
        r = cache_dir_open(state_dir, true, &dfd);
        if (r < 0)
                return r;
        key_to_name(key, name);
        /* Content-addressed: a copy already there, private and ours, holding exactly these bytes
         * needs no rewrite (every start of a container writes its own copy again). Compared byte
         * for byte, not trusted by name. Saves the temporary file, link and a rename over the old
         * copy, which on ext4 (auto_da_alloc) waits for writeback. */
        if (file_has_content_at(dfd, name, buf, size))
                return 0;
        /* Complete or absent under its name: a start killed half-way leaves nothing a reader takes.
         * 0600 and ours, as seccomp_cache_read() checks. No fsync: a file torn by a crash fails the
         * digest check and is compiled again. */
        return write_file_atomic_at(dfd, name, buf, size, 0600, 0);
}
