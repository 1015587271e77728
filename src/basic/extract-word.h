/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Splitting of list values with systemd's quoting rules (as for ExecStart= and Environment=):
 * words are separated by whitespace; "double" and 'single' quotes group words and may start
 * anywhere in a word (a"b c"d is one word "ab cd"); backslash escapes work inside and outside
 * quotes: \a \b \f \n \r \t \v \\ \" \' \s and "\ " (space), \xNN and \NNN (octal). */

/* Extracts the next word from *p into *ret and advances *p. Returns 1 with a word, 0 at the end
 * of the string (*ret = NULL), -EINVAL for an unbalanced quote, a trailing backslash, an unknown
 * escape or an escaped NUL byte, -ENOMEM. */
int extract_first_word(const char **p, char **ret);

/* Splits all of s; returns 0 or the error of extract_first_word(). */
int extract_all_words(const char *s, char ***ret);
