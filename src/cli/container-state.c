/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* How a container that is not running stands, from the config, systemd and the state dir. */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "container-state.h"
#include "job.h"
#include "load.h"
#include "sd-lib.h"
#include "state.h"
#include "strv.h"

void container_state_done(ContainerState *s)
{
        free(s->reason);
        free(s->error);
        *s = (ContainerState){};
}

char *exit_status_describe(int status)
{
        char *s = NULL;
        int sig = status - 128;

        /* 128+N is how berth reports a payload killed by signal N (supervise.c). */
        if (status > 128 && sig < NSIG && sigabbrev_np(sig)) {
                if (asprintf(&s, "exit status %d (killed by SIG%s)", status, sigabbrev_np(sig)) < 0)
                        return NULL;
        } else if (asprintf(&s, "exit status %d", status) < 0)
                return NULL;
        return s;
}

char *container_unit_active_state(sd_bus *bus, const char *name)
{
        _cleanup_free_ char *unit = NULL, *path = NULL;
        char *active = NULL;

        if (!bus || asprintf(&unit, "berth@%s.service", name) < 0)
                return NULL;
        if (unit_object_path(bus, unit, &path) < 0)
                return NULL;
        if (sym_sd_bus_get_property_string(bus, "org.freedesktop.systemd1", path,
                                           "org.freedesktop.systemd1.Unit", "ActiveState", NULL,
                                           &active) < 0)
                return NULL;
        return active;
}

char *container_unit_invocation_id(sd_bus *bus, const char *name)
{
        _cleanup_(bus_message_unrefp) sd_bus_message *reply = NULL;
        _cleanup_free_ char *unit = NULL, *path = NULL;
        const uint8_t *id;
        size_t n;
        char *s;

        if (!bus || asprintf(&unit, "berth@%s.service", name) < 0 || unit_object_path(bus, unit, &path) < 0)
                return NULL;
        if (sym_sd_bus_get_property(bus, "org.freedesktop.systemd1", path, "org.freedesktop.systemd1.Unit",
                                    "InvocationID", NULL, &reply, "ay") < 0 ||
            sym_sd_bus_message_read_array(reply, 'y', (const void **)&id, &n) < 0 || n != 16)
                return NULL; /* empty: the unit never ran */
        s = malloc(33);
        if (!s)
                return NULL;
        for (size_t i = 0; i < n; i++)
                snprintf(s + 2 * i, 3, "%02x", id[i]);
        return s;
}

/* systemd's reason for a failed berth@NAME.service: "Result: exit-code, status=1". */
static char *unit_failure_reason(sd_bus *bus, const char *name)
{
        _cleanup_free_ char *unit = NULL, *path = NULL, *result = NULL;
        int32_t code = 0, status = 0;
        char *s = NULL;

        if (asprintf(&unit, "berth@%s.service", name) < 0 || unit_object_path(bus, unit, &path) < 0)
                return NULL;
        (void)sym_sd_bus_get_property_string(bus, "org.freedesktop.systemd1", path,
                                             "org.freedesktop.systemd1.Service", "Result", NULL, &result);
        (void)sym_sd_bus_get_property_trivial(bus, "org.freedesktop.systemd1", path,
                                              "org.freedesktop.systemd1.Service", "ExecMainCode", NULL, 'i',
                                              &code);
        (void)sym_sd_bus_get_property_trivial(bus, "org.freedesktop.systemd1", path,
                                              "org.freedesktop.systemd1.Service", "ExecMainStatus", NULL,
                                              'i', &status);
        if (code == 1 /* CLD_EXITED */) {
                _cleanup_free_ char *d = exit_status_describe(status);
                if (asprintf(&s, "Result: %s, %s", strna(result), strna(d)) < 0)
                        return NULL;
        } else if (code == 2 || code == 3) { /* CLD_KILLED, CLD_DUMPED: berth itself was */
                if (asprintf(&s, "Result: %s, berth killed by SIG%s", strna(result),
                             strna(status > 0 && status < NSIG ? sigabbrev_np(status) : NULL)) < 0)
                        return NULL;
        } else if (asprintf(&s, "Result: %s", strna(result)) < 0)
                return NULL;
        return s;
}

int container_state_describe(sd_bus *bus, const char *state_dir, const char *name, ContainerState *ret)
{
        _cleanup_(container_state_done) ContainerState s = {};
        _cleanup_free_ char *active = NULL, *main_file = NULL;
        _cleanup_strv_free_ char **dropins = NULL, **errors = NULL;
        _cleanup_config_ ContainerConfig *c = NULL;
        RunResult res = {};
        int r;

        r = config_find_files(name, &main_file, &dropins, &errors);
        if (r >= 0 && config_file_is_masked(main_file)) {
                s.state = "masked";
                *ret = s;
                s = (ContainerState){};
                return 0;
        }
        if (r >= 0) {
                errors = strv_free(errors);
                r = config_load(name, &c, &errors);
                if (r == -ENOMEM)
                        return r;
                if (r < 0) {
                        s.state = "invalid";
                        if (errors && !(s.reason = strdup(errors[0])))
                                return -ENOMEM;
                        *ret = s;
                        s = (ContainerState){};
                        return 0;
                }
        }

        active = container_unit_active_state(bus, name);
        if (active && (streq(active, "active") || streq(active, "activating") ||
                       streq(active, "reloading") || streq(active, "deactivating")))
                s.state = "running"; /* systemd says so; the state dir was not readable */
        else if (active && streq(active, "failed")) {
                s.state = "failed";
                s.reason = unit_failure_reason(bus, name);
        } else if (state_read_result(state_dir, name, &res) >= 0) {
                s.ended_usec = res.ended_usec;
                if (res.exit_status != 0) {
                        s.state = "failed";
                        s.reason = exit_status_describe(res.exit_status);
                        s.error = TAKE_PTR(res.error);
                } else
                        s.state = "stopped";
                run_result_done(&res);
        } else if (active && streq(active, "inactive"))
                s.state = "stopped";
        else {
                s.state = "stopped"; /* the lock (when readable) said it does not run */
                s.guessed = true;
        }
        *ret = s;
        s = (ContainerState){};
        return 0;
}
