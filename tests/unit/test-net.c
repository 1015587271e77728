/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* VirtualEthernet= helpers without I/O: Port=/Address= parsing, the /30 picked from the pool
 * (stable per name, every /30 visited once), the host link's name within IFNAMSIZ, the MACs, and
 * the container's resolv.conf made from host files written here. */
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net-util.h"
#include "nft.h"
#include "resolv.h"
#include "test.h"

static void test_ports(void)
{
        PortForward p;

        CHECK(net_parse_port("8080:80", &p) == 0 && p.protocol == IPPROTO_TCP && p.host_port == 8080 &&
                      p.container_port == 80,
              "8080:80 is tcp 8080 -> 80");
        CHECK(net_parse_port("udp:53", &p) == 0 && p.protocol == IPPROTO_UDP && p.host_port == 53 &&
                      p.container_port == 53,
              "udp:53 is udp 53 -> 53");
        CHECK(net_parse_port("tcp:65535:1", &p) == 0 && p.host_port == 65535 && p.container_port == 1,
              "tcp:65535:1: both ends of the range");
        CHECK(net_parse_port("0", &p) == -ERANGE, "port 0 is out of range");
        CHECK(net_parse_port("65536", &p) == -ERANGE, "port 65536 is out of range");
        CHECK(net_parse_port("80:9999999", &p) == -EINVAL, "a 7-digit port is malformed");
        CHECK(net_parse_port("sctp:80", &p) == -EINVAL, "sctp: is not a protocol berth publishes");
        CHECK(net_parse_port("80:", &p) == -EINVAL, "empty container port");
        CHECK(net_parse_port(":80", &p) == -EINVAL, "empty host port");
        CHECK(net_parse_port("80:81:82", &p) == -EINVAL, "three ports");
        CHECK(net_parse_port("-1", &p) == -EINVAL, "negative port");
}

static void test_prefixes(void)
{
        uint32_t a;
        uint8_t p;

        CHECK(net_parse_ipv4_prefix("10.213.0.0/16", 32, &a, &p) == 0 && a == 0x0AD50000 && p == 16,
              "10.213.0.0/16");
        CHECK(net_parse_ipv4_prefix("10.1.2.4", 30, &a, &p) == 0 && a == 0x0A010204 && p == 30,
              "without /N the default prefix");
        CHECK(net_parse_ipv4_prefix("10.1.2.4/33", 30, &a, &p) == -EINVAL, "/33 refused");
        CHECK(net_parse_ipv4_prefix("10.1.2/24", 30, &a, &p) == -EINVAL, "three octets refused");
        CHECK(net_parse_ipv4_prefix("10.1.2.4/", 30, &a, &p) == -EINVAL, "empty prefix refused");
        CHECK(net_prefix_overlaps(0x0A000000, 8, 0x0AD50004, 30), "10.0.0.0/8 overlaps 10.213.0.4/30");
        CHECK(!net_prefix_overlaps(0x0A000000, 8, 0xC0A80000, 16), "10/8 and 192.168/16 are apart");
        CHECK(!net_prefix_overlaps(0x0AD50000, 30, 0x0AD50004, 30), "neighbouring /30s are apart");
}

static void test_pool(void)
{
        const uint32_t pool = 0x0AD50000; /* 10.213.0.0/22: 256 /30s */
        uint8_t *seen = calloc(256, 1);
        bool all_inside = true, once = true;

        CHECK(net_pool_slots(16) == 16384 && net_pool_slots(30) == 1 && net_pool_slots(31) == 0,
              "slots: /16 has 16384 /30s, /30 one, /31 none");
        CHECK(net_pool_candidate(pool, 22, "web", 0) == net_pool_candidate(pool, 22, "web", 0),
              "the first pick of a name is stable");
        CHECK(net_pool_candidate(pool, 16, "web", 0) != net_pool_candidate(pool, 16, "db", 0),
              "two names pick different first /30s");
        for (uint32_t k = 0; k < 256; k++) {
                uint32_t s = net_pool_candidate(pool, 22, "web", k);
                if ((s & 3) != 0 || s < pool || s >= pool + 1024) {
                        all_inside = false;
                        continue;
                }
                if (seen[(s - pool) / 4]++)
                        once = false;
        }
        CHECK(all_inside, "every candidate is an aligned /30 inside the pool");
        CHECK(once, "the 256 candidates visit each /30 of a /22 once");
        free(seen);
}

