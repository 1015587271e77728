/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* How much of the container's notify traffic reaches the service manager: a token bucket over the
 * messages berth relays, and one pending message coalescing what the payload sent beyond it. PID 1
 * does work for every message (it parses it, updates the unit, emits D-Bus signals): a payload
 * looping STATUS= must not make it do that without bound. No sockets here: notify.c reads the
 * datagrams and sends what notify_limit_next() gives it. */

#include <stdbool.h>
#include <stdint.h>

/* The longest notification read from the container or sent to the manager (longer datagrams are
 * dropped, as systemd does: its buffer is 4096 bytes). */
#define NOTIFY_MESSAGE_MAX 4095U

/* A payload's start (a few STATUS= steps, READY=1) fits the burst and goes out at once; 10 a second
 * is more than any service reports progress or pings its watchdog at (systemd advises pinging at
 * half WatchdogSec=, which is seconds), and bounds what a container makes PID 1 do to 10 messages
 * a second. */
#define NOTIFY_LIMIT_BURST     10U
#define NOTIFY_LIMIT_RATE      10U /* messages a second, after the burst */
#define NOTIFY_LIMIT_COST_USEC (UINT64_C(1000000) / NOTIFY_LIMIT_RATE)

/* The states of one datagram, as systemd reads one message: STOPPING=1 wins over the others,
 * READY=1 with RELOADING=1 is a reload that finished. */
enum {
        NOTIFY_STATE_READY = 1U << 0,
        NOTIFY_STATE_STOPPING = 1U << 1,
        NOTIFY_STATE_RELOADING = 1U << 2,
};

typedef struct NotifyLimit {
        uint64_t (*clock)(void); /* CLOCK_MONOTONIC in µs: now_usec(), or a test's */
        uint64_t credit_usec;    /* the bucket: NOTIFY_LIMIT_COST_USEC a message, BURST of them at most */
        uint64_t refilled_usec;  /* when credit_usec was brought up to date */

        /* The pending message. The states in the order the payload sent them (each once, where it
         * was last sent): RELOADING=1 then READY=1 is reload-then-ready, READY=1 then RELOADING=1
         * is reloading. Of the rest only the latest counts, WATCHDOG=1 once. */
        unsigned states[3];
        unsigned n_states;
        bool watchdog, watchdog_trigger;
        char monotonic_usec[40], watchdog_usec[40]; /* "MONOTONIC_USEC=N", or "" */
        char status[NOTIFY_MESSAGE_MAX + 1];        /* "STATUS=..." as relayed (escaped), or "" */
} NotifyLimit;

/* A full bucket, nothing pending; clock NULL is now_usec(). */
void notify_limit_init(NotifyLimit *l, uint64_t (*clock)(void));

/* Adds one datagram to the pending message: its states (NOTIFY_STATE_*) and its other lines, each
 * one that notify.c relays (STATUS= escaped, at most NOTIFY_MESSAGE_MAX bytes; longer is ignored). */
void notify_limit_add_states(NotifyLimit *l, unsigned states);
void notify_limit_add_line(NotifyLimit *l, const char *line);

bool notify_limit_pending(const NotifyLimit *l);

/* The next message to send when one is pending and the bucket holds one (or force: regardless of
 * the bucket, for what is left when the payload ended): written to buf, taken from the pending
 * message. Mostly the whole of it; states systemd would read otherwise in one message (READY=1
 * then RELOADING=1, anything with STOPPING=1) go in messages of their own, in order, STATUS= and
 * the watchdog with the last. false when there is nothing to send now. */
bool notify_limit_next(NotifyLimit *l, bool force, char buf[static NOTIFY_MESSAGE_MAX + 1]);

/* For poll(): -1 when nothing is pending, else the milliseconds until the bucket lets it go (0: now). */
int notify_limit_timeout_msec(NotifyLimit *l);
