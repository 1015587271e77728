/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Formatting of config error lines: "FILE:LINE: [Section] Key=Value: message (expected ...)". */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse-state.h"
#include "strv.h"

#define DISPLAY_MAX 80

void parse_state_done(ParseState *st)
{
        st->errors = strv_free(st->errors);
        free(st->ephemeral_at);
        free(st->read_only_at);
        free(st->user_at);
        free(st->selinux_label_at);
        free(st->selinux_type_at);
        st->ephemeral_at = st->read_only_at = st->user_at = NULL;
        st->selinux_label_at = st->selinux_type_at = NULL;
        free(st->private_network_at);
        free(st->virtual_ethernet_at);
        free(st->init_at);
        st->init_at = NULL;
        free(st->address_pool_at);
        free(st->port_at);
        free(st->ipv6_at);
        st->ipv6_at = NULL;
        free(st->host_access_at);
        st->host_access_at = NULL;
        free(st->link_local_access_at);
        st->link_local_access_at = NULL;
        free(st->notify_at);
        st->notify_at = NULL;
        st->private_network_at = st->virtual_ethernet_at = st->address_pool_at = st->port_at = NULL;
}

char *display_text(const char *s)
{
        size_t len = strlen(s), shown = len > DISPLAY_MAX ? DISPLAY_MAX : len;
        char *out = malloc(shown * 4 + 4), *o = out;

        if (!out)
                return NULL;
        for (size_t i = 0; i < shown; i++) {
                unsigned char c = s[i];
                if (c < 0x20 || c == 0x7f)
                        o += sprintf(o, "\\x%02x", c);
                else
                        *o++ = c;
        }
        if (shown < len) {
                /* Do not cut a UTF-8 sequence in half. */
                while (o > out && ((unsigned char)o[-1] & 0xC0) == 0x80)
                        o--;
                if (o > out && ((unsigned char)o[-1] & 0xC0) == 0xC0)
                        o--;
                o += sprintf(o, "...");
        }
        *o = 0;
        return out;
}

static int push_error(ParseState *st, const char *prefix, const char *fmt, va_list ap) _printf_(3, 0);
static int push_error(ParseState *st, const char *prefix, const char *fmt, va_list ap)
{
        _cleanup_free_ char *msg = NULL;

        if (vasprintf(&msg, fmt, ap) < 0)
                return -ENOMEM;
        return strv_extendf(&st->errors, "%s: %s", prefix, msg) ?: -EINVAL;
}

/* SetCredential=ID:VALUE: the value is a secret, an error line shows only "ID:...". */
static char *display_value(ParseState *st)
{
        const char *colon;

        if (!st->key || !streq(st->key, "SetCredential") || !*st->value)
                return display_text(st->value);
        colon = strchr(st->value, ':');
        if (!colon)
                return strdup("...");
        _cleanup_free_ char *id = strndup(st->value, colon - st->value);
        _cleanup_free_ char *shown = id ? display_text(id) : NULL;
        char *s;
        if (!shown || asprintf(&s, "%s:...", shown) < 0)
                return NULL;
        return s;
}

char *key_location(ParseState *st)
{
        _cleanup_free_ char *v = display_value(st);
        char *s;

        if (!v || asprintf(&s, "%s:%u: [%s] %s=%s", st->file, st->line, st->section, st->key, v) < 0)
                return NULL;
        return s;
}

int located_error(ParseState *st, const char *prefix, const char *fmt, ...)
{
        va_list ap;
        int r;

        va_start(ap, fmt);
        r = push_error(st, prefix, fmt, ap);
        va_end(ap);
        return r;
}

int key_error(ParseState *st, const char *fmt, ...)
{
        _cleanup_free_ char *prefix = key_location(st);
        va_list ap;
        int r;

        if (!prefix)
                return -ENOMEM;
        va_start(ap, fmt);
        r = push_error(st, prefix, fmt, ap);
        va_end(ap);
        return r;
}

int line_error(ParseState *st, const char *fmt, ...)
{
        _cleanup_free_ char *prefix = NULL;
        va_list ap;
        int r;

        if (asprintf(&prefix, "%s:%u", st->file, st->line) < 0)
                return -ENOMEM;
        va_start(ap, fmt);
        r = push_error(st, prefix, fmt, ap);
        va_end(ap);
        return r;
}

int file_error(ParseState *st, const char *fmt, ...)
{
        va_list ap;
        int r;

        va_start(ap, fmt);
        r = push_error(st, st->file, fmt, ap);
        va_end(ap);
        return r;
}
