/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <json-c/json.h>
#include <string.h>

#include "cgroup.h"
#include "status-json.h"
#include "strv.h"

static inline void json_object_putp(json_object **o)
{
        if (*o)
                json_object_put(*o);
}

static int add(json_object *o, const char *key, json_object *v)
{
        /* json-c takes v over; a NULL v is JSON null, as wanted for unknown values. */
        return json_object_object_add(o, key, v) < 0 ? -ENOMEM : 0;
}

static json_object *string_or_null(const char *s)
{
        return isempty(s) ? NULL : json_object_new_string(s);
}

/* VirtualEthernet=: "address", "address6" (IPv6=yes), "interface", "ports" (["tcp:8080:80", ...]) and "forward_blocked",
 * null without it. */
static int add_network(json_object *o, const RuntimeState *s)
{
        json_object *ports = NULL;
        int r;

        if (s && s->address) {
                _cleanup_free_ char *copy = strdup(s->ports ?: "");
                char *save = NULL;

                ports = json_object_new_array();
                if (!ports || !copy) {
                        json_object_put(ports);
                        return -ENOMEM;
                }
                for (char *p = strtok_r(copy, " ", &save); p; p = strtok_r(NULL, " ", &save))
                        if (json_object_array_add(ports, json_object_new_string(p)) < 0) {
                                json_object_put(ports);
                                return -ENOMEM;
                        }
        }
        r = add(o, "address", string_or_null(s ? s->address : NULL));
        r = r ?: add(o, "address6", string_or_null(s ? s->address6 : NULL));
        r = r ?: add(o, "interface", string_or_null(s ? s->interface : NULL));
        r = r ?: add(o, "ports", ports);
        r = r ?: add(o, "forward_blocked", string_or_null(s ? s->forward_blocked : NULL));
        return r;
}

int status_print_json(FILE *f, const StatusInfo *info, bool pretty)
{
        _cleanup_(json_object_putp) json_object *o = json_object_new_object();
        _cleanup_free_ char *cgroup = NULL;
        const RuntimeState *s = info->state;
        json_object *dropins;
        uint64_t v;
        int r = 0;

        if (!o || !(dropins = json_object_new_array()))
                return -ENOMEM;
        STRV_FOREACH (d, info->dropins)
                if (json_object_array_add(dropins, json_object_new_string(*d)) < 0) {
                        json_object_put(dropins);
                        return -ENOMEM;
                }
        if (s && s->scope && cgroup_pid_get_unit_path(s->leader_pid, s->scope, &cgroup) < 0)
                cgroup = NULL; /* leader gone this instant */

        r = r ?: add(o, "name", json_object_new_string(info->name));
        r = r ?: add(o, "unit", json_object_new_string(info->unit));
        r = r ?: add(o, "state", json_object_new_string(s ? "running" : "inactive"));
        r = r ?: add(o, "active", string_or_null(info->active));
        r = r ?: add(o, "sub", string_or_null(info->sub));
        r = r ?: add(o, "since", s && s->since_usec ? json_object_new_uint64(s->since_usec) : NULL);
        r = r ?: add(o, "config", string_or_null(s ? s->config_path : info->config_path));
        r = r ?: add(o, "dropins", dropins);
        r = r ?: add(o, "root", string_or_null(s ? s->root : NULL));
        r = r ?: add(o, "supervisor_pid", s ? json_object_new_int(s->supervisor_pid) : NULL);
        r = r ?: add(o, "leader_pid", s ? json_object_new_int(s->leader_pid) : NULL);
        r = r ?: add(o, "uid_base", s && s->uid_size ? json_object_new_uint64(s->uid_base) : NULL);
        r = r ?: add(o, "uid_size", s && s->uid_size ? json_object_new_uint64(s->uid_size) : NULL);
        r = r ?: add(o, "label", string_or_null(s ? s->label : NULL));
        r = r ?: add(o, "scope", string_or_null(s ? s->scope : NULL));
        r = r ?: add_network(o, s);
        r = r
                ?: add(o, "memory",
                       cgroup && cgroup_read_u64(cgroup, "memory.current", &v) >= 0
                           ? json_object_new_uint64(v)
                           : NULL);
        r = r
                ?: add(o, "oom_kills",
                       cgroup && cgroup_read_key_u64(cgroup, "memory.events", "oom_kill", &v) >= 0
                           ? json_object_new_uint64(v)
                           : NULL);
        r = r
                ?: add(o, "tasks",
                       cgroup && cgroup_count_tasks(cgroup, &v) >= 0 ? json_object_new_uint64(v) : NULL);
        r = r ?: add(o, "cgroup", string_or_null(cgroup));
        if (r < 0)
                return r;

        fprintf(
            f, "%s\n",
            json_object_to_json_string_ext(o, JSON_C_TO_STRING_NOSLASHESCAPE |
                                                  (pretty ? JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED
                                                          : JSON_C_TO_STRING_PLAIN)));
        return fflush(f) == 0 ? 0 : negative_errno();
}
