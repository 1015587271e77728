/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Pure helpers of VirtualEthernet=: parsing Address=/AddressPool=/Port=, the /30 picked from the
 * pool (hash of the name first), the host-side interface name and the MAC addresses. No I/O here,
 * so the unit tests and the config parser can use them. IPv4 addresses are in host byte order. */

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>

#include "config.h"

#define NET_IFNAME_PREFIX "bt-"
#define NET_SUBNET_PREFIX 30 /* one /30 per container: network, host .1, container .2, broadcast */

/* "A.B.C.D" or "A.B.C.D/N": 0, or -EINVAL. Without /N, *ret_prefix is default_prefix. */
int net_parse_ipv4_prefix(const char *s, uint8_t default_prefix, uint32_t *ret_addr, uint8_t *ret_prefix);
/* "[tcp:|udp:]HOSTPORT[:CONTAINERPORT]", ports 1..65535: 0, -EINVAL (syntax) or -ERANGE (a port
 * out of range). */
int net_parse_port(const char *s, PortForward *ret);
const char *net_protocol_name(int protocol);

uint32_t net_prefix_mask(uint8_t prefix);
/* Whether a/alen and b/blen share an address. */
bool net_prefix_overlaps(uint32_t a, uint8_t alen, uint32_t b, uint8_t blen);

/* The k-th candidate /30 of the pool for name (k = 0 is the hash's own pick; the sequence visits
 * every /30 of the pool once). Pools smaller than a /30 have no candidate: 0 slots. */
uint32_t net_pool_slots(uint8_t pool_prefix);
uint32_t net_pool_candidate(uint32_t pool, uint8_t pool_prefix, const char *name, uint32_t k);

/* "bt-NAME", or when that does not fit IFNAMSIZ "bt-" + a cut of NAME + "_" + 4 hex digits of
 * its hash ('_', which no container name has: a bt-NAME never equals a shortened name). Returns
 * true when shortened (then "bt-NAME" goes on the link as an altname). */
bool net_host_ifname(const char *name, char ret[IFNAMSIZ]);
/* A stable, locally administered unicast MAC for name and side ("host" or "container"). */
void net_mac(const char *name, const char *side, uint8_t ret[6]);

/* IPv6=yes: the container's ULA /64, fdHH:HHHH:AABB:CCDD::/64, where the 24 bits HHHHHH come from
 * the host's machine ID and AA.BB.CC.DD is the container's IPv4 /30 network, which its lock keeps
 * unique among running containers (whatever their pools or Address=). Host end ::1, container ::2. */
void net_ula_prefix(const char *machine_id, uint32_t subnet, uint8_t ret[16]);

/* Dotted quad into buf (16 bytes). */
const char *net_format_ipv4(uint32_t a, char buf[16]);
