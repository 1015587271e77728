/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The bound on what the container's notify socket makes the service manager do (notify-limit.h). */
#include <string.h>

#include "macro.h"
#include "notify-limit.h"
#include "time-util.h"

#define BUCKET_USEC ((uint64_t)NOTIFY_LIMIT_BURST * NOTIFY_LIMIT_COST_USEC)

void notify_limit_init(NotifyLimit *l, uint64_t (*clock)(void))
{
        *l = (NotifyLimit){ .clock = clock ?: now_usec, .credit_usec = BUCKET_USEC };
        l->refilled_usec = l->clock();
}

static void refill(NotifyLimit *l)
{
        uint64_t now = l->clock();

        if (now <= l->refilled_usec)
                return;
        l->credit_usec += now - l->refilled_usec;
        if (l->credit_usec > BUCKET_USEC || l->credit_usec < now - l->refilled_usec)
                l->credit_usec = BUCKET_USEC;
        l->refilled_usec = now;
}

/* Moves state to the end of the pending states: only its last place counts. */
static void push_state(NotifyLimit *l, unsigned state)
{
        unsigned n = 0;

        for (unsigned i = 0; i < l->n_states; i++)
                if (l->states[i] != state)
                        l->states[n++] = l->states[i];
        l->states[n++] = state;
        l->n_states = n;
}

void notify_limit_add_states(NotifyLimit *l, unsigned states)
{
        /* As systemd reads the one datagram: STOPPING=1 alone counts; READY=1 with RELOADING=1 is
         * a reload that ended in ready, so RELOADING=1 comes first. */
        if (states & NOTIFY_STATE_STOPPING) {
                push_state(l, NOTIFY_STATE_STOPPING);
                return;
        }
        if (states & NOTIFY_STATE_RELOADING)
                push_state(l, NOTIFY_STATE_RELOADING);
        if (states & NOTIFY_STATE_READY)
                push_state(l, NOTIFY_STATE_READY);
}

static void set_line(char *dst, size_t size, const char *line)
{
        if (strlen(line) < size)
                strcpy(dst, line);
}

void notify_limit_add_line(NotifyLimit *l, const char *line)
{
        if (strneq(line, "STATUS=", 7))
                set_line(l->status, sizeof(l->status), line);
        else if (strneq(line, "MONOTONIC_USEC=", 15))
                set_line(l->monotonic_usec, sizeof(l->monotonic_usec), line);
        else if (strneq(line, "WATCHDOG_USEC=", 14))
                set_line(l->watchdog_usec, sizeof(l->watchdog_usec), line);
        else if (streq(line, "WATCHDOG=1"))
                l->watchdog = true;
        else if (streq(line, "WATCHDOG=trigger"))
                l->watchdog_trigger = true;
}

bool notify_limit_pending(const NotifyLimit *l)
{
        return l->n_states > 0 || l->watchdog || l->watchdog_trigger || l->monotonic_usec[0] ||
               l->watchdog_usec[0] || l->status[0];
}

static void append(char *buf, size_t *n, const char *line)
{
        size_t len = strlen(line);

        if (*n + len + 1 > NOTIFY_MESSAGE_MAX + 1)
                return; /* only STATUS= can be that long: not relayed, as before it was coalesced */
        memcpy(buf + *n, line, len);
        *n += len;
        buf[(*n)++] = '\n';
}

static const char *state_line(unsigned state)
{
        return state == NOTIFY_STATE_READY      ? "READY=1"
               : state == NOTIFY_STATE_STOPPING ? "STOPPING=1"
                                                : "RELOADING=1";
}

bool notify_limit_next(NotifyLimit *l, bool force, char buf[static NOTIFY_MESSAGE_MAX + 1])
{
        unsigned k = l->n_states;
        bool reloading = false, last;
        size_t n = 0;

        if (!notify_limit_pending(l))
                return false;
        refill(l);
        if (l->credit_usec >= NOTIFY_LIMIT_COST_USEC)
                l->credit_usec -= NOTIFY_LIMIT_COST_USEC;
        else if (force)
                l->credit_usec = 0;
        else
                return false;

        /* One message holds RELOADING=1 then READY=1, or one state: systemd reads READY=1 with
         * RELOADING=1 as reload-then-ready whatever their order, and STOPPING=1 with any other as
         * STOPPING=1 alone. */
        if (k > 1)
                k = l->states[0] == NOTIFY_STATE_RELOADING && l->states[1] == NOTIFY_STATE_READY ? 2 : 1;
        last = k == l->n_states;
        for (unsigned i = 0; i < k; i++) {
                append(buf, &n, state_line(l->states[i]));
                reloading = reloading || l->states[i] == NOTIFY_STATE_RELOADING;
        }
        l->n_states -= k;
        memmove(l->states, l->states + k, l->n_states * sizeof(l->states[0]));
        /* MONOTONIC_USEC= goes with its RELOADING=1 */
        if (l->monotonic_usec[0] && (reloading || last)) {
                append(buf, &n, l->monotonic_usec);
                l->monotonic_usec[0] = 0;
        }
        if (last) {
                if (l->watchdog_trigger)
                        append(buf, &n, "WATCHDOG=trigger");
                if (l->watchdog)
                        append(buf, &n, "WATCHDOG=1");
                if (l->watchdog_usec[0])
                        append(buf, &n, l->watchdog_usec);
                if (l->status[0])
                        append(buf, &n, l->status);
                l->watchdog_trigger = l->watchdog = false;
                l->watchdog_usec[0] = l->status[0] = 0;
        }
        if (n == 0)
                return false;
        buf[n - 1] = 0;
        return true;
}

int notify_limit_timeout_msec(NotifyLimit *l)
{
        if (!notify_limit_pending(l))
                return -1;
        refill(l);
        if (l->credit_usec >= NOTIFY_LIMIT_COST_USEC)
                return 0;
        /* rounded up: woken earlier, the bucket would still be short and poll() spin */
        return (int)((NOTIFY_LIMIT_COST_USEC - l->credit_usec + 999) / 1000);
}
