#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Credentials under systemd (test bed 1, issue 19): what systemd passes berth@NAME.service through
# a drop-in (SetCredential=, LoadCredential=, LoadCredentialEncrypted= of a systemd-creds encrypted
# file) reaches the payload through ImportCredential= in NAME.container, in
# $CREDENTIALS_DIRECTORY; LoadCredential= in NAME.container itself too. The bytes never show in
# berth's own journal lines, berth status, or under /run/berth, during the run or after it.
set -u
. "$BERTH_SRC/tests/system/lib.sh"
mkdir -p /etc/berth
W=$(mktemp -d)
D=/etc/systemd/system/berth@cr1.service.d
cleanup() {
        systemctl stop berth@cr1 2>/dev/null
        rm -rf "$W" "$D" /etc/berth/cr1.container /etc/berth-creds
        systemctl daemon-reload
}
trap cleanup EXIT
rnd() { tr -d - </proc/sys/kernel/random/uuid; }
SET=set-$(rnd) LOAD=load-$(rnd) ENC=enc-$(rnd) OWN=own-$(rnd)
mkdir -m 0700 /etc/berth-creds
printf '%s' "$LOAD" >/etc/berth-creds/api
printf '%s' "$OWN" >/etc/berth-creds/own
enc=no
if printf '%s' "$ENC" | systemd-creds encrypt --with-key=host --name=sealed - /etc/berth-creds/sealed.cred \
        >"$W/enc.log" 2>&1; then
        enc=yes
else
        diag "systemd-creds encrypt failed: $(cat "$W/enc.log")"
fi
diag "systemd-creds encrypt --with-key=host: $enc"

# systemd as a container's PID 1 leaves / private (a host's PID 1 makes it shared), and systemd 252
# mounts a unit's credentials from a child mount namespace that then cannot propagate them back:
# the unit would see an empty $CREDENTIALS_DIRECTORY. The bed is ours alone for this run.
mount --make-rshared /
mkdir -p "$D"
{
        echo "[Service]"
        echo "SetCredential=dbpw:$SET"
        echo "LoadCredential=api:/etc/berth-creds/api"
        [ $enc = yes ] && echo "LoadCredentialEncrypted=sealed:/etc/berth-creds/sealed.cred"
        echo "SetCredential=notimported:nope"
} >"$D/creds.conf"
# The payload prints digests: the bytes themselves must not reach the journal through berth.
cat >/etc/berth/cr1.container <<'EOT'
[Container]
LoadCredential=own:/etc/berth-creds/own
ImportCredential=dbpw
ImportCredential=api
ImportCredential=seal*
Exec=/bin/sh -c 'cd "$CREDENTIALS_DIRECTORY" && echo "dir=$PWD" && echo "ls=$(ls | tr "\\n" " ")" && for f in *; do echo "$f=$(sha256sum <$f | cut -c1-16) mode=$(stat -c %%a $f)"; done; echo "env=$(env | grep -c -e set- -e load- -e own-)"; trap "exit 0" TERM; while :; do sleep 0.2; done'
EOT
systemctl daemon-reload
sum() { printf '%s' "$1" | sha256sum | cut -c1-16; }
check "systemctl start berth@cr1 with credentials in a drop-in" systemctl start berth@cr1
for _ in $(seq 50); do journalctl -u berth@cr1 --no-pager -o cat | grep -q '^env=' && break; sleep 0.1; done
journalctl --sync
out=$(journalctl -u berth@cr1 --no-pager -o cat)
diag "$out"
check "CREDENTIALS_DIRECTORY is /run/credentials/@container" grep -qx "dir=/run/credentials/@container" <<<"$out"
want="api dbpw own"
[ $enc = yes ] && want="api dbpw own sealed"
check_eq "the imported (and only those) and the container's own credentials are there" \
        "$(grep '^ls=' <<<"$out" | sed 's/ *$//')" "ls=$want"
check "SetCredential= in the drop-in, ImportCredential= in the .container: the bytes arrive, 0400" \
        grep -qx "dbpw=$(sum "$SET") mode=400" <<<"$out"
check "LoadCredential= in the drop-in, imported: the bytes arrive" grep -qx "api=$(sum "$LOAD") mode=400" <<<"$out"
check "LoadCredential= in the .container: the bytes arrive" grep -qx "own=$(sum "$OWN") mode=400" <<<"$out"
if [ $enc = yes ]; then
        check "LoadCredentialEncrypted= of a systemd-creds encrypted file: decrypted in the container" \
                grep -qx "sealed=$(sum "$ENC") mode=400" <<<"$out"
else
        fail "systemd-creds encrypt works in the bed (see diag)"
fi
check_eq "no credential is in the payload's environment" "$(grep '^env=' <<<"$out")" "env=0"
st=$(berth status cr1 2>&1)
all="$SET|$LOAD|$ENC|$OWN"
check "berth status shows none of the secrets" bash -c '! grep -qE "$1" <<<"$2"' _ "$all" "$st"
check "the journal shows none of the secrets" \
        bash -c '! journalctl --no-pager -o cat | grep -qE "$1"' _ "$all"
check "nothing under /run/berth holds a secret while it runs" bash -c '! grep -rqaE "$1" /run/berth' _ "$all"
check "systemctl stop berth@cr1" systemctl stop berth@cr1
check "nothing under /run/berth holds a secret after stop" bash -c '! grep -rqaE "$1" /run/berth' _ "$all"

tap_done
