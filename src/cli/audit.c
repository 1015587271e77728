/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* berth audit: applies the checks and weights of audit-checks.c to one ContainerConfig. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit.h"
#include "caps.h"
#include "path-util.h"
#include "seccomp-filter.h"
#include "seccomp-policy.h"
#include "string-util.h"
#include "strv.h"

#define AUDIT_SCORE_MAX 100u

static AuditResult *result(AuditReport *r, AuditCheckId id)
{
        return &r->results[id];
}

static int add_finding(AuditResult *res, unsigned exposure, const char *fmt, ...) _printf_(3, 4);
static int add_finding(AuditResult *res, unsigned exposure, const char *fmt, ...)
{
        AuditFinding *f;
        va_list ap;
        char *s;
        int k;

        va_start(ap, fmt);
        k = vasprintf(&s, fmt, ap);
        va_end(ap);
        if (k < 0)
                return -ENOMEM;
        f = reallocarray(res->findings, res->n_findings + 1, sizeof(AuditFinding));
        if (!f) {
                free(s);
                return -ENOMEM;
        }
        res->findings = f;
        res->findings[res->n_findings++] = (AuditFinding){ .item = s, .exposure = exposure };
        res->exposure += exposure;
        return 0;
}

/* A check without items: failed with its whole weight, or partially with the given one. */
static void set_status(AuditResult *res, AuditStatus status, unsigned exposure)
{
        res->status = status;
        res->exposure = exposure;
}

static int check_user_namespace(const ContainerConfig *c, AuditResult *res)
{
        switch (c->private_users) {
        case PRIVATE_USERS_NO:
                set_status(res, AUDIT_FAIL, 0);
                return add_finding(res, audit_weight(AUDIT_USER_NAMESPACE, "no"), "PrivateUsers=no");
        case PRIVATE_USERS_IDENTITY:
                set_status(res, AUDIT_PARTIAL, 0);
                return add_finding(res, audit_weight(AUDIT_USER_NAMESPACE, "identity"),
                                   "PrivateUsers=identity");
        default: return 0;
        }
}

static int check_capabilities(const ContainerConfig *c, AuditResult *res)
{
        uint64_t added = caps_effective_set(c) & ~caps_default_set();
        int r;

        for (int cap = 0; cap < 64; cap++) {
                const char *name;

                if (!(added & (UINT64_C(1) << cap)))
                        continue;
                name = caps_to_name(cap);
                if (name)
                        r = add_finding(res, audit_weight(AUDIT_CAPABILITIES, name), "%s", name);
                else
                        r = add_finding(res, audit_weight(AUDIT_CAPABILITIES, NULL), "capability %d", cap);
                if (r < 0)
                        return r;
                res->status = AUDIT_FAIL;
        }
        return 0;
}

static int check_no_new_privileges(const ContainerConfig *c, AuditResult *res)
{
        if (!c->no_new_privileges)
                set_status(res, AUDIT_FAIL, audit_weight(AUDIT_NO_NEW_PRIVILEGES, NULL));
        return 0;
}

static bool default_allows(const char *syscall)
{
        for (const char *const *s = seccomp_default_allow; *s; s++)
                if (streq(*s, syscall))
                        return true;
        return false;
}

/* The first set outside the default allowlist that lists syscall, NULL when none does. */
static const char *set_of(const char *syscall)
{
        for (const SyscallSet *set = seccomp_syscall_sets; set->name; set++) {
                bool all_default = true, listed = false;

                for (const char *const *s = set->syscalls; *s; s++) {
                        if (streq(*s, syscall))
                                listed = true;
                        if (!default_allows(*s))
                                all_default = false;
                }
                if (listed && !all_default)
                        return set->name;
        }
        return NULL;
}

/* A plain entry widens the allowlist when it allows something the default does not; a later
 * "~entry" takes it back. Every widening entry left is one finding, weighed by its set. */
