/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* SELinux: MCS category pair allocation and the container's process and file labels.
 *
 * Types: the policy's lxc_contexts (process/file) when SELinux is enabled and the loaded policy
 * knows them, else berth's own module (policy/selinux/berth.te): berth_container_t and
 * berth_container_file_t. With SELinux disabled the labels are still computed (with berth's
 * types), shown by status, and never applied. */

#include <stdbool.h>

#include "config.h"

#define MCS_CATEGORIES 1024 /* c0..c1023, Debian's and Fedora's MCS policy */

typedef struct McsPair {
        unsigned c1, c2; /* c1 < c2 < 1024 */
        int lock_fd;     /* holds state_dir/mcs/c1.c2.lock while running */
} McsPair;

#define MCS_PAIR_NULL ((McsPair){ .lock_fd = -EBADF })

typedef struct SelinuxLabels {
        char *process; /* e.g. system_u:system_r:berth_container_t:s0:c12,c345; NULL = disabled */
        char *file;    /* e.g. system_u:object_r:berth_container_file_t:s0:c12,c345 */
        bool enforced; /* SELinux is enabled on this host: labels will be applied */
} SelinuxLabels;

/* Allocates a pair no running container holds (flock on STATE_DIR/mcs/cX.cY.lock), the first
 * candidate a stable hash of name. Released by mcs_release() or by the holder's death. */
int mcs_allocate(const char *state_dir, const char *name, McsPair *ret);
void mcs_release(McsPair *p);
/* The pair c1 < c2 of a label whose level is exactly s0:cC1,cC2; -ENOENT for any other level (a
 * single category, a range, none), -EINVAL when label is not a context. */
int mcs_pair_from_label(const char *label, unsigned *ret_c1, unsigned *ret_c2);
/* For an explicit SELinuxLabel=: holds its pair (shared, so containers given the same label run
 * side by side) so that mcs_allocate() never hands it out while it runs; -EBUSY when a picked
 * container holds it now. A label without a single pair reserves nothing (MCS_PAIR_NULL, 0). */
int mcs_reserve(const char *state_dir, const char *label, McsPair *ret);

/* Computes labels for c with the pair (also when SELinux is off, so status can show them).
 * SELinuxLabel=disable gives NULL labels; SELinuxLabel=LABEL is used as the process label and
 * its level is given to the file label; SELinuxType= replaces the process type. */
int selinux_compute_labels(const ContainerConfig *c, const McsPair *p, SelinuxLabels *ret);
void selinux_labels_done(SelinuxLabels *l);
/* setexeccon() for the payload, written through /proc/thread-self/attr/exec only after fstatfs()
 * shows it is procfs (-EXDEV when something is mounted over it); a no-op when !l->enforced. */
int selinux_set_exec_label(const SelinuxLabels *l);
/* The write itself, whatever the host's SELinux state (tests). */
int selinux_write_exec_label(const char *label);
/* setsockcreatecon(): the label of the sockets this thread creates next (NULL: its own again). */
int selinux_write_sockcreate_label(const char *label);
/* Labels the tree at root (a Directory= image, never the host's /) with l->file, like podman's
 * ":Z": the container's domain may only use files of its own category pair. The walk goes by
 * fd (openat O_NOFOLLOW, labels set through /proc/self/fd): symlinks are labelled, not
 * followed; other filesystems below root are left alone. Every inode is checked and only those
 * with another label are written (a restart keeping its pair writes nothing); no label found in
 * the image is trusted. A no-op when the labels are not enforced. */
int selinux_relabel_root(const char *root, const SelinuxLabels *l);
/* The walk itself with label, whatever the host's SELinux state (tests). */
int selinux_relabel_tree(const char *root, const char *label);
/* Mount options for the container's own tmpfs/devpts/mqueue mounts: options plus
 * context="<file label>" when the labels are enforced, else options alone. options may be NULL. */
int selinux_mount_options(const SelinuxLabels *l, const char *options, char **ret);
