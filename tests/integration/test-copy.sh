#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# berth copy-to / copy-from (issue 21: machinectl copy-to fails with EOVERFLOW on berth
# containers). Round trips of a file and a tree with modes and owners as seen inside, --force,
# and what the container controls treated as hostile: a symlink it plants at the destination's
# parent stays inside its root, a FIFO source is refused without hanging, a symlink to
# /etc/shadow copies nothing of the host, setuid bits do not reach the host.
. "$(dirname "$0")/lib.sh"
it_setup "$@"
IT_ROOT=$IT_WORK/root
it_build_root "$IT_ROOT"
N=copy$$
# Where a copy that followed the container's symlink to / out would land: removed even then.
trap 'rm -f "/etc/copy-landed-$$"; it_cleanup' EXIT
it_container $N <<C
[Container]
Directory=$IT_ROOT
Exec=/bin/sh -c 'trap "exit 0" TERM; /bin/sleep 120 & wait'
C
inside() { timeout 30 "$BERTH" exec -T $N -- /bin/busybox "$@" </dev/null; }
cp_to() { timeout 30 "$BERTH" copy-to "$@" </dev/null >"$IT_WORK/cp.out" 2>"$IT_WORK/cp.err"; CP_RC=$?; }
cp_from() { timeout 30 "$BERTH" copy-from "$@" </dev/null >"$IT_WORK/cp.out" 2>"$IT_WORK/cp.err"; CP_RC=$?; }
H=$IT_WORK/host
mkdir -p "$H"

cp_to $N /etc/hostname /x
check_eq "copy-to a container that does not run: exit status 3" "$CP_RC" 3
check "... and it says so" grep -q "Container $N is not running" "$IT_WORK/cp.err"

it_start $N || fail "container $N starts"
BASE=$(awk '{ print $2 }' "/proc/$(it_leader $N)/uid_map")

# A file, as host root: lands as the container's root, mode kept, in the idmapped root and on
# the container's own tmpfs (where machinectl's EOVERFLOW happened).
printf 'hello\n' >"$H/f"
chmod 0640 "$H/f"
cp_to $N "$H/f" /root/f
check_eq "copy-to a file into the root exits 0" "$CP_RC" 0
cp_to $N "$H/f" /tmp/f
check_eq "copy-to a file onto the container's /tmp exits 0" "$CP_RC" 0
check_eq "inside: owner root, mode 640" "$(inside stat -c '%u %g %a' /root/f /tmp/f | sort -u)" "0 0 640"
check_eq "inside: the content" "$(inside cat /tmp/f)" "hello"
# An owner the container's user namespace maps stays that owner.
printf 'mapped\n' >"$H/m"
chown $((BASE + 1000)):$((BASE + 1000)) "$H/m"
cp_to $N "$H/m" /tmp/m
check_eq "inside: a mapped owner is kept (1000)" "$(inside stat -c '%u %g' /tmp/m)" "1000 1000"

# Without --force an existing target is kept; with it, replaced.
printf 'second\n' >"$H/f2"
cp_to $N "$H/f2" /tmp/f
check_eq "copy-to over an existing file without --force: exit status 1" "$CP_RC" 1
check "... the error names the container, the path and --force" \
        grep -q "container $N: /tmp/f: exists (use --force" "$IT_WORK/cp.err"
check_eq "... and the file is untouched" "$(inside cat /tmp/f)" "hello"
cp_to --force $N "$H/f2" /tmp/f
check_eq "copy-to --force exits 0" "$CP_RC" 0
check_eq "... and replaced it" "$(inside cat /tmp/f)" "second"