static void test_names(void)
{
        char n[IFNAMSIZ], m[IFNAMSIZ];
        uint8_t mac[6], mac2[6];

        CHECK(!net_host_ifname("web", n) && strcmp(n, "bt-web") == 0, "short name: bt-web");
        CHECK(!net_host_ifname("abcdefghijkl", n) && strcmp(n, "bt-abcdefghijkl") == 0,
              "12 characters still fit");
        CHECK(net_host_ifname("abcdefghijklm", n) && strlen(n) == IFNAMSIZ - 1 &&
                      strncmp(n, "bt-abcdefg_", 11) == 0,
              "13 characters: cut and hashed to 15 (%s)", n);
        /* A valid 12-character name made of the cut and the hash ("applica-1a2b") keeps a link
         * name of its own: bt-NAME is never another container's shortened name. */
        {
                char twin[IFNAMSIZ];
                net_host_ifname("application-frontend", n);
                snprintf(twin, sizeof(twin), "%.7s-%.4s", n + 3, n + 11);
                CHECK(!net_host_ifname(twin, m) && strcmp(n, m) != 0,
                      "container %s does not get the link name of application-frontend (%s, %s)", twin, m,
                      n);
        }
        net_host_ifname("application-one", n);
        net_host_ifname("application-two", m);
        CHECK(strcmp(n, m) != 0, "long names sharing a prefix get different links (%s, %s)", n, m);
        net_mac("web", "host", mac);
        net_mac("web", "container", mac2);
        CHECK((mac[0] & 3) == 2 && (mac2[0] & 3) == 2, "MACs are unicast and locally administered");
        CHECK(memcmp(mac, mac2, 6) != 0, "host and container ends differ");
}

static void test_ula(void)
{
        uint8_t a[16], b[16], c[16];

        /* The /30s of two containers (another pool, or Address=) whose index shares its low 16
         * bits once got the same /64, hence the same addresses on two links. */
        net_ula_prefix("0123456789abcdef0123456789abcdef", 0x0A010004, a); /* 10.1.0.4/30 */
        net_ula_prefix("0123456789abcdef0123456789abcdef", 0x0A050004, b); /* 10.5.0.4/30 */
        net_ula_prefix("0123456789abcdef0123456789abcdef", 0x0A010004, c);
        CHECK(a[0] == 0xfd && memcmp(a + 8, (const uint8_t[8]){}, 8) == 0, "a ULA /64 (fd00::/8)");
        CHECK(memcmp(a, b, 8) != 0, "10.1.0.4/30 and 10.5.0.4/30 get different /64s");
        CHECK(memcmp(a, c, 8) == 0, "the same /30 on the same host gets the same /64");
}

static char *write_tmp(const char *dir, const char *name, const char *text)
{
        char *p;
        FILE *f;

        if (asprintf(&p, "%s/%s", dir, name) < 0)
                return NULL;
        f = fopen(p, "we");
        if (f) {
                fputs(text, f);
                fclose(f);
        }
        return p;
}

