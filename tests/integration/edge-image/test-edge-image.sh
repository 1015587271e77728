#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The host side of the edges a container controls (issue 13): device nodes in a root or a bind
# source do not open host devices, roots and idmapped bind sources reachable by host users are
# refused (a setuid-root file planted there would be theirs to run), and a symlink planted in a
# bind source's path does not redirect the next start.
. "$(dirname "$0")/../lib.sh"
it_setup
OPEN=
trap 'it_cleanup; [ -n "$OPEN" ] && rm -rf "$OPEN"' EXIT

IT_ROOT=$IT_WORK/root
it_build_root "$IT_ROOT"
N=edge-image-$$
lacks() { ! grep "$@"; }

# --- 1. device nodes ---------------------------------------------------------------------------
# A char node 1:3 (what /dev/null is) and a block node naming the disk that holds this root, both
# world-writable as an image could ship them. No systemd scope, so no device cgroup: only the
# mount's nodev stands between container root and the host device.
mknod -m 666 "$IT_ROOT/null-node" c 1 3
disk=$(stat -c '%Hd:%Ld' "$IT_ROOT")
if [ "${disk%%:*}" != 0 ]; then
        mknod -m 666 "$IT_ROOT/disk-node" b "${disk%%:*}" "${disk##*:}"
else
        diag "the root's file system has no block device ($disk); using loop0 (7:0)"
        mknod -m 666 "$IT_ROOT/disk-node" b 7 0
fi
it_container "$N" <<C
[Container]
Directory=$IT_ROOT
Exec=/bin/sh -c 'echo x >/null-node && echo char-opened; /bin/busybox head -c 512 /disk-node >/dev/null && echo block-opened; echo done'
C
it_run "$N"
check_eq "a container runs with device nodes in its root" "$(tail -n1 "$IT_OUT")" "done"
check "container root cannot open a char node 1:3 in its root" lacks -q char-opened "$IT_OUT"
check "container root cannot read the host's disk through a block node in its root" \
        lacks -q block-opened "$IT_OUT"
grep -q "Permission denied" "$IT_ERR" && ok "the open fails with EACCES (nodev)" ||
        { fail "the open fails with EACCES (nodev)"; diag "$(cat "$IT_OUT" "$IT_ERR")"; }

# The same with the nodes in a Bind= source, idmapped and plain.
mkdir -p "$IT_WORK/bsrc"
mknod -m 666 "$IT_WORK/bsrc/null-node" c 1 3
for opt in "" ":idmap"; do
        it_container "$N" <<C
[Container]
Directory=$IT_ROOT
Exec=/bin/sh -c 'echo x >/b/null-node && echo char-opened; echo done'
[Files]
Bind=$IT_WORK/bsrc:/b$opt
C
        it_run "$N"
        check_eq "Bind=${opt#:}: container starts" "$(tail -n1 "$IT_OUT")" "done"
        check "Bind=${opt#:}: container root cannot open a char node in a bind source" \
                lacks -q char-opened "$IT_OUT"
done
# Devices the admin names are kept: a source that is a node, a directory of the host's devtmpfs.
it_container "$N" <<C
[Container]
Directory=$IT_ROOT
Exec=/bin/sh -c 'echo x >/host-null && echo node-ok; echo x >/host-dev/null && echo devtmpfs-ok'
[Files]
Bind=/dev/null:/host-null
Bind=/dev:/host-dev:norbind
C
it_run "$N"
check_eq "Bind= of a device node and of a devtmpfs directory keep their nodes" "$(cat "$IT_OUT")" \
        "node-ok
devtmpfs-ok"
# berth's own /dev keeps working.
it_container "$N" <<C
[Container]
Directory=$IT_ROOT
Exec=/bin/sh -c 'echo x >/dev/null && /bin/busybox head -c 4 /dev/zero | /bin/busybox wc -c'
C
it_run "$N"
check_eq "/dev/null and /dev/zero of berth's /dev still work" "$(tr -d ' ' <"$IT_OUT")" "4"

# --- 2. roots reachable by host users ------------------------------------------------------------
OPEN=$(mktemp -d /tmp/berth-edge-open.XXXXXX)
chmod 0755 "$OPEN"
cp -a "$IT_ROOT" "$OPEN/root"
rm -f "$OPEN/root/null-node" "$OPEN/root/disk-node"
# Container root makes a setuid-root copy of the probe: through the idmap it is owned by host root.
it_container "$N" <<C
[Container]
Directory=$OPEN/root
Exec=/bin/sh -c 'cat /probe >/suid && chmod 4755 /suid && echo planted'
C
it_run "$N"
check "a root below only world-traversable directories is refused" test "$IT_RC" -ne 0
check "nothing ran in it" lacks -q planted "$IT_OUT"
check "no setuid-root file appeared on the host" test ! -e "$OPEN/root/suid"
grep -q "0700" "$IT_ERR" && grep -qF "$OPEN/root" "$IT_ERR" && ok "the error names the root and the 0700 fix" ||
        { fail "the error names the root and the 0700 fix"; diag "$(cat "$IT_ERR")"; }
