#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# berth run: the root (bind, ReadOnly=, Ephemeral=, the host-root demo) and Bind=/BindReadOnly=/
# TemporaryFileSystem=, including a symlink in the image that tries to send a bind to the host.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
it_setup
IT_ROOT=$IT_WORK/root
it_build_root "$IT_ROOT"
mounts_before=$(it_mountinfo)

# Directory= is writable by default, and writes land in the directory.
check_eq "Directory= root is writable" "$(it_probe write /etc/written)" "ok"
check "the write landed in Directory=" test -f "$IT_ROOT/etc/written"

# ReadOnly=yes: writes fail with EROFS and the directory is unchanged.
it_container ro <<C
[Container]
Directory=$IT_ROOT
ReadOnly=yes
Exec=/bin/sh -c '/probe write /etc/ro-file; /probe write /tmp/scratch'
C
it_run ro
check_eq "ReadOnly=yes: writing the root fails with EROFS" "$(sed -n 1p "$IT_OUT")" "EROFS"
check_eq "ReadOnly=yes: /tmp is still a writable tmpfs" "$(sed -n 2p "$IT_OUT")" "ok"
check "ReadOnly=yes: nothing written to Directory=" test ! -e "$IT_ROOT/etc/ro-file"

# Ephemeral=yes: writes succeed inside and vanish at exit.
it_container eph <<C
[Container]
Directory=$IT_ROOT
Ephemeral=yes
Exec=/bin/sh -c '/probe write /etc/eph-file; /probe stat /etc/eph-file; /probe write /etc/passwd'
C
it_run eph
check_eq "Ephemeral=yes: writes succeed inside" "$(sed -n 1,2p "$IT_OUT" | tr '\n' ' ')" "ok file "
check "Ephemeral=yes: new file not in Directory=" test ! -e "$IT_ROOT/etc/eph-file"
check "Ephemeral=yes: overwritten file unchanged in Directory=" grep -q '^tester:' "$IT_ROOT/etc/passwd"
it_container eph2 <<C
[Container]
Directory=$IT_ROOT
Ephemeral=yes
Exec=/probe stat /etc/eph-file
C
it_run eph2
check_eq "Ephemeral=yes: the write is gone in the next run" "$(cat "$IT_OUT")" "ENOENT"

# The demo: no Directory= means the host's / as an ephemeral read-only root.
it_container demo <<C
[Container]
Exec=/bin/sh -c 'cat /etc/hostname >/dev/null && echo readable; touch /berth-it-demo 2>/dev/null || echo refused; ls /run | wc -l'
C
it_run demo
check_eq "demo: exit status 0" "$IT_RC" "0"
check_eq "demo: the host's files are readable" "$(sed -n 1p "$IT_OUT")" "readable"
check_eq "demo: writing the root is refused" "$(sed -n 2p "$IT_OUT")" "refused"
check "demo: write did not reach the host" test ! -e /berth-it-demo
check_eq "demo: /run is the container's own (empty)" "$(sed -n 3p "$IT_OUT")" "0"

# Bind= (idmapped: the host's root owns the source, the container's root writes to it),
# BindReadOnly=, TemporaryFileSystem=.
mkdir -p "$IT_WORK/shared" "$IT_WORK/ro-src"
echo host >"$IT_WORK/ro-src/file"
it_container binds <<C
[Container]
Directory=$IT_ROOT
Exec=/bin/sh -c '/probe write /mnt/shared/from-inside; /probe write /mnt/ro/new; /probe read /mnt/ro/file; /probe write /scratch/x; /probe ls /scratch'
[Files]
Bind=$IT_WORK/shared:/mnt/shared:idmap
BindReadOnly=$IT_WORK/ro-src:/mnt/ro
TemporaryFileSystem=/scratch:size=1M
C
it_run binds
check_eq "Bind=: writable inside" "$(sed -n 1p "$IT_OUT")" "ok"
check "Bind=: the write reached the host" test -f "$IT_WORK/shared/from-inside"
check_eq "BindReadOnly=: writes fail with EROFS" "$(sed -n 2p "$IT_OUT")" "EROFS"
check_eq "BindReadOnly=: contents visible" "$(sed -n 3p "$IT_OUT")" "ok 5"
check_eq "TemporaryFileSystem=: writable" "$(sed -n 4p "$IT_OUT")" "ok"
check_eq "TemporaryFileSystem=: starts empty" "$(sed -n 5p "$IT_OUT")" "x"
check "TemporaryFileSystem=: target created inside the root" test -d "$IT_ROOT/scratch"

