/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* escape-probe: run as the payload of a default berth container, it tries each known way out of a
 * container and prints one TAP line per check (ok = the way out is closed) plus a table
 * (check, expected, result). Every attempt is made so that it is harmless where it succeeds (a
 * file opened for writing is not written, a mount is taken down again, a key is revoked), because
 * the probe is also run in a weakened sandbox (escape-selftest.sh) to prove that every check can
 * fail.
 *
 *   escape-probe run HOST_FILE    all checks; HOST_FILE is a host path outside the container's root
 *                                 that must stay unreachable (the harness checks it is unchanged)
 *   escape-probe exec             checks for a process that joined with `berth exec`: no process
 *                                 visible here may expose a berth binary through /proc/PID/exe
 *   escape-probe tiocsti          pushes a line into every terminal it holds (the harness checks
 *                                 that the line never reaches the host's terminal)
 *   escape-probe sleep SECONDS    stays alive (a container to join)
 *   escape-probe forkbomb MAX REPORT, memhog MB REPORT
 *                                 resource exhaustion for tests/system/hardening-limits.sh: write
 *                                 how it ended to REPORT, then idle until SIGTERM
 *
 * Built statically by meson so it runs in the busybox root the integration tests assemble. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/io_uring.h>
#include <linux/keyctl.h>
#include <linux/perf_event.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/klog.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

/* Scratch directory for mount points and device nodes ($BERTH_ESCAPE_SCRATCH overrides, so the
 * self-test's weakened run on the host's root writes into its own temporary directory). */
static const char *scratch = "/tmp/.berth-escape";
static char scratch_path[PATH_MAX];
static const char *at_scratch(const char *name)
{
        snprintf(scratch_path, sizeof(scratch_path), "%s/%s", scratch, name);
        return scratch_path;
}

#ifndef OPEN_TREE_CLONE
#define OPEN_TREE_CLONE 1
#endif

typedef struct Row {
        char check[32];
        char result[160];
        bool hole;
} Row;

static Row rows[64];
static int n_rows;

/* Records one check: hole=true means the way out was open (TAP "not ok"). */
static void report(const char *check, bool hole, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void report(const char *check, bool hole, const char *fmt, ...)
{
        Row *r = &rows[n_rows < 63 ? n_rows++ : 63];
        va_list ap;

        snprintf(r->check, sizeof(r->check), "%s", check);
        va_start(ap, fmt);
        vsnprintf(r->result, sizeof(r->result), fmt, ap);
        va_end(ap);
        r->hole = hole;
        printf("%s %d - %s: expected refused, got %s\n", hole ? "not ok" : "ok", n_rows, r->check,
               r->result);
        fflush(stdout);
}

static int print_table(void)
{
        int holes = 0;

        printf("# %-22s %-9s %s\n", "check", "expected", "result");
        for (int i = 0; i < n_rows; i++) {
                printf("# %-22s %-9s %s\n", rows[i].check, "refused", rows[i].result);
                holes += rows[i].hole;
        }
        printf("1..%d\n", n_rows);
        return holes ? 1 : 0;
}

/* "refused: <errno>" for a failed attempt. */
static const char *refused(int err)
{
        static char buf[96];
        snprintf(buf, sizeof(buf), "refused (%s)", strerrorname_np(err) ?: strerror(err));
        return buf;
}

/* Runs fn in a child process (for attempts that change the caller: unshare, chroot, cgroup moves);
 * the child's exit status is 0 when the attempt was refused, 1 when it succeeded; its message
 * comes back through a pipe. */
static bool in_child(int (*fn)(char *msg, size_t n, const void *arg), const void *arg, char *msg, size_t n)
{
        int p[2], status;
        pid_t pid;
        ssize_t got;

        if (pipe2(p, O_CLOEXEC) < 0) {
                snprintf(msg, n, "probe error: pipe: %m");
                return true;
        }
        pid = fork();
        if (pid < 0) {
                snprintf(msg, n, "probe error: fork: %m");
                close(p[0]);
                close(p[1]);
                return true;
        }
        if (pid == 0) {
                char buf[160] = "";
                int r = fn(buf, sizeof(buf), arg);
                (void)!write(p[1], buf, strlen(buf));
                _exit(r);
        }
        close(p[1]);
        got = read(p[0], msg, n - 1);
        msg[got > 0 ? got : 0] = 0;
        close(p[0]);
        if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status)) {
                snprintf(msg, n, "probe error: child died");
                return true;
        }
        return WEXITSTATUS(status) != 0;
}

/* ---- the host's files ---- */

/* Tries to open path for writing; on success writes a marker (the harness checks the host file
 * is unchanged, so a hole shows twice). */
