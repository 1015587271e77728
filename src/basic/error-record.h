/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The one way berth keeps an error line for later (to print once, by the caller that talks to the
 * user): the first failure recorded is the cause and stays; a later one, typically a step that
 * failed because an earlier one did, is dropped. */

#include <stdarg.h>

#include "macro.h"

/* Records "MESSAGE: strerror(-error)" in *slot, or MESSAGE alone when error is 0 (the message says
 * it all), unless *slot already holds a line. %m in fmt is strerror(-error). Returns error when
 * negative, else -EIO, so a step can `return error_record(&ctx->error, r, "Failed to ...");`. */
int error_record(char **slot, int error, const char *fmt, ...) _printf_(3, 4);
int error_recordv(char **slot, int error, const char *fmt, va_list ap) _printf_(3, 0);
