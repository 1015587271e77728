#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Runs inside test bed 1 (bed.sh): the unit-file model of a .container file as berth-generator
# turns it into systemd's. [Unit] dependencies between two containers (web after and requiring db)
# are honoured at start and stop; [Install] RequiredBy= links; a missing
# machines.target is reported; a masked container's service is masked, not failed; an escaped
# instance name (systemd-escape) is refused with the unit to start instead.
set -u
. "$BERTH_SRC/tests/system/lib.sh"
GEN=$BERTH_BUILD/units/berth-generator
T=$(mktemp -d /tmp/berth-units.XXXXXX)
chmod 755 "$T"
mkdir -p "$T/log"
chmod 777 "$T/log"
: >"$T/log/order"
chmod 666 "$T/log/order"
NAMES="udb uweb uinst umask u-esc"
cleanup() {
        systemctl stop berth@uweb berth@udb berth@uinst 2>/dev/null
        systemctl reset-failed 'berth@u\x2desc.service' 2>/dev/null
        for n in $NAMES; do rm -f "/etc/berth/$n.container"; systemctl reset-failed "berth@$n" 2>/dev/null; done
        systemctl daemon-reload
        rm -rf "$T"
}
trap cleanup EXIT
has() { tr ' ' '\n' <<<"$1" | grep -qx "$2"; } # has LIST WORD

mkdir -p /etc/berth
# Each payload records when it is up (then says READY=1: Notify=yes) and when it got its stop
# signal, in one shared file.
payload() {
        printf '[Container]\nNotify=yes\nExec=/bin/sh -c '\''trap "echo %s-down >>/mnt/order; exit 0" TERM; echo %s-up >>/mnt/order; systemd-notify --ready; while :; do sleep 0.2; done'\''\n[Files]\nBind=%s:/mnt\n' \
                "$1" "$1" "$T/log"
}
payload udb >/etc/berth/udb.container
{ payload uweb; printf '[Unit]\nAfter=udb.container\nRequires=udb.container\nWants=time-sync.target\n'; } \
        >/etc/berth/uweb.container
systemctl daemon-reload
check "uweb: After= has berth@udb.service" has "$(prop berth@uweb.service After)" berth@udb.service
check "uweb: Requires= has berth@udb.service" has "$(prop berth@uweb.service Requires)" berth@udb.service
check "uweb: Wants= has a plain unit name as given" has "$(prop berth@uweb.service Wants)" time-sync.target
check "systemctl start berth@uweb" systemctl start berth@uweb
check_eq "starting uweb started udb (Requires=)" "$(prop berth@udb.service ActiveState)" active
systemctl stop berth@udb
check_eq "stopping udb stopped uweb too (Requires=)" "$(prop berth@uweb.service ActiveState)" inactive
diag "order: $(tr '\n' ' ' <"$T/log/order")"
check_eq "udb came up before uweb, uweb went down before udb (After=)" "$(tr '\n' ' ' <"$T/log/order")" \
        "udb-up uweb-up uweb-down udb-down "

# --- [Install] RequiredBy= ---------------------------------------------------------------
printf '[Container]\nExec=/bin/true\n[Install]\nRequiredBy=multi-user.target\n' \
        >/etc/berth/uinst.container
systemctl daemon-reload
check "RequiredBy=multi-user.target is linked" \
        test -L /run/systemd/generator/multi-user.target.requires/berth@uinst.service
check "systemd sees multi-user.target require it" has "$(prop multi-user.target Requires)" berth@uinst.service

# --- machines.target missing: the generator says so ---------------------------------------------------
printf '[Container]\nExec=/bin/true\n[Install]\nWantedBy=machines.target\n' >/etc/berth/uinst.container
mkdir -p "$T/gen1" "$T/gen2" "$T/units"
BERTH_GENERATOR_UNIT_PATH=$T/units "$GEN" "$T/gen1" >"$T/out1" 2>&1
diag "$(cat "$T/out1")"
check "without machines.target in the unit path, the generator warns and names the package" \
        grep -q "machines.target is not installed.*systemd-container" "$T/out1"
touch "$T/units/machines.target"
BERTH_GENERATOR_UNIT_PATH=$T/units "$GEN" "$T/gen2" >"$T/out2" 2>&1
check "with machines.target present, no warning" bash -c "! grep -q 'machines.target is not installed' '$T/out2'"

# --- a masked container: its service is masked, a start is refused, no failed unit --------------
ln -s /dev/null /etc/berth/umask.container
mkdir -p /etc/systemd/system/multi-user.target.wants # enabled before it was masked
ln -sf "$(systemctl show -P FragmentPath berth@uinst.service)" /etc/systemd/system/multi-user.target.wants/berth@umask.service
systemctl daemon-reload
check_eq "umask: berth@umask.service is masked" "$(prop berth@umask.service LoadState)" masked
out=$(systemctl start berth@umask 2>&1)
check "umask: systemctl start is refused" test $? -ne 0
diag "$out"
check "umask: ... as masked" grep -q masked <<<"$out"
check_eq "umask: and leaves no failed unit" "$(prop berth@umask.service ActiveState)" inactive
check "umask: systemctl --failed does not list it" bash -c "! systemctl --failed --no-legend | grep -q berth@umask"
rm -f /etc/berth/umask.container /etc/systemd/system/multi-user.target.wants/berth@umask.service
printf '[Container]\nExec=/bin/true\n' >/etc/berth/umask.container
systemctl daemon-reload
check_eq "umask: unmasked, it loads again" "$(prop berth@umask.service LoadState)" loaded

# --- an escaped instance name: refused, naming the unit to start -------------------------------
printf '[Container]\nExec=/bin/true\n' >/etc/berth/u-esc.container
unit=$(systemd-escape --template berth@.service u-esc)
check_eq "systemd-escape gives the escaped instance" "$unit" 'berth@u\x2desc.service'
systemctl start "$unit" 2>/dev/null
journalctl --sync
msg=$(journalctl -u "$unit" --no-pager -o cat | grep -F "escaped unit instance")
diag "$msg"
check "the escaped instance's journal names the unit to start" grep -qF "systemctl start berth@u-esc" <<<"$msg"

tap_done