static bool try_write(const char *path)
{
        int fd = open(path, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
        if (fd < 0)
                return false;
        (void)!write(fd, "escaped\n", 8);
        close(fd);
        return true;
}

static void check_host_file(const char *host_file)
{
        char path[PATH_MAX], via[160] = "";
        DIR *d;
        struct dirent *de;
        bool hole = false;

        if (try_write(host_file))
                snprintf(via, sizeof(via), "%.150s", host_file), hole = true;
        snprintf(path, sizeof(path), "/../../../../../..%s", host_file);
        if (!hole && try_write(path))
                snprintf(via, sizeof(via), "%.150s", path), hole = true;
        report("host-file-direct", hole, "%s", hole ? via : refused(ENOENT));

        hole = false;
        d = opendir("/proc");
        while (d && !hole && (de = readdir(d))) {
                static const char *const links[] = { "root", "cwd" };
                if (de->d_name[0] < '0' || de->d_name[0] > '9')
                        continue;
                for (size_t i = 0; i < 2 && !hole; i++) {
                        snprintf(path, sizeof(path), "/proc/%s/%s/../../../..%s", de->d_name, links[i],
                                 host_file);
                        if (try_write(path))
                                snprintf(via, sizeof(via), "%.150s", path), hole = true;
                }
        }
        if (d)
                closedir(d);
        report("host-file-proc-root", hole, "%s",
               hole ? via : "refused (not reachable through /proc/*/root, cwd)");
}

static int chroot_breakout(char *msg, size_t n, const void *arg)
{
        const char *host_file = arg;

        (void)mkdir(at_scratch("chroot"), 0700);
        if (chroot(at_scratch("chroot")) < 0) {
                snprintf(msg, n, "%s at chroot()", refused(errno));
                return 0;
        }
        /* cwd is still outside the new root: climb from it and make that the root. */
        for (int i = 0; i < 64; i++)
                (void)!chdir("..");
        if (chroot(".") < 0) {
                snprintf(msg, n, "%s at second chroot()", refused(errno));
                return 0;
        }
        if (try_write(host_file)) {
                snprintf(msg, n, "ESCAPED: wrote %.80s after chroot()+chdir(..)", host_file);
                return 1;
        }
        snprintf(msg, n, "refused (climbing stops at the container's root)");
        return 0;
}

static void check_chroot(const char *host_file)
{
        char msg[160];
        bool hole = in_child(chroot_breakout, host_file, msg, sizeof(msg));
        report("chroot-breakout", hole, "%s", msg);
}

/* "Shocker": open_by_handle_at() reaches any inode of a file system by handle, past the root. */
static void check_open_by_handle(void)
{
        struct {
                struct file_handle fh;
                unsigned char buf[MAX_HANDLE_SZ];
        } h = { .fh.handle_bytes = MAX_HANDLE_SZ };
        int mount_id, fd, rootfd;

        if (syscall(SYS_name_to_handle_at, AT_FDCWD, "/", &h.fh, &mount_id, 0) < 0) {
                report("open-by-handle", false, "%s at name_to_handle_at()", refused(errno));
                return;
        }
        rootfd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        fd = syscall(SYS_open_by_handle_at, rootfd, &h.fh, O_RDONLY | O_CLOEXEC);
        if (fd >= 0) {
                report("open-by-handle", true, "ALLOWED: open_by_handle_at() opened an inode by handle");
                close(fd);
        } else
                report("open-by-handle", false, "%s", refused(errno));
        if (rootfd >= 0)
                close(rootfd);
}

/* ---- fds and processes ---- */

static void check_fds(void)
{
        DIR *d = opendir("/proc/self/fd");
        struct dirent *de;
        char leaked[160] = "", target[PATH_MAX], path[64];
        size_t len = 0;

        while (d && (de = readdir(d))) {
                int fd = atoi(de->d_name);
                ssize_t n;

                if (de->d_name[0] == '.' || fd <= 2 || fd == dirfd(d))
                        continue;
                snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
                n = readlink(path, target, sizeof(target) - 1);
                target[n > 0 ? n : 0] = 0;
                if (len < sizeof(leaked) - 1)
                        len += snprintf(leaked + len, sizeof(leaked) - len, "%d->%.60s ", fd, target);
        }
        if (d)
                closedir(d);
        if (!d)
                report("leaked-fds", true, "probe error: /proc/self/fd: %m");
        else
                report("leaked-fds", leaked[0], "%s", leaked[0] ? leaked : "refused (only 0, 1, 2 open)");
}

static pid_t ppid_of(pid_t pid)
{
        char path[64], line[256];
        FILE *f;
        pid_t ppid = -1;

        snprintf(path, sizeof(path), "/proc/%d/status", pid);
        f = fopen(path, "re");
        while (f && fgets(line, sizeof(line), f))
                if (sscanf(line, "PPid: %d", &ppid) == 1)
                        break;
        if (f)
                fclose(f);
        return ppid;
}

static bool is_ancestor(pid_t a, pid_t of)
{
        for (int i = 0; of > 0 && i < 64; i++) {
                if (of == a)
                        return true;
                of = ppid_of(of);
        }
        return false;
}

/* Every process visible is in the probe's own line (ancestors or descendants): nothing of the
 * host's pid namespace shows. */
static void check_pids(void)
{
        DIR *d = opendir("/proc");
        struct dirent *de;
        pid_t self = getpid();
        int foreign = 0, seen = 0;
        char first[64] = "";

        while (d && (de = readdir(d))) {
                pid_t pid = atoi(de->d_name);
                if (pid <= 0)
                        continue;
                seen++;
                if (is_ancestor(pid, self) || is_ancestor(self, pid))
                        continue;
                if (!foreign++)
                        snprintf(first, sizeof(first), "pid %d", pid);
        }
        if (d)
                closedir(d);
        if (foreign)
                report("host-pids-visible", true, "VISIBLE: %d foreign of %d processes (first %s)", foreign,
                       seen, first);
        else
                report("host-pids-visible", false, "refused (%d processes, all the probe's own line)", seen);
}

static int ptrace_child(char *msg, size_t n, const void *arg)
{
        (void)arg;
        pid_t t = fork();
        int status;
        char buf[8];
        struct iovec local = { buf, sizeof(buf) }, remote = { buf, sizeof(buf) };

        if (t == 0) {
                pause();
                _exit(0);
        }
        if (ptrace(PTRACE_ATTACH, t, 0, 0) == 0) {
                snprintf(msg, n, "ALLOWED: PTRACE_ATTACH to pid %d", t);
                waitpid(t, &status, 0);
                ptrace(PTRACE_DETACH, t, 0, 0);
        } else if (process_vm_readv(t, &local, 1, &remote, 1, 0) >= 0)
                snprintf(msg, n, "ALLOWED: process_vm_readv() of pid %d", t);
        else
                snprintf(msg, n, "%s", refused(errno));
        kill(t, SIGKILL);
        waitpid(t, &status, 0);
        return strncmp(msg, "ALLOWED", 7) == 0;
}

static void check_ptrace(void)
{
        char msg[160];
        bool hole = in_child(ptrace_child, NULL, msg, sizeof(msg));
        report("ptrace", hole, "%s", msg);
}

/* ---- mounts ---- */

static void check_mounts(void)
{
        int fd;

        (void)mkdir(at_scratch("mnt"), 0700);
        if (mount("tmpfs", at_scratch("mnt"), "tmpfs", 0, "size=64k") == 0) {
                (void)umount2(at_scratch("mnt"), MNT_DETACH);
                report("mount", true, "ALLOWED: mounted a tmpfs");
        } else
                report("mount", false, "%s", refused(errno));

        fd = syscall(SYS_fsopen, "tmpfs", 0);
        if (fd >= 0) {
                close(fd);
                report("mount-fsopen", true, "ALLOWED: fsopen(tmpfs)");
        } else {
                int e = errno;
                fd = syscall(SYS_open_tree, AT_FDCWD, "/", OPEN_TREE_CLONE | O_CLOEXEC);
                if (fd >= 0) {
                        close(fd);
                        report("mount-fsopen", true, "ALLOWED: open_tree(/, OPEN_TREE_CLONE)");
                } else
                        report("mount-fsopen", false, "%s", refused(e));
        }

        /* MNT_EXPIRE only marks the mount on a first call: harmless where it is allowed. Anything
         * but EPERM means the permission check passed. */
        if (umount2("/proc", MNT_EXPIRE) < 0 && errno == EPERM)
                report("umount", false, "%s", refused(EPERM));
        else
                report("umount", true, "ALLOWED: umount2(/proc) got past the permission check (%s)",
                       strerrorname_np(errno) ?: "ok");

        /* Nonexistent paths: only the permission check can answer EPERM. */
        if (syscall(SYS_pivot_root, "/.berth-escape-none", "/.berth-escape-none") < 0 && errno == EPERM)
                report("pivot-root", false, "%s", refused(EPERM));
        else
                report("pivot-root", true, "ALLOWED: pivot_root() got past the permission check (%s)",
                       strerrorname_np(errno) ?: "ok");
}

/* ---- user namespaces ---- */

static int unshare_userns(char *msg, size_t n, const void *arg)
{
        (void)arg;
        if (unshare(CLONE_NEWUSER | CLONE_NEWNS) < 0) {
                snprintf(msg, n, "%s", refused(errno));
                return 0;
        }
        /* Full capabilities in the new namespace: show what they buy. */
        (void)mkdir(at_scratch("userns-mnt"), 0700);
        if (mount("tmpfs", at_scratch("userns-mnt"), "tmpfs", 0, NULL) == 0)
                snprintf(msg, n, "ALLOWED: unshare(CLONE_NEWUSER), then mount() inside it");
        else
                snprintf(msg, n, "ALLOWED: unshare(CLONE_NEWUSER)");
        return 1;
}

static int clone_userns(char *msg, size_t n, const void *arg)
{
        (void)arg;
        long pid = syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0);
        if (pid == 0)
                _exit(0);
        if (pid < 0) {
                snprintf(msg, n, "%s", refused(errno));
                return 0;
        }
        waitpid(pid, NULL, 0);
        snprintf(msg, n, "ALLOWED: clone(CLONE_NEWUSER)");
        return 1;
}

