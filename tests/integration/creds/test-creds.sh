#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Credentials (issue 19): LoadCredential= (a file, a directory), SetCredential=, ImportCredential=
#   - the payload finds them in $CREDENTIALS_DIRECTORY=/run/credentials/@container: the bytes,
#     mode 0400, owned by its user, on a read-only ramfs it cannot write;
#   - another user of the container cannot read them; berth exec sees them;
#   - they are not in the payload's environment, berth status, berth list -o json, or anywhere
#     under the state directory, during the run or after it;
#   - bad input (a missing source, an ID with '/', a source over 1 MiB, a duplicate ID) is a
#     file:line error and the container does not start; SetCredential= is a verify warning.
. "${IT_LIB:?}"
it_setup
IT_ROOT=$IT_WORK/root
it_build_root "$IT_ROOT"
for a in stat grep tr env; do ln -sf busybox "$IT_ROOT/bin/$a"; done
U=$$
SECRETS=$IT_WORK/secrets
mkdir -m 0700 "$SECRETS" "$SECRETS/dir"
SECRET="tok-$U-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
printf '%s' "$SECRET" >"$SECRETS/token"
printf 'alpha-%s' "$U" >"$SECRETS/dir/a"
printf 'beta-%s' "$U" >"$SECRETS/dir/b"
SETVAL="setval-$U-$RANDOM$RANDOM"

# --- a one-shot payload reads them ------------------------------------------------------------
cat >"$IT_ROOT/check-creds" <<'SH'
d=$CREDENTIALS_DIRECTORY
echo "dir=$d"
echo "token=$(cat "$d/token")"
echo "greeting=$(cat "$d/greeting")"
echo "a=$(cat "$d/conf_a") b=$(cat "$d/conf_b")"
echo "mode=$(stat -c '%a %u %g' "$d/token")"
(echo x >"$d/token") 2>/dev/null && echo "write=yes" || echo "write=no"
touch "$d/new" 2>/dev/null && echo "create=yes" || echo "create=no"
grep " /run/credentials/@container " /proc/self/mountinfo | grep -q " ro,.* - ramfs " && echo "mount=ro-ramfs"
grep -qF "$(cat "$d/token")" /proc/self/environ /proc/1/environ && echo "environ=leaks" || echo "environ=clean"
SH
it_container one$U <<C
[Container]
Directory=$IT_ROOT
LoadCredential=token:$SECRETS/token
LoadCredential=conf:$SECRETS/dir
SetCredential=greeting:$SETVAL
Exec=/bin/sh /check-creds
C
it_run one$U
diag "$(cat "$IT_ERR")"
check_eq "the payload runs" "$IT_RC" 0
check "CREDENTIALS_DIRECTORY is /run/credentials/@container" grep -qx "dir=/run/credentials/@container" "$IT_OUT"
check "LoadCredential=: the payload reads the file's bytes" grep -qx "token=$SECRET" "$IT_OUT"
check "SetCredential=: the payload reads the value" grep -qx "greeting=$SETVAL" "$IT_OUT"
check "LoadCredential= of a directory: each file as ID_FILE" grep -qx "a=alpha-$U b=beta-$U" "$IT_OUT"
check "a credential is mode 0400, owned by the container's root" grep -qx "mode=400 0 0" "$IT_OUT"
check "even the container's root cannot write a credential" grep -qx "write=no" "$IT_OUT"
check "nor create a file beside them" grep -qx "create=no" "$IT_OUT"
check "the directory is a read-only ramfs" grep -qx "mount=ro-ramfs" "$IT_OUT"
check "the payload's environment does not carry the secret" grep -qx "environ=clean" "$IT_OUT"
check "the run's output on the host has no error" test ! -s "$IT_ERR"

