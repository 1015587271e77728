#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# A container's output in the journal, under systemd (test bed 1): what the payload writes to
# stdout and stderr is filed under berth@NAME.service (journalctl -u berth@NAME), stderr as an
# error, whether the payload runs on, exits at once, or forks; also while journald is too busy to
# look at the writer before it is gone. The payload's lines carry the container's name as
# SYSLOG_IDENTIFIER and berth's priority, never one of their own (issue 13, finding 10). Without
# the journal, stdio is the caller's, unchanged.
set -u
. "$BERTH_SRC/tests/system/lib.sh"
mkdir -p /etc/berth
W=$(mktemp -d)
JOURNALD=$(systemctl show -P MainPID systemd-journald.service)
cleanup() {
        kill -CONT "$JOURNALD" 2>/dev/null
        systemctl stop berth@jlong berth@jshort berth@jfork berth@jbusy berth@jforge berth@jesc berth@jdeep 2>/dev/null
        rm -rf "$W" /etc/berth/jesc.sh /etc/berth/jdeep.sh /etc/berth/jdeep.py /etc/berth/jdeep.container /etc/berth/jnul.sh /etc/systemd/journald.conf.d/berth-test-linemax.conf
}
trap cleanup EXIT
T=$(tr -d - </proc/sys/kernel/random/uuid) # this run's lines are unique in the journal
ran() { # NAME EXEC: /etc/berth/NAME.container runs EXEC; systemctl start berth@NAME, until it ended
        printf '[Container]\nExec=%s\n' "$2" >"/etc/berth/$1.container"
        systemctl start "berth@$1.service" || return 1
        for _ in $(seq 100); do
                case $(prop "berth@$1.service" ActiveState) in inactive | failed) return 0 ;; esac
                sleep 0.1
        done
        return 1
}
# The unit's journal as journalctl -u shows it: filed under UNIT by journald (_SYSTEMD_UNIT=), or,
# for the payload's lines, naming it from root (OBJECT_SYSTEMD_UNIT=; journald cannot file a line
# read after the supervisor has exited: see output.c)
unit_lines() { journalctl --no-pager -o cat -u "$1"; }
wait_line() { # UNIT LINE: until the unit's journal has LINE (10 s at most)
        for _ in $(seq 100); do
                journalctl --sync
                unit_lines "$1" | grep -qxF "$2" && return 0
                sleep 0.1
        done
        return 1
}
has_line() { grep -qxF "$2" <<<"$1"; }
field_of() { # UNIT MESSAGE FIELD: the FIELD= journald recorded for it, one per entry
        journalctl --no-pager -o json -u "$1" "MESSAGE=$2" |
                python3 -c 'import json,sys; print(" ".join(json.loads(l).get(sys.argv[1], "-") for l in sys.stdin))' "$3"
}
priority_of() { field_of "$1" "$2" PRIORITY; } # UNIT MESSAGE: the PRIORITY= journald recorded

# --- a payload that writes one line to stdout, one to stderr, and exits ------------------------
check "systemctl start berth@jshort, which ends at once" \
        ran jshort "/bin/sh -c 'echo short-out-$T; echo short-err-$T >&2; echo \"<4>short-warn-$T\" >&2'"
journalctl --sync
out=$(journalctl -u berth@jshort.service --no-pager -o cat)
check "journalctl -u berth@jshort.service has the payload's stdout line" has_line "$out" "short-out-$T"
check "journalctl -u berth@jshort.service has the payload's stderr line" has_line "$out" "short-err-$T"
own=$(unit_lines berth@jshort.service)
check "the stdout line is berth@jshort.service's" has_line "$own" "short-out-$T"
check "the stderr line is berth@jshort.service's" has_line "$own" "short-err-$T"
check_eq "none was written to journald from the scope (the supervisor relays them)" \
        "$(journalctl --no-pager -o cat _SYSTEMD_UNIT=berth-jshort.scope | grep -c "$T")" 0
