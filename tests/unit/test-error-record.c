/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* error_record(): the one error line a failed operation leaves -- the first cause stays, the
 * errno text is appended once, the return value carries the error on. */
#include <errno.h>
#include <stdlib.h>

#include "error-record.h"
#include "test.h"

int main(void)
{
        _cleanup_free_ char *slot = NULL, *plain = NULL, *m = NULL;

        CHECK(error_record(&slot, -ENOENT, "Failed to open %s", "/x") == -ENOENT, "returns the error");
        CHECK_STREQ(slot, "Failed to open /x: No such file or directory", "message, then strerror once");
        CHECK(error_record(&slot, -EPERM, "Failed to mount %s", "/y") == -EPERM,
              "a second error still returns its own code");
        CHECK_STREQ(slot, "Failed to open /x: No such file or directory",
                    "the first error is kept (the cause)");

        CHECK(error_record(&plain, 0, "Payload %s refused", "web") == -EIO, "error 0 returns -EIO");
        CHECK_STREQ(plain, "Payload web refused", "error 0: the message alone");

        errno = 0;
        CHECK(error_record(&m, -EACCES, "open: %m") == -EACCES, "%%m: returns the error");
        CHECK_STREQ(m, "open: Permission denied: Permission denied", "%%m is the recorded error's text");
        return test_done();
}
