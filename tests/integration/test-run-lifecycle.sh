#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# berth run: exit status and signals round-trip, failing starts (one line, 125/126/127, nothing
# left mounted), a second start of the same name refused, non-root refused, state and cleanup.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
it_setup
IT_ROOT=$IT_WORK/root
it_build_root "$IT_ROOT"
mounts_before=$(it_mountinfo)

# Exit status passes through.
it_probe exit 42 >/dev/null
check_eq "payload exit status 42 passes through" "$IT_RC" "42"
it_probe exit 0 >/dev/null
check_eq "payload exit status 0 passes through" "$IT_RC" "0"
it_probe segv >/dev/null
check_eq "payload killed by SIGSEGV: 128+11" "$IT_RC" "139"

# SIGTERM, SIGINT and SIGHUP to berth reach the payload.
for sig in TERM INT HUP; do
        it_container sig <<C
[Container]
Directory=$IT_ROOT
Exec=/probe wait-signal
C
        if it_start sig && it_wait_output '^waiting'; then
                kill -"$sig" "$IT_BG_PID"
                it_wait
                check_eq "SIG$sig forwarded to the payload" "$(sed -n 2p "$IT_OUT")" "signal $(kill -l "$sig")"
                check_eq "SIG$sig: handled, exit status 0" "$IT_RC" "0"
        else
                fail "SIG$sig: container did not start: $(cat "$IT_ERR")"
        fi
done

# A payload killed by a signal: 128+N.
it_container long <<C
[Container]
Directory=$IT_ROOT
Exec=/probe sleep 60
C
if it_start long; then
        leader=$(it_leader long)
        check "state file names the payload's host PID" test -n "$leader"
        check_eq "state file: leader runs the payload" "$(tr '\0' ' ' </proc/"$leader"/cmdline)" "/probe sleep 60 "

        # A second start of the same name is refused cleanly while the first runs.
        it_run long
        check_eq "second start of the same name: exit status 125" "$IT_RC" "125"
        check "second start: says it is already running" grep -q "already running" "$IT_ERR"
        check_eq "second start: one line on stderr" "$(wc -l <"$IT_ERR")" "1"
        check "first instance still running" kill -0 "$leader"

        it_start_pid=$IT_BG_PID
        IT_BG_PID=$it_start_pid
        kill -KILL "$leader"
        it_wait
        check_eq "payload killed by SIGKILL: 128+9" "$IT_RC" "137"
else
        fail "long-running container did not start: $(cat "$IT_ERR")"
fi
# What stays is the lock file (never unlinked: issue 13 finding 13), unheld, and the seccomp program.
no_state_left() {
        local d=$BERTH_STATE_DIR/$1
        [ ! -e "$d/state" ] && [ ! -e "$d/confinement" ] && { [ ! -e "$d/lock" ] || flock -n "$d/lock" true; }
}
check "state removed at exit, its lock not held" no_state_left long
check_eq "the name can be started again after exit" "$(it_probe pid)" "1"

# Failing starts: one line naming the container and the cause, a distinct exit status, and the
# host's mount table unchanged.
fail_case() { # DESCRIPTION EXPECTED-STATUS PATTERN, config on stdin
        it_container bad
        it_run bad
        check_eq "$1: exit status $2" "$IT_RC" "$2"
        check_eq "$1: exactly one error line" "$(wc -l <"$IT_ERR")" "1"
        check "$1: the line names the container" grep -q "container bad" "$IT_ERR"
        check "$1: the line names the cause" grep -qF "$3" "$IT_ERR"
        check_eq "$1: host mount table unchanged" "$(it_mountinfo)" "$mounts_before"
        check "$1: no state left" no_state_left bad
}
fail_case "missing root" 125 "No such file" <<C
[Container]
Directory=$IT_WORK/does-not-exist
Exec=/probe pid
C
fail_case "missing Exec= binary" 127 "No such file" <<C
[Container]
Directory=$IT_ROOT
Exec=/no/such/binary
C
fail_case "Exec= not executable" 126 "Permission denied" <<C
[Container]
Directory=$IT_ROOT
Exec=/etc/passwd
C
fail_case "missing bind source" 125 "$IT_WORK/no-such-source" <<C
[Container]
Directory=$IT_ROOT
Exec=/probe pid
[Files]
Bind=$IT_WORK/no-such-source:/mnt
C
fail_case "unknown user" 125 "User=nosuchuser" <<C
[Container]
Directory=$IT_ROOT
User=nosuchuser
Exec=/probe pid
C
fail_case "missing WorkingDirectory=" 125 "/no/such/dir" <<C
[Container]
Directory=$IT_ROOT
WorkingDirectory=/no/such/dir
Exec=/probe pid
C

# sd_notify: berth (berth@.service is Type=notify) says READY=1 once the payload runs; with
# Notify=yes the payload's own READY=1 is relayed from its notify socket (/run/host/notify).
notify_listen() { # records every datagram sent to $IT_WORK/manager.sock until berth exits
        rm -f "$IT_WORK/manager.sock" "$IT_WORK/manager.log"
        python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1]); s.settimeout(30)
print("listening", flush=True)
with open(sys.argv[2], "w") as log:
    while True:
        try: m = s.recv(4096).decode()
        except socket.timeout: break
        log.write(m.replace("\n", " ") + "\n"); log.flush()
        if "STOPPING=1" in m: break
