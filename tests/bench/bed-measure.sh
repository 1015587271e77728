#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# run.sh b): start-to-exit of /bin/true through systemd, run INSIDE a booted test bed 1 (systemd
# as PID 1; tests/system/bed.sh runs it as a transient service). Works in any booted bed that
# has berth installed, /etc/berth/bench.container (Exec=/bin/true) and this build dir shared.
#
# usage: bed-measure.sh OUT_DIR ROOT OCI_CONFIG REPS
#   writes OUT_DIR/b-systemd.tsv (bench-rr format); prints TAP lines for the harness.
set -u
out=$1 root=$2 oci=$3 reps=$4
rr=$(readlink -f "$out/../tests/bench/bench-rr")
n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); echo "not ok $n - $*"; }
cleanup() {
        systemctl stop berth@bench.service systemd-nspawn@benchns.service >/dev/null 2>&1
        crun delete -f bench-crun-bed >/dev/null 2>&1
        umount /var/lib/machines/benchns 2>/dev/null
        rm -rf /tmp/bench-bundle
}
trap cleanup EXIT

mkdir -p /tmp/bench-bundle && cp "$oci" /tmp/bench-bundle/config.json
# systemd-nspawn@.service runs /var/lib/machines/NAME with -U --boot; the .nspawn file turns
# that into "run /bin/true, no veth" (the unit's own defaults otherwise).
mkdir -p /var/lib/machines/benchns /etc/systemd/nspawn
mount --bind "$root" /var/lib/machines/benchns
printf '[Exec]\nBoot=no\nParameters=/bin/true\n\n[Network]\nVirtualEthernet=no\nPrivate=yes\n' \
        >/etc/systemd/nspawn/benchns.nspawn

# crun as podman drives it under systemd: the systemd cgroup manager when it works here
crun_mgr=systemd
systemd-run --wait -q --collect crun --cgroup-manager=systemd run --bundle /tmp/bench-bundle bench-crun-bed \
        >/dev/null 2>&1 || crun_mgr=disabled

for probe in "systemctl start --wait berth@bench.service" "systemctl start --wait systemd-nspawn@benchns.service"; do
        if $probe; then ok "$probe"; else notok "$probe"; journalctl -n 20 --no-pager | sed 's/^/# /'; fi
done

"$rr" -n "$reps" -w 3 -o "$out/b-systemd.tsv" \
        "berth@.service=systemctl start --wait berth@bench.service" \
        "systemd-nspawn@.service=systemctl start --wait systemd-nspawn@benchns.service" \
        "systemd-run+systemd-nspawn=systemd-run --wait -q --collect systemd-nspawn -q -D $root --private-users=pick --private-network /bin/true" \
        "systemd-run+crun=systemd-run --wait -q --collect crun --cgroup-manager=$crun_mgr run --bundle /tmp/bench-bundle bench-crun-bed" \
        "systemd-run (floor)=systemd-run --wait -q --collect /bin/true"
rc=$?
if [ $rc = 0 ]; then ok "interleaved runs through systemd (crun cgroup manager: $crun_mgr)"; else notok "some runs failed"; fi
echo "1..$n"
exit $rc
