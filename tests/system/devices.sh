#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Runs inside test bed 1 (bed.sh): DeviceAllow= (issue 21). A host device node bound into a
# container keeps its device-ness, but the scope's device cgroup (DevicePolicy=closed, enforced by
# systemd's cgroup v2 BPF device program) refuses it with EPERM unless DeviceAllow= names it, with
# the access it gives. The node is a character device made in the bed's own /dev (1:11, the
# kernel log, opened for writing only: nothing is written), which the closed policy does not admit.
set -u
. "$BERTH_SRC/tests/lib/tap.sh"
T=$(mktemp -d /tmp/berth-devices.XXXXXX)
chmod 755 "$T"
NODE=/dev/berth-devtest-$$
NAMES="devallow devdeny devronly"
cleanup() {
        for n in $NAMES; do systemctl stop "berth@$n.service" 2>/dev/null; done
        for n in $NAMES; do
                systemctl reset-failed "berth@$n.service" 2>/dev/null
                rm -f "/etc/berth/$n.container"
        done
        rm -f "$NODE"
        rm -rf "$T"
}
trap cleanup EXIT
mkdir -p /etc/berth
mknod -m 666 "$NODE" c 1 11

# container NAME [Security] lines...: binds NODE at /dev/probe, opens it for writing once and
# records the outcome in /mnt/result (and the shell's error in /mnt/err), then waits to be stopped.
container() {
        local n=$1
        shift
        mkdir -p "$T/$n"
        chmod 777 "$T/$n"
        {
                echo "[Container]"
                echo "Exec=/bin/sh -c 'if (: 3>/dev/probe) 2>/mnt/err; then echo open-ok >/mnt/result; \
else echo open-failed >/mnt/result; fi; trap \"exit 0\" TERM; while :; do sleep 0.2; done'"
                echo "[Security]"
                printf '%s\n' "$@"
                printf '[Files]\nBind=%s:/mnt\nBind=%s:/dev/probe\n' "$T/$n" "$NODE"
        } >"/etc/berth/$n.container"
}
result() { for _ in $(seq 100); do [ -s "$T/$1/result" ] && break; sleep 0.1; done; cat "$T/$1/result" 2>/dev/null; }

container devallow "DeviceAllow=$NODE w"
container devdeny
container devronly "DeviceAllow=$NODE r"

check "the bed's systemd enforces DevicePolicy=closed (a plain unit cannot open the node)" \
        bash -c "! systemd-run --wait --pipe --quiet -p DevicePolicy=closed sh -c ': 3>$NODE' 2>/dev/null"

check "devallow: berth verify accepts DeviceAllow= of a device node" berth verify -q devallow
check "devallow: systemctl start" systemctl start berth@devallow
check_eq "devallow: the payload opens the bound node" "$(result devallow)" open-ok
check "devallow: the scope's DeviceAllow= property carries the entry" \
        bash -c "systemctl show -P DeviceAllow berth-devallow.scope | grep -qF '$NODE w'"
check_eq "devallow: the scope's policy stays closed" "$(systemctl show -P DevicePolicy berth-devallow.scope)" closed

check "devdeny: systemctl start" systemctl start berth@devdeny
check_eq "devdeny: without DeviceAllow= the open fails" "$(result devdeny)" open-failed
check "devdeny: with EPERM (the device cgroup), not a missing node or a nodev mount" \
        grep -q "Operation not permitted" "$T/devdeny/err"
diag "devdeny: $(cat "$T/devdeny/err" 2>/dev/null)"

check "devronly: systemctl start" systemctl start berth@devronly
check_eq "devronly: DeviceAllow= with r only: opening for writing fails" "$(result devronly)" open-failed
check "devronly: with EPERM" grep -q "Operation not permitted" "$T/devronly/err"

for n in $NAMES; do systemctl stop "berth@$n.service"; done
tap_done