static int check_syscall_filter(const ContainerConfig *c, AuditResult *res)
{
        _cleanup_strv_free_ char **widened = NULL;
        int r;

        STRV_FOREACH (e, c->syscall_filter) {
                const char *name = *e;

                if (name[0] == '~') {
                        name++;
                        for (char **w = widened; w && *w; w++)
                                if (streq(*w, name)) {
                                        free(*w);
                                        memmove(w, w + 1, (strv_length(w + 1) + 1) * sizeof(char *));
                                        break;
                                }
                        continue;
                }
                if (name[0] == '@') {
                        const char *const *set = seccomp_set_lookup(name);
                        bool widens = false;

                        for (const char *const *s = set; s && *s; s++)
                                if (!default_allows(*s))
                                        widens = true;
                        if (!set) /* unknown here: berth run refuses it; judge it as widening */
                                widens = true;
                        if (!widens)
                                continue;
                } else if (default_allows(name))
                        continue;
                if (!strv_contains(widened, name) && strv_extend(&widened, name) < 0)
                        return -ENOMEM;
        }

        STRV_FOREACH (w, widened) {
                const char *set = (*w)[0] == '@' ? *w : set_of(*w);

                if (set && !streq(set, *w))
                        r = add_finding(res, audit_weight(AUDIT_SYSCALL_FILTER, set), "%s (%s)", *w, set);
                else
                        r = add_finding(res, audit_weight(AUDIT_SYSCALL_FILTER, set ?: *w), "%s", *w);
                if (r < 0)
                        return r;
                res->status = AUDIT_FAIL;
        }
        return 0;
}

static int check_selinux(const ContainerConfig *c, AuditResult *res)
{
        const char *type = c->selinux_type;
        _cleanup_free_ char *label_type = NULL;
        unsigned w;

        if (c->selinux_label && streq(c->selinux_label, "disable")) {
                set_status(res, AUDIT_FAIL, 0);
                return add_finding(res, audit_weight(AUDIT_SELINUX, "disable"), "SELinuxLabel=disable");
        }
        if (c->selinux_label) { /* USER:ROLE:TYPE:LEVEL */
                const char *p = strchr(c->selinux_label, ':');

                p = p ? strchr(p + 1, ':') : NULL;
                if (p) {
                        label_type = strndup(p + 1, strcspn(p + 1, ":"));
                        if (!label_type)
                                return -ENOMEM;
                        type = label_type;
                }
        }
        if (!type)
                return 0;
        w = audit_weight(AUDIT_SELINUX, type);
        if (w == 0)
                return 0;
        set_status(res, AUDIT_FAIL, 0);
        return add_finding(res, w, "%s=%s", c->selinux_type ? "SELinuxType" : "SELinuxLabel",
                           c->selinux_type ?: c->selinux_label);
}

static int check_network(const ContainerConfig *c, AuditReport *report)
{
        if (c->private_network)
                return 0;
        set_status(result(report, AUDIT_HOST_NETWORK), AUDIT_FAIL, audit_weight(AUDIT_HOST_NETWORK, NULL));
        /* In the host's network namespace, ports below 1024 need CAP_NET_BIND_SERVICE of the
         * initial user namespace: only a container without one of its own has it. */
        if (c->private_users == PRIVATE_USERS_NO &&
            (caps_effective_set(c) & (UINT64_C(1) << CAP_NET_BIND_SERVICE)))
                set_status(result(report, AUDIT_PRIVILEGED_PORTS), AUDIT_FAIL,
                           audit_weight(AUDIT_PRIVILEGED_PORTS, NULL));
        return 0;
}

static int check_root(const ContainerConfig *c, AuditReport *report)
{
        if (!c->read_only) {
                unsigned w = audit_weight(AUDIT_READ_ONLY_ROOT, NULL);
                if (c->ephemeral)
                        set_status(result(report, AUDIT_READ_ONLY_ROOT), AUDIT_PARTIAL, w / 2);
                else
                        set_status(result(report, AUDIT_READ_ONLY_ROOT), AUDIT_FAIL, w);
        }
        if (!c->ephemeral)
                set_status(result(report, AUDIT_EPHEMERAL), AUDIT_FAIL, audit_weight(AUDIT_EPHEMERAL, NULL));
        return 0;
}

/* True when path is p or below it. */
static bool path_is_below(const char *path, const char *p)
{
        size_t n = strlen(p);

        if (streq(p, "/"))
                return true;
        return strneq(path, p, n) && (path[n] == '\0' || path[n] == '/');
}

/* The weight of binding the host path src: the most exposing sensitive-path item it matches. */
static unsigned sensitive_weight(const char *src, bool read_only, bool offline, const char **ret_item)
{
        unsigned best = 0;

        *ret_item = NULL;
        for (const AuditWeight *w = audit_weights; w->item || w->weight; w++) {
                char item[PATH_MAX];
                size_t n;
                bool subtree, match;
                unsigned v;

                if (w->check != AUDIT_SENSITIVE_BINDS || !w->item)
                        continue;
                n = strlen(w->item);
                subtree = n > 1 && w->item[n - 1] == '/';
                snprintf(item, sizeof(item), "%.*s", (int)(subtree ? n - 1 : n), w->item);
                /* binding a directory above item exposes it; with subtree, so does one below */
                match = path_is_below(item, src) || (subtree && path_is_below(src, item));
                /* on this host, a directory above item exposes it only when it exists */
                if (match && !offline && !path_is_below(src, item) && access(item, F_OK) < 0)
                        match = false;
                if (!match)
                        continue;
                v = w->weight;
                if (read_only && !endswith(item, ".sock"))
                        v /= 2;
                if (v > best) {
                        best = v;
                        *ret_item = w->item;
                }
        }
        return best;
}

