/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "json-writer.h"
#include "macro.h"
#include "utf8.h"

void json_writer_init(JsonWriter *w, FILE *f, bool pretty)
{
        *w = (JsonWriter){ .f = f, .pretty = pretty, .first = true };
}

static void indent(JsonWriter *w)
{
        fputc('\n', w->f);
        for (unsigned i = 0; i < w->depth; i++)
                fputc('\t', w->f);
}

/* Before a key, or a value that has no key: the comma and, pretty, the line break. */
static void separate(JsonWriter *w)
{
        if (w->after_key) {
                w->after_key = false;
                return;
        }
        if (!w->first)
                fputc(',', w->f);
        if (w->pretty && w->depth > 0)
                indent(w);
        w->first = false;
}

static void begin(JsonWriter *w, char c)
{
        separate(w);
        fputc(c, w->f);
        w->depth++;
        w->first = true;
}

static void end(JsonWriter *w, char c)
{
        w->depth--;
        if (w->pretty && !w->first)
                indent(w);
        fputc(c, w->f);
        w->first = false;
}

void json_begin_object(JsonWriter *w)
{
        begin(w, '{');
}

void json_end_object(JsonWriter *w)
{
        end(w, '}');
}

void json_begin_array(JsonWriter *w)
{
        begin(w, '[');
}

void json_end_array(JsonWriter *w)
{
        end(w, ']');
}

void json_write_string(FILE *f, const char *s)
{
        const char *p = s, *end = s + strlen(s);

        fputc('"', f);
        while (p < end) {
                unsigned char c = (unsigned char)*p;
                uint32_t cp;
                int n;

                switch (c) {
                case '"':
                        fputs("\\\"", f);
                        p++;
                        continue;
                case '\\':
                        fputs("\\\\", f);
                        p++;
                        continue;
                case '\b':
                        fputs("\\b", f);
                        p++;
                        continue;
                case '\f':
                        fputs("\\f", f);
                        p++;
                        continue;
                case '\n':
                        fputs("\\n", f);
                        p++;
                        continue;
                case '\r':
                        fputs("\\r", f);
                        p++;
                        continue;
                case '\t':
                        fputs("\\t", f);
                        p++;
                        continue;
                }
                if (c < 0x80) {
                        if (c < 0x20 || c == 0x7f)
                                fprintf(f, "\\u%04x", c);
                        else
                                fputc(c, f);
                        p++;
                        continue;
                }
                n = utf8_decode_one(p, (size_t)(end - p), &cp);
                if (n < 0) {
                        fputs("\\ufffd", f); /* one per byte that is not well-formed UTF-8 */
                        p++;
                } else {
                        if (cp <= 0x9f || cp == 0x2028 || cp == 0x2029)
                                fprintf(f, "\\u%04" PRIx32, cp); /* C1 controls, JS line breaks */
                        else
                                fwrite(p, 1, (size_t)n, f);
                        p += n;
                }
        }
        fputc('"', f);
}

void json_key(JsonWriter *w, const char *key)
{
        separate(w);
        json_write_string(w->f, key);
        fputs(w->pretty ? ": " : ":", w->f);
        w->after_key = true;
}

void json_string(JsonWriter *w, const char *s)
{
        if (!s) {
                json_null(w);
                return;
        }
        separate(w);
        json_write_string(w->f, s);
}

void json_uint64(JsonWriter *w, uint64_t v)
{
        separate(w);
        fprintf(w->f, "%" PRIu64, v);
}

void json_int64(JsonWriter *w, int64_t v)
{
        separate(w);
        fprintf(w->f, "%" PRId64, v);
}

void json_boolean(JsonWriter *w, bool b)
{
        separate(w);
        fputs(b ? "true" : "false", w->f);
}

void json_decimal(JsonWriter *w, uint64_t v, unsigned decimals)
{
        uint64_t scale = 1;

        for (unsigned i = 0; i < decimals; i++)
                scale *= 10;
        separate(w);
        if (decimals == 0)
                fprintf(w->f, "%" PRIu64, v);
        else
                fprintf(w->f, "%" PRIu64 ".%0*" PRIu64, v / scale, (int)decimals, v % scale);
}

void json_null(JsonWriter *w)
{
        separate(w);
        fputs("null", w->f);
}

int json_writer_finish(JsonWriter *w)
{
        fputc('\n', w->f);
        if (fflush(w->f) != 0 || ferror(w->f))
                return errno > 0 ? -errno : -EIO;
        return 0;
}
