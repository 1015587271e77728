#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Runs inside test bed 1 (started by bed.sh) as a service of the bed's systemd. Asserts what
# systemd itself reports (systemctl show, machinectl, /proc/PID/cgroup) about berth's scopes.
set -u
. "$BERTH_SRC/tests/system/lib.sh"
HELPER=$BERTH_BUILD/tests/system/scope-helper
HELPER_STATE=/run/berth-test
hlist() { BERTH_STATE_DIR=$HELPER_STATE berth list "$@"; }
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT

wait_gone() { # unit: wait until systemd has forgotten it (CollectMode=inactive-or-failed), 30 s
        for _ in $(seq 300); do
                [ "$(prop "$1" LoadState)" = not-found ] && return 0
                sleep 0.1
        done
        return 1
}
pid_gone() { for _ in $(seq 300); do [ -d "/proc/$1" ] || return 0; sleep 0.1; done; return 1; }

diag "systemd $(systemctl --version | head -1 | cut -d' ' -f2) as PID 1: $(systemctl is-system-running)"

# --- scope registration, as berth run does it (stand-in supervisor: scope-helper) -------------
check "helper registers berth-t1.scope and says READY=1" \
        systemd-run --quiet --unit=berth-helper-t1 -p Type=notify -E BERTH_STATE_DIR="$HELPER_STATE" \
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
check_eq "the payload cgroup is delegated to the container's root (dir)" \
        "$(stat -c %u:%g /sys/fs/cgroup/machine.slice/berth-t1.scope/payload)" 524288:524288
check_eq "the payload cgroup is delegated to the container's root (cgroup.procs, subtree_control)" \
        "$(stat -c %u:%g /sys/fs/cgroup/machine.slice/berth-t1.scope/payload/cgroup.{procs,subtree_control} | sort -u)" \
        524288:524288
check_eq "the scope's own cgroup stays root's" "$(stat -c %u /sys/fs/cgroup/machine.slice/berth-t1.scope)" 0
# What the container's root may build below its payload cgroup is bounded (each cgroup costs the
# host kernel memory no limit of the container's counts), in files that stay root's: as that root
# (the delegated uid), CGROUP_DELEGATE_DEPTH_MAX (32) levels and
# CGROUP_DELEGATE_DESCENDANTS_MAX (1024) cgroups can be made, one more cannot.
PC=/sys/fs/cgroup/machine.slice/berth-t1.scope/payload
check_eq "the payload cgroup's cgroup.max.* stay root's" "$(stat -c %u "$PC"/cgroup.max.{descendants,depth} | sort -u)" 0
as_croot() { setpriv --reuid=524288 --regid=524288 --clear-groups "$@"; }
made=$(as_croot bash -c 'd=$1; n=0; while [ $n -lt 40 ] && mkdir "$d/d" 2>/dev/null; do d=$d/d; n=$((n + 1)); done; echo $n' _ "$PC")
check_eq "the container's root can nest cgroups 32 deep below its payload cgroup, not 33" "$made" 32
for _ in $(seq 40); do rmdir "$(find "$PC/d" -depth -type d -name d 2>/dev/null | head -n1)" 2>/dev/null || break; done
made=$(as_croot bash -c 'n=0; while [ $n -lt 1100 ] && mkdir "$1/c$n" 2>/dev/null; do n=$((n + 1)); done; echo $n' _ "$PC")
check_eq "the container's root can make 1024 cgroups below its payload cgroup, not 1025" "$made" 1024
rmdir "$PC"/c* "$PC"/d 2>/dev/null
check_eq "the cgroups made for that check are gone" "$(find "$PC" -mindepth 1 -type d | wc -l)" 0

check_eq "the scope's own cgroup holds no process (inner node)" \
        "$(cat /sys/fs/cgroup/machine.slice/berth-t1.scope/cgroup.procs)" ""
check_eq "STATUS= reached systemd" "$(prop berth-helper-t1.service StatusText)" "payload registered"

# --- machined -------------------------------------------------------------------------------------
check "machinectl list shows t1" bash -c "machinectl list --no-legend | grep -qE '^t1 +container +berth'"
check_eq "machined's unit for t1 is the scope" "$(machinectl show -p Unit --value t1)" berth-t1.scope
check_eq "machined's leader for t1 is the payload" "$(machinectl show -p Leader --value t1)" "$P1"

