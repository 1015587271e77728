#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# berth-generator run by hand as systemd runs it at boot (before journald): a broken
# NAME.container is reported on stderr and in the kernel log (/dev/kmsg, one record per
# message, read back with dmesg), the good ones are still linked, and the exit status is 0: a
# broken file must not fail the boot transaction (issue 15).
# Usage: test-generator-log.sh GENERATOR TAP_SH
set -u
gen=$1
. "$2"
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
mkdir -p "$W/etc" "$W/out"
printf '[Container]\nExec=/bin/true\nBogusKey=1\n' > "$W/etc/broken.container"
printf '[Container]\nExec=/bin/true\n[Install]\nWantedBy=machines.target\n' > "$W/etc/good.container"
printf '[Container]\nExec=/bin/true\n[Install]\nWantedBy=machines.target\n' > "$W/etc/bad..name.container"
BERTH_CONFIG_PATH=$W/etc "$gen" "$W/out" "$W/out" "$W/out" 2> "$W/stderr"
check_eq "broken files are skipped and the generator exits 0" "$?" 0
check "stderr names the file, line and key" grep -q "$W/etc/broken.container:3: .*BogusKey" "$W/stderr"
check "the good container is still linked" test -L "$W/out/machines.target.wants/berth@good.service"
check "an invalid file name is reported" grep -q 'bad..name.*not a valid container name' "$W/stderr"
if [ -w /dev/kmsg ] && dmesg > /dev/null 2>&1; then
        check "the kernel log has the complaint, as berth-generator[PID]" \
                bash -c "dmesg | grep -q 'berth-generator\[[0-9]*\]: $W/etc/broken.container:3: .*BogusKey'"
else
        fail "/dev/kmsg is writable and dmesg readable here (run as root)"
fi
tap_done
