/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Tables for the CLI: typed cells printed as aligned text columns (with or without the header
 * line) or as JSON, so scripts get numbers as numbers and "-" cells as null. */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "format-util.h"
#include "macro.h"

typedef enum TableCellType {
        TABLE_EMPTY,     /* "-" in text, null in JSON */
        TABLE_STRING,    /* const char * */
        TABLE_UINT64,    /* uint64_t, decimal */
        TABLE_SIZE,      /* uint64_t bytes: "12.5M" in text, a number in JSON */
        TABLE_TIMESTAMP, /* uint64_t µs since the epoch: local time in text, the number in JSON */
} TableCellType;

typedef enum TableOutput {
        TABLE_OUTPUT_TEXT,
        TABLE_OUTPUT_JSON,        /* one line: [{"name":...},...] */
        TABLE_OUTPUT_JSON_PRETTY, /* indented */
} TableOutput;

typedef struct Table Table;

/* headers: NULL-terminated; JSON keys are the headers in lower case with '-' as '_'. */
int table_new(const char *const *headers, Table **ret);
Table *table_free(Table *t);
DEFINE_TRIVIAL_CLEANUP_FUNC(Table *, table_free);

/* Cells fill rows left to right; a row is complete after as many cells as headers. */
int table_add_string(Table *t, const char *s); /* NULL or "" adds an empty cell */
int table_add_uint64(Table *t, TableCellType type, uint64_t v);
size_t table_rows(const Table *t);

int table_print(const Table *t, FILE *f, TableOutput output, bool legend);

/* "text", "json", "json-pretty" */
int table_output_from_string(const char *s, TableOutput *ret);
/* The same for a command line option: logs what is accepted when s is not. */
int table_output_from_arg(const char *s, TableOutput *ret);

/* Human formats shared with other verbs (format_bytes(): format-util.h). */
void format_timestamp(char *buf, size_t size, uint64_t usec); /* "Mon 2026-11-23 18:50:00 UTC" */
void format_timespan(char *buf, size_t size, uint64_t usec);  /* "3min 12s", "2h 5min", "1.5s" */
