#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The shipped examples (units/examples/{web,redis,postgresql}.container) as an administrator runs
# them: /etc/berth/NAME.container and systemctl start berth@NAME, with the real Debian packages
# (one cached root with nginx-light, redis-server and postgresql-15 made on the host by
# tests/lib/debian-examples-root.sh, bed.sh's BED_PREPARE, given as $BED_PREPARED; in the VM bed
# too, issues 14 and 15). Each example's Directory= points at the root and a drop-in adds
# Ephemeral=yes, so the shared root stays as made. Real traffic:
# - web with VirtualEthernet=yes and Port=8080:80: a client in a network namespace made here (a
#   veth to this root namespace, 172.31.213.0/30) fetches nginx's page from this side's address
#   :8080 (DNAT), and the container reaches a server in the client's namespace, which sees this
#   side's address (masquerade);
# - redis: PING, SET, GET with redis-cli; postgresql: psql runs a query.
# Stop leaves nothing: no scope or cgroup, no bt-* link, no element in nft's ip berth table, the
# address lock released.
set -u
. "$BERTH_SRC/tests/system/lib.sh"
bed_prepared_root
NS=berthex$$
HOST_IP=172.31.213.1 CLIENT_IP=172.31.213.2
STATE=/run/berth
W=$(mktemp -d)
NETRW=
cleanup() {
        systemctl stop berth@web berth@redis berth@postgresql 2>/dev/null
        rm -rf /etc/berth/{web,redis,postgresql}.container /etc/berth/{web,redis,postgresql}.container.d
        [ -n "$(jobs -p)" ] && kill $(jobs -p) 2>/dev/null
        wait 2>/dev/null
        ip link del exh$$ 2>/dev/null
        ip netns del "$NS" 2>/dev/null
        [ -n "$NETRW" ] && umount /proc/sys/net
        rm -rf "$W"
}
trap cleanup EXIT
wait_for() { for _ in $(seq 600); do "$@" && return 0; sleep 0.2; done; return 1; } # 120 s (TCG)
state_of() { sed -n "s/^$2=//p" "$STATE/$1/state" 2>/dev/null; }
links() { ip -o link show | awk -F': ' '{print $2}' | sed 's/@.*//' | grep '^bt-' | sort; }
elements() { nft list table ip berth 2>/dev/null | grep -c 'elements ='; }
lock_free() { flock -n -x "$STATE/net/$1.lock" true; }
client() { ip netns exec "$NS" "$@"; }

# Bed 1 mounts /proc/sys read-only; its net/ belongs to the bed's own network namespace, and
# berth turns on net.ipv4.ip_forward there when a container needs it.
if ! [ -w /proc/sys/net/ipv4/ip_forward ] || ! (: >/proc/sys/net/ipv4/ip_forward) 2>/dev/null; then
        mount --bind /proc/sys/net /proc/sys/net && mount -o remount,bind,rw /proc/sys/net && NETRW=1
fi

# example NAME [LINE...]: /etc/berth/NAME.container from units/examples, on the cached root
example() {
        local name=$1 c=/etc/berth/$1.container
        shift
        mkdir -p /etc/berth "$c.d"
        sed "s#^Directory=.*#Directory=$ROOT#" "$BERTH_SRC/units/examples/$name.container" >"$c"
        { printf '[Container]\nEphemeral=yes\n'; [ $# = 0 ] || printf '%s\n' "$@"; } >"$c.d/50-test.conf"
}
# start NAME: systemctl start, the unit's journal as the diagnosis when it fails
start() {
        if systemctl start "berth@$1"; then
                ok "systemctl start berth@$1 (example $1, Debian's package)"
                CG[$1]=$(prop "berth-$1.scope" ControlGroup)
                return 0
        fi
        fail "systemctl start berth@$1 (example $1, Debian's package)"
        journalctl -q -u "berth@$1" -o cat --no-pager | tail -n 15 | sed 's/^/# /'
        return 1
}
# stopped NAME: the service, its scope and the scope's cgroup are gone
stopped() {
        systemctl stop "berth@$1"
        check_eq "$1: after stop the service is inactive" "$(prop "berth@$1.service" ActiveState)" inactive
        check "$1: after stop no scope berth-$1.scope" \
                bash -c "[ \"\$(systemctl show -P ActiveState berth-$1.scope)\" != active ]"
        check "$1: after stop no cgroup ${CG[$1]:-?}" bash -c "[ -n '${CG[$1]:-}' ] && [ ! -d '/sys/fs/cgroup${CG[$1]:-}' ]"
}
declare -A CG=()

# --- the client's network namespace: a veth to this one, private addresses -------------------
ip netns add "$NS"
ip link add exh$$ type veth peer name exc$$
ip link set exc$$ netns "$NS"
ip addr add "$HOST_IP/30" dev exh$$ && ip link set exh$$ up
client ip link set lo up
client ip addr add "$CLIENT_IP/30" dev exc$$
client ip link set exc$$ up
# A server in the client's namespace that writes the peer address it sees (one connection).
cat >"$W/peer.py" <<'PY'
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], 9000)); s.listen(1)
open(sys.argv[2] + ".ready", "w").close()
c, a = s.accept()
c.recv(4096); c.sendall(b"HTTP/1.0 200 OK\r\n\r\nhello from the client side\n"); c.close()
open(sys.argv[2], "w").write(a[0] + "\n")
PY
cat >"$W/get.py" <<'PY'
import sys, urllib.request
r = urllib.request.urlopen(sys.argv[1], timeout=10)
print(r.status); print(r.read().decode(errors="replace"))
PY
client python3 "$W/peer.py" "$CLIENT_IP" "$W/peer" &