static void test_resolv(void)
{
        char dir[] = "/tmp/berth-test-net.XXXXXX";
        char *host, *up, *none, *out = NULL;

        if (!mkdtemp(dir)) {
                CHECK(false, "mkdtemp");
                return;
        }
        host = write_tmp(dir, "host",
                         "# comment\nnameserver 127.0.0.53\noptions edns0 trust-ad\nsearch example\n");
        up = write_tmp(dir, "upstream",
                       "nameserver 192.0.2.53\nnameserver 127.0.0.1\nnameserver 2001:db8::53\n");
        if (asprintf(&none, "%s/missing", dir) < 0)
                none = NULL;

        CHECK(resolv_conf_build(host, up, &out) == 0 &&
                      strstr(out, "\nnameserver 192.0.2.53\nnameserver 2001:db8::53\noptions edns0 "
                                  "trust-ad\nsearch example\n") &&
                      !strstr(out, "127.0.0"),
              "the stub 127.0.0.53 is replaced by the non-loopback upstream servers, in place");
        free(out);
        out = NULL;
        CHECK(resolv_conf_build(host, none, &out) == 0 && !strstr(out, "\nnameserver") &&
                      strstr(out, "\nsearch example\n"),
              "no upstream file: the stub is dropped, no other server is made up");
        free(out);
        out = NULL;
        free(host);
        host = write_tmp(dir, "host2", "nameserver 198.51.100.1\nnameserver ::1\n");
        CHECK(resolv_conf_build(host, up, &out) == 0 &&
                      strstr(out, "\nnameserver 198.51.100.1\nnameserver 192.0.2.53\n"),
              "a real server is kept, ::1 replaced");
        free(out);
        out = NULL;
        /* Lines of any length pass whole: a search line of 1023 bytes without a newline filled the
         * old fixed 1024-byte line buffer and the newline added to it was written past its end
         * (ASan: stack-buffer-overflow), and a longer one reached the container cut in two. */
        for (size_t len = 1022; len <= 1024; len++) {
                char *text = malloc(len + 1), *want = NULL, *name = NULL, *h = NULL;

                if (!text || asprintf(&name, "long%zu", len) < 0) {
                        CHECK(false, "allocate");
                        free(text);
                        break;
                }
                memcpy(text, "search ", 7);
                memset(text + 7, 'a', len - 7);
                text[len] = 0;
                h = write_tmp(dir, name, text);
                CHECK(h && asprintf(&want, "\n%s\n", text) >= 0 && resolv_conf_build(h, up, &out) == 0 &&
                              strstr(out, want),
                      "a %zu-byte search line without a newline is kept whole, with one added", len);
                free(out);
                out = NULL;
                if (h)
                        unlink(h);
                free(h);
                free(want);
                free(name);
                free(text);
        }
        free(host);
        host = write_tmp(dir, "host3", "nameserver 127.0.0.53\n");
        {
                /* 1023 bytes, then what only looks like a server: a word of the search line. */
                char *longline = NULL, *u = NULL;
                if (asprintf(&longline, "search %01015d nameserver 203.0.113.9\nnameserver 192.0.2.54\n",
                             0) >= 0 &&
                    (u = write_tmp(dir, "upstream2", longline)))
                        CHECK(resolv_conf_build(host, u, &out) == 0 &&
                                      strstr(out, "\nnameserver 192.0.2.54\n") &&
                                      !strstr(out, "203.0.113.9"),
                              "a long line in the upstream file is one line: its tail is not read as a "
                              "server");
                else
                        CHECK(false, "allocate");
                if (u)
                        unlink(u);
                free(u);
                free(longline);
                free(out);
                out = NULL;
        }
        for (const char *f = "host\0upstream\0host2\0host3\0"; *f; f += strlen(f) + 1) {
                char p[256];
                snprintf(p, sizeof(p), "%s/%s", dir, f);
                unlink(p);
        }
        rmdir(dir);
        free(host);
        free(up);
        free(none);
}

