/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Parsing and picking for VirtualEthernet= (see net-util.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "net-util.h"

int net_parse_ipv4_prefix(const char *s, uint8_t default_prefix, uint32_t *ret_addr, uint8_t *ret_prefix)
{
        char buf[INET_ADDRSTRLEN];
        const char *slash = strchr(s, '/');
        size_t n = slash ? (size_t)(slash - s) : strlen(s);
        struct in_addr a;
        unsigned long p = default_prefix;

        if (n == 0 || n >= sizeof(buf))
                return -EINVAL;
        memcpy(buf, s, n);
        buf[n] = 0;
        if (inet_pton(AF_INET, buf, &a) != 1)
                return -EINVAL;
        if (slash) {
                char *end;
                if (!slash[1] || slash[1] < '0' || slash[1] > '9')
                        return -EINVAL;
                errno = 0;
                p = strtoul(slash + 1, &end, 10);
                if (errno || *end || p > 32)
                        return -EINVAL;
        }
        *ret_addr = ntohl(a.s_addr);
        *ret_prefix = (uint8_t)p;
        return 0;
}

static int parse_port_number(const char *s, size_t n, uint16_t *ret)
{
        unsigned long v = 0;

        if (n == 0 || n > 6)
                return -EINVAL;
        for (size_t i = 0; i < n; i++) {
                if (s[i] < '0' || s[i] > '9')
                        return -EINVAL;
                v = v * 10 + (unsigned long)(s[i] - '0');
        }
        if (v < 1 || v > 65535)
                return -ERANGE;
        *ret = (uint16_t)v;
        return 0;
}

int net_parse_port(const char *s, PortForward *ret)
{
        PortForward p = { .protocol = IPPROTO_TCP };
        const char *colon;
        int r;

        if (strncmp(s, "tcp:", 4) == 0)
                s += 4;
        else if (strncmp(s, "udp:", 4) == 0) {
                p.protocol = IPPROTO_UDP;
                s += 4;
        }
        colon = strchr(s, ':');
        r = parse_port_number(s, colon ? (size_t)(colon - s) : strlen(s), &p.host_port);
        if (r < 0)
                return r;
        if (colon) {
                r = parse_port_number(colon + 1, strlen(colon + 1), &p.container_port);
                if (r < 0)
                        return r;
        } else
                p.container_port = p.host_port;
        *ret = p;
        return 0;
}

const char *net_protocol_name(int protocol)
{
        return protocol == IPPROTO_UDP ? "udp" : "tcp";
}

uint32_t net_prefix_mask(uint8_t prefix)
{
        return prefix == 0 ? 0 : UINT32_MAX << (32 - prefix);
}

bool net_prefix_overlaps(uint32_t a, uint8_t alen, uint32_t b, uint8_t blen)
{
        uint32_t m = net_prefix_mask(alen < blen ? alen : blen);
        return (a & m) == (b & m);
}

uint32_t net_pool_slots(uint8_t pool_prefix)
{
        if (pool_prefix > NET_SUBNET_PREFIX)
                return 0;
        return UINT32_C(1) << (NET_SUBNET_PREFIX - pool_prefix);
}

uint32_t net_pool_candidate(uint32_t pool, uint8_t pool_prefix, const char *name, uint32_t k)
{
        uint32_t n = net_pool_slots(pool_prefix);
        uint32_t first = (uint32_t)(alloc_hash(name) % n);

        return (pool & net_prefix_mask(pool_prefix)) + (((first + k) % n) << (32 - NET_SUBNET_PREFIX));
}

bool net_host_ifname(const char *name, char ret[IFNAMSIZ])
{
        size_t room = IFNAMSIZ - 1 - strlen(NET_IFNAME_PREFIX); /* 12 */

        if (strlen(name) <= room) {
                snprintf(ret, IFNAMSIZ, NET_IFNAME_PREFIX "%s", name);
                return false;
        }
        /* bt- + 7 characters + '_' + 4 hex digits: distinct names that share a prefix stay apart.
         * '_' is never in a container name, so no bt-NAME is ever a shortened name: with '-', the
         * container "applica-1a2b" was given the link name of a running "application-frontend"
         * and, taking the existing link for a leftover of its own, deleted that container's. */
        snprintf(ret, IFNAMSIZ, NET_IFNAME_PREFIX "%.*s_%04x", (int)(room - 5), name,
                 (unsigned)(alloc_hash(name) & 0xffff));
        return true;
}

void net_mac(const char *name, const char *side, uint8_t ret[6])
{
        char buf[CONTAINER_NAME_MAX + 32];
        uint64_t h;

        snprintf(buf, sizeof(buf), "%s/%s", side, name);
        h = alloc_hash(buf);
        for (size_t i = 0; i < 6; i++)
                ret[i] = (uint8_t)(h >> (8 * i));
        ret[0] = (uint8_t)((ret[0] & 0xfe) | 0x02); /* unicast, locally administered */
}

void net_ula_prefix(const char *machine_id, uint32_t subnet, uint8_t ret[16])
{
        char buf[128];
        uint64_t h;

        snprintf(buf, sizeof(buf), "berth-ula/%s", machine_id);
        h = alloc_hash(buf);
        memset(ret, 0, 16);
        ret[0] = 0xfd;
        for (size_t i = 1; i <= 3; i++)
                ret[i] = (uint8_t)(h >> (8 * (i - 1)));
        /* The whole /30 network, unique among running containers (its lock): 16 bits of its index
         * were not, across pools and Address= (10.1.0.4/30 and 10.5.0.4/30 shared one /64). */
        for (size_t i = 0; i < 4; i++)
                ret[4 + i] = (uint8_t)(subnet >> (8 * (3 - i)));
}

const char *net_format_ipv4(uint32_t a, char buf[16])
{
        snprintf(buf, 16, "%u.%u.%u.%u", a >> 24, (a >> 16) & 0xff, (a >> 8) & 0xff, a & 0xff);
        return buf;
}
