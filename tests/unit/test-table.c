/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The CLI table: aligned columns, legend on/off, JSON types and escaping, size formats. */
#include <stdlib.h>
#include <string.h>

#include "table.h"
#include "test.h"

static char *render(Table *t, TableOutput o, bool legend)
{
        char *buf = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&buf, &size);
        if (!f)
                return NULL;
        if (table_print(t, f, o, legend) < 0) {
                fclose(f);
                free(buf);
                return NULL;
        }
        fclose(f);
        return buf;
}

int main(void)
{
        static const char *const headers[] = { "NAME", "MEMORY", "UID-BASE", "ROOT", NULL };
        _cleanup_(table_freep) Table *t = NULL;
        _cleanup_free_ char *text = NULL, *bare = NULL, *json = NULL, *empty = NULL;
        char buf[64];

        CHECK(table_new(headers, &t) == 0, "table_new");
        CHECK(table_add_string(t, "web") == 0 && table_add_uint64(t, TABLE_SIZE, 1536) == 0 &&
                      table_add_uint64(t, TABLE_UINT64, 524288) == 0 &&
                      table_add_string(t, "/srv/a\"b") == 0,
              "first row");
        CHECK(table_add_string(t, "a-much-longer-name") == 0 && table_add_string(t, NULL) == 0 &&
                      table_add_uint64(t, TABLE_UINT64, 589824) == 0 && table_add_string(t, "/") == 0,
              "second row with an empty cell");
        CHECK(table_rows(t) == 2, "two rows");

        text = render(t, TABLE_OUTPUT_TEXT, true);
        CHECK_STREQ(text,
                    "NAME               MEMORY UID-BASE ROOT\n"
                    "web                1.5K   524288   /srv/a\"b\n"
                    "a-much-longer-name -      589824   /\n",
                    "text columns aligned to the widest cell, no trailing blanks");
        bare = render(t, TABLE_OUTPUT_TEXT, false);
        CHECK_STREQ(bare,
                    "web                1.5K 524288 /srv/a\"b\n"
                    "a-much-longer-name -    589824 /\n",
                    "--no-legend drops the header and its width");
        json = render(t, TABLE_OUTPUT_JSON, true);
        CHECK_STREQ(
                json,
                "[{\"name\":\"web\",\"memory\":1536,\"uid_base\":524288,\"root\":\"/srv/a\\\"b\"},"
                "{\"name\":\"a-much-longer-name\",\"memory\":null,\"uid_base\":589824,\"root\":\"/\"}]\n",
                "JSON keeps numbers as numbers, empty as null, escapes quotes");

        table_add_string(t, "incomplete");
        CHECK(table_print(t, stdout, TABLE_OUTPUT_TEXT, true) == -EINVAL, "an incomplete row is refused");

        _cleanup_(table_freep) Table *e = NULL;
        CHECK(table_new(headers, &e) == 0, "empty table");
        empty = render(e, TABLE_OUTPUT_JSON, true);
        CHECK_STREQ(empty, "[]\n", "empty JSON is an empty array");

        format_bytes(buf, sizeof(buf), 512);
        CHECK_STREQ(buf, "512B", "bytes below 1K");
        format_bytes(buf, sizeof(buf), 64ULL << 20);
        CHECK_STREQ(buf, "64.0M", "64M");
        format_bytes(buf, sizeof(buf), (3ULL << 30) + (512ULL << 20));
        CHECK_STREQ(buf, "3.5G", "3.5G");
        format_timespan(buf, sizeof(buf), 192ULL * 1000000);
        CHECK_STREQ(buf, "3min 12s", "timespan minutes");

        TableOutput o;
        CHECK(table_output_from_string("json-pretty", &o) == 0 && o == TABLE_OUTPUT_JSON_PRETTY,
              "json-pretty");
        CHECK(table_output_from_string("yaml", &o) == -EINVAL, "unknown output refused");
        return test_done();
}
