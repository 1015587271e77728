/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Job waiting on systemd's manager bus API. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "job.h"
#include "sd-lib.h"
#include "strv.h"
#include "time-util.h"

struct JobWait {
        sd_bus *bus;
        sd_bus_slot *slot;
        char **removed; /* "PATH\tRESULT" for each JobRemoved seen */
};

static int on_job_removed(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
        JobWait *w = userdata;
        const char *path, *unit, *result;
        uint32_t id;
        char *entry;
        int r;

        (void)error;
        r = sym_sd_bus_message_read(m, "uoss", &id, &path, &unit, &result);
        if (r < 0)
                return 0; /* a malformed signal is not ours to fail on */
        if (asprintf(&entry, "%s\t%s", path, result) < 0)
                return -ENOMEM;
        return strv_consume(&w->removed, entry);
}

int job_wait_new(sd_bus *bus, JobWait **ret)
{
        _cleanup_(job_wait_freep) JobWait *w = NULL;
        int r;

        w = calloc(1, sizeof(*w));
        if (!w)
                return -ENOMEM;
        w->bus = sym_sd_bus_ref(bus);
        /* Neither the match nor Subscribe waits for its reply (two bus round trips less per start,
         * issue 16): the bus and the manager handle one connection's messages in order, so both are
         * in effect before the manager sees the call that makes the job. A failed AddMatch closes the
         * connection (sd-bus's default), which fails the wait; Subscribe's only error, AlreadySubscribed, is
         * harmless, so it asks for no reply at all. The manager only emits job signals on the
         * system bus while a client is subscribed. */
        r = sym_sd_bus_match_signal_async(bus, &w->slot, "org.freedesktop.systemd1",
                                          "/org/freedesktop/systemd1", "org.freedesktop.systemd1.Manager",
                                          "JobRemoved", on_job_removed, NULL, w);
        if (r < 0)
                return r;
        r = sym_sd_bus_call_method_async(bus, NULL, "org.freedesktop.systemd1", "/org/freedesktop/systemd1",
                                         "org.freedesktop.systemd1.Manager", "Subscribe", NULL, NULL, NULL);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(w);
        return 0;
}

JobWait *job_wait_free(JobWait *w)
{
        if (!w)
                return NULL;
        sym_sd_bus_slot_unref(w->slot);
        sym_sd_bus_unref(w->bus);
        strv_free(w->removed);
        free(w);
        return NULL;
}

static const char *removed_result(JobWait *w, const char *path)
{
        size_t n = strlen(path);
        STRV_FOREACH (e, w->removed)
                if (strneq(*e, path, n) && (*e)[n] == '\t')
                        return *e + n + 1;
        return NULL;
}

int job_wait_for(JobWait *w, const char *job_path, uint64_t timeout_usec, char **ret_result)
{
        uint64_t deadline = timeout_usec ? now_usec() + timeout_usec : 0;
        const char *result;
        int r;

        for (;;) {
                result = removed_result(w, job_path);
                if (result)
                        break;
                r = sym_sd_bus_process(w->bus, NULL);
                if (r < 0)
                        return r;
                if (r > 0)
                        continue;
                uint64_t left = UINT64_MAX;
                if (deadline) {
                        uint64_t n = now_usec();
                        if (n >= deadline)
                                return -ETIME;
                        left = deadline - n;
                }
                r = sym_sd_bus_wait(w->bus, left);
                if (r < 0)
                        return r;
        }
        if (ret_result) {
                *ret_result = strdup(result);
                if (!*ret_result)
                        return -ENOMEM;
        }
        return 0;
}

int unit_object_path(sd_bus *bus, const char *unit, char **ret_path)
{
        _cleanup_(bus_error_done) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_(bus_message_unrefp) sd_bus_message *reply = NULL;
        const char *path;
        int r;

        if (!bus)
                return -ENOTCONN; /* no bus (and maybe no libsystemd): no unit to ask about */
        r = sym_sd_bus_call_method(bus, "org.freedesktop.systemd1", "/org/freedesktop/systemd1",
                                   "org.freedesktop.systemd1.Manager", "LoadUnit", &error, &reply, "s",
                                   unit);
        if (r < 0)
                return r;
        r = sym_sd_bus_message_read(reply, "o", &path);
        if (r < 0)
                return r;
        *ret_path = strdup(path);
        return *ret_path ? 0 : -ENOMEM;
}

/* systemctl's explanations of a unit's Result= after a failed start. */
static const char *unit_result_explanation(const char *result)
{
        static const char *const table[][2] = {
                { "resources", "of unavailable resources or another system error" },
                { "protocol", "the service did not take the steps required by its unit configuration" },
                { "timeout", "a timeout was exceeded" },
                { "exit-code", "the control process exited with error code" },
                { "signal", "a fatal signal was delivered to the control process" },
                { "core-dump", "a fatal signal was delivered causing the control process to dump core" },
                { "watchdog", "the service failed to send watchdog ping" },
                { "start-limit-hit", "the service start was repeated too quickly" },
                { "oom-kill", "the service was killed by the OOM killer" },
        };
        for (size_t i = 0; i < ELEMENTSOF(table); i++)
                if (streq(table[i][0], result))
                        return table[i][1];
        return NULL;
}

int job_result_message(sd_bus *bus, const char *unit, const char *job_result, char **ret)
{
        _cleanup_free_ char *path = NULL, *unit_result = NULL;
        const char *why = NULL;
        int r;

        const char *dot = strrchr(unit, '.');
        const char *iface = dot && streq(dot, ".scope") ? "org.freedesktop.systemd1.Scope"
                                                        : "org.freedesktop.systemd1.Service";

        if (streq(job_result, "failed") && unit_object_path(bus, unit, &path) >= 0 &&
            sym_sd_bus_get_property_string(bus, "org.freedesktop.systemd1", path, iface, "Result", NULL,
                                           &unit_result) >= 0)
                why = unit_result_explanation(unit_result);

        if (streq(job_result, "canceled"))
                r = asprintf(ret, "Job for %s canceled.", unit);
        else if (streq(job_result, "timeout"))
                r = asprintf(ret, "Job for %s timed out.", unit);
        else if (streq(job_result, "dependency"))
                r = asprintf(ret, "A dependency job for %s failed. See 'journalctl -xe' for details.", unit);
        else if (streq(job_result, "invalid"))
                r = asprintf(ret, "%s is not active, cannot reload.", unit);
        else if (streq(job_result, "assert"))
                r = asprintf(ret, "Assertion failed on job for %s.", unit);
        else if (streq(job_result, "unsupported"))
                r = asprintf(ret, "Operation on or unit type of %s not supported on this system.", unit);
        else if (streq(job_result, "collected"))
                r = asprintf(ret, "Queued job for %s was garbage collected.", unit);
        else if (streq(job_result, "once"))
                r = asprintf(ret, "Unit %s was started already once and can't be started again.", unit);
        else if (why)
                r = asprintf(
                        ret,
                        "Job for %s failed because %s.\nSee \"systemctl status %s\" and \"journalctl -xeu "
                        "%s\" for details.",
                        unit, why, unit, unit);
        else
                r = asprintf(
                        ret,
                        "Job for %s failed (result '%s').\nSee \"systemctl status %s\" and \"journalctl "
                        "-xeu %s\" for details.",
                        unit, job_result, unit, unit);
        return r < 0 ? -ENOMEM : 0;
}
