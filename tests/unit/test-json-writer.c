/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The CLI's JSON writer: structure, commas and indentation, and the escaping of hostile strings
 * (control characters, C1, U+2028/9, bytes that are not UTF-8). */
#include <stdlib.h>

#include "json-writer.h"
#include "macro.h"
#include "test.h"

static char *escaped(const char *s)
{
        char *buf = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&buf, &size);
        if (!f)
                return NULL;
        json_write_string(f, s);
        fclose(f);
        return buf;
}

static char *document(bool pretty)
{
        char *buf = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&buf, &size);
        JsonWriter w;

        if (!f)
                return NULL;
        json_writer_init(&w, f, pretty);
        json_begin_object(&w);
        json_key(&w, "name");
        json_string(&w, "web");
        json_key(&w, "pid");
        json_int64(&w, -1);
        json_key(&w, "size");
        json_uint64(&w, UINT64_MAX);
        json_key(&w, "none");
        json_string(&w, NULL);
        json_key(&w, "list");
        json_begin_array(&w);
        json_string(&w, "a");
        json_null(&w);
        json_begin_object(&w);
        json_end_object(&w);
        json_end_array(&w);
        json_key(&w, "empty");
        json_begin_array(&w);
        json_end_array(&w);
        json_end_object(&w);
        if (json_writer_finish(&w) < 0) {
                fclose(f);
                free(buf);
                return NULL;
        }
        fclose(f);
        return buf;
}

#define CHECK_ESCAPED(in, out, msg)                                                                         \
        do {                                                                                                \
                _cleanup_free_ char *_e = escaped(in);                                                      \
                CHECK_STREQ(_e, out, msg);                                                                  \
        } while (0)

int main(void)
{
        _cleanup_free_ char *compact = document(false), *pretty = document(true);

        CHECK_STREQ(compact,
                    "{\"name\":\"web\",\"pid\":-1,\"size\":18446744073709551615,\"none\":null,"
                    "\"list\":[\"a\",null,{}],\"empty\":[]}\n",
                    "compact: commas only between values, nested containers, null for NULL");
        CHECK_STREQ(pretty,
                    "{\n"
                    "\t\"name\": \"web\",\n"
                    "\t\"pid\": -1,\n"
                    "\t\"size\": 18446744073709551615,\n"
                    "\t\"none\": null,\n"
                    "\t\"list\": [\n"
                    "\t\t\"a\",\n"
                    "\t\tnull,\n"
                    "\t\t{}\n"
                    "\t],\n"
                    "\t\"empty\": []\n"
                    "}\n",
                    "pretty: one value a line, tab indentation, empty containers on one line");

        CHECK_ESCAPED("plain /srv/a b", "\"plain /srv/a b\"", "printable ASCII as is");
        CHECK_ESCAPED("q\"b\\s/", "\"q\\\"b\\\\s/\"", "quote and backslash escaped, slash not");
        CHECK_ESCAPED("\b\f\n\r\t", "\"\\b\\f\\n\\r\\t\"", "short escapes");
        CHECK_ESCAPED("\x01\x1b[31m\x1f\x7f", "\"\\u0001\\u001b[31m\\u001f\\u007f\"",
                      "other C0 controls and DEL as \\u00XX: no raw terminal escape");
        CHECK_ESCAPED("\xc2\x9b"
                      "1m\xc2\x80\xc2\x9f\xc2\xa0",
                      "\"\\u009b1m\\u0080\\u009f\xc2\xa0\"",
                      "C1 controls (CSI U+009B) escaped, U+00A0 kept");
        CHECK_ESCAPED("a\xe2\x80\xa8"
                      "b\xe2\x80\xa9",
                      "\"a\\u2028b\\u2029\"", "U+2028/U+2029 escaped");
        CHECK_ESCAPED("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\xb3",
                      "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\xb3\"",
                      "well-formed 2, 3 and 4 byte UTF-8 kept");
        CHECK_ESCAPED("a\xff"
                      "b",
                      "\"a\\ufffdb\"", "a byte that starts nothing: U+FFFD");
        CHECK_ESCAPED("a\xe2\x82", "\"a\\ufffd\\ufffd\"", "a truncated sequence: U+FFFD per byte");
        CHECK_ESCAPED("\xc0\xaf", "\"\\ufffd\\ufffd\"", "an overlong '/' is not a slash");
        CHECK_ESCAPED("\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"", "a UTF-16 surrogate is not UTF-8");
        CHECK_ESCAPED("\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"", "above U+10FFFF refused");
        CHECK_ESCAPED("\xe2\x28\xa1", "\"\\ufffd(\\ufffd\"", "a bad continuation byte is itself decoded");
        return test_done();
}