# A tree, there and back.
mkdir -p "$H/d/sub/deeper"
printf 'a\n' >"$H/d/a"
printf 'b\n' >"$H/d/sub/b"
printf 'c\n' >"$H/d/sub/deeper/c"
chmod 0750 "$H/d/sub"
chmod 0600 "$H/d/sub/b"
cp_to $N "$H/d" /tmp/d
check_eq "copy-to a directory exits 0" "$CP_RC" 0
check_eq "inside: the subdirectory root's, mode 750" "$(inside stat -c '%u %g %a' /tmp/d/sub)" "0 0 750"
check_eq "inside: a file in it, mode 600" "$(inside stat -c '%u %g %a' /tmp/d/sub/b)" "0 0 600"
check_eq "inside: the deepest file" "$(inside cat /tmp/d/sub/deeper/c)" "c"
cp_from $N /tmp/d "$H/back"
check_eq "copy-from the directory exits 0" "$CP_RC" 0
check "the round trip is identical" diff -r "$H/d" "$H/back"
check_eq "modes survive the round trip" "$(stat -c '%a' "$H/back/sub" "$H/back/sub/b" | tr '\n' ' ')" "750 600 "
cp_from $N /tmp/f "$H/back"
check_eq "copy-from over an existing directory without --force: exit status 1" "$CP_RC" 1
cp_from --force $N /tmp/f "$H/back"
check_eq "copy-from --force exits 0" "$CP_RC" 0
check_eq "... the file replaced the directory" "$(cat "$H/back")" "second"
cp_to --force $N "$H/d" /tmp/f
check_eq "copy-to --force of a directory over a file exits 0" "$CP_RC" 0
check_eq "... the directory replaced it" "$(inside cat /tmp/f/a)" "a"

# A symlink the container plants where the destination's parent is: absolute targets resolve in
# its root, never on the host. (A naive copy through /proc/PID/root/evil/x follows it out.)
OUT=$IT_WORK/outside
mkdir -p "$OUT"
inside ln -s "$OUT" /evil
inside ln -s / /slash
cp_to $N "$H/f" /evil/x
check "copy-to through a symlink to a host path: nothing lands on the host" test ! -e "$OUT/x"
check_eq "... it is refused (that path does not exist inside)" "$CP_RC" 1
cp_to $N "$H/f" /slash/etc/copy-landed-$$
check_eq "copy-to through a symlink to / exits 0" "$CP_RC" 0
check "... the file landed in the container's /etc" test -f "$IT_ROOT/etc/copy-landed-$$"
check "... not in the host's" test ! -e "/etc/copy-landed-$$"
rm -f "$IT_ROOT/etc/copy-landed-$$"
# The destination itself a symlink: not followed, refused without --force.
inside ln -s "$OUT/y" /tmp/link
cp_to $N "$H/f" /tmp/link
check_eq "copy-to onto a symlink without --force: exit status 1" "$CP_RC" 1
check "... nothing written through it" test ! -e "$OUT/y"

# A FIFO source: refused at once (a blocking open would hang until the timeout's 124).
inside mkfifo /tmp/fifo
cp_from $N /tmp/fifo "$H/fifo"
check_eq "copy-from a FIFO: exit status 1, no hang" "$CP_RC" 1
check "... the error says why" grep -q "/tmp/fifo: is not a regular file or directory" "$IT_WORK/cp.err"
check "... nothing created on the host" test ! -e "$H/fifo"
mkfifo "$H/hostfifo"
cp_to $N "$H/hostfifo" /tmp/hostfifo
check_eq "copy-to from a host FIFO: exit status 1, no hang" "$CP_RC" 1

# Symlinks to host secrets: copy-from opens them as the container's root inside its root and
# never follows them, at the top or inside a tree.
inside ln -s /etc/shadow /root/shadow
cp_from $N /root/shadow "$H/shadow"
check_eq "copy-from a symlink to /etc/shadow: exit status 1" "$CP_RC" 1
check "... nothing of the host copied" test ! -e "$H/shadow"
inside mkdir /root/tree
inside ln -s /etc/shadow /root/tree/shadow
cp_from $N /root/tree "$H/tree"
check_eq "copy-from a tree with a symlink in it: exit status 1" "$CP_RC" 1
check "... nothing left on the host" bash -c "! ls -A '$H' | grep -q -e '^tree' -e '^.#berth-copy'"

# --force over a tree deeper than the copy's own 256 levels (the container's, or the host's): the
# old one is removed whole (the copy's own remover stopped at 256 levels, failed the copy and left
# the old tree under its temporary name).
inside sh -c 'mkdir /tmp/deepold && cd /tmp/deepold && i=0 && while [ $i -lt 600 ]; do mkdir d && cd d && i=$((i + 1)); done && echo x >f'
check "inside: a tree 600 directories deep" inside test -f "/tmp/deepold$(printf '/d%.0s' $(seq 600))/f"
cp_to --force $N "$H/f" /tmp/deepold
check_eq "copy-to --force over it exits 0" "$CP_RC" 0
check_eq "... the file replaced it" "$(inside cat /tmp/deepold)" "hello"
mkdir -p "$H/deephost$(printf '/d%.0s' $(seq 600))"
cp_from --force $N /tmp/f "$H/deephost"
check_eq "copy-from --force over a host tree 600 directories deep exits 0" "$CP_RC" 0
check "... the directory replaced it, nothing left beside" \
        bash -c "test -d '$H/deephost' && ! ls -A '$H' | grep -q '^.#berth-copy'"

