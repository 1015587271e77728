/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* berth copy-to NAME HOST-SRC [CONTAINER-DEST] / berth copy-from NAME CONTAINER-SRC [HOST-DEST]:
 * regular files and directories (recursively) between the host and a running container, with
 * machinectl's argument order (issue 21: machined's copy-to creates files as host root, which no
 * berth container maps).
 *
 * Who touches what:
 * - The host side (this process) opens or creates every host file itself, never following a
 *   symlink (O_NOFOLLOW, O_EXCL, fd-relative below the top it opened).
 * - A child, non-dumpable (so the container's root can neither ptrace it nor read its fds through
 *   /proc), joins only the container's user and mount namespaces (join.c: the recorded leader),
 *   becomes root of the user namespace and opens every container path as that root, relative to
 *   the container's root with openat2(RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS), O_NOFOLLOW on the
 *   last component and single-name, symlink-free steps below it. It never joins the container's
 *   PID namespace or cgroup: no container process can see it.
 * - copy-to: the child holds the host source fds (opened before it joined) and writes the
 *   container files, so they are created by the container's root: no EOVERFLOW, and what it
 *   writes is what the container's root could write.
 * - copy-from: the child opens each container file (non-blocking, checked regular by fstat) and
 *   hands the fd over a socket with its name and mode; the host side reads at most the size it
 *   had when opened and creates the host copy. Names come one path component at a time, checked.
 * Both build the copy under a temporary name beside the target and rename it into place at the end
 * (RENAME_NOREPLACE; with --force RENAME_EXCHANGE, then the old one is removed), so a failed copy
 * leaves nothing half-written under the target's name.
 *
 * Everything else (symlinks, FIFOs, sockets, device nodes) is refused with an error naming it. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <linux/openat2.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

#include "exit-status.h"
#include "launch.h"
#include "load.h"
#include "log.h"
#include "macro.h"
#include "rm-rf.h"
#include "state.h"
#include "string-util.h"
#include "verbs.h"

#define COPY_DEPTH_MAX 256
#define COPY_BUFFER    (128 * 1024)

typedef enum CopyMsgType {
        MSG_FILE,  /* the fd of a regular file: name, mode, owner, size */
        MSG_ENTER, /* a directory: create name, go into it */
        MSG_LEAVE, /* back up one directory, give it mode and owner */
        MSG_DONE,
        MSG_ERROR, /* text: why */
} CopyMsgType;

typedef struct CopyMsg {
        CopyMsgType type;
        mode_t mode;
        uid_t uid; /* the sender's view */
        gid_t gid;
        uint64_t size;
        char name[NAME_MAX + 1];
        char text[1024];
} CopyMsg;

typedef struct Copy {
        const char *name; /* the container */
        bool to;          /* copy-to: host → container */
        bool force;
        const char *host_path, *container_path;
        JoinTarget target;
        int sock; /* the child's end, in the child */
        bool selinux;
        char label[256]; /* the container root's label, given to what the child creates */
        ssize_t label_len;
        mode_t umask; /* the caller's: copy-from's host files get the container's modes less it */
} Copy;

/* The one error line (first one wins), printed by verb_copy(). */
_printf_(2, 3) static void copy_error(char **slot, const char *fmt, ...)
{
        va_list ap;

        if (*slot)
                return;
        va_start(ap, fmt);
        if (vasprintf(slot, fmt, ap) < 0)
                *slot = NULL;
        va_end(ap);
}

/* ---- shared by both sides: fd-relative, never following a symlink -------------------------- */

static bool name_is_plain(const char *n)
{
        return !isempty(n) && !streq(n, ".") && !streq(n, "..") && !strchr(n, '/') && strlen(n) <= NAME_MAX;
}

/* Opens name in dir_fd after checking what it is without opening it (no device or FIFO is ever
 * opened for reading by mistake), then checks the opened one is the same, regular or directory. */
