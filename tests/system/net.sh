#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Runs inside test bed 1 (bed.sh), whose network namespace is its own: a container with
# VirtualEthernet=yes and Port=8080:80 started by `systemctl start berth@NAME` serves from a
# client network namespace through the published port; berth status shows it; `systemctl stop`
# leaves no bt-* link, no element in berth's table, no held address lock, and forwarding off again.
set -u
. "$BERTH_SRC/tests/lib/tap.sh"
T=$(mktemp -d /tmp/berth-net.XXXXXX)
chmod 755 "$T"
echo "hello from the container" >"$T/index.html"
chmod 644 "$T/index.html"
CLIENT_PID=
cleanup() {
        systemctl stop berth@netweb.service 2>/dev/null
        systemctl reset-failed berth@netweb.service 2>/dev/null
        [ -n "$CLIENT_PID" ] && kill -KILL "$CLIENT_PID" 2>/dev/null
        ip link del host0 2>/dev/null
        rm -f /etc/berth/netweb.container
        systemctl daemon-reload
        rm -rf "$T"
}
trap cleanup EXIT

links() { ip -o link show | awk -F': ' '{print $2}' | sed 's/@.*//' | grep '^bt-' | sort; }
client() { nsenter -t "$CLIENT_PID" -n "$@"; }

# The client: a namespace of its own on a veth to the bed's (the "host" here).
. "$BERTH_SRC/tests/lib/netns.sh"
netns_holder CLIENT_PID
ip link set lo up
ip link add host0 type veth peer name cl0 netns "$CLIENT_PID"
ip addr add 192.0.2.1/24 dev host0 && ip link set host0 up
client ip link set lo up && client ip addr add 192.0.2.2/24 dev cl0 && client ip link set cl0 up
fwd_before=$(sysctl -n net.ipv4.ip_forward)
diag "ip_forward before: $fwd_before"

mkdir -p /etc/berth
cat >/etc/berth/netweb.container <<C
[Container]
Exec=/bin/busybox sh -c 'trap "exit 0" TERM; busybox httpd -p 80 -h /srv; while :; do sleep 1; done'
[Files]
BindReadOnly=$T:/srv
[Network]
VirtualEthernet=yes
Port=8080:80
C
systemctl daemon-reload
if check "systemctl start berth@netweb (VirtualEthernet=yes, Port=8080:80)" systemctl start berth@netweb; then
        got=
        for _ in $(seq 50); do
                got=$(client curl -s --max-time 2 http://192.0.2.1:8080/) && [ -n "$got" ] && break
                sleep 0.2
        done
        check_eq "from a client netns, HOST:8080 reaches the container's port 80" "$got" \
                "hello from the container"
        status=$(berth status --no-pager netweb 2>&1)
        check "berth status shows the address on bt-netweb" \
                grep -q "Address: 10\.[0-9.]*/30 on bt-netweb$" <<<"$status"
        check "berth status shows the published port" grep -q "Ports: tcp:8080:80$" <<<"$status"
        check_eq "forwarding is on while it runs" "$(sysctl -n net.ipv4.ip_forward)" 1
else
        diag "$(journalctl -u berth@netweb --no-pager -n 20 2>&1)"
fi
systemctl stop berth@netweb
check_eq "after systemctl stop: no bt-* link" "$(links)" ""
check_eq "after systemctl stop: no element in table ip berth" \
        "$(nft list table ip berth 2>/dev/null | grep -c 'elements =')" "0"
check "after systemctl stop: no address lock is held" sh -c '
        for l in /run/berth/net/*.lock; do
                [ -e "$l" ] || continue
                flock -n -x "$l" true || exit 1
        done'
check_eq "after systemctl stop: forwarding as it was before" "$(sysctl -n net.ipv4.ip_forward)" "$fwd_before"

# The supervisor SIGKILLed (systemctl kill): its unit's ExecStopPost= (berth cleanup) removes its
# elements once it is gone; the next start works, and its stop leaves nothing either.
systemctl start berth@netweb
systemctl kill --kill-who=main --signal=SIGKILL berth@netweb
for _ in $(seq 100); do
        case $(systemctl show -P ActiveState berth@netweb) in inactive | failed) break ;; esac
        sleep 0.2
done
systemctl stop berth-netweb.scope 2>/dev/null
systemctl reset-failed berth@netweb 2>/dev/null
check_eq "SIGKILL: the killed supervisor's elements are gone with its unit" \
        "$(nft list table ip berth 2>/dev/null | grep -c 'elements =')" "0"
check "SIGKILL: the next systemctl start works" systemctl start berth@netweb
systemctl stop berth@netweb
check_eq "SIGKILL, start, stop: no element in table ip berth" \
        "$(nft list table ip berth 2>/dev/null | grep -c 'elements =')" "0"
check_eq "SIGKILL, start, stop: no bt-* link" "$(links)" ""
check_eq "SIGKILL, start, stop: forwarding as it was before" "$(sysctl -n net.ipv4.ip_forward)" "$fwd_before"

tap_done
