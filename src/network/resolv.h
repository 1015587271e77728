/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* ResolvConf=auto: the container's resolv.conf, made from the host's. A loopback server (the
 * systemd-resolved stub 127.0.0.53, a local dnsmasq) is unreachable from the container's own
 * network namespace: it is replaced by the upstream servers systemd-resolved lists, or dropped.
 * Never a public resolver as a fallback. */

#define RESOLV_CONF_HOST     "/etc/resolv.conf"
#define RESOLV_CONF_UPSTREAM "/run/systemd/resolve/resolv.conf"

/* The text of the container's resolv.conf from the host's file and the upstream file (either may
 * be missing). */
int resolv_conf_build(const char *host_path, const char *upstream_path, char **ret);
