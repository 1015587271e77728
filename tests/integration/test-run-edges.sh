#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# What a container controls is hostile input to the host side (issue 13): its /etc/passwd and
# /etc/group, its process names, its output, its notify socket.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
it_setup
IT_ROOT=$IT_WORK/root
it_build_root "$IT_ROOT"

# Runs container NAME under a hard bound: a start that hangs is a failed check (rc 124/137),
# never a stuck test.
bounded_run() {
        local name=$1
        IT_OUT=$IT_WORK/$name.out IT_ERR=$IT_WORK/$name.err
        timeout -k 5 20 "$BERTH" run --register=no "$name" </dev/null >"$IT_OUT" 2>"$IT_ERR"
        IT_RC=$?
}

# Finding 9: a FIFO (or anything not a regular file) at the container's /etc/passwd or /etc/group
# fails the start at once with a clear error; before the fix open() waited for a writer forever.
for db in passwd group; do
        root=$IT_WORK/root-fifo-$db
        it_build_root "$root"
        rm -f "$root/etc/$db"
        mkfifo "$root/etc/$db"
        it_container "fifo-$db" <<C
[Container]
Directory=$root
User=tester
Exec=/probe pid
C
        bounded_run "fifo-$db"
        check_eq "FIFO at /etc/$db: the start fails (125), it does not hang" "$IT_RC" "125"
        check "FIFO at /etc/$db: the error names the file and why" \
                grep -q "container's /etc/$db: not a regular file" "$IT_ERR"
        [ "$IT_RC" = 125 ] || diag "$(cat "$IT_ERR")"
done

# A symlink there is refused too (O_NOFOLLOW), even one that stays inside the root.
root=$IT_WORK/root-symlink
it_build_root "$root"
mv "$root/etc/passwd" "$root/etc/passwd.real"
ln -s passwd.real "$root/etc/passwd"
it_container symlink-passwd <<C
[Container]
Directory=$root
User=tester
Exec=/probe pid
C
bounded_run symlink-passwd
check_eq "symlink at /etc/passwd: the start fails (125)" "$IT_RC" "125"
check "symlink at /etc/passwd: the error says so" grep -q "container's /etc/passwd: it is a symlink" "$IT_ERR"

# A regular /etc/passwd keeps working through the new reader (uid, gid, supplementary groups).
it_container user-ok <<C
[Container]
Directory=$IT_ROOT
User=tester
Exec=/bin/id -G
C
bounded_run user-ok
check_eq "User=tester still resolves from regular files" "$IT_RC/$(cat "$IT_OUT")" "0/1000 29"

# Finding 14: Docker's masks /proc/interrupts and each CPU's thermal_throttle; /dev/shm, /run and
# /tmp have a size limit (ShmSize=, RunSize=, TmpSize=), read back with statfs inside.
cat >"$IT_ROOT/fs-facts.sh" <<'EOS'
#!/bin/sh
for m in /dev/shm /run /tmp; do
        echo "$m $(/bin/busybox stat -f -c '%b*%S' "$m")"
done
for m in / /dev /dev/shm /run /tmp; do
        echo "inodes $m $(/bin/busybox stat -f -c %c "$m")"
done
echo "interrupts $(/bin/busybox wc -c </proc/interrupts)"
for t in /sys/devices/system/cpu/cpu*/thermal_throttle; do
        [ -d "$t" ] && echo "$t $(/bin/busybox stat -f -c %t "$t") $(/bin/busybox ls -A "$t" | /bin/busybox wc -l)"
done
# the masked directories: device (one tmpfs for all), file system type, entries, writable?
for d in /proc/acpi /sys/firmware /sys/fs/cgroup /sys/devices/system/cpu/cpu*/thermal_throttle; do
        [ -d "$d" ] || continue
        w=rw
        /bin/busybox touch "$d/x" 2>/dev/null || w=ro
        echo "emptydir $d $(/bin/busybox stat -c %d "$d") $(/bin/busybox stat -f -c %t "$d") $(/bin/busybox ls -A "$d" | /bin/busybox wc -l) $w"