# --- berth list from the running state --------------------------------------------------------
out=$(hlist)
echo "$out" | head -3 | sed "s|^|# |"
check "berth list header" bash -c "echo '$out' | head -1 | grep -qE '^NAME +STATE +SINCE +MEMORY +TASKS +UID-BASE +LABEL +ROOT +ADDRESS +PORTS$'"
check "berth list shows t1 running with its UID base and label" \
        bash -c "echo '$out' | grep -qE '^t1 +running .* 524288 +system_u:system_r:berth_container_t:s0:c1,c2 +/ +- +-$'"
check "berth list counts tasks in the scope (the payload: 1)" \
        bash -c "echo '$out' | grep -E '^t1 ' | grep -qE ' 1 +524288 '"
check_eq "berth list footer" "$(echo "$out" | tail -1)" "1 container listed."
check_eq "berth list --no-legend prints only rows" "$(hlist --no-legend | wc -l)" 1
json=$(hlist --output=json)
check "berth list --output=json parses, numbers are numbers" python3 -c "
import json,sys; d=json.loads(sys.argv[1]); r=d[0]
assert r['name']=='t1' and r['state']=='running' and r['uid_base']==524288 and r['tasks']==1, r
assert isinstance(r['since'], int) and r['root']=='/', r" "$json"

# --- stopping the service stops the scope -----------------------------------------------------
systemctl stop berth-helper-t1.service
check "systemctl stop of the service removes the scope" wait_gone berth-t1.scope
check "the payload is gone" pid_gone "$P1"
check_eq "machined forgot t1" "$(machinectl list --no-legend | grep -c '^t1 ')" 0
check_eq "berth list is empty again" "$(hlist)" "No containers."
check_eq "berth list --output=json with none" "$(hlist -o json)" "[]"

# --- SIGKILL of the service: BindsTo= still stops the scope -----------------------------------
check "helper registers berth-t2.scope" systemd-run --quiet --unit=berth-helper-t2 -p Type=notify \
        -E BERTH_STATE_DIR="$HELPER_STATE" "$HELPER" t2 "$W/t2.pid"
P2=$(cat "$W/t2.pid" 2>/dev/null)
check_eq "berth-t2.scope is active" "$(prop berth-t2.scope ActiveState)" active
systemctl kill -s KILL berth-helper-t2.service
check "systemctl kill -s KILL of the service leaves no scope" wait_gone berth-t2.scope
check "the killed service's payload is gone" pid_gone "$P2"
check_eq "berth list ignores the dead supervisor's stale state" "$(hlist --no-legend | grep -c t2)" 0

# --- a refused StartTransientUnit reports systemd's own error text ----------------------------
systemd-run --quiet --unit=berth-helper-t3 -p Type=notify -E BERTH_STATE_DIR="$HELPER_STATE" \
        "$HELPER" t3 "$W/t3.pid"
out=$(BERTH_STATE_DIR=$W/other "$HELPER" t3 "$W/t3b.pid" 2>&1)
diag "$out"
check "second scope of the same name fails with systemd's text" \
        bash -c "echo '$out' | grep -q 'Failed to start transient scope berth-t3.scope: Unit berth-t3.scope was already loaded'"
systemctl stop berth-helper-t3.service

# --- end to end: systemctl start berth@t1 runs berth run, which registers the scope ----------
mkdir -p /etc/berth
cat >/etc/berth/t1.container <<'EOT'
[Container]
Exec=/bin/sh -c 'trap "exit 0" TERM; echo t1-payload-up; while :; do sleep 0.2; done'
[Resources]
MemoryMax=64M
TasksMax=77
CPUQuota=150%
EOT
check "systemctl start berth@t1" systemctl start berth@t1
check_eq "berth@t1.service is active" "$(prop berth@t1.service ActiveState)" active
check_eq "berth-t1.scope is active" "$(prop berth-t1.scope ActiveState)" active
check_eq "berth-t1.scope has Delegate=yes" "$(prop berth-t1.scope Delegate)" yes
check_eq "config MemoryMax=64M on the scope" "$(prop berth-t1.scope MemoryMax)" 67108864
check_eq "config TasksMax=77 on the scope" "$(prop berth-t1.scope TasksMax)" 77
check_eq "config CPUQuota=150% on the scope" "$(prop berth-t1.scope CPUQuotaPerSecUSec)" 1.500000s
check_eq "berth-t1.scope is bound to berth@t1.service" "$(prop berth-t1.scope BindsTo)" berth@t1.service
check "the scope's stop waits for the service's (Before=)" \
        bash -c "systemctl show -P Before berth-t1.scope | tr ' ' '\n' | grep -qx berth@t1.service"