static void test_forward_drop(void)
{
        static const char docker[] =
                "table ip berth {\n\tchain forward {\n\t\ttype filter hook forward "
                "priority filter; policy accept;\n\t}\n}\ntable ip filter {\n\tchain "
                "FORWARD {\n\t\ttype filter hook forward priority filter; policy drop;\n"
                "\t}\n}\n";
        static const char bridge[] =
                "table bridge b {\n\tchain f {\n\t\ttype filter hook forward priority "
                "filter; policy drop;\n\t}\n}\ntable inet fw {\n\tchain input {\n\t\ttype "
                "filter hook input priority filter; policy drop;\n\t}\n}\n";
        /* firewalld's shape: policy accept, the last rule rejects what no zone accepted. */
        static const char firewalld[] =
                "table inet firewalld {\n\tset s {\n\t\ttype ipv4_addr\n\t\telements = { 10.0.0.1 }\n"
                "\t}\n\n\tchain filter_FORWARD {\n\t\ttype filter hook forward priority filter + 10; "
                "policy accept;\n\t\tct state { established, related } accept\n\t\tjump "
                "filter_FORWARD_ZONES\n\t\tcounter packets 3 bytes 180 reject with icmpx "
                "admin-prohibited\n\t}\n}\n";
        /* A last rule that drops only some traffic is not a drop of everything. */
        static const char conditional[] =
                "table inet t {\n\tchain f {\n\t\ttype filter hook forward priority filter; policy "
                "accept;\n\t\tiifname \"eth9\" drop\n\t}\n\tchain input {\n\t\ttype filter hook "
                "input priority filter; policy accept;\n\t\tdrop\n\t}\n}\n";
        char *what = NULL, *fix = NULL;

        CHECK(nft_find_forward_drop(docker, &what) == 1 && what &&
                      strcmp(what, "table ip filter chain FORWARD (policy drop)") == 0,
              "Docker's FORWARD DROP is found and named (%s)", what ? what : "none");
        CHECK(net_forward_drop_fix(what, &fix) == 0 &&
                      strcmp(fix, "nft 'insert rule ip filter FORWARD iifname \"bt-*\" accept'; "
                                  "nft 'insert rule ip filter FORWARD oifname \"bt-*\" accept'") == 0,
              "the fix inserts accept rules for bt-* in that chain (%s)", fix ? fix : "none");
        free(what);
        free(fix);
        CHECK(nft_find_forward_drop(firewalld, &what) == 1 && what &&
                      strcmp(what, "table inet firewalld chain filter_FORWARD (last rule: reject)") == 0,
              "firewalld's final reject is found and named (%s)", what ? what : "none");
        free(what);
        CHECK(net_forward_drop_fix("ip6tables-legacy table filter chain FORWARD (policy drop)", &fix) == 0 &&
                      strcmp(fix, "ip6tables-legacy -I DOCKER-USER -i bt-+ -j ACCEPT; ip6tables-legacy -I "
                                  "DOCKER-USER -o bt-+ -j ACCEPT (without Docker: -I FORWARD)") == 0,
              "the legacy fix names the tool of the family and DOCKER-USER (%s)", fix ? fix : "none");
        free(fix);
        CHECK(nft_find_forward_drop(conditional, &what) == 0 && !what,
              "a conditional last drop, or an input chain's, is not a forwarding drop");
        CHECK(nft_find_forward_drop(bridge, &what) == 0 && !what,
              "a bridge forward hook and an inet input hook that drop are not forwarding drops");
        CHECK(nft_find_forward_drop("", &what) == 0 && !what, "an empty ruleset drops nothing");
}

/* HostAccess=: the link goes into @host_access with the others, and out again with them (the
 * undo recipe of a killed supervisor is this batch with add false). */
/* Whether the first rule the batch adds to chain ("FAMILY berth CHAIN") is rule. */
static bool first_rule_is(const char *batch, const char *chain, const char *rule)
{
        char prefix[128], want[256];
        const char *p;

        snprintf(prefix, sizeof(prefix), "add rule %s ", chain);
        snprintf(want, sizeof(want), "%s%s\n", prefix, rule);
        p = batch ? strstr(batch, prefix) : NULL;
        return p && strncmp(p, want, strlen(want)) == 0;
}