done
exit 0
EOS
chmod 755 "$IT_ROOT/fs-facts.sh"
fact() { sed -n "s|^$1 ||p" "$IT_OUT"; }
bytes() { echo $(($(fact "$1"))); }
pages=$(($(sed -n 's/^MemTotal: *\([0-9]*\) kB$/\1/p' /proc/meminfo) / 4))
pct_bytes() { echo $(((($1 * 4096 * pages / 100) + 4095) / 4096 * 4096)); } # tmpfs's size=N%
it_container fs-default <<C
[Container]
Directory=$IT_ROOT
Exec=/fs-facts.sh
C
it_run fs-default
check_eq "/dev/shm is 64M by default" "$(bytes /dev/shm)" $((64 << 20))
check_eq "/run is 20% of memory by default" "$(bytes /run)" "$(pct_bytes 20)"
check_eq "/tmp is 20% of memory by default" "$(bytes /tmp)" "$(pct_bytes 20)"
# Inodes are kernel memory that size= does not count (about 0.8 KiB each, unreclaimable; 100000
# empty files in the 64K /dev took 78 MB of slab): tmpfs's default, half the host's pages
# (millions each), let a default container take gigabytes with empty files.
check_eq "/dev has at most 4096 inodes" "$(fact "inodes /dev")" 4096
check_eq "/dev/shm has at most 65536 inodes" "$(fact "inodes /dev/shm")" 65536
check_eq "/run has at most 131072 inodes" "$(fact "inodes /run")" 131072
check_eq "/tmp has at most 409600 inodes" "$(fact "inodes /tmp")" 409600
check_eq "/proc/interrupts reads empty (masked)" "$(fact interrupts)" 0
host_tt=$(ls -d /sys/devices/system/cpu/cpu*/thermal_throttle 2>/dev/null | wc -l)
# Where the host's CPUs have none, the container must show none either (nothing left unmasked).
check_eq "each of the host's $host_tt thermal_throttle dirs is an empty tmpfs" \
        "$(grep -c '/thermal_throttle 1021994 0$' "$IT_OUT")" "$host_tt"
check_eq "no thermal_throttle inside is left unmasked" \
        "$(grep '/thermal_throttle ' "$IT_OUT" | grep -vc ' 1021994 0$')" 0
# Every masked directory (and, unregistered, /sys/fs/cgroup) is the same empty read-only tmpfs:
# binds of one file system, not a superblock each.
n_empty=$(grep -c '^emptydir ' "$IT_OUT")
check "at least two masked directories exist on this kernel ($n_empty)" test "$n_empty" -ge 2
check_eq "each masked directory is an empty read-only tmpfs" \
        "$(grep '^emptydir ' "$IT_OUT" | grep -vc ' 1021994 0 ro$')" 0
check_eq "all masked directories are one file system" \
        "$(sed -n 's/^emptydir [^ ]* \([0-9]*\) .*/\1/p' "$IT_OUT" | sort -u | wc -l)" 1

# The same for an ephemeral root's upper layer (the scratch tmpfs; an overlay's statfs is its
# upper layer's): what the container writes to / went there unbounded.
it_container fs-ephemeral <<C
[Container]
Directory=$IT_ROOT
Ephemeral=yes
Exec=/fs-facts.sh
C
it_run fs-ephemeral
check_eq "an ephemeral root's upper layer has at most 1048576 inodes" "$(fact "inodes /")" 1048576
it_container fs-sized <<C
[Container]
Directory=$IT_ROOT
Exec=/fs-facts.sh
[Files]
ShmSize=8M
RunSize=12M
TmpSize=5%
C
it_run fs-sized
check_eq "ShmSize=8M: /dev/shm is 8M" "$(bytes /dev/shm)" $((8 << 20))
check_eq "RunSize=12M: /run is 12M" "$(bytes /run)" $((12 << 20))
check_eq "TmpSize=5%: /tmp is 5% of memory" "$(bytes /tmp)" "$(pct_bytes 5)"
[ "$IT_RC" = 0 ] || diag "fs-sized: exit $IT_RC: $(cat "$IT_ERR")"
it_container fs-bad <<C
[Container]
Directory=$IT_ROOT
[Files]
TmpSize=150%
C
it_run fs-bad
check "TmpSize=150% is refused with file:line and the key" \
        grep -q "fs-bad.container:4.*TmpSize" "$IT_ERR"

