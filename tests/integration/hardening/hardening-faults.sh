#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Faults on the plain host (berth run --register=no):
#   - the supervisor SIGKILLed after each pipeline step (BERTH_TEST_KILL_AT, src/launch/fault-inject.c)
#     leaves no payload process, no mount, no lock, UID range or MCS pair that blocks the next
#     start: the next start succeeds and gets the same identity as an undisturbed one;
#   - the supervisor SIGKILLed while the child is paused inside a step (BERTH_TEST_CHILD_PAUSE_AT),
#     after a credential change cleared its parent death signal: the child dies with it;
#   - a full state directory (no space, no inodes) gives one clear error line and exit 125, and
#     leaves nothing behind; once there is room again the container starts;
#   - a root on a read-only file system runs (writes fail, /tmp works) or is refused clearly.
# Environment from meson: BERTH, PROBE, TAP_SH, IT_LIB.
set -u
. "${IT_LIB:?}"

it_setup
IT_ROOT=$IT_WORK/root
it_build_root "$IT_ROOT"
HOST_MOUNTS=() # mounts this test makes on the host: undone before it_cleanup removes the work dir
cleanup() {
        local m
        for m in "${HOST_MOUNTS[@]}"; do umount -l "$m" 2>/dev/null; done
        it_cleanup
}
trap cleanup EXIT
host_mount() { # ARGS... TARGET
        mount "$@" && HOST_MOUNTS=("${!#}" "${HOST_MOUNTS[@]}")
}
our_mounts() { grep -F "$IT_WORK" /proc/self/mountinfo | grep -vF -f <(printf '%s\n' "${HOST_MOUNTS[@]:-/nonexistent}"); }
token_pids() { # PIDs whose command line has TOKEN (read by tr, whose own command line has not)
        local f
        for f in /proc/[0-9]*/cmdline; do
                case $( { tr -d '\0' <"$f"; } 2>/dev/null) in *"$1"*) f=${f#/proc/} && echo "${f%/cmdline}" ;; esac
        done
}
gone() { # TOKEN: no process with TOKEN in its command line, within 30 s
        for _ in $(seq 300); do [ -z "$(token_pids "$1")" ] && return 0; sleep 0.1; done
        return 1
}

# The identity an undisturbed start gets: UID_BASE, UID_SIZE and LABEL (with the MCS pair) of the
# state file while the payload runs; sets ID (empty when it did not start) and IT_RC. The payload
# handles SIGTERM (as PID 1 of its namespace it would ignore it otherwise).
identity() { # NAME
        ID=
        it_container "$1" <<EOF
[Container]
Directory=$IT_ROOT
Exec=/bin/sh -c 'trap "exit 0" TERM; sleep 30 & wait'
EOF
        if ! it_start "$1"; then
                diag "start of $1 failed: $(head -c 300 "$IT_ERR")"
                it_wait
                return 1
        fi
        ID=$(grep -E '^(UID_BASE|UID_SIZE|LABEL)=' "$BERTH_STATE_DIR/$1/state" | tr '\n' ' ')
        kill -TERM "$IT_BG_PID"
        it_wait
}

identity fault
reference=$ID
diag "undisturbed start of 'fault': $reference"
check "an undisturbed start and stop works (exit $IT_RC)" test -n "$reference" -a "$IT_RC" = 0

for step in lock identity clone register release state; do
        token=berth-fault-$step-$$
        it_container fault <<EOF
[Container]
Directory=$IT_ROOT
Exec=/bin/sh -c "sleep 30; : $token"
EOF
        BERTH_TEST_KILL_AT=$step timeout 60 "$BERTH" run --register=no fault </dev/null >/dev/null 2>&1
        check_eq "kill after '$step': the supervisor died of SIGKILL" "$?" 137
        check "kill after '$step': no payload process survives" gone "$token"
        check_eq "kill after '$step': nothing of the container is mounted on the host" "$(our_mounts)" ""
        check "kill after '$step': berth list does not show it running" \
                bash -c "! '$BERTH' list --no-legend 2>&1 | grep -q '^fault '"
        identity fault
        check_eq "kill after '$step': the next start succeeds with the same identity" "$ID" "$reference"
