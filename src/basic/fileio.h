/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Writing a whole file so that a reader sees the old contents or the new ones, never a part. */

#include <stddef.h>
#include <sys/types.h>

typedef enum WriteFileFlags {
        WRITE_FILE_SYNC = 1 << 0,       /* fsync() the data before it takes the name */
        WRITE_FILE_NO_TMPFILE = 1 << 1, /* a named temporary file, as where O_TMPFILE fails (tests) */
} WriteFileFlags;

/* Writes data to a file that is not yet (or not under its final name) in dirfd, then renames it
 * over name. The temporary file is an unnamed O_TMPFILE, or a fresh uniquely named file where the
 * file system has no O_TMPFILE; neither it nor name is ever followed as a symlink (a symlink at
 * name is replaced, not written through), and it is removed on any failure. The file gets mode
 * exactly (the umask is not applied). Returns 0 or -errno. */
int write_file_atomic_at(int dirfd, const char *name, const void *data, size_t len, mode_t mode,
                         WriteFileFlags flags);

/* Whether fd, one of the caller's standard streams, may be handed to a container as it is. A
 * directory, or an O_PATH handle of anything, is a handle on the host's file tree: openat()
 * relative to it, or /proc/self/fd/N, reaches past the container's root (`berth run NAME < /`).
 * Returns 0 (also for a closed fd: nothing is handed), -EISDIR for a directory, -EBADFD for an
 * O_PATH handle. */
int stdio_check_handoff(int fd);
/* The one message for a refusal of stdio_check_handoff(): what fd is, and the fix. */
#define STDIO_REFUSAL_MAX 192
const char *stdio_handoff_refusal(int fd, int error, char buf[static STDIO_REFUSAL_MAX]);

/* Reads fd to its end into a new buffer (*ret, *ret_size bytes, not NUL-terminated); -EFBIG when
 * there is more than max. size_hint (the file's st_size) sizes the buffer: a small file costs a
 * small allocation, not max bytes mapped and unmapped again, and the buffer grows when the file
 * did. Returns 0 or -errno. */
int read_fd_capped(int fd, size_t size_hint, size_t max, char **ret, size_t *ret_size);
