/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The sections and keys of NAME.container: one table, one typed parser per kind of value, and
 * the checks that span several keys. Every rejected value produces one error line that says
 * what was wrong and what is accepted. */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/capability.h>

#include "extract-word.h"
#include "load.h"
#include "net-util.h"
#include "netlink.h"
#include "parse-state.h"
#include "parse-util.h"
#include "path-util.h"
#include "string-util.h"
#include "strv.h"
#include "tmpfs-options.h"

#define UID_RANGE_MIN        UINT64_C(0x00080000)
#define UID_RANGE_MAX        UINT64_C(0x6FFF0000) /* highest allowed base */
#define UID_RANGE_SIZE       UINT64_C(0x10000)
#define WEIGHT_MAX           10000
#define CPU_INDEX_MAX        8191
#define SUGGEST_MAX_DISTANCE 2

#define MSG_QUOTING                                                                                         \
        "invalid quoting (expected words separated by spaces, with balanced \"double\" or 'single' "        \
        "quotes and valid backslash escapes)"

typedef struct ConfigKey ConfigKey;
typedef int (*KeyParser)(ParseState *st, const ConfigKey *k, const char *value, void *field);

/* Numeric keys: an empty assignment restores "empty", otherwise convert() decides and message
 * says what is accepted. */
typedef struct NumberKind {
        int (*convert)(const char *s, uint64_t *ret);
        uint64_t empty;
        const char *message;
} NumberKind;

struct ConfigKey {
        const char *section;
        const char *key;
        KeyParser parse;
        size_t offset;
        int arg;                  /* parser-specific: default of a boolean, read-only of a bind */
        const NumberKind *number; /* for parse_number */
        bool specifiers; /* %i and %% are resolved in the value (text values only, so "150%" stays) */
};

static const char *const sections[] = { "Container", "Resources", "Security", "Files",
                                        "Network",   "Install",   "Unit" };

/* ---- helpers ---- */

static int assign_string(char **field, const char *value)
{
        char *s = NULL;

        if (value) {
                s = strdup(value);
                if (!s)
                        return -ENOMEM;
        }
        free(*field);
        *field = s;
        return 0;
}

/* Records "FILE:LINE: [Section] Key=Value" of keys that config_finalize() checks together. */
static int remember_location(ParseState *st, char **at, bool given)
{
        _cleanup_free_ char *loc = given ? key_location(st) : NULL;

        if (given && !loc)
                return -ENOMEM;
        return assign_string(at, loc);
}

/* Splits a list value: 1 with words in *ret, 0 for an empty assignment (the list is to be
 * reset), or an error line for bad quoting. */
static int split_words(ParseState *st, const char *value, char ***ret)
{
        int r = extract_all_words(value, ret);
        if (r == -EINVAL)
                return key_error(st, MSG_QUOTING);
        if (r < 0)
                return r;
        return (*ret)[0] != NULL;
}

/* An error about one word of a list: WHAT "WORD" (expected EXPECTED). */
static int bad_word(ParseState *st, const char *what, const char *word, const char *expected)
{
        _cleanup_free_ char *shown = display_text(word);

        if (!shown)
                return -ENOMEM;
        return key_error(st, "%s \"%s\" (expected %s)", what, shown, expected);
}

/* A list of words each accepted by check(); empty resets, otherwise appended (once each when
 * unique). A bad word rejects the whole assignment. */
typedef enum ListMode {
        LIST_APPEND, /* every word appended */
        LIST_UNIQUE, /* appended unless already present */
        LIST_ENV,    /* NAME=VALUE words set or replace NAME */
} ListMode;

/* A list of words each accepted by check(); an empty assignment resets the list. A bad word
 * rejects the whole assignment. */
static int parse_checked_list(ParseState *st, const char *value, char ***list, bool (*check)(const char *),
                              const char *what, const char *expected, ListMode mode)
{
        _cleanup_strv_free_ char **l = NULL;
        int r;

        r = split_words(st, value, &l);
        if (r <= 0) {
                if (r == 0)
                        *list = strv_free(*list);
                return r;
        }
        STRV_FOREACH (w, l)
                if (!check(*w))
                        return bad_word(st, what, *w, expected);
        STRV_FOREACH (w, l) {
                if (mode == LIST_ENV)
                        r = strv_env_set(list, *w);
                else if (mode == LIST_APPEND || !strv_contains(*list, *w))
                        r = strv_extend(list, *w);
                if (r < 0)
                        return r;
        }
        return 0;
}

static bool is_all(const char *s, const char *set)
{
        return *s && s[strspn(s, set)] == 0;
}

#define LOWER_DIGITS "abcdefghijklmnopqrstuvwxyz0123456789"
#define ALNUM        "ABCDEFGHIJKLMNOPQRSTUVWXYZ" LOWER_DIGITS

/* ---- [Container] ---- */

static int parse_abs_path(ParseState *st, const ConfigKey *k, const char *value, void *field)
{
        _cleanup_free_ char *p = NULL;
        (void)k;

        if (!*value)
                return assign_string(field, NULL);
        if (path_normalize_absolute(value, &p) < 0)
                return key_error(st, "invalid path (expected an absolute path without \"..\" components)");
        return assign_string(field, p);
}

static int parse_directory(ParseState *st, const ConfigKey *k, const char *value, void *field)
{
        /* Directory=/ would hand the host's root to the container writable and persistent. */
        if (path_is_root(value))
                return key_error(st,
                                 "the host's root directory cannot be a container's own root (expected a "
                                 "directory such as /var/lib/berth/NAME, or no Directory= for an "
                                 "ephemeral read-only copy of the host)");
        return parse_abs_path(st, k, value, field);
}

static int parse_exec(ParseState *st, const ConfigKey *k, const char *value, void *field)
{
        char ***argv = field;
        _cleanup_strv_free_ char **l = NULL;
        _cleanup_free_ char *p = NULL;
        int r;
        (void)k;

        r = split_words(st, value, &l);
        if (r <= 0) {
                if (r == 0) /* empty assignment: back to the default command */
                        *argv = strv_free(*argv);
                return r;
        }
        if (path_normalize_absolute(l[0], &p) < 0)
                return key_error(st,
                                 "program \"%s\" is not an absolute path (expected /path/to/program "
                                 "followed by its arguments)",
                                 l[0]);
        strv_free(*argv);
        *argv = TAKE_PTR(l);
        return 0;
}

static bool user_name_is_valid(const char *s)
{
        /* POSIX portable user names plus '.', as useradd accepts; at most 32 characters. */
        return *s && strlen(s) <= 32 && !isdigit((unsigned char)*s) && *s != '-' && *s != '.' &&
               is_all(s, ALNUM "_.-");
}

static int parse_user(ParseState *st, const ConfigKey *k, const char *value, void *field)
{
        uint64_t uid;
        int r;
        (void)k;

        r = remember_location(st, &st->user_at, *value);
        if (r < 0)
                return r;
        if (!*value)
                return assign_string(field, NULL);
        if (parse_uint64(value, false, &uid) == 0) {
                if (uid >= 65535)
                        return key_error(st,
                                         "UID %s is outside the container's range (expected a UID from 0 "
                                         "to 65534, or a user name)",
                                         value);
        } else if (!user_name_is_valid(value))
                return key_error(st, "invalid user (expected a user name of letters, digits, '_', '.' and "
                                     "'-', or a numeric UID from 0 to 65534)");
        return assign_string(field, value);
}