static int open_entry(int dir_fd, const char *name, struct stat *ret)
{
        struct stat a;
        int fd;

        if (fstatat(dir_fd, name, &a, AT_SYMLINK_NOFOLLOW) < 0)
                return negative_errno();
        if (S_ISLNK(a.st_mode))
                return -ELOOP;
        if (!S_ISREG(a.st_mode) && !S_ISDIR(a.st_mode))
                return -EBADFD;
        fd = openat(dir_fd, name,
                    O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC |
                            (S_ISDIR(a.st_mode) ? O_DIRECTORY : 0));
        if (fd < 0)
                return negative_errno();
        if (fstat(fd, ret) < 0 || ret->st_dev != a.st_dev || ret->st_ino != a.st_ino ||
            (ret->st_mode & S_IFMT) != (a.st_mode & S_IFMT)) {
                safe_close(fd);
                return -ESTALE;
        }
        return fd;
}

static const char *entry_error(int r)
{
        switch (r) {
        case -ELOOP: return "is a symbolic link (only regular files and directories are copied)";
        case -EBADFD: return "is not a regular file or directory (refused)";
        case -ESTALE: return "changed while it was opened";
        case -EEXIST: return "exists (use --force to replace it)";
        case -ENAMETOOLONG: return "is nested too deep";
        default: return strerror(-r);
        }
}

/* A name beside target for the copy to be built under. */
static void tmp_name(char buf[static NAME_MAX + 1])
{
        snprintf(buf, NAME_MAX + 1, ".#berth-copy-%d-%lx", (int)getpid(), (unsigned long)random());
}

/* Puts tmp in place of target in dir_fd: never over an existing one without force; with force the
 * old one is exchanged out and removed. */
static int commit_tmp(int dir_fd, const char *tmp, const char *target, bool force)
{
        if (syscall(SYS_renameat2, dir_fd, tmp, dir_fd, target, RENAME_NOREPLACE) == 0)
                return 0;
        if (errno != EEXIST || !force)
                return negative_errno();
        if (syscall(SYS_renameat2, dir_fd, tmp, dir_fd, target, RENAME_EXCHANGE) < 0)
                return negative_errno();
        return rm_rf_at(dir_fd, tmp); /* now the old one */
}

/* Copies [from, to) of in to the same offsets of out; *ret_end: where it stopped (less than to
 * when in ended early: it shrank). */
static int copy_range(int in, int out, char *buf, uint64_t from, uint64_t to, uint64_t *ret_end)
{
        while (from < to) {
                size_t want = to - from < COPY_BUFFER ? (size_t)(to - from) : COPY_BUFFER;
                ssize_t n = pread(in, buf, want, (off_t)from);

                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        return negative_errno();
                if (n == 0)
                        break;
                for (ssize_t w = 0; w < n;) {
                        ssize_t k = pwrite(out, buf + w, n - w, (off_t)(from + w));
                        if (k < 0 && errno == EINTR)
                                continue;
                        if (k < 0)
                                return negative_errno();
                        w += k;
                }
                from += n;
        }
        *ret_end = from;
        return 0;
}

static uint64_t min_u64(uint64_t a, uint64_t b)
{
        return a < b ? a : b;
}

/* Copies at most max bytes (the size in had when opened: the sender's side may make it grow).
 * Holes stay holes: a file's size is whatever its owner set (truncate -s 1P in a container), and
 * writing its holes out as zeros would fill the disk of the side that receives it. */
static int copy_bytes(int in, int out, uint64_t max)
{
        _cleanup_free_ char *buf = malloc(COPY_BUFFER);
        uint64_t off = 0, end = 0;
        int r = 0;

        if (!buf)
                return -ENOMEM;
        while (off < max) {
                off_t data = lseek(in, (off_t)off, SEEK_DATA), hole;
                uint64_t upto;

                if (data < 0 && errno == ENXIO) { /* a hole up to the end */
                        struct stat st;

                        if (fstat(in, &st) < 0)
                                return negative_errno();
                        end = min_u64((uint64_t)st.st_size, max);
                        break;
                }
                if (data < 0) { /* no SEEK_DATA here: every byte is data */
                        r = copy_range(in, out, buf, off, max, &end);
                        break;
                }
                if ((uint64_t)data >= max) {
                        end = max;
                        break;
                }
                hole = lseek(in, data, SEEK_HOLE);
                if (hole < 0)
                        return negative_errno();
                upto = min_u64((uint64_t)hole, max);
                r = copy_range(in, out, buf, (uint64_t)data, upto, &end);
                if (r < 0 || end < upto) /* an error, or it shrank */
                        break;
                off = end;
        }
        if (r < 0)
                return r;
        /* The size, with the last hole (what was skipped stays unallocated). */
        return RET_NERRNO(ftruncate(out, (off_t)end));
}

