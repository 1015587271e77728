/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* AllowedCPUs= as systemd's bus wants it, and the scope's unit name. */
#include <stdlib.h>

#include "scope.h"
#include "test.h"

int main(void)
{
        _cleanup_free_ uint8_t *m = NULL;
        _cleanup_free_ char *name = NULL;
        size_t n = 0;

        CHECK(scope_cpu_list_to_mask("0-1,3", &m, &n) == 0 && n == 1 && m[0] == 0x0b, "0-1,3 is 0x0b");
        free(m);
        m = NULL;
        CHECK(scope_cpu_list_to_mask("9", &m, &n) == 0 && n == 2 && m[0] == 0 && m[1] == 0x02,
              "CPU 9 is bit 1 of byte 1");
        free(m);
        m = NULL;
        CHECK(scope_cpu_list_to_mask("0,8-15", &m, &n) == 0 && n == 2 && m[0] == 0x01 && m[1] == 0xff,
              "ranges across bytes");
        free(m);
        m = NULL;
        CHECK(scope_cpu_list_to_mask("3-1", &m, &n) == -EINVAL, "reversed range refused");
        CHECK(scope_cpu_list_to_mask("1,,2", &m, &n) == -EINVAL, "empty element refused");
        CHECK(scope_cpu_list_to_mask("", &m, &n) == -EINVAL, "empty list refused");
        CHECK(scope_cpu_list_to_mask("a", &m, &n) == -EINVAL, "garbage refused");
        CHECK(scope_name("web", &name) == 0, "scope_name");
        CHECK_STREQ(name, "berth-web.scope", "scope unit name");
        return test_done();
}
