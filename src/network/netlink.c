/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* rtnetlink requests through libmnl (see netlink.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "macro.h"
#include "net-util.h"
#include "netlink.h"

static void mnl_socket_closep(struct mnl_socket **s)
{
        if (*s)
                mnl_socket_close(*s);
}

static int nl_open(struct mnl_socket **ret)
{
        struct mnl_socket *nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);

        if (!nl)
                return negative_errno();
        if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
                int r = negative_errno();
                mnl_socket_close(nl);
                return r;
        }
        *ret = nl;
        return 0;
}

/* Sends one request and runs cb over the answer (until the ACK or the end of a dump). */
static int nl_talk(struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
        _cleanup_(mnl_socket_closep) struct mnl_socket *nl = NULL;
        char buf[32768]; /* a dump message fits (MNL_SOCKET_DUMP_SIZE of newer libmnl) */
        unsigned portid;
        int r;

        r = nl_open(&nl);
        if (r < 0)
                return r;
        portid = mnl_socket_get_portid(nl);
        nlh->nlmsg_seq = (unsigned)time(NULL);
        if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
                return negative_errno();
        for (;;) {
                ssize_t n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
                if (n < 0)
                        return negative_errno();
                r = mnl_cb_run(buf, (size_t)n, nlh->nlmsg_seq, portid, cb, data);
                if (r < 0)
                        return negative_errno();
                if (r == MNL_CB_STOP)
                        return 0;
        }
}

static struct nlmsghdr *put_request(char *buf, uint16_t type, uint16_t flags)
{
        struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
        nlh->nlmsg_type = type;
        nlh->nlmsg_flags = NLM_F_REQUEST | flags;
        return nlh;
}

static int ifindex_of(const char *ifname)
{
        unsigned i = if_nametoindex(ifname);
        return i == 0 ? -ENODEV : (int)i;
}

int netlink_veth_create(const char *host_ifname, const char *altname, const uint8_t host_mac[6],
                        const char *peer_ifname, const uint8_t peer_mac[6], pid_t peer_pid)
{
        char buf[MNL_SOCKET_BUFFER_SIZE];
        struct nlmsghdr *nlh = put_request(buf, RTM_NEWLINK, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL);
        struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
        struct nlattr *linkinfo, *data, *peer;
        int r;

        ifi->ifi_family = AF_UNSPEC;
        mnl_attr_put_strz(nlh, IFLA_IFNAME, host_ifname);
        mnl_attr_put(nlh, IFLA_ADDRESS, 6, host_mac);
        linkinfo = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
        mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
        data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
        peer = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
        /* The peer's attributes follow an ifinfomsg of its own. */
        ((struct ifinfomsg *)mnl_nlmsg_put_extra_header(nlh, sizeof(struct ifinfomsg)))->ifi_family =
                AF_UNSPEC;
        mnl_attr_put_strz(nlh, IFLA_IFNAME, peer_ifname);
        mnl_attr_put(nlh, IFLA_ADDRESS, 6, peer_mac);
        mnl_attr_put_u32(nlh, IFLA_NET_NS_PID, (uint32_t)peer_pid);
        mnl_attr_nest_end(nlh, peer);
        mnl_attr_nest_end(nlh, data);
        mnl_attr_nest_end(nlh, linkinfo);
        r = nl_talk(nlh, NULL, NULL);
        if (r < 0 || !altname)
                return r;

        /* The full name, for `ip link show bt-LONGNAME`; a kernel without altnames (< 5.5) only
         * loses that convenience. */
        nlh = put_request(buf, RTM_NEWLINKPROP, NLM_F_ACK | NLM_F_CREATE | NLM_F_APPEND);
        ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
        ifi->ifi_family = AF_UNSPEC;
        r = ifindex_of(host_ifname);
        if (r < 0)
                return r;
        ifi->ifi_index = r;
        linkinfo = mnl_attr_nest_start(nlh, IFLA_PROP_LIST);
        mnl_attr_put_strz(nlh, IFLA_ALT_IFNAME, altname);
        mnl_attr_nest_end(nlh, linkinfo);
        r = nl_talk(nlh, NULL, NULL);
        return r == -EOPNOTSUPP || r == -EINVAL ? 0 : r;
}