ctl=$(prop berth-t1.scope Controller)
check "the scope's stop requests go to the supervisor (Controller=$ctl)" bash -c "busctl call org.freedesktop.DBus \
        /org/freedesktop/DBus org.freedesktop.DBus GetConnectionUnixProcessID s '$ctl' |
        grep -qx 'u $(prop berth@t1.service MainPID)'"
check_eq "the scope only SIGKILLs orphans (KillSignal=)" "$(prop berth-t1.scope KillSignal)" 9
check_eq "a requested stop of the scope gets the service's TimeoutStopSec= (60s) and slack" \
        "$(prop berth-t1.scope TimeoutStopUSec)" "1min 30s"
L1=$(machinectl show -p Leader --value t1 2>/dev/null)
check "machinectl list shows t1 as a berth container" \
        bash -c "machinectl list --no-legend | grep -qE '^t1 +container +berth'"
check_eq "the payload's /proc/PID/cgroup is inside the scope" \
        "$(grep '^0::' "/proc/$L1/cgroup" 2>/dev/null)" "0::/machine.slice/berth-t1.scope/payload"
check "the supervisor stays in berth@t1.service" \
        grep -qx "0::/machine.slice/berth@t1.service" "/proc/$(prop berth@t1.service MainPID)/cgroup"
check "berth list shows t1 running" bash -c "berth list --no-legend | grep -qE '^t1 +running '"
out=$(berth status t1)
rc=$?
echo "$out" | sed 's/^/# /'
check_eq "berth status t1 exits 0 (running)" "$rc" 0
check "berth status shows the scope and its limits" \
        bash -c "echo '$out' | grep -q 'Scope: berth-t1.scope (active)' && echo '$out' | grep -q 'MemoryMax=64.0M'"
check "berth status shows the payload in the cgroup tree" \
        bash -c "echo '$out' | grep -qE '(├|└)─$L1 /bin/sh -c'"
# --- berth exec: same namespaces, cgroup and confinement as the payload -----------------------
check_eq "berth exec reaches the container (its hostname)" "$(berth exec t1 -- hostname)" t1
check_eq "berth exec sees the container's PID 1" \
        "$(berth exec t1 -- sh -c 'tr "\0" " " </proc/1/cmdline' | cut -d' ' -f1-2)" "/bin/sh -c"
for ns in user mnt pid uts ipc net cgroup; do
        check_eq "berth exec joins the payload's $ns namespace" \
                "$(berth exec t1 -- readlink /proc/self/ns/$ns)" "$(readlink /proc/$L1/ns/$ns)"
done
# Its own cgroup in the scope, beside the delegated payload subtree (the container's root cannot
# freeze, kill or limit it), outside the container's cgroup namespace root.
check "berth exec runs in a cgroup of its own beside the payload's (in its cgroup namespace)" \
        bash -c "berth exec t1 -- cat /proc/self/cgroup | grep -qE '^0::/\.\./exec-[0-9]+\$'"
berth exec t1 -- sleep 3 &
check "berth exec's command is in the scope's exec-PID cgroup, not the payload's, seen from the host" bash -c \
        'for _ in $(seq 50); do
                for p in $(cat /sys/fs/cgroup/machine.slice/berth-t1.scope/exec-*/cgroup.procs 2>/dev/null); do
                        [ "$(tr "\0" " " </proc/$p/cmdline 2>/dev/null)" = "sleep 3 " ] &&
                                ! grep -qx "$p" /sys/fs/cgroup/machine.slice/berth-t1.scope/payload/cgroup.procs &&
                                [ "$(stat -c %u /sys/fs/cgroup/machine.slice/berth-t1.scope/exec-*)" = 0 ] && exit 0
                done
                sleep 0.1
        done; exit 1'
wait
check "the exec cgroup is removed once the command is gone" \
        bash -c '! ls -d /sys/fs/cgroup/machine.slice/berth-t1.scope/exec-* 2>/dev/null' 