# setuid/setgid never reach the host.
inside sh -c 'echo s >/root/suid && chmod 6755 /root/suid'
cp_from $N /root/suid "$H/suid"
check_eq "copy-from a setuid file exits 0" "$CP_RC" 0
check_eq "... without setuid/setgid on the host" "$(stat -c '%a' "$H/suid")" "755"

# The container's modes less the caller's umask (as cp makes them): a world-writable directory or
# file of the container's is not one on the host, where every local user could change it.
inside sh -c 'mkdir /tmp/open && echo w >/tmp/open/w && chmod 0777 /tmp/open && chmod 0666 /tmp/open/w'
(umask 022 && cp_from $N /tmp/open "$H/open" && echo "$CP_RC" >"$IT_WORK/cp.rc")
check_eq "copy-from a world-writable tree under umask 022 exits 0" "$(cat "$IT_WORK/cp.rc")" 0
check_eq "... directory 755, file 644 on the host" "$(stat -c '%a' "$H/open" "$H/open/w" | tr '\n' ' ')" "755 644 "

# A file's size is the container's to set: copied hole for hole, a sparse 256 MiB file with two
# bytes of data takes no more room on the host than in the container (written out as zeros, a
# 'truncate -s 1P' filled the host's disk).
inside sh -c 'printf a >/tmp/sparse && truncate -s 268435456 /tmp/sparse && printf z | dd of=/tmp/sparse bs=1 seek=268435455 conv=notrunc 2>/dev/null'
cp_from $N /tmp/sparse "$H/sparse"
check_eq "copy-from a sparse file exits 0" "$CP_RC" 0
check_eq "... size and the bytes at both ends kept" \
        "$(stat -c %s "$H/sparse") $(head -c 1 "$H/sparse")$(tail -c 1 "$H/sparse")" "268435456 az"
check "... and its holes: under 1 MiB allocated on the host (got $(du -k "$H/sparse" | cut -f1) KiB)" \
        test "$(du -k "$H/sparse" | cut -f1)" -lt 1024
rm -f "$H/sparse"

check "no temporary file left inside" bash -c "! timeout 30 '$BERTH' exec -T $N -- /bin/busybox ls -A /tmp /root </dev/null | grep -q '^.#berth-copy'"
kill "$IT_BG_PID"
it_wait

# The recorded leader's PID now names a host process (the payload gone, its PID reused; made
# certain here by writing a host process's PID into the state). Without a user namespace no
# uid_map tells them apart: joined, the host process's namespaces are the host's own, and the
# copy landed in the host's root. It is not the supervisor's child: refused as not running.
N2=copyhost$$
it_container $N2 <<C
[Container]
Directory=$IT_ROOT
Exec=/bin/sh -c 'trap "exit 0" TERM; /bin/sleep 120 & wait'
[Security]
PrivateUsers=no
C
it_start $N2 || { fail "container $N2 starts"; sed "s/^/# /" "$IT_ERR"; }
sleep 120 &
HOSTPID=$!
IT_PIDS+=("$HOSTPID")
REAL_LEADER=$(it_leader $N2)
sed -i "s/^LEADER=.*/LEADER=$HOSTPID/" "$BERTH_STATE_DIR/$N2/state"
cp_to $N2 "$H/f" "$IT_WORK/landed"
check_eq "copy-to when the leader's PID names a host process: exit status 3" "$CP_RC" 3
check "... nothing landed in the host's root" test ! -e "$IT_WORK/landed"
timeout 30 "$BERTH" exec -T $N2 -- /bin/busybox touch "$IT_WORK/landed-exec" </dev/null >/dev/null 2>&1
check_eq "exec then: exit status 3" "$?" 3
check "... nothing ran in the host's root" test ! -e "$IT_WORK/landed-exec"
sed -i "s/^LEADER=.*/LEADER=$REAL_LEADER/" "$BERTH_STATE_DIR/$N2/state"
kill "$HOSTPID"
kill "$IT_BG_PID"
it_wait
tap_done
