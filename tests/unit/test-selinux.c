/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* SELinux labels: computed with the MCS pair whether or not SELinux is enabled, SELinuxLabel=
 * and SELinuxType= honoured, mount context options, and nothing fails on a host without SELinux. */
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <selinux/context.h>
#include <selinux/selinux.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "selinux.h"
#include "test.h"

/* One field of label (via a libselinux getter) into buf; "" for a malformed label. */
static const char *field_of(const char *label, const char *(*get)(context_t), char *buf, size_t size)
{
        context_t c = label ? context_new(label) : NULL;
        snprintf(buf, size, "%s", c ? get(c) : "");
        if (c)
                context_free(c);
        return buf;
}
#define type_of(label, buf, size)  field_of(label, context_type_get, buf, size)
#define range_of(label, buf, size) field_of(label, context_range_get, buf, size)

/* A file system mounted over the payload's /proc/thread-self/attr (CVE-2019-16884: a Bind= through
 * an image symlink) takes the exec label instead of the kernel: the write must be refused, not
 * land in the file. Runs in a child with its own mount namespace. */
static void test_exec_label_over_mount(void)
{
        const char *label = "system_u:system_r:berth_container_t:s0:c7,c9";
        int pfd[2];
        pid_t pid;
        struct {
                int setup, write_result;
                char file[128];
        } res = { -1, 1, "" };

        if (pipe2(pfd, O_CLOEXEC) < 0)
                return;
        pid = fork();
        if (pid == 0) {
                char attr[64];
                int fd;

                snprintf(attr, sizeof(attr), "/proc/%d/task/%d/attr", (int)getpid(), (int)gettid());
                res.setup = unshare(CLONE_NEWNS) == 0 &&
                            mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0 &&
                            mount("tmpfs", attr, "tmpfs", 0, "mode=0755") == 0;
                fd = res.setup ? open("/proc/thread-self/attr/exec", O_CREAT | O_WRONLY | O_CLOEXEC, 0644)
                               : -1;
                if (fd >= 0)
                        close(fd);
                if (res.setup && fd >= 0) {
                        res.write_result = selinux_set_exec_label(
                                &(SelinuxLabels){ .process = (char *)label, .enforced = true });
                        fd = open("/proc/thread-self/attr/exec", O_RDONLY | O_CLOEXEC);
                        if (fd >= 0) {
                                ssize_t n = read(fd, res.file, sizeof(res.file) - 1);
                                res.file[n > 0 ? n : 0] = 0;
                                close(fd);
                        }
                }
                (void)!write(pfd[1], &res, sizeof(res));
                _exit(0);
        }
        close(pfd[1]);
        if (pid < 0 || read(pfd[0], &res, sizeof(res)) != sizeof(res))
                res.setup = -1;
        close(pfd[0]);
        if (pid > 0)
                waitpid(pid, NULL, 0);
        CHECK(res.setup == 1, "a tmpfs mounted over /proc/thread-self/attr in a private mount namespace");
        CHECK(res.write_result == -EXDEV, "the exec label is refused there (got %s)",
              res.write_result == 0 ? "success" : strerror(-res.write_result));
        CHECK(res.file[0] == 0, "and did not land in the tmpfs's exec file (it has \"%s\")", res.file);
}