static int check_binds(const ContainerConfig *c, bool offline, AuditReport *report)
{
        AuditResult *sensitive = result(report, AUDIT_SENSITIVE_BINDS),
                    *writable = result(report, AUDIT_WRITABLE_BINDS),
                    *devices = result(report, AUDIT_DEVICES);
        bool all_read_only = true;
        int r;

        for (size_t i = 0; i < c->n_binds; i++) {
                const BindMount *b = &c->binds[i];
                _cleanup_free_ char *src = NULL;
                char resolved[PATH_MAX];
                const char *item;
                struct stat st;
                bool device;
                unsigned w;

                /* On this host, judge what the source really is (/var/run is /run). */
                if (!offline && realpath(b->source, resolved)) {
                        src = strdup(resolved);
                        if (!src)
                                return -ENOMEM;
                } else {
                        r = path_normalize_absolute(b->source, &src);
                        if (r < 0)
                                return r;
                }

                w = sensitive_weight(src, b->read_only, offline, &item);
                if (w > 0) {
                        /* name what it exposes when the bind is a directory above it */
                        _cleanup_free_ char *what = NULL;
                        size_t n = strlen(item);

                        what = strndup(item, n > 1 && item[n - 1] == '/' ? n - 1 : n);
                        if (!what)
                                return -ENOMEM;
                        if (path_is_below(src, what))
                                r = add_finding(sensitive, w, "%s:%s%s", b->source, b->target,
                                                b->read_only ? ":ro" : "");
                        else
                                r = add_finding(sensitive, w, "%s:%s%s exposes %s", b->source, b->target,
                                                b->read_only ? ":ro" : "", what);
                        if (r < 0)
                                return r;
                        if (!b->read_only || endswith(item, ".sock"))
                                all_read_only = false;
                }

                if (!b->read_only) {
                        r = add_finding(writable, audit_weight(AUDIT_WRITABLE_BINDS, NULL), "%s:%s",
                                        b->source, b->target);
                        if (r < 0)
                                return r;
                        writable->status = AUDIT_FAIL;
                }

                /* /dev itself or a node in it; on this host a node anywhere, but not a
                 * directory below /dev such as /dev/shm */
                if (!offline && stat(src, &st) >= 0)
                        device = S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) || streq(src, "/dev");
                else
                        device = path_is_below(src, "/dev");
                if (device) {
                        r = add_finding(devices, audit_weight(AUDIT_DEVICES, NULL), "%s", b->source);
                        if (r < 0)
                                return r;
                        devices->status = AUDIT_FAIL;
                }
        }
        if (sensitive->n_findings > 0)
                sensitive->status = all_read_only ? AUDIT_PARTIAL : AUDIT_FAIL;
        return 0;
}

/* Each DeviceAllow= entry opens the scope's device cgroup for a host device. */
static int check_device_allow(const ContainerConfig *c, bool offline, AuditResult *res)
{
        for (size_t i = 0; i < c->n_device_allow; i++) {
                const DeviceAllow *d = &c->device_allow[i];
                struct stat st;
                bool block;
                int r;

                if (device_allow_is_group(d))
                        block = strneq(d->device, "block-", 6);
                else
                        block = !offline && stat(d->device, &st) >= 0 && S_ISBLK(st.st_mode);
                r = add_finding(res,
                                audit_weight(AUDIT_DEVICES, block ? "DeviceAllow=block" : "DeviceAllow="),
                                "DeviceAllow=%s %s", d->device, d->access);
                if (r < 0)
                        return r;
                res->status = AUDIT_FAIL;
        }
        return 0;
}

static int check_limits(const ContainerConfig *c, AuditReport *report)
{
        bool mem = c->memory_max != CONFIG_UNSET && c->memory_max != CONFIG_SIZE_INFINITY;
        bool high = c->memory_high != CONFIG_UNSET && c->memory_high != CONFIG_SIZE_INFINITY;
        bool cpu = c->cpu_quota_per_sec_usec != CONFIG_UNSET &&
                   c->cpu_quota_per_sec_usec != CONFIG_SIZE_INFINITY;
        bool share = (c->cpu_weight != CONFIG_UNSET) || c->allowed_cpus;

        if (!mem)
                set_status(result(report, AUDIT_MEMORY_LIMIT), high ? AUDIT_PARTIAL : AUDIT_FAIL,
                           audit_weight(AUDIT_MEMORY_LIMIT, high ? "MemoryHigh=" : NULL));
        if (!cpu)
                set_status(result(report, AUDIT_CPU_LIMIT), share ? AUDIT_PARTIAL : AUDIT_FAIL,
                           audit_weight(AUDIT_CPU_LIMIT, share ? "CPUWeight=" : NULL));
        if (c->tasks_max == CONFIG_SIZE_INFINITY)
                set_status(result(report, AUDIT_TASKS_LIMIT), AUDIT_FAIL,
                           audit_weight(AUDIT_TASKS_LIMIT, NULL));
        return 0;
}