/* Splits an absolute path into its directory and last component (a plain name). */
static int path_split(const char *path, char **ret_dir, const char **ret_base)
{
        const char *slash = strrchr(path, '/');

        if (path[0] != '/' || !slash || !name_is_plain(slash + 1))
                return -EINVAL;
        *ret_dir = slash == path ? strdup("/") : strndup(path, slash - path);
        if (!*ret_dir)
                return -ENOMEM;
        *ret_base = slash + 1;
        return 0;
}

/* ---- the stream: a tree as messages, the fd of each regular file handed along ---------------- */

static int msg_send(int sock, const CopyMsg *m, int fd)
{
        char control[CMSG_SPACE(sizeof(int))] = {};
        struct iovec iov = { .iov_base = (void *)m, .iov_len = sizeof(*m) };
        struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };

        if (fd >= 0) {
                struct cmsghdr *cm;
                mh.msg_control = control;
                mh.msg_controllen = sizeof(control);
                cm = CMSG_FIRSTHDR(&mh);
                cm->cmsg_level = SOL_SOCKET;
                cm->cmsg_type = SCM_RIGHTS;
                cm->cmsg_len = CMSG_LEN(sizeof(int));
                memcpy(CMSG_DATA(cm), &fd, sizeof(int));
        }
        return RET_NERRNO(sendmsg(sock, &mh, MSG_NOSIGNAL));
}

/* 1 with a message (and *ret_fd when one came along), 0 when the peer is gone. */
static int msg_recv(int sock, CopyMsg *m, int *ret_fd)
{
        char control[CMSG_SPACE(sizeof(int))] = {};
        struct iovec iov = { .iov_base = m, .iov_len = sizeof(*m) };
        struct msghdr mh = {
                .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control, .msg_controllen = sizeof(control)
        };
        ssize_t n;

        *ret_fd = -EBADF;
        n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
        /* A peer that exited with our messages unread is reported once as ECONNRESET, before
         * what it sent last (its error line). */
        if (n < 0 && errno == ECONNRESET)
                n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
        if (n < 0)
                return negative_errno();
        for (struct cmsghdr *cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm))
                if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS &&
                    cm->cmsg_len == CMSG_LEN(sizeof(int)))
                        memcpy(ret_fd, CMSG_DATA(cm), sizeof(int));
        if (n == 0)
                return 0;
        if (n != sizeof(*m) || (mh.msg_flags & (MSG_TRUNC | MSG_CTRUNC)))
                return -EBADMSG;
        m->name[sizeof(m->name) - 1] = 0;
        m->text[sizeof(m->text) - 1] = 0;
        return 1;
}

_printf_(2, 3) static void msg_send_error(int sock, const char *fmt, ...)
{
        CopyMsg m = { .type = MSG_ERROR };
        va_list ap;

        va_start(ap, fmt);
        vsnprintf(m.text, sizeof(m.text), fmt, ap);
        va_end(ap);
        (void)msg_send(sock, &m, -EBADF);
}

/* Sends the tree at fd (st: what it is, name: its name) depth first. On failure, where names the
 * entry that failed. Only regular files and directories; the walk never follows a symlink. */
