/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The unit-file line syntax: [Section] headers, Key=Value assignments, '#'/';' comments (also
 * inside continued lines), backslash continuation, whitespace trimming. Byte-level problems
 * (NUL, invalid UTF-8, over-long lines) are reported per line and that line is dropped, so one
 * damaged line never hides the errors of the others. */
#include <stdlib.h>
#include <string.h>

#include "parse-state.h"
#include "strv.h"
#include "utf8.h"

#define WHITESPACE " \t\r"

static char *strip(char *s)
{
        size_t n;

        s += strspn(s, WHITESPACE);
        n = strlen(s);
        while (n > 0 && strchr(WHITESPACE, s[n - 1]))
                n--;
        s[n] = 0;
        return s;
}

/* A line continues when it ends in an odd number of backslashes. */
static bool ends_in_continuation(const char *s)
{
        size_t n = strlen(s), k = 0;

        while (k < n && s[n - 1 - k] == '\\')
                k++;
        return k % 2 == 1;
}

static int parse_header(ParseState *st, char *l)
{
        size_t n = strlen(l);
        _cleanup_free_ char *shown = NULL;
        const char *canonical, *suggestion;

        st->section = NULL;
        st->skip_section = true;

        shown = display_text(l);
        if (!shown)
                return -ENOMEM;
        if (n < 3 || l[n - 1] != ']' || strpbrk(l + 1, "[") || strchr(l + 1, ']') != l + n - 1)
                return line_error(st, "%s: invalid section header (expected [Section])", shown);

        l[n - 1] = 0;
        if (st->hooks) {
                canonical = st->hooks->section_lookup(l + 1);
                if (!canonical)
                        return line_error(st, "%s: unknown section (expected %s)", shown,
                                          st->hooks->sections_expected);
                st->section = canonical;
                st->skip_section = false;
                return 0;
        }
        canonical = config_section_lookup(l + 1);
        if (!canonical) {
                suggestion = config_section_suggest(l + 1);
                if (suggestion)
                        return line_error(st, "%s: unknown section (did you mean [%s]?)", shown, suggestion);
                return line_error(st,
                                  "%s: unknown section (expected [Container], [Resources], [Security], "
                                  "[Files], [Network] or [Install])",
                                  shown);
        }
        st->section = canonical;
        st->skip_section = false;
        return 0;
}

static int parse_logical_line(ParseState *st, char *l)
{
        _cleanup_free_ char *shown = NULL;
        char *eq, *key, *value;
        int r;

        if (l[0] == '[')
                return parse_header(st, l);
        if (st->skip_section)
                return 0;

        shown = display_text(l);
        if (!shown)
                return -ENOMEM;
        if (!st->section)
                return line_error(
                        st, "%s: assignment outside of any section (expected a [Section] header first)",
                        shown);
        eq = strchr(l, '=');
        if (!eq)
                return line_error(st, "[%s] %s: missing '=' (expected Key=Value)", st->section, shown);
        *eq = 0;
        key = strip(l);
        value = strip(eq + 1);
        if (!*key) {
                *eq = '=';
                return line_error(st, "[%s] %s: missing key name (expected Key=Value)", st->section, shown);
        }
        st->key = key;
        st->value = value;
        r = st->hooks ? st->hooks->assign(st, key, value, st->hooks->userdata)
                      : config_assign(st, key, value);
        st->key = st->value = NULL;
        return r;
}

int config_parse_text(ParseState *st, const char *data, size_t size)
{
        _cleanup_free_ char *buf = NULL, *cont = NULL;
        size_t cont_len = 0;
        unsigned cont_line = 0, lineno = 0;
        bool cont_bad = false;
        int r;

        buf = malloc(CONFIG_LINE_MAX + 1);
        cont = malloc(CONFIG_LINE_MAX + 1);
        if (!buf || !cont)
                return -ENOMEM;

        st->section = NULL;
        st->skip_section = false;

        for (size_t pos = 0; pos < size;) {
                const char *nl = memchr(data + pos, '\n', size - pos);
                size_t len = nl ? (size_t)(nl - (data + pos)) : size - pos;
                const char *raw = data + pos;
                bool continued;
                char *l;

                pos += len + (nl ? 1 : 0);
                lineno++;
                st->line = lineno;

                if (len > CONFIG_LINE_MAX || memchr(raw, 0, len) || !utf8_is_valid_n(raw, len)) {
                        if (len > CONFIG_LINE_MAX)
                                r = line_error(st, "line too long (%zu bytes, at most %u)", len,
                                               CONFIG_LINE_MAX);
                        else if (memchr(raw, 0, len))
                                r = line_error(st, "line contains a NUL byte (expected text)");
                        else
                                r = line_error(st, "line is not valid UTF-8 (expected UTF-8 text)");
                        if (r == -ENOMEM)
                                return r;
                        /* Drop the line and whatever it continued. */
                        cont_len = 0;
                        cont_bad = false;
                        continue;
                }

                memcpy(buf, raw, len);
                buf[len] = 0;
                l = strip(buf);
                if (l[0] == '#' || l[0] == ';')
                        continue;
                if (cont_len == 0 && !*l)
                        continue;

                continued = ends_in_continuation(l);
                if (continued)
                        l[strlen(l) - 1] = ' ';

                if (cont_len == 0)
                        cont_line = lineno;
                if (cont_len + strlen(l) > CONFIG_LINE_MAX) {
                        if (!cont_bad) {
                                st->line = cont_line;
                                r = line_error(st, "continued line too long (more than %u bytes)",
                                               CONFIG_LINE_MAX);
                                if (r == -ENOMEM)
                                        return r;
                        }
                        cont_bad = true;
                } else if (!cont_bad) {
                        memcpy(cont + cont_len, l, strlen(l));
                        cont_len += strlen(l);
                }
                cont[cont_len] = 0;
                /* Keep the logical line non-empty while it continues, even if it is all blanks so far. */
                if (continued) {
                        if (cont_len == 0)
                                cont[cont_len++] = ' ';
                        continue;
                }

                st->line = cont_line;
                if (!cont_bad) {
                        r = parse_logical_line(st, strip(cont));
                        if (r == -ENOMEM)
                                return r;
                }
                cont_len = 0;
                cont_bad = false;
        }

        /* A file ending in a continued line: the collected text is still one assignment. */
        if (cont_len > 0 && !cont_bad) {
                cont[cont_len] = 0;
                st->line = cont_line;
                r = parse_logical_line(st, strip(cont));
                if (r == -ENOMEM)
                        return r;
        }
        return 0;
}
