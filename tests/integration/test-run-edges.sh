#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# What a container controls is hostile input to the host side (issue 13): its /etc/passwd and
# /etc/group, its process names, its output. Each check here failed on the code before the fix.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
it_setup
IT_ROOT=$IT_WORK/root
it_build_root "$IT_ROOT"

# Runs container NAME under a hard bound: a start that hangs is a failed check (rc 124/137),
# never a stuck test.
bounded_run() {
        local name=$1
        IT_OUT=$IT_WORK/$name.out IT_ERR=$IT_WORK/$name.err
        timeout -k 5 20 "$BERTH" run --register=no "$name" </dev/null >"$IT_OUT" 2>"$IT_ERR"
        IT_RC=$?
}

# Finding 9: a FIFO (or anything not a regular file) at the container's /etc/passwd or /etc/group
# fails the start at once with a clear error; before the fix open() waited for a writer forever.
for db in passwd group; do
        root=$IT_WORK/root-fifo-$db
        it_build_root "$root"
        rm -f "$root/etc/$db"
        mkfifo "$root/etc/$db"
        it_container "fifo-$db" <<C
[Container]
Directory=$root
User=tester
Exec=/probe pid
C
        bounded_run "fifo-$db"
        check_eq "FIFO at /etc/$db: the start fails (125), it does not hang" "$IT_RC" "125"
        check "FIFO at /etc/$db: the error names the file and why" \
                grep -q "container's /etc/$db: not a regular file" "$IT_ERR"
        [ "$IT_RC" = 125 ] || diag "$(cat "$IT_ERR")"
done

# A symlink there is refused too (O_NOFOLLOW), even one that stays inside the root.
root=$IT_WORK/root-symlink
it_build_root "$root"
mv "$root/etc/passwd" "$root/etc/passwd.real"
ln -s passwd.real "$root/etc/passwd"
it_container symlink-passwd <<C
[Container]
Directory=$root
User=tester
Exec=/probe pid
C
bounded_run symlink-passwd
check_eq "symlink at /etc/passwd: the start fails (125)" "$IT_RC" "125"
check "symlink at /etc/passwd: the error says so" grep -q "container's /etc/passwd: it is a symlink" "$IT_ERR"

# A regular /etc/passwd keeps working through the new reader (uid, gid, supplementary groups).
it_container user-ok <<C
[Container]
Directory=$IT_ROOT
User=tester
Exec=/bin/id -G
C
bounded_run user-ok
check_eq "User=tester still resolves from regular files" "$IT_RC/$(cat "$IT_OUT")" "0/1000 29"

tap_done
