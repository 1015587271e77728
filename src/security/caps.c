/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Capabilities: computing the kept set and applying it with libcap. */
#include <ctype.h>
#include <errno.h>
#include <string.h>
#include <strings.h>
#include <sys/capability.h>
#include <sys/prctl.h>

#include "caps-default.h"
#include "caps.h"

#define CAP_NAME(c) [c] = #c
static const char *const cap_names[] = {
        CAP_NAME(CAP_CHOWN),
        CAP_NAME(CAP_DAC_OVERRIDE),
        CAP_NAME(CAP_DAC_READ_SEARCH),
        CAP_NAME(CAP_FOWNER),
        CAP_NAME(CAP_FSETID),
        CAP_NAME(CAP_KILL),
        CAP_NAME(CAP_SETGID),
        CAP_NAME(CAP_SETUID),
        CAP_NAME(CAP_SETPCAP),
        CAP_NAME(CAP_LINUX_IMMUTABLE),
        CAP_NAME(CAP_NET_BIND_SERVICE),
        CAP_NAME(CAP_NET_BROADCAST),
        CAP_NAME(CAP_NET_ADMIN),
        CAP_NAME(CAP_NET_RAW),
        CAP_NAME(CAP_IPC_LOCK),
        CAP_NAME(CAP_IPC_OWNER),
        CAP_NAME(CAP_SYS_MODULE),
        CAP_NAME(CAP_SYS_RAWIO),
        CAP_NAME(CAP_SYS_CHROOT),
        CAP_NAME(CAP_SYS_PTRACE),
        CAP_NAME(CAP_SYS_PACCT),
        CAP_NAME(CAP_SYS_ADMIN),
        CAP_NAME(CAP_SYS_BOOT),
        CAP_NAME(CAP_SYS_NICE),
        CAP_NAME(CAP_SYS_RESOURCE),
        CAP_NAME(CAP_SYS_TIME),
        CAP_NAME(CAP_SYS_TTY_CONFIG),
        CAP_NAME(CAP_MKNOD),
        CAP_NAME(CAP_LEASE),
        CAP_NAME(CAP_AUDIT_WRITE),
        CAP_NAME(CAP_AUDIT_CONTROL),
        CAP_NAME(CAP_SETFCAP),
        CAP_NAME(CAP_MAC_OVERRIDE),
        CAP_NAME(CAP_MAC_ADMIN),
        CAP_NAME(CAP_SYSLOG),
        CAP_NAME(CAP_WAKE_ALARM),
        CAP_NAME(CAP_BLOCK_SUSPEND),
        CAP_NAME(CAP_AUDIT_READ),
        CAP_NAME(CAP_PERFMON),
        CAP_NAME(CAP_BPF),
        CAP_NAME(CAP_CHECKPOINT_RESTORE),
};

static int cap_last(void)
{
        /* The kernel may know fewer capabilities than our headers (cap_max_bits() asks it). */
        int last = (int)cap_max_bits() - 1;
        return last < 0 || last > CAP_LAST_CAP ? CAP_LAST_CAP : last;
}

uint64_t caps_all(void)
{
        return (UINT64_C(2) << cap_last()) - 1;
}

uint64_t caps_default_set(void)
{
        return CAPS_DEFAULT_SET & caps_all();
}

uint64_t caps_effective_set(const ContainerConfig *c)
{
        uint64_t add = c->capability_add;

        /* An init's reboot(2) only ends its own PID namespace (the supervisor sees its init killed
         * by SIGHUP: reboot, SIGINT: halt or poweroff), so a booted container keeps CAP_SYS_BOOT
         * for `reboot` and `poweroff` to work inside. DropCapability= still drops it. */
        if (c->boot)
                add |= UINT64_C(1) << CAP_SYS_BOOT;
        return ((caps_default_set() | add) & ~c->capability_drop) & caps_all();
}

int caps_from_name(const char *name)
{
        if (isempty(name))
                return -EINVAL;
        if (strncasecmp(name, "CAP_", 4) == 0)
                name += 4;
        for (size_t i = 0; i < ELEMENTSOF(cap_names); i++)
                if (cap_names[i] && strcasecmp(cap_names[i] + 4, name) == 0)
                        return (int)i;
        return -EINVAL;
}

const char *caps_to_name(int cap)
{
        if (cap < 0 || (size_t)cap >= ELEMENTSOF(cap_names))
                return NULL;
        return cap_names[cap];
}

int caps_drop_bounding(uint64_t keep)
{
        for (int cap = 0; cap <= cap_last(); cap++) {
                if (keep & (UINT64_C(1) << cap))
                        continue;
                if (cap_drop_bound(cap) < 0)
                        return negative_errno();
        }
        return 0;
}

DEFINE_TRIVIAL_CLEANUP_FUNC(cap_t, cap_free);

int caps_apply_final(uint64_t keep, bool payload_is_root)
{
        _cleanup_(cap_freep) cap_t caps = cap_init(); /* all three sets empty */
        cap_value_t list[CAP_LAST_CAP + 1];
        int n = 0;

        if (!caps)
                return -ENOMEM;
        if (payload_is_root)
                for (int cap = 0; cap <= cap_last(); cap++)
                        if (keep & (UINT64_C(1) << cap))
                                list[n++] = cap;
        if (n > 0) {
                cap_flag_t flags[] = { CAP_EFFECTIVE, CAP_PERMITTED, CAP_INHERITABLE };
                for (size_t i = 0; i < ELEMENTSOF(flags); i++)
                        if (cap_set_flag(caps, flags[i], n, list, CAP_SET) < 0)
                                return negative_errno();
        }
        if (cap_set_proc(caps) < 0)
                return negative_errno();
        /* Ambient capabilities would survive execve of a non-setuid binary as a non-root user.
         * One CLEAR_ALL: libcap's CAP_AMBIENT_SUPPORTED() and cap_reset_ambient() ask the kernel
         * about every capability first (43 prctl calls per start, issue 16). EINVAL: a kernel
         * without ambient capabilities (before 4.3), so none to clear. */
        if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
                return negative_errno();
        return 0;
}