/* The files of an idmapped (or unmapped) root belong to host UIDs; a host user who can walk to
 * it can run its set-user-ID binaries as those UIDs or read and plant files. Safe when some
 * directory above it admits only host root (owned by UID 0, no group/other bits). */
static int check_root_reachable(const ContainerConfig *c, bool offline, AuditResult *res)
{
        char resolved[PATH_MAX];
        char *slash;

        if (!c->directory) /* the host's own root, as an overlay */
                return add_finding(res, 0, "no Directory=, the host's root as an overlay");
        if (offline) {
                res->status = AUDIT_UNKNOWN;
                return 0;
        }
        if (!realpath(c->directory, resolved)) {
                res->status = AUDIT_UNKNOWN;
                return add_finding(res, 0, "%s: %s", c->directory, strerror(errno));
        }
        while ((slash = strrchr(resolved, '/')) && slash != resolved) {
                struct stat st;

                *slash = '\0';
                if (stat(resolved, &st) < 0) {
                        res->status = AUDIT_UNKNOWN;
                        return add_finding(res, 0, "%s: %s", resolved, strerror(errno));
                }
                if (st.st_uid == 0 && (st.st_mode & 0077) == 0)
                        return 0;
        }
        res->status = AUDIT_FAIL;
        return add_finding(res, audit_weight(AUDIT_ROOT_REACHABLE, NULL),
                           "%s: no directory above it has mode 0700", c->directory);
}

void audit_report_done(AuditReport *r)
{
        for (size_t i = 0; i < _AUDIT_CHECK_MAX; i++) {
                for (size_t j = 0; j < r->results[i].n_findings; j++)
                        free(r->results[i].findings[j].item);
                free(r->results[i].findings);
        }
        *r = (AuditReport){};
}

int audit_container(const ContainerConfig *c, bool offline, AuditReport *ret)
{
        _cleanup_audit_report_ AuditReport r = {};
        unsigned score = 0;
        int k;

        for (size_t i = 0; i < _AUDIT_CHECK_MAX; i++)
                r.results[i] = (AuditResult){ .check = &audit_checks[i], .status = AUDIT_PASS };

        k = check_user_namespace(c, result(&r, AUDIT_USER_NAMESPACE));
        k = k ?: check_capabilities(c, result(&r, AUDIT_CAPABILITIES));
        k = k ?: check_no_new_privileges(c, result(&r, AUDIT_NO_NEW_PRIVILEGES));
        k = k ?: check_syscall_filter(c, result(&r, AUDIT_SYSCALL_FILTER));
        k = k ?: check_selinux(c, result(&r, AUDIT_SELINUX));
        k = k ?: check_network(c, &r);
        k = k ?: check_root(c, &r);
        k = k ?: check_binds(c, offline, &r);
        k = k ?: check_device_allow(c, offline, result(&r, AUDIT_DEVICES));
        k = k ?: check_limits(c, &r);
        k = k ?: check_root_reachable(c, offline, result(&r, AUDIT_ROOT_REACHABLE));
        if (k < 0)
                return k;

        for (size_t i = 0; i < _AUDIT_CHECK_MAX; i++) {
                if (r.results[i].exposure > AUDIT_SCORE_MAX)
                        r.results[i].exposure = AUDIT_SCORE_MAX;
                score += r.results[i].exposure;
        }
        r.score = score > AUDIT_SCORE_MAX ? AUDIT_SCORE_MAX : score;
        *ret = r;
        r = (AuditReport){};
        return 0;
}

const char *audit_verdict(unsigned score)
{
        return score < 30 ? "OK" : score < 60 ? "MEDIUM" : score < 90 ? "EXPOSED" : "UNSAFE";
}

const char *audit_status_to_string(AuditStatus s)
{
        static const char *const table[] = {
                [AUDIT_PASS] = "pass",
                [AUDIT_PARTIAL] = "partial",
                [AUDIT_FAIL] = "fail",
                [AUDIT_UNKNOWN] = "unknown",
        };
        return s < ELEMENTSOF(table) ? table[s] : NULL;
}
