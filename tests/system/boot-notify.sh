#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Runs inside test bed 1 (bed.sh): Boot=yes and readiness (issue 21). An init such as systemd sends
# READY=1, and berth@NAME.service becomes active only then; an init that never does (busybox init,
# a script) is declared with Notify=no, and the unit is active as soon as the init runs instead of
# timing out. The inits here are small shell scripts that never send READY=1 by themselves.
# Also what else the supervisor relays from a payload's notify socket: RELOADING=1 and WATCHDOG=1
# (with berth@NAME's WatchdogSec= passed on as $WATCHDOG_USEC).
set -u
. "$BERTH_SRC/tests/system/lib.sh"
T=$(mktemp -d /tmp/berth-boot-notify.XXXXXX)
chmod 755 "$T"
NAMES="bnnone bndef bnrel"
cleanup() {
        for n in $NAMES; do systemctl stop "berth@$n.service" 2>/dev/null; done
        for n in $NAMES; do
                systemctl reset-failed "berth@$n.service" 2>/dev/null
                rm -rf "/etc/berth/$n.container" "/etc/systemd/system/berth@$n.service.d"
        done
        systemctl daemon-reload
        rm -rf "$T"
}
trap cleanup EXIT
mkdir -p /etc/berth
up() { for _ in $(seq 100); do grep -qx up "$T/$1/log" 2>/dev/null && return 0; sleep 0.1; done; return 1; }

# container NAME [Container] lines...: a Boot=yes "init" that records it runs, sends READY=1 only
# when the test creates /mnt/go (with systemd-notify, through $NOTIFY_SOCKET), and exits on SIGTERM.
container() {
        local n=$1
        shift
        mkdir -p "$T/$n"
        chmod 777 "$T/$n"
        {
                echo "[Container]"
                echo "Boot=yes"
                echo "KillSignal=SIGTERM"
                echo "Exec=/bin/sh -c 'trap \"exit 0\" TERM; echo up >/mnt/log; \
while [ ! -e /mnt/go ]; do sleep 0.2; done; systemd-notify --ready; echo notified >>/mnt/log; \
while :; do sleep 0.2; done'"
                printf '%s\n' "$@"
                printf '[Files]\nBind=%s:/mnt\n' "$T/$n"
        } >"/etc/berth/$n.container"
}

# --- Notify=no: active once the init runs -----------------------------------------------------
container bnnone "Notify=no"
# Only so that the run against a berth without Notify=no for Boot=yes fails in 30 s, not 90 s.
mkdir -p /etc/systemd/system/berth@bnnone.service.d
printf '[Service]\nTimeoutStartSec=30s\n' >/etc/systemd/system/berth@bnnone.service.d/50-start.conf
systemctl daemon-reload
check "bnnone (Boot=yes, Notify=no): systemctl start returns success" systemctl start berth@bnnone
check_eq "bnnone: the unit is active" "$(prop berth@bnnone.service ActiveState)" active
check "bnnone: the init runs" up bnnone
check_eq "bnnone: and has sent no READY=1" "$(grep -c notified "$T/bnnone/log")" 0
check "bnnone: systemctl stop" systemctl stop berth@bnnone
check_eq "bnnone: stopped cleanly" "$(prop berth@bnnone.service Result)" success

# --- no Notify=: the unit waits for the init's READY=1 ----------------------------------------
container bndef
check "bndef (Boot=yes): systemctl start --no-block" systemctl start --no-block berth@bndef
check "bndef: the init runs" up bndef
check_eq "bndef: the unit is still activating: READY=1 has not come" \
        "$(prop berth@bndef.service ActiveState)" activating
touch "$T/bndef/go"
for _ in $(seq 100); do [ "$(prop berth@bndef.service ActiveState)" = activating ] || break; sleep 0.1; done
check_eq "bndef: the init's READY=1 makes the unit active" "$(prop berth@bndef.service ActiveState)" active
check "bndef: systemctl stop" systemctl stop berth@bndef

# --- RELOADING=1 and WATCHDOG=1 from a Notify=yes payload ---------------------------------------
# The payload acts on files the test creates: reload -> RELOADING=1, ready -> READY=1, dog -> WATCHDOG=1.
mkdir -p "$T/bnrel"
chmod 777 "$T/bnrel"
cat >/etc/berth/bnrel.container <<EOT
[Container]
Notify=yes
Exec=/bin/sh -c 'echo "\$WATCHDOG_USEC" >/mnt/wd; systemd-notify --ready; trap "exit 0" TERM; \
while :; do for f in reload ready dog; do if [ -e /mnt/\$f ]; then rm /mnt/\$f; case \$f in \
reload) systemd-notify RELOADING=1;; ready) systemd-notify --ready;; dog) systemd-notify WATCHDOG=1;; esac; \
echo \$f >>/mnt/done; fi; done; sleep 0.1; done'
[Files]
Bind=$T/bnrel:/mnt
EOT
mkdir -p /etc/systemd/system/berth@bnrel.service.d
printf '[Service]\nWatchdogSec=1h\n' >/etc/systemd/system/berth@bnrel.service.d/50-watchdog.conf
systemctl daemon-reload
check "bnrel (Notify=yes, WatchdogSec=1h): systemctl start" systemctl start berth@bnrel
check_eq "bnrel: the payload got the watchdog interval in \$WATCHDOG_USEC" "$(cat "$T/bnrel/wd")" 3600000000
done_() { for _ in $(seq 100); do grep -qx "$1" "$T/bnrel/done" 2>/dev/null && return 0; sleep 0.1; done; return 1; }
touch "$T/bnrel/reload"
done_ reload
for _ in $(seq 100); do [ "$(prop berth@bnrel.service ActiveState)" = reloading ] && break; sleep 0.1; done
check_eq "bnrel: the payload's RELOADING=1 reaches systemd" "$(prop berth@bnrel.service ActiveState)" reloading
touch "$T/bnrel/ready"
for _ in $(seq 100); do [ "$(prop berth@bnrel.service ActiveState)" = active ] && break; sleep 0.1; done
check_eq "bnrel: and its READY=1 ends the reload" "$(prop berth@bnrel.service ActiveState)" active
w0=$(prop berth@bnrel.service WatchdogTimestampMonotonic)
touch "$T/bnrel/dog"
done_ dog
for _ in $(seq 100); do [ "$(prop berth@bnrel.service WatchdogTimestampMonotonic)" != "$w0" ] && break; sleep 0.1; done
check "bnrel: the payload's WATCHDOG=1 reaches systemd (its watchdog timestamp moves)" \
        test "$(prop berth@bnrel.service WatchdogTimestampMonotonic)" != "$w0"
check "bnrel: systemctl stop" systemctl stop berth@bnrel

tap_done