int netlink_link_delete(const char *ifname)
{
        char buf[MNL_SOCKET_BUFFER_SIZE];
        struct nlmsghdr *nlh = put_request(buf, RTM_DELLINK, NLM_F_ACK);
        struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));

        ifi->ifi_family = AF_UNSPEC;
        /* A name too long for IFNAMSIZ is an altname: the link is looked up by it (Linux 5.5). */
        mnl_attr_put_strz(nlh, strlen(ifname) < IFNAMSIZ ? IFLA_IFNAME : IFLA_ALT_IFNAME, ifname);
        return nl_talk(nlh, NULL, NULL);
}

int netlink_link_up(const char *ifname)
{
        char buf[MNL_SOCKET_BUFFER_SIZE];
        struct nlmsghdr *nlh = put_request(buf, RTM_NEWLINK, NLM_F_ACK);
        struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
        int i = ifindex_of(ifname);

        if (i < 0)
                return i;
        ifi->ifi_family = AF_UNSPEC;
        ifi->ifi_index = i;
        ifi->ifi_flags = IFF_UP;
        ifi->ifi_change = IFF_UP;
        return nl_talk(nlh, NULL, NULL);
}

/* The request both address families share: an address on ifname, with its broadcast address
 * (IPv4) when not NULL. */
static int addr_add(const char *ifname, int family, const void *addr, size_t len, uint8_t prefix,
                    const void *broadcast)
{
        char buf[MNL_SOCKET_BUFFER_SIZE];
        struct nlmsghdr *nlh = put_request(buf, RTM_NEWADDR, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL);
        struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
        int i = ifindex_of(ifname);

        if (i < 0)
                return i;
        ifa->ifa_family = family;
        ifa->ifa_prefixlen = prefix;
        ifa->ifa_scope = RT_SCOPE_UNIVERSE;
        if (family == AF_INET6)
                ifa->ifa_flags = IFA_F_NODAD; /* both ends are ours: usable at once, not after DAD */
        ifa->ifa_index = (unsigned)i;
        mnl_attr_put(nlh, IFA_LOCAL, len, addr);
        mnl_attr_put(nlh, IFA_ADDRESS, len, addr);
        if (broadcast)
                mnl_attr_put(nlh, IFA_BROADCAST, len, broadcast);
        return nl_talk(nlh, NULL, NULL);
}

/* The request both address families share: the default route through gateway on ifname. */
static int route_add_default(const char *ifname, int family, const void *gateway, size_t len)
{
        char buf[MNL_SOCKET_BUFFER_SIZE];
        struct nlmsghdr *nlh = put_request(buf, RTM_NEWROUTE, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL);
        struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
        int i = ifindex_of(ifname);

        if (i < 0)
                return i;
        rtm->rtm_family = family;
        rtm->rtm_table = RT_TABLE_MAIN;
        rtm->rtm_protocol = RTPROT_STATIC;
        rtm->rtm_scope = RT_SCOPE_UNIVERSE;
        rtm->rtm_type = RTN_UNICAST;
        mnl_attr_put(nlh, RTA_GATEWAY, len, gateway);
        mnl_attr_put_u32(nlh, RTA_OIF, (uint32_t)i);
        return nl_talk(nlh, NULL, NULL);
}

int netlink_addr_add_ipv4(const char *ifname, uint32_t addr, uint8_t prefix)
{
        uint32_t be = htonl(addr), bcast = htonl(addr | ~net_prefix_mask(prefix));

        return addr_add(ifname, AF_INET, &be, sizeof(be), prefix, &bcast);
}

