/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The record of a running payload's confinement (record.h), for `berth exec`. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "macro.h"
#include "record.h"
#include "seccomp-cache.h"
#include "state.h"
#include "strv.h"

#define RECORD_FILE     "confinement"
#define RECORD_SIZE_MAX (1024U * 1024U)

void confinement_record_done(ConfinementRecord *r)
{
        free(r->label);
        free(r->user);
        free(r->working_directory);
        strv_free(r->environment);
        free(r->root);
        seccomp_bpf_done(&r->seccomp);
        *r = (ConfinementRecord){};
}

static int container_dir(const char *state_dir, const char *name, char **ret)
{
        return asprintf(ret, "%s/%s", state_dir, name) < 0 ? -ENOMEM : 0;
}

/* The key of a program: the SHA-256 of its BPF (the cache file then proves it is intact). */
static void bpf_key(const SeccompBpf *b, uint8_t ret[SHA256_DIGEST_SIZE])
{
        Sha256 s;

        sha256_init(&s);
        for (size_t i = 0; i < b->n_programs; i++) {
                const SeccompProgram *p = &b->programs[i];
                uint32_t head[3] = { p->flags, p->no_new_privs, p->n_insns };
                sha256_update(&s, head, sizeof(head));
                sha256_update(&s, p->insns, p->n_insns * sizeof(struct sock_filter));
        }
        sha256_final(&s, ret);
}

static int put(FILE *f, const char *key, const char *value)
{
        if (!value)
                return 0;
        /* NUL-separated: a value cannot hold a NUL, so none can end an entry early. */
        fprintf(f, "%s=%s", key, value);
        fputc(0, f);
        return 0;
}

int confinement_record_write(const char *state_dir, const char *name, const ConfinementRecord *r,
                             const SeccompBpf *bpf)
{
        _cleanup_free_ char *dir = NULL, *text = NULL;
        uint8_t key[SHA256_DIGEST_SIZE];
        char buf[64], hex[SHA256_HEX_SIZE];
        size_t size = 0;
        FILE *f;
        int q;

        if (container_dir(state_dir, name, &dir) < 0)
                return -ENOMEM;
        bpf_key(bpf, key);
        q = seccomp_cache_write(dir, key, bpf);
        if (q < 0)
                return q;
        for (size_t i = 0; i < SHA256_DIGEST_SIZE; i++)
                sprintf(hex + 2 * i, "%02x", key[i]);

        f = open_memstream(&text, &size);
        if (!f)
                return -ENOMEM;
        snprintf(buf, sizeof(buf), "%d", (int)r->supervisor_pid);
        put(f, "SUPERVISOR", buf);
        snprintf(buf, sizeof(buf), "%016" PRIx64, r->caps);
        put(f, "CAPS", buf);
        put(f, "NO_NEW_PRIVS", r->no_new_privs ? "1" : "0");
        put(f, "LABEL", r->label);
        put(f, "LABEL_ENFORCED", r->label_enforced ? "1" : "0");
        snprintf(buf, sizeof(buf), "%u", (unsigned)r->uid_base);
        put(f, "UID_BASE", buf);
        snprintf(buf, sizeof(buf), "%u", (unsigned)r->uid_size);
        put(f, "UID_SIZE", buf);
        put(f, "USER", r->user);
        put(f, "WORKING_DIRECTORY", r->working_directory);
        put(f, "ROOT", r->root);
        STRV_FOREACH (e, r->environment)
                put(f, "ENV", *e);
        put(f, "SECCOMP", hex);
        if (fclose(f) != 0)
                return -ENOMEM;
        /* 0600: confinement_record_read() refuses a file anyone else could have written. */
        return state_file_write(state_dir, name, RECORD_FILE, text, size, 0600, WRITE_FILE_SYNC);
}

static int parse_hex_key(const char *s, uint8_t ret[SHA256_DIGEST_SIZE])
{
        if (strlen(s) != 2 * SHA256_DIGEST_SIZE)
                return -EBADMSG;
        for (size_t i = 0; i < SHA256_DIGEST_SIZE; i++) {
                unsigned v;
                if (sscanf(s + 2 * i, "%2x", &v) != 1)
                        return -EBADMSG;
                ret[i] = (uint8_t)v;
        }
        return 0;
}

