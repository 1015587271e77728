/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* VirtualEthernet=: the container's own interface. Before clone, its /30 and ports are allocated
 * (src/network/address.c); once the payload's network namespace exists, the veth pair is made with
 * the container end (eth0) inside it, the host end (bt-NAME) gets .1, and the container's elements
 * go into berth's nftables table (masquerade, Port= DNAT, forwarding). The child gives eth0 .2 and
 * the default route. At exit the elements and the link go again; what a SIGKILLed supervisor
 * leaves is collected at its own stop by `berth cleanup` (berth@.service's ExecStopPost=), or else
 * by the next allocation or stop. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exit-status.h"
#include "fileio.h"
#include "launch-context.h"
#include "log.h"
#include "mount-util.h"
#include "strv.h"

#include "address.h"
#include "iptables.h"
#include "net-util.h"
#include "netlink.h"
#include "nft.h"
#include "resolv.h"

#define CONTAINER_IFNAME "eth0"
#define IPV6_FORWARDING  "/proc/sys/net/ipv6/conf/all/forwarding"

static const uint8_t *addr6_or_null(const LaunchContext *ctx)
{
        return ctx->config->ipv6 ? ctx->container_addr6 : NULL;
}

/* IPv6=yes: forwarding must already be on. berth never turns it on: with forwarding=1 the kernel
 * ignores router advertisements on interfaces without accept_ra=2, and the host loses the default
 * route it learnt by SLAAC. */
static int check_ipv6(LaunchContext *ctx)
{
        _cleanup_fclose_ FILE *f = NULL;
        char machine_id[64] = "";
        int r = net_sysctl_read_flag(IPV6_FORWARDING);

        if (r == -ENOENT)
                return launch_error(ctx, 0, "IPv6=yes, but the host has no IPv6 (%s is missing)",
                                    IPV6_FORWARDING);
        if (r < 0)
                return launch_error(ctx, r, "Failed to read %s", IPV6_FORWARDING);
        if (r == 0)
                return launch_error(
                        ctx, 0,
                        "IPv6=yes needs IPv6 forwarding, which is off, and berth does not turn it "
                        "on: forwarding makes the kernel ignore router advertisements, so an "
                        "uplink configured by SLAAC would lose its default route. Set "
                        "net.ipv6.conf.UPLINK.accept_ra=2 on the uplink, then "
                        "net.ipv6.conf.all.forwarding=1 (sysctl.d), or use IPv6=no");
        f = fopen("/etc/machine-id", "re");
        if (f) {
                if (!fgets(machine_id, sizeof(machine_id), f))
                        machine_id[0] = 0;
                machine_id[strcspn(machine_id, "\n")] = 0;
        }
        net_ula_prefix(machine_id, ctx->net.subnet, ctx->host_addr6);
        memcpy(ctx->container_addr6, ctx->host_addr6, 16);
        ctx->host_addr6[15] = 1;
        ctx->container_addr6[15] = 2;
        return 0;
}

/* The host end never takes router advertisements: with IPv6 forwarding off (any host whose
 * containers all have IPv6=no) and the kernel's default accept_ra=1, a container root with
 * CAP_NET_RAW sending one gave the host a default IPv6 route through the container and an address
 * in a prefix of its choosing, so the host's IPv6 traffic went to that container. Without IPv6=yes
 * the host end has no IPv6 at all: berth's ip6 table knows nothing of that link, so with IPv6
 * forwarding on (for another container) the host forwarded whatever IPv6 frame the container
 * addressed to it, from any source address it liked. Set before the link is up; a host without
 * IPv6 has nothing to set. */
static int host_link_ipv6(const char *ifname, bool ipv6)
{
        _cleanup_free_ char *ra = NULL, *disable = NULL;
        int r;

        if (asprintf(&ra, "/proc/sys/net/ipv6/conf/%s/accept_ra", ifname) < 0 ||
            asprintf(&disable, "/proc/sys/net/ipv6/conf/%s/disable_ipv6", ifname) < 0)
                return -ENOMEM;
        r = net_sysctl_write(ra, "0\n");
        if (r >= 0 && !ipv6)
                r = net_sysctl_write(disable, "1\n");
        return r == -ENOENT ? 0 : r;
}

static int resolv_conf_write(LaunchContext *ctx)
{
        _cleanup_free_ char *text = NULL, *dir = NULL, *path = NULL;
        _cleanup_close_ int dfd = -EBADF;
        int r;

        if (asprintf(&dir, "%s/%s", ctx->state_dir, ctx->config->name) < 0 ||
            asprintf(&path, "%s/resolv.conf", dir) < 0)
                return -ENOMEM;
        r = resolv_conf_build(RESOLV_CONF_HOST, RESOLV_CONF_UPSTREAM, &text);
        if (r < 0)
                return r;
        dfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (dfd < 0)
                return negative_errno();
        /* Whole or not at all, never through a symlink at the name; 0644 whatever the umask: the
         * container reads it through a bind mount as an unmapped user. */
        r = write_file_atomic_at(dfd, "resolv.conf", text, strlen(text), 0644, 0);
        if (r < 0)
                return r;
        ctx->resolv_conf = TAKE_PTR(path);
        return 0;
}

int launch_allocate_network(LaunchContext *ctx)
{
        const ContainerConfig *c = ctx->config;
        _cleanup_free_ char *detail = NULL, *undo = NULL, *link = NULL;
        char a[16];
        int r;

        if (!c->virtual_ethernet)
                return 0;
        r = net_allocate(ctx->state_dir, c, &ctx->net, &detail);
        if (r < 0 && detail)
                return launch_error(ctx, 0, "%s", detail);
        if (r < 0)
                return launch_error(ctx, r, "Failed to allocate an address");
        ctx->host_addr = ctx->net.subnet + 1;
        ctx->container_addr = ctx->net.subnet + 2;
        ctx->ifname_shortened = net_host_ifname(c->name, ctx->ifname);
        if (c->ipv6) {
                r = check_ipv6(ctx);
                if (r < 0)
                        return r;
        }

        /* The undo recipe is on disk before anything it undoes exists. A shortened link name is
         * recorded as its altname bt-NAME: collection must not hit another container's link whose
         * name shortens the same. */
        r = nft_elements_batch(ctx->ifname, ctx->container_addr, addr6_or_null(ctx), c, false, &undo);
        if (r >= 0 && ctx->ifname_shortened && asprintf(&link, NET_IFNAME_PREFIX "%s", c->name) < 0)
                r = -ENOMEM;
        if (r >= 0)
                r = net_allocation_record(&ctx->net, link ?: ctx->ifname, undo);
        if (r < 0)
                return launch_error(ctx, r, "Failed to record the network allocation of %s",
                                    net_format_ipv4(ctx->net.subnet, a));
        if (c->resolv_conf == RESOLV_CONF_AUTO) {
                r = resolv_conf_write(ctx);
                if (r < 0)
                        return launch_error(ctx, r, "Failed to write resolv.conf");
        }
        return 0;
}

/* IPv4 forwarding is a host-wide switch: turned on only here, when a container needs it, recorded
 * (STATE_DIR/net/ip_forward) and turned off again when the last such container is gone. */
static int enable_ip_forward(LaunchContext *ctx)
{
        bool changed;
        int r = net_forward_enable(ctx->state_dir, ctx->config->name, &changed);

        if (r >= 0 && changed)
                log_info("Enabled IPv4 forwarding (net.ipv4.ip_forward=1) for container %s.",
                         ctx->config->name);
        return r;
}

static int send_resolv_conf(LaunchContext *ctx)
{
        _cleanup_close_ int fd = -EBADF;
        SyncMessage m = { .type = SYNC_MOUNT_FD, .index = SOURCE_RESOLV };
        int r;

        if (!ctx->resolv_conf)
                return 0;
        r = mount_clone(AT_FDCWD, ctx->resolv_conf, false, &fd);
        if (r >= 0)
                r = mount_set_attr(
                        fd, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC,
                        false);
        if (r >= 0)
                r = sync_send(ctx->sync_fd, &m, &fd, 1);
        return r;
}

int launch_network_setup(LaunchContext *ctx)
{
        const ContainerConfig *c = ctx->config;
        _cleanup_free_ char *table = NULL, *elements = NULL, *batch = NULL, *nft_error = NULL,
                            *altname = NULL, *listing = NULL;
        uint8_t host_mac[6], container_mac[6];
        char a[16];
        int r;

        if (!c->virtual_ethernet)
                return 0;
        net_mac(c->name, "host", host_mac);
        net_mac(c->name, "container", container_mac);
        if (ctx->ifname_shortened && asprintf(&altname, NET_IFNAME_PREFIX "%s", c->name) < 0)
                return launch_error(ctx, -ENOMEM, "Failed to allocate");
        r = netlink_veth_create(ctx->ifname, altname, host_mac, CONTAINER_IFNAME, container_mac, ctx->pid);
        if (r == -EEXIST && !ctx->ifname_shortened) {
                /* bt-NAME is this container's alone (no shortened name equals it) and we hold its
                 * lock: a leftover of a supervisor killed moments ago whose namespace the kernel has
                 * not freed yet. */
                (void)netlink_link_delete(ctx->ifname);
                r = netlink_veth_create(ctx->ifname, altname, host_mac, CONTAINER_IFNAME, container_mac,
                                        ctx->pid);
        } else if (r == -EEXIST)
                /* A shortened name may be another running container's (same first characters, same
                 * 16-bit hash): never delete that one. */
                return launch_error(
                        ctx, 0,
                        "Failed to create the veth pair: interface %s exists (another container's "
                        "name shortens to the same; rename one of them)",
                        ctx->ifname);
        if (r < 0)
                return launch_error(ctx, r, "Failed to create the veth pair %s", ctx->ifname);
        ctx->link_created = true;
        r = host_link_ipv6(ctx->ifname, c->ipv6);
        if (r < 0)
                return launch_error(ctx, r, "Failed to set accept_ra%s on %s",
                                    c->ipv6 ? "" : " and disable_ipv6", ctx->ifname);
        r = netlink_addr_add_ipv4(ctx->ifname, ctx->host_addr, NET_SUBNET_PREFIX);
        if (r < 0)
                return launch_error(ctx, r, "Failed to add address %s/30 to %s",
                                    net_format_ipv4(ctx->host_addr, a), ctx->ifname);
        if (c->ipv6) {
                r = netlink_addr_add_ipv6(ctx->ifname, ctx->host_addr6, 64);
                if (r < 0)
                        return launch_error(ctx, r, "Failed to add the IPv6 address to %s", ctx->ifname);
        }
        r = netlink_link_up(ctx->ifname);
        if (r < 0)
                return launch_error(ctx, r, "Failed to bring up %s", ctx->ifname);

        r = enable_ip_forward(ctx);
        if (r < 0)
                return launch_error(ctx, r, "Failed to enable IPv4 forwarding (%s)", NET_IP_FORWARD);

        /* One transaction: the table as this berth defines it, and this container's elements. */
        r = nft_table_batch(c->ipv6, &table);
        if (r >= 0)
                r = nft_elements_batch(ctx->ifname, ctx->container_addr, addr6_or_null(ctx), c, true,
                                       &elements);
        /* ... and, in the same run of nft, every table's chains and rules (for the forward check). */
        if (r < 0 || asprintf(&batch, "%s%slist ruleset\n", table, elements) < 0)
                return launch_error(ctx, -ENOMEM, "Failed to allocate");
        r = nft_run(batch, &listing, &nft_error);
        if (r == -ENOENT)
                return launch_error(ctx, 0, "Failed to set up NAT: nft not found (install nftables)");
        if (r < 0 && nft_error)
                return launch_error(ctx, 0, "Failed to add the network rules (nft: %s)", nft_error);
        if (r < 0)
                return launch_error(ctx, r, "Failed to add the network rules");
        ctx->elements_added = true;

        /* Said once, where an administrator looks first (the journal): localhost is not published. */
        for (size_t i = 0; i < c->n_ports; i++)
                log_info("Container %s: port %s:%u published on the host's addresses to port %u (not on "
                         "localhost: connect to one of the host's other addresses).",
                         c->name, net_protocol_name(c->ports[i].protocol), c->ports[i].host_port,
                         c->ports[i].container_port);

        /* Another table's forward hook that drops (Docker's FORWARD DROP, firewalld) drops this
         * container's forwarded traffic whatever berth's table accepts: say so, here and in status. */
        r = nft_find_forward_drop(listing, &ctx->forward_blocked);
        if (r == 0) {
                /* Docker on a host whose iptables is the legacy one: the same policy, in x_tables. */
                r = iptables_legacy_find_forward_drop(c->ipv6, &ctx->forward_blocked);
                if (r < 0)
                        log_warning_errno(r,
                                          "Container %s: cannot read the legacy iptables filter tables, "
                                          "whose FORWARD policy may drop its traffic: %m",
                                          c->name);
        }
        if (r > 0) {
                _cleanup_free_ char *fix = NULL;
                (void)net_forward_drop_fix(ctx->forward_blocked, &fix);
                log_warning("Container %s: forwarded traffic is dropped by %s: published ports "
                            "and outbound connections will not work until it accepts interface %s. To let "
                            "berth's interfaces through: %s",
                            c->name, ctx->forward_blocked, ctx->ifname, strna(fix));
        }

        r = send_resolv_conf(ctx);
        if (r < 0)
                return launch_error(ctx, r, "Failed to pass resolv.conf to the payload process");
        return 0;
}

int launch_network_collect(const char *state_dir, const char *stopped)
{
        _cleanup_strv_free_ char **dead = NULL;
        bool restored;
        int r = net_collect_stale(state_dir, &dead, &restored);

        STRV_FOREACH (n, dead)
                log_info("Removed the network state container %s left behind (its supervisor was killed): "
                         "its nft elements and host link.",
                         *n);
        if (r >= 0 && restored && stopped)
                log_info("Disabled IPv4 forwarding again (net.ipv4.ip_forward=0): container %s was the "
                         "last one that needed it.",
                         stopped);
        else if (r >= 0 && restored)
                log_info("Disabled IPv4 forwarding again (net.ipv4.ip_forward=0): no container needs it "
                         "any more.");
        return r < 0 ? r : 0;
}

/* After this container's locks are gone: dead ones' leftovers are collected, and when no other
 * container with VirtualEthernet= runs, the forwarding berth turned on goes off again. */
static void restore_ip_forward(LaunchContext *ctx)
{
        int r = launch_network_collect(ctx->state_dir, ctx->config->name);

        if (r < 0)
                log_warning_errno(r,
                                  "Failed to collect dead containers' network state or restore forwarding "
                                  "after container %s: %m",
                                  ctx->config->name);
}

void launch_network_teardown(LaunchContext *ctx)
{
        const ContainerConfig *c = ctx->config;

        if (!c->virtual_ethernet)
                return;
        if (ctx->elements_added) {
                _cleanup_free_ char *undo = NULL, *nft_error = NULL;
                /* Someone (an admin's nft command) may have deleted one of them already: the
                 * rest must go all the same. */
                if (nft_elements_batch(ctx->ifname, ctx->container_addr, addr6_or_null(ctx), c, false,
                                       &undo) >= 0 &&
                    nft_undo(undo, &nft_error) < 0)
                        log_warning(
                                "Container %s's nft elements could not be removed in one batch (nft: %s); "
                                "removed one at a time.",
                                c->name, strna(nft_error));
                ctx->elements_added = false;
        }
        if (ctx->link_created) {
                (void)netlink_link_delete(ctx->ifname);
                ctx->link_created = false;
        }
        if (ctx->resolv_conf) {
                (void)unlink(ctx->resolv_conf);
                free(ctx->resolv_conf);
                ctx->resolv_conf = NULL;
        }
        free(ctx->forward_blocked);
        ctx->forward_blocked = NULL;
        net_allocation_release(&ctx->net);
        restore_ip_forward(ctx);
}

/* Child: eth0 gets .2/30 and the default route through the host end. */
int child_network_up(LaunchChild *ch)
{
        const LaunchContext *ctx = ch->ctx;
        char a[16];
        int r;

        if (!ctx->config->virtual_ethernet)
                return 0;
        r = netlink_addr_add_ipv4(CONTAINER_IFNAME, ctx->container_addr, NET_SUBNET_PREFIX);
        if (r >= 0)
                r = netlink_link_up(CONTAINER_IFNAME);
        if (r >= 0)
                r = netlink_route_add_default_ipv4(CONTAINER_IFNAME, ctx->host_addr);
        if (r >= 0 && ctx->config->ipv6) {
                r = netlink_addr_add_ipv6(CONTAINER_IFNAME, ctx->container_addr6, 64);
                if (r >= 0)
                        r = netlink_route_add_default_ipv6(CONTAINER_IFNAME, ctx->host_addr6);
        }
        if (r < 0)
                return child_report_error(ch, EXIT_BERTH_FAILED, r, "Failed to configure %s with %s/30",
                                          CONTAINER_IFNAME, net_format_ipv4(ctx->container_addr, a));
        return 0;
}

/* Child: the resolv.conf made from the host's, read-only over the image's /etc/resolv.conf
 * (resolved inside the root). An image without /etc, or a read-only one without the file, keeps
 * what it has. */
int child_mount_resolv_conf(LaunchChild *ch)
{
        _cleanup_close_ int etc = -EBADF;
        int r;

        if (ch->resolv_src_fd < 0)
                return 0;
        r = resolve_in_root(ch->rootfd, "/etc", false, TARGET_DIRECTORY, &etc);
        if (r == -ENOENT)
                return 0;
        if (r >= 0)
                r = mount_attach_in_root(ch->resolv_src_fd, ch->rootfd, "/etc/resolv.conf", TARGET_FILE);
        if (r == -EROFS)
                return 0;
        if (r < 0)
                return child_report_error(ch, EXIT_BERTH_FAILED, r, "Failed to mount /etc/resolv.conf");
        return 0;
}