static void check_userns(void)
{
        char msg[160];
        bool hole = in_child(unshare_userns, NULL, msg, sizeof(msg));
        report("userns-unshare", hole, "%s", msg);
        hole = in_child(clone_userns, NULL, msg, sizeof(msg));
        report("userns-clone", hole, "%s", msg);
}

/* ---- cgroups ---- */

static void read_cgroups(char *buf, size_t n)
{
        int fd = open("/proc/self/cgroup", O_RDONLY | O_CLOEXEC);
        ssize_t got = fd >= 0 ? read(fd, buf, n - 1) : -1;
        buf[got > 0 ? got : 0] = 0;
        if (fd >= 0)
                close(fd);
}

/* A line of after whose path is not inside the same hierarchy's path in before: the process
 * left its subtree. */
static bool left_subtree(const char *before, const char *after, char *which, size_t n)
{
        char a[4096], *save = NULL;

        snprintf(a, sizeof(a), "%s", after);
        for (char *l = strtok_r(a, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
                char *path = strchr(strchr(l, ':') ?: l, ':');
                size_t hier_len;
                const char *b;

                if (!path)
                        continue;
                hier_len = (size_t)(path - l) + 1; /* "ID:controllers:" */
                for (b = before; b && *b; b = strchr(b, '\n') ? strchr(b, '\n') + 1 : NULL) {
                        const char *bpath = b + hier_len, *bend = strchrnul(bpath, '\n');
                        if (strncmp(b, l, hier_len) != 0)
                                continue;
                        if (strncmp(path + 1, bpath, (size_t)(bend - bpath)) != 0 || strstr(path, "/..")) {
                                snprintf(which, n, "%s", l);
                                return true;
                        }
                }
        }
        return false;
}

static int cgroup_move(char *msg, size_t n, const void *arg)
{
        char before[4096], after[4096], which[256], procs[PATH_MAX];
        const char *dirs[64];
        size_t n_dirs = 0;
        DIR *top = opendir("/sys/fs/cgroup");
        struct dirent *de;
        char pid[16];
        int tried = 0;

        (void)arg;
        read_cgroups(before, sizeof(before));
        snprintf(pid, sizeof(pid), "%d", getpid());
        /* The roots of every hierarchy shown here and one level below. */
        dirs[n_dirs++] = "/sys/fs/cgroup";
        while (top && (de = readdir(top)) && n_dirs < 32)
                if (de->d_type == DT_DIR && de->d_name[0] != '.') {
                        static char names[32][300];
                        snprintf(names[n_dirs], sizeof(names[n_dirs]), "/sys/fs/cgroup/%s", de->d_name);
                        dirs[n_dirs] = names[n_dirs];
                        n_dirs++;
                }
        if (top)
                closedir(top);
        for (size_t i = 0; i < n_dirs; i++) {
                int fd;
                snprintf(procs, sizeof(procs), "%s/cgroup.procs", dirs[i]);
                fd = open(procs, O_WRONLY | O_CLOEXEC);
                if (fd < 0)
                        continue;
                tried++;
                (void)!write(fd, pid, strlen(pid));
                close(fd);
                read_cgroups(after, sizeof(after));
                if (left_subtree(before, after, which, sizeof(which))) {
                        snprintf(msg, n, "ESCAPED via %.60s: now %.60s", procs, which);
                        return 1;
                }
        }
        snprintf(msg, n, "refused (%d cgroup.procs writable, none moved the process out of its subtree)",
                 tried);
        return 0;
}

static void check_cgroups(void)
{
        char msg[160], line[1024], mnt[PATH_MAX], opts[512], fstype[64];
        bool hole = in_child(cgroup_move, NULL, msg, sizeof(msg));
        FILE *f;
        bool found = false;

        report("cgroup-procs-escape", hole, "%s", msg);

        /* CVE-2022-0492: a v1 hierarchy mounted from inside, then release_agent. */
        hole = false;
        char cgv1[PATH_MAX], agent[PATH_MAX + 16];
        snprintf(cgv1, sizeof(cgv1), "%s", at_scratch("cgv1"));
        snprintf(agent, sizeof(agent), "%s/release_agent", cgv1);
        (void)mkdir(cgv1, 0700);
        static const char *const controllers[] = { "memory", "pids", "rdma" };
        for (size_t i = 0; i < 3 && !hole; i++)
                if (mount("cgroup", cgv1, "cgroup", 0, controllers[i]) == 0) {
                        int fd = open(agent, O_WRONLY | O_CLOEXEC);
                        snprintf(msg, sizeof(msg), "ALLOWED: mounted cgroup v1 %s%s", controllers[i],
                                 fd >= 0 ? ", release_agent writable" : "");
                        if (fd >= 0)
                                close(fd);
                        (void)umount2(cgv1, MNT_DETACH);
                        hole = true;
                }
        report("cgroup-v1-mount", hole, "%s", hole ? msg : refused(errno));

        /* Any v1 hierarchy already visible: its release_agent must not open for writing. */
        hole = false;
        f = fopen("/proc/self/mountinfo", "re");
        while (f && fgets(line, sizeof(line), f)) {
                char *sep = strstr(line, " - ");
                int fd;
                if (!sep || sscanf(line, "%*s %*s %*s %*s %4095s", mnt) != 1 ||
                    sscanf(sep, " - %63s %*s %511s", fstype, opts) != 2 || strcmp(fstype, "cgroup") != 0)
                        continue;
                found = true;
                strncat(mnt, "/release_agent", sizeof(mnt) - strlen(mnt) - 1);
                fd = open(mnt, O_WRONLY | O_CLOEXEC);
                if (fd >= 0) {
                        close(fd);
                        snprintf(msg, sizeof(msg), "ALLOWED: %.120s opens for writing", mnt);
                        hole = true;
                        break;
                }
        }
        if (f)
                fclose(f);
        report("release-agent", hole, "%s",
               hole    ? msg
               : found ? "refused (release_agent of visible v1 hierarchies read-only)"
                       : "refused (no v1 hierarchy visible)");
}

/* ---- devices ---- */

static bool dev_allowed(const char *name)
{
        static const char *const ok[] = { "null",    "zero", "full",    "random",
                                          "urandom", "tty",  "console", "ptmx" };
        for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
                if (strcmp(name, ok[i]) == 0)
                        return true;
        return false;
}

static void check_devices(void)
{
        struct stat st;
        char path[PATH_MAX], found[160] = "";
        DIR *d;
        struct dirent *de;
        bool hole = false;
        dev_t disk = 0;

        /* The block device under the container's root, made fresh with mknod. Creating it at all
         * is the hole (a container never needs to); whether it then opens is in the message. */
        if (stat("/", &st) == 0)
                disk = st.st_dev;
        char blk[PATH_MAX];
        snprintf(blk, sizeof(blk), "%s", at_scratch("blk"));
        const char *const where[] = { blk, "/dev/.berth-escape-blk" };
        for (size_t i = 0; i < 2 && !hole; i++) {
                if (mknod(where[i], S_IFBLK | 0600, disk) < 0) {
                        snprintf(found, sizeof(found), "%s", refused(errno));
                        continue;
                }
                int fd = open(where[i], O_RDONLY | O_CLOEXEC);
                snprintf(found, sizeof(found), "ALLOWED: mknod of block device %u:%u at %s (open: %s)",
                         major(disk), minor(disk), where[i], fd >= 0 ? "ALLOWED" : strerrorname_np(errno));
                if (fd >= 0)
                        close(fd);
                unlink(where[i]);
                hole = true;
        }
        report("mknod-raw-device", hole, "%s", found);

        /* Device nodes present in /dev beyond the minimal set. */
        hole = false;
        found[0] = 0;
        d = opendir("/dev");
        while (d && (de = readdir(d))) {
                snprintf(path, sizeof(path), "/dev/%s", de->d_name);
                if (lstat(path, &st) < 0 || !(S_ISBLK(st.st_mode) || S_ISCHR(st.st_mode)) ||
                    dev_allowed(de->d_name))
                        continue;
                int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
                if (fd >= 0) {
                        close(fd);
                        snprintf(found, sizeof(found), "ALLOWED: %.100s (%u:%u) opens", path,
                                 major(st.st_rdev), minor(st.st_rdev));
                        hole = true;
                        break;
                }
        }
        if (d)
                closedir(d);
        report("dev-extra-nodes", hole, "%s", hole ? found : "refused (only the minimal /dev nodes open)");
}

/* ---- kernel interfaces ---- */

static void check_keyring(void)
{
        long k = syscall(SYS_add_key, "user", "berth-escape", "x", 1, KEY_SPEC_PROCESS_KEYRING);
        if (k >= 0) {
                syscall(SYS_keyctl, KEYCTL_REVOKE, k);
                report("keyring", true, "ALLOWED: add_key()");
                return;
        }
        int e = errno;
        if (syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_USER_KEYRING, 0) >= 0)
                report("keyring", true, "ALLOWED: keyctl(KEYCTL_GET_KEYRING_ID) (add_key: %s)",
                       strerrorname_np(e));
        else
                report("keyring", false, "%s", refused(e));
}

