#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Boots the VM test-bed image once and runs a job in it.
# Usage: vm-run.sh [--selinux=permissive|enforcing] [--timeout=SECONDS] [--keep-running] IMAGE_DIR JOB_DIR
#
# IMAGE_DIR comes from build-image.sh. JOB_DIR is shared with the guest over virtio-9p; the guest
# runs JOB_DIR/run.sh (cwd JOB_DIR, as unconfined_t) once multi-user.target is up, writing
# JOB_DIR/out.log and JOB_DIR/rc, then powers off. The guest's serial console goes to
# JOB_DIR/console.log. The image is never written: the guest's disk is a qcow2 overlay that is
# removed afterwards. qemu is killed at the timeout (default 600 s) and whenever this script exits.
# Exit status: the job's (then out.log is printed), 124 timeout, 125 the guest produced no rc,
# 126 qemu or the image is missing. --keep-running leaves the guest up for a console login
# (qemu's stdio is the serial console then; quit with poweroff or Ctrl-A x).
set -u
mode=permissive
timeout=600
keep=0
while [ $# -gt 0 ]; do
        case $1 in
        --selinux=permissive | --selinux=enforcing) mode=${1#--selinux=} ;;
        --timeout=*) timeout=${1#--timeout=} ;;
        --keep-running) keep=1 ;;
        -*) echo "vm-run: unknown option $1" >&2; exit 2 ;;
        *) break ;;
        esac
        shift
done
[ $# -eq 2 ] || { sed -n '3,4s/^# //p' "$0" >&2; exit 2; }
img=$(readlink -f "$1")
job=$(readlink -f "$2")

say() { echo "vm-run: $*" >&2; }
for tool in qemu-system-x86_64:qemu-system-x86 qemu-img:qemu-utils; do
        command -v "${tool%%:*}" > /dev/null || {
                say "error: ${tool%%:*} not found: apt-get install --no-install-recommends ${tool#*:}"
                exit 126
        }
done
for f in vmlinuz initrd.img rootfs.img; do
        [ -f "$img/$f" ] || { say "error: $img/$f missing (kernel or image not built: run build-image.sh)"; exit 126; }
done
[ -x "$job/run.sh" ] || { say "error: $job/run.sh missing or not executable"; exit 2; }

case $mode in permissive) enforcing=0 ;; enforcing) enforcing=1 ;; esac
rm -f "$job/rc" "$job/out.log" "$job/boot-seconds" "$job/console.log"
[ $keep = 1 ] && touch "$job/keep-running" || rm -f "$job/keep-running"

run=$(mktemp -d /var/tmp/berth-vm-run.XXXXXX)
qpid=
cleanup() {
        if [ -n "$qpid" ] && kill -0 "$qpid" 2> /dev/null; then
                kill -TERM "$qpid" 2> /dev/null
                sleep 1
                kill -KILL "$qpid" 2> /dev/null
                wait "$qpid" 2> /dev/null
        fi
        rm -rf "$run"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

qemu-img create -q -f qcow2 -F raw -b "$img/rootfs.img" "$run/overlay.qcow2" || exit 126
cmdline="root=/dev/vda rw console=ttyS0 panic=1 systemd.unified_cgroup_hierarchy=1"
cmdline+=" security=selinux selinux=1 enforcing=$enforcing berth_vm.job=1"
qemu=(qemu-system-x86_64 -accel tcg -cpu max -m 2048 -smp "$(nproc)" -no-reboot
        -kernel "$img/vmlinuz" -initrd "$img/initrd.img" -append "$cmdline"
        -drive "file=$run/overlay.qcow2,format=qcow2,if=none,id=root" -device virtio-blk-pci,drive=root
        -virtfs "local,path=$job,mount_tag=job,security_model=none,id=job" -nic none)
# Prepared roots (vm-test.sh): each JOB/prepared/NAME.qcow2 is a virtio disk with serial NAME
# (/dev/disk/by-id/virtio-NAME in the guest), after the root disk: -device order is PCI slot
# order, so the root stays /dev/vda (an if=virtio drive would come after them).
for disk in "$job"/prepared/*.qcow2; do
        [ -f "$disk" ] || continue
        d=$(basename "$disk" .qcow2)
        qemu+=(-drive "file=$disk,format=qcow2,if=none,id=$d" -device "virtio-blk-pci,drive=$d,serial=$d")
done

t0=$(date +%s%N)
if [ $keep = 1 ]; then
        say "keep-running: serial console on this terminal; console.log is not written"
        "${qemu[@]}" -nographic
        exit $?
fi
# qemu runs in the background so the trap can always reach it; no terminal, no monitor.
"${qemu[@]}" -display none -monitor none -serial "file:$job/console.log" < /dev/null > "$run/qemu.log" 2>&1 &
qpid=$!
deadline=$(($(date +%s) + timeout))
while kill -0 "$qpid" 2> /dev/null && [ "$(date +%s)" -lt "$deadline" ]; do
        sleep 1
done
if kill -0 "$qpid" 2> /dev/null; then
        say "error: timeout after ${timeout}s, killing qemu; console tail:"
        tail -n 30 "$job/console.log" >&2
        exit 124
fi
wait "$qpid"
qrc=$?
qpid=
wall=$((($(date +%s%N) - t0) / 1000000))
boot=$(cat "$job/boot-seconds" 2> /dev/null || echo '?')
say "mode=$mode qemu rc=$qrc wall=$((wall / 1000)).$((wall % 1000 / 100))s guest uptime at job start=${boot}s"
if [ ! -f "$job/rc" ]; then
        say "error: the guest produced no rc; qemu said: $(tr '\n' ' ' < "$run/qemu.log")"
        say "console tail ($job/console.log):"
        tail -n 40 "$job/console.log" >&2
        exit 125
fi
cat "$job/out.log"
exit "$(cat "$job/rc")"
