#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Colour and pager of berth list/status, driven on a real pseudo-terminal (script(1)): colour
# and paging only on a terminal, NO_COLOR / SYSTEMD_COLORS / SYSTEMD_PAGER / PAGER / --no-pager
# honoured as systemctl does, and berth waits for its pager. Usage: test-terminal.sh BERTH TAP_SH
set -u
BERTH=$1
. "$2"

T=$(mktemp -d /tmp/berth-test-terminal.XXXXXX)
trap 'rm -rf "$T"' EXIT
# A "running" container as berth sees one: a state file and a lock this script holds.
mkdir -p "$T/state/web" "$T/etc"
touch "$T/etc/web.container"
printf 'NAME=web\nSUPERVISOR=%s\nLEADER=%s\nSINCE=0\nROOT=/\n' $$ $$ >"$T/state/web/state"
exec {lockfd}>"$T/state/web/lock"
flock -x "$lockfd"
export BERTH_STATE_DIR=$T/state BERTH_CONFIG_PATH=$T/etc TERM=xterm
unset NO_COLOR SYSTEMD_COLORS SYSTEMD_PAGER PAGER SYSTEMD_LESS

# Runs berth on a pseudo-terminal with extra environment; prints what the terminal showed.
on_tty() {
        local env=()
        while [[ $1 == *=* ]]; do env+=("$1"); shift; done
        env "${env[@]}" script -qec "$(printf '%q ' "$@")" /dev/null </dev/null | tr -d '\r'
}
ESC=$'\033'
has() { [[ $1 == *"$2"* ]]; }
lacks() { [[ $1 != *"$2"* ]]; }

out=$(on_tty PAGER=cat "$BERTH" status --lines=0 web)
check "status on a terminal: running state in green" has "$out" "${ESC}[0;1;32m●"
check "status on a terminal: Active line in green" has "$out" "Active: ${ESC}[0;1;32m"
out=$(on_tty PAGER=cat NO_COLOR=1 "$BERTH" status --lines=0 web)
check "NO_COLOR: no escape sequences" lacks "$out" "$ESC"
check "NO_COLOR: still the status" has "$out" "● berth@web.service"
out=$(on_tty PAGER=cat SYSTEMD_COLORS=0 "$BERTH" status --lines=0 web)
check "SYSTEMD_COLORS=0: no escape sequences" lacks "$out" "$ESC"
out=$(on_tty PAGER=cat TERM=dumb "$BERTH" status --lines=0 web)
check "TERM=dumb: no escape sequences" lacks "$out" "$ESC"
out=$("$BERTH" status --lines=0 web)
check "status into a pipe: no escape sequences" lacks "$out" "$ESC"
out=$(SYSTEMD_COLORS=1 "$BERTH" status --lines=0 web)
check "SYSTEMD_COLORS=1: colour even into a pipe" has "$out" "${ESC}[0;1;32m●"

pager='sed s/^/PAGED:/'
out=$(on_tty "PAGER=$pager" "$BERTH" status --lines=0 web)
check "status on a terminal goes through \$PAGER" has "$out" "PAGED:"
check "the pager gets every line" test "$(grep -c . <<<"$out")" -eq "$(grep -c '^PAGED:' <<<"$out")"
out=$(on_tty "PAGER=$pager" "$BERTH" status --no-pager --lines=0 web)
check "--no-pager: no pager" lacks "$out" "PAGED:"
out=$(on_tty "PAGER=$pager" "SYSTEMD_PAGER=sed s/^/SD:/" "$BERTH" status --lines=0 web)
check "\$SYSTEMD_PAGER wins over \$PAGER" has "$out" "SD:"
out=$(on_tty "SYSTEMD_PAGER=" "PAGER=$pager" "$BERTH" status --lines=0 web)
check "empty \$SYSTEMD_PAGER: no pager" lacks "$out" "PAGED:"
out=$(PAGER=$pager "$BERTH" status --lines=0 web)
check "into a pipe: no pager" lacks "$out" "PAGED:"
out=$(on_tty "PAGER=$pager" "$BERTH" list)
check "list on a terminal goes through \$PAGER" has "$out" "PAGED:web "
out=$(on_tty "PAGER=$pager" "$BERTH" list --no-pager)
check "list --no-pager: no pager" lacks "$out" "PAGED:"
out=$(on_tty 'PAGER=echo "LESS=$LESS"; cat >/dev/null' "$BERTH" list)
check "the pager gets LESS=FRXMK" has "$out" "LESS=FRXMK"
out=$(on_tty 'PAGER=cat >/dev/null; sleep 0.3; echo pager-finished' "$BERTH" list)
check "berth waits for its pager to finish" has "$out" "pager-finished"

tap_done