static void check_bpf(void)
{
        union bpf_attr a = {
                .map_type = BPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = 4, .max_entries = 1
        };
        long fd = syscall(SYS_bpf, BPF_MAP_CREATE, &a, sizeof(a));
        if (fd >= 0) {
                close(fd);
                report("bpf", true, "ALLOWED: bpf(BPF_MAP_CREATE)");
        } else
                report("bpf", false, "%s", refused(errno));
}

static void check_perf(void)
{
        struct perf_event_attr a = {
                .type = PERF_TYPE_SOFTWARE,
                .size = sizeof(a),
                .config = PERF_COUNT_SW_CPU_CLOCK,
                .disabled = 1,
                .exclude_kernel = 1,
                .exclude_hv = 1,
        };
        long fd = syscall(SYS_perf_event_open, &a, 0, -1, -1, 0);
        if (fd >= 0) {
                close(fd);
                report("perf-event-open", true, "ALLOWED: perf_event_open(self, cpu-clock)");
        } else
                report("perf-event-open", false, "%s", refused(errno));
}

static void check_io_uring(void)
{
        struct io_uring_params p = {};
        long fd = syscall(SYS_io_uring_setup, 1, &p);
        if (fd >= 0) {
                close(fd);
                report("io-uring", true, "ALLOWED: io_uring_setup() (its operations bypass seccomp)");
        } else
                report("io-uring", false, "%s", refused(errno));
}

