/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The seccomp cache: the same filter compiled twice comes from STATE_DIR/seccomp/ the second
 * time, another filter misses, and an entry that is damaged, not ours or open to others is
 * ignored: the filter is compiled again and the entry replaced. */
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "caps.h"
#include "rm-rf.h"
#include "seccomp-cache.h"
#include "seccomp-filter.h"
#include "seccomp-test-util.h"
#include "strv.h"
#include "test.h"

static char state[] = "/tmp/berth-test-seccomp-cache.XXXXXX";
static char cache[sizeof(state) + 16];

static int compile(const char *state_dir, char **filter, SeccompBpf *ret)
{
        _cleanup_config_ ContainerConfig *c = NULL;
        int r = test_config_with_filter(filter, &c);
        if (r < 0)
                return r;
        return seccomp_compile(c, caps_default_set(), state_dir, ret, NULL);
}

static bool bpf_equal(const SeccompBpf *a, const SeccompBpf *b)
{
        if (a->n_programs == 0 || a->n_programs != b->n_programs)
                return false;
        for (size_t i = 0; i < a->n_programs; i++) {
                const SeccompProgram *p = &a->programs[i], *q = &b->programs[i];
                if (p->flags != q->flags || p->no_new_privs != q->no_new_privs || p->n_insns != q->n_insns ||
                    memcmp(p->insns, q->insns, p->n_insns * sizeof(*p->insns)) != 0)
                        return false;
        }
        return true;
}

/* Names of the entries (*.bpf), and whether anything else (a temporary file) is there. */
static size_t entries(char names[][80], size_t max, bool *ret_other)
{
        DIR *d = opendir(cache);
        struct dirent *de;
        size_t n = 0;

        *ret_other = false;
        while (d && (de = readdir(d))) {
                size_t l = strlen(de->d_name);
                if (streq(de->d_name, ".") || streq(de->d_name, ".."))
                        continue;
                if (de->d_name[0] != '.' && l == 64 + 4 && streq(de->d_name + 64, ".bpf")) {
                        if (n < max)
                                snprintf(names[n], 80, "%s", de->d_name);
                        n++;
                } else
                        *ret_other = true;
        }
        if (d)
                closedir(d);
        return n;
}

static void key_from_name(const char *name, uint8_t key[SHA256_DIGEST_SIZE])
{
        for (size_t i = 0; i < SHA256_DIGEST_SIZE; i++) {
                char hex[3] = { name[2 * i], name[2 * i + 1], 0 };
                key[i] = (uint8_t)strtoul(hex, NULL, 16);
        }
}

static char *entry_path(const char *name)
{
        static char path[sizeof(cache) + 80];
        snprintf(path, sizeof(path), "%s/%s", cache, name);
        return path;
}

/* Makes the entry for key hold other's programs: valid, but not what compiling would give. */
static bool plant(const uint8_t key[SHA256_DIGEST_SIZE], const SeccompBpf *other)
{
        return seccomp_cache_write(state, key, other) == 0;
}

typedef enum Damage {
        DAMAGE_FLIP_INSTRUCTION,
        DAMAGE_TRUNCATE_UNALIGNED,
        DAMAGE_TRUNCATE_ALIGNED,
        DAMAGE_EMPTY,
        DAMAGE_MAGIC,
        DAMAGE_APPEND,
        DAMAGE_OWNER,
        DAMAGE_MODE,
        DAMAGE_SYMLINK,
        _DAMAGE_MAX,
} Damage;

static const char *const damage_names[] = {
        [DAMAGE_FLIP_INSTRUCTION] = "a flipped bit in an instruction",
        [DAMAGE_TRUNCATE_UNALIGNED] = "a size not a multiple of 8",
        [DAMAGE_TRUNCATE_ALIGNED] = "a program cut short",
        [DAMAGE_EMPTY] = "an empty file",
        [DAMAGE_MAGIC] = "a wrong magic",
        [DAMAGE_APPEND] = "trailing bytes",
        [DAMAGE_OWNER] = "another owner",
        [DAMAGE_MODE] = "mode 0644",
        [DAMAGE_SYMLINK] = "a symlink to a valid entry",
};

