/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Step 5: the UTS and network namespaces: hostname, and with Private=yes the loopback device up
 * (the only interface a new network namespace has). */
#include <errno.h>
#include <net/if.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "exit-status.h"
#include "launch-context.h"

int child_set_hostname(LaunchChild *ch)
{
        const char *h = ch->ctx->config->hostname ?: ch->ctx->config->name;

        if (sethostname(h, strlen(h)) < 0)
                return child_report_error(ch, EXIT_BERTH_FAILED, negative_errno(),
                                          "Failed to set hostname %s", h);
        return 0;
}

int child_loopback_up(LaunchChild *ch)
{
        _cleanup_close_ int fd = -EBADF;
        struct ifreq ifr = {};
        int r = 0;

        if (!ch->ctx->config->private_network)
                return 0;
        fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        strncpy(ifr.ifr_name, "lo", sizeof(ifr.ifr_name) - 1);
        if (fd < 0 || ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
                r = negative_errno();
        else {
                ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
                if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
                        r = negative_errno();
        }
        if (r < 0)
                return child_report_error(ch, EXIT_BERTH_FAILED, r,
                                          "Failed to bring up the loopback device");
        return 0;
}
