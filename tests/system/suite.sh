#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Runs inside test bed 1 (started by bed.sh) as a service of the bed's systemd. Asserts what
# systemd itself reports (systemctl show, machinectl, /proc/PID/cgroup) about berth's scopes.
set -u
. "$BERTH_SRC/tests/lib/tap.sh"
HELPER=$BERTH_BUILD/tests/system/scope-helper
export BERTH_STATE_DIR=/run/berth-test
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT

prop() { systemctl show -P "$2" "$1" 2>/dev/null; }
wait_gone() { # unit: wait until systemd has forgotten it (CollectMode=inactive-or-failed)
        for _ in $(seq 50); do
                [ "$(prop "$1" LoadState)" = not-found ] && return 0
                sleep 0.1
        done
        return 1
}
pid_gone() { for _ in $(seq 50); do [ -d "/proc/$1" ] || return 0; sleep 0.1; done; return 1; }

diag "systemd $(systemctl --version | head -1 | cut -d' ' -f2) as PID 1: $(systemctl is-system-running)"

# --- scope registration, as berth run does it (stand-in supervisor: scope-helper) -------------
check "helper registers berth-t1.scope and says READY=1" \
        systemd-run --quiet --unit=berth-helper-t1 -p Type=notify -E BERTH_STATE_DIR="$BERTH_STATE_DIR" \
        "$HELPER" t1 "$W/t1.pid"
P1=$(cat "$W/t1.pid" 2>/dev/null)
check_eq "berth-t1.scope is active" "$(prop berth-t1.scope ActiveState)" active
check_eq "scope has Delegate=yes" "$(prop berth-t1.scope Delegate)" yes
check_eq "scope is in machine.slice" "$(prop berth-t1.scope Slice)" machine.slice
check_eq "MemoryMax=64M reached systemd" "$(prop berth-t1.scope MemoryMax)" 67108864
check_eq "TasksMax=77 reached systemd" "$(prop berth-t1.scope TasksMax)" 77
check_eq "CPUQuota=150% reached systemd" "$(prop berth-t1.scope CPUQuotaPerSecUSec)" 1.500000s
check_eq "AllowedCPUs=0 reached systemd" "$(prop berth-t1.scope AllowedCPUs)" 0
check_eq "unset MemoryHigh stays systemd's default" "$(prop berth-t1.scope MemoryHigh)" infinity
check_eq "DevicePolicy=closed" "$(prop berth-t1.scope DevicePolicy)" closed
check "DeviceAllow has /dev/net/tun and char-pts" \
        bash -c "systemctl show -P DeviceAllow berth-t1.scope | grep -q '/dev/net/tun rwm' &&
                 systemctl show -P DeviceAllow berth-t1.scope | grep -q 'char-pts rw'"
check_eq "CollectMode=inactive-or-failed" "$(prop berth-t1.scope CollectMode)" inactive-or-failed
check_eq "scope BindsTo= the supervising service" "$(prop berth-t1.scope BindsTo)" berth-helper-t1.service
check_eq "payload sits in the scope's payload sub-cgroup" \
        "$(grep '^0::' "/proc/$P1/cgroup" 2>/dev/null)" "0::/machine.slice/berth-t1.scope/payload"
check_eq "the scope's own cgroup holds no process (inner node)" \
        "$(cat /sys/fs/cgroup/machine.slice/berth-t1.scope/cgroup.procs)" ""
check_eq "STATUS= reached systemd" "$(prop berth-helper-t1.service StatusText)" "payload registered"

# --- machined -------------------------------------------------------------------------------------
check "machinectl list shows t1" bash -c "machinectl list --no-legend | grep -qE '^t1 +container +berth'"
check_eq "machined's unit for t1 is the scope" "$(machinectl show -p Unit --value t1)" berth-t1.scope
check_eq "machined's leader for t1 is the payload" "$(machinectl show -p Leader --value t1)" "$P1"

# --- berth list from the running state --------------------------------------------------------
out=$(berth list)
echo "$out" | head -3 | sed "s|^|# |"
check "berth list header" bash -c "echo '$out' | head -1 | grep -qE '^NAME +STATE +SINCE +MEMORY +TASKS +UID-BASE +LABEL +ROOT$'"
check "berth list shows t1 running with its UID base and label" \
        bash -c "echo '$out' | grep -qE '^t1 +running .* 524288 +system_u:system_r:berth_container_t:s0:c1,c2 +/$'"
check "berth list counts tasks in the scope (the payload: 1)" \
        bash -c "echo '$out' | grep -E '^t1 ' | grep -qE ' 1 +524288 '"
check_eq "berth list footer" "$(echo "$out" | tail -1)" "1 container listed."
check_eq "berth list --no-legend prints only rows" "$(berth list --no-legend | wc -l)" 1
json=$(berth list --output=json)
check "berth list --output=json parses, numbers are numbers" python3 -c "
import json,sys; d=json.loads(sys.argv[1]); r=d[0]
assert r['name']=='t1' and r['state']=='running' and r['uid_base']==524288 and r['tasks']==1, r
assert isinstance(r['since'], int) and r['root']=='/', r" "$json"

# --- stopping the service stops the scope -----------------------------------------------------
systemctl stop berth-helper-t1.service
check "systemctl stop of the service removes the scope" wait_gone berth-t1.scope
check "the payload is gone" pid_gone "$P1"
check_eq "machined forgot t1" "$(machinectl list --no-legend | grep -c '^t1 ')" 0
check_eq "berth list is empty again" "$(berth list)" "No containers."
check_eq "berth list --output=json with none" "$(berth list -o json)" "[]"

# --- SIGKILL of the service: BindsTo= still stops the scope -----------------------------------
check "helper registers berth-t2.scope" systemd-run --quiet --unit=berth-helper-t2 -p Type=notify \
        -E BERTH_STATE_DIR="$BERTH_STATE_DIR" "$HELPER" t2 "$W/t2.pid"
P2=$(cat "$W/t2.pid" 2>/dev/null)
check_eq "berth-t2.scope is active" "$(prop berth-t2.scope ActiveState)" active
systemctl kill -s KILL berth-helper-t2.service
check "systemctl kill -s KILL of the service leaves no scope" wait_gone berth-t2.scope
check "the killed service's payload is gone" pid_gone "$P2"
check_eq "berth list ignores the dead supervisor's stale state" "$(berth list --no-legend | grep -c t2)" 0

# --- a refused StartTransientUnit reports systemd's own error text ----------------------------
systemd-run --quiet --unit=berth-helper-t3 -p Type=notify -E BERTH_STATE_DIR="$BERTH_STATE_DIR" \
        "$HELPER" t3 "$W/t3.pid"
out=$(BERTH_STATE_DIR=$W/other "$HELPER" t3 "$W/t3b.pid" 2>&1)
diag "$out"
check "second scope of the same name fails with systemd's text" \
        bash -c "echo '$out' | grep -q 'Failed to start transient scope berth-t3.scope: Unit berth-t3.scope was already loaded'"
systemctl stop berth-helper-t3.service

tap_done
