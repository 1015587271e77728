/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* berth import: executes the berth-import helper, which holds the import code.
 *
 * Import is the only user of libarchive and json-c (OCI manifests); linked into berth they cost
 * every `berth run` the mapping and relocation of 18 more shared objects (libarchive pulls
 * libxml2, ICU and libstdc++), for a verb the run path never takes (issue 16). A separate
 * executable rather than dlopen(): the import code and its parsers of hostile archives stay in
 * their own process with their own link set that `ldd` shows, with no function-pointer tables
 * for two libraries' APIs, and the helper costs one execve() per import. */
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

#include "exit-status.h"
#include "log.h"
#include "verbs.h"

/* Next to this binary first, so a build directory (or berth installed with its helper in one
 * directory) runs its own helper; else where meson installs it. */
static const char *import_helper(char *buf, size_t size)
{
        ssize_t n = readlink("/proc/self/exe", buf, size - 1);
        char *slash;

        if (n > 0) {
                buf[n] = 0;
                slash = strrchr(buf, '/');
                if (slash && (size_t)(slash + 1 - buf) + strlen("berth-import") < size) {
                        strcpy(slash + 1, "berth-import");
                        if (access(buf, X_OK) == 0)
                                return buf;
                }
        }
        return BERTH_IMPORT_HELPER;
}

int verb_import_exec(int argc, char **argv)
{
        char buf[PATH_MAX];
        const char *helper = import_helper(buf, sizeof(buf));

        (void)argc;
        /* argv[0] stays the verb, as when the verb ran in this process. */
        execv(helper, argv);
        log_error_errno(errno, "Failed to execute %s for berth import: %m", helper);
        return EXIT_FAILURE_GENERIC;
}
