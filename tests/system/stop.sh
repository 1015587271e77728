#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Runs inside test bed 1 (bed.sh): how a berth container stops under systemd, as berth@.service(8)
# says. The payload's PID 1 gets exactly one stop signal, from the supervisor (its other processes
# none: the init decides about them); the service's TimeoutStopSec= governs, not the scope's;
# `systemctl stop` of the scope and `machinectl terminate` take the same path; Boot=yes inits get
# SIGRTMIN+3; a failed start leaves a running container of the same name alone; every catchable
# signal sent to the service reaches the payload.
# Each payload writes what it received to a file in a directory bound from the bed.
set -u
. "$BERTH_SRC/tests/system/lib.sh"
log_dir stop
NAMES="stopa stopb stopc stopd stope stopf dup sig ksig boota bootb"
cleanup() {
        for n in $NAMES; do systemctl stop "berth@$n.service" "berth-$n.scope" 2>/dev/null; done
        systemctl stop berth-run-dup.service 2>/dev/null
        for n in $NAMES; do systemctl reset-failed "berth@$n.service" 2>/dev/null; done
        for n in $NAMES; do rm -rf "/etc/berth/$n.container" "/etc/systemd/system/berth@$n.service.d" \
                "/etc/systemd/system/berth-$n.scope.d"; done
        systemctl daemon-reload
        rm -rf "$T"
}
trap cleanup EXIT

