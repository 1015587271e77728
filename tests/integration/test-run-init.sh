#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Init=yes (issue 15): a reaper as the container's PID 1 that forwards signals to the payload and
# reaps orphans. A payload without a SIGTERM handler (busybox sleep) ignores the stop as PID 1;
# behind the reaper it ends with 143. An orphan stays a zombie under a PID 1 that never waits;
# the reaper reaps it. Ctrl-C in an interactive foreground run ends such a payload. Init=yes
# and Boot=yes exclude each other.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
it_setup
IT_ROOT=$IT_WORK/root
it_build_root "$IT_ROOT"
mkdir -p "$IT_WORK/shared" && chmod 777 "$IT_WORK/shared"

# Waits up to 10 s for the background run to end: true when it did (IT_RC is then its status).
ended() {
        local i
        for i in $(seq 100); do
                if ! kill -0 "$IT_BG_PID" 2>/dev/null; then
                        it_wait
                        return 0
                fi
                sleep 0.1
        done
        return 1
}
still_running() { ! ended; }
# The processes of the container (the leader and its descendants, host PIDs), one "PID STATE" a line.
tree() {
        local pids=$1 p c
        for p in $pids; do
                echo "$p $(awk '{print $3}' "/proc/$p/stat" 2>/dev/null)"
                for c in $(cat /proc/"$p"/task/*/children 2>/dev/null); do tree "$c"; done
        done
}
zombies() { tree "$(it_leader "$1")" | awk '$2 == "Z"' | wc -l; }
wait_zombies() { # NAME N: up to 10 s until the container has N zombies
        local i
        for i in $(seq 100); do
                [ "$(zombies "$1")" = "$2" ] && return 0
                sleep 0.1
        done
        return 1
}

wait_processes() { # NAME N: up to 10 s until the container has N processes
        local i
        for i in $(seq 100); do
                [ "$(tree "$(it_leader "$1")" | wc -l)" = "$2" ] && return 0
                sleep 0.1
        done
        return 1
}

# --- a payload that ignores SIGTERM as PID 1 ----------------------------------------------------
it_container noinit <<C
[Container]
Directory=$IT_ROOT
Exec=/bin/sleep 1000
C
if it_start noinit; then
        kill -TERM "$IT_BG_PID"
        check "without Init=, busybox sleep as PID 1 ignores the stop (SIGTERM)" still_running
        kill -KILL "$(it_leader noinit)" 2>/dev/null
        it_wait
else
        fail "noinit did not start: $(cat "$IT_ERR")"
fi

it_container withinit <<C
[Container]
Directory=$IT_ROOT
Exec=/bin/sleep 1000
Init=yes
C
if it_start withinit; then
        leader=$(it_leader withinit)
        check_eq "Init=yes: PID 1 is berth's reaper, not the payload" \
                "$(tr '\0' ' ' </proc/"$leader"/cmdline)" "$(tr '\0' ' ' </proc/"$IT_BG_PID"/cmdline | sed 's/^timeout 120 //')"
        for _ in $(seq 100); do child=$(cat /proc/"$leader"/task/*/children | tr -d ' '); [ -n "$child" ] && break; sleep 0.1; done
        check_eq "Init=yes: the payload is PID 1's child (PID 2 inside)" \
                "$(awk '/^NSpid:/ {print $NF}' /proc/"$child"/status 2>/dev/null)" 2
        check_eq "the reaper is not dumpable (its /proc/1/exe is out of reach)" \
                "$(stat -c %u /proc/"$leader"/exe 2>/dev/null)" 0
        kill -TERM "$IT_BG_PID"
        if ended; then
                ok "Init=yes: the stop (SIGTERM) ends busybox sleep"
                check_eq "exit status 143 (SIGTERM), reported as the payload's" "$IT_RC" 143
        else
                fail "Init=yes: the stop (SIGTERM) ends busybox sleep"
                kill -KILL "$(it_leader withinit)" 2>/dev/null
                it_wait
        fi
else
        fail "withinit did not start: $(cat "$IT_ERR")"
fi

# --- orphans: a zombie under a PID 1 that never waits, reaped by the reaper -----------------------
for init in no yes; do
        it_container orphan <<C
[Container]
Directory=$IT_ROOT
Exec=/bin/sh -c '(/bin/sleep 0.3 &); exec /bin/sleep 1000'
$([ $init = yes ] && echo Init=yes)
C
        if it_start orphan; then
                if [ $init = no ]; then
                        check "Init=no: the orphan ends up a zombie (PID 1 is sleep, which never waits)" \
                                wait_zombies orphan 1
                else
                        # the orphan is gone (not a zombie) once only the reaper and the payload are left
                        check "Init=yes: the orphan is reaped" wait_processes orphan 2
                        check_eq "Init=yes: no zombie" "$(zombies orphan)" 0
                fi
                kill -KILL "$(it_leader orphan)" 2>/dev/null
                it_wait
        else
                fail "orphan (Init=$init) did not start: $(cat "$IT_ERR")"
        fi
done

# --- Ctrl-C in an interactive foreground run --------------------------------------------------
tty_run() { # INIT [init-tty.py options]: prints what init-tty.py saw after Ctrl-C
        local init=$1
        shift
        rm -f "$IT_WORK/shared/ready"
        it_container ctrlc <<C
[Container]
Directory=$IT_ROOT
Exec=/bin/sh -c 'touch /mnt/ready; exec /bin/sleep 1000'
$([ "$init" = yes ] && echo Init=yes)
[Files]
Bind=$IT_WORK/shared:/mnt
C
        timeout 60 python3 "$(dirname "${BASH_SOURCE[0]}")/init-tty.py" "$@" "$IT_WORK/shared/ready" \
                "$BERTH" run --register=no ctrlc
}
check_eq "Init=no: Ctrl-C does not end busybox sleep as PID 1" "$(tty_run no)" "still running"
check_eq "Init=yes: Ctrl-C ends it (exit 130, SIGINT)" "$(tty_run yes)" "exit 130"
# Not interactive (stdout a pipe): berth itself gets the terminal's SIGINT and forwards it.
check_eq "foreground, not interactive, Init=no: one Ctrl-C does not end sleep as PID 1" \
        "$(tty_run no --pipes)" "still running"
check_eq "foreground, not interactive, Init=no: a second Ctrl-C kills it (137)" \
        "$(tty_run no --pipes --twice)" "exit 137"
check_eq "foreground, not interactive, Init=yes: one Ctrl-C ends it (130)" \
        "$(tty_run yes --pipes)" "exit 130"

# --- Init=yes with Boot=yes is refused ---------------------------------------------------------
it_container bootinit <<C
[Container]
Directory=$IT_ROOT
Boot=yes
Init=yes
C
it_run bootinit
check_eq "Init=yes with Boot=yes: exit status 125" "$IT_RC" 125
check "Init=yes with Boot=yes: the error names the file and line" \
        grep -q "bootinit.container:4: .*Init=yes cannot be combined with Boot=yes" "$IT_ERR"

tap_done