/* Module loading, kexec, swap: called with arguments the kernel rejects after its permission
 * check, so EPERM (or ENOSYS from the filter) is the only answer that proves a refusal. */
static void check_kernel_admin(void)
{
        struct {
                const char *what;
                long r;
        } calls[4];
        int e[4];

        errno = 0;
        calls[0].what = "init_module", calls[0].r = syscall(SYS_init_module, NULL, 0, "");
        e[0] = errno;
        calls[1].what = "finit_module", calls[1].r = syscall(SYS_finit_module, -1, "", 0);
        e[1] = errno;
        calls[2].what = "kexec_load", calls[2].r = syscall(SYS_kexec_load, 0, 0, NULL, 0);
        e[2] = errno;
        calls[3].what = "swapon", calls[3].r = syscall(SYS_swapon, "/.berth-escape-none", 0);
        e[3] = errno;
        for (int i = 0; i < 4; i++)
                if (calls[i].r >= 0 || (e[i] != EPERM && e[i] != ENOSYS)) {
                        report("kernel-admin", true, "ALLOWED: %s() got past the permission check (%s)",
                               calls[i].what, calls[i].r >= 0 ? "ok" : strerrorname_np(e[i]));
                        return;
                }
        report("kernel-admin", false,
               "refused (init_module, finit_module, kexec_load, swapon: EPERM/ENOSYS)");
}

