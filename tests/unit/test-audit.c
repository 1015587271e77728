/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* berth audit's table and scoring: the weights name real capabilities, syscall sets and
 * normalized host paths; the verdict bands; the score of the default config and its cap at 10.0.
 * The checks one by one are test-audit.sh, through the CLI. */
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "caps.h"
#include "path-util.h"
#include "seccomp-filter.h"
#include "seccomp-policy.h"
#include "test.h"

static bool default_allows(const char *syscall)
{
        for (const char *const *s = seccomp_default_allow; *s; s++)
                if (strcmp(*s, syscall) == 0)
                        return true;
        return false;
}

static void test_table(void)
{
        bool ok = true;

        for (size_t i = 0; i < _AUDIT_CHECK_MAX; i++) {
                const AuditCheck *c = &audit_checks[i];
                ok = ok && c->id == i && c->name && c->key && c->cis && c->good && c->bad &&
                     c->key[strlen(c->key) - 1] == '=';
                for (size_t j = 0; j < i && ok; j++)
                        ok = strcmp(audit_checks[j].name, c->name) != 0;
        }
        CHECK(ok, "every check is filled in, indexed by its id, with a unique name and a key");

        for (const AuditWeight *w = audit_weights; w->item || w->weight; w++) {
                CHECK(w->check < _AUDIT_CHECK_MAX && w->weight > 0 && w->weight <= 100,
                      "weight of %s/%s is 0.1..10.0", audit_checks[w->check].name, w->item ?: "-");
                if (!w->item)
                        continue;
                switch (w->check) {
                case AUDIT_CAPABILITIES:
                        CHECK(caps_from_name(w->item) >= 0 &&
                                      strcmp(caps_to_name(caps_from_name(w->item)), w->item) == 0,
                              "%s is a capability, spelled as berth prints it", w->item);
                        CHECK(!(caps_default_set() & (UINT64_C(1) << caps_from_name(w->item))),
                              "%s is not in the default set", w->item);
                        break;
                case AUDIT_SYSCALL_FILTER: {
                        const char *const *set = seccomp_set_lookup(w->item);
                        bool widens = false;
                        for (const char *const *s = set; s && *s; s++)
                                widens = widens || !default_allows(*s);
                        CHECK(set && widens, "%s is a syscall set beyond the default allowlist", w->item);
                        break;
                }
                case AUDIT_SENSITIVE_BINDS: {
                        _cleanup_free_ char *n = NULL;
                        size_t len = strlen(w->item);
                        char copy[256];
                        snprintf(copy, sizeof(copy), "%.*s",
                                 (int)(len > 1 && w->item[len - 1] == '/' ? len - 1 : len), w->item);
                        CHECK(path_normalize_absolute(copy, &n) >= 0 && strcmp(n, copy) == 0,
                              "%s is a normalized absolute path", w->item);
                        break;
                }
                default: break;
                }
        }
}

static void test_verdict(void)
{
        CHECK_STREQ(audit_verdict(0), "OK", "0.0 is OK");
        CHECK_STREQ(audit_verdict(29), "OK", "2.9 is OK");
        CHECK_STREQ(audit_verdict(30), "MEDIUM", "3.0 is MEDIUM");
        CHECK_STREQ(audit_verdict(59), "MEDIUM", "5.9 is MEDIUM");
        CHECK_STREQ(audit_verdict(60), "EXPOSED", "6.0 is EXPOSED");
        CHECK_STREQ(audit_verdict(89), "EXPOSED", "8.9 is EXPOSED");
        CHECK_STREQ(audit_verdict(90), "UNSAFE", "9.0 is UNSAFE");
        CHECK_STREQ(audit_verdict(100), "UNSAFE", "10.0 is UNSAFE");
}

static void test_scores(void)
{
        _cleanup_config_ ContainerConfig *c = NULL;
        _cleanup_audit_report_ AuditReport r = {};
        unsigned sum = 0;

        CHECK(container_config_new_default("audit-unit", &c) >= 0, "default config");
        if (!c)
                return;
        c->read_only = c->ephemeral = true; /* what config_load() makes of no Directory= */
        CHECK(audit_container(c, true, &r) >= 0, "audit the default config offline");
        CHECK(r.score == audit_weight(AUDIT_MEMORY_LIMIT, NULL) + audit_weight(AUDIT_CPU_LIMIT, NULL),
              "the default config only lacks memory and CPU limits (score %u)", r.score);
        for (size_t i = 0; i < _AUDIT_CHECK_MAX; i++)
                sum += r.results[i].exposure;
        CHECK(sum == r.score, "the score is the sum of the rows");
        audit_report_done(&r);

        c->private_users = PRIVATE_USERS_NO;
        c->capability_add = caps_all();
        c->no_new_privileges = false;
        c->private_network = false;
        CHECK(audit_container(c, true, &r) >= 0, "audit a config with everything open");
        CHECK(r.score == 100, "the score is capped at 10.0 (got %u)", r.score);
        CHECK(r.results[AUDIT_CAPABILITIES].exposure == 100, "a row is capped at 10.0 too");
        CHECK(r.results[AUDIT_PRIVILEGED_PORTS].status == AUDIT_FAIL,
              "host network as host root binds low ports");
}

int main(void)
{
        test_table();
        test_verdict();
        test_scores();
        return test_done();
}
