/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <ctype.h>
#include <errno.h>
#include <string.h>
#include <strings.h>

#include "macro.h"
#include "parse-util.h"

int parse_boolean(const char *s)
{
        static const char *const yes[] = { "1", "yes", "true", "on" };
        static const char *const no[] = { "0", "no", "false", "off" };

        for (size_t i = 0; i < ELEMENTSOF(yes); i++) {
                if (strcasecmp(s, yes[i]) == 0)
                        return 1;
                if (strcasecmp(s, no[i]) == 0)
                        return 0;
        }
        return -EINVAL;
}

/* Parses leading digits of *p in base 10 or 16, advancing *p; -EINVAL when there are none. */
static int consume_digits(const char **p, unsigned base, uint64_t *ret)
{
        uint64_t v = 0;
        const char *s = *p;

        if (!isxdigit((unsigned char)*s) || (base == 10 && !isdigit((unsigned char)*s)))
                return -EINVAL;
        for (; *s; s++) {
                unsigned d;
                if (isdigit((unsigned char)*s))
                        d = *s - '0';
                else if (base == 16 && isxdigit((unsigned char)*s))
                        d = tolower((unsigned char)*s) - 'a' + 10;
                else
                        break;
                if (v > (UINT64_MAX - d) / base)
                        return -ERANGE;
                v = v * base + d;
        }
        *p = s;
        *ret = v;
        return 0;
}

int parse_uint64(const char *s, bool allow_hex, uint64_t *ret)
{
        unsigned base = 10;
        uint64_t v;
        int r;

        if (allow_hex && (strneq(s, "0x", 2) || strneq(s, "0X", 2))) {
                base = 16;
                s += 2;
        }
        r = consume_digits(&s, base, &v);
        if (r < 0)
                return r;
        if (*s)
                return -EINVAL;
        *ret = v;
        return 0;
}

int parse_size(const char *s, uint64_t *ret)
{
        static const struct {
                char suffix;
                unsigned shift;
        } units[] = { { 'K', 10 }, { 'M', 20 }, { 'G', 30 }, { 'T', 40 } };
        uint64_t v;
        unsigned shift = 0;
        int r;

        if (streq(s, "infinity")) {
                *ret = UINT64_MAX;
                return 0;
        }
        r = consume_digits(&s, 10, &v);
        if (r < 0)
                return r;
        if (*s) {
                size_t i;
                for (i = 0; i < ELEMENTSOF(units); i++)
                        if (*s == units[i].suffix)
                                break;
                if (i >= ELEMENTSOF(units) || s[1])
                        return -EINVAL;
                shift = units[i].shift;
        }
        if (v > (UINT64_MAX - 2) >> shift) /* keep clear of the two reserved values */
                return -ERANGE;
        *ret = v << shift;
        return 0;
}

int parse_percent_hundredths(const char *s, uint64_t *ret)
{
        uint64_t whole, frac = 0;
        int r;

        r = consume_digits(&s, 10, &whole);
        if (r < 0)
                return r;
        if (*s == '.') {
                const char *f = ++s;
                r = consume_digits(&s, 10, &frac);
                if (r < 0 || s - f > 2)
                        return -EINVAL;
                if (s - f == 1)
                        frac *= 10;
        }
        if (!streq(s, "%"))
                return -EINVAL;
        if (whole > UINT64_MAX / 1000)
                return -ERANGE;
        *ret = whole * 100 + frac;
        return 0;
}

int parse_time_span(const char *s, uint64_t *ret_usec)
{
        static const struct {
                const char *suffix;
                uint64_t usec;
        } units[] = {
                { "seconds", USEC_PER_SEC },
                { "second", USEC_PER_SEC },
                { "sec", USEC_PER_SEC },
                { "s", USEC_PER_SEC },
                { "minutes", 60 * USEC_PER_SEC },
                { "minute", 60 * USEC_PER_SEC },
                { "min", 60 * USEC_PER_SEC },
                { "months", 2629800 * USEC_PER_SEC },
                { "month", 2629800 * USEC_PER_SEC },
                { "msec", 1000 },
                { "ms", 1000 },
                { "m", 60 * USEC_PER_SEC },
                { "hours", 3600 * USEC_PER_SEC },
                { "hour", 3600 * USEC_PER_SEC },
                { "hr", 3600 * USEC_PER_SEC },
                { "h", 3600 * USEC_PER_SEC },
                { "days", 86400 * USEC_PER_SEC },
                { "day", 86400 * USEC_PER_SEC },
                { "d", 86400 * USEC_PER_SEC },
                { "weeks", 604800 * USEC_PER_SEC },
                { "week", 604800 * USEC_PER_SEC },
                { "w", 604800 * USEC_PER_SEC },
                { "usec", 1 },
                { "us", 1 },
        };
        uint64_t total = 0;
        bool any = false;

        if (streq(s, "infinity")) {
                *ret_usec = USEC_INFINITY;
                return 0;
        }
        for (;;) {
                uint64_t v, mul = USEC_PER_SEC;
                size_t i;
                int r;

                s += strspn(s, " \t");
                if (!*s)
                        break;
                r = consume_digits(&s, 10, &v);
                if (r < 0)
                        return r;
                s += strspn(s, " \t");
                for (i = 0; i < ELEMENTSOF(units); i++) {
                        size_t l = strlen(units[i].suffix);
                        if (strneq(s, units[i].suffix, l) && !isalpha((unsigned char)s[l])) {
                                mul = units[i].usec;
                                s += l;
                                break;
                        }
                }
                if (i >= ELEMENTSOF(units) && isalpha((unsigned char)*s))
                        return -EINVAL;
                if (v > (UINT64_MAX - 1) / mul || total > UINT64_MAX - 1 - v * mul)
                        return -ERANGE;
                total += v * mul;
                any = true;
        }
        if (!any)
                return -EINVAL;
        *ret_usec = total;
        return 0;
}
