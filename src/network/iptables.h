/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>

/* The legacy (x_tables) filter table of the calling process's network namespace, read the way
 * iptables-legacy-save reads it: getsockopt(IPT_SO_GET_INFO / IPT_SO_GET_ENTRIES) on a raw socket.
 * No tool needed, nothing changed, and no module loaded: a namespace whose
 * /proc/net/ip_tables_names does not list "filter" is not asked at all (asking would instantiate
 * the table, or load iptable_filter). */

/* 1 and "iptables-legacy table filter chain FORWARD (policy drop)" when the legacy FORWARD chain's
 * policy is DROP (Docker on a legacy-iptables host), which drops forwarded container traffic
 * whatever berth's nftables table accepts; with ipv6, then ip6_tables the same way
 * ("ip6tables-legacy ..."). 0 and NULL when neither drops; -errno when one cannot be read. */
int iptables_legacy_find_forward_drop(bool ipv6, char **ret);
