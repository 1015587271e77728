/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Internal to src/config: the state shared by the line reader (syntax.c), the key table
 * (keys.c) and the loader (load.c) while one container's files are parsed. */

#include <stddef.h>

#include "config.h"
#include "macro.h"

#define CONFIG_FILE_MAX (4U * 1024 * 1024) /* bytes per file */
#define CONFIG_LINE_MAX (64U * 1024)       /* bytes per (continued) line */

typedef struct ParseState {
        ContainerConfig *config;
        char **errors; /* complete error lines */

        /* Where we are, for error lines. */
        const char *file;
        unsigned line;
        const char *section; /* NULL before the first header or inside an unknown section */
        const char *key;
        const char *value;
        bool skip_section; /* after an invalid or unknown header: its assignments are not checked */

        /* Error-line prefixes ("FILE:LINE: [Section] Key=Value") of keys checked together once
         * all files are read; NULL when the key was not given. */
        char *ephemeral_at;
        char *read_only_at;
        char *user_at;
        char *selinux_label_at;
        char *selinux_type_at;
        char *private_network_at;
        char *virtual_ethernet_at;
        char *init_at;
        char *address_pool_at;
        char *port_at; /* the first Port= of the list in force */
        char *ipv6_at;
        char *host_access_at;
        char *link_local_access_at;

        const struct ParseHooks *hooks; /* NULL for .container files; see ParseHooks */
        char *notify_at; /* Notify= given: with Boot=yes, Notify=no overrides waiting for the init */
} ParseState;

void parse_state_done(ParseState *st);

/* Appends "FILE:LINE: " + message; returns -EINVAL, or -ENOMEM. */
int line_error(ParseState *st, const char *fmt, ...) _printf_(2, 3);
/* Appends "FILE:LINE: [Section] Key=Value: " + message; returns -EINVAL, or -ENOMEM. */
int key_error(ParseState *st, const char *fmt, ...) _printf_(2, 3);
/* Appends "FILE: " + message; returns -EINVAL, or -ENOMEM. */
int file_error(ParseState *st, const char *fmt, ...) _printf_(2, 3);
/* "FILE:LINE: [Section] Key=Value" for the current assignment, or NULL on ENOMEM. */
char *key_location(ParseState *st);
/* Text of a config line as shown in an error: control characters escaped, cut at 80 chars. */
char *display_text(const char *s);
/* Appends "PREFIX: " + message for a prefix from key_location(). */
int located_error(ParseState *st, const char *prefix, const char *fmt, ...) _printf_(3, 4);

/* syntax.c: reads a file's text (data[0..size)) line by line and hands each assignment to
 * config_assign(). Errors go to st->errors; returns 0, or -ENOMEM. */
int config_parse_text(ParseState *st, const char *data, size_t size);

/* keys.c */
/* The canonical (static) name of a known section, or NULL. */
const char *config_section_lookup(const char *section);
/* The known section closest to an unknown one, or NULL when none is close. */
const char *config_section_suggest(const char *section);
int config_assign(ParseState *st, const char *key, const char *value);
/* Fills defaults that depend on several keys and checks their combinations. */
int config_finalize(ParseState *st);

/* Another file type read with the same line syntax (trust.conf, src/image/trust.c): when
 * assign is set, sections are looked up with section_lookup (unknown ones are reported as not
 * among sections_expected) and every assignment goes to assign instead of config_assign(). */
struct ParseHooks {
        const char *(*section_lookup)(const char *section);
        const char *sections_expected; /* e.g. "[Trust]" */
        int (*assign)(ParseState *st, const char *key, const char *value, void *userdata);
        void *userdata;
};
typedef struct ParseHooks ParseHooks;