done
token_pids berth-fault- | while read -r p; do kill -KILL "$p"; done # only our own tokens

# --- the supervisor killed while the child is inside a step --------------------------------------
# The kernel clears the parent death signal at every change of the child's IDs (the setresuid into
# the user namespace, the switch to User=); berth arms it again after each and checks that the
# supervisor is still there. The child stops inside a step, the supervisor is SIGKILLed there.
child_dead() { # PID: gone, or a zombie waiting for its new parent, within 3 s
        for _ in $(seq 30); do
                [ -e "/proc/$1" ] || return 0
                [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" = Z ] && return 0
                sleep 0.1
        done
        return 1
}
# start_paused POINT ERRFILE: `berth run fault` in the background, its child held at POINT;
# sets sup (berth) and child (its child), both killed by it_cleanup should they survive. Fails
# when the child did not report the pause within 10 s.
start_paused() {
        BERTH_TEST_CHILD_PAUSE_AT=$1 "$BERTH" run --register=no fault </dev/null >/dev/null 2>"$2" &
        sup=$!
        IT_PIDS+=("$sup")
        for _ in $(seq 100); do grep -q "paused at $1" "$2" && break; sleep 0.1; done
        child=$(pgrep -P "$sup" | head -n1)
        grep -q "paused at $1" "$2" && [ -n "$child" ] || return 1
        IT_PIDS+=("$child")
}
for point in userns; do
        it_container fault <<EOF
[Container]
Directory=$IT_ROOT
Exec=/bin/sh -c "sleep 30"
EOF
        perr=$IT_WORK/pause-$point.err
        start_paused "$point" "$perr" || {
                fail "pause at '$point': the child did not reach it: $(head -c 300 "$perr")"
                continue
        }
        kill -KILL "$sup"
        wait "$sup" 2>/dev/null
        check "supervisor killed while the child is paused at '$point': the child dies with it" child_dead "$child"
        kill -KILL "$child" 2>/dev/null # only when it survived: the next start must not meet it
        check_eq "killed at '$point': nothing of the container is mounted on the host" "$(our_mounts)" ""
        identity fault
        check_eq "killed at '$point': the next start succeeds with the same identity" "$ID" "$reference"
done

# --- a termination signal while the child is held up in its setup ---------------------------------
# What the container controls can hold the child up before the payload runs (a FIFO or FUSE file
# in a bind of its own); the pause stands in for that. SIGTERM (systemctl stop) and SIGINT (^C)
# end the start: the child is killed, berth exits 128+N naming the signal, nothing stays mounted.
# (Blocked since the clone and never read, they left berth waiting for ever.)
for sig in TERM INT; do
        perr=$IT_WORK/interrupt-$sig.err
        start_paused userns "$perr" || {
                fail "SIG$sig at setup: the child did not reach the pause: $(head -c 300 "$perr")"
                continue
        }
        kill -$sig "$sup"
        for _ in $(seq 100); do kill -0 "$sup" 2>/dev/null || break; sleep 0.1; done
        if kill -0 "$sup" 2>/dev/null; then
                fail "SIG$sig while the child sets up: berth still waits 10 s later"
                kill -KILL "$sup" "$child" 2>/dev/null
                wait "$sup" 2>/dev/null
                continue
        fi
        wait "$sup"
        rc=$?
        diag "$(cat "$perr")"
        check_eq "SIG$sig while the child sets up: berth exits 128+N" "$rc" "$((128 + $(kill -l $sig)))"
        check "SIG$sig while the child sets up: the error names the signal" \
                grep -q "Interrupted by SIG$sig before the payload started" "$perr"
        check "SIG$sig while the child sets up: the child is killed" child_dead "$child"
        check_eq "SIG$sig while the child sets up: nothing of the container is mounted on the host" "$(our_mounts)" ""
done
identity fault
check_eq "after the interrupted starts: the next start succeeds with the same identity" "$ID" "$reference"

# --- a full state directory ----------------------------------------------------------------------
full=$IT_WORK/full
mkdir -p "$full"
it_container small <<EOF
[Container]
Directory=$IT_ROOT
Exec=/bin/sh -c :
EOF
for kind in space inodes; do
        case $kind in
        space) host_mount -t tmpfs -o size=64k berth-full "$full" &&
                mkdir "$full/state" && { dd if=/dev/zero of="$full/fill" bs=4k 2>/dev/null || :; } ;;
        # 16: the lock, state, UID-range and MCS lock files of one container fit, nothing more.
        inodes) host_mount -t tmpfs -o nr_inodes=16 berth-full "$full" &&
                { for i in $(seq 24); do { : >"$full/f$i"; } 2>/dev/null || break; done; } ;;
        esac
        BERTH_STATE_DIR=$full/state timeout 60 "$BERTH" run --register=no small </dev/null >"$IT_WORK/out" 2>"$IT_WORK/err"
        rc=$?
        diag "full ($kind): exit $rc: $(head -c 300 "$IT_WORK/err")"
        check_eq "state dir out of $kind: exit 125" "$rc" 125
        check "state dir out of $kind: one error line naming the container and the cause" \
                bash -c "[ \$(wc -l <'$IT_WORK/err') = 1 ] && grep -q 'small' '$IT_WORK/err' &&
                         grep -q 'No space left on device' '$IT_WORK/err'"
        check_eq "state dir out of $kind: nothing of the container is mounted on the host" "$(our_mounts)" ""
        rm -f "$full"/fill "$full"/f*
        BERTH_STATE_DIR=$full/state timeout 60 "$BERTH" run --register=no small </dev/null >/dev/null 2>"$IT_WORK/err"
        check_eq "state dir with room again ($kind): the container starts and exits 0" "$?" 0
        umount "$full" && HOST_MOUNTS=("${HOST_MOUNTS[@]:1}")
