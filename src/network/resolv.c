/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The container's resolv.conf (see resolv.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "macro.h"
#include "resolv.h"

#define RESOLV_LINE_MAX 1024

static bool is_loopback(const char *server)
{
        struct in_addr a4;
        struct in6_addr a6;

        if (inet_pton(AF_INET, server, &a4) == 1)
                return (ntohl(a4.s_addr) >> 24) == 127 || a4.s_addr == 0;
        if (inet_pton(AF_INET6, server, &a6) == 1)
                return IN6_IS_ADDR_LOOPBACK(&a6) || IN6_IS_ADDR_UNSPECIFIED(&a6);
        return false;
}

/* "nameserver ADDR" → ADDR in buf, or NULL for any other line. */
static const char *nameserver_of(const char *line, char buf[RESOLV_LINE_MAX])
{
        if (sscanf(line, " nameserver %1023s", buf) != 1)
                return NULL;
        return buf;
}

static void add_upstream(FILE *out, const char *upstream_path)
{
        _cleanup_fclose_ FILE *f = fopen(upstream_path, "re");
        char line[RESOLV_LINE_MAX], ns[RESOLV_LINE_MAX];

        if (!f)
                return;
        while (fgets(line, sizeof(line), f))
                if (nameserver_of(line, ns) && !is_loopback(ns))
                        fprintf(out, "nameserver %s\n", ns);
}

int resolv_conf_build(const char *host_path, const char *upstream_path, char **ret)
{
        char line[RESOLV_LINE_MAX], ns[RESOLV_LINE_MAX];
        char *buf = NULL;
        size_t size = 0;
        _cleanup_fclose_ FILE *in = NULL;
        bool replaced = false;
        FILE *out;

        out = open_memstream(&buf, &size);
        if (!out)
                return -ENOMEM;
        fprintf(out,
                "# Made by berth from the host's %s: loopback servers, unreachable from the\n"
                "# container, replaced by the upstream servers of %s or dropped.\n",
                host_path, upstream_path);
        in = fopen(host_path, "re");
        while (in && fgets(line, sizeof(line), in)) {
                if (!strchr(line, '\n'))
                        strcat(line, "\n");
                if (line[0] == '#' || line[0] == ';')
                        continue;
                if (!nameserver_of(line, ns)) {
                        fputs(line, out); /* search, domain, options */
                        continue;
                }
                if (!is_loopback(ns))
                        fprintf(out, "nameserver %s\n", ns);
                else if (!replaced) {
                        add_upstream(out, upstream_path);
                        replaced = true;
                }
        }
        if (fclose(out) != 0) {
                free(buf);
                return -ENOMEM;
        }
        *ret = buf;
        return 0;
}