if [ -e "$OPEN/root/suid" ]; then
        # What the refusal prevents: a host user running the container's file as host root.
        diag "planted: $(stat -c '%U %A' "$OPEN/root/suid"); host user nobody reads /etc/shadow with it: \
$(setpriv --reuid=65534 --regid=65534 --clear-groups "$OPEN/root/suid" read /etc/shadow 2>&1)"
fi
# Made private by its parent: starts.
chmod 0700 "$OPEN"
it_run "$N"
check_eq "the same root below a root-owned 0700 directory starts" "$(cat "$IT_OUT")" "planted"
chmod 0755 "$OPEN"
rm -f "$OPEN/root/suid"

# An idmapped Bind= source follows the same rule; a plain one does not need it.
mkdir -p "$OPEN/share"
for opt in ":idmap" ""; do
        it_container "$N" <<C
[Container]
Directory=$IT_ROOT
Exec=/bin/echo started
[Files]
Bind=$OPEN/share:/share$opt
C
        it_run "$N"
        if [ -n "$opt" ]; then
                check "an idmapped bind source reachable by host users is refused" test "$IT_RC" -ne 0
                grep -q "idmapped bind source $OPEN/share" "$IT_ERR" && ok "the error names the bind source" ||
                        { fail "the error names the bind source"; diag "$(cat "$IT_ERR")"; }
        else
                check_eq "a plain bind source there is accepted" "$(cat "$IT_OUT")" "started"
        fi
done

# --- 3. symlinks in bind source paths -------------------------------------------------------------
# Nested binds: the container can write $D, so it can replace $D/sub with a symlink to a host
# directory; the next start must not bind that host directory.
D=$IT_WORK/data
mkdir -p "$D" "$IT_WORK/secret"
echo host-secret >"$IT_WORK/secret/file"
ln -s "$IT_WORK/secret" "$D/sub"
it_container "$N" <<C
[Container]
Directory=$IT_ROOT
Exec=/bin/cat /sub/file
[Files]
Bind=$D:/data
Bind=$D/sub:/sub
C
it_run "$N"
check "a bind source through a symlink inside another bind source is refused" test "$IT_RC" -ne 0
check "the host directory behind the symlink was not read" lacks -q host-secret "$IT_OUT"
grep -qF "symlink $D/sub" "$IT_ERR" && ok "the error names the symlink" ||
        { fail "the error names the symlink"; diag "$(cat "$IT_ERR")"; }
"$BERTH" verify "$N" >"$IT_WORK/verify.out" 2>&1
check "berth verify reports it too" grep -qF "symlink $D/sub" "$IT_WORK/verify.out"

# The same when the outer source is itself named through an admin's symlink (listed after the
# inner one, so it is not resolved yet when the inner one is checked).
ln -s data "$IT_WORK/data-alias"
it_container "$N" <<C
[Container]
Directory=$IT_ROOT
Exec=/bin/cat /sub/file
[Files]
Bind=$IT_WORK/data-alias/sub:/sub
Bind=$IT_WORK/data-alias:/data
C
it_run "$N"
check "the same through an alias of the outer source is refused" test "$IT_RC" -ne 0
check "the host directory was not read through the alias" lacks -q host-secret "$IT_OUT"

# An admin's own symlink outside the container's trees is resolved once and reported.
mkdir -p "$IT_WORK/real"
echo admin-data >"$IT_WORK/real/file"
ln -s real "$IT_WORK/alias"
it_container "$N" <<C
[Container]
Directory=$IT_ROOT
Exec=/bin/cat /a/file
[Files]
Bind=$IT_WORK/alias:/a
C
it_run "$N"
check_eq "an admin's symlink in a bind source path still works" "$(cat "$IT_OUT")" "admin-data"
"$BERTH" verify "$N" >"$IT_WORK/verify.out" 2>&1
check "berth verify notes the resolved path" grep -qF "note: $BERTH_CONFIG_PATH/$N.container: Bind= source $IT_WORK/alias is reached through a symlink; using $IT_WORK/real" "$IT_WORK/verify.out"

tap_done