# Finding 16: an explicit SELinuxLabel= pair is reserved while its container runs: a container
# whose pick would land on that pair gets another one. (Labels are computed and recorded in the
# state file whether or not SELinux is on.)
mcs_of() { sed -n 's/^LABEL=.*:s0:\(c[0-9]*,c[0-9]*\)$/\1/p' "$BERTH_STATE_DIR/$1/state"; }
lbl_stop() { kill -TERM "$IT_BG_PID"; it_wait; }
sleeper() { # NAME [EXTRA LINES]: a container that runs until SIGTERM
        it_container "$1" <<C
[Container]
Directory=$IT_ROOT
Exec=/bin/sh -c 'trap "exit 0" TERM; sleep 30 & wait'
${2:-}
C
}
sleeper mcs-pick
if it_start mcs-pick; then
        pair=$(mcs_of mcs-pick) # what mcs-pick gets when nothing is in its way
        lbl_stop
        sleeper mcs-fixed "[Security]
SELinuxLabel=system_u:system_r:berth_container_t:s0:$pair"
        if it_start mcs-fixed; then
                fixed_pid=$IT_BG_PID
                if it_start mcs-pick; then
                        got=$(mcs_of mcs-pick)
                        check "a pick steps over the pair SELinuxLabel= holds ($pair; got ${got:-none})" \
                                test -n "$got" -a "$got" != "$pair"
                        lbl_stop
                else
                        fail "mcs-pick did not start beside mcs-fixed: $(head -c 300 "$IT_ERR")"
                fi
                IT_BG_PID=$fixed_pid
                lbl_stop
        else
                fail "mcs-fixed did not start: $(head -c 300 "$IT_ERR")"
        fi
else
        fail "mcs-pick did not start: $(head -c 300 "$IT_ERR")"
fi

# Finding 19: a payload flooding its notify socket (Notify=yes) with STATUS= datagrams must not
# keep the supervisor from forwarding SIGTERM. The supervisor relays STATUS= to a manager socket
# (NOTIFY_SOCKET, drained by a listener here), as under berth@.service. Bounded: a supervisor
# that never gets to its signals fails the check instead of hanging the test.
python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
print("listening", flush=True)
while True:
    s.recv(65536)' "$IT_WORK/manager.sock" >"$IT_WORK/listener.out" &
IT_PIDS+=("$!")
for _ in $(seq 100); do grep -q listening "$IT_WORK/listener.out" && break; sleep 0.1; done
it_container flood <<C
[Container]
Directory=$IT_ROOT
Notify=yes
Exec=/probe notify-flood 8
C
if NOTIFY_SOCKET=$IT_WORK/manager.sock it_start flood && it_wait_output '^flooding'; then
        kill -TERM "$IT_BG_PID"
        for _ in $(seq 200); do kill -0 "$IT_BG_PID" 2>/dev/null || break; sleep 0.1; done
        if kill -0 "$IT_BG_PID" 2>/dev/null; then
                fail "notify flood: SIGTERM to the supervisor stops the container (still running after 20 s)"
                kill -KILL "$IT_BG_PID"
                it_wait
        else
                it_wait
                check_eq "notify flood: SIGTERM reaches the payload, the container stops (exit 0)" \
                        "$IT_RC/$(sed -n 2p "$IT_OUT")" "0/signal 15"
        fi
else
        fail "notify flood: the container did not start: $(head -c 300 "$IT_ERR")"
fi

