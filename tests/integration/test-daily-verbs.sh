#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The daily verbs of issue 15 on the plain host: `berth list --all` shows every declared
# container with its state (running, stopped, failed and why, masked, invalid and the first
# error); `berth list` run by another user does not claim "No containers." while one runs;
# `berth status` of a failed container says why (exit status, berth's error line); the payload
# gets LANG=C.UTF-8 unless Environment= sets it.
. "$(dirname "$0")/lib.sh"
it_setup "$@"
IT_ROOT=$IT_WORK/root
it_build_root "$IT_ROOT"

it_container up <<C
[Container]
Directory=$IT_ROOT
# PID 1 gets only the signals it handles: the trap lets the stop at the end end it at once.
Exec=/bin/sh -c 'trap "exit 0" TERM; /bin/sleep 120 & wait'
C
it_container clean <<C
[Container]
Directory=$IT_ROOT
Exec=/bin/sh -c 'echo "LANG=\$LANG"'
C
it_container lang <<C
[Container]
Directory=$IT_ROOT
Exec=/bin/sh -c 'echo "LANG=\$LANG"'
Environment=LANG=de_DE.UTF-8
C
it_container fails <<C
[Container]
Directory=$IT_ROOT
Exec=/bin/sh -c 'echo boom >&2; exit 3'
C
it_container nodir <<C
[Container]
Directory=$IT_WORK/no-such-root
Exec=/bin/true
C
it_container never <<C
[Container]
Directory=$IT_ROOT
Exec=/bin/true
C
it_container broken <<C
[Container]
Directory=$IT_ROOT
Exec=/bin/true
NoSuchKey=1
C
: > "$BERTH_CONFIG_PATH/hidden.container"

it_run clean
check_eq "a clean run exits 0" "$IT_RC" 0
check "the payload has LANG=C.UTF-8 by default" grep -qx "LANG=C.UTF-8" "$IT_OUT"
it_run lang
check "Environment=LANG= replaces the default" grep -qx "LANG=de_DE.UTF-8" "$IT_OUT"
it_run fails
check_eq "the failing payload's exit status is berth's" "$IT_RC" 3
it_run nodir
check "a missing root fails the launch" test "$IT_RC" -ne 0
it_start up || fail "container up starts"

L=$IT_WORK/list
"$BERTH" list --no-pager > "$L" 2>&1
check "list shows the running container" grep -Eq '^up +running ' "$L"
check "list without --all leaves stopped ones out" bash -c "! grep -Eq '^(never|clean|fails) ' '$L'"

"$BERTH" list --all --no-pager > "$L" 2>&1
check_eq "list --all exits 0" "$?" 0
diag "$(cat "$L")"
check "list --all: running" grep -Eq '^up +running ' "$L"
check "list --all: a clean end is stopped" grep -Eq '^clean +stopped ' "$L"
check "list --all: never started is stopped" grep -Eq '^never +stopped ' "$L"
check "list --all: failed with the exit status" grep -Eq '^fails +failed \(exit status 3\)' "$L"
check "list --all: a failed launch is failed" grep -Eq '^nodir +failed \(exit status [0-9]+\)' "$L"
check "list --all: masked" grep -Eq '^hidden +masked' "$L"
check "list --all: invalid with the first error" \
        grep -Eq "^broken +invalid \(.*broken.container:4: .*NoSuchKey" "$L"
"$BERTH" list --all -o json > "$L.json" 2>&1
check "list --all -o json has the failed state" grep -q '"state":"failed (exit status 3)"' "$L.json"

S=$IT_WORK/status
"$BERTH" status --no-pager -n 0 fails > "$S" 2>&1
check_eq "status of a failed container exits 3 (LSB: not running)" "$?" 3
diag "$(cat "$S")"
check "status says failed and the exit status" grep -q 'Active: failed (exit status 3)' "$S"
check "status says when it ended" grep -q 'Ended: ' "$S"
"$BERTH" status --no-pager -n 0 nodir > "$S" 2>&1
diag "$(cat "$S")"
check "status of a failed launch shows berth's error line" grep -q "Error: .*no-such-root" "$S"
"$BERTH" status -o json nodir > "$S.json" 2>&1
check "status -o json: result, reason and error of a failed launch" python3 -c '
import json, sys
o = json.load(open(sys.argv[1]))
assert o["result"] == "failed", o
assert o["reason"].startswith("exit status "), o
assert "no-such-root" in o["error"], o' "$S.json"
"$BERTH" status -o json never > "$S.json" 2>&1
check "status -o json: a never-run container is stopped, no reason" python3 -c '
import json, sys
o = json.load(open(sys.argv[1]))
assert o["result"] == "stopped" and o["reason"] is None and o["error"] is None, o' "$S.json"
"$BERTH" status --no-pager -n 0 never > "$S" 2>&1
check "status of a never-run container is inactive (dead)" grep -q 'Active: inactive (dead)' "$S"
"$BERTH" status --no-pager -n 0 broken > "$S" 2>&1
check "status of an invalid container shows the error" grep -q 'Invalid: .*NoSuchKey' "$S"

# Another user: the state directories are 0700. Let it reach them (the test's work dir is 0700).
chmod 0755 "$IT_WORK" "$IT_WORK/state"
it_as_nobody list --no-pager > "$L" 2>&1
diag "$(cat "$L")"
check "list as another user does not say 'No containers.' while one runs" \
        bash -c "! grep -q 'No containers' '$L'"
check "list as another user shows the running container" grep -Eq '^up +(running|unknown \(needs root\))' "$L"
it_as_nobody status --no-pager -n 0 up > "$S" 2>&1
diag "$(cat "$S")"
check "status as another user says root can read the details, not an error" \
        grep -q "Note: only root can read the container's state" "$S"
check "status as another user without systemd does not claim inactive" grep -q "Active: unknown (needs root)" "$S"

kill -TERM "$IT_BG_PID"
it_wait
tap_done
