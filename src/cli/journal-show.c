/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Reading a unit's journal through sd-journal. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "journal-show.h"
#include "log.h"
#include "macro.h"
#include "sd-lib.h"
#include "string-util.h"
#include "strv.h"

/* The same match set as journalctl -u UNIT: messages from the unit's processes, and systemd's
 * own messages about it. */
static int add_unit_matches(sd_journal *j, const char *unit)
{
        /* Each unit's terms are OR'ed onto what is there already. */
        _cleanup_free_ char *m1 = NULL, *m2 = NULL, *m3 = NULL;
        int r;

        if (asprintf(&m1, "_SYSTEMD_UNIT=%s", unit) < 0 || asprintf(&m2, "UNIT=%s", unit) < 0 ||
            asprintf(&m3, "OBJECT_SYSTEMD_UNIT=%s", unit) < 0)
                return -ENOMEM;
        if ((r = sym_sd_journal_add_disjunction(j)) < 0 || (r = sym_sd_journal_add_match(j, m1, 0)) < 0 ||
            (r = sym_sd_journal_add_disjunction(j)) < 0 ||
            (r = sym_sd_journal_add_match(j, "_PID=1", 0)) < 0 ||
            (r = sym_sd_journal_add_match(j, m2, 0)) < 0 || (r = sym_sd_journal_add_disjunction(j)) < 0 ||
            (r = sym_sd_journal_add_match(j, "_UID=0", 0)) < 0 ||
            (r = sym_sd_journal_add_match(j, m3, 0)) < 0)
                return r;
        return 0;
}

/* The value of field name, escaped for the terminal (whatever the container wrote: control
 * characters, invalid UTF-8, NUL bytes), cut at max bytes of the raw value; NULL when missing. */
static char *field(sd_journal *j, const char *name, size_t max)
{
        const void *d;
        size_t l, n = strlen(name);

        if (sym_sd_journal_get_data(j, name, &d, &l) < 0 || l <= n + 1)
                return NULL;
        l -= n + 1;
        return cescape_length((const char *)d + n + 1, l < max ? l : max);
}

static void print_entry(sd_journal *j, FILE *f)
{
        _cleanup_free_ char *host = NULL, *ident = NULL, *pid = NULL, *msg = NULL;
        char ts[64];
        uint64_t usec = 0;
        time_t sec;
        struct tm tm;

        msg = field(j, "MESSAGE", 8192);
        if (!msg)
                return;
        (void)sym_sd_journal_get_realtime_usec(j, &usec);
        sec = (time_t)(usec / 1000000);
        if (!localtime_r(&sec, &tm) || strftime(ts, sizeof(ts), "%b %d %H:%M:%S", &tm) == 0)
                snprintf(ts, sizeof(ts), "@%" PRIu64, usec / 1000000);
        ident = field(j, "SYSLOG_IDENTIFIER", 255);
        if (!ident)
                ident = field(j, "_COMM", 255);
        host = field(j, "_HOSTNAME", 255);
        pid = field(j, "_PID", 31);
        if (pid)
                fprintf(f, "%s %s %s[%s]: %s\n", ts, strempty(host), ident ?: "unknown", pid, msg);
        else
                fprintf(f, "%s %s %s: %s\n", ts, strempty(host), ident ?: "unknown", msg);
}

int journal_container_units(const char *name, char ***ret)
{
        _cleanup_strv_free_ char **l = NULL;
        char *s;

        if (asprintf(&s, "berth@%s.service", name) < 0 || strv_consume(&l, s) < 0)
                return -ENOMEM;
        if (asprintf(&s, "berth-%s.scope", name) < 0 || strv_consume(&l, s) < 0)
                return -ENOMEM;
        *ret = TAKE_PTR(l);
        return 0;
}

