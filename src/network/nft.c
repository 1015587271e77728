/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The nftables side of VirtualEthernet= (see nft.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "macro.h"
#include "net-util.h"
#include "nft.h"

extern char **environ;

#define NFT_OUTPUT_MAX (1024U * 1024U)
#define NFT_BATCH_MAX  (64U * 1024U) /* the stdin pipe is made this big */

static const char *nft_binary(void)
{
        static const char *const candidates[] = { "/usr/sbin/nft", "/sbin/nft", "/usr/bin/nft" };

        for (size_t i = 0; i < ELEMENTSOF(candidates); i++)
                if (access(candidates[i], X_OK) == 0)
                        return candidates[i];
        return NULL;
}

typedef struct Buffer {
        char *data;
        size_t len;
} Buffer;

static int buffer_read(Buffer *b, int fd)
{
        char tmp[4096];
        ssize_t n = read(fd, tmp, sizeof(tmp));
        char *d;

        if (n <= 0)
                return n < 0 && errno == EINTR ? 1 : 0;
        if (b->len + (size_t)n > NFT_OUTPUT_MAX)
                return 1; /* drop what does not fit, keep draining */
        d = realloc(b->data, b->len + (size_t)n + 1);
        if (!d)
                return -ENOMEM;
        memcpy(d + b->len, tmp, (size_t)n);
        b->len += (size_t)n;
        d[b->len] = 0;
        b->data = d;
        return 1;
}

int nft_run(const char *batch, char **ret_out, char **ret_err)
{
        const char *nft = nft_binary();
        int in[2] = { -EBADF, -EBADF }, out[2] = { -EBADF, -EBADF }, err[2] = { -EBADF, -EBADF };
        posix_spawn_file_actions_t fa;
        posix_spawnattr_t attr;
        sigset_t none;
        Buffer o = {}, e = {};
        size_t written = 0, len = strlen(batch);
        char *argv[] = { (char *)"nft", (char *)"-f", (char *)"-", NULL };
        pid_t pid;
        int status, r;

        if (!nft)
                return -ENOENT;
        if (len > NFT_BATCH_MAX)
                return -E2BIG;
        if (pipe2(in, O_CLOEXEC) < 0 || pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0) {
                r = negative_errno();
                goto finish;
        }
        r = fcntl(in[1], F_SETPIPE_SZ, (int)NFT_BATCH_MAX);
        if (r < 0 || (size_t)r < len) {
                r = r < 0 ? negative_errno() : -E2BIG;
                goto finish;
        }
        r = 0;
        /* The whole batch fits the pipe: written before nft runs, so no write can meet a reader
         * that is gone (no SIGPIPE in the supervisor). */
        while (written < len) {
                ssize_t n = write(in[1], batch + written, len - written);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0) {
                        r = n < 0 ? negative_errno() : -EIO;
                        goto finish;
                }
                written += (size_t)n;
        }
        in[1] = safe_close(in[1]);
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_adddup2(&fa, in[0], STDIN_FILENO);
        posix_spawn_file_actions_adddup2(&fa, out[1], STDOUT_FILENO);
        posix_spawn_file_actions_adddup2(&fa, err[1], STDERR_FILENO);
        posix_spawnattr_init(&attr);
        /* The supervisor blocks the signals it reads from a signalfd: nft gets a clean mask. */
        sigemptyset(&none);
        posix_spawnattr_setsigmask(&attr, &none);
        posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
        r = -posix_spawn(&pid, nft, &fa, &attr, argv, environ);
        posix_spawn_file_actions_destroy(&fa);
        posix_spawnattr_destroy(&attr);
        in[0] = safe_close(in[0]);
        out[1] = safe_close(out[1]);
        err[1] = safe_close(err[1]);
        if (r < 0)
                goto finish;

        /* Drain both outputs together: a big listing must not block nft. */
        while (out[0] >= 0 || err[0] >= 0) {
                struct pollfd p[2] = { { .fd = out[0], .events = POLLIN },
                                       { .fd = err[0], .events = POLLIN } };
                int k;

                if (poll(p, 2, -1) < 0) {
                        if (errno == EINTR)
                                continue;
                        r = negative_errno();
                        break;
                }
                if (p[0].revents && (k = buffer_read(&o, out[0])) <= 0) {
                        out[0] = safe_close(out[0]);
                        r = r ?: k;
                }
                if (p[1].revents && (k = buffer_read(&e, err[0])) <= 0) {
                        err[0] = safe_close(err[0]);
                        r = r ?: k;
                }
        }
        while (waitpid(pid, &status, 0) < 0)
                if (errno != EINTR) {
                        status = -1;
                        break;
                }
        if (r >= 0 && !(WIFEXITED(status) && WEXITSTATUS(status) == 0))
                r = -EPROTO;

finish:
        close_pair(in);
        close_pair(out);
        close_pair(err);
        if (ret_err && e.data) {
                /* The first line that says what went wrong ("Error: ..."), or the first line. */
                char *l = strstr(e.data, "Error:") ?: e.data;
                l[strcspn(l, "\n")] = 0;
                *ret_err = strdup(l);
        }
        free(e.data);
        if (ret_out)
                *ret_out = o.data;
        else
                free(o.data);
        return r;
}

