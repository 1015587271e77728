# SPDX-License-Identifier: LGPL-2.1-or-later
# TAP helpers for shell tests: source it, call ok/fail/check, end with tap_done.
# Each check is one counted test line; the test exits non-zero when any failed.
TAP_N=0
TAP_FAILED=0
ok() { TAP_N=$((TAP_N + 1)); echo "ok $TAP_N - $*"; }
fail() { TAP_N=$((TAP_N + 1)); TAP_FAILED=$((TAP_FAILED + 1)); echo "not ok $TAP_N - $*"; }
# check "description" cmd args...: ok when the command succeeds
check() { local d=$1; shift; if "$@"; then ok "$d"; else fail "$d"; fi; }
# check_eq "description" actual expected
check_eq() {
        if [ "$2" = "$3" ]; then ok "$1"; else fail "$1"; printf '#   got:      %s\n#   expected: %s\n' "$2" "$3"; fi
}
diag() { printf "%s\n" "$*" | sed "s/^/# /"; } # every line of a multi-line text is a comment
tap_done() { echo "1..$TAP_N"; [ "$TAP_FAILED" -eq 0 ]; }
