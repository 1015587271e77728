#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Runs inside test bed 1 (bed.sh): the rest of issue 21's systemd citizenship. machinectl status
# shows the container's output (journalctl -u keeps it, once); machinectl copy-from works and
# berth exec -T is the documented way in (copy-to's EOVERFLOW is printed, see berth@.service(8));
# a machine name that is taken is reported with its holder and the fix (not "File exists");
# systemctl reload sends the payload its ReloadSignal= through the supervisor, once per reload,
# and the container keeps running (also an init with Boot=yes: SIGHUP); [Install] Alias= and
# UpheldBy= mean what systemd makes of them; a host-network container orders after
# network-online.target.
# Each payload writes what it received to a file in a directory bound from the bed.
set -u
. "$BERTH_SRC/tests/system/lib.sh"
log_dir citizen
NAMES="czcopy czlog czdup czrel czusr czboot czalias czup czhost czveth"
cleanup() {
        systemctl stop cz-up.target czforeign.service 2>/dev/null
        for n in $NAMES; do systemctl stop "berth@$n.service" 2>/dev/null; done
        for n in $NAMES; do systemctl reset-failed "berth@$n.service" 2>/dev/null; done
        busctl call org.freedesktop.machine1 /org/freedesktop/machine1 org.freedesktop.machine1.Manager \
                UnregisterMachine s czdup >/dev/null 2>&1
        for n in $NAMES; do rm -f "/etc/berth/$n.container"; done
        rm -f /etc/systemd/system/cz-up.target
        systemctl daemon-reload
        rm -rf "$T"
}
trap cleanup EXIT
mkdir -p /etc/berth

wait_count() { for _ in $(seq 100); do [ "$(count "$1" "$2")" -ge "$3" ] && return 0; sleep 0.1; done; return 1; }
# a payload that records "up" and each SIG it handles, and runs until stopped
payload_handling() { # SIG
        echo "Exec=/bin/sh -c 'trap \"echo $1 >>/mnt/log\" $1; trap \"exit 0\" TERM; echo up >>/mnt/log; \
while :; do sleep 0.2; done'"
}

# --- 0. machinectl status shows the container's log lines (the scope's journal) -----------------
TOKEN="czlog-line-$$-$RANDOM"
container czlog "Exec=/bin/sh -c 'trap \"exit 0\" TERM; echo $TOKEN-out; echo $TOKEN-err >&2; echo up >>/mnt/log; \
while :; do sleep 0.2; done'"
check "czlog: systemctl start" systemctl start berth@czlog
check "czlog: the payload is up" wait_count czlog up 1
# a journal line "... czlog[PID]: TEXT" (the token is in the cgroup tree's command lines too)
in_status() {
        for _ in $(seq 50); do
                machinectl status czlog --no-pager -n 50 2>/dev/null | grep -q "czlog\[[0-9]*\]: $1\$" && return 0
                sleep 0.1
        done
        return 1
}
check "czlog: machinectl status shows the payload's stdout line" in_status "$TOKEN-out"
check "czlog: and its stderr line" in_status "$TOKEN-err"
diag "$(machinectl status czlog --no-pager -n 5 2>&1 | tail -3)"
check_eq "czlog: journalctl -u berth@czlog keeps each line, once" \
        "$(journalctl -u berth@czlog.service --no-pager -o cat | grep -c "$TOKEN")" 2
check_eq "czlog: filed under the service by journald, from the supervisor" \
        "$(journalctl --no-pager -o cat _SYSTEMD_UNIT=berth@czlog.service | grep -c "$TOKEN")" 2
check_eq "czlog: the stderr line is an error, tagged with the container's name" \
        "$(journalctl -u berth@czlog.service --no-pager -o cat -p err -t czlog | grep -c "$TOKEN-err")" 1
systemctl stop berth@czlog

