/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cescape(): what berth prints of a container's process names, command lines and log lines never
 * carries a raw control character to the admin's terminal (issue 13, finding 11). */
#include <stdlib.h>
#include <string.h>

#include "macro.h"
#include "string-util.h"
#include "test.h"

static void check_escape(const char *in, size_t n, const char *want, const char *what)
{
        _cleanup_free_ char *got = cescape_length(in, n);
        CHECK_STREQ(got, want, "%s", what);
}

int main(void)
{
        check_escape("nginx: worker", 13, "nginx: worker", "printable ASCII passes");
        check_escape("\x1b]0;pwned\x07x\x1b[2J", 15, "\\x1b]0;pwned\\ax\\x1b[2J", "ESC and BEL are escaped");
        check_escape("a\nb\tc\rd\\e", 9, "a\\nb\\tc\\rd\\\\e", "newline, tab, CR and backslash as in C");
        check_escape("x\x7fy", 3, "x\\x7fy", "DEL is escaped");
        check_escape("a\0b", 3, "a\\x00b", "a NUL byte is escaped, not the end");
        check_escape("caf\xc3\xa9 \xe2\x9c\x93", 9, "caf\xc3\xa9 \xe2\x9c\x93", "printable UTF-8 passes");
        check_escape("\xc2\x9b"
                     "2J",
                     4, "\\xc2\\x9b2J", "a C1 control (U+009B CSI) is escaped");
        check_escape("\xff\xc3", 2, "\\xff\\xc3", "bytes that are not UTF-8 are escaped");
        check_escape("", 0, "", "the empty string");
        {
                _cleanup_free_ char *s = cescape("\x1b[31m");
                CHECK(s && !strchr(s, 0x1b), "cescape() of a string leaves no ESC byte");
        }
        return test_done();
}
