#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Runs inside the VM test bed (cwd: the job directory shared from the host), in one boot per
# SELinux mode: asserts what the guest kernel and systemd observably do with berth. TAP output.
# Usage: guest-checks.sh permissive|enforcing
set -u
mode=$1
job=$(pwd)
. ./tap.sh

# The bed itself: the mode asked for, SELinux active, cgroup v2 with the controllers the limits need.
expected_mode=$([ "$mode" = enforcing ] && echo Enforcing || echo Permissive)
check_eq "SELinux mode is $mode" "$(getenforce)" "$expected_mode"
check "SELinux is an active LSM" grep -qw selinux /sys/kernel/security/lsm
check_eq "the job runs as unconfined_t" "$(id -Z | cut -d: -f3)" unconfined_t
check_eq "/sys/fs/cgroup is cgroup v2" "$(stat -f -c %T /sys/fs/cgroup)" cgroup2fs
for c in cpu memory pids; do
        check "cgroup v2 controller $c is available" grep -qw "$c" /sys/fs/cgroup/cgroup.controllers
done

# berth from the host's build runs in the guest (same ABI).
install -m 0755 "$job/bin/berth" /usr/local/bin/berth
restorecon /usr/local/bin/berth
check_eq "berth from this build is labelled bin_t in the guest" \
        "$(stat -c %C /usr/local/bin/berth | cut -d: -f3)" bin_t
version=$(berth --version 2>&1)
check "berth --version runs in the guest ($version)" test "${version%% *}" = berth

tap_done
