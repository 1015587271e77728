/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Step 5: pivot_root into the assembled root and detach the old one (the host's tree, the scratch
 * tmpfs) so nothing of the host stays reachable, not even through `..` or /proc/1/root. */
#include <errno.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "exit-status.h"
#include "launch-context.h"

int child_pivot_root(LaunchChild *ch)
{
        int r = 0;

        /* pivot_root(".", ".") stacks the old root on top of the new one; unmount it from there. */
        if (chdir(LAUNCH_ROOT) < 0 || syscall(SYS_pivot_root, ".", ".") < 0 ||
            umount2(".", MNT_DETACH) < 0 || chdir("/") < 0)
                r = negative_errno();
        if (r < 0)
                return child_report_error(ch, EXIT_BERTH_FAILED, r, "Failed to pivot into the new root");
        ch->rootfd = safe_close(ch->rootfd);
        return 0;
}
