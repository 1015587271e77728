#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The escape suite: runs the escape probe as the payload of a DEFAULT container (only Directory=
# and Exec= given, so every confinement default applies) and relays each of its checks, then adds
# the checks only the host can make:
#   - the host file the probe tried to reach (outside the root) is unchanged;
#   - a terminal given to `berth run` (stdin only, and stdin+stdout) gets nothing pushed into its
#     input queue by TIOCSTI from inside (the next reader would be the administrator's shell);
#   - Bind=/TemporaryFileSystem= targets that pass through symlinks in the image (absolute with
#     "/../..", relative with "../..", and as the last component) never touch the host: the host
#     directories those symlinks point at stay empty and the host mount table gains nothing;
#   - with `berth exec`, the joining process exposes no berth binary through /proc/PID/exe, and
#     its command (even with CAP_SYS_ADMIN) pushes nothing into the caller's terminal.
# escape-selftest.sh proves each probe check can fail. The host-side checks were seen failing
# against weakened berths: a payload without setsid() let TIOCSTI reach the terminal (stdin-only
# case); a berth built with RESOLVE_IN_ROOT removed from src/launch/mount-util.c created the
# targets in the host's landing directories (3 cases) or mounted where the container could not
# see it (BindReadOnly=/last: the payload's cat failed).
# The host-side section at the end (issue 13: image content, bind-source swaps, journal
# priorities, terminal escapes; the exec-terminal checks above belong to it too) uses the
# detectors of escape-host.sh; escape-selftest.sh shows each firing against its attack done by
# hand. Run against berth as of d789f12 (before issue 13's fixes), all 9 of its checks failed.
#
# Environment from meson: BERTH, PROBE (the integration probe), ESCAPE_PROBE, TAP_SH, IT_LIB.
set -u
. "${IT_LIB:?}"
here=$(dirname "$(readlink -f "$0")")
. "$here/escape-host.sh"

it_setup
IT_ROOT=$IT_WORK/root
it_build_root "$IT_ROOT"
cp "$ESCAPE_PROBE" "$IT_ROOT/escape-probe"
host_file=$IT_WORK/host-file # outside the root: must stay unreachable
echo original >"$host_file"

our_mounts() { grep -F "$IT_WORK" /proc/self/mountinfo; }

# relay WHAT: each TAP line of the probe's output ($IT_OUT) becomes one of ours; a missing or short
# plan is a failure.
relay() {
        local line n=0 plan=
        while IFS= read -r line; do
                case $line in
                "ok "*) n=$((n + 1)) && ok "$1: $(echo "$line" | sed -E 's/^ok [0-9]+ - //')" ;;
                "not ok "*) n=$((n + 1)) && fail "$1: $(echo "$line" | sed -E 's/^not ok [0-9]+ - //')" ;;
                1..*) plan=${line#1..} ;;
                "#"*) echo "$line" ;;
                esac
        done <"$IT_OUT"
        check_eq "$1: the probe ran all its checks (berth exit $IT_RC)" "$n" "${plan:-none}"
}

# --- the probe in a default container --------------------------------------------------------
it_container escape <<EOF
[Container]
Directory=$IT_ROOT
Exec=/escape-probe run $host_file
EOF
it_run escape
[ -s "$IT_ERR" ] && sed 's/^/# berth: /' "$IT_ERR"
relay "default container"
check_eq "host file outside the root is unchanged" "$(cat "$host_file")" original
check_eq "no mount of the container is left in the host's mount table" "$(our_mounts)" ""

