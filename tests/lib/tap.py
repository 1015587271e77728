# SPDX-License-Identifier: LGPL-2.1-or-later
"""TAP for Python tests, like tap.sh for shell ones: check() is one counted test line (detail
lines as comments when it fails), done() prints the plan and exits non-zero when any failed."""
import sys

n = failed = 0


def check(cond, what, detail=""):
    global n, failed
    n += 1
    print(f"{'ok' if cond else 'not ok'} {n} - {what}")
    if not cond:
        failed += 1
        for line in str(detail).splitlines():
            print(f"#   {line}")


def done():
    print(f"1..{n}")
    sys.exit(1 if failed else 0)
