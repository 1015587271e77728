#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# berth run: Bind=, BindReadOnly= and TemporaryFileSystem= targets that resolve into the container's
# /proc or /sys are refused. Binds are attached after /proc and /sys are mounted, so an image
# symlink such as /x -> /proc/thread-self/attr would put a bind over the payload's own
# /proc/1/task/1/attr, where berth writes the SELinux exec label (CVE-2019-16884). The start fails
# with an error naming the key, the entry and the file system; the payload never runs.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
it_setup
IT_ROOT=$IT_WORK/root
it_build_root "$IT_ROOT"
mkdir -p "$IT_WORK/src" "$IT_ROOT/data"
echo host > "$IT_WORK/src/file"
ln -sfn /proc/thread-self/attr "$IT_ROOT/attr-link"
ln -sfn /proc/self "$IT_ROOT/self-link"
ln -sfn /sys/kernel "$IT_ROOT/sys-link"
ln -sfn /data "$IT_ROOT/data-link"
mounts_before=$(it_mountinfo)

# NAME KEY=VALUE FSTYPE DESCRIPTION: the start is refused, the error names key, value and fstype.
refused() {
        local name=$1 line=$2 fstype=$3 what=$4
        it_container "$name" <<C
[Container]
Directory=$IT_ROOT
Exec=/probe write /tmp/ran
[Files]
$line
C
        it_run "$name"
        check_eq "$what: refused (exit status 125)" "$IT_RC" 125
        check "$what: the error names ${line%%=*}=, the entry and $fstype ($(head -c 300 "$IT_ERR"))" \
                grep -qF -e "${line%%=*}=${line#*=}: the target" "$IT_ERR"
        check "$what: ... and the file system" grep -qF "resolves into the container's $fstype" "$IT_ERR"
        check "$what: the payload did not run" test ! -s "$IT_OUT"
}

refused attr "Bind=$IT_WORK/src:/attr-link" procfs \
        "Bind= onto an image symlink to /proc/thread-self/attr"
refused self "TemporaryFileSystem=/self-link" procfs \
        "TemporaryFileSystem= onto an image symlink to /proc/self"
refused sys "BindReadOnly=$IT_WORK/src:/sys-link" sysfs \
        "BindReadOnly= onto an image symlink to /sys/kernel"
refused named "Bind=$IT_WORK/src:/proc/sys/kernel" procfs "Bind= naming /proc/sys/kernel directly"
# Unregistered, /sys/fs/cgroup is an empty tmpfs: refused all the same, it lies inside /sys.
refused cgroup "TemporaryFileSystem=/sys/fs/cgroup" sysfs \
        "TemporaryFileSystem= onto /sys/fs/cgroup (a tmpfs mounted inside /sys)"

# /run/host/notify (Notify=yes) is resolved after the binds: a Bind= over /run/host whose source the
# container could write (here: holding a symlink notify -> /proc/thread-self/attr) must not send
# the notify socket's mount into /proc either.
mkdir -p "$IT_WORK/runhost"
ln -sfn /proc/thread-self/attr "$IT_WORK/runhost/notify"
it_container notify <<C
[Container]
Directory=$IT_ROOT
Notify=yes
Exec=/probe write /tmp/ran
[Files]
Bind=$IT_WORK/runhost:/run/host:idmap
C
it_run notify
check_eq "Notify=yes with /run/host/notify a symlink to /proc/thread-self/attr: refused (exit status 125)" \
        "$IT_RC" 125
check "... the error says so ($(head -c 200 "$IT_ERR"))" \
        grep -qF "Refusing to mount the notify socket: /run/host/notify resolves into the container's procfs" "$IT_ERR"
check "... the payload did not run" test ! -s "$IT_OUT"

# /run/host/container-manager is written at every Boot=/Notify= start: from such a writable /run/host
# source, a FIFO of that name left by the container's previous run kept the start blocked in
# open() for ever (the supervisor not even stopped by SIGTERM). It is replaced, never opened.
rm -rf "$IT_WORK/runhost"
mkdir -p "$IT_WORK/runhost"
mkfifo "$IT_WORK/runhost/container-manager"
it_container cmfifo <<C
[Container]
Directory=$IT_ROOT
Notify=yes
Exec=/probe read /run/host/container-manager
[Files]
Bind=$IT_WORK/runhost:/run/host:idmap
C
"$BERTH" run --register=no cmfifo </dev/null >"$IT_WORK/cmfifo.out" 2>"$IT_WORK/cmfifo.err" &
cmfifo_pid=$!
IT_PIDS+=("$cmfifo_pid")
for _ in $(seq 200); do
        kill -0 "$cmfifo_pid" 2>/dev/null || break
        sleep 0.1
done
if kill -0 "$cmfifo_pid" 2>/dev/null; then
        # Still blocked: a reader releases the open, then the run ends as it would have.
        timeout 5 cat "$IT_WORK/runhost/container-manager" >/dev/null
        check "a FIFO at /run/host/container-manager does not block the start" false
        wait "$cmfifo_pid"
else
        wait "$cmfifo_pid"
        check_eq "a FIFO at /run/host/container-manager does not block the start (exit status 0)" "$?" 0
        check_eq "... the payload reads berth's 6 bytes there ($(head -c 200 "$IT_WORK/cmfifo.err"))" \
                "$(cat "$IT_WORK/cmfifo.out")" "ok 6"
        check "... which replaced the FIFO" test -f "$IT_WORK/runhost/container-manager" -a \
                ! -p "$IT_WORK/runhost/container-manager"
fi

# berth's own mounts after /proc (/run, /tmp) follow the same rule: an image whose /tmp is a
# symlink to /proc/self/attr does not get its tmpfs over the payload's attr directory.
IT_ROOT2=$IT_WORK/root2
it_build_root "$IT_ROOT2"
rmdir "$IT_ROOT2/tmp" && ln -s /proc/self/attr "$IT_ROOT2/tmp"
it_container tmplink <<C
[Container]
Directory=$IT_ROOT2
Exec=/probe ls /proc/self/attr
C
it_run tmplink
check_eq "an image /tmp -> /proc/self/attr: refused (exit status 125)" "$IT_RC" 125
check "... the error names /tmp ($(head -c 200 "$IT_ERR"))" grep -qF "Failed to mount /tmp" "$IT_ERR"
check "... the payload did not run" test ! -s "$IT_OUT"

# A symlink to an ordinary directory of the image still takes the bind.
it_container ordinary <<C
[Container]
Directory=$IT_ROOT
Exec=/probe read /data/file
[Files]
BindReadOnly=$IT_WORK/src:/data-link
C
it_run ordinary
check_eq "BindReadOnly= onto an image symlink to /data: mounted there" "$(cat "$IT_OUT")" "ok 5"

check_eq "host mount table unchanged after all runs" "$(it_mountinfo)" "$mounts_before"
tap_done
