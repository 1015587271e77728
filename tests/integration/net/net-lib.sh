# SPDX-License-Identifier: LGPL-2.1-or-later
# Sourced by the VirtualEthernet= tests after tests/integration/lib.sh, inside the throwaway
# network namespace that plays the host (each test re-executes itself under unshare --net): the
# container root with a page to serve, and the "wan" peer namespace on a veth (host0 HOST_IP,
# wan0 WAN_IP), held by a sleeping process, so nothing is left behind; wan CMD... runs there;
# and the helpers both tests use on it (web_container, state_of, links, stop).
it_setup
IT_ROOT=$IT_WORK/root
it_build_root "$IT_ROOT"
mkdir -p "$IT_ROOT/www" && echo "hello from the container" >"$IT_ROOT/www/index.html"

HOST_IP=192.0.2.1 WAN_IP=192.0.2.2
WAN_PID=
net_cleanup() {
        local p
        [ -n "$WAN_PID" ] && kill -KILL "$WAN_PID" 2>/dev/null
        # IT_PIDS are timeout(1) processes: on a failure path their berth child (the supervisor,
        # whose payload dies with it) must go too.
        for p in "${IT_PIDS[@]}"; do
                pkill -KILL -P "$p" 2>/dev/null
        done
        it_cleanup
}
trap net_cleanup EXIT

. "$(dirname "$TAP_SH")/netns.sh"
netns_holder WAN_PID
IT_PIDS+=("$WAN_PID")
wan() { nsenter -t "$WAN_PID" -n "$@"; }
ip link set lo up
ip link add host0 type veth peer name wan0 netns "$WAN_PID"
ip addr add "$HOST_IP/24" dev host0 && ip link set host0 up
wan ip link set lo up && wan ip addr add "$WAN_IP/24" dev wan0 && wan ip link set wan0 up

# wan_httpd DIR: busybox httpd on the wan side's port 9000 serving DIR, returning once it listens.
# In the foreground of a job of ours: its daemon mode would outlive the test, and with it the wan
# namespace (8 of them were left running before). net_cleanup kills it with IT_PIDS.
wan_httpd() {
        wan "$IT_BUSYBOX" httpd -f -p 9000 -h "$1" &
        IT_PIDS+=("$!")
        for _ in $(seq 100); do
                wan ss -Hltn 'sport = :9000' | grep -q . && return 0
                sleep 0.05
        done
        echo "Bail out! the wan side's httpd does not listen on port 9000"
        exit 1
}

# web_container NAME [[Network] lines...]: an httpd in the container serving the page, that ends
# on SIGTERM (a PID 1 without handler would ignore it) and prints "serving" once it listens.
web_container() {
        local name=$1
        shift
        it_container "$name" <<C
[Container]
Directory=$IT_ROOT
Exec=/bin/busybox sh -c 'trap "exit 0" TERM; busybox httpd -p 80 -h /www; echo serving; while :; do sleep 1; done'
[Network]
VirtualEthernet=yes
$(printf '%s\n' "$@")
C
}
state_of() { sed -n "s/^$2=//p" "$BERTH_STATE_DIR/$1/state"; } # state_of NAME KEY
links() { ip -o link show | awk -F': ' '{print $2}' | sed 's/@.*//' | grep '^bt-' | sort; } # the bt-* links
stop() { kill -TERM "$1"; wait "$1"; } # stop PID: a berth run started with it_start, stopped
