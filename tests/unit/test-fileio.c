/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* write_file_atomic_at(): the whole new file or the old one, never through a planted symlink, no
 * temporary file left behind. read_fd_capped(): all of a file whatever its size said, up to the cap. */
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "macro.h"
#include "rm-rf.h"
#include "test.h"

static char *read_at(int dfd, const char *name)
{
        static char buf[256];
        _cleanup_close_ int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        ssize_t n;

        if (fd < 0)
                return NULL;
        n = read(fd, buf, sizeof(buf) - 1);
        if (n < 0)
                return NULL;
        buf[n] = 0;
        return buf;
}

int main(void)
{
        char tmpl[] = "/tmp/berth-test-fileio.XXXXXX";
        const char *dir = mkdtemp(tmpl);
        _cleanup_close_ int dfd = -EBADF, vfd = -EBADF;
        struct stat st;
        int r;

        CHECK(dir != NULL, "temporary directory created");
        dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        CHECK(mkdirat(dfd, "d", 0700) == 0 && mkdirat(dfd, "victim", 0700) == 0, "subdirectories made");
        int d = openat(dfd, "d", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        vfd = openat(dfd, "victim", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

        umask(077);
        r = write_file_atomic_at(d, "f", "one\n", 4, 0644, 0);
        CHECK(r == 0, "a new file is written (r=%d)", r);
        CHECK_STREQ(read_at(d, "f"), "one\n", "it holds the data");
        CHECK(fstatat(d, "f", &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode) &&
                      (st.st_mode & 07777) == 0644,
              "it has the mode asked for, not less the umask (0%o)", st.st_mode & 07777);
        CHECK(test_count_entries(d) == 1, "no temporary file is left beside it");

        /* Replaced by rename: a hard link to the old file still reads the old data. */
        CHECK(linkat(d, "f", d, "old", 0) == 0, "a second name for the old file");
        r = write_file_atomic_at(d, "f", "two\n", 4, 0600, WRITE_FILE_SYNC);
        CHECK(r == 0, "an existing file is replaced, with fsync (r=%d)", r);
        CHECK_STREQ(read_at(d, "f"), "two\n", "the name reads the new data");
        CHECK_STREQ(read_at(d, "old"), "one\n", "the old inode was not written in place");
        CHECK(fstatat(d, "f", &st, 0) == 0 && (st.st_mode & 07777) == 0600, "the new file has the new mode");
        CHECK(unlinkat(d, "old", 0) == 0 && test_count_entries(d) == 1, "still one file only");

        /* A symlink planted at the name is replaced, its target never written. */
        CHECK(symlinkat("../victim/target", d, "link") == 0, "a symlink planted at the name");
        r = write_file_atomic_at(d, "link", "three\n", 6, 0644, 0);
        CHECK(r == 0, "the write succeeds (r=%d)", r);
        CHECK(fstatat(d, "link", &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode),
              "the name is now a regular file");
        CHECK(faccessat(vfd, "target", F_OK, AT_SYMLINK_NOFOLLOW) < 0 && errno == ENOENT,
              "nothing was created where the symlink pointed");
        CHECK(test_count_entries(vfd) == 0, "the symlink's directory stays empty");

        /* A failure (a directory at the name) leaves no temporary file behind. */
        CHECK(mkdirat(d, "busy", 0700) == 0 && mkdirat(d, "busy/x", 0700) == 0, "a directory at the name");
        r = write_file_atomic_at(d, "busy", "four\n", 5, 0644, 0);
        CHECK(r == -EISDIR, "renaming over a directory fails with EISDIR (r=%d)", r);
        CHECK(test_count_entries(d) == 3, "only f, link and busy are there: the temporary file was removed");

        /* Empty data makes an empty file. */
        CHECK(write_file_atomic_at(d, "empty", "", 0, 0644, 0) == 0 && fstatat(d, "empty", &st, 0) == 0 &&
                      st.st_size == 0,
              "empty data makes an empty file");

        /* The same, where the file system has no O_TMPFILE: a named O_EXCL|O_NOFOLLOW file. */
        for (int k = 0; k < 2; k++) {
                WriteFileFlags f = WRITE_FILE_NO_TMPFILE | (k ? WRITE_FILE_SYNC : 0);
                r = write_file_atomic_at(d, "f", "five\n", 5, 0640, f);
                CHECK(r == 0, "named temporary file (flags %d): replaced (r=%d)", (int)f, r);
                CHECK_STREQ(read_at(d, "f"), "five\n", "named temporary file: the new data");
                CHECK(fstatat(d, "f", &st, 0) == 0 && (st.st_mode & 07777) == 0640,
                      "named: the mode asked for");
        }
        r = write_file_atomic_at(d, "link", "six\n", 4, 0644, WRITE_FILE_NO_TMPFILE);
        CHECK(r == 0 && fstatat(d, "link", &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode),
              "named: a regular file replaces the name");
        CHECK(symlinkat("../victim/target2", d, "link2") == 0, "named: a symlink planted at the name");
        r = write_file_atomic_at(d, "link2", "seven\n", 6, 0644, WRITE_FILE_NO_TMPFILE);
        CHECK(r == 0 && test_count_entries(vfd) == 0, "named: nothing created where the symlink pointed");
        r = write_file_atomic_at(d, "busy", "eight\n", 6, 0644, WRITE_FILE_NO_TMPFILE);
        CHECK(r == -EISDIR, "named: renaming over a directory fails with EISDIR (r=%d)", r);
        CHECK(test_count_entries(d) == 5,
              "named: f, link, link2, busy and empty only: the temporary file was removed");

        /* read_fd_capped(): the size hint only sizes the buffer; what read() returns decides. */
        char data[100];
        for (size_t i = 0; i < sizeof(data); i++)
                data[i] = (char)('a' + i % 26);
        CHECK(write_file_atomic_at(d, "r", data, sizeof(data), 0600, 0) == 0, "a 100-byte file to read");
        static const struct {
                size_t hint, max;
                int r;
        } reads[] = {
                { 100, 100, 0 },     { 100, 1000, 0 },  /* as stat said */
                { 0, 1000, 0 },      { 7, 100, 0 },     /* the file grew since: the buffer grows */
                { 1000, 1000, 0 },   { 0, 99, -EFBIG }, /* shrank since; over the cap */
                { 100, 99, -EFBIG }, { 99, 99, -EFBIG },
        };
        for (size_t i = 0; i < ELEMENTSOF(reads); i++) {
                _cleanup_close_ int fd = openat(d, "r", O_RDONLY | O_CLOEXEC);
                _cleanup_free_ char *got = NULL;
                size_t n = 0;

                r = read_fd_capped(fd, reads[i].hint, reads[i].max, &got, &n);
                CHECK(r == reads[i].r && (r < 0 || (n == sizeof(data) && memcmp(got, data, n) == 0)),
                      "read_fd_capped(hint %zu, max %zu): %s (r=%d, n=%zu)", reads[i].hint, reads[i].max,
                      reads[i].r == 0 ? "all 100 bytes" : "EFBIG", r, n);
        }
        {
                _cleanup_close_ int fd = openat(d, "zero", O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
                _cleanup_free_ char *got = NULL;
                size_t n = 1;

                r = read_fd_capped(fd, 0, 10, &got, &n);
                CHECK(r == 0 && n == 0 && got, "read_fd_capped() of an empty file: a buffer, no bytes");
        }

        close(d);
        CHECK(rm_rf_path(dir) == 0, "scratch directory removed");
        return test_done();
}