check_eq "berth exec has no_new_privs like the payload" "$(berth exec t1 -- grep ^NoNewPrivs /proc/self/status)" \
        "$(grep ^NoNewPrivs /proc/$L1/status)"
check_eq "berth exec's uid_map is the payload's" "$(berth exec t1 -- cat /proc/self/uid_map)" \
        "$(cat /proc/$L1/uid_map)"
check_eq "berth exec brings no fd but stdio (and ls's own)" \
        "$(berth exec t1 -- ls /proc/self/fd | sort -n | tr '\n' ' ')" "0 1 2 3 "
berth exec t1 -- sh -c 'exit 7'
check_eq "berth exec passes the command's exit status" "$?" 7
berth exec t1 -- /nonexistent 2>/dev/null
check_eq "berth exec of a missing command exits 127" "$?" 127
berth exec nosuch -- true 2>/dev/null
check_eq "berth exec refuses a container that is not running (exit 3)" "$?" 3
# --- identity and confinement: UID range and MCS pair held while t1 runs, exec confined alike --
json=$(berth list -o json)
UIDBASE=$(python3 -c 'import json,sys; print([r for r in json.loads(sys.argv[1]) if r["name"]=="t1"][0]["uid_base"])' "$json")
LABEL=$(python3 -c 'import json,sys; print([r for r in json.loads(sys.argv[1]) if r["name"]=="t1"][0]["label"])' "$json")
PAIR=$(echo "$LABEL" | sed -n 's/.*:s0:c\([0-9]*\),c\([0-9]*\)$/c\1.c\2/p')
diag "t1: uid base $UIDBASE, label $LABEL"
check "t1 has a user namespace range in the container range" test "$UIDBASE" -ge 524288
check_eq "the payload's uid_map maps root to that range" "$(awk '{print $1, $2, $3}' /proc/$L1/uid_map)" \
        "0 $UIDBASE 65536"
check "the UID range lock is held while t1 runs" bash -c "! flock -n /run/berth/uid/$UIDBASE.lock true"
check "the MCS pair lock ($PAIR) is held while t1 runs" bash -c "! flock -n /run/berth/mcs/$PAIR.lock true"
check_eq "the payload cgroup is delegated to the container's root" \
        "$(stat -c %u /sys/fs/cgroup/machine.slice/berth-t1.scope/payload)" "$UIDBASE"
check_eq "berth exec has the payload's bounding set" "$(berth exec t1 -- grep ^CapBnd /proc/self/status)" \
        "$(grep ^CapBnd /proc/$L1/status)"
check_eq "berth exec has the payload's effective capabilities" \
        "$(berth exec t1 -- grep ^CapEff /proc/self/status)" "$(grep ^CapEff /proc/$L1/status)"
check_eq "berth exec is under seccomp like the payload" "$(berth exec t1 -- grep ^Seccomp: /proc/self/status)" \
        "$(grep ^Seccomp: /proc/$L1/status)"
check_eq "berth exec has as many seccomp filters as the payload" \
        "$(berth exec t1 -- grep ^Seccomp_filters: /proc/self/status)" "$(grep ^Seccomp_filters: /proc/$L1/status)"
berth exec t1 -- sh -c 'exec sleep 3' &
check "berth exec's command runs as the container's root (host uid = range base)" bash -c \
        'for _ in $(seq 50); do
                for p in $(cat /sys/fs/cgroup/machine.slice/berth-t1.scope/exec-*/cgroup.procs 2>/dev/null); do
                        [ "$(tr "\0" " " </proc/$p/cmdline 2>/dev/null)" = "sleep 3 " ] &&
                                [ "$(awk "/^Uid:/{print \$2}" /proc/$p/status)" = "$0" ] && exit 0
                done
                sleep 0.1
        done; exit 1' "$UIDBASE"
wait
berth exec t1 -- unshare -U true 2>/dev/null
check "berth exec cannot create a user namespace (seccomp, like the payload)" test $? -ne 0
check "berth logs t1 has the payload's output" bash -c "berth logs t1 | grep -q t1-payload-up"
check_eq "berth logs -n 1 prints one line" "$(berth logs -n 1 t1 | wc -l)" 1
timeout 2 berth logs -f t1 >"$W/follow.log" 2>&1
check_eq "berth logs -f keeps following (still running when stopped after 2s)" "$?" 124
check "berth logs -f printed the journal so far" grep -q t1-payload-up "$W/follow.log"