gone() { for _ in $(seq 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done; return 1; }
mkdir -p /etc/berth

# The scope's own stop clock, shortened by a drop-in so that a scope that stops on its own clock
# (instead of after its service) shows within seconds instead of its default 15 s. The service keeps
# its own timeout; with the fix the scope's timeout never comes into play.
short_scope_timeout() {
        mkdir -p "/etc/systemd/system/berth-$1.scope.d"
        printf '[Scope]\nTimeoutStopSec=3s\n' >"/etc/systemd/system/berth-$1.scope.d/50-short.conf"
}
# The payload: PID 1 records each TERM, then takes its time (SHUTDOWN seconds) to shut down
# cleanly; a child records any TERM it gets itself (systemd signalling every process of the scope).
payload_trapping() { # SHUTDOWN
        echo "Exec=/bin/sh -c 'trap \"echo TERM >>/mnt/log; sleep $1; echo done >>/mnt/log; exit 0\" TERM; \
(trap \"echo child-TERM >>/mnt/log; exit 0\" TERM; while :; do sleep 0.2; done) & \
echo up >>/mnt/log; while :; do sleep 0.2; done'"
}
wait_up() { for _ in $(seq 100); do [ "$(count "$1" up)" -ge 1 ] && return 0; sleep 0.1; done; return 1; }

# --- 1. systemctl stop: one SIGTERM, from the supervisor; the service's timeout governs ---------
container stopa "$(payload_trapping 8)"
short_scope_timeout stopa
systemctl daemon-reload
check "stopa: systemctl start" systemctl start berth@stopa
check "stopa: the payload is up" wait_up stopa
check_eq "stopa: the service keeps its default TimeoutStopSec" "$(prop berth@stopa.service TimeoutStopUSec)" 1min
LA=$(leader stopa)
systemctl stop berth@stopa
check_eq "stopa: when systemctl stop returns, the handler has finished (8 s, beyond the scope's own 3 s)" \
        "$(count stopa done)" 1
check_eq "stopa: the payload's PID 1 got SIGTERM exactly once" "$(count stopa TERM)" 1
check_eq "stopa: no other process of the container was sent SIGTERM" "$(count stopa child-TERM)" 0
check_eq "stopa: the service stopped cleanly" \
        "$(prop berth@stopa.service ActiveState)/$(prop berth@stopa.service Result)" inactive/success
check_eq "stopa: berth run exited 0 (the payload's status)" "$(prop berth@stopa.service ExecMainStatus)" 0
check "stopa: the payload is gone" gone "$LA"

# --- 2. a payload that never exits: killed at the service's TimeoutStopSec= (a drop-in) --------
container stopb "Exec=/bin/sh -c 'trap \"echo TERM >>/mnt/log\" TERM; echo up >>/mnt/log; while :; do sleep 0.2; done'"
short_scope_timeout stopb
mkdir -p /etc/systemd/system/berth@stopb.service.d
printf '[Service]\nTimeoutStopSec=6s\n' >/etc/systemd/system/berth@stopb.service.d/50-timeout.conf
systemctl daemon-reload
check "stopb: systemctl start" systemctl start berth@stopb
check "stopb: the payload is up" wait_up stopb
LB=$(leader stopb)
systemctl stop berth@stopb
check_eq "stopb: the service's own timeout (6 s drop-in) ended the stop, not the scope's (3 s)" \
        "$(prop berth@stopb.service Result)" timeout
check "stopb: when systemctl stop returns, the payload is gone" bash -c "! kill -0 $LB 2>/dev/null"
check_eq "stopb: it got SIGTERM exactly once before the SIGKILL" "$(count stopb TERM)" 1
check_eq "stopb: no scope left" "$(prop berth-stopb.scope ActiveState)" inactive

# --- 3. systemctl stop of the scope, and machinectl terminate: the same clean path --------------
for how in scope machinectl; do
        n=stopc
        [ $how = machinectl ] && n=stopd
        container $n "$(payload_trapping 4)"
        systemctl daemon-reload
        systemctl start "berth@$n"
        check "$n: the payload is up" wait_up $n
        L=$(leader $n)
        if [ $how = scope ]; then systemctl stop "berth-$n.scope"; else machinectl terminate $n; fi
        # the payload is gone once the scope's stop job returns; the service may be finishing
        for _ in $(seq 150); do [ "$(prop "berth@$n.service" ActiveState)" = inactive ] && break; sleep 0.1; done
        check_eq "$n ($how): the service stopped too, cleanly" \
                "$(prop "berth@$n.service" ActiveState)/$(prop "berth@$n.service" Result)" inactive/success
        check_eq "$n ($how): the handler finished" "$(count $n done)" 1
        check_eq "$n ($how): the payload's PID 1 got SIGTERM exactly once" "$(count $n TERM)" 1
        check_eq "$n ($how): no other process of the container was sent SIGTERM" "$(count $n child-TERM)" 0
        check "$n ($how): the payload is gone" gone "$L"
done

# --- 3b. service and scope stopped in one transaction, as at shutdown: the scope waits ------------
container stope "$(payload_trapping 4)"
systemctl start berth@stope
check "stope: the payload is up" wait_up stope
L=$(leader stope)
systemctl stop berth-stope.scope berth@stope.service
check_eq "stope (one transaction): the service stopped cleanly" \
        "$(prop berth@stope.service ActiveState)/$(prop berth@stope.service Result)" inactive/success
check_eq "stope (one transaction): the handler finished" "$(count stope done)" 1
check_eq "stope (one transaction): the payload's PID 1 got SIGTERM exactly once" "$(count stope TERM)" 1
check_eq "stope (one transaction): no other process of the container was sent SIGTERM" "$(count stope child-TERM)" 0
check "stope (one transaction): the payload is gone" gone "$L"

# --- 3c. outside a service (berth run in a scope, as from a login session): machinectl terminate ---
container stopf "$(payload_trapping 2)"
systemd-run --scope --quiet --unit=berth-caller-stopf berth run --register=yes stopf </dev/null >/dev/null 2>&1 &
RUNNER=$!
check "stopf: the payload is up (berth run in berth-caller-stopf.scope)" wait_up stopf
L=$(leader stopf)
check_eq "stopf: its scope is bound to the caller's scope" "$(prop berth-stopf.scope BindsTo)" berth-caller-stopf.scope
machinectl terminate stopf
check "stopf: the payload is gone" gone "$L"
wait $RUNNER
check_eq "stopf: berth run exited 0 (the payload's status)" "$?" 0
check_eq "stopf: the handler finished" "$(count stopf done)" 1
check_eq "stopf: the payload's PID 1 got SIGTERM exactly once" "$(count stopf TERM)" 1
check_eq "stopf: no other process of the container was sent SIGTERM" "$(count stopf child-TERM)" 0

# --- 4. a failed start of a running name leaves the running container alone ------------------------
container dup "Exec=/bin/sh -c 'trap \"exit 0\" TERM; echo up >>/mnt/log; while :; do sleep 0.2; done'"
check "dup: running from systemd-run berth run" systemd-run --quiet --unit=berth-run-dup -p Type=notify \
        berth run dup
LD=$(leader dup)
systemctl start berth@dup 2>/dev/null
check "dup: systemctl start berth@dup fails (the name is running)" test $? -ne 0
check "dup: the running container's payload still runs" kill -0 "$LD"
check_eq "dup: its scope is still active" "$(prop berth-dup.scope ActiveState)" active
check_eq "dup: its scope is still the systemd-run one's" "$(prop berth-dup.scope BindsTo)" berth-run-dup.service
systemctl stop berth-run-dup.service

# --- 5. every catchable signal sent to the service reaches the payload ------------------------------
SIGS="USR1 USR2 QUIT WINCH HUP RTMIN+5"
traps=
for s in $SIGS; do traps="$traps trap \"echo $s >>/mnt/log\" $s;"; done
container sig "Exec=/bin/bash -c '$traps trap \"exit 0\" TERM; echo up >>/mnt/log; while :; do sleep 0.2; done'"
check "sig: systemctl start" systemctl start berth@sig
check "sig: the payload is up" wait_up sig
LS=$(leader sig)
for s in $SIGS; do
        systemctl kill -s "$s" berth@sig
        for _ in $(seq 50); do [ "$(count sig "$s")" -ge 1 ] && break; sleep 0.1; done
        check_eq "sig: systemctl kill -s $s berth@sig reached the payload's handler once" "$(count sig "$s")" 1
        check_eq "sig: after $s the service is still active" "$(prop berth@sig.service ActiveState)" active
done
check "sig: the payload still runs" kill -0 "$LS"
systemctl stop berth@sig

# --- 6. KillSignal=: the stop signal the supervisor sends -----------------------------------------
container ksig "KillSignal=SIGINT" \
        "Exec=/bin/sh -c 'trap \"echo TERM >>/mnt/log\" TERM; trap \"echo INT >>/mnt/log; exit 0\" INT; \
echo up >>/mnt/log; while :; do sleep 0.2; done'"
check "ksig: systemctl start (KillSignal=SIGINT)" systemctl start berth@ksig
check "ksig: the payload is up" wait_up ksig
systemctl stop berth@ksig
check_eq "ksig: the payload's PID 1 got SIGINT once" "$(count ksig INT)" 1
check_eq "ksig: and no SIGTERM" "$(count ksig TERM)" 0
check_eq "ksig: the service stopped cleanly" \
        "$(prop berth@ksig.service ActiveState)/$(prop berth@ksig.service Result)" inactive/success

# --- 7. Boot=yes: an init is asked to shut down with SIGRTMIN+3, never SIGTERM ----------------------
# A tiny init: records the signals it gets; halts (after a moment, like a real one) on SIGRTMIN+3.
INIT=$T/init
cat >"$INIT" <<'EOF'
#!/bin/bash
for s in TERM INT HUP; do trap "echo $s >>/mnt/log" $s; done
trap 'echo RTMIN+3 >>/mnt/log; halt=1' RTMIN+3
(trap "echo child-TERM >>/mnt/log; exit 0" TERM; while :; do sleep 0.2; done) &
systemd-notify --ready
echo up >>/mnt/log
halt=0
while [ $halt = 0 ]; do sleep 0.2; done
sleep 1
echo done >>/mnt/log
exit 0
EOF
chmod 755 "$INIT"
for how in stop machinectl; do
        n=boota
        [ $how = machinectl ] && n=bootb
        container $n "Boot=yes" "Exec=/mnt/init" # the root is the host's /, without its /tmp
        cp "$INIT" "$T/$n/init"
        systemctl daemon-reload
        check "$n: systemctl start (Boot=yes)" systemctl start "berth@$n"
        check "$n: the init is up" wait_up $n
        L=$(leader $n)
        if [ $how = stop ]; then
                systemctl stop "berth@$n"
        else
                machinectl terminate $n
                for _ in $(seq 150); do [ "$(prop "berth@$n.service" ActiveState)" = inactive ] && break; sleep 0.1; done
        fi
        diag "$n: the init received: $(tr '\n' ' ' <"$T/$n/log")"
        check_eq "$n ($how): the init got SIGRTMIN+3 once" "$(count $n RTMIN+3)" 1
        check_eq "$n ($how): the init got no SIGTERM (systemd would re-execute)" "$(count $n TERM)" 0
        check_eq "$n ($how): no other process of the guest was sent SIGTERM" "$(count $n child-TERM)" 0
        check_eq "$n ($how): the init shut down cleanly" "$(count $n done)" 1
        check_eq "$n ($how): the service stopped cleanly" \
                "$(prop "berth@$n.service" ActiveState)/$(prop "berth@$n.service" Result)" inactive/success
        check "$n ($how): the init is gone" gone "$L"
done

tap_done