static bool env_name_is_valid(const char *s, size_t n)
{
        if (n == 0 || isdigit((unsigned char)s[0]))
                return false;
        for (size_t i = 0; i < n; i++)
                if (!isalnum((unsigned char)s[i]) && s[i] != '_')
                        return false;
        return true;
}

static bool env_assignment_is_valid(const char *s)
{
        const char *eq = strchr(s, '=');
        return eq && env_name_is_valid(s, eq - s);
}

static int parse_environment(ParseState *st, const ConfigKey *k, const char *value, void *field)
{
        (void)k;
        return parse_checked_list(
                st, value, field, env_assignment_is_valid, "invalid assignment",
                "NAME=VALUE, NAME made of letters, digits and '_', not starting with a digit", LIST_ENV);
}

static int parse_hostname(ParseState *st, const ConfigKey *k, const char *value, void *field)
{
        (void)k;
        if (*value && !hostname_is_valid(value))
                return key_error(st, "invalid hostname (expected letters, digits and '-' in dot-separated "
                                     "labels, at most 64 characters)");
        return assign_string(field, *value ? value : NULL);
}

static int parse_bool(ParseState *st, const ConfigKey *k, const char *value, void *field)
{
        int b;

        if (!*value) {
                *(bool *)field = k->arg;
                return 0;
        }
        b = parse_boolean(value);
        if (b < 0)
                return key_error(st, "invalid boolean (expected yes, no, true, false, on, off, 1 or 0)");
        *(bool *)field = b;
        return 0;
}

static int parse_bool_remembered(ParseState *st, const ConfigKey *k, const char *value, void *field,
                                 char **at)
{
        int r = parse_bool(st, k, value, field);
        if (r < 0)
                return r;
        return remember_location(st, at, *value);
}

static int parse_init(ParseState *st, const ConfigKey *k, const char *value, void *field)
{
        return parse_bool_remembered(st, k, value, field, &st->init_at);
}

static int parse_ephemeral(ParseState *st, const ConfigKey *k, const char *value, void *field)
{
        return parse_bool_remembered(st, k, value, field, &st->ephemeral_at);
}

static int parse_read_only(ParseState *st, const ConfigKey *k, const char *value, void *field)
{
        return parse_bool_remembered(st, k, value, field, &st->read_only_at);
}

static int parse_notify(ParseState *st, const ConfigKey *k, const char *value, void *field)
{
        return parse_bool_remembered(st, k, value, field, &st->notify_at);
}

static int parse_number(ParseState *st, const ConfigKey *k, const char *value, void *field)
{
        uint64_t v;

        if (!*value) {
                *(uint64_t *)field = k->number->empty;
                return 0;
        }
        if (k->number->convert(value, &v) < 0)
                return key_error(st, "%s", k->number->message);
        *(uint64_t *)field = v;
        return 0;
}

static int convert_time_span(const char *s, uint64_t *ret)
{
        int r = parse_time_span(s, ret);
        return r < 0 ? r : *ret == CONFIG_UNSET ? -ERANGE : 0;
}

/* LoadCredential=ID:PATH, SetCredential=ID:VALUE, ImportCredential=GLOB. A SetCredential= value
 * is a secret: its errors show "ID:..." only (key_location()). */
static void credentials_reset(ContainerConfig *c, bool load)
{
        size_t j = 0;

        for (size_t i = 0; i < c->n_credentials; i++) {
                CredentialSource *cr = &c->credentials[i];
                if ((cr->path != NULL) != load) {
                        c->credentials[j++] = *cr;
                        continue;
                }
                credential_source_done(cr);
        }
        c->n_credentials = j;
        if (j == 0) {
                free(c->credentials);
                c->credentials = NULL;
        }
}

/* Splits ID:REST; an error line when the ID is missing or not a valid file name. */
static int credential_split(ParseState *st, const char *value, const char *what, char **ret_id,
                            const char **ret_rest)
{
        const char *colon = strchr(value, ':');
        _cleanup_free_ char *id = colon ? strndup(value, colon - value) : NULL;

        if (!colon)
                return key_error(st, "missing ':' (expected ID:%s)", what);
        if (!id)
                return -ENOMEM;
        if (!credential_id_is_valid(id)) {
                _cleanup_free_ char *shown = display_text(id);
                if (!shown)
                        return -ENOMEM;
                return key_error(st,
                                 "invalid credential ID \"%s\" (expected ID:%s with an ID that is a file "
                                 "name: not empty, no '/', not \".\" or \"..\", at most %u bytes)",
                                 shown, what, CREDENTIAL_ID_MAX);
        }
        for (size_t i = 0; i < st->config->n_credentials; i++)
                if (streq(st->config->credentials[i].id, id))
                        return key_error(
                                st,
                                "duplicate credential ID \"%s\", already given at %s (expected each "
                                "ID once, or an empty assignment first to reset the list)",
                                id, st->config->credentials[i].location);
        *ret_id = TAKE_PTR(id);
        *ret_rest = colon + 1;
        return 0;
}

static int credential_add(ParseState *st, char *id, char *path, char *value)
{
        ContainerConfig *c = st->config;
        CredentialSource *a;
        char *loc = NULL;

        if (c->n_credentials >= CREDENTIALS_COUNT_MAX)
                return key_error(st, "too many credentials (expected at most %u)", CREDENTIALS_COUNT_MAX);
        if (asprintf(&loc, "%s:%u", st->file, st->line) < 0)
                return -ENOMEM;
        a = reallocarray(c->credentials, c->n_credentials + 1, sizeof(CredentialSource));
        if (!a) {
                free(loc);
                return -ENOMEM;
        }
        c->credentials = a;
        a[c->n_credentials++] =
                (CredentialSource){ .id = id, .path = path, .value = value, .location = loc };
        return 0;
}

static int parse_load_credential(ParseState *st, const ConfigKey *k, const char *value, void *field)
{
        _cleanup_free_ char *id = NULL, *path = NULL;
        const char *rest;
        int r;
        (void)k, (void)field;

        if (!*value) {
                credentials_reset(st->config, true);
                return 0;
        }
        r = credential_split(st, value, "PATH", &id, &rest);
        if (r < 0)
                return r;
        if (path_normalize_absolute(rest, &path) < 0)
                return bad_word(st, "invalid credential source", rest,
                                "an absolute path without \"..\" components");
        r = credential_add(st, id, path, NULL);
        if (r >= 0)
                id = path = NULL;
        return r;
}

static int parse_set_credential(ParseState *st, const ConfigKey *k, const char *value, void *field)
{
        _cleanup_free_ char *id = NULL;
        const char *rest;
        char *v;
        int r;
        (void)k, (void)field;

        if (!*value) {
                credentials_reset(st->config, false);
                return 0;
        }
        r = credential_split(st, value, "VALUE", &id, &rest);
        if (r < 0)
                return r;
        if (strlen(rest) > CREDENTIAL_SIZE_MAX)
                return key_error(st, "credential value too long (expected at most %u bytes)",
                                 CREDENTIAL_SIZE_MAX);
        v = strdup(rest);
        if (!v)
                return -ENOMEM;
        r = credential_add(st, id, NULL, v);
        if (r < 0) {
                explicit_bzero(v, strlen(v));
                free(v);
                return r;
        }
        id = NULL;
        return 0;
}

static int parse_import_credential(ParseState *st, const ConfigKey *k, const char *value, void *field)
{
        char ***list = field;
        (void)k;

        if (!*value) {
                *list = strv_free(*list);
                return 0;
        }
        if (strlen(value) > CREDENTIAL_ID_MAX || strchr(value, '/') || !credential_id_is_valid(value))
                return key_error(st,
                                 "invalid credential glob (expected a glob over credential IDs, e.g. "
                                 "\"db.*\": no '/', at most %u bytes)",
                                 CREDENTIAL_ID_MAX);
        if (strv_contains(*list, value))
                return 0;
        return strv_extend(list, value);
}

