#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# VirtualEthernet='s resolv.conf in the state directory is written whole under its name (a
# temporary file renamed over it) with mode 0644 whatever berth's umask: the container reads it
# through a bind mount as a user the host file's owner is not mapped to. Written in place, it took
# the umask (077: 0600, unreadable inside) and failed on a symlink at its name. Runs in a
# throwaway network namespace (nothing touches the host's links or nftables).
if [ -z "${RESOLV_TEST_NETNS:-}" ]; then
        RESOLV_TEST_NETNS=1 exec unshare --net bash "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"
it_setup "$@"
IT_ROOT=$IT_WORK/root
it_build_root "$IT_ROOT"
echo "nameserver 127.0.0.53" >"$IT_ROOT/etc/resolv.conf"
ip link set lo up
N=resolv$$
it_container $N <<C
[Container]
Directory=$IT_ROOT
Exec=/bin/sh -c 'cat /etc/resolv.conf && echo read-ok'
[Network]
VirtualEthernet=yes
C

(umask 077 && it_run $N && echo "$IT_RC" >"$IT_WORK/rc")
IT_OUT=$IT_WORK/$N.out IT_ERR=$IT_WORK/$N.err
check_eq "a start under umask 077 exits 0" "$(cat "$IT_WORK/rc")" 0 || diag "$(cat "$IT_ERR")"
check "the container reads berth's resolv.conf" grep -q "^# Made by berth" "$IT_OUT"
check "... to its end" grep -q "^read-ok" "$IT_OUT"

# A symlink at the name (a leftover, or planted): replaced, not written through.
mkdir -p "$BERTH_STATE_DIR/$N"
echo precious >"$IT_WORK/precious"
ln -sfn "$IT_WORK/precious" "$BERTH_STATE_DIR/$N/resolv.conf"
it_run $N
check_eq "a start with a symlink at the state directory's resolv.conf exits 0" "$IT_RC" 0 || diag "$(cat "$IT_ERR")"
check "... the container reads berth's resolv.conf" grep -q "^read-ok" "$IT_OUT"
check_eq "... the symlink's target is untouched" "$(cat "$IT_WORK/precious")" precious
check "no temporary file left in the state directory" \
        bash -c "! ls -A '$BERTH_STATE_DIR/$N' 2>/dev/null | grep -q '^\.resolv\.conf\.'"
tap_done