int nft_undo(const char *batch, char **ret_err)
{
        _cleanup_free_ char *copy = NULL;
        int r = nft_run(batch, NULL, ret_err);

        if (r >= 0 || r == -ENOENT || !(copy = strdup(batch)))
                return r;
        for (char *save = NULL, *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
                _cleanup_free_ char *one = NULL;
                if (asprintf(&one, "%s\n", l) >= 0)
                        (void)nft_run(one, NULL, NULL);
        }
        return r;
}

/* The table of one family: "ip" (addr "ipv4_addr", loopback 127.0.0.0/8) or "ip6" (::1). */
static void table_batch(FILE *f, const char *family, const char *addr_type, const char *loopback)
{
        fprintf(f,
                "add table %1$s berth\n"
                "add set %1$s berth links { type ifname; }\n"
                "add set %1$s berth host_access { type ifname; }\n"
                "add set %1$s berth link_local { type ifname; }\n"
                "add set %1$s berth sources { type ifname . %2$s; }\n"
                "add set %1$s berth addresses { type %2$s; }\n"
                "add map %1$s berth ports_tcp { type inet_service : %2$s . inet_service; }\n"
                "add map %1$s berth ports_udp { type inet_service : %2$s . inet_service; }\n"
                "add chain %1$s berth prerouting { type nat hook prerouting priority dstnat; policy accept; "
                "}\n"
                "add chain %1$s berth output { type nat hook output priority -100; policy accept; }\n"
                "add chain %1$s berth postrouting { type nat hook postrouting priority srcnat; policy "
                "accept; "
                "}\n"
                "add chain %1$s berth forward { type filter hook forward priority filter; policy accept; }\n"
                "add chain %1$s berth input { type filter hook input priority filter; policy accept; }\n"
                "flush chain %1$s berth prerouting\n"
                "flush chain %1$s berth output\n"
                "flush chain %1$s berth postrouting\n"
                "flush chain %1$s berth forward\n"
                "flush chain %1$s berth input\n",
                family, addr_type);
        /* Port=: connections to any of the host's own addresses, from outside and from the host
         * itself, but not to loopback: publishing on localhost would need route_localnet, which
         * exposes 127/8 on every interface. */
        fprintf(f,
                "add rule %1$s berth prerouting fib daddr type local dnat %1$s to tcp dport map @ports_tcp\n"
                "add rule %1$s berth prerouting fib daddr type local dnat %1$s to udp dport map @ports_udp\n"
                "add rule %1$s berth output %1$s daddr != %2$s fib daddr type local "
                "dnat %1$s to tcp dport map @ports_tcp\n"
                "add rule %1$s berth output %1$s daddr != %2$s fib daddr type local "
                "dnat %1$s to udp dport map @ports_udp\n",
                family, loopback);
        /* Outbound: a container's traffic leaves with the host's address. Nothing is forwarded
         * from a link but from that container's own address: a root with CAP_NET_RAW or
         * CAP_NET_ADMIN forging another's (a container's, wan's) would otherwise pass to another
         * container as an answer or through a published port's DNAT. Into a container only what
         * it asked for, or what a published port leads to (also from another container); out of
         * it not straight to another container. */
        fprintf(f,
                "add rule %1$s berth postrouting %1$s saddr @addresses oifname != @links masquerade\n"
                "add rule %1$s berth forward iifname @links iifname . %1$s saddr != @sources drop\n",
                family);
        /* Nor to the cloud's instance metadata service (the host's credentials), unless
         * LinkLocalAccess=yes put the link in @link_local: IPv4 link-local addresses, which a
         * router must not forward anyway (RFC 3927), and AWS's IPv6 metadata address. */
        fprintf(f,
                "add rule %1$s berth forward iifname @links iifname != @link_local %1$s daddr %2$s drop\n",
                family, streq(family, "ip6") ? "fd00:ec2::254" : "169.254.0.0/16");
        fprintf(f,
                "add rule %1$s berth forward oifname @links ct state established,related accept\n"
                "add rule %1$s berth forward oifname @links ct status dnat accept\n"
                "add rule %1$s berth forward iifname @links oifname != @links accept\n"
                "add rule %1$s berth forward iifname @links drop\n"
                "add rule %1$s berth forward oifname @links drop\n",
                family);
        /* To the host itself (its end of the link, any other address of it), only answers to the
         * host's own connections, unless HostAccess=yes put the link in @host_access; either way
         * only from the container's own address, as forwarded traffic. Published ports never get
         * here: prerouting DNATs them to a container, they are forwarded. IPv6 neighbour discovery
         * (from link-local addresses) must pass, or the container cannot resolve its gateway. */
        if (streq(family, "ip6"))
                fprintf(f, "add rule ip6 berth input iifname @links icmpv6 type { nd-neighbor-solicit, "
                           "nd-neighbor-advert } accept\n");
        fprintf(f,
                "add rule %1$s berth input iifname @links iifname . %1$s saddr != @sources drop\n"
                "add rule %1$s berth input iifname @links ct state established,related accept\n"
                "add rule %1$s berth input iifname @host_access accept\n"
                "add rule %1$s berth input iifname @links drop\n",
                family);
}

