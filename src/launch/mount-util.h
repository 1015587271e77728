/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Mounting with the new mount API (open_tree, fsopen/fsmount, move_mount, mount_setattr) onto
 * targets resolved inside the container's root with openat2(RESOLVE_IN_ROOT), so a symlink in the
 * image can never redirect a mount outside the root. */

#include <stdbool.h>

typedef enum TargetKind {
        TARGET_DIRECTORY, /* created as a directory (0755) when missing */
        TARGET_FILE,      /* created as an empty regular file (0644) when missing */
} TargetKind;

/* Opens path (absolute or relative, interpreted inside rootfd) as O_PATH; with create, missing
 * components are made (parents as directories, the last one of kind). */
int resolve_in_root(int rootfd, const char *path, bool create, TargetKind kind, int *ret_fd);

/* Whether fd, resolved inside rootfd, lies on procfs or sysfs, or on a file system mounted inside
 * one (directories only: their parents are walked up to rootfd). 1 with *ret_fstype "procfs" or
 * "sysfs", 0 when not, -errno. */
int resolved_in_kernel_api_fs(int rootfd, int fd, const char **ret_fstype);

/* resolve_in_root() with create, for a mount target that must not lie in procfs or sysfs: -EXDEV
 * with *ret_fstype ("procfs", "sysfs") when it does, *ret_fstype NULL on other errors. */
int resolve_target_outside_api_fs(int rootfd, const char *path, TargetKind kind, int *ret_fd,
                                  const char **ret_fstype);

/* A detached copy of the mount tree at dirfd/path (path "" means dirfd itself), private (no mount
 * of it propagates to or from the source's peers). */
int mount_clone(int dirfd, const char *path, bool recursive, int *ret_mount_fd);
/* mount_clone() with MOUNT_ATTR_* attrs set on every mount of the copy in the same call. */
int mount_clone_with_attr(int dirfd, const char *path, bool recursive, unsigned attrs, int *ret_mount_fd);
/* The SELinux file label given (context=) to every tmpfs, devpts and mqueue that mount_new_fs()
 * creates from now on in this process (the container's child); NULL: none. */
void mount_set_selinux_context(const char *label);
/* A new detached file system. options: NULL-terminated "key=value" or "flag" strings;
 * attrs: MOUNT_ATTR_* for the mount. */
int mount_new_fs(const char *fstype, const char *const *options, unsigned attrs, int *ret_mount_fd);
/* Sets MOUNT_ATTR_* flags on the (detached or attached) mount at fd, recursively when asked. */
int mount_set_attr(int mount_fd, unsigned attrs, bool recursive);
/* Attaches a detached mount onto the already resolved target_fd. The mount must be private: one
 * of mount_clone(), userns_open_idmapped() or mount_new_fs(). */
int mount_attach_at(int mount_fd, int target_fd);
/* Attaches a detached mount at path inside rootfd, creating the target of kind when missing.
 * -EXDEV when a path outside /proc and /sys resolves into procfs or sysfs (an image symlink). */
int mount_attach_in_root(int mount_fd, int rootfd, const char *path, TargetKind kind);
/* Attaches a detached (private, as above) mount at an absolute path of the current mount
 * namespace. */
int mount_attach_path(int mount_fd, const char *path);
/* mount_new_fs() attached at path inside rootfd (a directory, created when missing). */
int mount_new_fs_in_root(int rootfd, const char *fstype, const char *const *options, unsigned attrs,
                         const char *path);

/* Opens an absolute host path O_PATH, refusing (-ELOOP) a symlink in any component: a Bind=
 * source or a root may lie in a directory the container writes, and a symlink planted there must
 * not send the next start's mount elsewhere on the host. The config resolves an admin's own
 * symlinks beforehand (config_resolve_host_paths()). */
int open_host_path_no_symlinks(const char *path, int *ret_fd);
