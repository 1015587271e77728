/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* berth's nftables table "ip berth", driven by exec'ing `nft -f -` with a text batch (nft is GPL:
 * berth runs it, never links it). The rules are fixed; containers only add and remove elements of
 * its sets and maps, so one container's start or stop never rewrites another's state. */

#include <stdbool.h>
#include <stdint.h>

#include "config.h"

/* Runs `nft -f -` with batch on stdin. stdout (when ret_out) and stderr (when ret_err, trimmed to
 * one line) are returned; -EPROTO when nft exits non-zero, -ENOENT when nft is not installed. */
int nft_run(const char *batch, char **ret_out, char **ret_err);
/* Runs a batch of deletions. nft refuses a whole transaction when one element in it is already
 * gone; then each statement runs alone, so that what is still there goes. Returns the whole
 * batch's result (*ret_err: nft's error for it): below 0, some statement was already undone. */
int nft_undo(const char *batch, char **ret_err);

/* The batch that (re)creates the table, its sets, maps, chains and rules, idempotently: chains
 * are flushed and refilled in the same transaction, sets and maps keep their elements. */
int nft_table_batch(bool ipv6, char **ret);

/* The elements of container c: links, host_access (HostAccess=yes), link_local
 * (LinkLocalAccess=yes), sources (link . address), addresses, port maps (Port=), in "ip berth"
 * and, with container_addr6, "ip6 berth". With add false, the batch that deletes them. */
int nft_elements_batch(const char *ifname, uint32_t container_addr, const uint8_t *container_addr6,
                       const ContainerConfig *c, bool add, char **ret);

/* In the output of `nft list ruleset`: "table ip filter chain FORWARD (policy drop)" when some
 * other table's forward hook has policy drop (Docker), or "table inet firewalld chain
 * filter_FORWARD (last rule: reject)" when its last rule drops or rejects whatever reaches it
 * (firewalld), which drops forwarded container traffic whatever berth's table accepts. Returns 1
 * and the text, or 0 and NULL when there is none. */
int nft_find_forward_drop(const char *listing, char **ret);

/* What an administrator runs to let berth's interfaces (bt-*) through the forward hook that
 * drops, named by nft_find_forward_drop() or iptables_legacy_find_forward_drop(). */
int net_forward_drop_fix(const char *where, char **ret);
