/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Logging for the CLI and the supervisor. Lower layers return -errno and leave the message to
 * the caller that has the context; they may log at debug level. When stderr is the journal
 * (JOURNAL_STREAM matches), lines carry <N> priority prefixes so journalctl -p works. */

#include <stdbool.h>
#include <syslog.h>

#include "macro.h"

void log_set_max_level(int level);
int log_get_max_level(void);
void log_set_prefix(const char *prefix);

/* True when fd is this process's connection to journald: the stream systemd connected stdout or
 * stderr to, named by $JOURNAL_STREAM (dev:ino). Such a stream parses <N> priority prefixes
 * (SyslogLevelPrefix=yes, systemd's default). */
bool fd_is_journal_stream(int fd);

/* Logs and returns error (a negative errno, or -EIO when error is 0), so callers can
 * write: return log_error_errno(r, "Failed to ...: %m"); %m prints strerror(-error). */
int log_internal(int level, int error, const char *fmt, ...) _printf_(3, 4);

#define log_debug(...)   log_internal(LOG_DEBUG, 0, __VA_ARGS__)
#define log_info(...)    log_internal(LOG_INFO, 0, __VA_ARGS__)
#define log_notice(...)  log_internal(LOG_NOTICE, 0, __VA_ARGS__)
#define log_warning(...) log_internal(LOG_WARNING, 0, __VA_ARGS__)
#define log_error(...)   log_internal(LOG_ERR, 0, __VA_ARGS__)

#define log_debug_errno(e, ...)   log_internal(LOG_DEBUG, (e), __VA_ARGS__)
#define log_warning_errno(e, ...) log_internal(LOG_WARNING, (e), __VA_ARGS__)
#define log_error_errno(e, ...)   log_internal(LOG_ERR, (e), __VA_ARGS__)
