#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Start/stop cycles on the plain host (berth run --register=no): $BERTH_CYCLES runs (default 1000)
# of a container whose payload exits at once must all succeed and leave the host as it was: the
# same mount table (no mount added), no process left in the cgroup this test runs in, no child cgroup, the same
# number of open fds in this shell, a state directory that does not grow. Prints the time per
# cycle. The whole test runs in its own cgroup (/sys/fs/cgroup/unified/berth-test-cycles-PID) so
# that leftover processes can be counted exactly, and in its own mount namespace (a private copy
# of the host's) so that mounts other tests make on the host meanwhile do not show as changes.
# Environment from meson: BERTH, PROBE, TAP_SH, IT_LIB; BERTH_CYCLES.
set -u
. "${IT_LIB:?}"

if [ -z "${HARDENING_PRIVATE_NS:-}" ]; then
        HARDENING_PRIVATE_NS=1 exec unshare --mount --propagation private bash "$0" "$@"
fi
cycles=${BERTH_CYCLES:-1000}
it_setup
IT_ROOT=$IT_WORK/root
it_build_root "$IT_ROOT"
it_container cyc <<EOF
[Container]
Directory=$IT_ROOT
Exec=/bin/sh -c :
EOF

CG=/sys/fs/cgroup/unified/berth-test-cycles-$$
home_cg=/sys/fs/cgroup/unified$(sed -n 's/^0:://p' /proc/self/cgroup)
cleanup() {
        echo $$ >"$home_cg/cgroup.procs" 2>/dev/null
        rmdir "$CG" 2>/dev/null
        it_cleanup
}
trap cleanup EXIT
mkdir "$CG" && echo $$ >"$CG/cgroup.procs"
check_eq "the test runs in its own cgroup" "$(sed -n 's/^0:://p' /proc/self/cgroup)" "/berth-test-cycles-$$"

state_entries() { find "$BERTH_STATE_DIR" 2>/dev/null | wc -l; }
left_procs() { # sets LEFT: the cgroup's processes but this shell (builtins only: no helper process)
        local p procs
        mapfile -t procs <"$CG/cgroup.procs"
        LEFT=
        for p in "${procs[@]}"; do
                [ "$p" != $$ ] && LEFT+="$p($(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null)) "
        done
}

it_run cyc # one cycle first: the state directory's own files exist from then on
check_eq "first cycle exits 0" "$IT_RC" 0
mounts_before=$(it_mountinfo)
# This shell's fds as numbers and targets (pipes without their inode: the $(...) reading them has
# a new one each time). Taken after the shell has once done what it does after the cycles (a
# redirected function, a builtin reading a file), so that only fds the cycles left are compared,
# not ones bash keeps for itself; a difference shows which fd it is.
shell_fds() { find "/proc/$$/fd" -mindepth 1 -printf '%f %l\n' | sed 's/ pipe:\[[0-9]*\]$/ pipe/' | sort -n; }
it_mountinfo >/dev/null
left_procs
fds_before=$(shell_fds)
entries_before=$(state_entries)
files_before=$(awk '{print $1}' /proc/sys/fs/file-nr)

failed=0 first_error=
t0=$(date +%s%N)
for i in $(seq "$cycles"); do
        "$BERTH" run --register=no cyc </dev/null >/dev/null 2>"$IT_WORK/cycle.err"
        rc=$?
        if [ "$rc" != 0 ]; then
                failed=$((failed + 1))
                [ -n "$first_error" ] || first_error="cycle $i: exit $rc: $(head -c 200 "$IT_WORK/cycle.err")"
        fi
done
t1=$(date +%s%N)
diag "$cycles cycles in $(((t1 - t0) / 1000000)) ms: $(((t1 - t0) / 1000 / cycles)) us per start+stop"
diag "host file handles allocated: $files_before before, $(awk '{print $1}' /proc/sys/fs/file-nr) after (whole host, informational)"
check_eq "all $cycles cycles exit 0 ${first_error:+($first_error)}" "$failed" 0
it_mountinfo >"$IT_WORK/mounts.after"
# Only additions count: a directory another test removes takes its mounts out of every namespace.
check_eq "no mount was added to the host's mount table" \
        "$(echo "$mounts_before" | diff - "$IT_WORK/mounts.after" | grep '^>')" ""
for _ in $(seq 300); do left_procs && [ -z "$LEFT" ] && break; sleep 0.1; done # exiting helpers (30 s)
check_eq "no process of the cycles is left in the test's cgroup" "$LEFT" ""
check_eq "no cgroup was created below the test's cgroup" "$(find "$CG" -mindepth 1 -type d | wc -l)" 0
check_eq "this shell holds the same fds as before" "$(shell_fds)" "$fds_before"
check_eq "the state directory did not grow" "$(state_entries)" "$entries_before"
check "berth list shows nothing running" bash -c "'$BERTH' list | grep -qx 'No containers.'"
tap_done
