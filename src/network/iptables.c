/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The legacy iptables FORWARD policy (see iptables.h). Read with getsockopt rather than by
 * exec'ing iptables-legacy-save: that tool is only there when the iptables package is installed,
 * while the table exists whenever anything (Docker's own iptables) created it. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* After netinet/in.h, or the kernel header defines in_addr itself. */
#include <linux/netfilter_ipv4/ip_tables.h>
#include <linux/netfilter_ipv6/ip6_tables.h>

#include "iptables.h"
#include "macro.h"

#define IPT_ENTRIES_MAX (64U * 1024U * 1024U)

/* What differs between ip_tables and ip6_tables: the rest (getinfo, get_entries, the standard
 * target) has the same layout in both. */
typedef struct LegacyFamily {
        const char *names; /* /proc/net/ip{,6}_tables_names */
        const char *tool;
        int family, level, opt_info, opt_entries;
        size_t entry_size, target_offset, next_offset;
} LegacyFamily;

static const LegacyFamily legacy_ipv4 = {
        .names = "/proc/net/ip_tables_names",
        .tool = "iptables-legacy",
        .family = AF_INET,
        .level = IPPROTO_IP,
        .opt_info = IPT_SO_GET_INFO,
        .opt_entries = IPT_SO_GET_ENTRIES,
        .entry_size = sizeof(struct ipt_entry),
        .target_offset = offsetof(struct ipt_entry, target_offset),
        .next_offset = offsetof(struct ipt_entry, next_offset),
};

static const LegacyFamily legacy_ipv6 = {
        .names = "/proc/net/ip6_tables_names",
        .tool = "ip6tables-legacy",
        .family = AF_INET6,
        .level = IPPROTO_IPV6,
        .opt_info = IP6T_SO_GET_INFO,
        .opt_entries = IP6T_SO_GET_ENTRIES,
        .entry_size = sizeof(struct ip6t_entry),
        .target_offset = offsetof(struct ip6t_entry, target_offset),
        .next_offset = offsetof(struct ip6t_entry, next_offset),
};

/* Whether the legacy filter table exists in this namespace, without creating it. */
static int filter_table_exists(const LegacyFamily *lf)
{
        _cleanup_fclose_ FILE *f = fopen(lf->names, "re");
        char line[64];

        if (!f)
                return errno == ENOENT ? 0 : negative_errno(); /* ip{,6}_tables not loaded */
        while (fgets(line, sizeof(line), f)) {
                line[strcspn(line, "\n")] = 0;
                if (streq(line, "filter"))
                        return 1;
        }
        return 0;
}

static uint16_t entry_u16(const char *e, size_t offset)
{
        uint16_t v;
        memcpy(&v, e + offset, sizeof(v));
        return v;
}

static int forward_policy_drops(const LegacyFamily *lf, int fd, bool *ret)
{
        struct ipt_getinfo info = { .name = "filter" }; /* struct ip6t_getinfo is the same */
        socklen_t len = sizeof(info);
        _cleanup_free_ struct ipt_get_entries *entries = NULL;
        const struct xt_standard_target *t;
        const char *e;
        uint16_t target, next;
        unsigned off;

        if (getsockopt(fd, lf->level, lf->opt_info, &info, &len) < 0)
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
        if (getsockopt(fd, lf->level, lf->opt_entries, entries, &len) < 0)
                return negative_errno();

        /* The built-in chain's policy is the standard target of the entry at its underflow. */
        off = info.underflow[NF_INET_FORWARD];
        if (off > info.size || info.size - off < lf->entry_size)
                return -EBADMSG;
        e = (const char *)entries->entrytable + off;
        target = entry_u16(e, lf->target_offset);
        next = entry_u16(e, lf->next_offset);
        if (target < lf->entry_size || target > next || next > info.size - off ||
            (size_t)(next - target) < sizeof(*t))
                return -EBADMSG;
        t = (const struct xt_standard_target *)(e + target);
        if (strcmp(t->target.u.user.name, XT_STANDARD_TARGET) != 0)
                return -EBADMSG;
        *ret = t->verdict == -NF_DROP - 1;
        return 0;
}

static int find_forward_drop(const LegacyFamily *lf, char **ret)
{
        _cleanup_close_ int fd = -EBADF;
        bool drops = false;
        int r;

        *ret = NULL;
        r = filter_table_exists(lf);
        if (r <= 0)
                return r;
        fd = socket(lf->family, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
        if (fd < 0)
                return negative_errno();
        for (int attempt = 0;; attempt++) {
                r = forward_policy_drops(lf, fd, &drops);
                if (r != -EAGAIN || attempt == 3)
                        break;
        }
        if (r < 0)
                return r;
        if (!drops)
                return 0;
        if (asprintf(ret, "%s table filter chain FORWARD (policy drop)", lf->tool) < 0) {
                *ret = NULL;
                return -ENOMEM;
        }
        return 1;
}

int iptables_legacy_find_forward_drop(bool ipv6, char **ret)
{
        int r = find_forward_drop(&legacy_ipv4, ret);

        if (r != 0 || !ipv6)
                return r;
        return find_forward_drop(&legacy_ipv6, ret);
}
