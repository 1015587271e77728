#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Runs inside test bed 1, started by poweroff.sh: starts three containers ordered
# pa < pb < pc ([Unit] After=), each recording its stop in LOGDIR (a directory of the build tree,
# bound into the bed), then powers the bed off. poweroff.sh reads the record afterwards.
set -u
LOG=$1
mkdir -p /etc/berth
prev=
for n in pa pb pc; do
        {
                printf '[Container]\nExec=/bin/sh -c '\''trap "echo %s-TERM >>/mnt/log; sleep 1; echo %s-done >>/mnt/log; exit 0" TERM; ' "$n" "$n"
                printf '(trap "echo %s-child-TERM >>/mnt/log; exit 0" TERM; while :; do sleep 0.2; done) & ' "$n"
                printf 'echo %s-up >>/mnt/log; while :; do sleep 0.2; done'\''\n' "$n"
                printf '[Files]\nBind=%s:/mnt\n' "$LOG"
                [ -n "$prev" ] && printf '[Unit]\nAfter=%s.container\n' "$prev"
        } >/etc/berth/$n.container
        prev=$n
done
systemctl daemon-reload
systemctl start berth@pa berth@pb berth@pc || exit 1
for _ in $(seq 100); do [ "$(grep -c -- -up "$LOG/log")" = 3 ] && break; sleep 0.1; done
systemctl is-active berth@pa berth@pb berth@pc >"$LOG/states"
systemctl poweroff --no-block
sleep 120 # ended by the poweroff
