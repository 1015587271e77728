/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The GNU build ID (the linker's NT_GNU_BUILD_ID note) of a loaded ELF object: changes whenever
 * its code does, which a version string does not between releases. */

#include <stddef.h>
#include <stdint.h>

#define BUILD_ID_MAX 64

/* Of the object whose code or data contains addr. Returns the ID's size, -ENOENT when the
 * object has no build ID or addr is in none. */
int build_id_of_address(const void *addr, uint8_t ret[BUILD_ID_MAX]);
/* Of the loaded shared library whose file name starts with prefix ("libseccomp.so"). */
int build_id_of_library(const char *prefix, uint8_t ret[BUILD_ID_MAX]);
