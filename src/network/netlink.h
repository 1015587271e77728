/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* rtnetlink through libmnl: the veth pair, addresses, routes, and the host's IPv4 networks. Each
 * call opens its own socket in the network namespace of the calling process. */

#include <net/if.h>
#include <stdint.h>
#include <sys/types.h>

/* A veth pair: host_ifname here (with altname when not NULL), peer_ifname in the network
 * namespace of peer_pid. Both MACs are set in the create message. -EEXIST when host_ifname exists. */
int netlink_veth_create(const char *host_ifname, const char *altname, const uint8_t host_mac[6],
                        const char *peer_ifname, const uint8_t peer_mac[6], pid_t peer_pid);
/* By name, or by altname when longer than IFNAMSIZ; -ENODEV when it does not exist. */
int netlink_link_delete(const char *ifname);
int netlink_link_up(const char *ifname);
int netlink_addr_add_ipv4(const char *ifname, uint32_t addr, uint8_t prefix);
int netlink_route_add_default_ipv4(const char *ifname, uint32_t gateway);
int netlink_addr_add_ipv6(const char *ifname, const uint8_t addr[16], uint8_t prefix); /* no DAD */
int netlink_route_add_default_ipv6(const char *ifname, const uint8_t gateway[16]);

typedef struct NetPrefix {
        uint32_t addr; /* host order */
        uint8_t prefix;
        char ifname[IF_NAMESIZE]; /* the interface the route or address is on, "" when none */
} NetPrefix;

/* The host's IPv4 networks: its addresses (as their networks) and the destinations of its routes
 * in every table, without default routes and without what sits on berth's own bt-* links. */
int netlink_host_networks(NetPrefix **ret, size_t *ret_n);
