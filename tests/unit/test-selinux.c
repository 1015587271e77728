/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* SELinux labels: computed with the MCS pair whether or not SELinux is enabled, SELinuxLabel=
 * and SELinuxType= honoured, mount context options, and nothing fails on a host without SELinux. */
#include <fcntl.h>
#include <limits.h>
#include <selinux/context.h>
#include <selinux/selinux.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
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

int main(void)
{
        _cleanup_config_ ContainerConfig *c = NULL;
        McsPair p = {.c1 = 12, .c2 = 345, .lock_fd = -EBADF};
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
        CHECK(selinux_mount_options(&(SelinuxLabels){.file = l.file, .enforced = false}, "mode=0755",
                                    &opts) == 0 &&
                  streq(opts, "mode=0755"),
              "not enforced: mount options unchanged");
        CHECK(selinux_mount_options(&(SelinuxLabels){.file = l.file, .enforced = true}, "mode=0755",
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
        CHECK(selinux_relabel_root(tree, &(SelinuxLabels){.file = (char *)label, .enforced = false}) == 0 &&
                  (lgetfilecon(tree, &got) < 0 || !streq(got, label)),
              "not enforced: nothing relabelled");
        freecon(got);
        got = NULL;
        CHECK(selinux_relabel_root(tree, &(SelinuxLabels){.file = (char *)label, .enforced = true}) == 0,
              "relabel the tree");
        bool all = true;
        const char *rel[] = {"", "/sub", "/sub/file", "/sub/escape"};
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
        close(out_fd);
        unlink(outside);
        snprintf(path, sizeof(path), "rm -rf %s", tree);
        (void)!system(path);

        free(c->selinux_label);
        c->selinux_label = strdup("not a label");
        CHECK(selinux_compute_labels(c, &p, &l) == -EINVAL, "a malformed SELinuxLabel= is refused");
        return test_done();
}
