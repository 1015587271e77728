#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# berth run: what a payload sees from inside its sandbox (namespaces, /proc, /sys, /dev, network,
# identity, environment), asserted by the probe and compared with the host.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
it_setup
IT_ROOT=$IT_WORK/root
it_build_root "$IT_ROOT"

# PID 1 is the payload, and only the container's processes are visible.
check_eq "payload is PID 1" "$(it_probe pid)" "1"
check_eq "only the container's processes are in /proc" "$(it_probe procs)" "1"

# Hostname: the configured one inside, the host's unchanged.
host_before=$(hostname)
it_container named <<C
[Container]
Directory=$IT_ROOT
Hostname=berth-it-box
Exec=/probe hostname
C
it_run named
check_eq "hostname inside is Hostname=" "$(cat "$IT_OUT")" "berth-it-box"
check_eq "host's hostname unchanged" "$(hostname)" "$host_before"
check_eq "default hostname is the container name" "$(it_probe hostname)" "probe"

# Host files outside the root are unreachable, also through /proc/1/root and "..".
secret=$IT_WORK/host-secret
echo secret >"$secret"
check_eq "host file not visible at its path" "$(it_probe stat "$secret")" "ENOENT"
check_eq "host file not visible via /proc/1/root" "$(it_probe stat "/proc/1/root$secret")" "ENOENT"
check_eq "host file not visible via .." "$(it_probe stat "/../../../..$secret")" "ENOENT"
check_eq "/.. is the root itself" "$(it_probe ls /..)" "$(it_probe ls /)"
check_eq "host's own root not under /proc/1/root/.." "$(it_probe ls /proc/1/root/..)" "$(it_probe ls /)"

# Docker's masked /proc paths: empty or unreadable; those this kernel has are checked.
n=0
for p in /proc/kcore /proc/keys /proc/latency_stats /proc/timer_list /proc/timer_stats /proc/sched_debug; do
        [ -e "$p" ] || continue
        n=$((n + 1))
        got=$(it_probe read "$p")
        case $got in "ok 0" | EACCES | EPERM) ok "masked $p reads empty ($got)" ;; *) fail "masked $p reads: $got" ;; esac
done
for p in /proc/acpi /proc/asound /proc/scsi; do
        [ -e "$p" ] || continue
        n=$((n + 1))
        check_eq "masked $p is empty" "$(it_probe ls "$p")" ""
        check_eq "masked $p is read-only" "$(it_probe write "$p/x")" "EROFS"
done
check "at least two masked /proc paths exist on this kernel ($n)" test "$n" -ge 2
check_eq "/proc/sys is read-only" "$(it_probe write /proc/sys/kernel/hostname)" "EROFS"
[ -e /proc/sysrq-trigger ] && check_eq "/proc/sysrq-trigger is read-only" \
        "$(it_probe write /proc/sysrq-trigger)" "EROFS"

# /sys read-only, host cgroups not visible beyond the container's own.
check_eq "/sys is read-only" "$(it_probe mkdir /sys/berth-it)" "EROFS"
check_eq "/sys/kernel is read-only" "$(it_probe write /sys/kernel/uevent_helper)" "EROFS"
check_eq "/sys/firmware is masked" "$(it_probe ls /sys/firmware)" ""
# --register=no: no cgroup of its own, so none of the host's is shown.
check_eq "no host cgroup visible in /sys/fs/cgroup" "$(it_probe ls /sys/fs/cgroup)" ""
check_eq "cgroupfs is read-only" "$(it_probe mkdir /sys/fs/cgroup/berth-it)" "EROFS"

# /dev holds only the listed nodes.
check_eq "/dev holds only the minimal set" "$(it_probe ls /dev)" \
        "console fd full mqueue null ptmx pts random shm stderr stdin stdout tty urandom zero"
check_eq "/dev/null is a character device" "$(it_probe stat /dev/null)" "chr"
check_eq "/dev/console is /dev/null when not interactive" "$(it_probe read /dev/console)" "ok 0"
check_eq "/dev/pts is a fresh devpts instance" "$(it_probe ls /dev/pts)" "ptmx"

# Network: Private=yes (default) shows only lo; Private=no the host's interfaces.
check_eq "Private=yes: only lo" "$(it_probe ifaces)" "lo"
it_container hostnet <<C
[Container]
Directory=$IT_ROOT
Exec=/probe ifaces
[Network]
Private=no
C
it_run hostnet
check_eq "Private=no: the host's interfaces" "$(cat "$IT_OUT")" "$(ls /sys/class/net | sort | tr '\n' ' ' | sed 's/ $//')"

# No host fd reaches the payload: stdio only.
check_eq "payload has only fds 0 1 2" "$(it_probe fds)" "0 1 2"

# A clean environment plus Environment=; User= from the container's /etc/passwd; its home.
it_container env <<C
[Container]
Directory=$IT_ROOT
Environment=FOO=bar "SPACED=a b"
Exec=/probe env
C
TERM=berth-term it_run env
check_eq "clean environment plus Environment=" "$(cat "$IT_OUT")" \
        "FOO=bar HOME=/root LANG=C.UTF-8 PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin SPACED=a b TERM=berth-term container=berth"
it_container user <<C
[Container]
Directory=$IT_ROOT
User=tester
Exec=/bin/sh -c '/probe uid; /probe cwd; /probe env'
C
it_run user
check_eq "User=tester: uid, gid and groups from the container's files" "$(sed -n 1p "$IT_OUT")" "1000 1000 29"
check_eq "User=tester starts in its home" "$(sed -n 2p "$IT_OUT")" "/home/tester"
check "User=tester gets HOME=/home/tester" grep -q "HOME=/home/tester" "$IT_OUT"
it_container wd <<C
[Container]
Directory=$IT_ROOT
WorkingDirectory=/etc
Exec=/probe cwd
C
it_run wd
check_eq "WorkingDirectory=" "$(cat "$IT_OUT")" "/etc"
tap_done
