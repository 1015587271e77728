#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# What an unregistered run maps (issue 16): berth does not link libsystemd, and a supervisor
# that never talks to systemd (--register=no, no NOTIFY_SOCKET, stdout not the journal) never
# loads it, nor the libgcrypt, liblzma, libzstd, liblz4 and libgpg-error it brings; without it,
# registering fails with a line that says so.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
unset NOTIFY_SOCKET JOURNAL_STREAM
it_setup
IT_ROOT=$IT_WORK/root
it_build_root "$IT_ROOT"

linked=$(ldd "$BERTH")
diag "$linked"
check "berth is linked with libc (ldd works here)" grep -q 'libc\.so' <<<"$linked"
check "berth is not linked with libsystemd" bash -c '! grep -q libsystemd <<<"$1"' - "$linked"

it_container libs <<C
[Container]
Directory=$IT_ROOT
Exec=/probe wait-signal
C
if it_start libs && it_wait_output '^waiting'; then
        supervisor=$(sed -n 's/^SUPERVISOR=//p' "$BERTH_STATE_DIR/libs/state")
        maps=$(cat "/proc/$supervisor/maps" 2>/dev/null)
        check "the supervisor's maps name libc (the check below reads the right process)" \
                grep -q 'libc\.so' <<<"$maps"
        for lib in libsystemd libgcrypt liblzma libzstd liblz4 libgpg-error; do
                check "an unregistered run's supervisor does not map $lib" \
                        bash -c '! grep -q "/$2[.-]" <<<"$1"' - "$maps" "$lib"
        done
        kill -TERM "$IT_BG_PID"
        it_wait
else
        fail "container did not start: $(cat "$IT_ERR")"
fi

# Without a usable libsystemd, registering fails with one line naming the library, as a failed
# registration does (125); an unregistered run does not need it.
mkdir "$IT_WORK/nolib" && : >"$IT_WORK/nolib/libsystemd.so.0"
it_container nolib <<C
[Container]
Directory=$IT_ROOT
Exec=/probe exit 0
C
LD_LIBRARY_PATH=$IT_WORK/nolib timeout 60 "$BERTH" run --register=yes nolib </dev/null >/dev/null 2>"$IT_WORK/nolib.err"
check_eq "registering without libsystemd: exit status 125" "$?" "125"
check "registering without libsystemd: the error names the container, the library and the fix" \
        grep -q '^berth: Registering nolib needs libsystemd.so.0 (install libsystemd0): .*libsystemd.so.0' "$IT_WORK/nolib.err"
diag "$(cat "$IT_WORK/nolib.err")"
LD_LIBRARY_PATH=$IT_WORK/nolib timeout 60 "$BERTH" run --register=no nolib </dev/null >/dev/null 2>&1
check_eq "an unregistered run without libsystemd: exit status 0" "$?" "0"
# The verbs that need it say so the same way (one message, built by sd_lib_load()).
for verb in logs start; do
        LD_LIBRARY_PATH=$IT_WORK/nolib timeout 60 "$BERTH" $verb nolib </dev/null >/dev/null 2>"$IT_WORK/nolib-$verb.err"
        check_eq "berth $verb without libsystemd: exit status 1" "$?" "1"
        check "berth $verb without libsystemd: the error names the verb, the library and the fix" \
                grep -q "^berth: 'berth $verb' needs libsystemd.so.0 (install libsystemd0): .*libsystemd.so.0" \
                "$IT_WORK/nolib-$verb.err"
done

tap_done
