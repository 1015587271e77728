# SPDX-License-Identifier: LGPL-2.1-or-later
# Sourced by the VirtualEthernet= tests after tests/integration/lib.sh, inside the throwaway
# network namespace that plays the host (each test re-executes itself under unshare --net): the
# container root with a page to serve, and the "wan" peer namespace on a veth (host0 HOST_IP,
# wan0 WAN_IP), held by a sleeping process, so nothing is left behind; wan CMD... runs there.
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