/* ---- [Resources] ---- */

static int convert_cpu_quota(const char *s, uint64_t *ret)
{
        uint64_t hundredths;
        int r = parse_percent_hundredths(s, &hundredths);

        if (r < 0 || hundredths == 0 || hundredths > UINT64_C(100000000))
                return -EINVAL;
        *ret = hundredths * 100; /* 1% of one CPU is 10000us of CPU time per second */
        return 0;
}

static int convert_weight(const char *s, uint64_t *ret)
{
        int r = parse_uint64(s, false, ret);
        return r < 0 ? r : (*ret < 1 || *ret > WEIGHT_MAX) ? -ERANGE : 0;
}

static int convert_tasks(const char *s, uint64_t *ret)
{
        int r;

        if (streq(s, "infinity")) {
                *ret = CONFIG_SIZE_INFINITY;
                return 0;
        }
        r = parse_uint64(s, false, ret);
        return r < 0 ? r : (*ret < 1 || *ret >= CONFIG_UNSET) ? -ERANGE : 0;
}

static int parse_cpu_list(ParseState *st, const ConfigKey *k, const char *value, void *field)
{
        _cleanup_free_ char *copy = NULL, *out = NULL;
        size_t n = 0;
        char *saveptr = NULL;
        (void)k;

        if (!*value)
                return assign_string(field, NULL);
        copy = strdup(value);
        out = malloc(strlen(value) * 2 + 2);
        if (!copy || !out)
                return -ENOMEM;
        for (char *item = strtok_r(copy, ", \t", &saveptr); item; item = strtok_r(NULL, ", \t", &saveptr)) {
                char *dash = strchr(item, '-');
                uint64_t lo, hi;

                if (dash)
                        *dash = 0;
                if (parse_uint64(item, false, &lo) < 0 || (dash && parse_uint64(dash + 1, false, &hi) < 0))
                        goto invalid;
                if (!dash)
                        hi = lo;
                if (lo > hi || hi > CPU_INDEX_MAX)
                        goto invalid;
                n += sprintf(out + n, n ? ",%" PRIu64 : "%" PRIu64, lo);
                if (hi != lo)
                        n += sprintf(out + n, "-%" PRIu64, hi);
        }
        if (n == 0)
                goto invalid;
        return assign_string(field, out);
invalid:
        return key_error(st,
                         "invalid CPU list (expected CPU numbers and ranges from 0 to %d, such as 0-3,6)",
                         CPU_INDEX_MAX);
}

static bool slice_name_is_valid(const char *s)
{
        size_t n = strlen(s);

        if (streq(s, "-.slice"))
                return true;
        if (n > 255 || !endswith(s, ".slice") || n == strlen(".slice"))
                return false;
        if (!is_all(s, ALNUM ":_.-\\"))
                return false;
        /* Dashes are the hierarchy separator: none leading, doubled or trailing. */
        return s[0] != '-' && !strstr(s, "--") && s[n - strlen(".slice") - 1] != '-';
}

static int parse_slice(ParseState *st, const ConfigKey *k, const char *value, void *field)
{
        (void)k;
        if (!*value)
                return assign_string(field, "machine.slice");
        if (!slice_name_is_valid(value))
                return key_error(st, "invalid slice name (expected a unit name ending in .slice, such as "
                                     "machine.slice)");
        return assign_string(field, value);
}

/* ---- [Security] ---- */

static int parse_private_users(ParseState *st, const ConfigKey *k, const char *value, void *field)
{
        ContainerConfig *c = st->config;
        _cleanup_free_ char *base_s = NULL;
        const char *colon;
        uint64_t base, size = UID_RANGE_SIZE;
        int b;
        (void)field, (void)k;

        c->uid_base = 0;
        c->uid_size = UID_RANGE_SIZE;
        if (!*value || streq(value, "pick")) {
                c->private_users = PRIVATE_USERS_PICK;
                return 0;
        }
        if (streq(value, "identity")) {
                c->private_users = PRIVATE_USERS_IDENTITY;
                return 0;
        }
        b = parse_boolean(value);
        if (b >= 0) {
                c->private_users = b ? PRIVATE_USERS_PICK : PRIVATE_USERS_NO;
                return 0;
        }

        colon = strchr(value, ':');
        base_s = colon ? strndup(value, colon - value) : strdup(value);
        if (!base_s)
                return -ENOMEM;
        if (parse_uint64(base_s, true, &base) < 0 || (colon && parse_uint64(colon + 1, true, &size) < 0))
                return key_error(st, "invalid user namespace setting (expected pick, identity, no, or "
                                     "BASE[:SIZE] with a numeric UID base)");
        if (base % UID_RANGE_SIZE != 0 || base < UID_RANGE_MIN || base > UID_RANGE_MAX)
                return key_error(st, "invalid UID base (expected a multiple of 65536 from 0x00080000 to "
                                     "0x6FFF0000)");
        if (size < 1 || size > UID_RANGE_SIZE)
                return key_error(st, "invalid UID range size (expected 1 to 65536)");
        c->private_users = PRIVATE_USERS_FIXED;
        c->uid_base = (uid_t)base;
        c->uid_size = (uint32_t)size;
        return 0;
}

static int capability_from_name(const char *word, uint64_t *ret)
{
        _cleanup_free_ char *name = NULL;
        cap_value_t v;

        if (streq(word, "all")) {
                *ret = cap_max_bits() >= 64 ? UINT64_MAX : (UINT64_C(1) << cap_max_bits()) - 1;
                return 0;
        }
        if (strncasecmp(word, "cap_", 4) == 0)
                word += 4;
        if (!is_all(word, ALNUM "_") || !isalpha((unsigned char)word[0])) /* libcap also takes numbers */
                return -EINVAL;
        if (asprintf(&name, "cap_%s", word) < 0)
                return -ENOMEM;
        for (char *p = name; *p; p++)
                *p = tolower((unsigned char)*p);
        if (cap_from_name(name, &v) < 0 || v < 0 || v >= 64)
                return -EINVAL;
        *ret = UINT64_C(1) << v;
        return 0;
}

static int parse_capabilities(ParseState *st, const ConfigKey *k, const char *value, void *field)
{
        _cleanup_strv_free_ char **l = NULL;
        uint64_t mask = 0;
        int r;
        (void)k;

        r = split_words(st, value, &l);
        if (r <= 0) {
                if (r == 0)
                        *(uint64_t *)field = 0;
                return r;
        }
        STRV_FOREACH (w, l) {
                uint64_t bit;
                r = capability_from_name(*w, &bit);
                if (r == -ENOMEM)
                        return r;
                if (r < 0)
                        return bad_word(st, "unknown capability", *w,
                                        "names such as CAP_NET_ADMIN or net_admin, or \"all\"");
                mask |= bit;
        }
        *(uint64_t *)field |= mask;
        return 0;
}

static bool syscall_entry_is_valid(const char *s)
{
        if (*s == '~')
                s++;
        if (*s == '@')
                return is_all(s + 1, LOWER_DIGITS "_-") && s[1] != '-';
        return is_all(s, LOWER_DIGITS "_") && !isdigit((unsigned char)*s);
}

