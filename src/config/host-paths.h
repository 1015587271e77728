/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "config.h"

/* Rewrites Directory= and every Bind= source to its symlink-free path (realpath of each symlink in
 * it), adding a line to *notes for each path changed. A symlink inside the container's own root
 * or a Bind= source is refused with a line in *errors ("FILE: ..."), returning -EINVAL; -ENOMEM. */
int config_resolve_host_paths(ContainerConfig *c, char ***notes, char ***errors);
