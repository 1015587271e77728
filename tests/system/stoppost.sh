#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Runs inside test bed 1 (bed.sh), whose network namespace is its own. A VirtualEthernet=yes,
# Port= container whose PID 1 ignores SIGTERM: `systemctl stop` waits TimeoutStopSec= (a short
# drop-in) and SIGKILLs the supervisor. berth@.service's ExecStopPost= (berth cleanup) removes what
# the killed supervisor left -- its nft elements, its bt-* link, its address lock, the forwarding
# it turned on -- at that stop, with no other start or stop in between, and says so in the unit's
# journal. Another container that runs meanwhile keeps its own; a restart of the killed one comes
# back with its network; a clean stop leaves nothing and takes nothing from the one still running.
set -u
. "$BERTH_SRC/tests/system/lib.sh"
log_dir stoppost
cleanup() {
        systemctl stop berth@postkill.service berth@postkeep.service 2>/dev/null
        systemctl reset-failed berth@postkill.service berth@postkeep.service 2>/dev/null
        rm -rf /etc/systemd/system/berth@postkill.service.d
        rm -f /etc/berth/postkill.container /etc/berth/postkeep.container
        systemctl daemon-reload
        rm -rf "$T"
}
trap cleanup EXIT

links() { ip -o link show | awk -F': ' '{print $2}' | sed 's/@.*//' | grep '^bt-' | sort | tr '\n' ' '; }
table() { nft list table ip berth 2>/dev/null; }
# held_locks: the /30 and port lock files under /run/berth/net that someone holds.
held_locks() {
        for l in /run/berth/net/*.lock; do
                [ -e "$l" ] || continue
                flock -n -x "$l" true || echo "${l##*/}"
        done | tr '\n' ' '
}
# How the unit's last `berth cleanup` (ExecStopPost=) ended: "code=exited ; status=0" when it
# succeeded. systemd keeps it while the unit is failed (a stop by timeout), not after a clean stop.
cleanup_status() {
        systemctl show -p ExecStopPost "berth@$1.service" | grep -o 'berth cleanup ;[^}]*' |
                grep -o 'code=[a-z]* ; status=[0-9]*'
}
# collected_logged NAME N: the journal of berth@NAME has (within 10 s) N lines of berth cleanup
# saying it removed what NAME's killed supervisor left.
collected_logged() {
        for _ in $(seq 100); do
                [ "$(journalctl -u "berth@$1" -o cat |
                        grep -c "network state container $1 left behind (its supervisor was killed)")" -ge "$2" ] &&
                        return 0
                sleep 0.1
        done
        return 1
}
# in_table TEXT: TEXT (not empty) is in berth's table.
in_table() { [ -n "$1" ] && table | grep -qF -- "$1"; }
# subnet_lock ADDRESS: the /30's lock file of a container address (.2 of the /30).
subnet_lock() { echo "${1%.*}.$((${1##*.} - 2)).lock"; }
# addr NAME: the container's address as berth status shows it ("10.x.y.z").
addr() { berth status --no-pager "$1" 2>/dev/null | sed -n 's|.*Address: \([0-9.]*\)/30 on .*|\1|p'; }

mkdir -p /etc/berth /etc/systemd/system/berth@postkill.service.d
# PID 1 of a PID namespace gets no signal it has no handler for; trap '' TERM says so once more.
container postkill "Exec=/bin/sh -c 'trap \"\" TERM; echo up >>/mnt/log; while :; do sleep 0.2; done'" \
        "[Network]" "VirtualEthernet=yes" "Port=8082:80"
container postkeep "Exec=/bin/sh -c 'trap \"exit 0\" TERM; echo up >>/mnt/log; while :; do sleep 0.2; done'" \
        "[Network]" "VirtualEthernet=yes" "Port=8081:80"
printf '[Service]\nTimeoutStopSec=3s\n' >/etc/systemd/system/berth@postkill.service.d/50-short.conf
systemctl daemon-reload
fwd_before=$(sysctl -n net.ipv4.ip_forward)
check_eq "forwarding is off before (what berth must restore)" "$fwd_before" 0
up() { for _ in $(seq 100); do [ "$(count "$1" up)" -ge "$2" ] && return 0; sleep 0.1; done; return 1; }

# --- 1. the only VirtualEthernet= container, killed at TimeoutStopSec= ---------------------------
if check "postkill: systemctl start" systemctl start berth@postkill; then
        check "postkill: the payload is up" up postkill 1
        A=$(addr postkill)
        check "postkill: its address is in berth's table" in_table "$A"
        check_eq "postkill: its link is there" "$(links)" "bt-postkill "
        check_eq "postkill: forwarding is on while it runs" "$(sysctl -n net.ipv4.ip_forward)" 1