# --- 0b. files in and out: machinectl copy-from; copy-to's documented way round ---------------
container czcopy "Exec=/bin/sh -c 'trap \"exit 0\" TERM; echo inside-$$ >/tmp/from; echo up >>/mnt/log; \
while :; do sleep 0.2; done'"
check "czcopy: systemctl start" systemctl start berth@czcopy
check "czcopy: the payload is up" wait_count czcopy up 1
check "czcopy: machinectl copy-from" machinectl copy-from czcopy /tmp/from "$T/from"
check_eq "czcopy: the file's content" "$(cat "$T/from" 2>/dev/null)" "inside-$$"
check_eq "czcopy: owned by the host's root on the host" "$(stat -c %u:%g "$T/from" 2>/dev/null)" 0:0
diag "czcopy: machinectl copy-to: $(machinectl copy-to czcopy "$T/from" /tmp/to 2>&1)"
echo "host-$$" >"$T/to"
check "czcopy: berth exec -T copies a file in (berth@.service(8))" \
        bash -c "berth exec -T czcopy -- sh -c 'cat >/tmp/to' <'$T/to'"
check_eq "czcopy: its content inside" "$(berth exec -T czcopy -- cat /tmp/to </dev/null 2>/dev/null)" "host-$$"
check_eq "czcopy: owned by the container's root inside" \
        "$(berth exec -T czcopy -- stat -c %u:%g /tmp/to </dev/null 2>/dev/null)" 0:0
systemctl stop berth@czcopy

# --- 1. a machine name already registered with machined: who holds it, and the fix -------------
systemd-run --quiet --unit=czforeign.service sleep infinity
FPID=$(prop czforeign.service MainPID)
busctl call org.freedesktop.machine1 /org/freedesktop/machine1 org.freedesktop.machine1.Manager \
        RegisterMachine sayssus czdup 0 nspawn container "$FPID" / >/dev/null
check_eq "czdup: the foreign machine holds the name" "$(machinectl show -p Unit --value czdup)" czforeign.service
container czdup "$(payload_handling USR1)"
systemctl start berth@czdup
MSG=$(journalctl -b -u berth@czdup.service -o cat --no-pager 2>/dev/null | grep "systemd-machined")
diag "czdup: $MSG"
check "czdup: the warning names the holder's unit" grep -q "czforeign.service" <<<"$MSG"
check "czdup: and its leader" grep -q "leader PID $FPID" <<<"$MSG"
check "czdup: and the fix" grep -q "machinectl terminate czdup" <<<"$MSG"
check "czdup: not machined's bare \"File exists\"" bash -c "! grep -q 'File exists' <<<'$MSG'"
check_eq "czdup: the foreign machine keeps its name" "$(machinectl show -p Unit --value czdup)" czforeign.service
systemctl stop berth@czdup czforeign.service

# --- 2. reload: the payload's PID 1 gets ReloadSignal= once per reload; it keeps running -------
container czrel "$(payload_handling HUP)"
check "czrel: systemctl start" systemctl start berth@czrel
check "czrel: the payload is up" wait_count czrel up 1
L=$(leader czrel)
check "czrel: systemctl reload (1)" systemctl reload berth@czrel
check "czrel: the HUP handler ran" wait_count czrel HUP 1
check "czrel: berth reload (2)" berth reload czrel
check "czrel: the HUP handler ran again" wait_count czrel HUP 2
check_eq "czrel: once per reload" "$(count czrel HUP)" 2
check_eq "czrel: the same payload runs (no restart)" "$(leader czrel)/$(count czrel up)" "$L/1"
check_eq "czrel: the unit stays active" "$(prop berth@czrel.service ActiveState)" active
systemctl stop berth@czrel

