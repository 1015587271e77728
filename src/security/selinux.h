/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* SELinux: MCS category pair allocation and the container's process and file labels. */

#include <stdbool.h>

#include "config.h"

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

int mcs_allocate(const char *state_dir, const char *name, McsPair *ret);
void mcs_release(McsPair *p);

/* Computes labels for c with the pair (also when SELinux is off, so status can show them). */
int selinux_compute_labels(const ContainerConfig *c, const McsPair *p, SelinuxLabels *ret);
void selinux_labels_done(SelinuxLabels *l);
/* setexeccon() for the payload; a no-op when !l->enforced. */
int selinux_set_exec_label(const SelinuxLabels *l);