else
        diag "$(journalctl -u berth@postkill --no-pager -n 20 2>&1)"
fi
systemctl stop berth@postkill
check_eq "postkill: the stop ended at TimeoutStopSec= (the supervisor was SIGKILLed)" \
        "$(prop berth@postkill.service Result)" timeout
check_eq "after the stop: no element in table ip berth" "$(table | grep -c 'elements =')" 0
check_eq "after the stop: no bt-* link" "$(links)" ""
check_eq "after the stop: no address or port lock is held" "$(held_locks)" ""
check_eq "after the stop: forwarding as it was before" "$(sysctl -n net.ipv4.ip_forward)" "$fwd_before"
check_eq "after the stop: berth cleanup succeeded" "$(cleanup_status postkill)" "code=exited ; status=0"
check "after the stop: its journal says what was cleaned up" collected_logged postkill 1
systemctl reset-failed berth@postkill 2>/dev/null

# --- 2. killed while another VirtualEthernet= container runs: that one keeps everything ----------
check "postkeep: systemctl start" systemctl start berth@postkeep
check "postkill: systemctl start beside it" systemctl start berth@postkill
check "postkeep: the payload is up" up postkeep 1
check "postkill: the payload is up" up postkill 2
K=$(addr postkeep)
systemctl stop berth@postkill
check_eq "postkill stopped by SIGKILL again" "$(prop berth@postkill.service Result)" timeout
check_eq "postkill: berth cleanup succeeded again" "$(cleanup_status postkill)" "code=exited ; status=0"
systemctl reset-failed berth@postkill 2>/dev/null
check "postkeep still runs" systemctl is-active -q berth@postkeep
check_eq "only postkeep's link is left" "$(links)" "bt-postkeep "
check "postkeep's address is still in berth's table" in_table "$K"
check "postkeep's port is still mapped" in_table "8081 : $K"
check "postkill's port is not" bash -c '! grep -qF "8082 :" <<<"$1"' _ "$(table)"
check_eq "only postkeep's address and port locks are held" "$(held_locks)" "$(subnet_lock "$K") port-tcp-8081.lock "
check_eq "forwarding stays on for postkeep" "$(sysctl -n net.ipv4.ip_forward)" 1

# --- 3. a restart of the one that is killed at its stop: back with its network ------------------
check "postkill: systemctl start" systemctl start berth@postkill
check "postkill: the payload is up" up postkill 3
check "postkill: systemctl restart (its stop SIGKILLs the supervisor)" systemctl restart berth@postkill
check "postkill: active again" systemctl is-active -q berth@postkill
check "postkill: its payload is up again" up postkill 4
A=$(addr postkill)
check "postkill after the restart: its address is in berth's table" in_table "$A"
check "postkill after the restart: its port is mapped" in_table "8082 : $A"
check_eq "postkill after the restart: both links" "$(links)" "bt-postkeep bt-postkill "
# The next start collects silently; the cleanup at the stop logs each container it cleans up.
check "the restart's stop cleaned up after the killed supervisor itself (third time in its journal)" \
        collected_logged postkill 3

# --- 4. a clean stop (nothing left to collect), then the killed one last ------------------------
systemctl stop berth@postkeep
check_eq "postkeep stopped cleanly" "$(prop berth@postkeep.service Result)" success
check_eq "postkeep's clean stop: only postkill's link is left" "$(links)" "bt-postkill "
check "postkeep's clean stop: postkill's address is still in berth's table" in_table "$A"
check "postkeep's clean stop: postkill's port is still mapped" in_table "8082 : $A"
check_eq "postkeep's clean stop: only postkill's locks are held" "$(held_locks)" \
        "$(subnet_lock "$A") port-tcp-8082.lock "
check_eq "postkeep's clean stop: nothing was cleaned up after it" \
        "$(journalctl -u berth@postkeep -o cat | grep -c 'left behind (its supervisor was killed)')" 0
systemctl stop berth@postkill
check_eq "all stopped: no element in table ip berth" "$(table | grep -c 'elements =')" 0
check_eq "all stopped: no bt-* link" "$(links)" ""
check_eq "all stopped: no lock is held" "$(held_locks)" ""
check_eq "all stopped: forwarding as it was before" "$(sysctl -n net.ipv4.ip_forward)" "$fwd_before"

tap_done