check_eq "the stdout line is info (PRIORITY=6)" "$(priority_of berth@jshort.service "short-out-$T")" 6
check_eq "the stderr line is an error (PRIORITY=3)" "$(priority_of berth@jshort.service "short-err-$T")" 3
check_eq "a stderr line's own <4> is text: still an error (PRIORITY=3)" \
        "$(priority_of berth@jshort.service "<4>short-warn-$T")" 3
check_eq "the payload's lines carry the container's name as SYSLOG_IDENTIFIER" \
        "$(field_of berth@jshort.service "short-out-$T" SYSLOG_IDENTIFIER)" jshort
check_eq "journalctl -u berth@jshort -p err shows the stderr lines, not the stdout line" \
        "$(journalctl -u berth@jshort.service -p err --no-pager -o cat | grep "$T")" "short-err-$T
<4>short-warn-$T"

# --- a payload that forges priorities and berth's own messages ------------------------------------
check "systemctl start berth@jforge, which prints <0> and <3>berth: lines" \
        ran jforge "/bin/sh -c 'echo \"<0>boom-$T\"; echo \"<3>berth: forged-$T\"; echo \"<0>boom-err-$T\" >&2'"
journalctl --sync
check_eq "stdout's <0>boom is info (PRIORITY=6), its <0> kept as text" \
        "$(priority_of berth@jforge.service "<0>boom-$T")" 6
check_eq "stdout's <3>berth: line is info too, <3> kept as text" \
        "$(priority_of berth@jforge.service "<3>berth: forged-$T")" 6
check_eq "stderr's <0> line is an error (PRIORITY=3), not an emergency" \
        "$(priority_of berth@jforge.service "<0>boom-err-$T")" 3
check_eq "the forged line's SYSLOG_IDENTIFIER is the container's name, not berth" \
        "$(field_of berth@jforge.service "<3>berth: forged-$T" SYSLOG_IDENTIFIER)" jforge
check_eq "no line of this run reached the journal as an emergency or as berth's own" \
        "$(journalctl --no-pager -o cat -p emerg | grep -c "$T"; journalctl --no-pager -o cat -t berth | grep -c "$T")" "0
0"

# --- a payload that forks: its children's lines, also after it forked them --------------------
forks="(sleep 0.3; echo fork-child-$T) & sh -c \"(echo fork-grandchild-$T) &\"; echo fork-parent-$T"
check "systemctl start berth@jfork, which forks a child and a grandchild and ends" \
        ran jfork "/bin/sh -c '$forks; wait; sleep 0.3'"
journalctl --sync
own=$(unit_lines berth@jfork.service)
for who in parent child grandchild; do
        check "the $who's line is filed under berth@jfork.service" has_line "$own" "fork-$who-$T"
done

# --- journald busy: the lines of a container that has ended before journald reads them --------
kill -STOP "$JOURNALD"
ran jbusy "/bin/sh -c 'echo busy-out-$T; echo busy-err-$T >&2'"
kill -CONT "$JOURNALD"
journalctl --sync
own=$(unit_lines berth@jbusy.service)
check "journald busy: the stdout line is filed under berth@jbusy.service" has_line "$own" "busy-out-$T"
check "journald busy: the stderr line is filed under berth@jbusy.service" has_line "$own" "busy-err-$T"

# --- a long-running payload: its periodic output, while it runs --------------------------------
cat >/etc/berth/jlong.container <<EOT
[Container]
Exec=/bin/sh -c 'trap "exit 0" TERM; i=0; while :; do i=\$((i+1)); echo long-tick-\$i-$T; sleep 0.2; done'
EOT
check "systemctl start berth@jlong" systemctl start berth@jlong
ticks=0
for _ in $(seq 100); do
        journalctl --sync
        ticks=$(unit_lines berth@jlong.service | grep -c "^long-tick-[0-9]*-$T\$")
        [ "$ticks" -ge 5 ] && break
        sleep 0.2
done
check "the running container's ticks are filed under berth@jlong.service ($ticks)" test "$ticks" -ge 5
check_eq "berth@jlong is still running" "$(prop berth@jlong.service ActiveState)" active
check_eq "the ticks come from the supervisor, berth@jlong's main process" \
        "$(journalctl --no-pager -o json _SYSTEMD_UNIT=berth@jlong.service MESSAGE="long-tick-1-$T" |
                python3 -c 'import json,sys; print(" ".join(json.loads(l)["_PID"] for l in sys.stdin))')" \
        "$(prop berth@jlong.service MainPID)"
