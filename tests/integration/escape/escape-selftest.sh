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
# The host-side checks of escape.sh (escape-host.sh's detectors) are proved the same way, each
# against its attack done by hand without berth's guard (see the section at the end).
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
# --- the host-side checks of escape.sh ------------------------------------------------------------
# Each attack of escape.sh's host-side section, done by hand here with nothing of berth's in the
# way (a mount with device nodes allowed, a plain tar extraction, a bind that follows symlinks, a
# stream handed over as is, a process name printed raw), must make the same detector of
# escape-host.sh report the hole. Everything happens below $tmp or in private mount namespaces.
. "$(dirname "$(readlink -f "$0")")/escape-host.sh"
here=$(dirname "$(readlink -f "$0")")
# expect_host_hole WHAT DETECTOR ARGS...: the detector reports the hole (returns non-zero).
expect_host_hole() {
        local what=$1 found
        shift
        if found=$("$@"); then
                fail "unguarded $what: $1 detects the hole"
        else
                ok "unguarded $what: $1 detects the hole"
                echo "$found" | head -n 3
        fi
}

# Image device nodes: a root mounted without nodev (a fresh tmpfs allows device nodes).
mkdir "$tmp/root"
unshare --mount --propagation private sh -c '
        mount -t tmpfs tmpfs "$0" && cd "$0" &&
        mknod -m 666 host-null c 1 3 && mknod -m 666 host-disk b "$1" "$2" &&
        { echo x >host-null && echo dev-opened char; head -c 512 host-disk >/dev/null && echo dev-opened block; echo done; }' \
        "$tmp/root" "$(stat -c %Hd "$tmp")" "$(stat -c %Ld "$tmp")" >"$tmp/dev.out" 2>&1
expect_host_hole "root with device nodes" host_dev_untouched "$tmp/dev.out"

# Import: the hostile tarball extracted as tar(1) does for root, and the symlinked blob read.
H=$tmp/hostile
mkdir -p "$H/img/bin" "$H/img/dev" "$H/img/lib" "$H/store" "$H/layer/etc" "$H/blobstore"
cp /bin/true "$H/img/bin/suid-root"
chmod 4755 "$H/img/bin/suid-root"
cp /bin/true "$H/img/bin/filecap"
setcap cap_sys_admin+ep "$H/img/bin/filecap"
tar --numeric-owner --xattrs --xattrs-include='*' -C "$H/img" -cf "$H/setuid.tar" .
tar -xp --numeric-owner --xattrs --xattrs-include='*' -C "$H/store" -f "$H/setuid.tar"
expect_host_hole "import (setuid, file capability)" host_store_clean "$H/store"
rm -rf "$H/store" && mkdir "$H/store"
mknod "$H/img/lib/evil" c 1 1
tar --numeric-owner -C "$H/img" -cf "$H/devnode.tar" bin/filecap lib
tar -xp --numeric-owner -C "$H/store" -f "$H/devnode.tar"
expect_host_hole "import (device node)" host_store_clean "$H/store"
SECRET=host-secret-$$-$RANDOM
echo "$SECRET" >"$H/layer/etc/secret"
tar -C "$H/layer" -cf "$H/host-file.tar" .
ln -s "$H/host-file.tar" "$H/blob"
tar -x -C "$H/blobstore" -f "$H/blob" # the blob opened by path: the symlink is followed
expect_host_hole "import (symlinked blob)" host_secret_unread "$SECRET" "$H/blobstore"

# Bind-source swap: a bind of a source that the container turned into a symlink, following it.
mkdir -p "$tmp/swap" "$tmp/host-secret" "$tmp/mnt"
echo "$SECRET" >"$tmp/host-secret/file"
ln -s "$tmp/host-secret" "$tmp/swap/sub"
unshare --mount --propagation private sh -c 'mount --bind "$0/swap/sub" "$0/mnt" && cat "$0/mnt/file"' "$tmp" \
        >"$tmp/swap.out" 2>&1
expect_host_hole "bind-source swap" host_secret_unread "$SECRET" "$tmp/swap.out"

# Exec's terminal: the command on the caller's terminal, as exec once ran it (no setsid, no pty).
"$here/escape-tty.py" "$probe" tiocsti >"$tmp/tty.out" 2>&1
expect_host_hole "exec's terminal" host_tty_queue_empty "$tmp/tty.out"

# Journal priorities: the payload's lines on a stream handed over as is (level prefix on).
MARK=jmark-$$
"$here/escape-journal.py" "$tmp/journal.sock" \
        sh -c "echo '<0>$MARK emergency'; echo '<3>berth: $MARK forged error'; echo '<1>$MARK alert'" \
        >"$tmp/journal.out" 2>&1
expect_host_hole "journal priorities" host_journal_sane "$tmp/journal.out" "$MARK"

# Terminal escapes: a process name that is an escape sequence, printed as the kernel has it.
ln -s "$(readlink -f "$probe")" "$tmp/$(printf 'x\033]0;owned\007\033[2J')"
"$tmp"/x*owned* sleep 1 &
named=$!
for _ in $(seq 50); do grep -q owned "/proc/$named/comm" && break; sleep 0.02; done
{ echo "Leader: $named ($(cat "/proc/$named/comm"))"; tr '\0' ' ' <"/proc/$named/cmdline"; echo; } >"$tmp/status.out"
wait "$named"
expect_host_hole "terminal escapes" host_no_raw_controls "$tmp/status.out"
tap_done
