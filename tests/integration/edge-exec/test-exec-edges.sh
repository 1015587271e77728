#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The edges of `berth exec` and of the per-container lock (issue 13 findings 4, 8, 13, 18; issue 15):
#   - exec never hands the container the administrator's terminal: TIOCSTI fails even with
#     Capability=CAP_SYS_ADMIN, and a process left behind holds nothing of that terminal;
#   - exec confines with what was recorded when the payload started, not with a config file found
#     now (from another directory, or edited since);
#   - exec looks the command up in the container's PATH, not the caller's;
#   - exec's command is not put into the container's cgroup by a host-side process;
#   - a pty with the caller's window size, following SIGWINCH; --user, --env;
#   - the lock file is never unlinked: two supervisors never run one name.
. "${IT_LIB:?}"
it_setup
IT_ROOT=$IT_WORK/root
it_build_root "$IT_ROOT"
cp "${ESCAPE_PROBE:?}" "$IT_ROOT/escape-probe"
for a in stty grep tr pwd tty sed cut yes kill; do ln -sf busybox "$IT_ROOT/bin/$a"; done
ADMIN_TTY=${ADMIN_TTY_PY:?}
U=$$

# Background processes of ours beside it_start's: killed by it_cleanup.
bg() {
        "$@" &
        IT_PIDS+=($!)
}
# The host PID of the process whose command line is exactly the given words (waits up to 10 s).
host_pid_of() {
        local i p
        for i in $(seq 100); do
                for p in /proc/[0-9]*; do
                        [ "$( { tr '\0' ' ' <"$p/cmdline"; } 2>/dev/null)" = "$* " ] && { echo "${p#/proc/}"; return 0; }
                done
                sleep 0.1
        done
        return 1
}
export -f host_pid_of
stop_bg() { # ends the background run (its payload waits for a signal as PID 1)
        kill -KILL "$(it_leader "$1")" 2>/dev/null
        it_wait
}