logs=$(berth logs jlong)
check_eq "berth logs shows each tick once" "$(grep -c "^.* long-tick-1-$T\$" <<<"$logs")" 1
systemctl stop berth@jlong
journalctl --sync
check "the scope's own messages from systemd stay in berth logs" \
        bash -c 'berth logs jlong | grep -q "berth-jlong.scope: Deactivated successfully"'

# --- terminal escapes: what the container names and prints reaches berth status/logs escaped ------
ESC=$'\x1b'
cat >/etc/berth/jesc.sh <<'EOT'
#!/bin/bash
trap 'kill $! 2>/dev/null; exit 0' TERM
printf 'esc-log-%s \033]0;pwned\007 \033[2J\n' "$1"
printf 'x\033[31mcomm' >/proc/self/comm # the leader's own name
(exec -a "$(printf 'argv\033[2Jzero')" sleep 1000) &
echo "esc-ready-$1"
wait
EOT
chmod 755 /etc/berth/jesc.sh
printf '[Container]\nExec=/bin/bash /etc/berth/jesc.sh %s\n' "$T" >/etc/berth/jesc.container
check "systemctl start berth@jesc, whose processes and output carry escape sequences" \
        systemctl start berth@jesc
wait_line berth@jesc.service "esc-ready-$T"
status=$(berth status jesc 2>&1)
logs=$(berth logs jesc 2>&1)
check_eq "berth status prints no raw ESC byte" "$(grep -c "$ESC" <<<"$status")" 0
check "berth status shows the leader's name escaped" grep -qF '(x\x1b[31mcomm)' <<<"$status"
check "berth status shows the command line in the cgroup tree escaped" grep -qF 'argv\x1b[2Jzero 1000' <<<"$status"
check_eq "berth logs prints no raw ESC byte" "$(grep -c "$ESC" <<<"$logs")" 0
check "berth logs shows the line escaped" grep -qF "esc-log-$T \x1b]0;pwned\a \x1b[2J" <<<"$logs"
grep -q "$ESC" <<<"$status$logs" && diag "$(printf '%s\n%s\n' "$status" "$logs" | cat -v)"
systemctl stop berth@jesc

# --- a booted container owns its cgroup subtree: a sub-cgroup it nests past PATH_MAX (as the host
# sees it) must not hide the processes in the sub-cgroups sorted after it from berth status ------
cat >/etc/berth/jdeep.py <<'EOT'
import os, sys
fds = [os.open("/sys/fs/cgroup", os.O_RDONLY | os.O_DIRECTORY)]
for _ in range(17): # 17 names of 250 bytes: 4267 bytes below the scope
        if sys.argv[1] == "make":
                os.mkdir("a" * 250, dir_fd=fds[-1])
        try:
                fds.append(os.open("a" * 250, os.O_RDONLY | os.O_DIRECTORY, dir_fd=fds[-1]))
        except FileNotFoundError:
                break
if sys.argv[1] == "remove":
        for i in reversed(range(len(fds) - 1)):
                os.rmdir("a" * 250, dir_fd=fds[i])
EOT
cat >/etc/berth/jdeep.sh <<'EOT'
#!/bin/bash
python3 /etc/berth/jdeep.py make
mkdir /sys/fs/cgroup/z-late
(exec -a "late-proc-$1" sleep 1000) &
echo $! >/sys/fs/cgroup/z-late/cgroup.procs
trap 'kill $!; python3 /etc/berth/jdeep.py remove; exit 0' RTMIN+3 TERM
echo "deep-ready-$1"
while :; do sleep 0.1; done
EOT
chmod 755 /etc/berth/jdeep.sh
printf '[Container]\nBoot=yes\nNotify=no\nExec=/etc/berth/jdeep.sh %s\n' "$T" >/etc/berth/jdeep.container
check "systemctl start berth@jdeep, a booted container that nests a sub-cgroup past PATH_MAX" \
        systemctl start berth@jdeep
