/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Transient scope registration through systemd's bus API. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#include "cgroup.h"
#include "error-record.h"
#include "job.h"
#include "log.h"
#include "scope.h"
#include "sd-lib.h"
#include "string-util.h"

#define SCOPE_JOB_TIMEOUT_USEC (90ULL * 1000000ULL)
/* Outside a service (berth run from a login session), the scope's own stop signals the payload
 * (SIGTERM) and kills what is left after this or the container's TimeoutStopSec=. Under a service
 * the scope only SIGKILLs orphans and this is the time systemd allows for that. */
#define SCOPE_TIMEOUT_STOP_USEC (15ULL * 1000000ULL)
/* Under a service: the service's stop (its TimeoutStopSec=, then SIGKILL and ExecStopPost=) ends a
 * requested stop of the scope; this much more for the scope's own clock, which should never fire. */
#define SCOPE_REQUEST_STOP_SLACK_USEC (30ULL * 1000000ULL)

/* The scope's device cgroup: "closed" admits the standard pseudo devices (null zero full random
 * urandom tty ptmx); add what a container's /dev may also hold. */
static const char *const device_allow[][2] = {
        { "char-pts", "rw" },
        { "/dev/net/tun", "rwm" },
};

int scope_name(const char *container, char **ret)
{
        return asprintf(ret, "berth-%s.scope", container) < 0 ? -ENOMEM : 0;
}

int scope_cpu_list_to_mask(const char *list, uint8_t **ret_mask, size_t *ret_size)
{
        _cleanup_free_ uint8_t *mask = NULL;
        size_t size = 0;
        const char *p = list;

        while (*p) {
                char *end;
                unsigned long lo, hi;

                errno = 0;
                lo = strtoul(p, &end, 10);
                if (errno || end == p || lo >= 8192)
                        return -EINVAL;
                hi = lo;
                if (*end == '-') {
                        p = end + 1;
                        hi = strtoul(p, &end, 10);
                        if (errno || end == p || hi >= 8192 || hi < lo)
                                return -EINVAL;
                }
                if (*end && *end != ',')
                        return -EINVAL;
                if (hi / 8 + 1 > size) {
                        uint8_t *m = realloc(mask, hi / 8 + 1);
                        if (!m)
                                return -ENOMEM;
                        memset(m + size, 0, hi / 8 + 1 - size);
                        mask = m;
                        size = hi / 8 + 1;
                }
                for (unsigned long i = lo; i <= hi; i++)
                        mask[i / 8] |= (uint8_t)(1u << (i % 8));
                p = *end ? end + 1 : end;
        }
        if (size == 0)
                return -EINVAL;
        *ret_mask = TAKE_PTR(mask);
        *ret_size = size;
        return 0;
}

/* systemd accepts PIDFDs= for scopes from version 253 on; 252 (Debian 12) knows only PIDs=. An
 * unknown property poisons the transient unit name, so ask the version instead of trying. */
static bool manager_supports_pidfds(sd_bus *bus)
{
        _cleanup_free_ char *version = NULL;

        if (sym_sd_bus_get_property_string(bus, "org.freedesktop.systemd1", "/org/freedesktop/systemd1",
                                           "org.freedesktop.systemd1.Manager", "Version", NULL,
                                           &version) < 0)
                return false;
        return strtoul(version, NULL, 10) >= 253;
}

static int append_u64(sd_bus_message *m, const char *name, uint64_t v)
{
        if (v == CONFIG_UNSET)
                return 0;
        return sym_sd_bus_message_append(m, "(sv)", name, "t", v);
}

/* A (sv) property whose variant the caller fills between these two. */
static int property_open(sd_bus_message *m, const char *name, const char *contents)
{
        int r = sym_sd_bus_message_open_container(m, 'r', "sv");
        if (r >= 0)
                r = sym_sd_bus_message_append(m, "s", name);
        if (r >= 0)
                r = sym_sd_bus_message_open_container(m, 'v', contents);
        return r;
}

static int property_close(sd_bus_message *m)
{
        int r = sym_sd_bus_message_close_container(m);
        return r < 0 ? r : sym_sd_bus_message_close_container(m);
}