# --- the administrator's terminal ------------------------------------------------------------
it_container tty$U <<C
[Container]
Directory=$IT_ROOT
Exec=/probe wait-signal
[Security]
Capability=CAP_SYS_ADMIN
C
if it_start tty$U; then
        for mode in "" -T; do
                out=$(python3 "$ADMIN_TTY" "$BERTH" exec $mode tty$U -- /escape-probe tiocsti 2>&1)
                diag "exec $mode: $out"
                if [ -z "$mode" ]; then
                        check "exec (pty) with CAP_SYS_ADMIN: TIOCSTI on its terminal is refused (EPERM)" \
                                grep -q "tiocsti fd 0: refused (EPERM)" <<<"$out"
                else
                        check "exec -T: the command holds no terminal" \
                                bash -c '[ "$(grep -c "tiocsti fd [0-2]: no terminal" <<<"$1")" = 3 ]' _ "$out"
                fi
                check_eq "exec ${mode:-(pty)}: nothing was pushed into the administrator's terminal" \
                        "$(sed -n 's/^INPUT-QUEUE: //p' <<<"$out")" "b''"
        done

        # A process the command leaves behind (deaf to the hangup of its terminal), with stdio as
        # the command had it; checked while the administrator's terminal still exists.
        # shellcheck disable=SC2016
        left=$(python3 "$ADMIN_TTY" "$BERTH" exec tty$U -- sh -c "trap '' HUP; exec 3<&0; sleep 7$U <&3 3<&- &" --- \
                bash -c 'p=$(host_pid_of sleep 7'$U') || { echo "left-pid=none"; exit; }
                        echo "left-pid=$p"
                        for fd in 0 1 2; do
                                d=$(stat -L -c %d:%i /proc/$p/fd/$fd 2>/dev/null)
                                [ "$d" = "$ADMIN_TTY" ] && echo "fd$fd=admin" || echo "fd$fd=other($d)"
                        done
                        sid=$(sed "s/.*) //" /proc/$p/stat | cut -d" " -f4)
                        [ "$sid" = "$ADMIN_SID" ] && echo "session=admin" || echo "session=other($sid)"
                        kill -KILL $p' 2>&1)
        diag "$left"
        check "a process left behind by exec is found" grep -q "^left-pid=[0-9]" <<<"$left"
        for fd in 0 1 2; do
                check "exec's left-behind process does not hold the administrator's terminal on fd $fd" \
                        grep -q "^fd$fd=other" <<<"$left"
        done
        check "exec's left-behind process is not in the administrator's terminal session" \
                grep -q "^session=other" <<<"$left"
        stop_bg tty$U
else
        fail "container tty$U starts"; diag "$(cat "$IT_ERR")"
fi

# --- the recorded confinement, not a config found now -----------------------------------------
# Started with --file from directory A; exec'd from directory B, which holds another x.container
# that keeps every capability without no_new_privs.
mkdir -p "$IT_WORK/a" "$IT_WORK/b"
cat >"$IT_WORK/a/cf$U.container" <<C
[Container]
Directory=$IT_ROOT
Exec=/probe wait-signal
C
cat >"$IT_WORK/b/cf$U.container" <<C
[Container]
Directory=$IT_ROOT
Exec=/probe wait-signal
[Security]
Capability=CAP_SYS_ADMIN CAP_SYS_PTRACE CAP_SYS_MODULE CAP_NET_ADMIN
NoNewPrivileges=no
SystemCallFilter=@mount
C
IT_OUT=$IT_WORK/cf.out IT_ERR=$IT_WORK/cf.err IT_BG_NAME=cf$U
(cd "$IT_WORK/a" && exec timeout 120 "$BERTH" run --register=no --file "cf$U.container" </dev/null >"$IT_OUT" 2>"$IT_ERR") &
IT_BG_PID=$!
IT_PIDS+=("$IT_BG_PID")
for _ in $(seq 100); do [ -s "$BERTH_STATE_DIR/cf$U/state" ] && break; sleep 0.1; done
if L=$(it_leader cf$U) && [ -n "$L" ]; then
        for key in CapBnd CapEff CapPrm NoNewPrivs Seccomp Seccomp_filters; do
                check_eq "exec from another directory: $key is the payload's" \
                        "$(cd "$IT_WORK/b" && "$BERTH" exec cf$U -- grep "^$key:" /proc/self/status 2>&1)" \
                        "$(grep "^$key:" /proc/$L/status)"
        done
        check_eq "exec: no_new_privs is set" "$(cd "$IT_WORK/b" && "$BERTH" exec cf$U -- grep ^NoNewPrivs: /proc/self/status | tr -d ' \t')" \
                "NoNewPrivs:1"
        check_eq "exec: the seccomp filter is on" "$(cd "$IT_WORK/b" && "$BERTH" exec cf$U -- grep ^Seccomp: /proc/self/status | tr -d ' \t')" \
                "Seccomp:2"
        stop_bg cf$U
else
        fail "container cf$U starts"; diag "$(cat "$IT_ERR")"
fi

# Started by name from the search path; the file is edited while it runs.
it_container ed$U <<C
[Container]
Directory=$IT_ROOT
Exec=/probe wait-signal
C
if it_start ed$U; then
        L=$(it_leader ed$U)
        it_container ed$U <<C
[Container]
Directory=$IT_ROOT
Exec=/probe wait-signal
Environment=EDITED=yes
[Security]
Capability=CAP_SYS_ADMIN
NoNewPrivileges=no
C
        check_eq "exec after the config was edited: CapBnd is the payload's" \
                "$("$BERTH" exec ed$U -- grep ^CapBnd: /proc/self/status 2>&1)" "$(grep ^CapBnd: /proc/$L/status)"
        check_eq "exec after the config was edited: the recorded environment" \
                "$("$BERTH" exec ed$U -- sh -c 'echo "${EDITED:-unset}"' 2>&1)" "unset"
        stop_bg ed$U
else
        fail "container ed$U starts"; diag "$(cat "$IT_ERR")"
fi

# --- PATH: the container's, not the caller's ----------------------------------------------------
mkdir -p "$IT_ROOT/hostbin" "$IT_ROOT/usr/bin"
printf '#!/bin/sh\necho host-path\n' >"$IT_ROOT/hostbin/hello$U"
printf '#!/bin/sh\necho container-path\n' >"$IT_ROOT/usr/bin/hello$U"
chmod 755 "$IT_ROOT/hostbin/hello$U" "$IT_ROOT/usr/bin/hello$U"
it_container pa$U <<C
[Container]
Directory=$IT_ROOT
Exec=/probe wait-signal
C
if it_start pa$U; then
        check_eq "exec looks CMD up in the container's PATH, not the caller's" \
                "$(PATH=/hostbin:$PATH "$BERTH" exec pa$U -- hello$U 2>&1)" "container-path"
        check_eq "exec --env sets a variable" "$("$BERTH" exec --env K$U=v1 -E J=v2 pa$U -- sh -c "echo \$K$U \$J" 2>&1)" "v1 v2"
        check_eq "exec --user resolves the user in the container's /etc/passwd" \
                "$("$BERTH" exec -u tester pa$U -- id 2>&1)" "uid=1000(tester) gid=1000(tester) groups=29(audio)"
        check_eq "exec --user runs in the user's home" "$("$BERTH" exec --user=tester pa$U -- pwd 2>&1)" "/home/tester"
        "$BERTH" exec -u nosuchuser pa$U -- true 2>"$IT_WORK/u.err"
        check_eq "exec --user of an unknown user exits 125" "$?" 125
        diag "$(cat "$IT_WORK/u.err")"
        # A FIFO as the container's /etc/group would hang a reader that opens it blocking.
        mv "$IT_ROOT/etc/group" "$IT_ROOT/etc/group.real"
        mkfifo "$IT_ROOT/etc/group"
        timeout 20 "$BERTH" exec -u tester pa$U -- true 2>"$IT_WORK/fifo.err"
        rc=$?
        diag "$(cat "$IT_WORK/fifo.err")"
        check "exec --user refuses a FIFO as /etc/group instead of hanging (exit $rc)" [ "$rc" = 125 ]
        check "exec --user: the error names the file and why" grep -q "container's /etc/group: not a regular file" "$IT_WORK/fifo.err"
        rm -f "$IT_ROOT/etc/group"
        mv "$IT_ROOT/etc/group.real" "$IT_ROOT/etc/group"

        # A pty of the container's own, the caller's window size, SIGWINCH followed.
        out=$(python3 "$ADMIN_TTY" --size 33 77 --resize 40 100 "$BERTH" exec pa$U -- \
                sh -c 'stty size; tty; echo RESIZE-NOW; read x; stty size' 2>&1)
        diag "$out"
        check "exec on a terminal: the command's terminal has the caller's size" grep -q "^33 77" <<<"$out"
        check "exec on a terminal: a pty of the container's devpts" grep -q "^/dev/pts/[0-9]" <<<"$out"
        check "exec on a terminal: the size follows the caller's (SIGWINCH)" grep -q "^40 100" <<<"$out"
        # The size is on the pty before the command runs, not copied after it started: stty as
        # the command itself (no shell before it) asks at once, ten times over. With the copy
        # made after the exec (the old order) some of these read 0 0.
        sizes=""
        for i in 1 2 3 4 5 6 7 8 9 10; do
                sizes+="$(python3 "$ADMIN_TTY" --size 33 77 "$BERTH" exec pa$U -- stty size 2>&1 | tr -d '\r' | grep -x '[0-9]* [0-9]*')|"
        done
        diag "sizes: $sizes"
        check_eq "exec on a terminal: the size is set before the command runs (10 of 10)" "$sizes" \
                "$(printf '33 77|%.0s' 1 2 3 4 5 6 7 8 9 10)"
        check_eq "exec -t without a terminal: still a pty" "$("$BERTH" exec -t pa$U -- tty </dev/null 2>&1 | tr -d '\r')" "/dev/pts/0"
        check_eq "exec -T: no terminal" "$("$BERTH" exec -T pa$U -- sh -c 'tty || true' </dev/null 2>&1)" "not a tty"
        # shellcheck disable=SC2016
        check_eq "exec -t: the command is the foreground job of its terminal (job control)" \
                "$("$BERTH" exec -t pa$U -- sh -c 'set -- $(sed "s/.*) //" /proc/$$/stat); [ "$3" = "$6" ] && [ "$3" = $$ ] && echo foreground' </dev/null 2>&1 | tr -d '\r')" \
                foreground
        # shellcheck disable=SC2016
        check_eq "exec runs the command in a session of its own" \
                "$("$BERTH" exec -T pa$U -- sh -c '[ "$(sed "s/.*) //" /proc/$$/stat | cut -d" " -f4)" = $$ ] && echo leader' </dev/null 2>&1)" \
                leader
        # `berth exec NAME yes | head` from the administrator's shell: a pty (stdin is the
        # terminal), its output relayed into a pipe whose reader goes away. The command gets the
        # SIGPIPE, as it would have written into the pipe itself; berth restores the terminal it
        # made raw and exits as the command did. (berth died of the SIGPIPE, the terminal left raw.)
        out=$(python3 "$ADMIN_TTY" --stdout-pipe 4096 "$BERTH" exec pa$U -- yes 2>&1; echo "exit=$?")
        diag "$(grep -v '^y' <<<"$out")"
        check_eq "exec on a terminal, output into a pipe read 4096 bytes: the pipe got them" \
                "$(sed -n 's/^STDOUT-PIPE: //p' <<<"$out")" 4096
        check "exec on a terminal, the pipe's reader gone: berth returns" bash -c '! grep -q "^TIMEOUT" <<<"$1"' _ "$out"
        check_eq "exec on a terminal, the pipe's reader gone: the terminal's modes are restored" \
                "$(sed -n 's/^TERMIOS: //p' <<<"$out")" kept
        check_eq "exec on a terminal, the pipe's reader gone: the command died of SIGPIPE (exit 141)" \
                "$(sed -n 's/^exit=//p' <<<"$out")" 141
        # The other way: input typed for a command that closed its stdin. berth's write into that
        # pipe raises SIGPIPE too, which is not the command's: it goes on. (Forwarded like the one
        # of a broken output, it killed the command.)
        out=$(python3 "$ADMIN_TTY" --type-at STDIN-CLOSED $'typed\n' "$BERTH" exec -T pa$U -- \
                sh -c 'exec 0<&-; echo STDIN-CLOSED; sleep 1; echo still-running' 2>&1; echo "exit=$?")
        diag "$out"
        check "exec -T, input typed after the command closed its stdin: the command goes on" \
                grep -q "^still-running" <<<"$out"
        check_eq "exec -T, input typed after the command closed its stdin: exit 0" "$(sed -n 's/^exit=//p' <<<"$out")" 0
        # What the command leaves behind writes on, faster than the administrator's terminal
        # reads: berth still returns once the command is gone. (Its drain of the output went on
        # for as long as they wrote, with SIGTERM and ^C blocked: killed only by SIGKILL.)
        out=$(python3 -c '
import os, pty, select, subprocess, sys, time
master, slave = pty.openpty()
p = subprocess.Popen(sys.argv[1:], stdin=subprocess.DEVNULL, stdout=slave, stderr=slave,
                     start_new_session=True)
os.close(slave)
end = time.monotonic() + 30
while p.poll() is None and time.monotonic() < end:
    if select.select([master], [], [], 0.2)[0]:
        try:
            os.read(master, 4096)
        except OSError:
            pass
    time.sleep(0.002)  # a terminal slower than the writers: the pipe stays full
if p.poll() is None:
    print("still running 30 s later")
    p.kill()
    p.wait()
else:
    print("exited %d" % p.returncode)
' "$BERTH" exec -T pa$U -- sh -c "trap '' HUP; yes & yes & sleep 1; exit 0" 2>&1)
        check_eq "exec -T: berth returns while what the command left behind floods its output" "$out" "exited 0"
        # Input the command never reads, while what it left behind holds its terminal: berth returns
        # once the command is gone. (It sat in a write to the full pty for ever, SIGTERM blocked.)
        head -c 2000000 /dev/zero | tr '\0' a | fold -w 100 >"$IT_WORK/big-input"
        timeout -s KILL 30 "$BERTH" exec -t pa$U -- sh -c "trap '' HUP; sleep 9$U & sleep 2; exit 0" \
                <"$IT_WORK/big-input" >/dev/null 2>&1
        check_eq "exec -t with input the command never reads: berth returns when it exits (137: killed)" "$?" 0
        stop_bg pa$U
else
        fail "container pa$U starts"; diag "$(cat "$IT_ERR")"
fi

# --- the container's root stops exec's process before its exec ------------------------------
# The process is in the container's PID namespace before it runs the command (still berth's own
# binary there, non-dumpable): the container's root can SIGSTOP it. berth must still end on
# SIGTERM (it waited on it for ever, the signal blocked: only SIGKILL ended it).
it_container sp$U <<C
[Container]
Directory=$IT_ROOT
Exec=/bin/sh -c 'while [ ! -e /go ]; do kill -STOP -1 2>/dev/null; done; exec /probe wait-signal'
C
rm -f "$IT_ROOT/go"
if it_start sp$U; then
        berth_real=$(readlink -f "$BERTH")
        caught=no rc=
        for try in 1 2 3 4 5 6 7 8 9 10; do
                timeout -s KILL 20 "$BERTH" exec -T sp$U -- /probe wait-signal </dev/null >/dev/null 2>"$IT_WORK/sp.err" &
                t=$!
                IT_PIDS+=("$t")
                b= c=
                for _ in $(seq 50); do
                        b=$(pgrep -P "$t" | head -1) && c=$(pgrep -P "$b" | head -1) &&
                                [ "$(awk '{ print $3 }' "/proc/$c/stat" 2>/dev/null)" = T ] && break
                        c=
                        sleep 0.1
                done
                if [ -n "$c" ] && [ "$(readlink "/proc/$c/exe")" = "$berth_real" ]; then
                        caught=yes
                        kill -TERM "$b"
                        wait "$t"
                        rc=$?
                        break
                fi
                # Stopped after its exec (the command's, not berth's), or not at all: again.
                kill -KILL "$t" $b 2>/dev/null
                wait "$t" 2>/dev/null
        done
        diag "exec's process stopped before its exec: $caught (try $try), berth's exit status $rc: $(head -c 300 "$IT_WORK/sp.err")"
        check_eq "the container's root stopped exec's process before its exec" "$caught" yes
        check_eq "... and berth exec still ends on SIGTERM (143; 137: killed by timeout)" "$rc" 143
        check "... saying so" grep -q "Interrupted by SIGTERM before the command started" "$IT_WORK/sp.err"
        touch "$IT_ROOT/go"
        stop_bg sp$U
else
        fail "container sp$U starts"; diag "$(cat "$IT_ERR")"
fi

# --- the cgroup exec's command lands in -------------------------------------------------------
# The container runs in a cgroup of its own (CG); exec is called from ours. Without a scope there
# is no container cgroup berth could count the command in, and no host-side process may join the
# container's: the command stays in the caller's cgroup (under systemd: tests/system/suite.sh).
cgmnt=
for m in /sys/fs/cgroup /sys/fs/cgroup/unified; do
        [ "$(stat -f -c %T "$m" 2>/dev/null)" = cgroup2fs ] && { cgmnt=$m; break; }
done
own=$(sed -n 's/^0:://p' /proc/self/cgroup)
CG=${own%/}/berth-edge-exec-$U
if [ -n "$cgmnt" ] && mkdir "$cgmnt$CG"; then
        it_container cg$U <<C
[Container]
Directory=$IT_ROOT
Exec=/probe wait-signal
C
        IT_OUT=$IT_WORK/cg.out IT_ERR=$IT_WORK/cg.err IT_BG_NAME=cg$U
        sh -c 'echo $$ >"$1/cgroup.procs" && exec timeout 120 "$2" run --register=no "$3" </dev/null >"$4" 2>"$5"' \
                _ "$cgmnt$CG" "$BERTH" cg$U "$IT_OUT" "$IT_ERR" &
        IT_BG_PID=$!
        IT_PIDS+=("$IT_BG_PID")
        for _ in $(seq 100); do [ -s "$BERTH_STATE_DIR/cg$U/state" ] && break; sleep 0.1; done
        if L=$(it_leader cg$U) && [ -n "$L" ]; then
                check_eq "the container runs in its cgroup" "$(sed -n 's/^0:://p' /proc/$L/cgroup)" "$CG"
                bg "$BERTH" exec cg$U -- sleep 8$U </dev/null
                if p=$(host_pid_of sleep 8$U); then
                        cg=$(sed -n 's/^0:://p' /proc/$p/cgroup)
                        diag "exec'd command: PID $p in cgroup $cg"
                        check "exec's command is not moved into the container's cgroup by the host side" \
                                [ "$cg" != "$CG" ]
                        check_eq "exec's command stays in the caller's cgroup (no scope)" "$cg" "$own"
                        kill -KILL "$p"
                else
                        fail "exec's command is found on the host"
                fi
                stop_bg cg$U
        else
                fail "container cg$U starts"; diag "$(cat "$IT_ERR")"
        fi
        for _ in $(seq 50); do rmdir "$cgmnt$CG" 2>/dev/null && break; sleep 0.1; done
else
        fail "a cgroup2 hierarchy to run the container in (tried /sys/fs/cgroup, /sys/fs/cgroup/unified)"
fi

# --- the lock: two supervisors never run one name ---------------------------------------------
it_container lk$U <<C
[Container]
Directory=$IT_ROOT
Exec=/probe wait-signal
C
lock=$BERTH_STATE_DIR/lk$U/lock
if it_start lk$U; then
        # A second start that opened the lock file while the first ran (before its flock), as any
        # concurrent start does: played here by this shell holding the file open on fd 9.
        exec 9<"$lock"
        stop_bg lk$U
        check "the lock file is kept after the container stopped" test -e "$lock"
        # flock(1) on an fd: the lock stays with the open file, held from here on.
        check "the second start takes the lock once the first let go" flock -n -x 9
        # A third start now must find the name taken, not a fresh lock file.
        it_container lk$U <<C
[Container]
Directory=$IT_ROOT
Exec=/bin/true
C
        it_run lk$U
        diag "third start: rc $IT_RC: $(cat "$IT_ERR")"
        check_eq "a third start while the second holds the lock fails" "$IT_RC" 125
        check "and says it is already running" grep -q "already running" "$IT_ERR"
        exec 9<&-
else
        fail "container lk$U starts"; diag "$(cat "$IT_ERR")"
fi

# run on a terminal: the console has the caller's size before the payload runs (stty as the
# payload itself asks at once; with the size copied after the start some of these read nothing).
it_container rs$U <<C
[Container]
Directory=$IT_ROOT
Exec=/bin/stty size
C
sizes=""
for i in 1 2 3 4 5; do
        sizes+="$(timeout 60 python3 "$ADMIN_TTY" --size 33 77 "$BERTH" run --register=no rs$U 2>&1 | tr -d '\r' | grep -x '[0-9]* [0-9]*')|"
done
diag "run sizes: $sizes"
check_eq "run on a terminal: the size is set before the payload runs (5 of 5)" "$sizes" \
        "$(printf '33 77|%.0s' 1 2 3 4 5)"

# Two starts at once, again and again (each round after the last one stopped): exactly one runs.
it_container lk$U <<C
[Container]
Directory=$IT_ROOT
Exec=/probe wait-signal
C
rounds_ok=0
for round in 1 2 3 4 5 6 7 8; do
        timeout 60 "$BERTH" run --register=no lk$U </dev/null >/dev/null 2>"$IT_WORK/r1.err" &
        p1=$!
        timeout 60 "$BERTH" run --register=no lk$U </dev/null >/dev/null 2>"$IT_WORK/r2.err" &
        p2=$!
        IT_PIDS+=("$p1" "$p2")
        # The loser exits by itself (125, already running); the winner runs until killed.
        for _ in $(seq 100); do
                kill -0 "$p1" 2>/dev/null && kill -0 "$p2" 2>/dev/null || break
                sleep 0.1
        done
        for _ in $(seq 100); do [ -s "$BERTH_STATE_DIR/lk$U/state" ] && break; sleep 0.1; done
        running=0
        kill -0 "$p1" 2>/dev/null && running=$((running + 1))
        kill -0 "$p2" 2>/dev/null && running=$((running + 1))
        losers=$(cat "$IT_WORK/r1.err" "$IT_WORK/r2.err" | grep -c "already running")
        [ "$running" = 1 ] && [ "$losers" = 1 ] && rounds_ok=$((rounds_ok + 1)) ||
                diag "round $round: $running running, $losers refused"
        L=$(it_leader lk$U)
        [ -n "$L" ] && kill -KILL "$L"
        wait "$p1" "$p2" 2>/dev/null
done
check_eq "two concurrent starts of one name: exactly one runs, in every round" "$rounds_ok" 8

# --- the caller's standard streams: never a handle on the host's file tree ---------------------
# A directory as stdin (`< /`), or an O_PATH descriptor as stdout, handed to the command as it is
# would let it read (and, in world-writable directories, create) host files past its root through
# openat() or /proc/self/fd/N. Refused before anything is made; a plain file still works.
it_container fd$U <<C
[Container]
Directory=$IT_ROOT
Exec=/probe wait-signal
C
if it_start fd$U; then
        H=$IT_WORK/hostdir # a directory of the host any user may search, with a readable file
        mkdir -p "$H" && chmod 755 "$H"
        echo "host file $U" >"$H/host-marker"
        chmod 644 "$H/host-marker"
        out=$("$BERTH" exec -T fd$U -- /bin/sh -c 'cat /proc/self/fd/0/host-marker' <"$H" 2>&1)
        rc=$?
        check_eq "exec -T with a directory as stdin: refused (125)" "$rc" 125
        check "the error names standard input and the directory" \
                grep -q "standard input: a directory" <<<"$out"
        check "the command never ran (the host file was not read through it)" \
                bash -c '! grep -q "host file" <<<"$1"' _ "$out"
        out=$(python3 -c '
import os, subprocess, sys
fd = os.open(sys.argv[1], os.O_PATH)
r = subprocess.run([sys.argv[2], "exec", "-T", sys.argv[3], "--", "/bin/sh", "-c",
                    "cat /proc/self/fd/1/host-marker >&2"],
                   stdin=subprocess.DEVNULL, stdout=fd, stderr=subprocess.PIPE)
sys.stdout.write("%d %s" % (r.returncode, r.stderr.decode(errors="replace")))
' "$H" "$BERTH" fd$U 2>&1)
        check_eq "exec -T with an O_PATH descriptor as stdout: refused (125)" "${out%% *}" 125
        check "the error names standard output and the O_PATH descriptor" \
                grep -q "standard output: an O_PATH descriptor" <<<"$out"
        check "no host file read through it" bash -c '! grep -q "host file" <<<"$1"' _ "$out"
        check_eq "a plain file as stdin still reaches the command" \
                "$("$BERTH" exec -T fd$U -- /bin/cat <"$H/host-marker" 2>&1)" "host file $U"

        # -n (as ssh -n): the command reads /dev/null and berth never reads its own stdin, so a
        # `while read` loop around exec keeps every line (under SELinux the relay read ahead).
        check_eq "exec -n: the command reads nothing, the caller's next read gets the first line" \
                "$(printf 'a\nb\n' | { "$BERTH" exec -n fd$U -- /bin/cat; read -r x; echo "$x"; } 2>&1)" "a"
        n=0
        while read -r line; do
                "$BERTH" exec -n fd$U -- /bin/cat && n=$((n + 1))
        done < <(printf '1\n2\n3\n')
        check_eq "exec -n in a while-read loop: one exec per line" "$n" 3
        "$BERTH" exec -n fd$U -- /bin/sh -c : <"$H"
        check_eq "exec -n: stdin is never looked at (a directory there is not refused)" "$?" 0
        out=$("$BERTH" exec -n -t fd$U -- /bin/sh -c : 2>&1)
        rc=$?
        check_eq "exec -n -t: a usage error (2)" "$rc" 2
        check "the error names -n and -t" bash -c 'grep -q -- "-n/--no-stdin" <<<"$1" && grep -q -- "-t/--tty" <<<"$1"' _ "$out"
        stop_bg fd$U
else
        fail "container fd$U starts: $(head -c 300 "$IT_ERR")"
fi

tap_done