static void test_host_access_elements(void)
{
        static const uint8_t addr6[16] = { 0xfd, 0, [15] = 2 };
        const ContainerConfig open = { .host_access = true }, closed = { 0 };
        char *on = NULL, *off = NULL, *plain = NULL, *table = NULL;

        CHECK(nft_elements_batch("bt-web", 0x0ad50006, addr6, &open, true, &on) == 0 && on &&
                      strstr(on, "add element ip berth host_access { \"bt-web\" }\n") &&
                      strstr(on, "add element ip6 berth host_access { \"bt-web\" }\n"),
              "HostAccess=yes: the link is added to host_access in both families (%s)", on ? on : "none");
        CHECK(nft_elements_batch("bt-web", 0x0ad50006, NULL, &open, false, &off) == 0 && off &&
                      strstr(off, "delete element ip berth host_access { \"bt-web\" }\n"),
              "HostAccess=yes: the undo batch deletes it (%s)", off ? off : "none");
        CHECK(nft_elements_batch("bt-web", 0x0ad50006, addr6, &closed, true, &plain) == 0 && plain &&
                      !strstr(plain, "host_access") && strstr(plain, "add element ip berth links"),
              "HostAccess=no: the link is in links only (%s)", plain ? plain : "none");
        CHECK(nft_table_batch(true, &table) == 0 && table &&
                      strstr(table, "add chain ip berth input { type filter hook input priority filter; "
                                    "policy accept; }\n") &&
                      strstr(table, "flush chain ip6 berth input\n") &&
                      strstr(table, "add rule ip berth input iifname @links drop\n") &&
                      strstr(table, "add rule ip6 berth input iifname @links drop\n") &&
                      strstr(table, "add rule ip berth input iifname @host_access accept\n"),
              "the table has an input chain, rebuilt each time, that drops what comes from a link");
        /* First in its chain: the accepts after it (ct status dnat, established) take any source. */
        CHECK(first_rule_is(table, "ip berth forward",
                            "iifname @links iifname . ip saddr != @sources drop") &&
                      first_rule_is(table, "ip berth input",
                                    "iifname @links iifname . ip saddr != @sources drop") &&
                      first_rule_is(table, "ip6 berth forward",
                                    "iifname @links iifname . ip6 saddr != @sources drop"),
              "forward and input drop first what a link sends from an address not its own");
        free(on);
        free(off);
        free(plain);
        free(table);
}

/* Whether rule a is in the batch, and before rule b. */
static bool rule_before(const char *batch, const char *a, const char *b)
{
        const char *pa = strstr(batch, a), *pb = strstr(batch, b);
        return pa && pb && pa < pb;
}

/* LinkLocalAccess=: what a link forwards to 169.254.0.0/16 (fd00:ec2::254) is dropped before
 * the rule that lets a link's traffic out, unless the link is in @link_local; the undo recipe
 * takes it out again. */
static void test_link_local_elements(void)
{
        static const uint8_t addr6[16] = { 0xfd, 0, [15] = 2 };
        const ContainerConfig allowed = { .link_local_access = true }, plain = { 0 };
        char *on = NULL, *off = NULL, *none = NULL, *table = NULL;

        CHECK(nft_elements_batch("bt-web", 0x0ad50006, addr6, &allowed, true, &on) == 0 && on &&
                      strstr(on, "add element ip berth link_local { \"bt-web\" }\n") &&
                      strstr(on, "add element ip6 berth link_local { \"bt-web\" }\n") &&
                      !strstr(on, "host_access"),
              "LinkLocalAccess=yes: the link is added to link_local in both families (%s)",
              on ? on : "none");
        CHECK(nft_elements_batch("bt-web", 0x0ad50006, addr6, &allowed, false, &off) == 0 && off &&
                      strstr(off, "delete element ip berth link_local { \"bt-web\" }\n") &&
                      strstr(off, "delete element ip6 berth link_local { \"bt-web\" }\n"),
              "LinkLocalAccess=yes: the undo batch deletes it (%s)", off ? off : "none");
        CHECK(nft_elements_batch("bt-web", 0x0ad50006, addr6, &plain, true, &none) == 0 && none &&
                      !strstr(none, "link_local"),
              "LinkLocalAccess=no: the link is not in link_local (%s)", none ? none : "none");
        CHECK(nft_table_batch(true, &table) == 0 && table &&
                      strstr(table, "add set ip berth link_local { type ifname; }\n") &&
                      strstr(table, "add set ip6 berth link_local { type ifname; }\n") &&
                      rule_before(table,
                                  "add rule ip berth forward iifname @links iifname != @link_local "
                                  "ip daddr 169.254.0.0/16 drop\n",
                                  "add rule ip berth forward iifname @links oifname != @links accept\n") &&
                      rule_before(table,
                                  "add rule ip6 berth forward iifname @links iifname != @link_local "
                                  "ip6 daddr fd00:ec2::254 drop\n",
                                  "add rule ip6 berth forward iifname @links oifname != @links accept\n"),
              "forward drops link-local and metadata destinations before it lets a link's traffic out");
        free(on);
        free(off);
        free(none);
        free(table);
}

int main(void)
{
        test_host_access_elements();
        test_forward_drop();
        test_link_local_elements();
        test_ports();
        test_prefixes();
        test_pool();
        test_names();
        test_ula();
        test_resolv();
        return test_done();
}