static int walk_tree(int sock, int fd, const struct stat *st, const char *name, char *where,
                     size_t where_size, unsigned depth)
{
        CopyMsg m = {
                .mode = st->st_mode & 07777,
                .uid = st->st_uid,
                .gid = st->st_gid,
                .size = (uint64_t)st->st_size,
        };
        _cleanup_close_ int owned = fd;
        DIR *d;
        struct dirent *de;
        size_t len = strlen(where);
        int r = 0;

        if (depth > COPY_DEPTH_MAX)
                return -ENAMETOOLONG;
        snprintf(m.name, sizeof(m.name), "%s", name);
        if (S_ISREG(st->st_mode)) {
                m.type = MSG_FILE;
                return msg_send(sock, &m, fd);
        }
        m.type = MSG_ENTER;
        r = msg_send(sock, &m, -EBADF);
        if (r < 0)
                return r;
        d = fdopendir(fd);
        if (!d)
                return negative_errno();
        owned = -EBADF; /* d's now */
        while ((de = readdir(d))) {
                struct stat cst;
                int cfd;

                if (streq(de->d_name, ".") || streq(de->d_name, ".."))
                        continue;
                snprintf(where + len, where_size - len, "/%s", de->d_name);
                cfd = open_entry(dirfd(d), de->d_name, &cst);
                if (cfd < 0) {
                        r = cfd;
                        break;
                }
                r = walk_tree(sock, cfd, &cst, de->d_name, where, where_size, depth + 1); /* takes cfd */
                if (r < 0)
                        break;
                where[len] = 0;
        }
        (void)closedir(d);
        if (r < 0)
                return r;
        m = (CopyMsg){
                .type = MSG_LEAVE, .mode = st->st_mode & 07777, .uid = st->st_uid, .gid = st->st_gid
        };
        return msg_send(sock, &m, -EBADF);
}

/* The owner inside of a host file: its own when the container's user namespace maps it, else the
 * container's root. */
static void inside_owner(const Copy *c, const CopyMsg *m, uid_t *uid, gid_t *gid)
{
        const ConfinementRecord *rec = &c->target.rec;

        if (rec->uid_size == 0) {
                *uid = m->uid;
                *gid = m->gid;
                return;
        }
        *uid = m->uid >= rec->uid_base && m->uid - rec->uid_base < rec->uid_size ? m->uid - rec->uid_base
                                                                                 : 0;
        *gid = m->gid >= rec->uid_base && m->gid - rec->uid_base < rec->uid_size ? m->gid - rec->uid_base
                                                                                 : 0;
}

/* Owner, mode and label of a copy. Inside (copy-to): the mapped owner, the mode as it was, the
 * container root's SELinux label. On the host (copy-from): the caller's, never setuid/setgid, and
 * less the caller's umask as cp(1) makes them: a container's 0777 directory or 0666 file would let
 * every local user change what the admin copied out. */
static int finish_inode(const Copy *c, bool inside, int fd, const CopyMsg *m)
{
        uid_t uid;
        gid_t gid;

        if (!inside)
                return RET_NERRNO(fchmod(fd, m->mode & 01777 & ~c->umask));
        inside_owner(c, m, &uid, &gid);
        /* chown first: it clears setuid/setgid. */
        if (fchown(fd, uid, gid) < 0 || fchmod(fd, m->mode & 07777) < 0)
                return negative_errno();
        /* EOPNOTSUPP: a file system mounted with context= (the container's tmpfs mounts, the
         * overlay root), where every file already has the container's label and no other. */
        if (c->selinux && c->label_len > 0 &&
            fsetxattr(fd, "security.selinux", c->label, c->label_len, 0) < 0 && errno != EOPNOTSUPP)
                return negative_errno();
        return 0;
}

/* Creates what the peer sends below top_dir_fd, the top under the name tmp, until MSG_DONE.
 * shown: the target's path for messages. *ret_error: why it failed (the peer's line, or ours). */
