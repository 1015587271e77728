#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The C sources follow .clang-format (systemd's layout: 8-wide indent and continuation, 109
# columns): one check per file under src/ and tests/, failing with the lines clang-format would
# change. Reformat with: clang-format -i FILE (clang-format 14, Debian 12's).
# Usage: test-format.sh SOURCE_ROOT TAP_SH
set -u
src=$1
. "$2"
cd "$src" || exit 1
if ! command -v clang-format >/dev/null; then
        fail "clang-format is installed (apt-get install clang-format)"
        tap_done
        exit 1
fi
while IFS= read -r f; do
        out=$(clang-format --dry-run --Werror "$f" 2>&1)
        if [ -z "$out" ]; then
                ok "$f follows .clang-format"
        else
                fail "$f follows .clang-format"
                diag "$(printf '%s\n' "$out" | head -n 20)"
        fi
done < <(find src tests -name '*.[ch]' -type f | LC_ALL=C sort)
tap_done