static int parse_syscall_filter(ParseState *st, const ConfigKey *k, const char *value, void *field)
{
        (void)k;
        return parse_checked_list(st, value, field, syscall_entry_is_valid,
                                  "invalid system call filter entry",
                                  "NAME, @SET, ~NAME or ~@SET in lower case", LIST_APPEND);
}

static int parse_selinux_type(ParseState *st, const ConfigKey *k, const char *value, void *field)
{
        int r;
        (void)k;

        if (*value && (!is_all(value, ALNUM "_") || isdigit((unsigned char)value[0])))
                return key_error(st, "invalid SELinux type (expected a type name such as container_t)");
        r = remember_location(st, &st->selinux_type_at, *value);
        if (r < 0)
                return r;
        return assign_string(field, *value ? value : NULL);
}

static bool selinux_label_is_valid(const char *s)
{
        /* USER:ROLE:TYPE:LEVEL; the MLS level may itself contain ':' (s0-s0:c0.c1023) and ','. */
        for (int i = 0; i < 3; i++) {
                size_t n = strspn(s, ALNUM "_.");
                if (n == 0 || s[n] != ':')
                        return false;
                s += n + 1;
        }
        return is_all(s, ALNUM "_.,:-");
}

static int parse_selinux_label(ParseState *st, const ConfigKey *k, const char *value, void *field)
{
        int r;
        (void)k;

        if (*value && !streq(value, "disable") && !selinux_label_is_valid(value))
                return key_error(st, "invalid SELinux label (expected USER:ROLE:TYPE:LEVEL such as "
                                     "system_u:system_r:container_t:s0:c1,c2, or \"disable\")");
        r = remember_location(st, &st->selinux_label_at, *value);
        if (r < 0)
                return r;
        return assign_string(field, *value ? value : NULL);
}

/* DeviceAllow=DEVICE [ACCESS], as systemd's: DEVICE a node below /dev or char-GROUP/block-GROUP,
 * ACCESS some of r, w, m (default rwm). Repeatable; a device given again adds its access; an
 * empty assignment resets the list. Whether a path is a device node is the host's to say now
 * (config_check_device_allow()). */
static bool device_group_is_valid(const char *s)
{
        const char *g = strneq(s, "char-", 5) ? s + 5 : strneq(s, "block-", 6) ? s + 6 : NULL;
        return g && strlen(g) <= 64 && is_all(g, ALNUM "_.+-");
}

/* ret = the letters of "rwm" in given (all when NULL) or in old, in that order. */
static void device_access(const char *given, const char *old, char ret[static 4])
{
        size_t n = 0;

        for (const char *p = "rwm"; *p; p++)
                if (!given || strchr(given, *p) || strchr(old, *p))
                        ret[n++] = *p;
        ret[n] = 0;
}

static int parse_device_allow(ParseState *st, const ConfigKey *k, const char *value, void *field)
{
        ContainerConfig *c = st->config;
        _cleanup_strv_free_ char **w = NULL;
        _cleanup_free_ char *device = NULL, *loc = NULL;
        char access[4] = "";
        DeviceAllow *a;
        int r;
        (void)k, (void)field;

        r = split_words(st, value, &w);
        if (r <= 0) {
                if (r == 0) {
                        for (size_t i = 0; i < c->n_device_allow; i++) {
                                free(c->device_allow[i].device);
                                free(c->device_allow[i].location);
                        }
                        free(c->device_allow);
                        c->device_allow = NULL;
                        c->n_device_allow = 0;
                }
                return r;
        }
        if (strv_length(w) > 2)
                return key_error(st,
                                 "too many words (expected a device and its access, e.g. \"/dev/fuse rw\")");
        if (w[0][0] == '/') {
                if (path_normalize_absolute(w[0], &device) < 0 || !strneq(device, "/dev/", 5))
                        return bad_word(
                                st, "invalid device", w[0],
                                "a device node below /dev such as /dev/fuse, without \"..\" components, "
                                "or char-GROUP/block-GROUP");
        } else {
                if (!device_group_is_valid(w[0]))
                        return bad_word(
                                st, "invalid device", w[0],
                                "a device node below /dev such as /dev/fuse, or char-GROUP/block-GROUP "
                                "with a group named in /proc/devices");
                device = strdup(w[0]);
                if (!device)
                        return -ENOMEM;
        }
        if (w[1] && (!is_all(w[1], "rwm") || strlen(w[1]) > 3))
                return bad_word(st, "invalid device access", w[1], "some of r, w and m, e.g. rw");
        /* in rwm order, each once; the union with what an earlier assignment allowed */
        for (size_t i = 0; i < c->n_device_allow; i++)
                if (streq(c->device_allow[i].device, device)) {
                        device_access(w[1], c->device_allow[i].access, access);
                        memcpy(c->device_allow[i].access, access, sizeof(access));
                        return 0;
                }
        device_access(w[1], "", access);
        loc = key_location(st);
        if (!loc)
                return -ENOMEM;
        a = reallocarray(c->device_allow, c->n_device_allow + 1, sizeof(DeviceAllow));
        if (!a)
                return -ENOMEM;
        c->device_allow = a;
        a[c->n_device_allow] = (DeviceAllow){ .device = TAKE_PTR(device), .location = TAKE_PTR(loc) };
        memcpy(a[c->n_device_allow].access, access, sizeof(access));
        c->n_device_allow++;
        return 0;
}

/* ---- [Files] ---- */

static void binds_clear(ContainerConfig *c)
{
        for (size_t i = 0; i < c->n_binds; i++) {
                free(c->binds[i].source);
                free(c->binds[i].target);
        }
        free(c->binds);
        c->binds = NULL;
        c->n_binds = 0;
}

static void tmpfs_clear(ContainerConfig *c)
{
        for (size_t i = 0; i < c->n_tmpfs; i++) {
                free(c->tmpfs[i].target);
                free(c->tmpfs[i].options);
        }
        free(c->tmpfs);
        c->tmpfs = NULL;
        c->n_tmpfs = 0;
}

/* Normalizes one path of a bind or tmpfs entry; an error line naming it when it is bad. */
static int mount_path(ParseState *st, const char *what, const char *p, bool target, char **ret)
{
        if (path_normalize_absolute(p, ret) < 0)
                return bad_word(st, what, p, "an absolute path without \"..\" components");
        if (target && streq(*ret, "/")) {
                free(*ret);
                *ret = NULL;
                return bad_word(st, what, p, "a directory below /, not the container's root");
        }
        return 0;
}

static int parse_one_bind(ParseState *st, const char *entry, bool read_only, BindMount *ret)
{
        _cleanup_free_ char *copy = strdup(entry), *src = NULL, *dst = NULL;
        char *dst_s, *opts;
        BindMount b = { .read_only = read_only, .recursive = true };
        int r;

        if (!copy)
                return -ENOMEM;
        dst_s = strchr(copy, ':');
        if (dst_s)
                *dst_s++ = 0;
        opts = dst_s ? strchr(dst_s, ':') : NULL;
        if (opts)
                *opts++ = 0;

        r = mount_path(st, "invalid bind source", copy, false, &src);
        if (r < 0)
                return r;
        r = mount_path(st, "invalid bind destination", dst_s && *dst_s ? dst_s : copy, true, &dst);
        if (r < 0)
                return r;

        for (char *o = opts, *next; o; o = next) {
                next = strchr(o, ',');
                if (next)
                        *next++ = 0;
                if (streq(o, "rbind"))
                        b.recursive = true;
                else if (streq(o, "norbind"))
                        b.recursive = false;
                else if (streq(o, "idmap"))
                        b.idmap = true;
                else if (streq(o, "ro"))
                        b.read_only = true;
                else
                        return bad_word(st, "unknown bind option", o,
                                        "rbind, norbind, idmap or ro, comma-separated");
        }
        b.source = TAKE_PTR(src);
        b.target = TAKE_PTR(dst);
        *ret = b;
        return 0;
}