done

# --- a root on a read-only file system ----------------------------------------------------------------
ro=$IT_WORK/ro-root
mkdir -p "$ro"
host_mount --bind "$IT_ROOT" "$ro" && mount -o remount,bind,ro "$ro"
it_container ro <<EOF
[Container]
Directory=$ro
Exec=/bin/sh -c 'if touch /written 2>/dev/null; then echo root-writable; else echo root-read-only; fi; echo ok >/tmp/t && cat /tmp/t'
EOF
it_run ro
diag "read-only root: exit $IT_RC: $(tr '\n' ' ' <"$IT_OUT") $(head -c 300 "$IT_ERR")"
check_eq "root on a read-only file system: runs, writes to / fail, /tmp works" "$(tr '\n' ' ' <"$IT_OUT")" \
        "root-read-only ok "
check "root on a read-only file system: nothing was written into it" test ! -e "$IT_ROOT/written"

# The same without the mount points berth needs (/proc /sys /dev /run /tmp): they cannot be made.
bare=$IT_WORK/bare-root ro2=$IT_WORK/ro-bare
mkdir -p "$bare/bin" "$bare/etc" "$ro2"
cp -a "$IT_ROOT/bin/." "$bare/bin/" && cp -a "$IT_ROOT/etc/." "$bare/etc/"
host_mount --bind "$bare" "$ro2" && mount -o remount,bind,ro "$ro2"
it_container robare <<EOF
[Container]
Directory=$ro2
Exec=/bin/true
EOF
it_run robare
diag "read-only root without mount points: exit $IT_RC: $(head -c 300 "$IT_ERR")"
check "read-only root without mount points: runs, or exit 125 with one error line" \
        test "$IT_RC" = 0 -o \( "$IT_RC" = 125 -a "$(wc -l <"$IT_ERR")" = 1 \)
check_eq "read-only root without mount points: nothing of the container is mounted on the host" "$(our_mounts)" ""
tap_done
