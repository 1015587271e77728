/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The legacy iptables FORWARD policy (see iptables.h). Read with getsockopt rather than by
 * exec'ing iptables-legacy-save: that tool is only there when the iptables package is installed,
 * while the table exists whenever anything (Docker's own iptables) created it. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* After netinet/in.h, or the kernel header defines in_addr itself. */
#include <linux/netfilter_ipv4/ip_tables.h>

#include "iptables.h"
#include "macro.h"

#define IPT_NAMES       "/proc/net/ip_tables_names"
#define IPT_ENTRIES_MAX (64U * 1024U * 1024U)

/* Whether the legacy filter table exists in this namespace, without creating it. */
static int filter_table_exists(void)
{
        _cleanup_fclose_ FILE *f = fopen(IPT_NAMES, "re");
        char line[64];

        if (!f)
                return errno == ENOENT ? 0 : negative_errno(); /* ip_tables not loaded */
        while (fgets(line, sizeof(line), f)) {
                line[strcspn(line, "\n")] = 0;
                if (streq(line, "filter"))
                        return 1;
        }
        return 0;
}

static int forward_policy_drops(int fd, bool *ret)
{
        struct ipt_getinfo info = { .name = "filter" };
        socklen_t len = sizeof(info);
        _cleanup_free_ struct ipt_get_entries *entries = NULL;
        const struct ipt_entry *e;
        const struct xt_standard_target *t;
        unsigned off;

        if (getsockopt(fd, IPPROTO_IP, IPT_SO_GET_INFO, &info, &len) < 0)
                return negative_errno();
        if (!(info.valid_hooks & (1U << NF_INET_FORWARD))) {
                *ret = false;
                return 0;
        }
        if (info.size > IPT_ENTRIES_MAX)
                return -E2BIG;
        entries = calloc(1, sizeof(*entries) + info.size);
        if (!entries)
                return -ENOMEM;
        memcpy(entries->name, "filter", sizeof("filter"));
        entries->size = info.size;
        len = (socklen_t)(sizeof(*entries) + info.size);
        /* EAGAIN: the table changed size between the two calls. */
        if (getsockopt(fd, IPPROTO_IP, IPT_SO_GET_ENTRIES, entries, &len) < 0)
                return negative_errno();

        /* The built-in chain's policy is the standard target of the entry at its underflow. */
        off = info.underflow[NF_INET_FORWARD];
        if (off > info.size || info.size - off < sizeof(struct ipt_entry))
                return -EBADMSG;
        e = (const struct ipt_entry *)((const char *)entries->entrytable + off);
        if (e->target_offset < sizeof(struct ipt_entry) || e->target_offset > e->next_offset ||
            e->next_offset > info.size - off || (size_t)(e->next_offset - e->target_offset) < sizeof(*t))
                return -EBADMSG;
        t = (const struct xt_standard_target *)((const char *)e + e->target_offset);
        if (strcmp(t->target.u.user.name, XT_STANDARD_TARGET) != 0)
                return -EBADMSG;
        *ret = t->verdict == -NF_DROP - 1;
        return 0;
}

int iptables_legacy_find_forward_drop(char **ret)
{
        _cleanup_close_ int fd = -EBADF;
        bool drops = false;
        int r;

        *ret = NULL;
        r = filter_table_exists();
        if (r <= 0)
                return r;
        fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
        if (fd < 0)
                return negative_errno();
        for (int attempt = 0;; attempt++) {
                r = forward_policy_drops(fd, &drops);
                if (r != -EAGAIN || attempt == 3)
                        break;
        }
        if (r < 0)
                return r;
        if (!drops)
                return 0;
        *ret = strdup("iptables-legacy table filter chain FORWARD (policy drop)");
        return *ret ? 1 : -ENOMEM;
}
