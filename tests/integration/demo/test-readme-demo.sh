#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The README's first command ends in a demo a newcomer can see working: it runs the shipped
# demo.container and shows its own host name, a process list with only its own processes, only
# loopback, its limits, and three next commands that name real berth verbs.
# Usage: test-readme-demo.sh BERTH SOURCE_ROOT TAP_SH
set -u
BERTH=$1 src=$2
. "$3"

T=$(mktemp -d /tmp/berth-test-demo.XXXXXX)
trap 'rm -rf "$T"' EXIT
export BERTH_STATE_DIR=$T/state

first=$(sed -n '/^```/{n;p;q}' "$src/README.md")
check "the README's first command runs the shipped demo" \
        grep -qF 'berth run --file units/examples/demo.container' <<<"$first"

"$BERTH" run --file "$src/units/examples/demo.container" >"$T/out" 2>"$T/err"
check_eq "the demo exits 0" $? 0
[ -s "$T/err" ] && diag "$(cat "$T/err")"
check_eq "it greets from its own host name" "$(sed -n 1p "$T/out" | cut -d' ' -f1-3)" "hello from berth-demo"
ps_lines=$(sed -n '/^ *PID /,/^[a-z]/p' "$T/out" | grep -E '^ *[0-9]+ ')
check_eq "its process list starts with its own PID 1" "$(awk 'NR==1 {print $1}' <<<"$ps_lines")" 1
check "its process list has only its own few processes (host has $(ls -d /proc/[0-9]* | wc -l))" \
        test "$(wc -l <<<"$ps_lines")" -le 3
check_eq "only loopback in its network" "$(grep -cE '^[a-z0-9@]+ +(UP|UNKNOWN|DOWN)' "$T/out")" 1
check "lo is the interface shown" grep -qE '^lo ' "$T/out"
check "it shows its limits (no_new_privs set)" grep -qxE 'NoNewPrivs:\s+1' "$T/out"
check "it shows its capability bounding set" grep -qE '^CapBnd:' "$T/out"
next=$(sed -n '/^Next, try:/,$p' "$T/out" | grep -E '^  build/berth ')
check_eq "it names three next commands" "$(wc -l <<<"$next")" 3
verbs=$("$BERTH" --help | sed -n '/^Commands:/,/^$/s/^  \([a-z]*\) .*/\1/p')
bad=
while read -r _ verb _; do grep -qxF "$verb" <<<"$verbs" || bad+=" $verb"; done <<<"$next"
check_eq "every suggested command is a berth verb" "$bad" ""

tap_done