# Another user cannot read /run/berth/t1 (0700): list asks systemd instead (issue 15).
out=$(setpriv --reuid=65534 --regid=65534 --clear-groups berth list --no-legend 2>&1)
echo "$out" | sed 's/^/# nobody: /'
check "berth list as another user shows t1 running (systemd's word)" bash -c "echo '$out' | grep -qE '^t1 +running'"
setpriv --reuid=65534 --regid=65534 --clear-groups berth status -n 0 t1 > "$W/status-nobody" 2>&1
check_eq "berth status as another user exits 0 for a running container (systemd's word)" "$?" 0
check "berth status as another user shows it active (running)" grep -q 'Active: active (running)' "$W/status-nobody"

check "systemctl stop berth@t1" systemctl stop berth@t1
check "stopping the service removes berth-t1.scope" wait_gone berth-t1.scope
check "the payload is gone" pid_gone "$L1"
not_held() { [ ! -e "$1" ] || flock -n "$1" true; } # gone, or nobody holds it
check "stopping t1 freed its UID range lock" not_held /run/berth/uid/$UIDBASE.lock
check "stopping t1 freed its MCS pair lock" not_held /run/berth/mcs/$PAIR.lock
berth status t1 >/dev/null 2>&1
check_eq "berth status of a stopped container exits 3" "$?" 3
berth status nosuch >/dev/null 2>&1
check_eq "berth status of an unknown container exits 4" "$?" 4
berth exec t1 -- true 2>/dev/null
check_eq "berth exec refuses a stopped container (exit 3)" "$?" 3

check "systemctl start berth@t1 again" systemctl start berth@t1
L1=$(machinectl show -p Leader --value t1 2>/dev/null)
systemctl kill -s KILL berth@t1
check "systemctl kill -s KILL berth@t1 leaves no scope" wait_gone berth-t1.scope
check "the SIGKILLed container's payload is gone" pid_gone "$L1"
check_eq "berth list no longer shows t1" "$(berth list --no-legend | grep -c '^t1 ')" 0
check "a SIGKILLed container starts again" systemctl start berth@t1
systemctl stop berth@t1

# --- a failed container: status and list --all say why (issue 15) --------------------------------
cat >/etc/berth/dvfail.container <<'EOT'
[Container]
Exec=/bin/sh -c 'echo dvfail-first-line >&2; echo dvfail-boom >&2; exit 3'
EOT
systemctl start berth@dvfail 2>/dev/null
for _ in $(seq 100); do [ "$(prop berth@dvfail.service ActiveState)" = failed ] && break; sleep 0.1; done
check_eq "berth@dvfail.service failed" "$(prop berth@dvfail.service ActiveState)" failed
out=$(berth status -n 0 dvfail 2>&1)
rc=$?
echo "$out" | sed 's/^/# /'
check_eq "berth status of a failed container exits 3" "$rc" 3
check "berth status says failed, systemd's Result= and the exit status" \
        bash -c "echo '$out' | grep -q 'Active: failed (Result: exit-code, exit status 3)'"
check "berth status shows the payload's last line on stderr" \
        bash -c "echo '$out' | grep -q 'Error: dvfail-boom\$'"
out=$(berth list --all --no-legend 2>&1)
echo "$out" | sed 's/^/# /'
check "berth list --all shows dvfail failed and why" \
        bash -c "echo '$out' | grep -qE '^dvfail +failed \(Result: exit-code, exit status 3\)'"
dvfail_run() { # starts berth@dvfail afresh and waits until it failed
        systemctl reset-failed berth@dvfail 2>/dev/null
        systemctl start berth@dvfail 2>/dev/null
        for _ in $(seq 100); do [ "$(prop berth@dvfail.service ActiveState)" = failed ] && break; sleep 0.1; done
        journalctl --sync
}
# Another program of the unit complains at its stop, after the payload's line (as berth@.service's
# ExecStopPost= systemctl once did, "Unit berth-X.scope not loaded"): not why the container failed.
mkdir -p /run/systemd/system/berth@dvfail.service.d
cat >/run/systemd/system/berth@dvfail.service.d/noise.conf <<'EOT'
[Service]
ExecStopPost=/bin/sh -c 'echo "<3>dvfail-stoppost-noise" >&2'
EOT
systemctl daemon-reload
dvfail_run
check "the drop-in's ExecStopPost= line is in the unit's journal at priority err" \
        bash -c "journalctl -u berth@dvfail -p err -o cat | tail -1 | grep -qx dvfail-stoppost-noise"
