#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Inside bed 1 (see creds-boot.sh): a Boot=yes container whose init, systemd 252, gets a credential
# of the .container (LoadCredential=) and one systemd-creds encrypted for berth@cb.service
# (LoadCredentialEncrypted= in a drop-in, ImportCredential=), and hands both to the guest's own
# service, which asked for them by name. None of the bytes reach the host's journal or /run/berth.
# usage: creds-boot-bed.sh ROOT
set -u
. "$BERTH_SRC/tests/lib/tap.sh"
ROOT=$1
D=/etc/systemd/system/berth@cb.service.d
OUT=/var/tmp/creds-boot-out
cleanup() {
        systemctl stop berth@cb 2>/dev/null
        rm -rf "$D" /etc/berth/cb.container /etc/berth-creds "$OUT"
}
trap cleanup EXIT
rnd() { tr -d - </proc/sys/kernel/random/uuid; }
sum() { printf '%s' "$1" | sha256sum | cut -c1-16; }
TOKEN=token-$(rnd) SEALED=sealed-$(rnd)
mkdir -p /etc/berth "$D" "$OUT" && mkdir -m 0700 /etc/berth-creds
chmod 0777 "$OUT" # the guest's root (a mapped UID) writes its result here
printf '%s' "$TOKEN" >/etc/berth-creds/token
check "systemd-creds encrypt --with-key=host" \
        bash -c 'printf "%s" "$1" | systemd-creds encrypt --with-key=host --name=sealed - /etc/berth-creds/sealed.cred' \
        _ "$SEALED"
# As in creds.sh: systemd as the bed's PID 1 leaves / private, and would then mount the unit's
# credentials where the unit cannot see them.
mount --make-rshared /
printf '[Service]\nLoadCredentialEncrypted=sealed:/etc/berth-creds/sealed.cred\n' >"$D/creds.conf"
cat >/etc/berth/cb.container <<EOT
[Container]
Directory=$ROOT
Boot=yes
Ephemeral=yes
LoadCredential=token:/etc/berth-creds/token
ImportCredential=sealed
[Files]
Bind=$OUT:/out
EOT
systemctl daemon-reload
check "systemctl start berth@cb (Boot=yes, ready when the guest's systemd is)" systemctl start berth@cb
for _ in $(seq 300); do [ -s "$OUT/result" ] && break; sleep 0.2; done
diag "guest's result: $(cat "$OUT/result" 2>&1)"
check "the guest's service got the .container's LoadCredential= from its init" \
        grep -qx "token=$(sum "$TOKEN")" "$OUT/result"
check "the guest's service got the encrypted credential, decrypted, through ImportCredential=" \
        grep -qx "sealed=$(sum "$SEALED")" "$OUT/result"
journalctl --sync
check "the host's journal shows neither secret" \
        bash -c '! journalctl --no-pager -o cat | grep -qE "$1"' _ "$TOKEN|$SEALED"
check "nothing under /run/berth holds a secret while it runs" bash -c '! grep -rqaE "$1" /run/berth' _ "$TOKEN|$SEALED"
check "systemctl stop berth@cb" systemctl stop berth@cb
check "nothing under /run/berth holds a secret after stop" bash -c '! grep -rqaE "$1" /run/berth' _ "$TOKEN|$SEALED"

tap_done
