/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Aligned text and JSON tables for the CLI. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "json-writer.h"
#include "log.h"
#include "strv.h"
#include "table.h"

typedef struct Cell {
        TableCellType type;
        char *text; /* the text form, always set */
        uint64_t number;
} Cell;

struct Table {
        char **headers;
        size_t n_columns;
        Cell *cells;
        size_t n_cells;
};

int table_new(const char *const *headers, Table **ret)
{
        Table *t = calloc(1, sizeof(*t));
        if (!t)
                return -ENOMEM;
        t->headers = strv_copy((char *const *)headers);
        if (!t->headers) {
                free(t);
                return -ENOMEM;
        }
        t->n_columns = strv_length(t->headers);
        *ret = t;
        return 0;
}

Table *table_free(Table *t)
{
        if (!t)
                return NULL;
        for (size_t i = 0; i < t->n_cells; i++)
                free(t->cells[i].text);
        free(t->cells);
        strv_free(t->headers);
        free(t);
        return NULL;
}

size_t table_rows(const Table *t)
{
        return t->n_columns ? t->n_cells / t->n_columns : 0;
}

static int add_cell(Table *t, TableCellType type, const char *text, uint64_t number)
{
        Cell *c = realloc(t->cells, (t->n_cells + 1) * sizeof(Cell));
        if (!c)
                return -ENOMEM;
        t->cells = c;
        c = &t->cells[t->n_cells];
        *c = (Cell){ .type = type, .number = number, .text = strdup(text) };
        if (!c->text)
                return -ENOMEM;
        t->n_cells++;
        return 0;
}

int table_add_string(Table *t, const char *s)
{
        if (isempty(s))
                return add_cell(t, TABLE_EMPTY, "-", 0);
        return add_cell(t, TABLE_STRING, s, 0);
}

void format_timestamp(char *buf, size_t size, uint64_t usec)
{
        time_t sec = (time_t)(usec / 1000000);
        struct tm tm;

        if (!localtime_r(&sec, &tm) || strftime(buf, size, "%a %Y-%m-%d %H:%M:%S %Z", &tm) == 0)
                snprintf(buf, size, "@%" PRIu64, usec / 1000000);
}

void format_timespan(char *buf, size_t size, uint64_t usec)
{
        uint64_t s = usec / 1000000;

        if (s < 60)
                snprintf(buf, size, "%" PRIu64 ".%" PRIu64 "s", s, (usec / 100000) % 10);
        else if (s < 3600)
                snprintf(buf, size, "%" PRIu64 "min %" PRIu64 "s", s / 60, s % 60);
        else if (s < 86400)
                snprintf(buf, size, "%" PRIu64 "h %" PRIu64 "min", s / 3600, (s % 3600) / 60);
        else
                snprintf(buf, size, "%" PRIu64 "d %" PRIu64 "h", s / 86400, (s % 86400) / 3600);
}

int table_add_uint64(Table *t, TableCellType type, uint64_t v)
{
        char buf[64];

        switch (type) {
        case TABLE_SIZE: format_bytes(buf, sizeof(buf), v); break;
        case TABLE_TIMESTAMP: format_timestamp(buf, sizeof(buf), v); break;
        case TABLE_UINT64: snprintf(buf, sizeof(buf), "%" PRIu64, v); break;
        default: return -EINVAL;
        }
        return add_cell(t, type, buf, v);
}

int table_output_from_string(const char *s, TableOutput *ret)
{
        if (streq(s, "text"))
                *ret = TABLE_OUTPUT_TEXT;
        else if (streq(s, "json"))
                *ret = TABLE_OUTPUT_JSON;
        else if (streq(s, "json-pretty"))
                *ret = TABLE_OUTPUT_JSON_PRETTY;
        else
                return -EINVAL;
        return 0;
}

int table_output_from_arg(const char *s, TableOutput *ret)
{
        if (table_output_from_string(s, ret) < 0)
                return log_error_errno(-EINVAL,
                                       "Unknown output mode '%s' (expected text, json or json-pretty).", s);
        return 0;
}

static void print_text(const Table *t, FILE *f, bool legend)
{
        _cleanup_free_ size_t *width = calloc(t->n_columns, sizeof(size_t));
        if (!width)
                return;

        for (size_t c = 0; c < t->n_columns; c++)
                width[c] = legend ? strlen(t->headers[c]) : 0;
        for (size_t i = 0; i < t->n_cells; i++) {
                size_t l = strlen(t->cells[i].text);
                if (l > width[i % t->n_columns])
                        width[i % t->n_columns] = l;
        }
        /* The last column is not padded: no trailing blanks. */
        if (legend)
                for (size_t c = 0; c < t->n_columns; c++)
                        fprintf(f, "%-*s%s", c + 1 < t->n_columns ? (int)width[c] : 0, t->headers[c],
                                c + 1 < t->n_columns ? " " : "\n");
        for (size_t i = 0; i < t->n_cells; i++) {
                size_t c = i % t->n_columns;
                fprintf(f, "%-*s%s", c + 1 < t->n_columns ? (int)width[c] : 0, t->cells[i].text,
                        c + 1 < t->n_columns ? " " : "\n");
        }
}

/* JSON keys are the headers in lower case with '-' as '_': "UID-BASE" is "uid_base". */
static void json_key_from_header(JsonWriter *w, const char *header)
{
        char key[64];
        size_t i;

        for (i = 0; header[i] && i < sizeof(key) - 1; i++) {
                char c = header[i];
                key[i] = c == '-' ? '_' : (c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
        }
        key[i] = 0;
        json_key(w, key);
}

static int print_json(const Table *t, FILE *f, bool pretty)
{
        size_t rows = table_rows(t);
        JsonWriter w;

        json_writer_init(&w, f, pretty);
        json_begin_array(&w);
        for (size_t r = 0; r < rows; r++) {
                json_begin_object(&w);
                for (size_t c = 0; c < t->n_columns; c++) {
                        const Cell *cell = &t->cells[r * t->n_columns + c];
                        json_key_from_header(&w, t->headers[c]);
                        switch (cell->type) {
                        case TABLE_EMPTY: json_null(&w); break;
                        case TABLE_STRING: json_string(&w, cell->text); break;
                        default: json_uint64(&w, cell->number);
                        }
                }
                json_end_object(&w);
        }
        json_end_array(&w);
        return json_writer_finish(&w);
}

int table_print(const Table *t, FILE *f, TableOutput output, bool legend)
{
        if (t->n_cells % t->n_columns != 0)
                return -EINVAL; /* an incomplete row is a caller bug */
        if (output != TABLE_OUTPUT_TEXT)
                return print_json(t, f, output == TABLE_OUTPUT_JSON_PRETTY);
        print_text(t, f, legend);
        return fflush(f) == 0 ? 0 : negative_errno();
}
