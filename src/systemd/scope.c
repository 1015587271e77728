/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Transient scope registration through systemd's bus API. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <systemd/sd-login.h>

#include "cgroup.h"
#include "job.h"
#include "log.h"
#include "scope.h"

#define SCOPE_JOB_TIMEOUT_USEC (90ULL * 1000000ULL)
/* The scope stops after its service, whose supervisor already gave the payload SIGTERM and the
 * service's TimeoutStopSec=; a second full grace period before SIGKILL would only double it. */
#define SCOPE_TIMEOUT_STOP_USEC (15ULL * 1000000ULL)

/* The scope's device cgroup: "closed" admits the standard pseudo devices (null zero full random
 * urandom tty ptmx); add what a container's /dev may also hold. */
static const char *const device_allow[][2] = {
    {"char-pts", "rw"},
    {"/dev/net/tun", "rwm"},
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

        if (sd_bus_get_property_string(bus, "org.freedesktop.systemd1", "/org/freedesktop/systemd1",
                                       "org.freedesktop.systemd1.Manager", "Version", NULL, &version) < 0)
                return false;
        return strtoul(version, NULL, 10) >= 253;
}

static int append_u64(sd_bus_message *m, const char *name, uint64_t v)
{
        if (v == CONFIG_UNSET)
                return 0;
        return sd_bus_message_append(m, "(sv)", name, "t", v);
}

/* A (sv) property whose variant the caller fills between these two. */
static int property_open(sd_bus_message *m, const char *name, const char *contents)
{
        int r = sd_bus_message_open_container(m, 'r', "sv");
        if (r >= 0)
                r = sd_bus_message_append(m, "s", name);
        if (r >= 0)
                r = sd_bus_message_open_container(m, 'v', contents);
        return r;
}

static int property_close(sd_bus_message *m)
{
        int r = sd_bus_message_close_container(m);
        return r < 0 ? r : sd_bus_message_close_container(m);
}

static int append_pids(sd_bus_message *m, pid_t pid, bool pidfds, int *ret_pidfd)
{
        if (pidfds) {
                int fd = (int)syscall(SYS_pidfd_open, pid, 0);
                if (fd >= 0) {
                        *ret_pidfd = fd;
                        return sd_bus_message_append(m, "(sv)", "PIDFDs", "ah", 1, fd);
                }
        }
        return sd_bus_message_append(m, "(sv)", "PIDs", "au", 1, (uint32_t)pid);
}

static int append_properties(sd_bus_message *m, const ContainerConfig *c, pid_t pid, bool pidfds,
                             int *ret_pidfd)
{
        _cleanup_free_ char *description = NULL, *caller = NULL;
        int r;

        if (asprintf(&description, "berth container %s", c->name) < 0)
                return -ENOMEM;
        r = sd_bus_message_open_container(m, 'a', "(sv)");
        if (r < 0)
                return r;
        r = sd_bus_message_append(m, "(sv)(sv)(sv)(sv)(sv)", "Description", "s", description, "Slice", "s",
                                  c->slice ? c->slice : "machine.slice", "Delegate", "b", 1, "CollectMode",
                                  "s", "inactive-or-failed", "DevicePolicy", "s", "closed");
        if (r < 0)
                return r;
        r = append_pids(m, pid, pidfds, ret_pidfd);
        if (r < 0)
                return r;

        /* Stop with the service that supervises us, also when it is killed. No After=: the
         * service is still activating (Type=notify) while it registers the scope. */
        if (sd_pid_get_unit(0, &caller) >= 0 && (strstr(caller, ".service") || strstr(caller, ".scope"))) {
                r = sd_bus_message_append(m, "(sv)", "BindsTo", "as", 1, caller);
                if (r < 0)
                        return r;
        }

        r = property_open(m, "DeviceAllow", "a(ss)");
        if (r >= 0)
                r = sd_bus_message_open_container(m, 'a', "(ss)");
        for (size_t i = 0; r >= 0 && i < ELEMENTSOF(device_allow); i++)
                r = sd_bus_message_append(m, "(ss)", device_allow[i][0], device_allow[i][1]);
        if (r >= 0)
                r = sd_bus_message_close_container(m);
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
            (r = append_u64(m, "TimeoutStopUSec",
                            c->timeout_stop_usec != CONFIG_UNSET ? c->timeout_stop_usec
                                                                 : SCOPE_TIMEOUT_STOP_USEC)) < 0)
                return r;

        if (!isempty(c->allowed_cpus)) {
                _cleanup_free_ uint8_t *mask = NULL;
                size_t size;

                r = scope_cpu_list_to_mask(c->allowed_cpus, &mask, &size);
                if (r < 0)
                        return r;
                r = property_open(m, "AllowedCPUs", "ay");
                if (r >= 0)
                        r = sd_bus_message_append_array(m, 'y', mask, size);
                if (r >= 0)
                        r = property_close(m);
                if (r < 0)
                        return r;
        }
        return sd_bus_message_close_container(m);
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
        return sd_bus_get_property_string(bus, "org.freedesktop.systemd1", path,
                                          "org.freedesktop.systemd1.Scope", "ControlGroup", NULL, ret);
}

int scope_register(sd_bus *bus, const ContainerConfig *c, pid_t pid, char **ret_scope, char **ret_error)
{
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL, *reply = NULL;
        _cleanup_(job_wait_freep) JobWait *w = NULL;
        _cleanup_free_ char *scope = NULL, *result = NULL, *cgroup = NULL;
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

        r = sd_bus_message_new_method_call(bus, &m, "org.freedesktop.systemd1", "/org/freedesktop/systemd1",
                                           "org.freedesktop.systemd1.Manager", "StartTransientUnit");
        if (r < 0)
                return r;
        r = sd_bus_message_append(m, "ss", scope, "fail");
        if (r < 0)
                return r;
        r = append_properties(m, c, pid, manager_supports_pidfds(bus), &pidfd);
        if (r < 0)
                return r;
        r = sd_bus_message_append(m, "a(sa(sv))", 0);
        if (r < 0)
                return r;

        r = sd_bus_call(bus, m, 0, &error, &reply);
        if (r < 0) {
                if (asprintf(ret_error, "Failed to start transient scope %s: %s", scope,
                             error.message ? error.message : strerror(-r)) < 0)
                        *ret_error = NULL;
                return r;
        }
        r = sd_bus_message_read(reply, "o", &job);
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
        r = cgroup_move_to_sub(cgroup, SCOPE_PAYLOAD_CGROUP, pid);
        if (r < 0) {
                if (asprintf(ret_error, "Failed to move the payload into %s/%s: %s", cgroup,
                             SCOPE_PAYLOAD_CGROUP, strerror(-r)) < 0)
                        *ret_error = NULL;
                return r;
        }
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
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        int r;

        r = sd_bus_call_method(bus, "org.freedesktop.systemd1", "/org/freedesktop/systemd1",
                               "org.freedesktop.systemd1.Manager", "StopUnit", &error, NULL, "ss", scope,
                               "fail");
        if (r < 0 && sd_bus_error_has_name(&error, "org.freedesktop.systemd1.NoSuchUnit"))
                return 0; /* already collected */
        return r;
}