static int receive_tree(const Copy *c, bool inside, int sock, int top_dir_fd, const char *tmp,
                        const char *shown, char **ret_error)
{
        int stack[COPY_DEPTH_MAX + 2];
        size_t lens[COPY_DEPTH_MAX + 2];
        char where[4096];
        int depth = 0, r = 0;

        stack[0] = top_dir_fd;
        snprintf(where, sizeof(where), "%s", shown);
        lens[0] = strlen(where);
        for (;;) {
                _cleanup_close_ int in = -EBADF;
                const char *name;
                CopyMsg m;

                r = msg_recv(sock, &m, &in);
                if (r <= 0) {
                        r = r < 0 ? r : -EPIPE;
                        break;
                }
                if (m.type == MSG_ERROR) {
                        copy_error(ret_error, "%s", m.text);
                        r = -EIO;
                        break;
                }
                if (m.type == MSG_DONE) {
                        r = depth == 0 ? 0 : -EBADMSG;
                        break;
                }
                if (m.type == MSG_LEAVE) {
                        if (depth == 0) {
                                r = -EBADMSG;
                                break;
                        }
                        r = finish_inode(c, inside, stack[depth], &m);
                        if (r < 0)
                                break;
                        safe_close(stack[depth--]);
                        where[lens[depth]] = 0;
                        continue;
                }
                /* The top gets the temporary name; any other name is one plain path component. */
                name = depth == 0 ? tmp : m.name;
                if (!name_is_plain(name)) {
                        r = -EBADMSG;
                        break;
                }
                if (depth > 0)
                        snprintf(where + lens[depth], sizeof(where) - lens[depth], "/%s", name);
                if (m.type == MSG_FILE) {
                        _cleanup_close_ int out = -EBADF;
                        struct stat st;

                        if (in < 0 || fstat(in, &st) < 0 || !S_ISREG(st.st_mode)) {
                                r = -EBADMSG;
                                break;
                        }
                        out = openat(stack[depth], name,
                                     O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC, 0600);
                        if (out < 0) {
                                r = negative_errno();
                                break;
                        }
                        /* At most the size it had when opened: the sender's side may make it grow. */
                        r = copy_bytes(in, out, m.size);
                        if (r >= 0)
                                r = finish_inode(c, inside, out, &m);
                        if (r < 0)
                                break;
                        where[lens[depth]] = 0;
                        continue; /* at depth 0, a single file: DONE follows */
                }
                if (m.type != MSG_ENTER || depth > COPY_DEPTH_MAX) {
                        r = -EBADMSG;
                        break;
                }
                if (mkdirat(stack[depth], name, 0700) < 0) {
                        r = negative_errno();
                        break;
                }
                stack[depth + 1] =
                        openat(stack[depth], name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (stack[depth + 1] < 0) {
                        r = negative_errno();
                        break;
                }
                depth++;
                lens[depth] = strlen(where);
        }
        if (r < 0)
                copy_error(ret_error, "%s: %s", where, entry_error(r));
        while (depth > 0)
                safe_close(stack[depth--]);
        return r;
}

/* ---- the child, in the container's user and mount namespaces -------------------------------- */

static int child_main(Copy *c)
{
        _cleanup_close_ int root_fd = -EBADF, dir_fd = -EBADF;
        _cleanup_free_ char *dir = NULL, *error = NULL;
        const char *base;
        struct open_how how = {
                .flags = O_PATH | O_DIRECTORY | O_CLOEXEC,
                .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
        };
        const ConfinementRecord *rec = &c->target.rec;
        CopyMsg done = { .type = MSG_DONE };
        struct stat st;
        int r;

        if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0 || getppid() == 1)
                return EXIT_FAILURE_GENERIC;
        /* Non-dumpable before joining (inherited from the host side; asserted again). */
        if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
                return msg_send_error(c->sock, "Failed to make the copy process non-dumpable: %m"),
                       EXIT_FAILURE_GENERIC;
        if (c->target.ns_flags && setns(c->target.pidfd, c->target.ns_flags) < 0)
                return msg_send_error(c->sock, "Failed to enter the container's namespaces: %m"),
                       EXIT_FAILURE_GENERIC;
        c->target.pidfd = safe_close(c->target.pidfd);
        if (rec->uid_size > 0)
                (void)setgroups(0, NULL); /* host root's groups mean nothing inside; refused when the
                                           * namespace denies setgroups, harmless then */
        if (rec->uid_size > 0 && (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0))
                return msg_send_error(c->sock,
                                      "Failed to become root of the container's user namespace: %m"),
                       EXIT_FAILURE_GENERIC;
        /* A credential change resets both: set them again. */
        if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0 || prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
                return msg_send_error(c->sock, "Failed to make the copy process non-dumpable: %m"),
                       EXIT_FAILURE_GENERIC;
        if (getppid() == 0 || getppid() == 1)
                return EXIT_FAILURE_GENERIC;

        /* setns() put us at the root of the container's mount namespace: its pivot_root'ed root. */
        root_fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (root_fd < 0)
                return msg_send_error(c->sock, "Failed to open the container's root: %m"),
                       EXIT_FAILURE_GENERIC;
        if (c->selinux) {
                /* Not through root_fd: an O_PATH fd has no xattrs (EBADF), and a copy without the
                 * container's pair (s0) would be readable by every container. */
                _cleanup_close_ int label_fd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

                c->label_len = label_fd < 0
                                       ? -1
                                       : fgetxattr(label_fd, "security.selinux", c->label, sizeof(c->label));
                if (c->label_len <= 0)
                        return msg_send_error(
                                       c->sock,
                                       "Failed to read the SELinux label of the container's root: %m"),
                               EXIT_FAILURE_GENERIC;
        }
        r = path_split(c->container_path, &dir, &base);
        if (r < 0)
                return msg_send_error(c->sock, "%s: not an absolute path naming a file", c->container_path),
                       EXIT_FAILURE_GENERIC;
        dir_fd = (int)syscall(SYS_openat2, root_fd, dir, &how, sizeof(how));
        if (dir_fd < 0)
                return msg_send_error(c->sock, "%s: %m", dir), EXIT_FAILURE_GENERIC;

        if (c->to) {
                char tmp[NAME_MAX + 1];

                if (!c->force && fstatat(dir_fd, base, &st, AT_SYMLINK_NOFOLLOW) == 0)
                        return msg_send_error(c->sock, "%s: %s", c->container_path, entry_error(-EEXIST)),
                               EXIT_FAILURE_GENERIC;
                tmp_name(tmp);
                r = receive_tree(c, true, c->sock, dir_fd, tmp, c->container_path, &error);
                if (r >= 0) {
                        r = commit_tmp(dir_fd, tmp, base, c->force);
                        if (r < 0)
                                copy_error(&error, "%s: %s", c->container_path, entry_error(r));
                }
                if (r < 0) {
                        (void)rm_rf_at(dir_fd, tmp);
                        return msg_send_error(c->sock, "%s", error ?: "failed"), EXIT_FAILURE_GENERIC;
                }
        } else {
                char where[4096];
                int fd = open_entry(dir_fd, base, &st);

                if (fd < 0)
                        return msg_send_error(c->sock, "%s: %s", c->container_path, entry_error(fd)),
                               EXIT_FAILURE_GENERIC;
                snprintf(where, sizeof(where), "%s", c->container_path);
                r = walk_tree(c->sock, fd, &st, base, where, sizeof(where), 0);
                if (r < 0)
                        return msg_send_error(c->sock, "%s: %s", where, entry_error(r)),
                               EXIT_FAILURE_GENERIC;
        }
        r = msg_send(c->sock, &done, -EBADF);
        return r < 0 ? EXIT_FAILURE_GENERIC : EXIT_OK;
}

