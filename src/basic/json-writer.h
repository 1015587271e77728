/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* berth's one JSON writer (issue 17): `berth list -o json` (table.c) and `berth status -o json`
 * (status-json.c) both print through it, so escaping is decided in one place. Hand-written
 * instead of json-c: the CLI only *writes* JSON, and linking json-c (with libarchive) into the
 * berth binary cost every `berth run` its dynamic loading (issue 16). json-c stays for *parsing*
 * OCI manifests, in berth-import only.
 *
 * Strings are container-controlled (names of files, labels, paths): every control character
 * (C0, DEL, C1) and U+2028/U+2029 is written as a \u escape, and each byte that is not part of
 * well-formed UTF-8 as \ufffd, so the output is valid UTF-8 JSON whatever the input and never
 * carries a raw terminal escape.
 *
 * Values are written in order; the writer puts the commas, and in pretty mode the newlines and
 * tab indentation. Errors of the stream are reported once, by json_writer_finish(). */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

typedef struct JsonWriter {
        FILE *f;
        bool pretty;
        unsigned depth;
        bool first;     /* nothing written yet in the innermost object/array */
        bool after_key; /* the next value belongs to the key just written */
} JsonWriter;

void json_writer_init(JsonWriter *w, FILE *f, bool pretty);

void json_begin_object(JsonWriter *w);
void json_end_object(JsonWriter *w);
void json_begin_array(JsonWriter *w);
void json_end_array(JsonWriter *w);

/* A key inside an object; the next call writes its value. */
void json_key(JsonWriter *w, const char *key);

void json_string(JsonWriter *w, const char *s); /* NULL: null */
void json_uint64(JsonWriter *w, uint64_t v);
void json_int64(JsonWriter *w, int64_t v);
void json_null(JsonWriter *w);
void json_boolean(JsonWriter *w, bool b);
/* v / 10^decimals with exactly that many decimals: json_decimal(w, 8, 1) writes 0.8. */
void json_decimal(JsonWriter *w, uint64_t v, unsigned decimals);

/* Ends the document with a newline and flushes: 0, or -errno of the stream. */
int json_writer_finish(JsonWriter *w);

/* The escaped, quoted form of s alone (no writer state), for callers that print keys. */
void json_write_string(FILE *f, const char *s);