int journal_show_units(char *const *units, const JournalShowOptions *o, FILE *f)
{
        _cleanup_(journal_closep) sd_journal *j = NULL;
        int r, n = 0;

        r = sd_lib_load(NULL, NULL);
        if (r >= 0)
                r = sym_sd_journal_open(&j, SD_JOURNAL_LOCAL_ONLY);
        if (r < 0)
                return r;
        STRV_FOREACH (u, units) {
                r = add_unit_matches(j, *u);
                if (r < 0)
                        return r;
        }

        if (o->lines == UINT64_MAX)
                r = sym_sd_journal_seek_head(j);
        else {
                r = sym_sd_journal_seek_tail(j);
                if (r >= 0 && o->lines > 0)
                        r = sym_sd_journal_previous_skip(j, o->lines);
                /* after the tail/skip we are on the oldest wanted entry: print it and go forward */
                if (r > 0) {
                        print_entry(j, f);
                        n++;
                }
        }
        if (r < 0)
                return r;

        for (;;) {
                r = sym_sd_journal_next(j);
                if (r < 0)
                        return r;
                if (r > 0) {
                        print_entry(j, f);
                        n++;
                        continue;
                }
                if (!o->follow)
                        break;
                fflush(f);
                r = sym_sd_journal_wait(j, UINT64_MAX);
                if (r < 0)
                        return r;
        }
        fflush(f);
        return n;
}

int journal_parse_lines(const char *s, uint64_t *ret)
{
        char *end;

        if (streq(s, "all")) {
                *ret = UINT64_MAX;
                return 0;
        }
        errno = 0;
        unsigned long long v = strtoull(s, &end, 10);
        if (errno || end == s || *end || s[0] == '-')
                return log_error_errno(-EINVAL, "Invalid number of lines '%s'.", s);
        *ret = v;
        return 0;
}

int journal_last_error(const char *name, const char *invocation_id, char **ret)
{
        _cleanup_(journal_closep) sd_journal *j = NULL;
        _cleanup_free_ char *unit = NULL, *payload = NULL, *invocation = NULL;
        int r;

        if (asprintf(&unit, "_SYSTEMD_UNIT=berth@%s.service", name) < 0 ||
            asprintf(&payload, "SYSLOG_IDENTIFIER=%s", name) < 0 ||
            (invocation_id && asprintf(&invocation, "_SYSTEMD_INVOCATION_ID=%s", invocation_id) < 0))
                return -ENOMEM;
        r = sd_lib_load(NULL, NULL);
        if (r >= 0)
                r = sym_sd_journal_open(&j, SD_JOURNAL_LOCAL_ONLY);
        if (r < 0)
                return r;
        /* Matches on one field are OR'ed, on different fields AND'ed. Only berth's own lines (the
         * unit's stream: SYSLOG_IDENTIFIER=berth, the executable's name) and the payload's (relayed
         * as NAME, output.c): the unit runs other programs too (ExecStopPost='s systemctl, an
         * admin's drop-in), whose complaints at its stop are not why the container failed. */
        if ((r = sym_sd_journal_add_match(j, unit, 0)) < 0 ||
            (r = sym_sd_journal_add_match(j, "SYSLOG_IDENTIFIER=berth", 0)) < 0 ||
            (r = sym_sd_journal_add_match(j, payload, 0)) < 0 ||
            (invocation && (r = sym_sd_journal_add_match(j, invocation, 0)) < 0) ||
            (r = sym_sd_journal_add_match(j, "PRIORITY=0", 0)) < 0 ||
            (r = sym_sd_journal_add_match(j, "PRIORITY=1", 0)) < 0 ||
            (r = sym_sd_journal_add_match(j, "PRIORITY=2", 0)) < 0 ||
            (r = sym_sd_journal_add_match(j, "PRIORITY=3", 0)) < 0)
                return r;
        if ((r = sym_sd_journal_seek_tail(j)) < 0)
                return r;
        for (;;) {
                _cleanup_free_ char *comm = NULL;

                r = sym_sd_journal_previous(j);
                if (r <= 0)
                        return r < 0 ? r : -ENOENT;
                /* A program of the unit's whose name is the container's (a container called sh):
                 * not berth. (_COMM is missing when journald read the line after berth exited.) */
                comm = field(j, "_COMM", 255);
                if (!comm || streq(comm, "berth"))
                        break;
        }
        *ret = field(j, "MESSAGE", 1024);
        return *ret ? 0 : -ENOENT;
}