int netlink_route_add_default_ipv4(const char *ifname, uint32_t gateway)
{
        uint32_t be = htonl(gateway);

        return route_add_default(ifname, AF_INET, &be, sizeof(be));
}

int netlink_addr_add_ipv6(const char *ifname, const uint8_t addr[16], uint8_t prefix)
{
        return addr_add(ifname, AF_INET6, addr, 16, prefix, NULL);
}

int netlink_route_add_default_ipv6(const char *ifname, const uint8_t gateway[16])
{
        return route_add_default(ifname, AF_INET6, gateway, 16);
}

typedef struct PrefixList {
        NetPrefix *v;
        size_t n;
        int error;
} PrefixList;

static void prefix_list_add(PrefixList *l, uint32_t addr, uint8_t prefix, unsigned ifindex)
{
        NetPrefix p = { .addr = addr & net_prefix_mask(prefix), .prefix = prefix };
        NetPrefix *v;

        if (prefix == 0 || l->error)
                return; /* default routes cover everything; they never make a subnet unusable */
        if (ifindex > 0 && !if_indextoname(ifindex, p.ifname))
                p.ifname[0] = 0;
        if (strncmp(p.ifname, NET_IFNAME_PREFIX, strlen(NET_IFNAME_PREFIX)) == 0)
                return; /* a running container's own /30 */
        v = reallocarray(l->v, l->n + 1, sizeof(*v));
        if (!v) {
                l->error = -ENOMEM;
                return;
        }
        v[l->n++] = p;
        l->v = v;
}

static int route_cb(const struct nlmsghdr *nlh, void *data)
{
        const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
        const struct nlattr *a;
        uint32_t dst = 0, oif = 0;

        if (rtm->rtm_family != AF_INET || rtm->rtm_type == RTN_BROADCAST)
                return MNL_CB_OK;
        mnl_attr_for_each(a, nlh, sizeof(*rtm))
        {
                if (mnl_attr_get_type(a) == RTA_DST && mnl_attr_get_payload_len(a) == 4)
                        dst = ntohl(mnl_attr_get_u32(a));
                else if (mnl_attr_get_type(a) == RTA_OIF)
                        oif = mnl_attr_get_u32(a);
        }
        prefix_list_add(data, dst, rtm->rtm_dst_len, oif);
        return MNL_CB_OK;
}

static int addr_cb(const struct nlmsghdr *nlh, void *data)
{
        const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
        const struct nlattr *a;

        if (ifa->ifa_family != AF_INET)
                return MNL_CB_OK;
        mnl_attr_for_each(a, nlh, sizeof(*ifa)) if (mnl_attr_get_type(a) == IFA_LOCAL &&
                                                    mnl_attr_get_payload_len(a) == 4)
                prefix_list_add(data, ntohl(mnl_attr_get_u32(a)), ifa->ifa_prefixlen, ifa->ifa_index);
        return MNL_CB_OK;
}

int netlink_host_networks(NetPrefix **ret, size_t *ret_n)
{
        char buf[MNL_SOCKET_BUFFER_SIZE];
        PrefixList l = {};
        struct nlmsghdr *nlh;
        int r;

        nlh = put_request(buf, RTM_GETROUTE, NLM_F_DUMP);
        ((struct rtmsg *)mnl_nlmsg_put_extra_header(nlh, sizeof(struct rtmsg)))->rtm_family = AF_INET;
        r = nl_talk(nlh, route_cb, &l);
        if (r >= 0) {
                nlh = put_request(buf, RTM_GETADDR, NLM_F_DUMP);
                ((struct ifaddrmsg *)mnl_nlmsg_put_extra_header(nlh, sizeof(struct ifaddrmsg)))->ifa_family =
                        AF_INET;
                r = nl_talk(nlh, addr_cb, &l);
        }
        if (r >= 0)
                r = l.error;
        if (r < 0) {
                free(l.v);
                return r;
        }
        *ret = l.v;
        *ret_n = l.n;
        return 0;
}
