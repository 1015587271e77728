/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* berth's SHA-256 against the FIPS 180-4 example vectors and against sha256sum(1) on random data
 * fed in odd-sized pieces (so every buffering path is taken). */
#include <stdio.h>
#include <string.h>

#include "macro.h"
#include "sha256.h"
#include "test.h"

static void hex_of(const void *data, size_t size, size_t piece, char out[SHA256_HEX_SIZE])
{
        Sha256 h;
        sha256_init(&h);
        for (size_t off = 0; off < size; off += piece)
                sha256_update(&h, (const char *)data + off, size - off < piece ? size - off : piece);
        sha256_final_hex(&h, out);
}

int main(void)
{
        static const struct {
                const char *msg;
                const char *hex;
        } vectors[] = {
                { "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
                { "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
                { "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
                  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
        };
        char hex[SHA256_HEX_SIZE];

        for (size_t i = 0; i < ELEMENTSOF(vectors); i++) {
                hex_of(vectors[i].msg, strlen(vectors[i].msg), 64, hex);
                CHECK(streq(hex, vectors[i].hex), "FIPS 180-4 vector %zu", i);
        }

        /* One million 'a' (FIPS 180-4 long message), in 1000-byte pieces. */
        static char a[1000000];
        memset(a, 'a', sizeof(a));
        hex_of(a, sizeof(a), 1000, hex);
        CHECK(streq(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"),
              "one million 'a'");

        /* Random data of lengths around the block and padding boundaries, against sha256sum. */
        static const size_t sizes[] = { 1, 55, 56, 63, 64, 65, 119, 120, 127, 128, 4097, 300001 };
        static const size_t pieces[] = { 1, 7, 64, 1000000 };
        FILE *rnd = fopen("/dev/urandom", "re");
        CHECK(rnd != NULL, "open /dev/urandom");
        for (size_t i = 0; rnd && i < ELEMENTSOF(sizes); i++) {
                static char buf[300001];
                char path[] = "/tmp/berth-test-sha256.XXXXXX", cmd[128], expected[SHA256_HEX_SIZE] = "";
                int fd = mkstemp(path);
                FILE *p;
                bool all = true;

                if (fread(buf, 1, sizes[i], rnd) != sizes[i] || fd < 0 ||
                    write(fd, buf, sizes[i]) != (ssize_t)sizes[i]) {
                        CHECK(false, "write %zu random bytes", sizes[i]);
                        continue;
                }
                close(fd);
                snprintf(cmd, sizeof(cmd), "sha256sum %s", path);
                p = popen(cmd, "re");
                if (!p || fscanf(p, "%64s", expected) != 1)
                        expected[0] = 0;
                if (p)
                        pclose(p);
                unlink(path);
                for (size_t j = 0; j < ELEMENTSOF(pieces); j++) {
                        hex_of(buf, sizes[i], pieces[j], hex);
                        all = all && streq(hex, expected);
                }
                CHECK(all, "%zu random bytes, fed in pieces of 1, 7, 64 and all at once, match sha256sum",
                      sizes[i]);
        }
        if (rnd)
                fclose(rnd);
        return test_done();
}