static int damage(const char *path, Damage d)
{
        _cleanup_close_ int fd = -EBADF;
        struct stat st;
        uint8_t b;

        if (stat(path, &st) < 0)
                return -errno;
        switch (d) {
        case DAMAGE_FLIP_INSTRUCTION:
                fd = open(path, O_RDWR | O_CLOEXEC);
                if (fd < 0 || pread(fd, &b, 1, st.st_size - 3) != 1)
                        return -EIO;
                b ^= 0x01;
                return pwrite(fd, &b, 1, st.st_size - 3) == 1 ? 0 : -EIO;
        case DAMAGE_TRUNCATE_UNALIGNED: return truncate(path, st.st_size - 4) < 0 ? -errno : 0;
        case DAMAGE_TRUNCATE_ALIGNED: return truncate(path, st.st_size - 8) < 0 ? -errno : 0;
        case DAMAGE_EMPTY: return truncate(path, 0) < 0 ? -errno : 0;
        case DAMAGE_MAGIC:
                fd = open(path, O_RDWR | O_CLOEXEC);
                return fd >= 0 && pwrite(fd, "X", 1, 0) == 1 ? 0 : -EIO;
        case DAMAGE_APPEND:
                fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
                return fd >= 0 && write(fd, "\0\0\0\0\0\0\0\0", 8) == 8 ? 0 : -EIO;
        case DAMAGE_OWNER: return chown(path, 65534, 65534) < 0 ? -errno : 0;
        case DAMAGE_MODE: return chmod(path, 0644) < 0 ? -errno : 0;
        case DAMAGE_SYMLINK: {
                char target[sizeof(cache) + 16];
                snprintf(target, sizeof(target), "%s/.valid", cache);
                /* a valid entry, just not reached directly */
                if (rename(path, target) < 0 || symlink(target, path) < 0)
                        return -errno;
                return 0;
        }
        case _DAMAGE_MAX: break;
        }
        return -EINVAL;
}

