#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Start-to-exit of /bin/true with a network of its own (issue 14), side by side:
#   berth         Private=yes (loopback only), the baseline
#   berth-veth    VirtualEthernet=yes: veth pair, /30, nft elements added and removed
#   nspawn-veth   systemd-nspawn --network-veth --private-users=pick (veth, no address, no NAT)
#   crun-veth     crun with a new netns and a createRuntime hook that adds a veth pair with
#                 addresses (what a network helper around an OCI runtime does)
# usage: tests/bench/bench-net.sh [--build-dir DIR] [--reps N]
# Runs in a network namespace of its own (nothing touches the host's links or nftables) and a
# private mount namespace; interleaved round-robin; prints mean milliseconds per run and the
# ratio to berth-veth. Never asserts on time. Everything it makes is removed on exit.
set -u
top=$(readlink -f "$(dirname "$(readlink -f "$0")")/../..")
build=$top/build
reps=20
while [ $# -gt 0 ]; do
        case $1 in
        --build-dir) build=$(readlink -f "$2"); shift ;;
        --reps) reps=$2; shift ;;
        -h | --help) sed -n '3,13p' "$0"; exit 0 ;;
        *) echo "bench-net.sh: unknown option $1" >&2; exit 2 ;;
        esac
        shift
done
[ "$(id -u)" = 0 ] || { echo "bench-net.sh: needs root" >&2; exit 2; }
if [ -z "${BENCH_NET_NS:-}" ]; then
        BENCH_NET_NS=1 exec unshare --net --mount --propagation private bash "$0" --build-dir "$build" --reps "$reps"
fi
berth=$build/berth
[ -x "$berth" ] || { echo "bench-net.sh: no $berth (build first)" >&2; exit 2; }

work=$(mktemp -d /tmp/berth-bench-net.XXXXXX)
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT
mkdir -m 700 "$work/private"
make_root() {
        mkdir -p "$1"/{bin,etc,proc,sys,dev,run,tmp,var,usr}
        cp /bin/busybox "$1/bin/busybox"
        ln -s busybox "$1/bin/true" && ln -s busybox "$1/bin/sh"
        echo "root:x:0:0:root:/:/bin/sh" >"$1/etc/passwd"
        echo "root:x:0:" >"$1/etc/group"
        printf 'ID=bench\nNAME=bench\n' >"$1/etc/os-release" # nspawn wants an OS tree
}
# berth wants its root below a root-only directory; crun's user namespace root must reach its own.
root=$work/private/root
make_root "$root"
make_root "$work/crun-root"
ip link set lo up
# crun refuses the hybrid cgroup layout while the unified hierarchy has controllers.
umount /sys/fs/cgroup/unified 2>/dev/null

export BERTH_STATE_DIR=$work/state BERTH_CONFIG_PATH=$work/conf
mkdir -p "$BERTH_CONFIG_PATH"
printf '[Container]\nDirectory=%s\nExec=/bin/true\n' "$root" >"$BERTH_CONFIG_PATH/bench.container"
printf '[Container]\nDirectory=%s\nExec=/bin/true\n[Network]\nVirtualEthernet=yes\nPort=8080:80\n' "$root" \
        >"$BERTH_CONFIG_PATH/benchveth.container"

tools=(berth berth-veth)
have_nspawn=0 have_crun=0
command -v systemd-nspawn >/dev/null && have_nspawn=1 && tools+=(nspawn-veth)
if command -v crun >/dev/null; then
        have_crun=1
        tools+=(crun-veth)
        mkdir -p "$work/oci"
        cat >"$work/hook.sh" <<'HOOK'
#!/bin/sh
# createRuntime: the container's netns exists; give it a veth pair with addresses.
pid=$(sed -n 's/.*"pid": *\([0-9]*\).*/\1/p')
ip link add "cr$pid" type veth peer name eth0 netns "$pid" &&
        ip addr add 10.99.0.1/30 dev "cr$pid" && ip link set "cr$pid" up &&
        nsenter -t "$pid" -n sh -c 'ip addr add 10.99.0.2/30 dev eth0 && ip link set eth0 up && ip route add default via 10.99.0.1'
HOOK
        chmod 755 "$work/hook.sh"
        python3 "$top/tests/bench/oci-config.py" secure "$work/crun-root" "$work/oci/config.json" -- /bin/true || exit 1
        python3 - "$work/oci/config.json" "$work/hook.sh" <<'PY' || exit 1
import json, sys
c = json.load(open(sys.argv[1]))
c["hooks"] = {"createRuntime": [{"path": sys.argv[2]}]}
json.dump(c, open(sys.argv[1], "w"), indent=1)
PY
fi

run_one() {
        case $1 in
        berth) "$berth" run --register=no bench ;;
        berth-veth) "$berth" run --register=no benchveth ;;
        nspawn-veth) systemd-nspawn -q -D "$root" --register=no --keep-unit --private-users=pick --network-veth /bin/true ;;
        crun-veth) crun --cgroup-manager=disabled --root "$work/crun" run --bundle "$work/oci" bench-net-crun ;;
        esac
}

declare -A total failed
for t in "${tools[@]}"; do
        total[$t]=0 failed[$t]=0
        run_one "$t" </dev/null >/dev/null 2>"$work/$t.err" || echo "bench-net: $t failed: $(tail -1 "$work/$t.err")" >&2
done
for _ in $(seq "$reps"); do
        for t in "${tools[@]}"; do
                s=$(date +%s%N)
                run_one "$t" </dev/null >/dev/null 2>&1 || failed[$t]=$((failed[$t] + 1))
                e=$(date +%s%N)
                total[$t]=$((total[$t] + e - s))
        done
done

ref=$((total[berth-veth] / reps))
echo "start-to-exit of /bin/true with a network of its own, mean of $reps interleaved runs"
printf '%-12s %10s %10s %8s\n' tool ms/run ratio failed
for t in "${tools[@]}"; do
        m=$((total[$t] / reps))
        printf '%-12s %10.2f %10.2f %8s\n' "$t" "$(echo "$m / 1000000" | bc -l)" "$(echo "$m / $ref" | bc -l)" "${failed[$t]}"
done
echo "(ratio: to berth-veth; crun-veth's veth is made by a hook script, as a network helper would)"
