#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Boot=yes with a real Debian root (test bed 1; tests/lib/debian-boot-root.sh makes or finds it on
# the host, run by bed.sh as BED_PREPARE, bound into the bed as $BED_PREPARED): systemd boots to
# "running" inside, with systemd-logind up (it needs the uevent socket) and console-getty on the
# console pty; the boot messages are in journalctl -u berth@NAME; systemctl reboot inside
# restarts the container with a new leader, systemctl poweroff stops it cleanly (issue 15).
set -u
. "$BERTH_SRC/tests/system/lib.sh"
bed_prepared_root
N=deb$$
mkdir -p /etc/berth
cleanup() {
        systemctl stop "berth@$N" 2>/dev/null
        rm -f "/etc/berth/$N.container"
}
trap cleanup EXIT
inside() { timeout 60 berth exec "$N" -- "$@"; }
wait_for() { for _ in $(seq 300); do "$@" && return 0; sleep 0.2; done; return 1; }
running() { [ "$(inside systemctl is-system-running 2>/dev/null)" = running ]; }
leader_changed() { l=$(leader "$N"); [ -n "$l" ] && [ "$l" != "$1" ]; }
state_is() { [ "$(prop "berth@$N.service" ActiveState)" = "$1" ]; }

cat >"/etc/berth/$N.container" <<EOT
[Container]
Directory=$ROOT
Boot=yes
Ephemeral=yes
EOT

check "systemctl start berth@$N (ready when systemd inside says READY=1)" systemctl start "berth@$N"
check "systemd inside reaches running" wait_for running
st=$(inside systemctl is-system-running 2>&1)
check_eq "systemctl is-system-running inside" "$st" running
[ "$st" = running ] || inside systemctl --failed --no-legend 2>&1 | sed 's/^/# failed: /'
check_eq "systemd-logind is active" "$(inside systemctl is-active systemd-logind 2>&1)" active
check_eq "console-getty is active (the console is a terminal)" "$(inside systemctl is-active console-getty 2>&1)" active
journalctl --sync
check "the boot messages are in journalctl -u berth@$N" \
        bash -c "journalctl -a --no-pager -o cat -u 'berth@$N' | grep -q 'Reached target.*Multi-User System'"

L1=$(leader "$N")
inside systemctl reboot >/dev/null 2>&1
check "systemctl reboot inside: the container comes back with a new leader" wait_for leader_changed "$L1"
diag "leaders: $L1 then $(leader "$N")"
check "after the reboot systemd inside reaches running again" wait_for running
check_eq "the service restarted once" "$(journalctl -u "berth@$N" --no-pager | grep -c 'Scheduled restart job')" 1

inside systemctl poweroff >/dev/null 2>&1
check "systemctl poweroff inside stops the service" wait_for state_is inactive
check_eq "poweroff is a clean end: inactive, result success" \
        "$(prop "berth@$N.service" ActiveState)/$(prop "berth@$N.service" Result)" inactive/success
tap_done
