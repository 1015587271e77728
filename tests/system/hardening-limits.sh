#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Resource exhaustion from inside a container, under systemd: a fork bomb against TasksMax= and a
# memory hog against MemoryMax=. Runs in test bed 1 (suite system) and, through tests/vm, in the
# VM bed. The limits reach systemd everywhere; they are only enforced where the cgroup v2 pids and
# memory controllers are available (the VM bed: on the plain host's hybrid cgroups bed 1's cgroup2
# has neither), so the enforcement checks run there and are not counted elsewhere.
set -u
. "$BERTH_SRC/tests/system/lib.sh"
PROBE=$BERTH_BUILD/tests/integration/escape/escape-probe
mkdir -p /etc/berth
scope_cg() { echo "/sys/fs/cgroup$(prop "berth-$1.scope" ControlGroup)"; }
wait_for() { # FILE PATTERN: until FILE's content matches (20 s)
        for _ in $(seq 200); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
        return 1
}
controllers=$(cat /sys/fs/cgroup/cgroup.controllers)
enforced=no
case " $controllers " in *" pids "*" memory "* | *" memory "*" pids "*) enforced=yes ;; esac
diag "cgroup v2 controllers here: $controllers; limits enforced: $enforced"
W=$(mktemp -d /var/tmp/berth-limits.XXXXXX)
# The payload's root is a user of its own UID range on the host: let it write its report.
chmod 0777 "$W"
trap 'systemctl stop berth@hbomb berth@hhog 2>/dev/null; rm -rf "$W"' EXIT
# The probe goes in with the bind, not by its build-tree path: the payload's /tmp is a private
# tmpfs (a checkout under /tmp is not there) and its root cannot traverse a 0700 parent directory.
mkdir -m 0755 "$W/bin"
install -m 0755 "$PROBE" "$W/bin/escape-probe"
# Under SELinux (the VM bed) the copy keeps the label of the build tree's probe, not /var/tmp's.
if [ -e /sys/fs/selinux/enforce ]; then chcon --reference="$PROBE" "$W/bin/escape-probe"; fi

# limited NAME LIMIT MODE ARG: a container whose payload is `escape-probe MODE ARG REPORT` (the
# probe from the build tree, bound read-only at /run/host-bin), REPORT in $W, under [Resources]
# LIMIT. Probe and report are host files with host labels: under SELinux the payload keeps
# berth's domain (SELinuxLabel=disable, berth.container(5)); what is tested here is the cgroup,
# not the label.
limited() {
        printf '[Container]\nExec=/run/host-bin/escape-probe %s %s /run/host-report/%s\n[Resources]\n%s\n[Files]\nBind=%s:/run/host-report\nBindReadOnly=%s/bin:/run/host-bin\n[Security]\nSELinuxLabel=disable\n' \
                "$3" "$4" "$1" "$2" "$W" "$W" >"/etc/berth/$1.container"
}

# --- fork bomb against TasksMax=32 -------------------------------------------------------------
# The payload forks until fork() fails or 300 children exist, reports how many it got, then idles.
limited hbomb "TasksMax=32" forkbomb 300
check "fork bomb container starts" systemctl start berth@hbomb
check_eq "TasksMax=32 reached the scope" "$(prop berth-hbomb.scope TasksMax)" 32
wait_for "$W/hbomb" spawned=
spawned=$(sed -n 's/^spawned=\([0-9]*\).*/\1/p' "$W/hbomb" 2>/dev/null)
diag "fork bomb: $(cat "$W/hbomb" 2>/dev/null); TasksCurrent=$(prop berth-hbomb.scope TasksCurrent)"
check "the fork bomb ran and reported" test -n "$spawned"
if [ "$enforced" = yes ]; then
        check "the fork bomb was stopped below 32 tasks (spawned $spawned)" test "${spawned:-999}" -lt 32
        check "pids.max of the scope's cgroup is 32" grep -qx 32 "$(scope_cg hbomb)/pids.max"
        check "pids.events of the scope counts refused forks" \
                bash -c "awk '\$1==\"max\" {exit !(\$2 > 0)}' '$(scope_cg hbomb)/pids.events'"
        check "TasksCurrent stays at or below 32" test "$(prop berth-hbomb.scope TasksCurrent)" -le 32
fi
# A transient service run to its end: the manager still forks and reaps (is-system-running --wait
# would hang where a oneshot job, like the VM bed's, is still starting).
check "the host still starts processes (systemd runs a transient service)" \
        timeout 60 systemd-run --wait --quiet --collect /bin/true
check "the fork bomb container stops" systemctl stop berth@hbomb
check_eq "no scope of the fork bomb is left" "$(prop berth-hbomb.scope LoadState)" not-found

# --- memory hog against MemoryMax=32M -------------------------------------------------------------
# A child of the payload touches 128M; the payload survives to report how the child ended.
limited hhog "MemoryMax=32M" memhog 128
check "memory hog container starts" systemctl start berth@hhog
check_eq "MemoryMax=32M reached the scope" "$(prop berth-hhog.scope MemoryMax)" 33554432
wait_for "$W/hhog" hog=
status=$(sed -n 's/^hog=//p' "$W/hhog" 2>/dev/null)
diag "the memory hog's child ended with ${status:-?}"
check "the memory hog ran and reported" test -n "$status"
if [ "$enforced" = yes ]; then
        check_eq "the memory hog was killed by the OOM killer (SIGKILL)" "$status" signal:9
        check "memory.events of the scope counts an OOM kill" \
                bash -c "awk '\$1==\"oom_kill\" {exit !(\$2 > 0)}' '$(scope_cg hhog)/memory.events'"
        check "the rest of the container survived (the payload still runs)" \
                test "$(prop berth-hhog.scope ActiveState)" = active
fi
check "the memory hog container stops" systemctl stop berth@hhog
check_eq "no scope of the memory hog is left" "$(prop berth-hhog.scope LoadState)" not-found
tap_done