static int append_pids(sd_bus_message *m, pid_t pid, bool pidfds, int *ret_pidfd)
{
        if (pidfds) {
                int fd = (int)syscall(SYS_pidfd_open, pid, 0);
                if (fd >= 0) {
                        *ret_pidfd = fd;
                        return sym_sd_bus_message_append(m, "(sv)", "PIDFDs", "ah", 1, fd);
                }
        }
        return sym_sd_bus_message_append(m, "(sv)", "PIDs", "au", 1, (uint32_t)pid);
}

/* The service's effective TimeoutStopUSec= (unit file, drop-ins, set-property). */
static int service_timeout_stop(sd_bus *bus, const char *service, uint64_t *ret)
{
        _cleanup_(bus_error_done) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_free_ char *path = NULL;
        int r = unit_object_path(bus, service, &path);
        if (r < 0)
                return r;
        return sym_sd_bus_get_property_trivial(bus, "org.freedesktop.systemd1", path,
                                               "org.freedesktop.systemd1.Service", "TimeoutStopUSec", &error,
                                               't', ret);
}

static int append_properties(sd_bus_message *m, const ContainerConfig *c, pid_t pid, bool pidfds,
                             int *ret_pidfd)
{
        _cleanup_free_ char *description = NULL, *caller = NULL;
        const char *unique = NULL;
        uint64_t timeout_stop =
                c->timeout_stop_usec != CONFIG_UNSET ? c->timeout_stop_usec : SCOPE_TIMEOUT_STOP_USEC;
        int r;

        if (asprintf(&description, "berth container %s", c->name) < 0)
                return -ENOMEM;
        r = sym_sd_bus_message_open_container(m, 'a', "(sv)");
        if (r < 0)
                return r;
        r = sym_sd_bus_message_append(m, "(sv)(sv)(sv)(sv)(sv)", "Description", "s", description, "Slice",
                                      "s", c->slice ? c->slice : "machine.slice", "Delegate", "b", 1,
                                      "CollectMode", "s", "inactive-or-failed", "DevicePolicy", "s",
                                      "closed");
        if (r < 0)
                return r;
        r = append_pids(m, pid, pidfds, ret_pidfd);
        if (r < 0)
                return r;

        /* Stop with the service that supervises us, also when it is killed. */
        if (sym_sd_pid_get_unit(0, &caller) >= 0 &&
            (endswith(caller, ".service") || endswith(caller, ".scope"))) {
                r = sym_sd_bus_message_append(m, "(sv)", "BindsTo", "as", 1, caller);
                if (r < 0)
                        return r;
        }
        /* The supervisor is the one place that stops the payload: it sends the stop signal once
         * to the payload's PID 1 and waits. A stop of the scope (machinectl terminate, systemctl
         * stop berth-NAME.scope, a stopped slice or session) asks its Controller=, this
         * supervisor (scope_watch_stop_requests()); once the supervisor is gone, what is left in
         * the scope is an orphan: SIGKILL, no second grace period. */
        r = sym_sd_bus_get_unique_name(sym_sd_bus_message_get_bus(m), &unique);
        if (r >= 0)
                r = sym_sd_bus_message_append(m, "(sv)(sv)", "Controller", "s", unique, "KillSignal", "i",
                                              SIGKILL);
        if (r < 0)
                return r;
        /* Under a service (berth@NAME.service) the supervisor stops the service instead, so its
         * TimeoutStopSec= governs, and the scope's stop job waits for the service's (Before=:
         * stop jobs run in reverse order; the scope's start job does not wait for the service's,
         * which is still activating meanwhile). Not PropagatesStopTo=: machined stops the scope
         * of a machine whose payload exited by itself, which would cancel the service's
         * Restart=. */
        if (caller && endswith(caller, ".service")) {
                uint64_t timeout = UINT64_MAX;

                (void)service_timeout_stop(sym_sd_bus_message_get_bus(m), caller, &timeout);
                r = sym_sd_bus_message_append(m, "(sv)", "Before", "as", 1, caller);
                if (r < 0)
                        return r;
                /* The scope's own clock must not end a requested stop before the service's. */
                timeout_stop = timeout == UINT64_MAX ? UINT64_MAX : timeout + SCOPE_REQUEST_STOP_SLACK_USEC;
        }

        r = property_open(m, "DeviceAllow", "a(ss)");
        if (r >= 0)
                r = sym_sd_bus_message_open_container(m, 'a', "(ss)");
        for (size_t i = 0; r >= 0 && i < ELEMENTSOF(device_allow); i++)
                r = sym_sd_bus_message_append(m, "(ss)", device_allow[i][0], device_allow[i][1]);
        /* the admin's DeviceAllow= (opt-in, berth audit counts it); systemd resolves a path to its
         * major:minor when it builds the scope's device program */
        for (size_t i = 0; r >= 0 && i < c->n_device_allow; i++)
                r = sym_sd_bus_message_append(m, "(ss)", c->device_allow[i].device,
                                              c->device_allow[i].access);
        if (r >= 0)
                r = sym_sd_bus_message_close_container(m);
        if (r >= 0)
                r = property_close(m);
        if (r < 0)
                return r;

        if ((r = append_u64(m, "MemoryMax", c->memory_max)) < 0 ||
            (r = append_u64(m, "MemoryHigh", c->memory_high)) < 0 ||
            (r = append_u64(m, "CPUQuotaPerSecUSec", c->cpu_quota_per_sec_usec)) < 0 ||
            (r = append_u64(m, "CPUWeight", c->cpu_weight)) < 0 ||
            (r = append_u64(m, "IOWeight", c->io_weight)) < 0 ||
            (r = append_u64(m, "TasksMax", c->tasks_max)) < 0 ||
            (r = append_u64(m, "TimeoutStopUSec", timeout_stop)) < 0)
                return r;

        if (!isempty(c->allowed_cpus)) {
                _cleanup_free_ uint8_t *mask = NULL;
                size_t size;

                r = scope_cpu_list_to_mask(c->allowed_cpus, &mask, &size);
                if (r < 0)
                        return r;
                r = property_open(m, "AllowedCPUs", "ay");
                if (r >= 0)
                        r = sym_sd_bus_message_append_array(m, 'y', mask, size);
                if (r >= 0)
                        r = property_close(m);
                if (r < 0)
                        return r;
        }
        return sym_sd_bus_message_close_container(m);
}

