/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* A cgroup subtree with its processes, drawn like systemctl status's CGroup: lines. */

#include <stdio.h>

/* Prints the tree below cgroup (v2 path), each line prefixed by indent. */
int cgroup_tree_show(const char *cgroup, const char *indent, FILE *f);