/* ---- the host side ------------------------------------------------------------------------- */

/* copy-to: sends the host tree, then the child's verdict. */
static int host_send_tree(Copy *c, int host_fd, const struct stat *st, char **ret_error)
{
        CopyMsg m = { .type = MSG_DONE };
        char where[4096];
        int fd, r;

        snprintf(where, sizeof(where), "%s", c->host_path);
        r = walk_tree(c->sock, host_fd, st, "top", where, sizeof(where), 0);
        if (r >= 0)
                r = msg_send(c->sock, &m, -EBADF);
        if (r < 0 && r != -EPIPE && r != -ECONNRESET) {
                /* Ours: tell the child to give up, say which host file. */
                copy_error(ret_error, "%s: %s", where, entry_error(r));
                msg_send_error(c->sock, "%s: %s", where, entry_error(r));
                return r;
        }
        /* The child's verdict (also when it gave up while we were sending). */
        r = msg_recv(c->sock, &m, &fd);
        safe_close(fd);
        if (r > 0 && m.type == MSG_DONE)
                return 0;
        if (r > 0 && m.type == MSG_ERROR) {
                copy_error(ret_error, "%s", m.text);
                return -EIO;
        }
        return r < 0 ? r : -EPIPE;
}

static int copy_run(Copy *c, char **ret_error)
{
        _cleanup_close_ int host_fd = -EBADF, host_dir_fd = -EBADF;
        _cleanup_close_pair_ int pair[2] = { -EBADF, -EBADF };
        _cleanup_free_ char *host_dir = NULL, *error = NULL;
        const char *host_base = NULL;
        struct stat st;
        char tmp[NAME_MAX + 1];
        siginfo_t si = {};
        pid_t pid;
        int r, status;

        c->umask = umask(0077);
        (void)umask(c->umask);
        if (c->to) {
                host_fd = open_entry(AT_FDCWD, c->host_path, &st);
                if (host_fd < 0) {
                        copy_error(ret_error, "Failed to copy %s to container %s: %s", c->host_path, c->name,
                                   entry_error(host_fd));
                        return EXIT_FAILURE_GENERIC;
                }
        } else {
                _cleanup_free_ char *abs = NULL;

                if (c->host_path[0] != '/') {
                        _cleanup_free_ char *cwd = getcwd(NULL, 0);
                        if (!cwd || asprintf(&abs, "%s/%s", cwd, c->host_path) < 0)
                                return EXIT_BERTH_FAILED;
                }
                r = path_split(abs ?: c->host_path, &host_dir, &host_base);
                if (r < 0) {
                        copy_error(ret_error, "Failed to copy from container %s: %s does not name a file",
                                   c->name, c->host_path);
                        return EXIT_USAGE;
                }
                host_base = c->host_path + strlen(c->host_path) - strlen(host_base);
                host_dir_fd = open(host_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                if (host_dir_fd < 0) {
                        copy_error(ret_error, "Failed to copy from container %s: %s: %s", c->name, host_dir,
                                   strerror(errno));
                        return EXIT_FAILURE_GENERIC;
                }
                if (!c->force && fstatat(host_dir_fd, host_base, &st, AT_SYMLINK_NOFOLLOW) == 0) {
                        copy_error(ret_error, "Failed to copy from container %s: %s %s", c->name,
                                   c->host_path, entry_error(-EEXIST));
                        return EXIT_FAILURE_GENERIC;
                }
        }

        r = join_target_open(state_dir_get(), c->name, &c->target, ret_error);
        if (r == -ESRCH) {
                copy_error(ret_error, "Container %s is not running (start it with: berth start %s).",
                           c->name, c->name);
                return EXIT_NOT_RUNNING;
        }
        if (r < 0)
                return EXIT_BERTH_FAILED;
        c->selinux = c->target.rec.label_enforced;

        if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) < 0) {
                copy_error(ret_error, "Failed to create a socket: %s", strerror(errno));
                return EXIT_BERTH_FAILED;
        }
        pid = fork();
        if (pid < 0) {
                copy_error(ret_error, "Failed to fork: %s", strerror(errno));
                return EXIT_BERTH_FAILED;
        }
        if (pid == 0) {
                /* Nothing of the host's but the socket goes in. */
                pair[0] = safe_close(pair[0]);
                host_fd = safe_close(host_fd);
                host_dir_fd = safe_close(host_dir_fd);
                c->sock = pair[1];
                _exit(child_main(c));
        }
        pair[1] = safe_close(pair[1]);
        c->sock = pair[0];

        if (c->to)
                r = host_send_tree(c, TAKE_FD(host_fd), &st, &error);
        else {
                tmp_name(tmp);
                r = receive_tree(c, false, c->sock, host_dir_fd, tmp, c->host_path, &error);
                if (r >= 0) {
                        r = commit_tmp(host_dir_fd, tmp, host_base, c->force);
                        if (r < 0)
                                copy_error(&error, "%s: %s", c->host_path, entry_error(r));
                }
                if (r < 0)
                        (void)rm_rf_at(host_dir_fd, tmp);
        }
        c->sock = pair[0] = safe_close(pair[0]);
        (void)waitid(P_PID, pid, &si, WEXITED);
        status = si.si_code == CLD_EXITED ? si.si_status : EXIT_BERTH_FAILED;
        if (r >= 0 && status == 0)
                return EXIT_OK;

        if (error) {
                /* Paths the container chose are in it: escaped. */
                _cleanup_free_ char *e = cescape(error);
                copy_error(ret_error, "Failed to copy %s container %s: %s", c->to ? "to" : "from", c->name,
                           e ?: "?");
        } else
                copy_error(ret_error, "Failed to copy %s container %s: the copy process failed (status %d)",
                           c->to ? "to" : "from", c->name, status);
        return EXIT_FAILURE_GENERIC;
}