' "$IT_WORK/manager.sock" "$IT_WORK/manager.log" >"$IT_WORK/listener.out" &
        NOTIFY_LISTENER=$!
        IT_PIDS+=("$NOTIFY_LISTENER")
        for _ in $(seq 300); do grep -q listening "$IT_WORK/listener.out" && break; sleep 0.1; done
}
it_container notready <<C
[Container]
Directory=$IT_ROOT
Exec=/bin/sh -c 'echo \$NOTIFY_SOCKET; /probe stat /run/host/container-manager'
C
notify_listen
NOTIFY_SOCKET=$IT_WORK/manager.sock it_run notready
wait "$NOTIFY_LISTENER"
check_eq "Notify=no: berth sends READY=1 then STOPPING=1" "$(tr '\n' ' ' <"$IT_WORK/manager.log")" "READY=1 STOPPING=1 "
check_eq "Notify=no: no notify socket inside" "$(cat "$IT_OUT" | tr '\n' ' ')" " ENOENT "
it_container notify <<C
[Container]
Directory=$IT_ROOT
Notify=yes
Exec=/bin/sh -c 'echo \$NOTIFY_SOCKET; /probe stat /run/host/container-manager; /probe sleep 1; /probe notify READY=1'
C
notify_listen
NOTIFY_SOCKET=$IT_WORK/manager.sock it_run notify
wait "$NOTIFY_LISTENER"
check_eq "Notify=yes: NOTIFY_SOCKET inside" "$(sed -n 1p "$IT_OUT")" "/run/host/notify/notify"
check_eq "Notify=yes: /run/host/container-manager exists" "$(sed -n 2p "$IT_OUT")" "file"
check_eq "Notify=yes: the payload's READY=1 relayed, then STOPPING=1" "$(tr '\n' ' ' <"$IT_WORK/manager.log")" \
        "READY=1 STOPPING=1 "
check_eq "Notify=yes: payload sent it" "$(sed -n 3p "$IT_OUT")" "sent"
check "Notify=yes: notify socket directory removed at exit" test ! -e "$BERTH_STATE_DIR/notify/notify"

# stdin a terminal: the payload gets a pty of its own devpts as its controlling terminal and
# /dev/console; input and output pass through it, the exit status too.
it_container tty <<C
[Container]
Directory=$IT_ROOT
Exec=/bin/sh -c '/probe tty; /probe stat /dev/console; read x; echo "got \$x"; exit 5'
C
echo hello | script -qec "'$BERTH' run --register=no tty; echo rc=\$?" /dev/null | tr -d '\r' >"$IT_WORK/tty.out"
check_eq "interactive: stdin is the container's own pty, in the foreground" \
        "$(grep -m1 '^/dev/' "$IT_WORK/tty.out")" "/dev/pts/0 foreground"
check "interactive: /dev/console is a character device (the pty)" grep -qx chr "$IT_WORK/tty.out"
check "interactive: input reaches the payload" grep -qx "got hello" "$IT_WORK/tty.out"
check "interactive: exit status passes through" grep -qx "rc=5" "$IT_WORK/tty.out"
check_eq "not interactive: no tty" "$(it_probe tty)" "notty -"

# Boot=yes (with a stand-in init): what a booting systemd expects of its container manager, and
# SIGTERM delivered as SIGRTMIN+3 (halt).
it_container boot <<C
[Container]
Directory=$IT_ROOT
Boot=yes
Exec=/bin/sh -c 'echo "\$container \$NOTIFY_SOCKET"; /probe stat /run/host/container-manager; /probe write /run/lock/x; exec /probe wait-signal'
C
if it_start boot && it_wait_output '^waiting'; then
        kill -TERM "$IT_BG_PID"
        it_wait
        check_eq "Boot=yes: \$container and \$NOTIFY_SOCKET" "$(sed -n 1p "$IT_OUT")" "berth /run/host/notify/notify"
        check_eq "Boot=yes: /run/host/container-manager" "$(sed -n 2p "$IT_OUT")" "file"
        check_eq "Boot=yes: /run/lock is writable (pre-mounted for the init)" "$(sed -n 3p "$IT_OUT")" "ok"
        check_eq "Boot=yes: SIGTERM reaches the init as SIGRTMIN+3" "$(sed -n 5p "$IT_OUT")" "signal $(kill -l RTMIN+3)"
        check_eq "Boot=yes: exit status 0" "$IT_RC" "0"
else
        fail "Boot=yes container did not start: $(cat "$IT_ERR")"
fi

# Not root: a clear message, not EPERM from deep inside.
it_container plain <<C
[Container]
Directory=$IT_ROOT
Exec=/probe pid
C
chmod 0755 "$IT_WORK" # for it_as_nobody; roots below it need it 0700 again (berth.container(5))
it_as_nobody run --register=no plain >"$IT_WORK/nonroot.out" 2>&1
rc=$?
chmod 0700 "$IT_WORK"
check_eq "non-root: exit status 125" "$rc" "125"
check "non-root: says root is needed" grep -q "must be run as root" "$IT_WORK/nonroot.out"

# --file with a bare file name: a file in the current directory, not a container name.
printf '[Container]\nDirectory=%s\nExec=/probe pid\n' "$IT_ROOT" >"$IT_WORK/bare.container"
out=$(cd "$IT_WORK" && timeout 60 "$BERTH" run --register=no --file bare.container </dev/null 2>&1)
check_eq "--file bare.container: runs ./bare.container (payload is PID 1)" "$out" "1"

check_eq "host mount table unchanged after everything" "$(it_mountinfo)" "$mounts_before"
# (uid/ and mcs/ hold the allocation locks and seccomp/ the compiled filters, which are never
# removed; of a container's directory only its lock, unheld, its seccomp/ program and the
# result of its last run, for list --all and status, stay)
check_eq "no running state left" "$(ls "$BERTH_STATE_DIR" | grep -vx -e uid -e mcs -e seccomp |
        while read -r n; do no_state_left "$n" && [ -z "$(ls "$BERTH_STATE_DIR/$n" | grep -vx -e lock -e seccomp -e result)" ] || echo "$n"; done)" ""
tap_done
