#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Test bed 1: boots systemd as PID 1 in private pid/mount/uts/ipc/cgroup/net namespaces on an
# overlay of the host root (every write lands in a tmpfs), installs this build of berth into it,
# runs SCRIPT inside as a transient service, prints its output (TAP) and always tears the bed
# down: poweroff, SIGKILL of our own PID 1 if it hangs, removal of the cgroup we created.
#
# usage: bed.sh SOURCE_DIR BUILD_DIR SCRIPT [ARGS...]
#   BED_SEED=DIR     copy DIR's tree into the bed's root before boot (e.g. etc/berth/*.container)
#   BED_TIMEOUT=SEC  kill the suite after SEC seconds (default 240)
#   BED_PREPARE=CMD  run CMD on the host first; the directory it prints (e.g. a container root
#                    it made or found cached) is bound into the bed at the same path and given to
#                    SCRIPT as $BED_PREPARED. When CMD fails, a TAP failure (Bail out!), no boot.
# Exit status: SCRIPT's, or 125 when the bed could not be booted.
set -u

if [ "${1:-}" = --init ]; then
        # --- PID 1 of the new namespaces: build the root, pivot into it, exec systemd -----------
        set -eu
        shift
        B=$1 SRC=$2 BUILD=$3 SHARE=$4
        R=$B/root
        mount --make-rprivate /
        mount -t tmpfs -o mode=755 bedrw "$B/rw"
        mkdir -p "$B/rw/upper" "$B/rw/work"
        mount -t overlay -o lowerdir=/,upperdir="$B/rw/upper",workdir="$B/rw/work" berthbed "$R"
        mount -t proc proc "$R/proc"
        # read-only /proc/sys and /sys: no sysctl writes to the host kernel, no udevd renames
        mount --bind "$R/proc/sys" "$R/proc/sys" && mount -o remount,bind,ro "$R/proc/sys"
        mount --rbind /sys "$R/sys" && mount -o remount,bind,ro "$R/sys"
        mount -t cgroup2 -o nsdelegate cgroup2 "$R/sys/fs/cgroup" # root = the cgroup we created
        mount -t tmpfs -o mode=755,nosuid beddev "$R/dev"
        for d in null:1:3 zero:1:5 full:1:7 random:1:8 urandom:1:9 tty:5:0; do
                IFS=: read -r n ma mi <<<"$d"
                mknod -m 666 "$R/dev/$n" c "$ma" "$mi"
        done
        mkdir -p "$R/dev/pts" "$R/dev/shm" "$R/dev/mqueue" "$R/dev/net"
        mount -t devpts -o newinstance,ptmxmode=0666,mode=620 devpts "$R/dev/pts"
        ln -s pts/ptmx "$R/dev/ptmx"
        mount -t tmpfs -o mode=1777 bedshm "$R/dev/shm"
        ln -s /proc/self/fd "$R/dev/fd"
        ln -s /proc/self/fd/0 "$R/dev/stdin"
        ln -s /proc/self/fd/1 "$R/dev/stdout"
        ln -s /proc/self/fd/2 "$R/dev/stderr"
        touch "$R/dev/console"
        mount --bind "$B/console.log" "$R/dev/console"
        mount -t tmpfs -o mode=755,nosuid,nodev bedrun "$R/run"
        mount -t tmpfs -o mode=1777,nosuid,nodev bedtmp "$R/tmp"
        # shares: same paths inside, so the build's absolute paths hold
        for d in "$SRC" "$BUILD" "$SHARE" ${PREPARED:-}; do
                mkdir -p "$R$d"
                mount --bind "$d" "$R$d"
        done
        # this build of berth, installed the way a package would be
        meson install -C "$BUILD" --destdir "$R" --no-rebuild --quiet >"$SHARE/install.log" 2>&1
        if [ -n "${BED_SEED:-}" ]; then cp -a "$BED_SEED/." "$R/"; fi
        # a minimal boot target, so the host's own services are not started
        mkdir -p "$R/etc/systemd/system"
        cat >"$R/etc/systemd/system/berth-bed.target" <<'EOT'
[Unit]
Description=berth test bed
Requires=basic.target dbus.socket
Wants=machines.target
After=basic.target dbus.socket machines.target
AllowIsolate=yes
EOT
        echo berth-bed >"$R/etc/hostname"
        [ -s "$R/etc/machine-id" ] || : >"$R/etc/machine-id"
        cd "$R"
        mkdir -p .oldroot
        pivot_root . .oldroot
        mount -t proc proc /proc 2>/dev/null || true
        umount -l /.oldroot
        rmdir /.oldroot 2>/dev/null || true
        exec env -i container=berth-bed TERM=dumb /lib/systemd/systemd --unit=berth-bed.target
fi