# --- a running container with User=: exec, other users, status, the state directory -------------
it_container run$U <<C
[Container]
Directory=$IT_ROOT
User=tester
LoadCredential=token:$SECRETS/token
Exec=/probe wait-signal
C
if it_start run$U; then
        leader=$(it_leader run$U)
        check_eq "User=: the payload's credential is owned by its user, mode 0400" \
                "$("$BERTH" exec run$U -- stat -c '%a %u %g' /run/credentials/@container/token 2>&1)" "400 1000 1000"
        check_eq "berth exec sees the credential and \$CREDENTIALS_DIRECTORY" \
                "$("$BERTH" exec run$U -- sh -c 'cat "$CREDENTIALS_DIRECTORY/token"' 2>&1)" "$SECRET"
        out=$("$BERTH" exec -u nobody run$U -- cat /run/credentials/@container/token 2>&1)
        diag "exec -u nobody: $out"
        check "another user of the container cannot read it" \
                bash -c '! grep -qF "$1" <<<"$2" && grep -q "Permission denied" <<<"$2"' _ "$SECRET" "$out"
        check "/proc/PID/environ of the payload (host side) has CREDENTIALS_DIRECTORY, not the secret" \
                bash -c 'tr "\0" "\n" <"/proc/$1/environ" | grep -qx "CREDENTIALS_DIRECTORY=/run/credentials/@container" &&
                         ! grep -qaF "$2" "/proc/$1/environ"' _ "$leader" "$SECRET"
        st=$("$BERTH" status run$U 2>&1)
        js=$("$BERTH" list -o json 2>&1)
        check "berth status does not show the secret" bash -c '! grep -qF "$1" <<<"$2"' _ "$SECRET" "$st"
        check "berth list -o json does not show the secret" bash -c '! grep -qF "$1" <<<"$2"' _ "$SECRET" "$js"
        check "nothing under the state directory holds the secret while it runs" \
                bash -c '! grep -rqaF "$1" "$2"' _ "$SECRET" "$BERTH_STATE_DIR"
        check "the host's mount table has no credentials mount" \
                bash -c '! grep -q "/run/credentials/@container" /proc/self/mountinfo'
        kill -TERM "$leader"
        it_wait
        check "after stop, nothing under the state directory holds the secret" \
                bash -c '! grep -rqaF "$1" "$2"' _ "$SECRET" "$BERTH_STATE_DIR"
else
        fail "the container with User= and LoadCredential= starts"
        diag "$(cat "$IT_ERR")"
fi

# --- Boot=yes: the same directory at /run/host/credentials, for the guest's init ----------------
cat >"$IT_ROOT/boot-creds" <<'SH'
echo "dir=$CREDENTIALS_DIRECTORY"
echo "host=$(cat /run/host/credentials/token) $(stat -c '%a %u' /run/host/credentials/token)"
(echo x >/run/host/credentials/token) 2>/dev/null && echo "write=yes" || echo "write=no"
SH
it_container boot$U <<C
[Container]
Directory=$IT_ROOT
Boot=yes
LoadCredential=token:$SECRETS/token
Exec=/bin/sh /boot-creds
C
it_run boot$U
diag "$(cat "$IT_ERR")"
check "Boot=yes: the guest's init gets CREDENTIALS_DIRECTORY" grep -qx "dir=/run/credentials/@container" "$IT_OUT"
check "Boot=yes: the credential is also at /run/host/credentials, 0400, root's" grep -qx "host=$SECRET 400 0" "$IT_OUT"
check "Boot=yes: /run/host/credentials is read-only too" grep -qx "write=no" "$IT_OUT"

# --- ImportCredential=: what systemd passed berth@NAME.service ----------------------------------
HOSTCREDS=$IT_WORK/hostcreds
mkdir -m 0700 "$HOSTCREDS"
printf 'dbpass-%s' "$U" >"$HOSTCREDS/db.pass"
printf 'other-%s' "$U" >"$HOSTCREDS/other"
cat >"$IT_ROOT/import-creds" <<'SH'
ls "$CREDENTIALS_DIRECTORY"
cat "$CREDENTIALS_DIRECTORY/db.pass"
SH
it_container imp$U <<C
[Container]
Directory=$IT_ROOT
ImportCredential=db.*
Exec=/bin/sh /import-creds
C
CREDENTIALS_DIRECTORY=$HOSTCREDS it_run imp$U
check_eq "ImportCredential=db.*: imports db.pass only, with its bytes" "$(tr '\n' ' ' <"$IT_OUT")" "db.pass dbpass-$U"