# TemporaryFileSystem= options: what berth verify accepts is what the mount gets (one table).
# Mount options are the 6th field of mountinfo, the tmpfs's own follow the " - tmpfs NAME".
it_container tmpfsopt <<C
[Container]
Directory=$IT_ROOT
Exec=/bin/cat /proc/self/mountinfo
[Files]
TemporaryFileSystem=/t-noatime:noatime,mode=0700,size=1M /t-relatime:relatime,ro
TemporaryFileSystem=/t-strict:strictatime,suid,exec /t-default
C
verify_quiet() { "$BERTH" verify "$1" >/dev/null; }
check "TemporaryFileSystem= with noatime, relatime, strictatime passes berth verify" verify_quiet tmpfsopt
it_run tmpfsopt
check_eq "a container with TemporaryFileSystem=/t-noatime:noatime... starts and exits 0" "$IT_RC" 0
[ "$IT_RC" = 0 ] || diag "$(cat "$IT_ERR")"
tmpfs_opts() { awk -v t="$1" '$5 == t { print $6 }' "$IT_OUT"; }
tmpfs_super() { awk -v t="$1" '$5 == t { sub(/.* - /, ""); print }' "$IT_OUT"; }
has_opt() { tr , '\n' <<<"$1" | grep -qx "$2"; }
o=$(tmpfs_opts /t-noatime)
diag "/t-noatime: $o; $(tmpfs_super /t-noatime)"
check "noatime: the mount has noatime" has_opt "$o" noatime
check "noatime: nosuid and nodev by default" bash -c "[[ ,$o, == *,nosuid,* && ,$o, == *,nodev,* ]]"
check "noatime: mode=0700 and size=1M reached tmpfs" \
        bash -c "[[ ,\$1, == *,mode=700,* && ,\$1, == *,size=1024k,* ]]" _ "$(tmpfs_super /t-noatime | awk '{print $3}')"
o=$(tmpfs_opts /t-relatime)
diag "/t-relatime: $o"
check "relatime: the mount has relatime" has_opt "$o" relatime
check "relatime,ro: the mount is read-only" has_opt "$o" ro
o=$(tmpfs_opts /t-strict)
diag "/t-strict: $o"
check "strictatime: neither noatime nor relatime" bash -c "! [[ ,$o, == *,noatime,* || ,$o, == *,relatime,* ]]"
check "strictatime,suid,exec: nosuid cleared, nodev kept" bash -c "[[ ,$o, != *,nosuid,* && ,$o, == *,nodev,* ]]"
check_eq "no options: mode=0755" "$(tmpfs_super /t-default | tr , '\n' | grep '^mode=')" "mode=755"

# A symlink in the image pointing at a host path must not redirect a bind onto the host.
victim=$IT_WORK/victim
mkdir -p "$victim"
ln -sfn "$victim" "$IT_ROOT/evil"
it_container evil <<C
[Container]
Directory=$IT_ROOT
Exec=/bin/sh -c '/probe ls /evil/sub; /probe stat $victim/sub'
[Files]
BindReadOnly=$IT_WORK/ro-src:/evil/sub
C
it_run evil
check_eq "symlinked bind target: mounted inside the root" "$(sed -n 1p "$IT_OUT")" "file"
check "symlinked bind target: nothing created on the host" test ! -e "$victim/sub"
check_eq "symlinked bind target: the link resolved inside the root" "$(sed -n 2p "$IT_OUT")" "dir"

check_eq "host mount table unchanged after all runs" "$(it_mountinfo)" "$mounts_before"
tap_done