static void copy_done(Copy *c)
{
        join_target_done(&c->target);
}

static void help(const char *verb)
{
        bool to = streq(verb, "copy-to");

        printf("berth %s [OPTIONS...] NAME %s [%s]\n\n", verb, to ? "HOST-PATH" : "CONTAINER-PATH",
               to ? "CONTAINER-PATH" : "HOST-PATH");
        if (to)
                printf("Copy a regular file or a directory tree from the host into the running container\n"
                       "NAME (like machinectl copy-to, which berth containers refuse). CONTAINER-PATH is\n"
                       "resolved inside the container's root (its symlinks never lead out); it defaults to\n"
                       "HOST-PATH. The copy is made by the container's root user: modes are kept, the "
                       "owner\n"
                       "inside is the host owner when the container's user namespace maps it, else root.\n");
        else
                printf("Copy a regular file or a directory tree out of the running container NAME to the\n"
                       "host. CONTAINER-PATH is opened as the container's root inside its root; symlinks,\n"
                       "FIFOs, sockets and device nodes in it are refused. HOST-PATH defaults to\n"
                       "CONTAINER-PATH; the copies are owned by the caller, with their modes less the\n"
                       "caller's umask and without setuid/setgid bits.\n");
        printf("\nThe target is created, never overwritten unless --force is given; a failed copy\n"
               "leaves nothing under its name.\n\n"
               "Options:\n"
               "  -h --help             Show this help\n"
               "     --force            Replace an existing target (file or directory)\n\n"
               "Exit status: 0 on success, 1 when the copy failed, 2 on a bad command line, 3 when the\n"
               "container is not running, 125 when berth could not enter it.\n");
}

