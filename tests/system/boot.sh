#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Boot=yes under systemd (test bed 1), with a tiny init (a shell script as the container's PID 1):
# the console is a pty of the container's own (a terminal, not /dev/null) whose output reaches
# journalctl -u berth@NAME; the uevent netlink socket logind needs can be created; reboot(2)
# inside restarts the service with a new leader, poweroff stops it cleanly; both without
# Capability=CAP_SYS_BOOT (issue 15).
set -u
. "$BERTH_SRC/tests/system/lib.sh"
mkdir -p /etc/berth
N=tboot$$
W=$(mktemp -d)
cleanup() {
        systemctl stop "berth@$N" 2>/dev/null
        rm -rf "$W" "/etc/berth/$N.container" "/etc/berth/$N-init.sh"
}
trap cleanup EXIT
T=$(tr -d - </proc/sys/kernel/random/uuid) # this run's lines are unique in the journal
wait_for() { for _ in $(seq 150); do "$@" && return 0; sleep 0.1; done; return 1; }
state_is() { [ "$(prop "berth@$N.service" ActiveState)" = "$1" ]; }

chmod 777 "$W"
cat >"/etc/berth/$N-init.sh" <<EOT
#!/bin/sh
n=\$(cat /mnt/count 2>/dev/null || echo 0); n=\$((n + 1)); echo \$n >/mnt/count
echo "tinyinit-$T-run\$n"
if stty -F /dev/console >/dev/null 2>&1 && [ -t 0 ] && [ -t 1 ]; then echo "console-is-a-tty-$T"; fi
python3 -c 'import socket; socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 15)' && echo "uevent-socket-$T"
# systemd closes the console between its writes: nothing holds it open for a while
exec </dev/null >/dev/null 2>&1; sleep 0.5; exec </dev/console >/dev/console 2>&1
echo "console-reopened-$T-run\$n"
systemd-notify --ready # as systemd does once booted
echo up >/mnt/up\$n
while [ ! -e /mnt/go\$n ]; do sleep 0.1; done
if [ \$n = 1 ]; then busybox reboot -f; else busybox poweroff -f; fi
echo "reboot-failed-$T"
sleep 100
EOT
chmod 755 "/etc/berth/$N-init.sh"
cat >"/etc/berth/$N.container" <<EOT
[Container]
Boot=yes
Exec=/etc/berth/$N-init.sh
[Files]
Bind=$W:/mnt
EOT

# Boot=yes: the service is ready when the init says so (READY=1 on the container's notify socket).
check "systemctl start berth@$N (the tiny init says READY=1)" systemctl start "berth@$N"
check "the tiny init runs (run 1)" wait_for test -e "$W/up1"
L1=$(machinectl show -p Leader --value "$N" 2>/dev/null)
journalctl --sync
lines=$(journalctl --no-pager -o cat -u "berth@$N")
check "the init's stdout on the console reached journalctl -u berth@$N" grep -qx "tinyinit-$T-run1" <<<"$lines"
check "lines written after the console was closed and reopened still reach the journal" \
        grep -qx "console-reopened-$T-run1" <<<"$lines"
check "/dev/console is a terminal (stty works, stdio is a tty)" grep -qx "console-is-a-tty-$T" <<<"$lines"
check "Boot=yes may create the uevent netlink socket (logind's udev watchers)" \
        grep -qx "uevent-socket-$T" <<<"$lines"
check_eq "the console's lines carry the container's name as identifier" \
        "$(journalctl --no-pager -o json -u "berth@$N" "MESSAGE=tinyinit-$T-run1" |
                python3 -c 'import json,sys; print(" ".join(json.loads(l).get("SYSLOG_IDENTIFIER","-") for l in sys.stdin))')" \
        "$N"

touch "$W/go1" # reboot -f
check "after reboot(2) the container runs again (run 2)" wait_for test -e "$W/up2"
L2=$(machinectl show -p Leader --value "$N" 2>/dev/null)
diag "leaders: $L1 then $L2"
check "the rebooted container has a new leader PID" test -n "$L1" -a -n "$L2" -a "$L1" != "$L2"
check_eq "the service restarted once" "$(journalctl -u "berth@$N" --no-pager | grep -c 'Scheduled restart job')" 1

touch "$W/go2" # poweroff -f
check "poweroff inside stops the service" wait_for state_is inactive
check_eq "poweroff is a clean end: inactive, result success" \
        "$(prop "berth@$N.service" ActiveState)/$(prop "berth@$N.service" Result)" inactive/success
check_eq "the init ran twice" "$(cat "$W/count" 2>/dev/null)" 2
journalctl --sync
check "no reboot/poweroff failed inside" bash -c "! journalctl --no-pager -o cat -u 'berth@$N' | grep -q 'reboot-failed-$T'"
tap_done
