# SPDX-License-Identifier: LGPL-2.1-or-later
# Integration test harness (root, plain host). Source it from a test-*.sh, then:
#   it_setup                     isolated work dir, BERTH_STATE_DIR, BERTH_CONFIG_PATH, cleanup trap
#   it_build_root DIR            a tiny root: busybox-static, the probe at /probe, passwd/group
#   it_container NAME <<EOF      writes $BERTH_CONFIG_PATH/NAME.container from stdin
#   it_probe ARGS...             one fact from /probe in a default container on $IT_ROOT
#   it_run NAME [ARGS...]        berth run --register=no NAME: $IT_OUT, $IT_ERR, $IT_RC
#   it_start NAME                same in the background, waits until it runs: $IT_BG_PID
#   it_wait_output PATTERN       waits until the background run printed a matching line
#   it_wait                      waits for the background run: $IT_OUT, $IT_ERR, $IT_RC
#   it_leader NAME               the payload's host PID from the state file
#   it_mountinfo                 the mount table berth runs in, comparable before/after a run
#   it_as_nobody ARGS...         berth ARGS as user nobody (65534), from a copy it can execute
# Environment from meson: BERTH (the binary), PROBE (static probe), TAP_SH.
# shellcheck shell=bash
set -u
. "${TAP_SH:?}"

IT_BUSYBOX=${IT_BUSYBOX:-/bin/busybox}
IT_PIDS=()

it_cleanup() {
        local p
        for p in "${IT_PIDS[@]}"; do
                kill -KILL "$p" 2>/dev/null
                wait "$p" 2>/dev/null
        done
        # Mounts of a container live in its own namespace: nothing of ours is mounted here. Refuse
        # to delete through a mount point all the same.
        if [ -n "${IT_WORK:-}" ] && ! grep -qF " $IT_WORK" /proc/self/mountinfo; then
                rm -rf "$IT_WORK"
        fi
}

it_setup() {
        if [ "$(id -u)" != 0 ]; then
                echo "Bail out! integration tests need root"
                exit 1
        fi
        # Run in a mount namespace of our own (private propagation): other tests that mount on
        # the host concurrently do not disturb it_mountinfo, and a mount that berth leaked into
        # the namespace it was started from would show in it all the same.
        if [ -z "${IT_OWN_MOUNT_NS:-}" ]; then
                IT_OWN_MOUNT_NS=1 exec unshare --mount --propagation private bash "$0" "$@"
        fi
        [ -x "${BERTH:?}" ] && [ -x "${PROBE:?}" ] && [ -x "$IT_BUSYBOX" ] || {
                echo "Bail out! need BERTH, PROBE and busybox-static ($IT_BUSYBOX)"
                exit 1
        }
        IT_WORK=$(mktemp -d /tmp/berth-it.XXXXXX)
        trap it_cleanup EXIT
        export BERTH_STATE_DIR=$IT_WORK/state BERTH_CONFIG_PATH=$IT_WORK/config
        mkdir -p "$BERTH_CONFIG_PATH"
        unset INVOCATION_ID NOTIFY_SOCKET
}

# berth as another user: nobody cannot be expected to reach the build directory (a checkout
# below a 0700 directory, as mktemp -d makes), so it runs a copy in the work directory, which
# the caller has made traversable (chmod 0755 "$IT_WORK").
it_as_nobody() {
        mkdir -p -m 0755 "$IT_WORK/nobody-bin"
        [ -x "$IT_WORK/nobody-bin/berth" ] || install -m 0755 "$BERTH" "$IT_WORK/nobody-bin/berth"
        setpriv --reuid=65534 --regid=65534 --clear-groups env BERTH_STATE_DIR="$BERTH_STATE_DIR" \
                BERTH_CONFIG_PATH="$BERTH_CONFIG_PATH" "$IT_WORK/nobody-bin/berth" "$@"
}

it_build_root() {
        local r=$1 a
        mkdir -p "$r"/{bin,etc,proc,sys,dev,run,tmp,root,home/tester}
        cp "$IT_BUSYBOX" "$r/bin/busybox"
        for a in sh ls cat echo touch mkdir sleep id hostname; do
                ln -sf busybox "$r/bin/$a"
        done
        cp "$PROBE" "$r/probe"
        cat >"$r/etc/passwd" <<'PW'
root:x:0:0:root:/root:/bin/sh
tester:x:1000:1000:tester:/home/tester:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/sh
PW
        cat >"$r/etc/group" <<'GR'
root:x:0:
tester:x:1000:
audio:x:29:tester
nogroup:x:65534:
GR
        chown 1000:1000 "$r/home/tester"
}

it_container() {
        cat >"$BERTH_CONFIG_PATH/$1.container"
}

it_run() {
        local name=$1
        shift
        IT_OUT=$IT_WORK/$name.out IT_ERR=$IT_WORK/$name.err
        timeout 60 "$BERTH" run --register=no "$@" "$name" </dev/null >"$IT_OUT" 2>"$IT_ERR"
        IT_RC=$?
}

# Runs /probe ARGS as the payload of container "probe" on $IT_ROOT, prints its one-line answer.
it_probe() {
        it_container probe <<C
[Container]
Directory=$IT_ROOT
Exec=/probe $*
C
        it_run probe
        cat "$IT_OUT"
}

it_start() {
        local name=$1 i
        IT_OUT=$IT_WORK/$name.out IT_ERR=$IT_WORK/$name.err IT_BG_NAME=$name
        timeout 120 "$BERTH" run --register=no "$name" </dev/null >"$IT_OUT" 2>"$IT_ERR" &
        IT_BG_PID=$!
        IT_PIDS+=("$IT_BG_PID")
        for i in $(seq 300); do
                [ -s "$BERTH_STATE_DIR/$name/state" ] && return 0
                kill -0 "$IT_BG_PID" 2>/dev/null || return 1
                sleep 0.1
        done
        return 1
}

# Waits (up to 30 s) until the background run's stdout has a line matching PATTERN.
it_wait_output() {
        local i
        for i in $(seq 300); do
                grep -q "$1" "$IT_OUT" && return 0
                sleep 0.1
        done
        return 1
}

it_wait() {
        wait "$IT_BG_PID"
        IT_RC=$?
}

it_leader() {
        sed -n 's/^LEADER=//p' "$BERTH_STATE_DIR/$1/state"
}

# Mount points with their options, without the kernel's mount IDs (stable across our runs).
it_mountinfo() {
        awk '{ $1 = ""; $2 = ""; print }' /proc/self/mountinfo | sort
}