int main(void)
{
        _cleanup_config_ ContainerConfig *c = NULL;
        McsPair p = { .c1 = 12, .c2 = 345, .lock_fd = -EBADF };
        SelinuxLabels l = {};
        char want[64], t1[128], t2[128];
        bool enabled = is_selinux_enabled() > 0;

        printf("# SELinux %s on this host\n", enabled ? "enabled" : "disabled");
        CHECK(container_config_new_default("web", &c) == 0, "default config");

        CHECK(selinux_compute_labels(c, &p, &l) == 0 && l.process && l.file, "labels computed: %s / %s",
              strna(l.process), strna(l.file));
        snprintf(want, sizeof(want), "s0:c%u,c%u", p.c1, p.c2);
        CHECK(streq(range_of(l.process, t1, sizeof(t1)), want) &&
                      streq(range_of(l.file, t2, sizeof(t2)), want),
              "process and file labels carry the pair %s", want);
        CHECK(!streq(type_of(l.process, t1, sizeof(t1)), type_of(l.file, t2, sizeof(t2))),
              "process type %s differs from file type %s", t1, t2);
        CHECK(l.enforced == enabled, "enforced follows the host (%s)", yes_no(l.enforced));
        if (!enabled)
                CHECK(streq(type_of(l.process, t1, sizeof(t1)), "berth_container_t") &&
                              streq(type_of(l.file, t2, sizeof(t2)), "berth_container_file_t"),
                      "without a loaded policy berth's own module types are used");
        CHECK(selinux_set_exec_label(&l) == 0, "setting the exec label never fails when not enforced");

        _cleanup_free_ char *opts = NULL, *opts_enforced = NULL;
        CHECK(selinux_mount_options(&(SelinuxLabels){ .file = l.file, .enforced = false }, "mode=0755",
                                    &opts) == 0 &&
                      streq(opts, "mode=0755"),
              "not enforced: mount options unchanged");
        CHECK(selinux_mount_options(&(SelinuxLabels){ .file = l.file, .enforced = true }, "mode=0755",
                                    &opts_enforced) == 0 &&
                      strstr(opts_enforced, "mode=0755,context=\"") && strstr(opts_enforced, l.file),
              "enforced: %s", strna(opts_enforced));
        selinux_labels_done(&l);

        c->selinux_type = strdup("spc_t");
        CHECK(selinux_compute_labels(c, &p, &l) == 0 && streq(type_of(l.process, t1, sizeof(t1)), "spc_t"),
              "SELinuxType= replaces the process type: %s", strna(l.process));
        selinux_labels_done(&l);

        c->selinux_label = strdup("system_u:system_r:svirt_t:s0:c1,c2");
        CHECK(selinux_compute_labels(c, &p, &l) == 0 && streq_ptr(l.process, c->selinux_label) &&
                      streq(range_of(l.file, t2, sizeof(t2)), "s0:c1,c2"),
              "SELinuxLabel= is the process label and gives its level to files: %s", strna(l.file));
        selinux_labels_done(&l);

        free(c->selinux_label);
        c->selinux_label = strdup("disable");
        CHECK(selinux_compute_labels(c, &p, &l) == 0 && !l.process && !l.file && !l.enforced,
              "SELinuxLabel=disable: no labels");
        CHECK(selinux_set_exec_label(&l) == 0, "... and nothing to apply");

        /* Relabelling a Directory= image: every file, symlinks not followed, nothing when not enforced. */
        char tree[] = "/tmp/berth-test-relabel.XXXXXX", path[PATH_MAX + 32],
             outside[] = "/tmp/berth-test-out.XXXXXX";
        const char *label = "system_u:object_r:berth_container_file_t:s0:c7,c9";
        char *got = NULL;
        int out_fd = mkstemp(outside);
        CHECK(mkdtemp(tree) && out_fd >= 0, "scratch tree %s", tree);
        snprintf(path, sizeof(path), "%s/sub", tree);
        mkdir(path, 0755);
        snprintf(path, sizeof(path), "%s/sub/file", tree);
        close(open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0644));
        snprintf(path, sizeof(path), "%s/sub/escape", tree);
        CHECK(symlink(outside, path) == 0, "a symlink pointing out of the tree");
        CHECK(selinux_relabel_root(tree, &(SelinuxLabels){ .file = (char *)label, .enforced = false }) ==
                              0 &&
                      (lgetfilecon(tree, &got) < 0 || !streq(got, label)),
              "not enforced: nothing relabelled");
        freecon(got);
        got = NULL;
        CHECK(selinux_relabel_root(tree, &(SelinuxLabels){ .file = (char *)label, .enforced = true }) == 0,
              "relabel the tree");
        bool all = true;
        const char *rel[] = { "", "/sub", "/sub/file", "/sub/escape" };
        for (size_t i = 0; i < ELEMENTSOF(rel); i++) {
                snprintf(path, sizeof(path), "%s%s", tree, rel[i]);
                all = all && lgetfilecon(path, &got) >= 0 && streq(got, label);
                freecon(got);
                got = NULL;
        }
        CHECK(all, "the root, a directory, a file and a symlink carry %s", label);
        CHECK(lgetfilecon(outside, &got) < 0 || !streq(got, label),
              "the symlink's target outside was not touched");
        freecon(got);
        got = NULL;

        /* An image whose top already carries the container's label (a tarball's xattr can set
         * it) proves nothing about what is below: those keep whatever the image gave them. */
        const char *foreign = "system_u:object_r:berth_container_file_t:s0:c1,c2";
        snprintf(path, sizeof(path), "%s/sub/file", tree);
        CHECK(setfilecon_raw(path, foreign) == 0, "sub/file relabelled to another pair %s", foreign);
        snprintf(path, sizeof(path), "%s/sub/fifo", tree);
        CHECK(mkfifo(path, 0600) == 0 && lsetfilecon_raw(path, foreign) == 0, "a FIFO with another pair");
        snprintf(path, sizeof(path), "%s/sub/escape", tree);
        CHECK(lsetfilecon_raw(path, foreign) == 0, "the symlink with another pair");
        CHECK(lgetfilecon_raw(tree, &got) >= 0 && streq(got, label), "the root still carries %s", label);
        freecon(got);
        got = NULL;
        CHECK(selinux_relabel_root(tree, &(SelinuxLabels){ .file = (char *)label, .enforced = true }) == 0,
              "relabel the tree whose root has the label already");
        const char *again[] = { "/sub/file", "/sub/fifo", "/sub/escape" };
        for (size_t i = 0; i < ELEMENTSOF(again); i++) {
                snprintf(path, sizeof(path), "%s%s", tree, again[i]);
                bool relabelled = lgetfilecon_raw(path, &got) >= 0 && streq(got, label);
                CHECK(relabelled, "%s is relabelled to the container's pair (has %s)", again[i], strna(got));
                freecon(got);
                got = NULL;
        }
        CHECK(lgetfilecon(outside, &got) < 0 || !streq(got, label),
              "the symlink's target outside is still not touched");
        freecon(got);
        close(out_fd);
        unlink(outside);
        snprintf(path, sizeof(path), "rm -rf %s", tree);
        (void)!system(path);

        test_exec_label_over_mount();

        free(c->selinux_label);
        c->selinux_label = strdup("not a label");
        CHECK(selinux_compute_labels(c, &p, &l) == -EINVAL, "a malformed SELinuxLabel= is refused");

        /* berth splits labels itself (libselinux is dlopen()ed only where SELinux is on): it reads
         * them as libselinux's context_new() does, range colons and all. */
        static const char *const labels[] = {
                "u:r:t:s0-s0:c0.c1023",
                "u:r:t:s0:c1,c2",
                "u:r:t",
                "u:r",
                "u::t:s0",
                "u:r:t:",
                "a:b:c:d:e:f:g",
                "u:r:t:s0 c1",
                "u r:r:t:s0",
                "u:r:t:s0\tc1",
                "u:r:t:s0:c1:c2:c3",
        };
        for (size_t i = 0; i < ELEMENTSOF(labels); i++) {
                context_t lib_ctx = context_new(labels[i]);
                const char *range = lib_ctx ? context_range_get(lib_ctx) : NULL;
                int r;

                free(c->selinux_label);
                c->selinux_label = strdup(labels[i]);
                r = selinux_compute_labels(c, &p, &l);
                CHECK(range ? r == 0 &&
                                      streq(strchr(strchr(strchr(l.file, ':') + 1, ':') + 1, ':') + 1, range)
                            : r == -EINVAL,
                      "SELinuxLabel=%s: %s as libselinux reads it (range %s; got %d, file label %s)",
                      labels[i], range ? "its range for files" : "refused", strna(range), r, strna(l.file));
                selinux_labels_done(&l);
                if (lib_ctx)
                        context_free(lib_ctx);
        }
        free(c->selinux_label);
        c->selinux_label = NULL;
        free(c->selinux_type);
        c->selinux_type = strdup("bad:type");
        CHECK(selinux_compute_labels(c, &p, &l) == -EINVAL, "SELinuxType= with a colon is refused, as "
                                                            "context_type_set() refuses it");
        return test_done();
}