# --- host side -------------------------------------------------------------------------------
[ $# -ge 3 ] || { echo "usage: $0 SOURCE_DIR BUILD_DIR SCRIPT [ARGS...]" >&2; exit 2; }
SRC=$(readlink -f "$1") BUILD=$(readlink -f "$2") SCRIPT=$(readlink -f "$3")
shift 3
SELF=$(readlink -f "$0")
TIMEOUT=${BED_TIMEOUT:-240}
PREPARED=
if [ -n "${BED_PREPARE:-}" ]; then
        if ! PREPARED=$("$BED_PREPARE") || [ ! -d "$PREPARED" ]; then
                # A failure, never a skip: a test that could not run has not passed.
                echo "Bail out! $BED_PREPARE failed"
                exit 1
        fi
        export PREPARED
fi
t0=$(date +%s%N)
ms() { echo $((($(date +%s%N) - t0) / 1000000)); }

B=$(mktemp -d "${TMPDIR:-/var/tmp}/berth-bed.XXXXXX")
CG=/sys/fs/cgroup/unified/berth-test-bed-$$-${B##*.}
SHARE=$B/share
mkdir -p "$B/rw" "$B/root" "$SHARE"
: >"$B/console.log"
P= STARTER=

teardown() {
        local rc=$?
        trap - EXIT INT TERM
        if [ -n "$P" ] && [ -d "/proc/$P" ]; then
                nsenter -t "$P" -a systemctl poweroff --no-block >/dev/null 2>&1
                for _ in $(seq 100); do [ -d "/proc/$P" ] || break; sleep 0.1; done
                [ -d "/proc/$P" ] && kill -9 "$P" 2>/dev/null # our own PID 1: takes the namespace with it
        fi
        if [ -n "$STARTER" ]; then
                for _ in $(seq 50); do kill -0 "$STARTER" 2>/dev/null || break; sleep 0.1; done
                kill -9 "$STARTER" 2>/dev/null
                wait "$STARTER" 2>/dev/null
        fi
        if [ -d "$CG" ]; then
                for _ in $(seq 50); do
                        find "$CG" -mindepth 1 -depth -type d -exec rmdir {} + 2>/dev/null
                        rmdir "$CG" 2>/dev/null && break
                        sleep 0.1
                done
        fi
        [ -d "$CG" ] && echo "# bed: could not remove $CG" >&2
        if [ "$rc" -ne 0 ] && [ -s "$B/console.log" ]; then
                echo "# bed: console log (last 40 lines):"
                tail -n 40 "$B/console.log" | sed 's/^/#   /'
        fi
        [ -s "$SHARE/install.log" ] && [ "$rc" -eq 125 ] && sed 's/^/#   install: /' "$SHARE/install.log"
        rm -rf "$B"
        echo "# bed: rc=$rc total=$(ms)ms"
        exit "$rc"
}
trap teardown EXIT
trap 'exit 130' INT TERM

mkdir "$CG"
# A shell that moves itself into our cgroup, then unshares; its child (after --fork) is PID 1.
setsid bash -c 'echo $$ >"$1/cgroup.procs" && shift && exec unshare --pid --fork --mount --uts --ipc \
        --cgroup --net --kill-child --propagation private "$@"' \
        bed "$CG" "$SELF" --init "$B" "$SRC" "$BUILD" "$SHARE" </dev/null >>"$B/console.log" 2>&1 &
STARTER=$!

for _ in $(seq 100); do
        for p in $(cat "$CG/cgroup.procs" 2>/dev/null) $(cat "$CG"/*/cgroup.procs 2>/dev/null); do
                [ "$(awk '/^NSpid/{print $3}' "/proc/$p/status" 2>/dev/null)" = 1 ] && P=$p && break 2
        done
        sleep 0.05
done
[ -n "$P" ] || { echo "# bed: no PID 1 appeared"; exit 125; }

E() { nsenter -t "$P" -a "$@"; }
state=
for _ in $(seq 300); do
        state=$(E systemctl is-system-running 2>/dev/null)
        case $state in running | degraded) break ;; esac
        sleep 0.1
done
echo "# bed: systemd state=$state boot=$(ms)ms"
case $state in running | degraded) ;; *) exit 125 ;; esac
[ "$state" = degraded ] && E systemctl --failed --no-legend | sed 's/^/# bed: failed unit: /'

# The suite runs as a service of the bed's manager, like any admin's command.
E systemd-run --wait --pipe --quiet --collect -p RuntimeMaxSec="$TIMEOUT" \
        -p WorkingDirectory="$SRC" -E BERTH_SRC="$SRC" -E BERTH_BUILD="$BUILD" -E BED_SHARE="$SHARE" \
        ${PREPARED:+-E BED_PREPARED="$PREPARED"} "$SCRIPT" "$@"
exit $?