/* The scope's cgroup: read from the kernel where pid (put into the scope by the finished job,
 * and still held by berth, so it cannot have moved) now is, which saves two bus round trips
 * (LoadUnit, ControlGroup) per start (issue 16); asked of the manager only when that cgroup does
 * not end in the scope. */
static int scope_control_group(sd_bus *bus, const char *scope, pid_t pid, char **ret)
{
        _cleanup_free_ char *path = NULL, *cgroup = NULL;
        const char *last;
        int r;

        if (cgroup_pid_get_unit_path(pid, scope, &cgroup) >= 0) {
                last = strrchr(cgroup, '/');
                if (last && streq(last + 1, scope)) {
                        *ret = TAKE_PTR(cgroup);
                        return 0;
                }
        }
        r = unit_object_path(bus, scope, &path);
        if (r < 0)
                return r;
        return sym_sd_bus_get_property_string(bus, "org.freedesktop.systemd1", path,
                                              "org.freedesktop.systemd1.Scope", "ControlGroup", NULL, ret);
}

/* systemd asks the scope's Controller= (us) to stop it. Under a service: stop the service, whose
 * stop is the one clean path (the supervisor forwards the stop signal once, the service's timeout
 * applies) and stops the scope in turn (BindsTo=). Otherwise the supervisor takes it as its own
 * stop: a SIGTERM (queued, so not mistaken for one it raised itself) that it forwards. */
static int on_request_stop(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
        const char *service = userdata;
        int r;

        (void)ret_error;
        if (!service) {
                log_info("systemd asked to stop the container's scope (RequestStop).");
                if (sigqueue(getpid(), SIGTERM, (union sigval){ 0 }) < 0)
                        log_warning_errno(negative_errno(), "Failed to stop the container: %m");
                return 0;
        }
        log_info("systemd asked to stop the container's scope (RequestStop): stopping %s.", service);
        r = sym_sd_bus_call_method_async(sym_sd_bus_message_get_bus(m), NULL, "org.freedesktop.systemd1",
                                         "/org/freedesktop/systemd1", "org.freedesktop.systemd1.Manager",
                                         "StopUnit", NULL, NULL, "ss", service, "replace");
        if (r < 0)
                log_warning_errno(r, "Failed to stop %s: %m", service);
        return 0;
}

/* Lives as long as the bus connection (floating slot); the supervisor dispatches it. service:
 * the caller's service, or NULL. */