# --- a symlink source is refused at start ---------------------------------------------------------
ln -s "$SECRETS/token" "$SECRETS/link"
it_container lnk$U <<C
[Container]
Directory=$IT_ROOT
LoadCredential=token:$SECRETS/link
Exec=/bin/cat /run/credentials/@container/token
C
it_run lnk$U
diag "$(cat "$IT_ERR")"
check "a symlinked credential source: the container does not start" \
        bash -c '[ "$1" != 0 ] && ! grep -qF "$2" "$3" && grep -q "symlink" "$4"' _ "$IT_RC" "$SECRET" "$IT_OUT" "$IT_ERR"

# --- bad input ----------------------------------------------------------------------------------
head -c $((1024 * 1024 + 1)) /dev/zero >"$SECRETS/big"
bad() { # NAME LINE... : a config with the given credential lines (line 3 on)
        local n=$1
        shift
        { printf '[Container]\nDirectory=%s\n' "$IT_ROOT"; printf '%s\n' "$@"; } >"$BERTH_CONFIG_PATH/$n.container"
}
verify_err() { # NAME PATTERN DESCRIPTION
        local out
        out=$("$BERTH" verify "$1" 2>&1 >/dev/null)
        diag "$out"
        check "$3" bash -c '! "$1" verify -q "$2" >/dev/null 2>&1 && grep -q "$3" <<<"$4"' _ "$BERTH" "$1" "$2" "$out"
}
bad miss$U "LoadCredential=token:$SECRETS/nonexistent"
verify_err miss$U "miss$U.container:3: .*does not exist" "a missing source file: a file:line error"
it_run miss$U
check "a missing source file: berth run does not start it and names file:line" \
        bash -c '[ "$1" = 125 ] && grep -q "miss$2.container:3: .*does not exist" "$3"' _ "$IT_RC" "$U" "$IT_ERR"
bad slash$U "LoadCredential=a/b:$SECRETS/token"
verify_err slash$U "slash$U.container:3: .*invalid credential ID" "an ID with '/': a file:line error"
bad dot$U "SetCredential=..:$SETVAL"
verify_err dot$U "dot$U.container:3: .*invalid credential ID" "an ID '..': a file:line error"
bad big$U "LoadCredential=big:$SECRETS/big"
verify_err big$U "big$U.container:3: .*1048577 bytes" "a source over 1 MiB: a file:line error"
bad dup$U "LoadCredential=token:$SECRETS/token" "SetCredential=token:$SETVAL"
verify_err dup$U "dup$U.container:4: .*duplicate credential ID \"token\", already given at .*dup$U.container:3" \
        "a duplicate ID: a file:line error naming both lines"
out=$("$BERTH" verify dup$U 2>&1)
check "an error line never shows a SetCredential= value" bash -c '! grep -qF "$1" <<<"$2"' _ "$SETVAL" "$out"
it_run dup$U
check "a config with a credential error does not start" test "$IT_RC" != 0
mkfifo "$SECRETS/fifo"
bad fifo$U "LoadCredential=f:$SECRETS/fifo"
verify_err fifo$U "fifo$U.container:3: .*not a regular file or directory" "a FIFO source: a file:line error"
mkdir -m 0700 "$SECRETS/bigdir"
cp "$SECRETS/big" "$SECRETS/bigdir/huge"
bad bigdir$U "LoadCredential=d:$SECRETS/bigdir" "Exec=/bin/true"
it_run bigdir$U
diag "$(cat "$IT_ERR")"
check "a file over 1 MiB in a LoadCredential= directory: the container does not start, the error says why" \
        bash -c '[ "$1" != 0 ] && grep -q "Failed to load credential d_huge from .*/bigdir/huge (larger than the 1 MiB" "$2"' \
        _ "$IT_RC" "$IT_ERR"
bad warn$U "SetCredential=pw:$SETVAL"
out=$("$BERTH" verify warn$U 2>&1)
rc=$?
diag "$out"
check_eq "SetCredential= alone: verify passes" "$rc" 0
check "SetCredential=: verify warns that it is less safe than a file, at file:line" \
        grep -q "warn$U.container:3: \[Container\] SetCredential=pw:...: warning: .*less safe than a file" <<<"$out"
check "the warning does not show the value" bash -c '! grep -qF "$1" <<<"$2"' _ "$SETVAL" "$out"

tap_done
