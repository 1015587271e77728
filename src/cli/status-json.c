/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <string.h>

#include "cgroup.h"
#include "json-writer.h"
#include "status-json.h"
#include "strv.h"

static void string_or_null(JsonWriter *w, const char *key, const char *s)
{
        json_key(w, key);
        json_string(w, isempty(s) ? NULL : s);
}

static void uint64_or_null(JsonWriter *w, const char *key, bool known, uint64_t v)
{
        json_key(w, key);
        if (known)
                json_uint64(w, v);
        else
                json_null(w);
}

/* VirtualEthernet=: "address", "address6" (IPv6=yes), "interface", "ports" (["tcp:8080:80", ...]),
 * "forward_blocked", "host_access" (HostAccess=, a boolean) and "link_local_access"
 * (LinkLocalAccess=, a boolean), null without it. */
static int add_network(JsonWriter *w, const RuntimeState *s)
{
        string_or_null(w, "address", s ? s->address : NULL);
        string_or_null(w, "address6", s ? s->address6 : NULL);
        string_or_null(w, "interface", s ? s->interface : NULL);
        json_key(w, "ports");
        if (s && s->address) {
                _cleanup_free_ char *copy = strdup(s->ports ?: "");
                char *save = NULL;

                if (!copy)
                        return -ENOMEM;
                json_begin_array(w);
                for (char *p = strtok_r(copy, " ", &save); p; p = strtok_r(NULL, " ", &save))
                        json_string(w, p);
                json_end_array(w);
        } else
                json_null(w);
        string_or_null(w, "forward_blocked", s ? s->forward_blocked : NULL);
        json_key(w, "host_access");
        if (s && s->address)
                json_boolean(w, s->host_access);
        else
                json_null(w);
        json_key(w, "link_local_access");
        if (s && s->address)
                json_boolean(w, s->link_local_access);
        else
                json_null(w);
        return 0;
}

int status_print_json(FILE *f, const StatusInfo *info, bool pretty)
{
        _cleanup_free_ char *cgroup = NULL;
        const RuntimeState *s = info->state;
        JsonWriter w;
        uint64_t v = 0;
        bool known;

        if (s && s->scope && cgroup_pid_get_unit_path(s->leader_pid, s->scope, &cgroup) < 0)
                cgroup = NULL; /* leader gone this instant */

        json_writer_init(&w, f, pretty);
        json_begin_object(&w);
        json_key(&w, "name");
        json_string(&w, info->name);
        json_key(&w, "unit");
        json_string(&w, info->unit);
        json_key(&w, "state");
        json_string(&w, s ? "running" : "inactive");
        string_or_null(&w, "active", info->active);
        string_or_null(&w, "sub", info->sub);
        uint64_or_null(&w, "since", s && s->since_usec, s ? s->since_usec : 0);
        string_or_null(&w, "config", s ? s->config_path : info->config_path);
        json_key(&w, "dropins");
        json_begin_array(&w);
        STRV_FOREACH (d, info->dropins)
                json_string(&w, *d);
        json_end_array(&w);
        string_or_null(&w, "root", s ? s->root : NULL);
        json_key(&w, "supervisor_pid");
        if (s)
                json_int64(&w, s->supervisor_pid);
        else
                json_null(&w);
        json_key(&w, "leader_pid");
        if (s)
                json_int64(&w, s->leader_pid);
        else
                json_null(&w);
        uint64_or_null(&w, "uid_base", s && s->uid_size, s ? s->uid_base : 0);
        uint64_or_null(&w, "uid_size", s && s->uid_size, s ? s->uid_size : 0);
        string_or_null(&w, "label", s ? s->label : NULL);
        string_or_null(&w, "scope", s ? s->scope : NULL);
        if (add_network(&w, s) < 0)
                return -ENOMEM;
        /* (the read decides whether v is known: call it before passing v) */
        known = cgroup && cgroup_read_u64(cgroup, "memory.current", &v) >= 0;
        uint64_or_null(&w, "memory", known, v);
        known = cgroup && cgroup_read_key_u64(cgroup, "memory.events", "oom_kill", &v) >= 0;
        uint64_or_null(&w, "oom_kills", known, v);
        known = cgroup && cgroup_count_tasks(cgroup, &v) >= 0;
        uint64_or_null(&w, "tasks", known, v);
        string_or_null(&w, "cgroup", cgroup);
        string_or_null(&w, "result", info->result);
        string_or_null(&w, "reason", info->reason);
        string_or_null(&w, "error", info->error);
        json_end_object(&w);
        return json_writer_finish(&w);
}
