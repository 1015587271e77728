/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* TemporaryFileSystem= options: one table for validation and mount. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

#include "macro.h"
#include "strv.h"
#include "tmpfs-options.h"

/* Flags: set these attribute bits after clearing the bits of clear. */
static const struct {
        const char *name;
        unsigned set, clear;
} flags[] = {
        { "ro", MOUNT_ATTR_RDONLY, 0 },
        { "rw", 0, MOUNT_ATTR_RDONLY },
        { "nosuid", MOUNT_ATTR_NOSUID, 0 },
        { "suid", 0, MOUNT_ATTR_NOSUID },
        { "nodev", MOUNT_ATTR_NODEV, 0 },
        { "dev", 0, MOUNT_ATTR_NODEV },
        { "noexec", MOUNT_ATTR_NOEXEC, 0 },
        { "exec", 0, MOUNT_ATTR_NOEXEC },
        { "noatime", MOUNT_ATTR_NOATIME, MOUNT_ATTR__ATIME },
        { "relatime", MOUNT_ATTR_RELATIME, MOUNT_ATTR__ATIME },
        { "strictatime", MOUNT_ATTR_STRICTATIME, MOUNT_ATTR__ATIME },
};

typedef enum ValueKind {
        VALUE_MODE,   /* octal, at most 4 digits */
        VALUE_AMOUNT, /* a number with one optional k/m/g or % suffix */
        VALUE_ID,     /* a number */
} ValueKind;

static const struct {
        const char *prefix;
        ValueKind kind;
} keyed[] = {
        { "mode=", VALUE_MODE }, { "size=", VALUE_AMOUNT }, { "nr_inodes=", VALUE_AMOUNT },
        { "uid=", VALUE_ID },    { "gid=", VALUE_ID },
};

static bool is_all(const char *s, const char *set)
{
        return *s && s[strspn(s, set)] == 0;
}

static bool value_is_valid(const char *v, ValueKind kind)
{
        switch (kind) {
        case VALUE_MODE: return strlen(v) <= 4 && is_all(v, "01234567");
        case VALUE_AMOUNT:
                return isdigit((unsigned char)*v) && is_all(v, "0123456789kmgKMG%") &&
                       strspn(v, "0123456789") >= strlen(v) - 1;
        case VALUE_ID: return is_all(v, "0123456789");
        }
        return false;
}

static int flag_index(const char *o)
{
        for (size_t i = 0; i < ELEMENTSOF(flags); i++)
                if (streq(o, flags[i].name))
                        return (int)i;
        return -1;
}

bool tmpfs_option_is_valid(const char *o)
{
        if (flag_index(o) >= 0)
                return true;
        for (size_t i = 0; i < ELEMENTSOF(keyed); i++)
                if (strneq(o, keyed[i].prefix, strlen(keyed[i].prefix)))
                        return value_is_valid(o + strlen(keyed[i].prefix), keyed[i].kind);
        return false;
}

const char *tmpfs_options_expected(void)
{
        static char known[256]; /* the tables are fixed: filled once */

        if (!known[0]) {
                char *p = known, *end = known + sizeof(known);
                for (size_t i = 0; i < ELEMENTSOF(keyed); i++)
                        p += snprintf(p, end - p, "%s, ", keyed[i].prefix);
                for (size_t i = 0; i < ELEMENTSOF(flags); i++)
                        p += snprintf(p, end - p, "%s, ", flags[i].name);
                snprintf(p, end - p, "comma-separated");
        }
        return known;
}

int tmpfs_options_split(const char *options, unsigned *ret_attr, char ***ret_data)
{
        _cleanup_free_ char *copy = strdup(options ?: TMPFS_DEFAULT_OPTIONS);
        _cleanup_strv_free_ char **data = NULL;
        unsigned attr = MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV;
        char *rest = copy, *w;

        if (!copy)
                return -ENOMEM;
        while ((w = strsep(&rest, ","))) {
                int i = flag_index(w);

                if (i >= 0)
                        attr = (attr & ~flags[i].clear) | flags[i].set;
                else if (!tmpfs_option_is_valid(w))
                        return -EINVAL;
                else if (strv_extend(&data, w) < 0)
                        return -ENOMEM;
        }
        *ret_attr = attr;
        *ret_data = TAKE_PTR(data);
        return 0;
}