wait_line berth@jdeep.service "deep-ready-$T"
status=$(berth status --no-pager jdeep 2>&1)
check "berth status shows the process in the sub-cgroup after the deep one" \
        grep -q "late-proc-$T 1000" <<<"$status"
check "berth status notes the subtree it cannot read, where it is" \
        grep -q "└─(not readable: File name too long)" <<<"$status"
grep -q "late-proc-$T" <<<"$status" || diag "$(grep -v "^ *│* *└─a*$" <<<"$status")"
systemctl stop berth@jdeep

# --- the relay's own journal stream (berth run --register=no under a unit): journald ends a line
# at a NUL and breaks one at LineMax= (48K), and reads a "<N>" at the start of each line it makes:
# no byte of the payload's may land there --------------------------------------------------------
cat >/etc/berth/jnul.sh <<'EOT'
printf 'nul-a-%s\000<0>nul-emerg-%s\n' "$1" "$1"
printf '%*s' 49149 '' | tr ' ' x
printf '<0>\n'
echo "nul-done-$1"
EOT
printf '[Container]\nExec=/bin/bash /etc/berth/jnul.sh %s\n' "$T" >"$W/jnul.container"
check "systemd-run berth run --register=no, whose payload writes a NUL and a 48K line" \
        systemd-run --wait --quiet --unit="jnul-$T" -p StandardOutput=journal -p StandardError=journal \
        "$(command -v berth)" run --register=no --file "$W/jnul.container"
journalctl --sync
check_eq "the text after the NUL is a line of its own, info (PRIORITY=6), its <0> kept as text" \
        "$(priority_of "jnul-$T.service" "<0>nul-emerg-$T")" 6
check_eq "no line of the unit is an emergency (PRIORITY=0)" \
        "$(journalctl --no-pager -o cat -u "jnul-$T.service" PRIORITY=0 | wc -l)" 0
check_eq "the lines around are there (info)" "$(priority_of "jnul-$T.service" "nul-done-$T")" 6
rm -f /etc/berth/jnul.sh

# --- without the journal: the payload writes to the caller's stdout and stderr itself ---------
cat >"$W/plain.container" <<EOT
[Container]
Exec=/bin/sh -c 'echo plain-out-$T; echo plain-err-$T >&2; stat -L -c %%F /proc/self/fd/1 /proc/self/fd/2'
EOT
berth run --register=no --file "$W/plain.container" >"$W/out" 2>"$W/err"
check_eq "berth run --register=no exits 0" "$?" 0
check_eq "stdout is the caller's file, as is" "$(cat "$W/out")" "plain-out-$T
regular file
regular file"
check_eq "stderr is the caller's file, without priority prefixes" "$(cat "$W/err")" "plain-err-$T"

# --- an admin's small LineMax= (last: journald restarts with it): journald breaks the payload's
# line there, and the bytes after the break must not be read as a priority ---------------------
mkdir -p /etc/systemd/journald.conf.d
printf '[Journal]\nLineMax=1K\n' >/etc/systemd/journald.conf.d/berth-test-linemax.conf
systemctl restart systemd-journald
cat >/etc/berth/jnul.sh <<'EOT'
printf '%*s' 1021 '' | tr ' ' y
printf '<0>small-emerg-%s\n' "$1"
echo "small-done-$1"
EOT
check "LineMax=1K: systemd-run berth run --register=no, whose payload's line is broken there" \
        systemd-run --wait --quiet --unit="jsmall-$T" -p StandardOutput=journal \
        "$(command -v berth)" run --register=no --file "$W/jnul.container"
journalctl --sync
check_eq "LineMax=1K: no line of the unit is an emergency (PRIORITY=0)" \
        "$(journalctl --no-pager -o cat -u "jsmall-$T.service" PRIORITY=0 | wc -l)" 0
check_eq "LineMax=1K: the text after the break is info (PRIORITY=6)" \
        "$(priority_of "jsmall-$T.service" "small-emerg-$T")" 6
rm -f /etc/berth/jnul.sh /etc/systemd/journald.conf.d/berth-test-linemax.conf

tap_done