int verb_copy(int argc, char **argv)
{
        static const struct option options[] = {
                { "help", no_argument, NULL, 'h' },
                { "force", no_argument, NULL, 'f' },
                {},
        };
        _cleanup_(copy_done) Copy c = { .to = streq(argv[0], "copy-to"), .sock = -EBADF };
        _cleanup_free_ char *error = NULL;
        int opt, r;

        c.target.pidfd = -EBADF;
        while ((opt = getopt_long(argc, argv, "+h", options, NULL)) >= 0)
                switch (opt) {
                case 'h': help(argv[0]); return EXIT_OK;
                case 'f': c.force = true; break;
                default: return EXIT_USAGE;
                }
        if (argc - optind < 2 || argc - optind > 3) {
                log_error("'berth %s' needs a container name, a source and optionally a destination.",
                          argv[0]);
                return EXIT_USAGE;
        }
        c.name = argv[optind];
        if (!container_name_is_valid(c.name)) {
                log_error("Invalid container name '%s'.", c.name);
                return EXIT_USAGE;
        }
        if (c.to) {
                c.host_path = argv[optind + 1];
                c.container_path = argv[optind + 2] ?: argv[optind + 1];
        } else {
                c.container_path = argv[optind + 1];
                c.host_path = argv[optind + 2] ?: argv[optind + 1];
        }
        if (c.container_path[0] != '/') {
                log_error("The container path '%s' must be absolute.", c.container_path);
                return EXIT_USAGE;
        }
        /* Nothing of the host follows the child in: no core dump or ptrace of it, no fd we were
         * given but stdio. */
        if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0 || syscall(SYS_close_range, 3, ~0U, 0) < 0) {
                log_error_errno(errno, "Failed to prepare the copy process: %m");
                return EXIT_BERTH_FAILED;
        }
        srandom((unsigned)getpid() ^ (unsigned)time(NULL));
        r = copy_run(&c, &error);
        if (error)
                log_error("%s", error);
        return r;
}