# --- TIOCSTI ------------------------------------------------------------------------------------
# Against a berth whose payload kept the caller's terminal as controlling tty (no setsid()), the
# stdin-only case showed the line in INPUT-QUEUE: that is what these checks catch.
it_container tty <<EOF
[Container]
Directory=$IT_ROOT
Exec=/escape-probe tiocsti
EOF
for mode in stdin-only --interactive; do
        out=$("$here/escape-tty.py" ${mode#stdin-only} "$BERTH" run --register=no tty 2>&1)
        echo "$out" | grep '^# tiocsti' | sed "s/^# /# $mode: /"
        queue=$(echo "$out" | sed -n 's/^INPUT-QUEUE: //p')
        check_eq "TIOCSTI from inside pushes nothing into the host's terminal ($mode)" "$queue" "b''"
done

# --- symlinks in the image under Bind=/TemporaryFileSystem= targets ------------------------------
# Each symlink points at a host directory (landing*) when resolved on the host. A berth that
# resolved targets on the host (no RESOLVE_IN_ROOT) would mkdir the missing target there: the
# landing directory would not stay empty.
# The landing directories are not under /tmp: berth's child hides the host's /tmp under its
# scratch tmpfs, which would mask a host-side resolution there.
LAND=$(mktemp -d /var/tmp/berth-escape-landing.XXXXXX)
trap 'rm -rf "$LAND"; it_cleanup' EXIT
mkdir -p "$LAND/landing1" "$LAND/landing2" "$LAND/landing3" "$LAND/landing4" "$IT_WORK/bindsrc"
echo from-host >"$IT_WORK/bindsrc/marker"
ln -s "/../../..$LAND/landing1" "$IT_ROOT/mnt"
ln -s "../../../../../../../../..$LAND/landing2" "$IT_ROOT/mnt2"
ln -s "$LAND/landing3" "$IT_ROOT/last"
ln -s "/../../..$LAND/landing4" "$IT_ROOT/tmpfs-link"
# one container per case, so that a refusal of one does not hide the others
bind_case() { # NAME KEY=VALUE SHELL-COMMAND LANDING
        it_container "$1" <<EOF
[Container]
Directory=$IT_ROOT
Exec=/bin/sh -c '$3'
[Files]
$2
EOF
        it_run "$1"
        diag "$2: berth exit $IT_RC: $(tr '\n' ' ' <"$IT_OUT")$(head -c 300 "$IT_ERR")"
        check "$2: runs, or is refused with one clear error line" \
                test "$IT_RC" = 0 -o \( "$IT_RC" = 125 -a "$(wc -l <"$IT_ERR")" = 1 \)
        check_eq "$2: the host directory behind the symlink stays empty" "$(ls -A "$LAND/$4")" ""
}
bind_case bind-abs "Bind=$IT_WORK/bindsrc:/mnt/x" "cat /mnt/x/marker" landing1
bind_case bind-rel "Bind=$IT_WORK/bindsrc:/mnt2/y" "cat /mnt2/y/marker" landing2
bind_case bind-last "BindReadOnly=$IT_WORK/bindsrc:/last" "cat /last/marker" landing3
bind_case tmpfs-link "TemporaryFileSystem=/tmpfs-link/t" "echo in-container >/tmpfs-link/t/f" landing4
check_eq "bind source on the host is unchanged" "$(ls -A "$IT_WORK/bindsrc")" marker
check_eq "no bind of the container is left in the host's mount table" "$(our_mounts)" ""

# --- berth exec: the joining process --------------------------------------------------------------
if "$BERTH" exec --help >/dev/null 2>&1; then
        it_container joined <<EOF
[Container]
Directory=$IT_ROOT
Exec=/escape-probe sleep 60
EOF
        if it_start joined; then
                IT_OUT=$IT_WORK/exec.out
                timeout 30 "$BERTH" exec joined -- /escape-probe exec </dev/null >"$IT_OUT" 2>"$IT_WORK/exec.err"
                IT_RC=$?
                [ -s "$IT_WORK/exec.err" ] && sed 's/^/# berth exec: /' "$IT_WORK/exec.err"
                relay "berth exec"
                kill -TERM "$IT_BG_PID"
                it_wait
        else
                fail "container for berth exec starts"
                sed 's/^/# /' "$IT_ERR"
        fi
else
        diag "berth exec is not implemented: its checks are not run (and not counted)"
fi

# --- berth exec: the administrator's terminal --------------------------------------------------
# Even with Capability=CAP_SYS_ADMIN (which once lifted the TIOCSTI rule) nothing the exec'd
# command does reaches the terminal berth exec was called from: it runs on a pty of its own.
# Seen failing against main before issue 13 (d789f12): the line showed in INPUT-QUEUE.
it_container joined-admin <<EOF
[Container]
Directory=$IT_ROOT
Exec=/escape-probe sleep 60
[Security]
Capability=CAP_SYS_ADMIN
EOF
if it_start joined-admin; then
        for mode in stdin-only --interactive; do
                out=$("$here/escape-tty.py" ${mode#stdin-only} "$BERTH" exec joined-admin -- /escape-probe tiocsti 2>&1)
                echo "$out" | grep '^# tiocsti' | sed "s/^# /# exec $mode: /"
                echo "$out" >"$IT_WORK/exec-tty.out"
                check "TIOCSTI from berth exec pushes nothing into the caller's terminal ($mode)" \
                        host_tty_queue_empty "$IT_WORK/exec-tty.out"
        done
        kill -KILL "$(it_leader joined-admin)"
        it_wait
else
        fail "container for berth exec's terminal starts"
        sed 's/^/# /' "$IT_ERR"
fi
# === host side: what an image or a container hands to the host side of berth (issue 13) ========
# Each attack below is one an image or a running container can make against the host side of
# berth; each check is one of escape-host.sh's detectors, which escape-selftest.sh shows firing
# against the same attack done by hand without berth's guard. The full behaviour of each guard
# (messages, options, the cases that must keep working) is tested beside its code: edge-image/,
# image/test-import-edges.sh, edge-exec/, system/journal.sh, unit/test-cescape.

# --- image content: device nodes in the root ------------------------------------------------------
# No systemd scope (--register=no): no device cgroup, only the root's nodev stands in the way.
mknod -m 666 "$IT_ROOT/host-null" c 1 3
disk=$(stat -c '%Hd:%Ld' "$IT_ROOT")
[ "${disk%%:*}" = 0 ] && disk=7:0 # a root on a file system without a block device: loop0
mknod -m 666 "$IT_ROOT/host-disk" b "${disk%%:*}" "${disk##*:}"
it_container devnode <<EOF
[Container]
Directory=$IT_ROOT
Exec=/bin/sh -c 'echo x >/host-null && echo dev-opened char; /bin/busybox head -c 512 /host-disk >/dev/null && echo dev-opened block; echo done'
EOF
it_run devnode
check_eq "image device nodes: the container ran" "$(tail -n1 "$IT_OUT")" done
check "image device nodes: container root opens no host device through them" host_dev_untouched "$IT_OUT"
rm -f "$IT_ROOT/host-null" "$IT_ROOT/host-disk"

# --- image content: berth import of a hostile tarball and OCI layout ------------------------------
export BERTH_IMAGE_DIR=$IT_WORK/images
H=$IT_WORK/hostile
mkdir -p "$H/img/bin" "$H/img/dev" "$H/img/lib"
cp /bin/true "$H/img/bin/suid-root"
chmod 4755 "$H/img/bin/suid-root"
cp /bin/true "$H/img/bin/sgid"
chmod 2755 "$H/img/bin/sgid"
cp /bin/true "$H/img/bin/filecap"
setcap cap_sys_admin+ep "$H/img/bin/filecap"
mknod "$H/img/dev/sda" b 8 0
tar --numeric-owner --xattrs --xattrs-include='*' -C "$H/img" -cf "$H/setuid.tar" .
"$BERTH" import hostile-setuid "$H/setuid.tar" >"$IT_WORK/import.out" 2>&1
diag "import of setuid, file capability, /dev node: exit $?: $(tail -n1 "$IT_WORK/import.out")"
check "import: no setuid file, file capability or device node reaches the host's image store" \
        host_store_clean "$BERTH_IMAGE_DIR"
mknod "$H/img/lib/evil" c 1 1 # /dev/mem, outside /dev: the image is refused
tar --numeric-owner -C "$H/img" -cf "$H/devnode.tar" .
"$BERTH" import hostile-dev "$H/devnode.tar" >"$IT_WORK/import.out" 2>&1
diag "import of a node outside /dev: exit $?: $(tail -n1 "$IT_WORK/import.out")"
check "import: a device node outside /dev does not reach the host's image store" \
        host_store_clean "$BERTH_IMAGE_DIR"
# A blob that is a symlink to a host file that happens to be a valid layer.
SECRET=host-secret-$$-$RANDOM
mkdir -p "$H/layer/etc"
echo "$SECRET" >"$H/layer/etc/secret"
tar -C "$H/layer" -cf "$H/host-file.tar" .
python3 "$here/../image/make-oci-layout.py" "$H/oci" '{}' "$H/host-file.tar"
digest=$(sha256sum "$H/host-file.tar" | cut -d' ' -f1)
ln -sf "$H/host-file.tar" "$H/oci/blobs/sha256/$digest"
"$BERTH" import hostile-blob --oci "$H/oci" >"$IT_WORK/import.out" 2>&1
diag "import of a symlinked blob: exit $?: $(tail -n1 "$IT_WORK/import.out")"
check "import: a blob that is a symlink reads no host file into the image store" \
        host_secret_unread "$SECRET" "$BERTH_IMAGE_DIR"
unset BERTH_IMAGE_DIR

# --- bind-source swap -------------------------------------------------------------------------
# The container can write $D (an idmapped bind): it replaces $D/sub, the source of a second bind,
# with a symlink to a host directory. The next start must not bind the host directory.
D=$IT_WORK/swap
mkdir -p "$D/sub" "$IT_WORK/host-secret"
echo "$SECRET" >"$IT_WORK/host-secret/file"
it_container swap <<EOF
[Container]
Directory=$IT_ROOT
Exec=/bin/sh -c 'cat /sub/file; /bin/busybox rm -rf /data/sub && /bin/busybox ln -s $IT_WORK/host-secret /data/sub && echo swapped'
[Files]
Bind=$D:/data:idmap
Bind=$D/sub:/sub
EOF
it_run swap
check_eq "bind-source swap: the container replaced its bind source by a symlink" "$(tail -n1 "$IT_OUT")" swapped
it_run swap
diag "bind-source swap, next start: exit $IT_RC: $(head -c 300 "$IT_ERR")"
check "bind-source swap: the next start does not bind the host directory" host_secret_unread "$SECRET" "$IT_OUT"

# --- journal priorities -----------------------------------------------------------------------
# berth's output under a stand-in for journald (escape-journal.py, on /run/systemd/journal/stdout
# of a mount namespace of its own): the payload's "<N>" prefixes choose nothing.
MARK=jmark-$$
it_container jprio <<EOF
[Container]
Directory=$IT_ROOT
Exec=/bin/sh -c 'echo "<0>$MARK emergency"; echo "<3>berth: $MARK forged error"; echo "<1>$MARK alert"'
EOF
unshare --mount --propagation private sh -c 'mount -t tmpfs tmpfs /run && mkdir -p /run/systemd/journal &&
        exec "$0" /run/systemd/journal/stdout "$1" run --register=no jprio' \
        "$here/escape-journal.py" "$BERTH" >"$IT_WORK/journal.out" 2>&1
diag "berth run under the journal stand-in: exit $?"
grep "$MARK" "$IT_WORK/journal.out" | sed 's/^/# /'
check_eq "journal: the payload's three lines reached the journal" "$(grep -c "$MARK" "$IT_WORK/journal.out")" 3
check "journal: the payload chooses no priority and does not pass for berth" \
        host_journal_sane "$IT_WORK/journal.out" "$MARK"

# --- terminal escapes -----------------------------------------------------------------------------
# A payload whose process name and command line are escape sequences (retitle the terminal, clear
# the screen): berth status shows them to the administrator.
ln -s escape-probe "$IT_ROOT/$(printf 'x\033]0;owned\007\033[2J')"
it_container escname <<EOF
[Container]
Directory=$IT_ROOT
Exec=/bin/sh -c 'exec /x* sleep 60'
EOF
if it_start escname; then
        for _ in $(seq 100); do # until the shell has exec'd the probe under its name
                grep -q owned "/proc/$(it_leader escname)/comm" 2>/dev/null && break
                sleep 0.1
        done
        "$BERTH" status escname >"$IT_WORK/status.out" 2>&1
        diag "berth status: exit $?"
        grep owned "$IT_WORK/status.out" | cat -v | sed 's/^/# /'
        check "berth status shows the payload's process" grep -q owned "$IT_WORK/status.out"
        check "terminal escapes: berth status passes no raw control character to the terminal" \
                host_no_raw_controls "$IT_WORK/status.out"
        kill -KILL "$(it_leader escname)"
        it_wait
else
        fail "container with an escape sequence for a name starts"
        sed 's/^/# /' "$IT_ERR"
fi
tap_done