static int parse_binds(ParseState *st, const ConfigKey *k, const char *value, void *field)
{
        ContainerConfig *c = st->config;
        _cleanup_strv_free_ char **l = NULL;
        size_t n, done;
        BindMount *parsed;
        int r;
        (void)field;

        r = split_words(st, value, &l);
        if (r <= 0) {
                if (r == 0) /* Bind= and BindReadOnly= share one list; an empty assignment resets it */
                        binds_clear(c);
                return r;
        }
        n = strv_length(l);
        parsed = calloc(n, sizeof(BindMount));
        if (!parsed)
                return -ENOMEM;
        for (done = 0; done < n; done++) {
                r = parse_one_bind(st, l[done], k->arg, &parsed[done]);
                if (r < 0)
                        break;
        }
        if (r >= 0) {
                BindMount *b = reallocarray(c->binds, c->n_binds + n, sizeof(BindMount));
                if (!b)
                        r = -ENOMEM;
                else {
                        memcpy(b + c->n_binds, parsed, n * sizeof(BindMount));
                        c->binds = b;
                        c->n_binds += n;
                        done = 0; /* now owned by the config */
                }
        }
        for (size_t i = 0; i < done; i++) {
                free(parsed[i].source);
                free(parsed[i].target);
        }
        free(parsed);
        return r;
}

static int parse_tmpfs(ParseState *st, const ConfigKey *k, const char *value, void *field)
{
        ContainerConfig *c = st->config;
        _cleanup_strv_free_ char **l = NULL;
        int r;
        (void)field, (void)k;

        r = split_words(st, value, &l);
        if (r <= 0) {
                if (r == 0)
                        tmpfs_clear(c);
                return r;
        }
        /* Check every entry before changing the config, so a bad line changes nothing. */
        STRV_FOREACH (w, l) {
                _cleanup_free_ char *copy = strdup(*w), *p = NULL;
                char *opts;

                if (!copy)
                        return -ENOMEM;
                opts = strchr(copy, ':');
                if (opts)
                        *opts++ = 0;
                r = mount_path(st, "invalid tmpfs path", copy, true, &p);
                if (r < 0)
                        return r;
                for (char *o = opts, *next; o; o = next) {
                        next = strchr(o, ',');
                        if (next)
                                *next++ = 0;
                        if (!tmpfs_option_is_valid(o))
                                return bad_word(st, "invalid tmpfs option", o, tmpfs_options_expected());
                }
        }
        STRV_FOREACH (w, l) {
                const char *colon = strchr(*w, ':');
                _cleanup_free_ char *path = colon ? strndup(*w, colon - *w) : strdup(*w);
                TmpfsMount t = {};
                TmpfsMount *a;

                if (!path)
                        return -ENOMEM;
                r = path_normalize_absolute(path, &t.target);
                if (r < 0)
                        return r;
                if (colon && colon[1]) {
                        t.options = strdup(colon + 1);
                        if (!t.options) {
                                free(t.target);
                                return -ENOMEM;
                        }
                }
                a = reallocarray(c->tmpfs, c->n_tmpfs + 1, sizeof(TmpfsMount));
                if (!a) {
                        free(t.target);
                        free(t.options);
                        return -ENOMEM;
                }
                c->tmpfs = a;
                c->tmpfs[c->n_tmpfs++] = t;
        }
        return 0;
}

/* ShmSize=, RunSize=, TmpSize=: bytes (K, M, G, T suffixes) or a percentage of host memory, as
 * tmpfs takes it; stored as the tmpfs size= value. Empty: the default again. */
static int parse_tmpfs_size(ParseState *st, const ConfigKey *k, const char *value, void *field)
{
        const char *def = streq(k->key, "ShmSize")   ? CONFIG_DEFAULT_SHM_SIZE
                          : streq(k->key, "RunSize") ? CONFIG_DEFAULT_RUN_SIZE
                                                     : CONFIG_DEFAULT_TMP_SIZE;
        char **p = field, *s;
        uint64_t v;

        if (!*value)
                s = strdup(def);
        else if (endswith(value, "%")) {
                char *end;
                unsigned long pct;

                errno = 0;
                pct = strtoul(value, &end, 10);
                if (!isdigit((unsigned char)value[0]) || errno || *end != '%' || end[1] || pct < 1 ||
                    pct > 100)
                        return key_error(st,
                                         "invalid size (expected a percentage of memory from 1%% to 100%%, "
                                         "or bytes with K, M, G or T suffix)");
                s = strdup(value);
        } else {
                if (parse_size(value, &v) < 0 || v == UINT64_MAX || v < 4096)
                        return key_error(st,
                                         "invalid size (expected bytes with K, M, G or T suffix, at least "
                                         "4K, or a percentage of memory such as 20%%)");
                if (asprintf(&s, "%" PRIu64, v) < 0)
                        s = NULL;
        }
        if (!s)
                return -ENOMEM;
        free(*p);
        *p = s;
        return 0;
}

/* ---- [Install] ---- */

static bool unit_name_is_valid(const char *s)
{
        const char *dot = strrchr(s, '.');
        return strlen(s) <= 255 && dot && dot != s && dot[1] && is_all(dot + 1, LOWER_DIGITS) &&
               is_all(s, ALNUM ":_.@\\-") && s[0] != '.';
}

static int parse_unit_list(ParseState *st, const ConfigKey *k, const char *value, void *field)
{
        (void)k;
        return parse_checked_list(st, value, field, unit_name_is_valid, "invalid unit name",
                                  "a unit name such as machines.target", LIST_UNIQUE);
}

/* Alias=: systemd lets an instance (berth@NAME.service) be aliased only by another instance of the
 * same type and instance name, or by a template, which it fills in with the instance: ALIAS@NAME.service
 * or ALIAS@.service (stored as ALIAS@NAME.service). A plain name (web.service) is refused, as
 * systemd would refuse the symlink. */
static const char *alias_instance;

static bool alias_is_valid(const char *s)
{
        const char *at = strchr(s, '@');
        size_t l = strlen(s);

        if (!unit_name_is_valid(s) || !endswith(s, ".service") || !at || at == s ||
            strncmp(s, "berth@", 6) == 0)
                return false;
        l -= strlen(".service");
        l -= (size_t)(at + 1 - s); /* the instance's length */
        return l == 0 || (l == strlen(alias_instance) && strncmp(at + 1, alias_instance, l) == 0);
}

static int parse_alias(ParseState *st, const ConfigKey *k, const char *value, void *field)
{
        char ***list = field;
        int r;

        (void)k;
        alias_instance = st->config->name;
        r = parse_checked_list(st, value, list, alias_is_valid, "invalid alias",
                               "ALIAS@.service or ALIAS@%i.service: systemd aliases an instance only by "
                               "another instance of the same name",
                               LIST_UNIQUE);
        if (r < 0)
                return r;
        /* a template alias names this instance */
        for (char **a = *list; a && *a; a++)
                if (strstr(*a, "@.service")) {
                        char *s = NULL;
                        if (asprintf(&s, "%.*s@%s.service", (int)(strchr(*a, '@') - *a), *a,
                                     st->config->name) < 0)
                                return -ENOMEM;
                        free(*a);
                        *a = s;
                }
        return r;
}

/* ---- [Network] ---- */

