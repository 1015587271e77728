#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# systemctl poweroff of test bed 1 with three containers running (poweroff-bed.sh): each stops
# cleanly, in the reverse order of its [Unit] After=, its PID 1 getting SIGTERM exactly once
# from the supervisor and its other processes none, each scope only after its service.
# usage: poweroff.sh SOURCE_DIR BUILD_DIR
set -u
SRC=$1 BUILD=$2
. "$SRC/tests/lib/tap.sh"
LOG=$(mktemp -d "$BUILD/tests/system/poweroff-log.XXXXXX")
trap 'rm -rf "$LOG"' EXIT
chmod 777 "$LOG"
: >"$LOG/log"
chmod 666 "$LOG/log"
BED_TIMEOUT=120 bash "$SRC/tests/system/bed.sh" "$SRC" "$BUILD" "$SRC/tests/system/poweroff-bed.sh" "$LOG" \
        >"$LOG/bed.out" 2>&1
rc=$?
sed 's/^/# /' "$LOG/bed.out" | grep -v '^# ok' | tail -20
check "the bed booted (bed.sh did not exit 125)" test "$rc" -ne 125
check_eq "the three containers ran" "$(tr '\n' ' ' <"$LOG/states" 2>/dev/null)" "active active active "
diag "record: $(tr '\n' ' ' <"$LOG/log")"
for n in pa pb pc; do
        check_eq "$n: its PID 1 got SIGTERM exactly once" "$(grep -cx "$n-TERM" "$LOG/log")" 1
        check_eq "$n: its handler finished (a clean stop)" "$(grep -cx "$n-done" "$LOG/log")" 1
        check_eq "$n: no other process of it was sent SIGTERM" "$(grep -cx "$n-child-TERM" "$LOG/log")" 0
done
order=$(grep -E '^p[abc]-(TERM|done)$' "$LOG/log" | tr '\n' ' ')
check_eq "stopped in reverse order, each after the one after it had finished" "$order" \
        "pc-TERM pc-done pb-TERM pb-done pa-TERM pa-done "
tap_done