int main(void)
{
        _cleanup_seccomp_bpf_ SeccompBpf fresh = {}, keyring = {}, first = {}, hit = {}, read_back = {},
                                         planted_hit = {}, other = {};
        char names[4][80], name[80]; /* name: the default filter's entry */
        uint8_t key[SHA256_DIGEST_SIZE];
        struct stat st;
        bool tmp_left;
        int r;

        if (!mkdtemp(state))
                return 1;
        snprintf(cache, sizeof(cache), "%s/" SECCOMP_CACHE_DIR, state);

        CHECK(compile(NULL, NULL, &fresh) == 0 && compile(NULL, STRV_MAKE("@keyring"), &keyring) == 0 &&
                      !bpf_equal(&fresh, &keyring),
              "default and @keyring filters compile without a cache, and differ");

        /* miss: compiled and stored */
        CHECK(compile(state, NULL, &first) == 0 && bpf_equal(&first, &fresh),
              "first compile with an empty cache gives the filter compiled without one");
        CHECK(entries(names, ELEMENTSOF(names), &tmp_left) == 1 && !tmp_left,
              "one entry written, nothing else");
        CHECK(stat(cache, &st) == 0 && S_ISDIR(st.st_mode) && (st.st_mode & 07777) == 0700 &&
                      st.st_uid == geteuid(),
              "cache directory is ours, mode 0700");
        CHECK(stat(entry_path(names[0]), &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 07777) == 0600 &&
                      st.st_uid == geteuid() && st.st_size % 8 == 0,
              "entry is ours, mode 0600, a multiple of 8 bytes (%lld)", (long long)st.st_size);
        snprintf(name, sizeof(name), "%s", names[0]);
        key_from_name(name, key);
        CHECK(seccomp_cache_read(state, key, &read_back) == 0 && bpf_equal(&read_back, &fresh),
              "entry reads back as the compiled filter");
        /* the same bytes again: the copy there is kept (no new file per start), other bytes
         * under that name replace it */
        struct stat kept_before, kept_after;
        CHECK(stat(entry_path(names[0]), &kept_before) == 0 &&
                      seccomp_cache_write(state, key, &fresh) == 0 &&
                      stat(entry_path(names[0]), &kept_after) == 0 &&
                      kept_after.st_ino == kept_before.st_ino,
              "writing the same filter again keeps the entry's inode");
        seccomp_bpf_done(&read_back);
        CHECK(plant(key, &keyring) && stat(entry_path(names[0]), &kept_after) == 0 &&
                      kept_after.st_ino != kept_before.st_ino &&
                      seccomp_cache_read(state, key, &read_back) == 0 && bpf_equal(&read_back, &keyring),
              "writing other programs under the key replaces the entry");
        seccomp_bpf_done(&read_back);
        CHECK(seccomp_cache_write(state, key, &fresh) == 0 &&
                      seccomp_cache_read(state, key, &read_back) == 0 && bpf_equal(&read_back, &fresh),
              "... and writing the filter again restores it");
        memset(&other, 0, sizeof(other));
        key[0] ^= 1;
        CHECK(seccomp_cache_read(state, key, &other) == -ENOENT && other.n_programs == 0,
              "another key has no entry (-ENOENT)");
        key[0] ^= 1;

        /* hit: the entry is used as it is; planting another filter's programs shows it */
        CHECK(compile(state, NULL, &hit) == 0 && bpf_equal(&hit, &fresh),
              "second compile gives the same filter");
        CHECK(plant(key, &keyring) && compile(state, NULL, &planted_hit) == 0 &&
                      bpf_equal(&planted_hit, &keyring),
              "second compile takes the programs from the entry, not from libseccomp");

        /* miss: another filter gets its own entry */
        seccomp_bpf_done(&other);
        CHECK(compile(state, STRV_MAKE("@keyring"), &other) == 0 && bpf_equal(&other, &keyring) &&
                      entries(names, ELEMENTSOF(names), &tmp_left) == 2 && !tmp_left,
              "another filter misses and gets an entry of its own");

        /* Anything wrong with the default filter's entry: ignored, compiled again, replaced. The
         * entry holds the @keyring programs before it is damaged, so using it would show. */
        for (Damage d = 0; d < _DAMAGE_MAX; d++) {
                _cleanup_seccomp_bpf_ SeccompBpf got = {}, after = {};

                if (d == DAMAGE_OWNER && geteuid() != 0) {
                        printf("ok %d # SKIP %s: chown needs root\n", ++test_n, damage_names[d]);
                        continue;
                }
                CHECK(plant(key, &keyring) && damage(entry_path(name), d) == 0,
                      "%s: entry planted and damaged", damage_names[d]);
                r = seccomp_cache_read(state, key, &got);
                CHECK(r == (d >= DAMAGE_OWNER ? -EPERM : -EBADMSG) && got.n_programs == 0,
                      "%s: refused by the reader (%s)", damage_names[d],
                      r < 0 ? strerrorname_np(-r) : "read");
                CHECK(compile(state, NULL, &got) == 0 && bpf_equal(&got, &fresh),
                      "%s: ignored, the filter is compiled again", damage_names[d]);
                CHECK(lstat(entry_path(name), &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == geteuid() &&
                              (st.st_mode & 07777) == 0600 && seccomp_cache_read(state, key, &after) == 0 &&
                              bpf_equal(&after, &fresh),
                      "%s: the entry is replaced by a good one", damage_names[d]);
                (void)unlink(entry_path(".valid"));
        }

        /* A directory open to others, or not ours: not read, not written. */
        for (int k = 0; k < 2; k++) {
                _cleanup_seccomp_bpf_ SeccompBpf got = {};

                if (k == 1 && geteuid() != 0) {
                        printf("ok %d # SKIP a directory owned by another user: chown needs root\n",
                               ++test_n);
                        continue;
                }
                CHECK(plant(key, &keyring), "entry planted");
                r = k == 0 ? chmod(cache, 0755) : chown(cache, 65534, 65534);
                CHECK(r == 0 && seccomp_cache_read(state, key, &got) == -EPERM,
                      "a cache directory %s is refused",
                      k == 0 ? "with mode 0755" : "owned by another user");
                CHECK(compile(state, NULL, &got) == 0 && bpf_equal(&got, &fresh),
                      "... and its entry ignored");
                CHECK(seccomp_cache_write(state, key, &fresh) == -EPERM, "... and nothing written into it");
                (void)chmod(cache, 0700);
                (void)!chown(cache, geteuid(), getegid());
        }

        entries(names, ELEMENTSOF(names), &tmp_left);
        CHECK(!tmp_left, "no temporary file left behind");
        CHECK(rm_rf_path(state) == 0, "state directory removed");
        return test_done();
}
