/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Capabilities: names, the kept set, and what /proc/self/status shows after applying it. */
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <strings.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "caps.h"
#include "test.h"

#define BIT(c) (UINT64_C(1) << (c))

/* A capability mask line of /proc/self/status ("CapBnd:\t000001ffffffffff"). */
static uint64_t status_caps(const char *key)
{
        FILE *f = fopen("/proc/self/status", "re");
        char line[256];
        uint64_t v = UINT64_MAX;
        size_t n = strlen(key);

        if (!f)
                return UINT64_MAX;
        while (fgets(line, sizeof(line), f))
                if (strneq(line, key, n) && line[n] == ':')
                        v = strtoull(line + n + 1, NULL, 16);
        fclose(f);
        return v;
}

static void test_names(void)
{
        CHECK(caps_from_name("CAP_SYS_ADMIN") == CAP_SYS_ADMIN, "CAP_SYS_ADMIN");
        CHECK(caps_from_name("sys_admin") == CAP_SYS_ADMIN, "sys_admin");
        CHECK(caps_from_name("Cap_Net_Raw") == CAP_NET_RAW, "Cap_Net_Raw (case-insensitive)");
        CHECK(caps_from_name("CAP_NOPE") == -EINVAL, "unknown name refused");
        CHECK(caps_from_name("") == -EINVAL && caps_from_name(NULL) == -EINVAL, "empty name refused");
        CHECK(caps_from_name("21") == -EINVAL, "numbers are not names");
        CHECK(caps_to_name(-1) == NULL && caps_to_name(64) == NULL, "out of range numbers have no name");

        bool round_trip = true;
        for (int cap = 0; cap <= CAP_LAST_CAP; cap++) {
                char *libcap = cap_to_name(cap); /* "cap_chown" */
                const char *ours = caps_to_name(cap);
                if (!ours || caps_from_name(ours) != cap || !libcap || strcasecmp(libcap, ours) != 0) {
                        printf("# capability %d: ours %s, libcap %s\n", cap, strna(ours), strna(libcap));
                        round_trip = false;
                }
                cap_free(libcap);
        }
        CHECK(round_trip, "all %d capability names agree with libcap and round-trip", CAP_LAST_CAP + 1);
}

static void test_sets(void)
{
        const int docker[] = { CAP_CHOWN,   CAP_DAC_OVERRIDE, CAP_FSETID,           CAP_FOWNER,
                               CAP_MKNOD,   CAP_NET_RAW,      CAP_SETGID,           CAP_SETUID,
                               CAP_SETFCAP, CAP_SETPCAP,      CAP_NET_BIND_SERVICE, CAP_SYS_CHROOT,
                               CAP_KILL,    CAP_AUDIT_WRITE };
        uint64_t docker_set = 0, def = caps_default_set();
        _cleanup_config_ ContainerConfig *c = NULL;

        for (size_t i = 0; i < ELEMENTSOF(docker); i++)
                docker_set |= BIT(docker[i]);
        CHECK(def != 0 && (def & ~docker_set) == 0, "default set (%#" PRIx64 ") is within Docker's 14", def);
        CHECK(__builtin_popcountll(def) <= 14, "default set has %d capabilities", __builtin_popcountll(def));
        CHECK(!(def & (BIT(CAP_SYS_ADMIN) | BIT(CAP_NET_RAW) | BIT(CAP_MKNOD) | BIT(CAP_AUDIT_WRITE))),
              "default set lacks SYS_ADMIN, NET_RAW, MKNOD, AUDIT_WRITE");

        CHECK(container_config_new_default("t", &c) == 0, "default config");
        CHECK(caps_effective_set(c) == def, "an empty [Security] keeps the default set");
        c->capability_add = BIT(CAP_SYS_TIME) | BIT(CAP_CHOWN);
        c->capability_drop = BIT(CAP_CHOWN) | BIT(CAP_KILL);
        CHECK(caps_effective_set(c) == ((def | BIT(CAP_SYS_TIME)) & ~(BIT(CAP_CHOWN) | BIT(CAP_KILL))),
              "Capability= adds, DropCapability= removes, drop wins");
        c->capability_add = UINT64_MAX; /* Capability=all */
        c->capability_drop = 0;
        CHECK(caps_effective_set(c) == caps_all() && __builtin_popcountll(caps_all()) == (int)cap_max_bits(),
              "Capability=all is every capability the kernel knows (%d)", (int)cap_max_bits());
}

/* In a child (needs root): drop the bounding set, apply, report /proc/self/status. */
static void test_apply(bool root_payload)
{
        uint64_t keep = caps_default_set() | BIT(CAP_SYS_TIME);
        int pfd[2];
        uint64_t got[6] = {};

        if (geteuid() != 0) {
                printf("ok %d # SKIP applying capabilities needs root\n", ++test_n);
                return;
        }
        if (pipe2(pfd, O_CLOEXEC) < 0)
                return;
        pid_t pid = fork();
        if (pid == 0) {
                /* An ambient capability that must not survive. */
                cap_t cur = cap_get_proc();
                cap_value_t v = CAP_NET_ADMIN;
                cap_set_flag(cur, CAP_INHERITABLE, 1, &v, CAP_SET);
                cap_set_proc(cur);
                cap_set_ambient(CAP_NET_ADMIN, CAP_SET);
                uint64_t amb_before = status_caps("CapAmb");
                if (caps_drop_bounding(keep) < 0 || caps_apply_final(keep, root_payload) < 0)
                        _exit(1);
                uint64_t v6[6] = { status_caps("CapBnd"), status_caps("CapEff"), status_caps("CapPrm"),
                                   status_caps("CapInh"), status_caps("CapAmb"), amb_before };
                _exit(write(pfd[1], v6, sizeof(v6)) == sizeof(v6) ? 0 : 1);
        }
        close(pfd[1]);
        CHECK(read(pfd[0], got, sizeof(got)) == sizeof(got), "child applied capabilities (%s payload)",
              root_payload ? "root" : "non-root");
        close(pfd[0]);
        waitpid(pid, NULL, 0);
        uint64_t want = root_payload ? keep : 0;
        CHECK(got[0] == keep, "CapBnd %#" PRIx64 " == kept %#" PRIx64, got[0], keep);
        CHECK(got[1] == want, "CapEff %#" PRIx64 " == %#" PRIx64, got[1], want);
        CHECK(got[2] == want, "CapPrm %#" PRIx64 " == %#" PRIx64, got[2], want);
        CHECK(got[3] == want, "CapInh %#" PRIx64 " == %#" PRIx64, got[3], want);
        CHECK(got[5] == BIT(CAP_NET_ADMIN) && got[4] == 0, "CapAmb %#" PRIx64 " before, cleared after",
              got[5]);
}

int main(void)
{
        test_names();
        test_sets();
        test_apply(true);
        test_apply(false);
        return test_done();
}