# A payload looping STATUS= must not make the service manager (PID 1 of the host) do work per
# datagram: the supervisor relays at most NOTIFY_LIMIT_BURST messages at once and
# NOTIFY_LIMIT_RATE a second after that, coalescing the rest into one message that keeps the
# latest STATUS=. The payload (python3 of the default root, the host's) sends 20000 STATUS=N as
# fast as it can, then waits, sending nothing, until the listener has its last STATUS= (a file in
# a directory bound into the container says so): the supervisor sends what it held back when the
# bucket allows, not only when the payload ends. The bound follows from the bucket over the whole
# run's measured time (which holds the relay's): BURST + RATE * seconds, with 10 to spare (berth's
# own STOPPING=1, rounding). Before the limiter the manager got all 20000.
flood_listen() { # counts what reaches $IT_WORK/flood-manager.sock until STOPPING=1 (or 60 s of silence)
        rm -rf "$IT_WORK/flood-manager.sock" "$IT_WORK/flood-manager.log" "$IT_WORK/flood-flag"
        mkdir -m 0755 "$IT_WORK/flood-flag"
        python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1]); s.settimeout(60)
print("listening", flush=True)
n, last = 0, "none"
while True:
    try: m = s.recv(4096).decode()
    except socket.timeout: break
    n += 1
    for line in m.split("\n"):
        if line.startswith("STATUS="): last = line
    if last == "STATUS=20000": open(sys.argv[3] + "/got-last", "w").close()
    if "STOPPING=1" in m: break
with open(sys.argv[2], "w") as log: print(n, last, file=log)
' "$IT_WORK/flood-manager.sock" "$IT_WORK/flood-manager.log" "$IT_WORK/flood-flag" >"$IT_WORK/flood-listener.out" &
        FLOOD_LISTENER=$!
        IT_PIDS+=("$FLOOD_LISTENER")
        for _ in $(seq 300); do grep -q listening "$IT_WORK/flood-listener.out" && break; sleep 0.1; done
}
it_container status-flood <<C
[Container]
Notify=yes
Exec=/usr/bin/python3 -c 'import os, socket, time; s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); s.connect(os.environ["NOTIFY_SOCKET"]); [s.send(("STATUS=" + str(i)).encode()) for i in range(1, 20001)]; [time.sleep(0.05) for _ in range(200) if not os.path.exists("/mnt/got-last")]; print("sent", "seen" if os.path.exists("/mnt/got-last") else "unseen", flush=True)'
[Files]
Bind=$IT_WORK/flood-flag:/mnt:ro
C
flood_listen
start=$(date +%s%N)
NOTIFY_SOCKET=$IT_WORK/flood-manager.sock bounded_run status-flood
elapsed_ms=$((($(date +%s%N) - start) / 1000000))
wait "$FLOOD_LISTENER"
read -r got last <"$IT_WORK/flood-manager.log"
allowed=$((10 + 10 * elapsed_ms / 1000 + 1 + 10))
check_eq "STATUS= flood: the run ends (0) after the payload sent all" "$IT_RC/$(cut -d' ' -f1 "$IT_OUT")" "0/sent"
[ "$IT_RC" = 0 ] || diag "$(head -c 500 "$IT_ERR")"
check "STATUS= flood: the manager got $got messages in $elapsed_ms ms, at most $allowed (10 + 10/s)" \
        test "$got" -le "$allowed"
check_eq "STATUS= flood: the payload's last STATUS= reaches the manager" "$last" "STATUS=20000"
check_eq "STATUS= flood: ... while the payload runs and sends nothing more" "$(cat "$IT_OUT")" "sent seen"
# No NOTIFY_SOCKET for berth: nothing listens, nothing is relayed, the flood costs the run nothing
# (the payload does not wait for the listener here).
flood_listen
touch "$IT_WORK/flood-flag/got-last"
bounded_run status-flood
check_eq "STATUS= flood without NOTIFY_SOCKET: the run ends (0)" "$IT_RC/$(cat "$IT_OUT")" "0/sent seen"
python3 -c 'import socket, sys; s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); s.sendto(b"STOPPING=1", sys.argv[1])' \
        "$IT_WORK/flood-manager.sock"