static int set_string(char **field, const char *v)
{
        free(*field);
        *field = strdup(v);
        return *field ? 0 : -ENOMEM;
}

static int parse_entry(ConfinementRecord *c, const char *entry, bool *have_caps, bool *have_key)
{
        const char *eq = strchr(entry, '=');
        char *end;

        if (!eq)
                return -EBADMSG;
        const char *v = eq + 1;
        size_t k = eq - entry;
#define KEY_IS(s) (k == strlen(s) && strneq(entry, s, k))
        if (KEY_IS("CAPS")) {
                errno = 0;
                c->caps = strtoull(v, &end, 16);
                *have_caps = !errno && *v && !*end;
                return *have_caps ? 0 : -EBADMSG;
        }
        if (KEY_IS("SUPERVISOR"))
                return c->supervisor_pid = (pid_t)strtol(v, NULL, 10), 0;
        if (KEY_IS("NO_NEW_PRIVS"))
                return c->no_new_privs = streq(v, "1"), 0;
        if (KEY_IS("LABEL_ENFORCED"))
                return c->label_enforced = streq(v, "1"), 0;
        if (KEY_IS("LABEL"))
                return set_string(&c->label, v);
        if (KEY_IS("UID_BASE"))
                return c->uid_base = (uid_t)strtoul(v, NULL, 10), 0;
        if (KEY_IS("UID_SIZE"))
                return c->uid_size = (uint32_t)strtoul(v, NULL, 10), 0;
        if (KEY_IS("USER"))
                return set_string(&c->user, v);
        if (KEY_IS("WORKING_DIRECTORY"))
                return set_string(&c->working_directory, v);
        if (KEY_IS("ROOT"))
                return set_string(&c->root, v);
        if (KEY_IS("ENV"))
                return strv_extend(&c->environment, v);
        if (KEY_IS("SECCOMP")) {
                *have_key = parse_hex_key(v, c->seccomp_key) >= 0;
                return *have_key ? 0 : -EBADMSG;
        }
#undef KEY_IS
        return 0; /* a newer berth's key: ignored */
}

int confinement_record_read(const char *state_dir, const char *name, ConfinementRecord *ret)
{
        _cleanup_free_ char *dir = NULL, *path = NULL, *buf = NULL;
        _cleanup_close_ int fd = -EBADF;
        ConfinementRecord c = {};
        bool have_caps = false, have_key = false;
        struct stat st;
        ssize_t n;
        int r = 0;

        if (container_dir(state_dir, name, &dir) < 0 || asprintf(&path, "%s/%s", dir, RECORD_FILE) < 0)
                return -ENOMEM;
        fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0)
                return errno == ELOOP ? -EPERM : negative_errno();
        if (fstat(fd, &st) < 0)
                return negative_errno();
        if (!S_ISREG(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 0077) != 0)
                return -EPERM;
        if (st.st_size <= 0 || (uint64_t)st.st_size > RECORD_SIZE_MAX)
                return -EBADMSG;
        buf = malloc(st.st_size + 1);
        if (!buf)
                return -ENOMEM;
        n = pread(fd, buf, st.st_size, 0);
        if (n < 0)
                return negative_errno();
        if (n != st.st_size || buf[n - 1] != 0)
                return -EBADMSG;
        for (char *e = buf; r >= 0 && e < buf + n; e += strlen(e) + 1)
                r = parse_entry(&c, e, &have_caps, &have_key);
        if (r >= 0 && (!have_caps || !have_key))
                r = -EBADMSG;
        if (r >= 0)
                r = seccomp_cache_read(dir, c.seccomp_key, &c.seccomp);
        if (r < 0) {
                confinement_record_done(&c);
                return r == -ENOENT ? -EBADMSG : r;
        }
        *ret = c;
        return 0;
}

void confinement_record_remove(const char *state_dir, const char *name)
{
        _cleanup_free_ char *path = NULL;

        /* The program file stays: one per distinct filter, a few KiB, replaced by an identical one
         * at the next start of the same config, and /run is emptied at boot. */
        if (asprintf(&path, "%s/%s/%s", state_dir, name, RECORD_FILE) >= 0)
                (void)unlink(path);
}