static int parse_private_network(ParseState *st, const ConfigKey *k, const char *value, void *field)
{
        return parse_bool_remembered(st, k, value, field, &st->private_network_at);
}

static int parse_virtual_ethernet(ParseState *st, const ConfigKey *k, const char *value, void *field)
{
        return parse_bool_remembered(st, k, value, field, &st->virtual_ethernet_at);
}

static int parse_ipv6(ParseState *st, const ConfigKey *k, const char *value, void *field)
{
        return parse_bool_remembered(st, k, value, field, &st->ipv6_at);
}

static int parse_host_access(ParseState *st, const ConfigKey *k, const char *value, void *field)
{
        return parse_bool_remembered(st, k, value, field, &st->host_access_at);
}

static int parse_link_local_access(ParseState *st, const ConfigKey *k, const char *value, void *field)
{
        return parse_bool_remembered(st, k, value, field, &st->link_local_access_at);
}

static int parse_address(ParseState *st, const ConfigKey *k, const char *value, void *field)
{
        uint32_t a;
        uint8_t p;
        (void)k;

        if (!*value) {
                *(uint32_t *)field = 0;
                return 0;
        }
        if (net_parse_ipv4_prefix(value, NET_SUBNET_PREFIX, &a, &p) < 0 || p != NET_SUBNET_PREFIX ||
            (a & ~net_prefix_mask(NET_SUBNET_PREFIX)) != 0 || a == 0)
                return key_error(st, "invalid address (expected the network of the container's /30, such "
                                     "as 10.213.7.4/30: the host gets .5, the container .6)");
        *(uint32_t *)field = a;
        return 0;
}

static int parse_address_pool(ParseState *st, const ConfigKey *k, const char *value, void *field)
{
        ContainerConfig *c = st->config;
        uint32_t a;
        uint8_t p;
        int r;
        (void)k, (void)field;

        if (!*value) {
                c->address_pool = CONFIG_ADDRESS_POOL_DEFAULT;
                c->address_pool_prefix = CONFIG_ADDRESS_POOL_PREFIX_DEFAULT;
                c->address_pool_set = false;
                return remember_location(st, &st->address_pool_at, false);
        }
        if (net_parse_ipv4_prefix(value, 32, &a, &p) < 0 || !strchr(value, '/') || p < 8 ||
            p > NET_SUBNET_PREFIX || (a & ~net_prefix_mask(p)) != 0)
                return key_error(st, "invalid address pool (expected a network from /8 to /30 in CIDR "
                                     "notation with its host bits zero, such as 10.213.0.0/16)");
        c->address_pool = a;
        c->address_pool_prefix = p;
        c->address_pool_set = true;
        r = remember_location(st, &st->address_pool_at, true);
        return r;
}

static int parse_ports(ParseState *st, const ConfigKey *k, const char *value, void *field)
{
        ContainerConfig *c = st->config;
        _cleanup_strv_free_ char **words = NULL;
        _cleanup_free_ PortForward *v = NULL;
        size_t n;
        int r;
        (void)k, (void)field;

        r = split_words(st, value, &words);
        if (r <= 0) {
                if (r == 0) {
                        free(c->ports);
                        c->ports = NULL;
                        c->n_ports = 0;
                        r = remember_location(st, &st->port_at, false);
                }
                return r;
        }
        /* A bad word rejects the whole assignment: the new list is built aside. */
        n = c->n_ports;
        v = reallocarray(NULL, n + strv_length(words), sizeof(*v));
        if (!v)
                return -ENOMEM;
        if (n > 0)
                memcpy(v, c->ports, n * sizeof(*v));
        STRV_FOREACH (w, words) {
                PortForward p;

                r = net_parse_port(*w, &p);
                if (r == -ERANGE)
                        return bad_word(st, "port out of range in", *w, "ports from 1 to 65535");
                if (r < 0)
                        return bad_word(st, "invalid port", *w,
                                        "[tcp:|udp:]HOSTPORT[:CONTAINERPORT], such as 8080:80 or udp:53");
                for (size_t i = 0; i < n; i++)
                        if (v[i].protocol == p.protocol && v[i].host_port == p.host_port)
                                return key_error(st,
                                                 "duplicate port %s:%u (expected each host port once per "
                                                 "protocol: it leads to one container port)",
                                                 net_protocol_name(p.protocol), p.host_port);
                v[n++] = p;
        }
        if (!st->port_at) {
                r = remember_location(st, &st->port_at, true);
                if (r < 0)
                        return r;
        }
        free(c->ports);
        c->ports = TAKE_PTR(v);
        c->n_ports = n;
        return 0;
}

static int parse_resolv_conf(ParseState *st, const ConfigKey *k, const char *value, void *field)
{
        (void)k;

        if (!*value || streq(value, "auto"))
                *(ResolvConfMode *)field = RESOLV_CONF_AUTO;
        else if (streq(value, "no"))
                *(ResolvConfMode *)field = RESOLV_CONF_NO;
        else
                return key_error(st, "invalid value (expected auto or no)");
        return 0;
}

/* KillSignal=: a name as kill -l prints it, with or without "SIG" (TERM, SIGINT, RTMIN+3,
 * SIGRTMAX-2), or a number. Empty: the default. */
static int parse_kill_signal(ParseState *st, const ConfigKey *k, const char *value, void *field)
{
        const char *name = strncmp(value, "SIG", 3) == 0 ? value + 3 : value;
        int sig = 0;

        (void)k;
        if (*value) {
                char *end;
                long n;

                errno = 0;
                n = strtol(value, &end, 10);
                if (!errno && end != value && !*end)
                        sig = n > 0 && n < NSIG ? (int)n : 0;
                else if (strncmp(name, "RTMIN+", 6) == 0 || strncmp(name, "RTMAX-", 6) == 0) {
                        n = strtol(name + 6, &end, 10);
                        if (end != name + 6 && !*end && n >= 0 && n <= SIGRTMAX - SIGRTMIN)
                                sig = name[3] == 'I' ? SIGRTMIN + (int)n : SIGRTMAX - (int)n;
                } else if (streq(name, "RTMIN") || streq(name, "RTMAX"))
                        sig = name[3] == 'I' ? SIGRTMIN : SIGRTMAX;
                else
                        for (int i = 1; i < SIGRTMIN && !sig; i++)
                                if (sigabbrev_np(i) && streq(name, sigabbrev_np(i)))
                                        sig = i;
                if (sig == 0 || sig == SIGSTOP || sig == SIGCONT || sig == SIGCHLD)
                        return key_error(st,
                                         "invalid signal (expected a signal name such as SIGTERM, SIGINT or "
                                         "SIGRTMIN+3, or its number)");
        }
        *(int *)field = sig;
        return 0;
}

static const NumberKind number_time_span = {
        convert_time_span, CONFIG_UNSET,
        "invalid time span (expected a time such as 90s, 1min 30s or 500ms, or \"infinity\")"
};
static const NumberKind number_size = {
        parse_size, CONFIG_UNSET, "invalid size (expected bytes with K, M, G or T suffix, or \"infinity\")"
};
static const NumberKind number_cpu_quota = {
        convert_cpu_quota, CONFIG_UNSET,
        "invalid CPU quota (expected a percentage above 0%, e.g. 150% for one and a half CPUs)"
};
static const NumberKind number_weight = { convert_weight, CONFIG_UNSET,
                                          "invalid weight (expected an integer from 1 to 10000)" };
static const NumberKind number_tasks = {
        convert_tasks, CONFIG_DEFAULT_TASKS_MAX,
        "invalid task limit (expected a positive integer or \"infinity\")"
};