# --- web: nginx with VirtualEthernet=yes, Port=8080:80 ----------------------------------------
example web '[Network]' VirtualEthernet=yes Port=8080:80
if start web; then
        addr=$(state_of web ADDRESS)
        addr=${addr%/30}
        subnet=${addr%.*}.$((${addr##*.} - 2))
        diag "web: $addr on $(state_of web INTERFACE)"
        # What stop must remove is there first (so the checks after stop are not vacuous).
        check_eq "web: while running, its link is bt-web" "$(links)" bt-web
        check "web: while running, table ip berth has elements" test "$(elements)" -gt 0
        check "web: while running, the address lock is held ($subnet)" bash -c "! flock -n -x '$STATE/net/$subnet.lock' true"
        page() { client python3 "$W/get.py" "http://$HOST_IP:8080/" >"$W/page" 2>&1 && [ "$(head -1 "$W/page")" = 200 ]; }
        check "web: from the client namespace, http://$HOST_IP:8080/ answers 200 (DNAT to nginx's port 80)" wait_for page
        check "web: the page is nginx's own" grep -q 'Welcome to nginx' "$W/page"
        head -3 "$W/page" | sed 's/^/# page: /'
        check "web: the workers run as www-data" \
                bash -c "berth exec web -- ps -o user= -C nginx | grep -qx www-data"
        wait_for test -e "$W/peer.ready"
        reply=$(timeout 60 berth exec web -- bash -c "exec 3<>/dev/tcp/$CLIENT_IP/9000; printf 'GET / HTTP/1.0\r\n\r\n' >&3; cat <&3" 2>&1)
        check "web: the container reaches a server in the client namespace" grep -q 'hello from the client side' <<<"$reply"
        wait_for test -s "$W/peer"
        check_eq "web: that server sees this side's address (masquerade)" "$(cat "$W/peer" 2>/dev/null)" "$HOST_IP"
        stopped web
        check_eq "web: after stop no bt-* link" "$(links)" ""
        check_eq "web: after stop no element left in table ip berth" "$(elements)" 0
        check "web: after stop the address lock is released ($subnet)" lock_free "$subnet"
        check "web: after stop the port lock is released" lock_free port-tcp-8080
fi

# --- redis -----------------------------------------------------------------------------------
example redis
if start redis; then
        cli() { timeout 60 berth exec redis -- redis-cli "$@" 2>&1; }
        check_eq "redis: PING" "$(cli ping)" PONG
        check_eq "redis: SET" "$(cli set berth-vm-key "hello $$")" OK
        check_eq "redis: GET" "$(cli get berth-vm-key)" "hello $$"
        stopped redis
fi

# --- postgresql ------------------------------------------------------------------------------
example postgresql
if start postgresql; then
        q() { timeout 60 berth exec -u postgres postgresql -- psql -Atqc "$1" 2>&1; }
        ready() { [ "$(q 'select 6*7')" = 42 ]; }
        check "postgresql: psql runs a query (select 6*7 = 42)" wait_for ready
        check_eq "postgresql: a table written and read back" \
                "$(q 'create table t as select g from generate_series(1, 1000) g; select sum(g) from t')" 500500
        stopped postgresql
fi
tap_done
