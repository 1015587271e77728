#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Hardening checks under a real systemd (test bed 1, started by bed.sh; runs as a service of the
# bed's manager). What systemd and the kernel report is asserted:
#   - 50 containers started at once all run, with 50 distinct UID ranges (the uid_map the kernel
#     shows for each payload) and 50 distinct MCS pairs, and all stop cleanly: no unit, scope,
#     cgroup or running state left;
#   - systemctl daemon-reexec while containers run keeps them running (same supervisor and payload
#     PIDs) and listed by berth list and machinectl;
#   - a payload that ignores SIGTERM is killed once TimeoutStopSec= has passed;
#   - a supervisor SIGKILLed after each pipeline step (BERTH_TEST_KILL_AT) leaves no scope or
#     cgroup behind, and the next start works.
set -u
. "$BERTH_SRC/tests/system/lib.sh"
N=${HARDENING_CONTAINERS:-50}
W=$(mktemp -d)
trap 'rm -rf "$W" /run/systemd/system/berth@hk.service.d; systemctl daemon-reload' EXIT
mkdir -p /etc/berth

ms() { echo $(($(date +%s%N) / 1000000)); }
# A payload that stops on SIGTERM (as PID 1 of its namespace it would ignore it otherwise).
payload="Exec=/bin/sh -c 'trap \"exit 0\" TERM; while :; do sleep 0.5; done'"
units() { local i; for i in $(seq "$N"); do echo "berth@hc$i.service"; done; }
berth_cgroups() { find /sys/fs/cgroup/machine.slice -maxdepth 1 -name 'berth*' 2>/dev/null | sort; }
running_units() { systemctl list-units --no-legend --plain 'berth@*' 'berth-*.scope' | awk '{print $1}' | sort; }

diag "systemd $(systemctl --version | head -1 | cut -d' ' -f2) as PID 1: $(systemctl is-system-running)"
check_eq "no berth unit runs before" "$(running_units)" ""

# --- N containers at once ------------------------------------------------------------------------
for i in $(seq "$N"); do printf '[Container]\n%s\n' "$payload" >"/etc/berth/hc$i.container"; done
t0=$(ms)
systemctl start $(units) 2>"$W/start.err"
rc=$?
diag "systemctl start of $N containers: exit $rc in $(($(ms) - t0)) ms $(head -c 300 "$W/start.err")"
active=0 bases=() pairs=()
for i in $(seq "$N"); do
        [ "$(prop "berth@hc$i.service" ActiveState)" = active ] && active=$((active + 1))
        leader=$(machinectl show -p Leader --value "hc$i" 2>/dev/null)
        # the kernel's view of the payload's user namespace: "0 BASE SIZE"
        bases+=("$(awk '{print $2 "+" $3}' "/proc/$leader/uid_map" 2>/dev/null)")
        pairs+=("$(sed -n 's/^LABEL=.*:s0:\(c[0-9]*,c[0-9]*\)$/\1/p' "/run/berth/hc$i/state" 2>/dev/null)")
done
check_eq "all $N containers are active" "$active" "$N"
distinct() { printf '%s\n' "$@" | grep -v '^$' | sort -u | wc -l; }
diag "UID ranges seen (base+size): $(printf '%s\n' "${bases[@]}" | sort -u | head -3 | tr '\n' ' ')..."
check_eq "$N distinct UID ranges in the kernel's uid_map of the payloads" "$(distinct "${bases[@]}")" "$N"
check "no payload is mapped to host root (base 0)" bash -c "! printf '%s\n' ${bases[*]} | grep -q '^0+'"
check "all ranges lie inside 0x80000..0x6FFFFFFF and are 64K-aligned" python3 -c "
import sys
for b in sys.argv[1:]:
    base, size = map(int, b.split('+'))
    assert base % 65536 == 0 and 0x80000 <= base and base + size - 1 <= 0x6FFFFFFF, b" "${bases[@]}"