/* ---- the table ---- */

#define F(field) offsetof(ContainerConfig, field)

static const ConfigKey keys[] = {
        { "Container", "Directory", parse_directory, F(directory), 0, NULL, true },
        { "Container", "Exec", parse_exec, F(exec), 0, NULL, true },
        { "Container", "User", parse_user, F(user), 0, NULL, true },
        { "Container", "Environment", parse_environment, F(environment), 0, NULL, true },
        { "Container", "Hostname", parse_hostname, F(hostname), 0, NULL, true },
        { "Container", "WorkingDirectory", parse_abs_path, F(working_directory), 0, NULL, true },
        { "Container", "Boot", parse_bool, F(boot), false, NULL, false },
        { "Container", "Ephemeral", parse_ephemeral, F(ephemeral), false, NULL, false },
        { "Container", "ReadOnly", parse_read_only, F(read_only), false, NULL, false },
        { "Container", "Notify", parse_notify, F(notify_ready), false, NULL, false },
        { "Container", "TimeoutStopSec", parse_number, F(timeout_stop_usec), 0, &number_time_span, false },
        { "Container", "KillSignal", parse_kill_signal, F(kill_signal), 0, NULL, false },
        { "Container", "LoadCredential", parse_load_credential, F(credentials), 0, NULL, true },
        { "Container", "SetCredential", parse_set_credential, F(credentials), 0, NULL, false },
        { "Container", "ImportCredential", parse_import_credential, F(import_credentials), 0, NULL, false },
        { "Container", "Init", parse_init, F(init), false, NULL, false },
        { "Container", "ReloadSignal", parse_kill_signal, F(reload_signal), 0, NULL, false },
        { "Resources", "MemoryMax", parse_number, F(memory_max), 0, &number_size, false },
        { "Resources", "MemoryHigh", parse_number, F(memory_high), 0, &number_size, false },
        { "Resources", "CPUQuota", parse_number, F(cpu_quota_per_sec_usec), 0, &number_cpu_quota, false },
        { "Resources", "CPUWeight", parse_number, F(cpu_weight), 0, &number_weight, false },
        { "Resources", "TasksMax", parse_number, F(tasks_max), 0, &number_tasks, false },
        { "Resources", "IOWeight", parse_number, F(io_weight), 0, &number_weight, false },
        { "Resources", "AllowedCPUs", parse_cpu_list, F(allowed_cpus), 0, NULL, false },
        { "Resources", "Slice", parse_slice, F(slice), 0, NULL, false },
        { "Security", "PrivateUsers", parse_private_users, F(private_users), 0, NULL, false },
        { "Security", "Capability", parse_capabilities, F(capability_add), 0, NULL, false },
        { "Security", "DropCapability", parse_capabilities, F(capability_drop), 0, NULL, false },
        { "Security", "NoNewPrivileges", parse_bool, F(no_new_privileges), true, NULL, false },
        { "Security", "SystemCallFilter", parse_syscall_filter, F(syscall_filter), 0, NULL, false },
        { "Security", "SELinuxType", parse_selinux_type, F(selinux_type), 0, NULL, false },
        { "Security", "SELinuxLabel", parse_selinux_label, F(selinux_label), 0, NULL, false },
        { "Security", "DeviceAllow", parse_device_allow, F(device_allow), 0, NULL, true },
        { "Files", "Bind", parse_binds, F(binds), false, NULL, true },
        { "Files", "BindReadOnly", parse_binds, F(binds), true, NULL, true },
        { "Files", "TemporaryFileSystem", parse_tmpfs, F(tmpfs), 0, NULL, false },
        { "Files", "ShmSize", parse_tmpfs_size, F(shm_size), 0, NULL, false },
        { "Files", "RunSize", parse_tmpfs_size, F(run_size), 0, NULL, false },
        { "Files", "TmpSize", parse_tmpfs_size, F(tmp_size), 0, NULL, false },
        { "Network", "Private", parse_private_network, F(private_network), true, NULL, false },
        { "Network", "VirtualEthernet", parse_virtual_ethernet, F(virtual_ethernet), false, NULL, false },
        { "Network", "Address", parse_address, F(address), 0, NULL, false },
        { "Network", "AddressPool", parse_address_pool, F(address_pool), 0, NULL, false },
        { "Network", "Port", parse_ports, F(ports), 0, NULL, false },
        { "Network", "ResolvConf", parse_resolv_conf, F(resolv_conf), 0, NULL, false },
        { "Network", "IPv6", parse_ipv6, F(ipv6), false, NULL, false },
        { "Network", "HostAccess", parse_host_access, F(host_access), false, NULL, false },
        { "Network", "LinkLocalAccess", parse_link_local_access, F(link_local_access), false, NULL, false },
        { "Install", "WantedBy", parse_unit_list, F(wanted_by), 0, NULL, false },
        { "Install", "RequiredBy", parse_unit_list, F(required_by), 0, NULL, false },
        { "Install", "UpheldBy", parse_unit_list, F(upheld_by), 0, NULL, false },
        { "Install", "Alias", parse_alias, F(aliases), 0, NULL, true },
        { "Unit", "After", parse_unit_list, F(unit_after), 0, NULL, false },
        { "Unit", "Before", parse_unit_list, F(unit_before), 0, NULL, false },
        { "Unit", "Requires", parse_unit_list, F(unit_requires), 0, NULL, false },
        { "Unit", "Wants", parse_unit_list, F(unit_wants), 0, NULL, false },
        { "Unit", "BindsTo", parse_unit_list, F(unit_binds_to), 0, NULL, false },
        { "Unit", "PartOf", parse_unit_list, F(unit_part_of), 0, NULL, false },
};

const char *config_section_lookup(const char *section)
{
        for (size_t i = 0; i < ELEMENTSOF(sections); i++)
                if (streq(section, sections[i]))
                        return sections[i];
        return NULL;
}

/* True when every character of a appears in b in order ("MemMax" in "MemoryMax"), ignoring case. */
static bool is_abbreviation(const char *a, const char *b)
{
        for (; *a && *b; b++)
                if (tolower((unsigned char)*a) == tolower((unsigned char)*b))
                        a++;
        return !*a;
}

/* The closest candidate, if it is unique and close: at most SUGGEST_MAX_DISTANCE edits (a quarter
 * of the word's length for long words), or the word abbreviates it. NULL otherwise. */
static const char *suggest(const char *word, const char *const *candidates, size_t n, size_t stride)
{
        const char *best = NULL;
        size_t best_d = SIZE_MAX;
        bool tie = false;

        for (size_t i = 0; i < n; i++) {
                const char *cand = *(const char *const *)((const char *)candidates + i * stride);
                size_t d = string_edit_distance(word, cand);

                if (d > SUGGEST_MAX_DISTANCE && d > strlen(word) / 4 &&
                    !(strlen(word) >= 3 && is_abbreviation(word, cand)))
                        continue;
                if (d < best_d) {
                        best = cand;
                        best_d = d;
                        tie = false;
                } else if (d == best_d && !streq(cand, best))
                        tie = true;
        }
        return tie ? NULL : best;
}

const char *config_section_suggest(const char *section)
{
        return suggest(section, sections, ELEMENTSOF(sections), sizeof(sections[0]));
}

