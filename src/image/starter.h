/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The starter NAME.container written by `berth import`: Directory= the imported root, and, for
 * an OCI image, its config's Entrypoint+Cmd, Env, WorkingDir and User as Exec=, Environment=,
 * WorkingDirectory= and User=, quoted so the config parser reads back exactly these words. */

#include "oci.h"

/* img may be NULL (a plain root file system tarball). has_init: the root has /sbin/init or
 * /lib/systemd/systemd, so the file suggests Boot=yes (commented out). Returns the file's text. */
int starter_config_format(const char *name, const char *root, const char *source, const OciImage *img,
                          bool has_init, char **ret);