out=$(berth status -n 0 dvfail 2>&1)
echo "$out" | sed 's/^/# /'
check "berth status shows the payload's last line, not another program's later one in the unit" \
        bash -c "echo '$out' | grep -q 'Error: dvfail-boom\$'"
rm -r /run/systemd/system/berth@dvfail.service.d
systemctl daemon-reload
# A later run that fails without a word at priority err: no line of an earlier run's.
cat >/etc/berth/dvfail.container <<'EOT'
[Container]
Exec=/bin/sh -c 'exit 4'
EOT
dvfail_run
out=$(berth status -n 0 dvfail 2>&1)
echo "$out" | sed 's/^/# /'
check "berth status of a silent failure says why (exit status 4)" \
        bash -c "echo '$out' | grep -q 'Active: failed (Result: exit-code, exit status 4)'"
check "berth status of a silent failure shows no error line of an earlier run" \
        bash -c "! echo '$out' | grep -q 'Error:'"
# A launch that fails in berth: its own error line, from the unit's stream (SYSLOG_IDENTIFIER=berth).
cat >/etc/berth/dvfail.container <<'EOT'
[Container]
Exec=/dvfail-no-such-program
EOT
dvfail_run
out=$(berth status -n 0 dvfail 2>&1)
echo "$out" | sed 's/^/# /'
check "berth status of a launch that failed shows berth's error line" \
        bash -c "echo '$out' | grep -q 'Error: .*dvfail-no-such-program'"
systemctl reset-failed berth@dvfail 2>/dev/null
rm -f /etc/berth/dvfail.container

# --- a container that reboots itself is restarted; one that powers off stays down ----------------
mkdir -p /tmp/rbtest && chmod 777 /tmp/rbtest && rm -f /tmp/rbtest/count
cat >/etc/berth/rb.container <<'EOT'
[Container]
Exec=/bin/sh -c 'n=$(cat /mnt/count 2>/dev/null || echo 0); echo $((n+1)) >/mnt/count; \
        if [ "$n" = 0 ]; then busybox reboot -f; fi; if [ "$n" = 1 ]; then busybox poweroff -f; fi; sleep 100'
[Security]
Capability=CAP_SYS_BOOT
[Files]
Bind=/tmp/rbtest:/mnt
EOT
systemctl start berth@rb
for _ in $(seq 100); do [ "$(cat /tmp/rbtest/count 2>/dev/null)" = 2 ] && [ "$(prop berth@rb.service ActiveState)" = inactive ] && break; sleep 0.1; done
journalctl --sync
check_eq "reboot(2) in the container restarted the service once (RestartForceExitStatus=129)" \
        "$(journalctl -u berth@rb --no-pager | grep -c 'Scheduled restart job')" 1
check_eq "the payload ran twice" "$(cat /tmp/rbtest/count 2>/dev/null)" 2
check_eq "poweroff in the container stops it cleanly: inactive, not failed" \
        "$(prop berth@rb.service ActiveState)/$(prop berth@rb.service Result)" inactive/success
check "the restarted container's scope is gone after its poweroff" wait_gone berth-rb.scope

# --- Notify=yes: the service is ready when the payload says READY=1 (relayed with its STATUS=) --
mkdir -p /tmp/n1 && chmod 777 /tmp/n1
cat >/etc/berth/n1.container <<'EOT'
[Container]
Notify=yes
Exec=/bin/sh -c 'while [ ! -e /mnt/go ]; do sleep 0.1; done; systemd-notify --ready --status="payload says hi"; \
        trap "exit 0" TERM; while :; do sleep 0.2; done'
[Files]
Bind=/tmp/n1:/mnt
EOT
systemctl start --no-block berth@n1
sleep 1
check_eq "Notify=yes: still activating while the payload has not said READY=1" \
        "$(prop berth@n1.service ActiveState)" activating