static void check_syslog(void)
{
        int r = klogctl(10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0);
        if (r >= 0)
                report("kernel-log", true, "ALLOWED: syslog(SIZE_BUFFER) = %d", r);
        else
                report("kernel-log", false, "%s", refused(errno));
}

/* ---- /proc and /sys ---- */

static void check_writable(const char *check, const char *const *paths, size_t n)
{
        int first_errno = 0;

        for (size_t i = 0; i < n; i++) {
                int fd = open(paths[i], O_WRONLY | O_CLOEXEC); /* opened, never written */
                if (fd >= 0) {
                        close(fd);
                        report(check, true, "ALLOWED: %s opens for writing", paths[i]);
                        return;
                }
                if (i == 0)
                        first_errno = errno;
        }
        report(check, false, "refused (%zu files, none opens for writing; %s: %s)", n, paths[0],
               strerrorname_np(first_errno));
}

static void check_proc_sys(void)
{
        static const char *const proc_sys[] = {
                "/proc/sys/kernel/core_pattern",     "/proc/sys/kernel/modprobe",
                "/proc/sys/vm/drop_caches",          "/proc/sys/kernel/sysrq",
                "/proc/sys/fs/binfmt_misc/register",
        };
        static const char *const sysrq[] = { "/proc/sysrq-trigger" }; /* absent without CONFIG_MAGIC_SYSRQ */
        static const char *const sys[] = {
                "/sys/kernel/uevent_helper",
                "/sys/kernel/mm/transparent_hugepage/enabled",
                "/sys/power/state",
                "/sys/module/printk/parameters/time",
        };
        static const char *const masked[] = { "/proc/kcore", "/proc/keys", "/proc/timer_list",
                                              "/proc/sched_debug", "/sys/firmware/acpi/tables/DSDT" };

        check_writable("proc-sys-write", proc_sys, sizeof(proc_sys) / sizeof(proc_sys[0]));
        check_writable("sysrq-trigger", sysrq, 1);
        check_writable("sys-write", sys, sizeof(sys) / sizeof(sys[0]));

        /* Masked files: missing, unreadable or empty. */
        for (size_t i = 0; i < sizeof(masked) / sizeof(masked[0]); i++) {
                char buf[64];
                int fd = open(masked[i], O_RDONLY | O_CLOEXEC);
                ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf)) : -1;
                if (fd >= 0)
                        close(fd);
                if (n > 0) {
                        report("proc-masked-read", true, "ALLOWED: %s read %zd bytes", masked[i], n);
                        return;
                }
        }
        report("proc-masked-read", false,
               "refused (kcore, keys, timer_list, sched_debug, ACPI tables: nothing to read)");
}