int nft_table_batch(bool ipv6, char **ret)
{
        char *buf = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&buf, &size);

        if (!f)
                return -ENOMEM;
        table_batch(f, "ip", "ipv4_addr", "127.0.0.0/8");
        if (ipv6)
                table_batch(f, "ip6", "ipv6_addr", "::1");
        if (fclose(f) != 0) {
                free(buf);
                return -ENOMEM;
        }
        *ret = buf;
        return 0;
}

static void elements_batch(FILE *f, const char *family, const char *ifname, const char *a,
                           const ContainerConfig *c, bool add)
{
        const char *verb = add ? "add" : "delete";
        const PortForward *ports = c->ports;

        fprintf(f, "%s element %s berth links { \"%s\" }\n", verb, family, ifname);
        if (c->host_access)
                fprintf(f, "%s element %s berth host_access { \"%s\" }\n", verb, family, ifname);
        if (c->link_local_access)
                fprintf(f, "%s element %s berth link_local { \"%s\" }\n", verb, family, ifname);
        fprintf(f, "%s element %s berth sources { \"%s\" . %s }\n", verb, family, ifname, a);
        fprintf(f, "%s element %s berth addresses { %s }\n", verb, family, a);
        for (size_t i = 0; i < c->n_ports; i++) {
                if (add)
                        fprintf(f, "add element %s berth ports_%s { %u : %s . %u }\n", family,
                                net_protocol_name(ports[i].protocol), ports[i].host_port, a,
                                ports[i].container_port);
                else
                        fprintf(f, "delete element %s berth ports_%s { %u }\n", family,
                                net_protocol_name(ports[i].protocol), ports[i].host_port);
        }
}

int nft_elements_batch(const char *ifname, uint32_t container_addr, const uint8_t *container_addr6,
                       const ContainerConfig *c, bool add, char **ret)
{
        char a[INET6_ADDRSTRLEN];
        char *buf = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&buf, &size);

        if (!f)
                return -ENOMEM;
        elements_batch(f, "ip", ifname, net_format_ipv4(container_addr, a), c, add);
        if (container_addr6)
                elements_batch(f, "ip6", ifname, inet_ntop(AF_INET6, container_addr6, a, sizeof(a)), c, add);
        if (fclose(f) != 0) {
                free(buf);
                return -ENOMEM;
        }
        *ret = buf;
        return 0;
}