static int unknown_key(ParseState *st, const char *key)
{
        const char *names[ELEMENTSOF(keys)];
        const char *s;
        size_t n = 0;

        for (size_t i = 0; i < ELEMENTSOF(keys); i++)
                if (streq(keys[i].key, key))
                        return key_error(st, "unknown key in [%s] (%s= belongs in [%s])", st->section, key,
                                         keys[i].section);
        for (size_t i = 0; i < ELEMENTSOF(keys); i++)
                if (streq(keys[i].section, st->section))
                        names[n++] = keys[i].key;
        s = suggest(key, names, n, sizeof(names[0]));
        if (s)
                return key_error(st, "unknown key (did you mean %s=?)", s);
        /* A misspelt key that also sits in the wrong section. */
        s = suggest(key, &keys[0].key, ELEMENTSOF(keys), sizeof(keys[0]));
        for (size_t i = 0; s && i < ELEMENTSOF(keys); i++)
                if (keys[i].key == s)
                        return key_error(st, "unknown key (did you mean %s= in [%s]?)", s, keys[i].section);
        return key_error(st, "unknown key (see berth.container(5) for the keys of [%s])", st->section);
}

/* Resolves %i (the container name) and %% in a value. */
static int expand_specifiers(ParseState *st, const char *value, char **ret)
{
        const char *name = st->config->name;
        size_t n = 0, extra = 0;
        char *out;

        for (const char *p = value; *p; p++)
                if (*p == '%')
                        extra += strlen(name);
        out = malloc(strlen(value) + extra + 1);
        if (!out)
                return -ENOMEM;
        for (const char *p = value; *p; p++) {
                if (*p != '%') {
                        out[n++] = *p;
                        continue;
                }
                p++;
                if (*p == '%')
                        out[n++] = '%';
                else if (*p == 'i') {
                        memcpy(out + n, name, strlen(name));
                        n += strlen(name);
                } else {
                        free(out);
                        if (!*p)
                                return key_error(st,
                                                 "incomplete specifier \"%%\" at the end (expected %%i for "
                                                 "the container name or %%%% for a literal %%)");
                        if ((unsigned char)*p >= 0x80 || *p < 0x20)
                                return key_error(st,
                                                 "unknown specifier (expected %%i for the container name or "
                                                 "%%%% for a literal %%)");
                        return key_error(st,
                                         "unknown specifier \"%%%c\" (expected %%i for the container name "
                                         "or %%%% for a literal %%)",
                                         *p);
                }
        }
        out[n] = 0;
        *ret = out;
        return 0;
}

int config_assign(ParseState *st, const char *key, const char *value)
{
        _cleanup_free_ char *expanded = NULL;
        int r;

        for (size_t i = 0; i < ELEMENTSOF(keys); i++) {
                if (!streq(keys[i].key, key) || !streq(keys[i].section, st->section))
                        continue;
                if (keys[i].specifiers) {
                        r = expand_specifiers(st, value, &expanded);
                        if (r < 0)
                                return r;
                        value = expanded;
                }
                return keys[i].parse(st, &keys[i], value, (char *)st->config + keys[i].offset);
        }
        return unknown_key(st, key);
}

/* AddressPool= against the host's networks (its addresses and routes, not berth's own links): a
 * pool inside a network the host uses would hand out addresses that collide with it. */
static int check_address_pool(ParseState *st)
{
        ContainerConfig *c = st->config;
        _cleanup_free_ NetPrefix *nets = NULL;
        size_t n = 0;
        char s1[16];

        if (netlink_host_networks(&nets, &n) < 0)
                return 0; /* not ours to judge here: the start reports what it finds */
        for (size_t i = 0; i < n; i++)
                if (net_prefix_overlaps(nets[i].addr, nets[i].prefix, c->address_pool,
                                        c->address_pool_prefix))
                        return located_error(st, st->address_pool_at,
                                             "overlaps the host's network %s/%u%s%s (expected a private "
                                             "range the host does not use, such as 10.213.0.0/16)",
                                             net_format_ipv4(nets[i].addr, s1), nets[i].prefix,
                                             nets[i].ifname[0] ? " on " : "", nets[i].ifname);
        return 0;
}

int config_finalize(ParseState *st)
{
        ContainerConfig *c = st->config;
        int r;

        if (!c->directory) {
                /* The host's own root is only ever lent out as a throw-away overlay. */
                if (st->ephemeral_at && !c->ephemeral) {
                        r = located_error(
                                st, st->ephemeral_at,
                                "without Directory= the host's root is used, which is only allowed "
                                "ephemeral (expected Ephemeral=yes, or a Directory=)");
                        if (r == -ENOMEM)
                                return r;
                }
                c->ephemeral = true;
                if (!st->read_only_at)
                        c->read_only = true;
        }
        if (c->boot && st->user_at) {
                r = located_error(st, st->user_at,
                                  "User= cannot be combined with Boot=yes (expected no User=: the init "
                                  "system starts as root and starts services as their users)");
                if (r == -ENOMEM)
                        return r;
        }
        if (c->boot && c->init) {
                r = located_error(st, st->init_at,
                                  "Init=yes cannot be combined with Boot=yes (expected Init=no: the "
                                  "booted init system is PID 1 and reaps itself)");
                if (r == -ENOMEM)
                        return r;
        }
        if (c->selinux_label && c->selinux_type) {
                r = located_error(st, st->selinux_label_at,
                                  "SELinuxLabel= and SELinuxType= exclude each other (expected only one: "
                                  "the label already names the type)");
                if (r == -ENOMEM)
                        return r;
        }
        if (c->virtual_ethernet && !c->private_network) {
                r = located_error(st, st->private_network_at,
                                  "Private=no cannot be combined with VirtualEthernet=yes (expected "
                                  "Private=yes: the veth pair is the container's own network namespace)");
                if (r == -ENOMEM)
                        return r;
        }
        if (c->n_ports > 0 && !c->virtual_ethernet) {
                r = located_error(st, st->port_at,
                                  "Port= needs VirtualEthernet=yes (expected VirtualEthernet=yes in "
                                  "[Network]: ports are published to the container's own interface)");
                if (r == -ENOMEM)
                        return r;
        }
        if (c->ipv6 && !c->virtual_ethernet) {
                r = located_error(st, st->ipv6_at,
                                  "IPv6=yes needs VirtualEthernet=yes (expected VirtualEthernet=yes in "
                                  "[Network]: the IPv6 address goes on the container's own interface)");
                if (r == -ENOMEM)
                        return r;
        }
        if (c->host_access && !c->virtual_ethernet) {
                r = located_error(st, st->host_access_at,
                                  "HostAccess=yes needs VirtualEthernet=yes (expected VirtualEthernet=yes "
                                  "in [Network]: HostAccess= opens the host to the container's own "
                                  "interface)");
                if (r == -ENOMEM)
                        return r;
        }
        if (c->link_local_access && !c->virtual_ethernet) {
                r = located_error(
                        st, st->link_local_access_at,
                        "LinkLocalAccess=yes needs VirtualEthernet=yes (expected VirtualEthernet=yes "
                        "in [Network]: LinkLocalAccess= lets the container's own interface reach "
                        "169.254.0.0/16 through the host)");
                if (r == -ENOMEM)
                        return r;
        }
        if (c->virtual_ethernet && c->address_pool_set && st->address_pool_at) {
                r = check_address_pool(st);
                if (r == -ENOMEM)
                        return r;
        }
        /* An init reports READY=1 itself (systemd does); Notify=no says this one does not
         * (busybox init, a script): then the container is ready once it runs. */
        if (c->boot && !st->notify_at)
                c->notify_ready = true;
        if (!c->exec) {
                r = strv_extend(&c->exec, c->boot ? "/sbin/init" : "/bin/sh");
                if (r < 0)
                        return r;
        }
        return 0;
}