/* ---- modes ---- */

static int run_all(const char *host_file)
{
        scratch = getenv("BERTH_ESCAPE_SCRATCH") ?: scratch;
        (void)mkdir(scratch, 0700);
        check_host_file(host_file);
        check_chroot(host_file);
        check_open_by_handle();
        check_fds();
        check_pids();
        check_ptrace();
        check_mounts();
        check_userns();
        check_cgroups();
        check_devices();
        check_keyring();
        check_bpf();
        check_perf();
        check_io_uring();
        check_kernel_admin();
        check_syslog();
        check_proc_sys();
        return print_table();
}

/* For a process that joined with `berth exec`: no process it can see (its parent, if a berth
 * process stays in the container, above all) may run a berth binary, and such a binary must not
 * be reopenable for writing through /proc/PID/exe once that process exits (CVE-2019-5736: the
 * exploit holds the link and waits, because ETXTBSY only lasts while the binary runs). Waits up to
 * 5 s for every berth process it saw to exit, then reopens. Other processes' binaries are the
 * container's own and may be writable. */
static int run_exec(void)
{
        DIR *d = opendir("/proc");
        struct dirent *de;
        pid_t self = getpid(), seen[64];
        int held[64], n_held = 0, checked = 0;
        char target[PATH_MAX], path[64], msg[160] = "";
        bool hole = false;

        while (d && (de = readdir(d))) {
                pid_t pid = atoi(de->d_name);
                ssize_t n;
                if (pid <= 0 || pid == self)
                        continue;
                checked++;
                snprintf(path, sizeof(path), "/proc/%d/exe", pid);
                n = readlink(path, target, sizeof(target) - 1);
                target[n > 0 ? n : 0] = 0;
                if (n <= 0 || !strstr(target, "berth"))
                        continue;
                snprintf(msg, sizeof(msg), "VISIBLE: pid %d runs %.100s", pid, target);
                hole = true;
                int fd = open(path, O_PATH | O_CLOEXEC);
                if (fd >= 0 && n_held < 64) {
                        seen[n_held] = pid;
                        held[n_held++] = fd;
                } else if (fd >= 0)
                        close(fd);
        }
        if (d)
                closedir(d);
        report("exec-exe-berth", hole, "%s",
               hole ? msg : "refused (no visible process runs a berth binary)");

        for (int t = 0; t < 50; t++) {
                bool alive = false;
                for (int i = 0; i < n_held; i++)
                        alive = alive || kill(seen[i], 0) == 0;
                if (!alive)
                        break;
                usleep(100 * 1000);
        }
        hole = false;
        for (int i = 0; i < n_held; i++) {
                snprintf(path, sizeof(path), "/proc/self/fd/%d", held[i]);
                int fd = open(path, O_WRONLY | O_CLOEXEC); /* opened, never written */
                if (fd >= 0) {
                        ssize_t n = readlink(path, target, sizeof(target) - 1);
                        target[n > 0 ? n : 0] = 0;
                        snprintf(msg, sizeof(msg), "ALLOWED: %.100s reopened for writing", target);
                        hole = true;
                        close(fd);
                } else
                        snprintf(msg, sizeof(msg), "refused (%s)", strerrorname_np(errno));
                close(held[i]);
        }
        report("exec-exe-reopen", hole, "%s", n_held ? msg : "refused (no berth binary to hold)");
        printf("# %d other processes visible, %d berth exe links held\n", checked, n_held);
        return print_table();
}