static int scope_watch_stop_requests(sd_bus *bus, const char *scope, const char *service)
{
        _cleanup_(bus_slot_unrefp) sd_bus_slot *slot = NULL;
        _cleanup_free_ char *path = NULL, *userdata = service ? strdup(service) : NULL;
        int r;

        if (service && !userdata)
                return -ENOMEM;
        r = unit_object_path(bus, scope, &path);
        if (r < 0)
                return r;
        r = sym_sd_bus_match_signal(bus, &slot, "org.freedesktop.systemd1", path,
                                    "org.freedesktop.systemd1.Scope", "RequestStop", on_request_stop,
                                    userdata);
        if (r < 0)
                return r;
        sym_sd_bus_slot_set_destroy_callback(slot, free);
        TAKE_PTR(userdata);
        return sym_sd_bus_slot_set_floating(slot, 1);
}

int scope_register(sd_bus *bus, const ContainerConfig *c, pid_t pid, char **ret_scope, char **ret_error)
{
        _cleanup_(bus_error_done) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_(bus_message_unrefp) sd_bus_message *m = NULL, *reply = NULL;
        _cleanup_(job_wait_freep) JobWait *w = NULL;
        _cleanup_free_ char *scope = NULL, *result = NULL, *cgroup = NULL, *caller = NULL;
        _cleanup_close_ int pidfd = -EBADF;
        const char *job;
        int r;

        *ret_error = NULL;
        r = scope_name(c->name, &scope);
        if (r < 0)
                return r;
        r = job_wait_new(bus, &w);
        if (r < 0)
                return r;

        r = sym_sd_bus_message_new_method_call(bus, &m, "org.freedesktop.systemd1",
                                               "/org/freedesktop/systemd1",
                                               "org.freedesktop.systemd1.Manager", "StartTransientUnit");
        if (r < 0)
                return r;
        r = sym_sd_bus_message_append(m, "ss", scope, "fail");
        if (r < 0)
                return r;
        r = append_properties(m, c, pid, manager_supports_pidfds(bus), &pidfd);
        if (r < 0)
                return r;
        r = sym_sd_bus_message_append(m, "a(sa(sv))", 0);
        if (r < 0)
                return r;

        r = sym_sd_bus_call(bus, m, 0, &error, &reply);
        if (r < 0) {
                (void)error_record(ret_error, 0, "Failed to start transient scope %s: %s", scope,
                                   error.message ?: strerror(-r));
                return r;
        }
        r = sym_sd_bus_message_read(reply, "o", &job);
        if (r < 0)
                return r;
        r = job_wait_for(w, job, SCOPE_JOB_TIMEOUT_USEC, &result);
        if (r < 0)
                return r;
        if (!streq(result, "done")) {
                if (job_result_message(bus, scope, result, ret_error) < 0)
                        *ret_error = NULL;
                return -EIO;
        }

        r = scope_control_group(bus, scope, pid, &cgroup);
        if (r < 0)
                return r;
        (void)sym_sd_pid_get_unit(0, &caller);
        r = scope_watch_stop_requests(bus, scope, caller && endswith(caller, ".service") ? caller : NULL);
        if (r < 0)
                return r;
        r = cgroup_move_to_sub(cgroup, SCOPE_PAYLOAD_CGROUP, pid);
        if (r < 0)
                return error_record(ret_error, r, "Failed to move the payload into %s/%s", cgroup,
                                    SCOPE_PAYLOAD_CGROUP);
        if (ret_scope)
                *ret_scope = TAKE_PTR(scope);
        return 0;
}

int scope_delegate_payload(pid_t pid, uid_t uid, gid_t gid)
{
        _cleanup_free_ char *cgroup = NULL;
        int r = cgroup_pid_get_path(pid, &cgroup);
        if (r < 0)
                return r;
        return cgroup_delegate(cgroup, uid, gid);
}

int scope_unregister(sd_bus *bus, const char *scope)
{
        _cleanup_(bus_error_done) sd_bus_error error = SD_BUS_ERROR_NULL;
        int r;

        /* ignore-dependencies: the payload is gone, so a stop job of the scope that waits for the
         * service's (Before=) can run now, and this is no stop of anything else. */
        r = sym_sd_bus_call_method(bus, "org.freedesktop.systemd1", "/org/freedesktop/systemd1",
                                   "org.freedesktop.systemd1.Manager", "StopUnit", &error, NULL, "ss", scope,
                                   "ignore-dependencies");
        if (r < 0 && sym_sd_bus_error_has_name(&error, "org.freedesktop.systemd1.NoSuchUnit"))
                return 0; /* already collected */
        return r;
}