wait "$FLOOD_LISTENER"
check_eq "STATUS= flood without NOTIFY_SOCKET: nothing relayed (only the test's own STOPPING=1)" \
        "$(cat "$IT_WORK/flood-manager.log")" "1 none"

# /run/host/notify is berth's own STATE_DIR/NAME/notify. A container whose root is host root there
# (PrivateUsers=no or identity) replaced the socket with a directory through it, and every later
# start of the container failed to bind the socket ("Address already in use"). The directory is
# bound read-only: nothing is made or removed in it, and the socket still takes the payload's
# datagrams.
python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
print("listening", flush=True)
with open(sys.argv[2], "w") as log:
    while True:
        log.write(s.recv(65536).decode().replace("\n", " ") + "\n"); log.flush()' \
        "$IT_WORK/manager-ro.sock" "$IT_WORK/manager-ro.log" >"$IT_WORK/listener-ro.out" &
IT_PIDS+=("$!")
for _ in $(seq 100); do grep -q listening "$IT_WORK/listener-ro.out" && break; sleep 0.1; done
for mode in no identity; do
        it_container "notify-ro-$mode" <<C
[Container]
Directory=$IT_ROOT
Notify=yes
Exec=/bin/sh -c 'rm -f /run/host/notify/notify; mkdir /run/host/notify/notify /run/host/notify/planted; /probe notify READY=1; sleep 1'
[Security]
PrivateUsers=$mode
C
        ready=$(grep -cx READY=1 "$IT_WORK/manager-ro.log")
        NOTIFY_SOCKET=$IT_WORK/manager-ro.sock bounded_run "notify-ro-$mode"
        check_eq "PrivateUsers=$mode: the run ends (0)" "$IT_RC" 0
        check_eq "PrivateUsers=$mode: the socket is left in place, the payload's READY=1 is relayed" \
                "$(grep -x sent "$IT_OUT")/$(grep -cx READY=1 "$IT_WORK/manager-ro.log")" "sent/$((ready + 1))"
        check "PrivateUsers=$mode: nothing is made in berth's state directory" \
                test ! -e "$BERTH_STATE_DIR/notify-ro-$mode/notify/planted"
        NOTIFY_SOCKET=$IT_WORK/manager-ro.sock bounded_run "notify-ro-$mode"
        check_eq "PrivateUsers=$mode: the next start binds the socket and runs (0)" "$IT_RC" 0
        [ "$IT_RC" = 0 ] || diag "$(cat "$IT_ERR")"
done

# berth run hands the payload its standard input as it is (no console): a directory there (`< /`)
# would give the payload the host's file tree past its root. Refused before anything is made:
# exit 125, the error names standard input, the payload never ran, no state is left.
H=$IT_WORK/hostdir # a directory of the host any user may search, with a readable file
mkdir -p "$H" && chmod 755 "$H"
echo "host file $$" >"$H/host-marker"
chmod 644 "$H/host-marker"
it_container dirin <<C
[Container]
Directory=$IT_ROOT
Exec=/bin/sh -c 'cat /proc/self/fd/0/host-marker; echo payload-ran'
C
timeout 60 "$BERTH" run --register=no dirin <"$H" >"$IT_WORK/dirin.out" 2>"$IT_WORK/dirin.err"
check_eq "run with a directory as stdin: refused (125)" "$?" 125
check "the error names standard input and the directory" \
        grep -q "standard input: a directory" "$IT_WORK/dirin.err"
check "the payload never ran" bash -c '! grep -q "payload-ran\|host file" "$1"' _ "$IT_WORK/dirin.out"
check "no state of it is left" test ! -e "$BERTH_STATE_DIR/dirin/state"
timeout 60 "$BERTH" run --register=no dirin <"$H/host-marker" >"$IT_WORK/dirin.out" 2>&1
check_eq "with a plain file as stdin it runs (0)" "$?" 0

tap_done