container czusr "$(payload_handling USR1)" "ReloadSignal=SIGUSR1"
check "czusr: berth verify accepts ReloadSignal=" berth verify -q czusr
check "czusr: systemctl start" systemctl start berth@czusr
check "czusr: the payload is up" wait_count czusr up 1
check "czusr: systemctl reload" systemctl reload berth@czusr
check "czusr: ReloadSignal=SIGUSR1 reached the handler" wait_count czusr USR1 1
check_eq "czusr: the unit stays active" "$(prop berth@czusr.service ActiveState)" active
systemctl stop berth@czusr

# Boot=yes: an init is reloaded with SIGHUP (systemd's daemon-reload), the default ReloadSignal=
container czboot "Boot=yes" "Notify=no" "KillSignal=SIGTERM" "$(payload_handling HUP)"
check "czboot (Boot=yes): systemctl start" systemctl start berth@czboot
check "czboot: the init is up" wait_count czboot up 1
check "czboot: systemctl reload" systemctl reload berth@czboot
check "czboot: the init got SIGHUP" wait_count czboot HUP 1
check_eq "czboot: once; the unit stays active" "$(count czboot HUP)/$(prop berth@czboot.service ActiveState)" 1/active
systemctl stop berth@czboot

# --- 3. [Install] Alias= and UpheldBy= ----------------------------------------------------------
container czalias "$(payload_handling USR1)" "[Install]" "Alias=webalias@.service alt@%i.service"
cat >/etc/systemd/system/cz-up.target <<'EOT'
[Unit]
Description=berth test: upholds a container
EOT
container czup "Exec=/bin/sh -c 'trap \"exit 0\" TERM; echo up >>/mnt/log; while [ ! -e /mnt/exit ]; do sleep 0.2; done; rm -f /mnt/exit'" \
        "[Install]" "UpheldBy=cz-up.target"
check "czalias, czup: berth verify accepts Alias= and UpheldBy=" berth verify -q czalias czup
printf '[Container]\nExec=/bin/true\n[Install]\nAlias=web.service\n' >"$T/czbad.container"
check "berth verify refuses an alias systemd would refuse (a plain name for an instance)" \
        bash -c "! berth verify -q '$T/czbad.container' 2>/dev/null"
systemctl daemon-reload
check_eq "czalias: Alias=alt@%i.service names berth@czalias.service" "$(prop alt@czalias.service Id)" \
        berth@czalias.service
check "czalias: systemctl start webalias@czalias.service" systemctl start webalias@czalias.service
check_eq "czalias: it is berth@czalias.service" "$(prop berth@czalias.service ActiveState)" active
check "czalias: one unit with both names" \
        bash -c "systemctl show -P Names berth@czalias.service | grep -qw webalias@czalias.service"
systemctl stop webalias@czalias.service
check_eq "czalias: stopping the alias stops the container" "$(prop berth@czalias.service ActiveState)" inactive

check "czup: systemctl start cz-up.target" systemctl start cz-up.target
check "czup: the target upholds the container" \
        bash -c "systemctl show -P UpheldBy berth@czup.service | grep -qw cz-up.target"
check "czup: the upheld container started" wait_count czup up 1
touch "$T/czup/exit"
check "czup: after its payload exited, systemd started it again" wait_count czup up 2
systemctl stop cz-up.target
systemctl stop berth@czup

# --- 4. network ordering ------------------------------------------------------------------------
container czhost "Exec=/bin/true" "[Network]" "Private=no"
container czveth "Exec=/bin/true" "[Network]" "VirtualEthernet=yes"
systemctl daemon-reload
check "czhost: Private=no orders after network-online.target" \
        bash -c "systemctl show -P After berth@czhost.service | grep -qw network-online.target"
check "czhost: and wants it" \
        bash -c "systemctl show -P Wants berth@czhost.service | grep -qw network-online.target"
check "czveth: VirtualEthernet=yes orders after network.target" \
        bash -c "systemctl show -P After berth@czveth.service | grep -qw network.target"
check "czveth: without pulling in network-online.target" \
        bash -c "! systemctl show -P Wants berth@czveth.service | grep -qw network-online.target"

tap_done