/* Pushes a shell comment line into every terminal held; prints where it was accepted. */
static int run_tiocsti(void)
{
        static const char line[] = "# berth-escape-tiocsti\n";
        const char *names[] = { "fd 0", "fd 1", "fd 2", "/dev/tty", "/dev/console" };

        for (int i = 0; i < 5; i++) {
                int fd = i < 3 ? i : open(names[i], O_RDWR | O_NOCTTY | O_CLOEXEC);
                const char *res = "no terminal";
                if (fd >= 0 && isatty(fd)) {
                        res = "accepted";
                        for (const char *c = line; *c; c++)
                                if (ioctl(fd, TIOCSTI, c) < 0) {
                                        res = refused(errno);
                                        break;
                                }
                } else if (fd < 0)
                        res = refused(errno);
                printf("# tiocsti %s: %s\n", names[i], res);
                if (i >= 3 && fd >= 0)
                        close(fd);
        }
        fflush(stdout);
        return 0;
}

/* ---- resource exhaustion (tests/system/hardening-limits.sh) ---- */

static void on_term(int sig)
{
        (void)sig;
        _exit(0);
}

/* Writes LINE to PATH, then idles until SIGTERM (a handler: as PID 1 it would ignore it). */
static _Noreturn void report_and_idle(const char *path, const char *line)
{
        FILE *f = fopen(path, "we");
        if (f) {
                fputs(line, f);
                fclose(f);
        }
        signal(SIGTERM, on_term);
        for (;;)
                pause();
}

/* Forks children that sleep until fork() fails or MAX exist; reports "spawned=N error=E". */
static int run_forkbomb(int max, const char *report)
{
        char line[96];
        int n = 0, err = 0;

        for (; n < max; n++) {
                pid_t pid = fork();
                if (pid < 0) {
                        err = errno;
                        break;
                }
                if (pid == 0) {
                        pause();
                        _exit(0);
                }
        }
        snprintf(line, sizeof(line), "spawned=%d error=%s\n", n, err ? strerrorname_np(err) : "none");
        report_and_idle(report, line);
}

/* A child allocates and touches MB megabytes; reports how it ended: "hog=exit:N" or "hog=signal:N". */
static int run_memhog(int mb, const char *report)
{
        char line[64];
        int status = 0;
        pid_t pid = fork();

        if (pid == 0) {
                size_t size = (size_t)mb << 20;
                char *p = malloc(size);
                if (!p)
                        _exit(12);
                for (size_t i = 0; i < size; i += 4096)
                        p[i] = 1;
                _exit(0);
        }
        if (pid < 0 || waitpid(pid, &status, 0) < 0)
                snprintf(line, sizeof(line), "hog=error:%s\n", strerrorname_np(errno));
        else if (WIFSIGNALED(status))
                snprintf(line, sizeof(line), "hog=signal:%d\n", WTERMSIG(status));
        else
                snprintf(line, sizeof(line), "hog=exit:%d\n", WEXITSTATUS(status));
        report_and_idle(report, line);
}

int main(int argc, char **argv)
{
        setvbuf(stdout, NULL, _IOLBF, 0);
        if (argc == 3 && strcmp(argv[1], "run") == 0)
                return run_all(argv[2]);
        if (argc == 2 && strcmp(argv[1], "exec") == 0)
                return run_exec();
        if (argc == 2 && strcmp(argv[1], "tiocsti") == 0)
                return run_tiocsti();
        if (argc == 3 && strcmp(argv[1], "sleep") == 0) {
                signal(SIGTERM, on_term); /* as PID 1 it would ignore SIGTERM otherwise */
                sleep((unsigned)atoi(argv[2]));
                return 0;
        }
        if (argc == 4 && strcmp(argv[1], "forkbomb") == 0)
                return run_forkbomb(atoi(argv[2]), argv[3]);
        if (argc == 4 && strcmp(argv[1], "memhog") == 0)
                return run_memhog(atoi(argv[2]), argv[3]);
        fprintf(stderr, "usage: escape-probe run HOST_FILE | exec | tiocsti | sleep SECONDS | "
                        "forkbomb MAX REPORT | memhog MB REPORT\n");
        return 2;
}