check "no two UID ranges overlap" python3 -c "
import sys
r = sorted(tuple(map(int, b.split('+'))) for b in sys.argv[1:])
assert all(a[0] + a[1] <= b[0] for a, b in zip(r, r[1:])), r" "${bases[@]}"
diag "MCS pairs seen: $(printf '%s\n' "${pairs[@]}" | sort -u | head -3 | tr '\n' ' ')..."
check_eq "$N distinct MCS pairs (c1<c2) in the running state" "$(distinct "${pairs[@]}")" "$N"
check_eq "berth list shows all $N" "$(berth list --no-legend | grep -c '^hc[0-9]* *running')" "$N"
t0=$(ms)
systemctl stop $(units)
diag "systemctl stop of $N containers: $(($(ms) - t0)) ms"
check_eq "after stopping all: no berth unit or scope is loaded" "$(running_units)" ""
check_eq "after stopping all: no berth cgroup left in machine.slice" "$(berth_cgroups)" ""
check_eq "after stopping all: berth list is empty" "$(berth list)" "No containers."
check_eq "after stopping all: machinectl lists none" "$(machinectl list --no-legend | grep -c '^hc')" 0
check "after stopping all: the first container starts again" systemctl start berth@hc1
systemctl stop berth@hc1

# --- daemon-reexec with containers running -----------------------------------------------------
systemctl start berth@hc1 berth@hc2 berth@hc3
before=$(for i in 1 2 3; do echo "$(prop "berth@hc$i.service" MainPID) $(machinectl show -p Leader --value "hc$i")"; done)
check "systemctl daemon-reexec" systemctl daemon-reexec
for _ in $(seq 50); do [ "$(systemctl is-system-running 2>/dev/null)" != starting ] && break; sleep 0.1; done
after=$(for i in 1 2 3; do echo "$(prop "berth@hc$i.service" MainPID) $(machinectl show -p Leader --value "hc$i")"; done)
check_eq "after daemon-reexec: same supervisors and payloads" "$after" "$before"
check "after daemon-reexec: the payloads still run" kill -0 $(echo "$after" | awk '{print $2}')
check_eq "after daemon-reexec: scopes active" \
        "$(for i in 1 2 3; do prop "berth-hc$i.scope" ActiveState; done | sort -u)" active
check_eq "after daemon-reexec: berth list shows them" "$(berth list --no-legend | grep -c '^hc[123] *running')" 3
check_eq "after daemon-reexec: machinectl lists them" "$(machinectl list --no-legend | grep -c '^hc[123] ')" 3
check "after daemon-reexec: they stop cleanly" systemctl stop berth@hc1 berth@hc2 berth@hc3
check_eq "after daemon-reexec and stop: no berth cgroup left" "$(berth_cgroups)" ""

# --- a payload that ignores SIGTERM ----------------------------------------------------------------
cat >/etc/berth/hterm.container <<'EOF'
[Container]
Exec=/bin/sh -c 'trap "" TERM; while :; do sleep 0.2; done'
TimeoutStopSec=2s
EOF
systemctl daemon-reload # the generator turns TimeoutStopSec= into a drop-in of the service
check_eq "TimeoutStopSec=2s reached berth@hterm.service" "$(prop berth@hterm.service TimeoutStopUSec)" 2s
systemctl start berth@hterm
L=$(machinectl show -p Leader --value hterm 2>/dev/null)
t0=$(ms)
systemctl stop berth@hterm
diag "stop of a payload ignoring SIGTERM took $(($(ms) - t0)) ms (TimeoutStopSec=2s)"
check "the payload ignoring SIGTERM is gone after stop" bash -c "! kill -0 '$L' 2>/dev/null"
check "systemd reports the stop timed out and killed it" \
        bash -c "journalctl -u berth@hterm.service --no-pager | grep -qE 'State .stop-sigterm. timed out. Killing'"
check_eq "no scope of it is left" "$(prop berth-hterm.scope LoadState)" not-found

# --- supervisor SIGKILL at each pipeline step, under systemd ----------------------------------------
printf '[Container]\n%s\n' "$payload" >/etc/berth/hk.container
mkdir -p /run/systemd/system/berth@hk.service.d
for step in lock identity clone register release state; do
        printf '[Service]\nEnvironment=BERTH_TEST_KILL_AT=%s\n' "$step" >/run/systemd/system/berth@hk.service.d/kill.conf
        systemctl daemon-reload
        systemctl start berth@hk >/dev/null 2>&1
        check_eq "kill after '$step' under systemd: the service failed (signal KILL)" \
                "$(prop berth@hk.service Result)" signal
        for _ in $(seq 300); do [ "$(prop berth-hk.scope LoadState)" = not-found ] && break; sleep 0.1; done
        check_eq "kill after '$step' under systemd: no scope, no cgroup left" \
                "$(prop berth-hk.scope LoadState) $(berth_cgroups)" "not-found "
        systemctl reset-failed berth@hk
        rm /run/systemd/system/berth@hk.service.d/kill.conf
        systemctl daemon-reload
        check "kill after '$step' under systemd: the next start works" systemctl start berth@hk
        systemctl stop berth@hk
done
tap_done
