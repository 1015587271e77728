#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Runs inside test bed 1 (bed.sh): a non-root operator whom a polkit rule lets manage one container
# after authenticating (auth_self) is asked for the password by `berth start` and `berth stop` on a
# terminal, as systemctl asks (issue 21): berth sets the bus's interactive-authorization flag and
# runs polkit's text agent (pkttyagent). A pseudo-terminal driven by pty-drive (below) answers
# the prompt once it appears. Without a terminal, or with --no-ask-password, nothing asks and the
# call fails. Needs polkitd (pkttyagent) in the bed, which the host's root provides.
set -u
. "$BERTH_SRC/tests/system/lib.sh"
U=berthpk$$
PW=pk-$(tr -d - </proc/sys/kernel/random/uuid)
N=pk$$
RULE=/etc/polkit-1/rules.d/50-berth-test-$$.rules
T=$(mktemp -d /tmp/berth-polkit.XXXXXX)
chmod 755 "$T"
cleanup() {
        systemctl stop "berth@$N.service" 2>/dev/null
        systemctl reset-failed "berth@$N.service" 2>/dev/null
        rm -f "/etc/berth/$N.container" "$RULE"
        loginctl terminate-user "$U" 2>/dev/null
        for _ in $(seq 50); do pgrep -u "$U" >/dev/null || break; sleep 0.1; done
        userdel -r "$U" >/dev/null 2>&1
        rm -rf "$T"
}
trap cleanup EXIT

if ! command -v pkttyagent >/dev/null || [ ! -x /usr/lib/polkit-1/polkitd ]; then
        fail "polkitd (pkttyagent, polkitd) is installed (.ci/packages lists it)"
        tap_done
        exit
fi

useradd -m "$U"
echo "$U:$PW" | chpasswd
mkdir -p /etc/berth
printf '[Container]\nExec=/bin/sh -c "trap \\"exit 0\\" TERM; while :; do sleep 0.2; done"\n' >"/etc/berth/$N.container"
cat >"$RULE" <<EOT
polkit.addRule(function(action, subject) {
        if (action.id == "org.freedesktop.systemd1.manage-units" && subject.user == "$U" &&
            action.lookup("unit") == "berth@$N.service")
                return polkit.Result.AUTH_SELF;
});
EOT
chmod 644 "$RULE"

# pty-drive PASSWORD CMD...: runs CMD on a new pseudo-terminal; when "Password:" shows and the
# agent's terminal no longer echoes (it turns echo off, flushing input, after printing the
# prompt), types PASSWORD (empty: ends CMD instead); prints what the terminal showed and exits
# with CMD's status.
cat >"$T/pty-drive" <<'EOT'
#!/usr/bin/python3
import os, pty, sys, termios, time
pw = sys.argv[1]

def agent_echo_off():
    for p in os.listdir("/proc"):
        try:
            if not p.isdigit() or open(f"/proc/{p}/comm").read().strip() != "pkttyagent":
                continue
            fd = os.open(f"/proc/{p}/fd/0", os.O_RDONLY | os.O_NOCTTY)
            try:
                return not (termios.tcgetattr(fd)[3] & termios.ECHO)
            finally:
                os.close(fd)
        except OSError:
            continue
    return False

pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
seen = b""
answered = False
while True:
    try:
        data = os.read(fd, 4096)
    except OSError:
        break
    if not data:
        break
    seen += data
    if not answered and b"Password:" in seen:
        answered = True
        if not pw:
            os.kill(pid, 15)
            continue
        for _ in range(600):  # the agent turns echo off right after the prompt
            if agent_echo_off():
                break
            time.sleep(0.05)
        os.write(fd, pw.encode() + b"\n")
_, status = os.waitpid(pid, 0)
sys.stdout.write(seen.decode(errors="replace"))
sys.exit(os.waitstatus_to_exitcode(status))
EOT
chmod 755 "$T/pty-drive"
# su -l: a login session of U's own (pam_systemd), for which berth's agent registers, as
# systemctl's does; script(1): a controlling terminal in it (su -c runs the command without one).
out=$(su -l "$U" -c "berth start $N" </dev/null 2>&1)
check_eq "without a terminal: berth start as $U fails" "$?" 1
diag "$out"
check_eq "without a terminal: the unit was not started" "$(prop "berth@$N.service" ActiveState)" inactive

out=$("$T/pty-drive" "" su -l "$U" -c "script -qec 'berth start --no-ask-password $N' /dev/null" 2>&1)
check_eq "on a terminal with --no-ask-password: fails" "$?" 1
check "on a terminal with --no-ask-password: no password prompt" bash -c "! grep -q Password: <<<'$out'"
diag "$out"

out=$("$T/pty-drive" "$PW" su -l "$U" -c "script -qec 'berth start $N' /dev/null" 2>&1)
rc=$?
diag "$out"
check_eq "on a terminal: berth start as $U asks for the password and succeeds" "$rc" 0
check "on a terminal: the prompt came from polkit's agent" grep -q "AUTHENTICATING FOR" <<<"$out"
check_eq "the container runs" "$(prop "berth@$N.service" ActiveState)" active

out=$("$T/pty-drive" "$PW" su -l "$U" -c "script -qec 'berth stop $N' /dev/null" 2>&1)
check_eq "on a terminal: berth stop as $U asks and succeeds" "$?" 0
check_eq "the container stopped" "$(prop "berth@$N.service" ActiveState)" inactive
diag "$out"
check "no agent is left behind" bash -c "! pgrep -u $U pkttyagent"

[ "$TAP_FAILED" -eq 0 ] || diag "$(journalctl -u polkit --no-pager | tail -20)"
tap_done