touch /tmp/n1/go
for _ in $(seq 100); do [ "$(prop berth@n1.service ActiveState)" = active ] && break; sleep 0.1; done
check_eq "Notify=yes: active once the payload sent READY=1" "$(prop berth@n1.service ActiveState)" active
check_eq "Notify=yes: the payload's STATUS= reached systemd" "$(prop berth@n1.service StatusText)" "payload says hi"
systemctl stop berth@n1

# --- a payload that ignores SIGTERM: systemctl stop returns only once it is gone ----------------
cat >/etc/berth/hterm.container <<'EOT'
[Container]
Exec=/bin/sh -c 'trap "" TERM; while :; do sleep 0.2; done'
TimeoutStopSec=2s
EOT
systemctl daemon-reload
systemctl start berth@hterm
LT=$(machinectl show -p Leader --value hterm 2>/dev/null)
check "a payload that ignores SIGTERM runs" kill -0 "$LT"
systemctl stop berth@hterm
check "after systemctl stop returned, the SIGTERM-ignoring payload is gone" bash -c "! kill -0 '$LT' 2>/dev/null"
check_eq "and so is its scope" "$(prop berth-hterm.scope ActiveState)" inactive
journalctl --sync
check_eq "a normal stop leaves no error from ExecStopPost in the journal" \
        "$(journalctl -u berth@t1 --no-pager | grep -c 'Failed to stop')" 0

# --- berth start/stop/restart: systemd jobs --------------------------------------------------
cp /etc/berth/t1.container /etc/berth/t2.container
check "berth start t2" berth start t2
check_eq "berth@t2.service is active" "$(prop berth@t2.service ActiveState)" active
pid_before=$(prop berth@t2.service MainPID)
check "berth restart t2" berth restart t2
check "berth restart gave t2 a new supervisor" test "$(prop berth@t2.service MainPID)" != "$pid_before"
check "berth stop t2" berth stop t2
check_eq "berth@t2.service is inactive" "$(prop berth@t2.service ActiveState)" inactive
berth start 'bad/name' 2>/dev/null
check_eq "berth start refuses an invalid name (exit 2)" "$?" 2

# --- a broken config fails the start, with the config error in the journal -------------------
printf '[Container]\nExec=/bin/true\nBogusKey=1\n' >/etc/berth/broken.container
systemctl start berth@broken 2>/dev/null
check "systemctl start berth@broken fails" test $? -ne 0
journalctl --sync
check "the journal of berth@broken has the config error with file:line and key" \
        bash -c "journalctl -u berth@broken --no-pager | grep -q '/etc/berth/broken.container:3.*BogusKey'"
out=$(berth start broken 2>&1)
check_eq "berth start broken exits 1" "$?" 1
diag "$out"
check "berth start reports systemd's reason" \
        bash -c "echo '$out' | grep -q 'Job for berth@broken.service failed because the control process exited with error code'"

# --- generator -------------------------------------------------------------------------------
check "berth-generator linked the seeded boot1 into machines.target.wants" \
        test -L /run/systemd/generator/machines.target.wants/berth@boot1.service
check_eq "the generator-enabled container started at boot" "$(prop berth@boot1.service ActiveState)" active
check "boot1's payload ran" bash -c "berth logs boot1 | grep -q boot1-up"
printf '[Container]\nExec=/bin/true\nTimeoutStopSec=7s\n[Install]\nWantedBy=multi-user.target\n' \
        >/etc/berth/late.container
systemctl daemon-reload
check "after daemon-reload a new WantedBy= is linked" \
        test -L /run/systemd/generator/multi-user.target.wants/berth@late.service
check_eq "the generator turned TimeoutStopSec=7s into the service's" \
        "$(prop berth@late.service TimeoutStopUSec)" 7s
check "after daemon-reload boot1 is still linked" \
        test -L /run/systemd/generator/machines.target.wants/berth@boot1.service
journalctl --sync
check "the generator reported broken.container loudly" \
        bash -c "journalctl -b --no-pager | grep -q 'berth-generator.*broken.container:3'"
# A broken file is skipped, not a generator failure: the boot transaction stays clean (issue 15).
check "systemd did not log that the generator failed" \
        bash -c "! journalctl -b --no-pager | grep -q 'berth-generator failed'"
rm /etc/berth/late.container
systemctl daemon-reload
check "removing the file and reloading removes the link" \
        test ! -e /run/systemd/generator/multi-user.target.wants/berth@late.service
systemctl stop berth@boot1

tap_done