/* A rule that drops everything it sees: its statements, past a counter, start with the verdict. */
static const char *unconditional_verdict(const char *rule)
{
        unsigned long long a, b;
        int n = 0;

        if (sscanf(rule, "counter packets %llu bytes %llu %n", &a, &b, &n) == 2 && n > 0)
                rule += n;
        if (strncmp(rule, "drop", 4) == 0 && (rule[4] == 0 || rule[4] == ' '))
                return "drop";
        if (strncmp(rule, "reject", 6) == 0 && (rule[6] == 0 || rule[6] == ' '))
                return "reject";
        return NULL;
}

int nft_find_forward_drop(const char *listing, char **ret)
{
        _cleanup_free_ char *out = strdup(listing ?: "");
        char table[256] = "", chain[256] = "", last[512] = "";
        bool in_chain = false, forward = false, policy_drop = false;

        *ret = NULL;
        if (!out)
                return -ENOMEM;
        for (char *save = NULL, *l = strtok_r(out, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
                char a[64], b[128];
                const char *verdict = NULL;

                l += strspn(l, " \t");
                if (sscanf(l, "table %63s %127s {", a, b) == 2) {
                        snprintf(table, sizeof(table), "%s %s", a, b);
                        in_chain = false;
                        continue;
                }
                if (sscanf(l, "chain %127s {", b) == 1) {
                        snprintf(chain, sizeof(chain), "%s", b);
                        in_chain = true;
                        forward = policy_drop = false;
                        last[0] = 0;
                        continue;
                }
                if (!in_chain)
                        continue;
                if (strncmp(l, "type ", 5) == 0) {
                        forward = strstr(l, "hook forward") != NULL;
                        policy_drop = strstr(l, "policy drop") != NULL;
                        continue;
                }
                if (!streq(l, "}")) {
                        snprintf(last, sizeof(last), "%s", l);
                        continue;
                }
                /* The chain's end: its policy, or a last rule that drops whatever reached it
                 * (firewalld's filter_FORWARD ends in "reject with icmpx admin-prohibited"). */
                in_chain = false;
                if (!forward || streq(table, "ip berth") || streq(table, "ip6 berth"))
                        continue;
                /* a bridge or netdev forward hook does not see routed traffic */
                if (strncmp(table, "ip ", 3) != 0 && strncmp(table, "ip6 ", 4) != 0 &&
                    strncmp(table, "inet ", 5) != 0)
                        continue;
                if (!policy_drop && !(verdict = unconditional_verdict(last)))
                        continue;
                if (asprintf(ret, "table %s chain %s (%s%s)", table, chain,
                             policy_drop ? "policy drop" : "last rule: ", policy_drop ? "" : verdict) < 0)
                        return -ENOMEM;
                return 1;
        }
        return 0;
}

int net_forward_drop_fix(const char *where, char **ret)
{
        char family[32], table[128], chain[128];
        int r;

        if (sscanf(where, "%31s table filter", family) == 1 &&
            (streq(family, "iptables-legacy") || streq(family, "ip6tables-legacy")))
                /* Docker's documented place for an administrator's rules is DOCKER-USER. */
                r = asprintf(ret,
                             "%1$s -I DOCKER-USER -i bt-+ -j ACCEPT; %1$s -I DOCKER-USER -o bt-+ -j ACCEPT "
                             "(without Docker: -I FORWARD)",
                             family);
        else if (sscanf(where, "table %31s %127s chain %127s", family, table, chain) == 3)
                r = asprintf(ret,
                             "nft 'insert rule %1$s %2$s %3$s iifname \"bt-*\" accept'; "
                             "nft 'insert rule %1$s %2$s %3$s oifname \"bt-*\" accept'%4$s",
                             family, table, chain,
                             streq(table, "firewalld") ? " (until firewalld reloads: for good, put "
                                                         "bt-* in a zone that forwards)"
                                                       : "");
        else
                r = asprintf(ret, "accept interfaces bt-* in %s", where);
        return r < 0 ? -ENOMEM : 0;
}
