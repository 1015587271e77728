/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once
/* libsystemd, dlopen()ed at the first call that needs it (dlopen-util.h): linked, it and the
 * libgcrypt, liblzma, libzstd, liblz4 and libgpg-error it brings were 6 of berth's 11 shared
 * objects, mapped and relocated by every berth process, `berth run --register=no` and `berth
 * verify` included, which never call it (issue 16).
 *
 * Call sites say sym_sd_NAME(...), as systemd does for its own optional libraries: a call through
 * the table reads as one, and libsystemd is not linked, so a plain sd_NAME() call (also one hidden
 * in an inline helper of systemd's headers, like sd_bus_unrefp) fails the link instead of
 * crashing at run time. Every path to these pointers starts with sd_lib_load(): bus connections
 * (a bus, a message or a slot exists only once it ran), the journal, sd_notify, sd_pid_get_unit. */
#include <systemd/sd-bus.h>
#include <systemd/sd-daemon.h>
#include <systemd/sd-journal.h>
#include <systemd/sd-login.h>

#include "macro.h"

/* Every libsystemd function berth calls; sd-lib.c declares and resolves them from this one list. */
#define SD_LIB_FOREACH_SYMBOL(X)                                                                            \
        X(sd_bus_call)                                                                                      \
        X(sd_bus_call_method)                                                                               \
        X(sd_bus_call_method_async)                                                                         \
        X(sd_bus_default_system)                                                                            \
        X(sd_bus_error_free)                                                                                \
        X(sd_bus_error_has_name)                                                                            \
        X(sd_bus_error_has_names_sentinel)                                                                  \
        X(sd_bus_flush_close_unref)                                                                         \
        X(sd_bus_get_events)                                                                                \
        X(sd_bus_get_fd)                                                                                    \
        X(sd_bus_get_property)                                                                              \
        X(sd_bus_get_property_string)                                                                       \
        X(sd_bus_get_property_trivial)                                                                      \
        X(sd_bus_get_unique_name)                                                                           \
        X(sd_bus_match_signal)                                                                              \
        X(sd_bus_match_signal_async)                                                                        \
        X(sd_bus_message_append)                                                                            \
        X(sd_bus_message_append_array)                                                                      \
        X(sd_bus_message_close_container)                                                                   \
        X(sd_bus_message_get_bus)                                                                           \
        X(sd_bus_message_new_method_call)                                                                   \
        X(sd_bus_message_open_container)                                                                    \
        X(sd_bus_message_read)                                                                              \
        X(sd_bus_message_read_array)                                                                        \
        X(sd_bus_message_unref)                                                                             \
        X(sd_bus_open_system)                                                                               \
        X(sd_bus_process)                                                                                   \
        X(sd_bus_ref)                                                                                       \
        X(sd_bus_set_allow_interactive_authorization)                                                       \
        X(sd_bus_slot_set_destroy_callback)                                                                 \
        X(sd_bus_slot_set_floating)                                                                         \
        X(sd_bus_slot_unref)                                                                                \
        X(sd_bus_unref)                                                                                     \
        X(sd_bus_wait)                                                                                      \
        X(sd_journal_add_disjunction)                                                                       \
        X(sd_journal_add_match)                                                                             \
        X(sd_journal_close)                                                                                 \
        X(sd_journal_get_data)                                                                              \
        X(sd_journal_get_realtime_usec)                                                                     \
        X(sd_journal_next)                                                                                  \
        X(sd_journal_open)                                                                                  \
        X(sd_journal_previous)                                                                              \
        X(sd_journal_previous_skip)                                                                         \
        X(sd_journal_seek_head)                                                                             \
        X(sd_journal_seek_tail)                                                                             \
        X(sd_journal_send)                                                                                  \
        X(sd_journal_sendv)                                                                                 \
        X(sd_journal_wait)                                                                                  \
        X(sd_notify)                                                                                        \
        X(sd_pid_get_unit)

#define SD_LIB_DECLARE(name) extern typeof(name) *sym_##name;
SD_LIB_FOREACH_SYMBOL(SD_LIB_DECLARE)
#undef SD_LIB_DECLARE

/* 0 once libsystemd.so.0 is loaded (a no-op after the first time); -EOPNOTSUPP when it or one of
 * the functions above is missing. Then, when error_slot is not NULL, the one message for it is
 * recorded there as error_record() does (kept if the slot already holds a line): "PURPOSE needs
 * libsystemd.so.0 (install libsystemd0): <the loader's line>", PURPOSE formatted from purpose and
 * what follows (e.g. "Registering %s", name). Callers that can do without pass NULL, NULL. */
int sd_lib_load(char **error_slot, const char *purpose, ...) _printf_(2, 3);

/* Cleanup helpers through the table (systemd's own, sd_bus_unrefp and the like, call the linked
 * library). The objects exist only when libsystemd was loaded; an unset error needs no library. */
static inline void bus_error_done(sd_bus_error *e)
{
        if (sym_sd_bus_error_free)
                sym_sd_bus_error_free(e);
}
static inline void bus_message_unrefp(sd_bus_message **m)
{
        if (*m)
                sym_sd_bus_message_unref(*m);
}
static inline void bus_slot_unrefp(sd_bus_slot **s)
{
        if (*s)
                sym_sd_bus_slot_unref(*s);
}
static inline void bus_flush_close_unrefp(sd_bus **b)
{
        if (*b)
                sym_sd_bus_flush_close_unref(*b);
}
static inline void journal_closep(sd_journal **j)
{
        if (*j)
                sym_sd_journal_close(*j);
}
