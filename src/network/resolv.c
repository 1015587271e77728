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

/* "nameserver ADDR" → ADDR (to be freed), or NULL for any other line. */
static char *nameserver_of(const char *line)
{
        char *ns = NULL;

        if (sscanf(line, " nameserver %ms", &ns) != 1)
                return NULL;
        return ns;
}

/* Lines are read whole, however long (glibc reads resolv.conf with getline() too): a long
 * search or options line must reach the container as one line, not cut into two. */
static void add_upstream(FILE *out, const char *upstream_path)
{
        _cleanup_fclose_ FILE *f = fopen(upstream_path, "re");
        _cleanup_free_ char *line = NULL;
        size_t size = 0;

        if (!f)
                return;
        while (getline(&line, &size, f) >= 0) {
                _cleanup_free_ char *ns = nameserver_of(line);
                if (ns && !is_loopback(ns))
                        fprintf(out, "nameserver %s\n", ns);
        }
}

int resolv_conf_build(const char *host_path, const char *upstream_path, char **ret)
{
        _cleanup_free_ char *line = NULL;
        size_t line_size = 0;
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
        while (in && getline(&line, &line_size, in) >= 0) {
                _cleanup_free_ char *ns = NULL;

                if (line[0] == '#' || line[0] == ';')
                        continue;
                ns = nameserver_of(line);
                if (!ns) {
                        fputs(line, out); /* search, domain, options */
                        if (!strchr(line, '\n'))
                                fputc('\n', out);
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
