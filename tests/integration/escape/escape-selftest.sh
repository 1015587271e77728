#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Proves that the escape probe's checks can fail: it runs the probe in a deliberately weakened
# sandbox, where every way out that the probe tries is open, and asserts that each check reports
# the hole ("not ok"). The weakening: root with every capability, no user namespace, no seccomp
# filter, no pivot_root (the host's root and the host file stay reachable), the host's /proc,
# /sys and /dev, the host's cgroup hierarchies, and a leaked fd (7). Run 1 has its own pid
# namespace (so /proc shows only the probe); run 2 shares the host's pid namespace so that
# host-pids-visible has something to find. Nothing on the host changes: mounts happen in a private
# mount namespace, files are opened but not written (except the test's own host file), the moved
# cgroup member is a child that exits at once, the key is revoked.
#
# usage: escape-selftest.sh PROBE
set -u
. "$(dirname "$(readlink -f "$0")")/../../lib/tap.sh"
probe=$1
tmp=$(mktemp -d /tmp/berth-escape-selftest.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
echo original >"$tmp/host-file"
mkdir "$tmp/scratch"

run_weakened() { # ARGS for unshare...
        BERTH_ESCAPE_SCRATCH=$tmp/scratch unshare --mount --propagation private "$@" \
                sh -c 'exec 7</dev/null; exec "$0" run "$1"' "$probe" "$tmp/host-file" 2>&1
}

# expect_hole WHERE CHECK: the probe's output in $out reports CHECK as "not ok".
expect_hole() {
        if echo "$out" | grep -q "^not ok [0-9]* - $2: "; then
                ok "$1: $2 detects the hole"
        else
                fail "$1: $2 detects the hole"
                echo "$out" | grep -- " - $2: " | sed 's/^/#   /'
        fi
}

out=$(run_weakened --pid --fork --mount-proc)
rc=$?
diag "weakened run 1 (own pid namespace), probe exit status $rc:"
echo "$out" | grep '^#' | sed 's/^/  /' | while read -r l; do diag "$l"; done
check "probe exits non-zero when it finds holes" test "$rc" -ne 0

# Every check of the probe except those the host cannot weaken here: sysrq-trigger (this kernel
# has no /proc/sysrq-trigger) and host-pids-visible (needs the host's pid namespace: run 2).
for c in host-file-direct host-file-proc-root chroot-breakout open-by-handle leaked-fds ptrace mount \
        mount-fsopen umount pivot-root userns-unshare userns-clone cgroup-procs-escape cgroup-v1-mount \
        release-agent mknod-raw-device dev-extra-nodes keyring bpf perf-event-open io-uring kernel-admin \
        kernel-log proc-sys-write sys-write proc-masked-read; do
        expect_hole "weakened sandbox" "$c"
done
check_eq "host file written through the hole (what escape.sh checks on the host)" "$(head -1 "$tmp/host-file")" "escaped"

out=$(run_weakened)
expect_hole "weakened sandbox (host pid namespace)" host-pids-visible

# The berth exec checks: a process running a binary named berth stays visible (as a berth exec
# whose host side lived in the container's pid namespace would), then exits (the probe waits up
# to 5 s for that before it reopens the binary). The probe starts once the fake runs its binary,
# not after a guessed delay.
cp "$probe" "$tmp/berth-fake"
"$tmp/berth-fake" sleep 3 &
fake=$!
for _ in $(seq 100); do
        [ "$(readlink "/proc/$fake/exe" 2>/dev/null)" = "$tmp/berth-fake" ] && break
        sleep 0.05
done
out=$("$probe" exec 2>&1)
wait "$fake"
expect_hole "weakened sandbox (a berth process visible)" exec-exe-berth
expect_hole "weakened sandbox (a berth process visible)" exec-exe-reopen
tap_done
