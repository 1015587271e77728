#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Runs inside the VM test bed (cwd: the job directory shared from the host), in one boot per
# SELinux mode: asserts what the guest kernel and systemd observably do with berth. TAP output.
# Usage: guest-checks.sh permissive|enforcing
set -u
mode=$1
job=$(pwd)
. ./tap.sh
. ./tap-relay.sh

# The bed itself: the mode asked for, SELinux active, cgroup v2 with the controllers the limits need.
expected_mode=$([ "$mode" = enforcing ] && echo Enforcing || echo Permissive)
check_eq "SELinux mode is $mode" "$(getenforce)" "$expected_mode"
check "SELinux is an active LSM" grep -qw selinux /sys/kernel/security/lsm
check_eq "the job runs as unconfined_t" "$(id -Z | cut -d: -f3)" unconfined_t
check_eq "/sys/fs/cgroup is cgroup v2" "$(stat -f -c %T /sys/fs/cgroup)" cgroup2fs
for c in cpu memory pids; do
        check "cgroup v2 controller $c is available" grep -qw "$c" /sys/fs/cgroup/cgroup.controllers
done

# This build of berth, staged by meson install on the host, installed into the guest's / and
# labelled by the guest's policy (the 9p share carries no useful labels).
tar -C root -cf - . | tar -C / -xf - --keep-directory-symlink --no-same-owner
(cd root && find . -mindepth 1 | cut -c2-) | xargs -r restorecon
systemctl daemon-reload
check_eq "berth from this build is labelled berth_exec_t in the guest (berth.fc)" \
        "$(stat -c %C /usr/local/bin/berth | cut -d: -f3)" berth_exec_t
version=$(berth --version 2>&1)
check "berth --version runs in the guest ($version)" test "${version%% *}" = berth

# --- Resource limits, enforced by the guest kernel on berth's scopes ----------------------------
# Containers are started the way an administrator does: /etc/berth/NAME.container (this guest is
# thrown away after the run) and systemctl start berth@NAME. Roots are busybox-static trees.
prop() { systemctl show -P "$2" "$1" 2> /dev/null; }
scope_cg() { echo "/sys/fs/cgroup$(prop "berth-$1.scope" ControlGroup)"; }
cg_key() { awk -v k="$2" '$1 == k { print $2 }' "$1" 2> /dev/null; } # FILE KEY: "KEY VALUE" files
leader() { berth status "$1" 2> /dev/null | sed -n 's/^ *Leader: \([0-9]*\).*/\1/p'; }
wait_journal() { # NAME TEXT: until the container's journal shows TEXT (60 s)
        for _ in $(seq 120); do
                journalctl -q -u "berth@$1.service" -o cat 2> /dev/null | grep -qF "$2" && return 0
                sleep 0.5
        done
        return 1
}
container() { # NAME [Resources] lines...; the payload, a shell script run as /payload, on stdin
        local name=$1 root=/var/lib/berth-vm/$1
        shift
        # Roots below a root-owned 0700 directory, as berth requires (berth.container(5), SECURITY).
        mkdir -p -m 0700 /var/lib/berth-vm && chmod 0700 /var/lib/berth-vm
        mkdir -p "$root"/{bin,dev,proc,sys,run,tmp,etc} /etc/berth
        cp /bin/busybox "$root/bin/busybox"
        for a in sh sleep dd cat echo; do ln -sf busybox "$root/bin/$a"; done
        printf 'root:x:0:0:root:/:/bin/sh\n' > "$root/etc/passwd"
        printf 'root:x:0:\n' > "$root/etc/group"
        cat > "$root/payload"
        printf '[Container]\nDirectory=%s\nExec=/bin/sh /payload\n[Resources]\n' "$root" > "/etc/berth/$name.container"
        printf '%s\n' "$@" >> "/etc/berth/$name.container"
}
started() { # NAME: systemctl start berth@NAME, with the journal as the diagnosis when it fails
        if systemctl start "berth@$1.service"; then return 0; fi
        journalctl -q -u "berth@$1.service" -o cat --no-pager | tail -n 5 | sed 's/^/# /'
        return 1
}
start_ok() { # NAME DESCRIPTION: one check; its status, so the checks that need the container can follow
        if started "$1"; then ok "$2"; else fail "$2"; return 1; fi
}
guest_oom_kills() { awk '$1 == "oom_kill" { print $2 }' /proc/vmstat; }

# A bystander with no limits, there before and after the others misbehave.
container calm <<'C'
exec sleep 100000
C
check "bystander container calm starts" started calm
calm_pid=$(leader calm)
oom_before=$(guest_oom_kills)

# The limits land in the scope's own cgroup files.
container lim MemoryMax=64M TasksMax=32 CPUQuota=20% <<'C'
exec sleep 100000
C
if start_ok lim "container lim (MemoryMax=64M TasksMax=32 CPUQuota=20%) starts"; then
        cg=$(scope_cg lim)
        diag "berth-lim.scope: $cg"
        check_eq "memory.max of berth-lim.scope" "$(cat "$cg/memory.max" 2>&1)" 67108864
        check_eq "pids.max of berth-lim.scope" "$(cat "$cg/pids.max" 2>&1)" 32
        check_eq "cpu.max of berth-lim.scope" "$(cat "$cg/cpu.max" 2>&1)" "20000 100000"
        pid=$(leader lim)
        check "the payload of lim runs inside berth-lim.scope" \
                grep -q "^0::${cg#/sys/fs/cgroup}/" "/proc/${pid:-0}/cgroup"
        systemctl stop berth@lim
fi

wait_cg() { # FILE KEY: until the "KEY VALUE" cgroup file counts at least one (60 s)
        for _ in $(seq 120); do
                [ "$(cg_key "$1" "$2")" -ge 1 ] 2> /dev/null && return 0
                sleep 0.5
        done
        return 1
}
# The payloads' own output is not used: in the guest it did not reliably reach the unit's journal
# (berth's output relay is not what these checks test); the kernel's counters and log are.
# MemoryMax=64M: a payload allocating 256M (dd's buffer) is OOM-killed inside the scope; the
# container's shell, the bystander and the host go on.
container mem MemoryMax=64M <<'C'
dd if=/dev/zero of=/dev/null bs=256M count=1
echo "hog-status=$?" >&2
exec sleep 100000
C
if start_ok mem "container mem (MemoryMax=64M) starts"; then
        cg=$(scope_cg mem)
        check "an OOM kill happened in berth-mem.scope (memory.events)" wait_cg "$cg/memory.events" oom_kill
        check "the kernel killed the 256M dd, not the container's shell" \
                bash -c "dmesg | grep -q 'Memory cgroup out of memory: Killed process [0-9]* (dd)'"
        kills=$(cg_key "$cg/memory.events" oom_kill)
        check "memory.events of berth-mem.scope counts the OOM kill (oom_kill=${kills:-?})" \
                test "${kills:-0}" -ge 1
        check "the kernel's OOM kill was confined to berth-mem.scope's memory cgroup" \
                bash -c "dmesg | grep -E 'oom-kill:constraint=CONSTRAINT_MEMCG' | grep -q 'oom_memcg=${cg#/sys/fs/cgroup}'"
        check_eq "berth status mem shows the OOM kill" \
                "$(berth status mem 2>&1 | sed -n 's/^ *OOM kills: //p')" "${kills:-?}"
        check_eq "the container survived its hog (berth-mem.scope active)" "$(prop berth-mem.scope ActiveState)" active
        check_eq "every OOM kill in the guest was the hog's" "$(($(guest_oom_kills) - oom_before))" "${kills:-0}"
        check_eq "bystander calm untouched: same payload PID" "$(leader calm)" "${calm_pid:-unknown}"
        check_eq "bystander calm untouched: no OOM kill in its scope" \
                "$(cg_key "$(scope_cg calm)/memory.events" oom_kill)" 0
        check_eq "the host untouched: no OOM kill in this job's cgroup" \
                "$(cg_key "/sys/fs/cgroup$(cut -d: -f3 /proc/self/cgroup)/memory.events" oom_kill)" 0
        systemctl stop berth@mem
fi

# TasksMax=32: forking beyond it fails with EAGAIN (an inner shell forks until refused, the outer
# one stays to keep the container up).
container tasks TasksMax=32 <<'C'
sh -c 'i=0; while [ $i -lt 64 ]; do sleep 100000 & i=$((i + 1)); done'
echo forks-done >&2
exec sleep 100000
C
if start_ok tasks "container tasks (TasksMax=32) starts"; then
        check "forks were refused in berth-tasks.scope (pids.events)" wait_cg "$(scope_cg tasks)/pids.events" max
        diag "tasks: $(journalctl -q -u berth@tasks.service -o cat | grep -v forks-done | sort | uniq -c | tr '\n' ' ')"
        check "fork beyond TasksMax=32 failed with EAGAIN (Resource temporarily unavailable)" \
                wait_journal tasks "can't fork: Resource temporarily unavailable"
        cg=$(scope_cg tasks)
        check "pids.events of berth-tasks.scope counts refused forks" test "$(cg_key "$cg/pids.events" max)" -ge 1
        check "pids.current of berth-tasks.scope is at most 32 ($(cat "$cg/pids.current"))" \
                test "$(cat "$cg/pids.current")" -le 32
        systemctl stop berth@tasks
fi

# CPUQuota=20%: a busy loop gets at most ~20% of a CPU, measured from the scope's cpu.stat
# usage_usec over 5 s of wall time (tolerance: 25%), and the quota actually throttled it.
container cpu CPUQuota=20% <<'C'
while :; do :; done
C
if start_ok cpu "container cpu (CPUQuota=20%) starts"; then
        cg=$(scope_cg cpu)
        sleep 1
        u0=$(cg_key "$cg/cpu.stat" usage_usec) t0=$(date +%s%N)
        sleep 5
        u1=$(cg_key "$cg/cpu.stat" usage_usec) t1=$(date +%s%N)
        share=$(((u1 - u0) * 1000 * 100 / (t1 - t0)))
        diag "cpu: usage $((u1 - u0)) us over $(((t1 - t0) / 1000)) us of wall time = ${share}% of a CPU"
        check "the busy loop got at most ~20% of a CPU (${share}% <= 25%)" test "$share" -le 25
        check "the busy loop ran (${share}% > 0%)" test "$share" -gt 0
        check "the quota throttled it (cpu.stat nr_throttled $(cg_key "$cg/cpu.stat" nr_throttled))" \
                test "$(cg_key "$cg/cpu.stat" nr_throttled)" -ge 1
        systemctl stop berth@cpu
fi
check_eq "bystander calm still runs the same payload at the end" "$(leader calm)" "${calm_pid:-unknown}"
systemctl stop berth@calm

# --- The demo's default root: the guest's own / as an ephemeral overlay, the payload confined ----
# No Directory=: the payload runs the guest's /bin/sh and reads /etc/os-release, in
# berth_container_t with its pair (under enforcing too); the root is read-only (ReadOnly=yes).
mkdir -p /usr/local/libexec
cat > /usr/local/libexec/berth-vm-demo << 'C'
#!/bin/sh
echo "demo-label=$(cat /proc/self/attr/current)"
. /etc/os-release && echo "demo-os=$ID"
if echo x 2> /dev/null > /etc/berth-demo-scratch; then echo demo-write=done; else echo demo-write=refused; fi
C
chmod 0755 /usr/local/libexec/berth-vm-demo
restorecon /usr/local/libexec/berth-vm-demo
printf '[Container]\nExec=/usr/local/libexec/berth-vm-demo\n' > /etc/berth/demo.container
systemctl start berth@demo
check "the default-root container ran the guest's /bin/sh and read its os-release" wait_journal demo "demo-os=debian"
check "its root is read-only: writing /etc was refused" wait_journal demo "demo-write=refused"
check "the guest's /etc got nothing" test ! -e /etc/berth-demo-scratch
demo_label=$(journalctl -q -u berth@demo.service -o cat | sed -n 's/^demo-label=//p' | tr -d '\0' | tail -n 1)
check "it ran as berth_container_t with an MCS pair ($demo_label)" \
        bash -c "[[ '$demo_label' =~ ^system_u:system_r:berth_container_t:s0:c[0-9]+,c[0-9]+$ ]]"

# Capability=CAP_SYS_BOOT: reboot(2) inside the container is allowed (the capability of its user
# namespace, for its own pid namespace) and ends the payload with SIGHUP, berth run exits 129;
# without it the call is refused and the payload goes on to exit 3.
declare -A boot_rc
for cap in yes no; do
        container "boot-$cap" <<'C'
/bin/busybox reboot -f
exit 3
C
        [ "$cap" = yes ] && printf '[Security]\nCapability=CAP_SYS_BOOT\n' >> "/etc/berth/boot-$cap.container"
        berth run "boot-$cap" < /dev/null > /dev/null 2>&1
        boot_rc[$cap]=$?
done
check_eq "Capability=CAP_SYS_BOOT: reboot(2) ends the container (exit 129)" "${boot_rc[yes]}" 129
check_eq "without it: reboot(2) is refused, the payload exits 3" "${boot_rc[no]}" 3

# --- The 32-bit x86 ABI's sockets (this guest kernel has IA32 emulation) ------------------------
# socket(2) as i386 syscall 359 gets the 64-bit rules (AF_ALG and AF_VSOCK: EAFNOSUPPORT);
# socketcall(SYS_SOCKET), whose family sits in memory no filter reads, is refused (ENOSYS) for any
# family. Unfiltered, the guest answers first, so a refusal inside is known to be the filter's.
probe_bin=$job/build/tests/integration/confine/confine-probe
i386_ops="x86_getpid x86_socket_alg x86_socket_vsock x86_socketcall_inet x86_socketcall_alg x86_socket_inet"
declare -A i386_host i386_in
while read -r op res; do i386_host[$op]=$res; done < <("$probe_bin" ops $i386_ops 2>&1)
diag "unfiltered in the guest: $(for o in $i386_ops; do printf '%s=%s ' "$o" "${i386_host[$o]:-?}"; done)"
check_eq "unfiltered: the guest kernel runs i386 code (int \$0x80 getpid)" "${i386_host[x86_getpid]:-}" ok
check_eq "unfiltered: i386 socketcall(SYS_SOCKET, AF_INET) makes a socket" "${i386_host[x86_socketcall_inet]:-}" ok
container i386 <<'C'
/confine-probe ops x86_getpid x86_socket_alg x86_socket_vsock x86_socketcall_inet x86_socketcall_alg x86_socket_inet
echo i386-probe-done
C
cp "$probe_bin" /var/lib/berth-vm/i386/confine-probe
systemctl start berth@i386
check "the i386 probe ran in a default container" wait_journal i386 i386-probe-done
while read -r op res; do i386_in[$op]=$res; done < <(journalctl -q -u berth@i386.service -o cat | grep '^x86_')
diag "in a default container: $(for o in $i386_ops; do printf '%s=%s ' "$o" "${i386_in[$o]:-?}"; done)"
check_eq "container: i386 getpid is allowed" "${i386_in[x86_getpid]:-}" ok
check_eq "container: i386 socket(AF_INET) (359) is allowed" "${i386_in[x86_socket_inet]:-}" ok
check_eq "container: i386 socket(AF_ALG) (359) fails with EAFNOSUPPORT (unfiltered: ${i386_host[x86_socket_alg]:-?})" \
        "${i386_in[x86_socket_alg]:-}" EAFNOSUPPORT
check_eq "container: i386 socket(AF_VSOCK) (359) fails with EAFNOSUPPORT (unfiltered: ${i386_host[x86_socket_vsock]:-?})" \
        "${i386_in[x86_socket_vsock]:-}" EAFNOSUPPORT
check_eq "container: i386 socketcall(SYS_SOCKET, AF_INET) is refused with ENOSYS" "${i386_in[x86_socketcall_inet]:-}" ENOSYS
check_eq "container: i386 socketcall(SYS_SOCKET, AF_ALG) is refused with ENOSYS" "${i386_in[x86_socketcall_alg]:-}" ENOSYS

# --- SELinux: MCS separation of containers (berth's module, policy/selinux/) --------------------
# Two containers, each with a /secret in its root. A process in A's exact label (A's payload
# label, running A's own busybox, as A's payload would) tries B's root and B's payload. Enforcing
# denies both; permissive lets them through; both log the AVC with A as source and B as target.
label_of() { cat "/proc/$1/attr/current" 2> /dev/null | tr -d '\0'; }
avc_seen() { # SOURCE-CONTEXT TARGET-LEVEL PERMISSIONS-ERE: such an AVC is in the audit log (10 s)
        for _ in $(seq 20); do
                grep -a 'avc: .*denied' /var/log/audit/audit.log | grep -F "scontext=$1 " |
                        grep -F "tcontext=" | grep -F ":$2 " | grep -qE "\{ ($3) \}" && return 0
                sleep 0.5
        done
        return 1
}
for n in sa sb; do
        container "$n" <<'C'
exec sleep 100000
C
        echo "secret of $n" > "/var/lib/berth-vm/$n/secret"
done
if start_ok sa "container sa starts (SELinux checks)" && start_ok sb "container sb starts (SELinux checks)"; then
        pa=$(leader sa) pb=$(leader sb)
        la=$(label_of "${pa:-0}") lb=$(label_of "${pb:-0}")
        diag "sa: pid $pa label $la; sb: pid $pb label $lb"
        for l in "$la" "$lb"; do
                check "payload label $l is berth_container_t with an MCS pair" \
                        bash -c "[[ '$l' =~ ^system_u:system_r:berth_container_t:s0:c([0-9]+),c([0-9]+)$ ]] &&
                                 (( BASH_REMATCH[1] < BASH_REMATCH[2] ))"
        done
        level_a=${la#*:*:*:} level_b=${lb#*:*:*:}
        check "the two containers' category pairs differ ($level_a, $level_b)" test "$level_a" != "$level_b"
        check_eq "sa's root carries sa's pair on disk" "$(stat -c %C /var/lib/berth-vm/sa/secret)" \
                "system_u:object_r:berth_container_file_t:$level_a"
        # A process in sa's label, started from the roots' parent (labelled like /var/lib/berth,
        # berth_container_file_t:s0, so the path lookup itself is not what is refused) with its
        # output going to a file in sa's root (it may not write to our unconfined_t pipes).
        chcon system_u:object_r:berth_container_file_t:s0 /var/lib/berth-vm
        as_a() {
                (cd /var/lib/berth-vm && runcon "$la" ./sa/bin/busybox "$@" < /dev/null > sa/as-a.out 2>&1)
                local rc=$?
                cat /var/lib/berth-vm/sa/as-a.out
                return $rc
        }
        check_eq "in sa's label, sa's own /secret reads" "$(as_a cat sa/secret)" "secret of sa"
        # Each container's own cgroup carries its file label and pair (what an init under Boot=yes
        # manages); what is made below it inherits them; another pair's is out of reach.
        cga=/sys/fs/cgroup$(cut -d: -f3 "/proc/${pa:-0}/cgroup") cgb=/sys/fs/cgroup$(cut -d: -f3 "/proc/${pb:-0}/cgroup")
        as_a_in() { # DIR ARGS: busybox ARGS in sa's label, with DIR as its working directory
                (cd "$1" && shift && runcon "$la" /var/lib/berth-vm/sa/bin/busybox "$@" < /dev/null \
                        > /var/lib/berth-vm/sa/as-a.out 2>&1)
                local rc=$?
                cat /var/lib/berth-vm/sa/as-a.out
                return $rc
        }
        check_eq "sa's cgroup ($cga) carries sa's file label and pair" "$(stat -c %C "$cga" 2>&1)" \
                "system_u:object_r:berth_container_file_t:$level_a"
        check_eq "so does its cgroup.procs" "$(stat -c %C "$cga/cgroup.procs" 2>&1)" \
                "system_u:object_r:berth_container_file_t:$level_a"
        check "in sa's label, a cgroup is made in sa's own cgroup" as_a_in "$cga" mkdir berth-vm-probe
        check_eq "it inherits sa's label and pair" "$(stat -c %C "$cga/berth-vm-probe/cgroup.procs" 2>&1)" \
                "system_u:object_r:berth_container_file_t:$level_a"
        rmdir "$cga/berth-vm-probe" 2> /dev/null
        cg_rc=0
        as_a_in "$cgb" mkdir berth-vm-probe > /dev/null || cg_rc=$?
        rmdir "$cgb/berth-vm-probe" 2> /dev/null
        if [ "$mode" = enforcing ]; then
                check "in sa's label, making a cgroup in sb's is refused" test "$cg_rc" -ne 0
        else
                check_eq "permissive: in sa's label, making a cgroup in sb's succeeds (only logged)" "$cg_rc" 0
        fi
        avc_cgroup_seen() { # SOURCE-CONTEXT TARGET-LEVEL: such an AVC on a cgroup2 object (10 s)
                for _ in $(seq 20); do
                        grep -a 'avc: .*denied' /var/log/audit/audit.log | grep -F "scontext=$1 " |
                                grep -F 'dev="cgroup2"' | grep -qF ":$2 " && return 0
                        sleep 0.5
                done
                return 1
        }
        check "the audit log has the AVC for sa reaching sb's cgroup" avc_cgroup_seen "$la" "$level_b"
        check "in sa's label, sa's own payload takes a signal (SIGCONT)" as_a kill -CONT "$pa"
        out=$(as_a cat sb/secret)
        signal_rc=0
        as_a kill -CONT "$pb" 2> /dev/null || signal_rc=$?
        if [ "$mode" = enforcing ]; then
                refused=$(grep -c 'Permission denied' <<< "$out")
                check "in sa's label, sb's /secret is refused ($out)" test "$refused" -ge 1
                check "in sa's label, signalling sb's payload is refused" test "$signal_rc" -ne 0
        else
                check_eq "permissive: in sa's label, sb's /secret reads (only logged)" "$out" "secret of sb"
                check_eq "permissive: in sa's label, signalling sb's payload succeeds (only logged)" "$signal_rc" 0
        fi
        check "the audit log has the AVC for sa reaching sb's file" avc_seen "$la" "$level_b" "search|read|open"
        check "the audit log has the AVC for sa signalling sb" avc_seen "$la" "$level_b" signal
        check_eq "sb's payload is still there" "$(label_of "${pb:-0}")" "$lb"
        # berth copy-to / copy-from (issue 21) under SELinux: the copy gets sa's own file label and
        # pair, so sa's payload reads it (under enforcing too), and copy-from brings it back.
        echo "copied into sa" > /tmp/copy-in
        check "berth copy-to sa" berth copy-to sa /tmp/copy-in /copied
        check_eq "the copied file carries sa's label and pair" \
                "$(stat -c %C /var/lib/berth-vm/sa/copied 2>&1)" "system_u:object_r:berth_container_file_t:$level_a"
        check_eq "in sa's label, the copied file reads" "$(as_a cat sa/copied)" "copied into sa"
        check "berth copy-to sa into its /tmp (a tmpfs mounted with context=)" berth copy-to sa /tmp/copy-in /tmp/copied
        check_eq "the copy in sa's /tmp carries sa's label and pair" \
                "$(stat -c %C "/proc/$pa/root/tmp/copied" 2>&1)" "system_u:object_r:berth_container_file_t:$level_a"
        rm -f /tmp/copy-out
        check "berth copy-from sa" berth copy-from sa /copied /tmp/copy-out
        check_eq "copy-from brings the content back" "$(cat /tmp/copy-out 2>&1)" "copied into sa"
        rm -f /tmp/copy-in /tmp/copy-out
        # berth exec from this shell (unconfined_t, s0-s0:c0.c1023) into a pipe and a file: the
        # command's stdout and stderr reach them through berth's relay (handed as they are, MCS
        # refused the command's writes under enforcing: the pair does not dominate c0.c1023).
        out=$(berth exec -T sa -- /bin/busybox sh -c 'echo to-stdout; echo to-stderr >&2' 2>&1 | cat)
        check_eq "berth exec -T sa: stdout and stderr reach the caller's pipe" \
                "$(printf '%s\n' "$out" | sort | tr '\n' ' ')" "to-stderr to-stdout "
        berth exec -T sa -- /bin/busybox echo to-file > /tmp/exec-out 2>&1
        check_eq "berth exec -T sa: stdout reaches the caller's file" "$(cat /tmp/exec-out 2>&1)" "to-file"
        check_eq "berth exec -T sa: the caller's stdin is read" \
                "$(echo from-stdin | berth exec -T sa -- /bin/busybox cat 2>&1)" "from-stdin"
        # -n: the relay reads nothing of the caller's stdin ahead (a `while read` loop keeps it).
        check_eq "berth exec -n sa: the command reads /dev/null, the caller's next read gets line a" \
                "$(printf 'a\nb\n' | { berth exec -n sa -- /bin/busybox cat; read -r x; echo "$x"; } 2>&1)" "a"
        rm -f /tmp/exec-out
        systemctl stop berth@sa berth@sb
fi
# Notify=yes under SELinux (both boots): the payload, in its own label, sends READY=1 to the
# supervisor's notify socket, whose file carries the container's label and pair; the unit
# becomes active (the socket was var_run_t before, which berth_container_t may not write to).
# The root is the guest's own / through berth's overlay, for systemd-notify.
printf '[Container]\nNotify=yes\nExec=/bin/sh -c "systemd-notify --ready; exec sleep 100000"\n' > /etc/berth/nt.container
mkdir -p /etc/systemd/system/berth@nt.service.d
printf '[Service]\nTimeoutStartSec=40s\n' > /etc/systemd/system/berth@nt.service.d/timeout.conf
systemctl daemon-reload
if start_ok nt "Notify=yes container nt: systemctl start returns on its READY=1"; then
        check_eq "nt is active" "$(systemctl show -P ActiveState berth@nt.service)" active
        lt=$(label_of "$(leader nt)")
        check_eq "the notify socket carries nt's file label and pair" "$(stat -c %C /run/berth/nt/notify/notify 2>&1)" \
                "system_u:object_r:berth_container_file_t:${lt#*:*:*:}"
fi
grep -a 'avc: .*denied' /var/log/audit/audit.log 2> /dev/null | grep -F berth_container_t | tail -n 8 | sed 's/^/# avc: /'
systemctl stop berth@nt.service
rm -rf /etc/berth/nt.container /etc/systemd/system/berth@nt.service.d
systemctl daemon-reload
# Relabel at start (issue 13, finding 17): a root whose top already carries the container's label
# still gets every file below relabelled; a label the image brings (a tarball xattr) is not trusted.
container relab <<'C'
exec sleep 100000
C
mkdir -p /var/lib/berth-vm/relab/deep/er
echo x > /var/lib/berth-vm/relab/deep/er/file
ln -sfn /etc/shadow /var/lib/berth-vm/relab/deep/link
if start_ok relab "container relab starts (relabel checks)"; then
        relab_label=$(stat -c %C /var/lib/berth-vm/relab)
        systemctl stop berth@relab
        foreign=system_u:object_r:berth_container_file_t:s0:c1,c2
        [ "$relab_label" = "$foreign" ] && foreign=system_u:object_r:berth_container_file_t:s0:c3,c4
        chcon "$foreign" /var/lib/berth-vm/relab/deep/er/file /var/lib/berth-vm/relab/payload
        chcon -h "$foreign" /var/lib/berth-vm/relab/deep/link
        shadow_before=$(stat -c %C /etc/shadow)
        diag "relab: root $(stat -c %C /var/lib/berth-vm/relab), below it now $foreign"
        if start_ok relab "container relab starts again, its root still labelled $relab_label"; then
                check_eq "relabelled below a root that had the label: deep/er/file" \
                        "$(stat -c %C /var/lib/berth-vm/relab/deep/er/file)" "$relab_label"
                check_eq "relabelled below a root that had the label: payload" \
                        "$(stat -c %C /var/lib/berth-vm/relab/payload)" "$relab_label"
                check_eq "the symlink itself is relabelled" "$(stat -c %C /var/lib/berth-vm/relab/deep/link)" \
                        "$relab_label"
                check_eq "its target, the guest's /etc/shadow, is not" "$(stat -c %C /etc/shadow)" "$shadow_before"
                systemctl stop berth@relab
        fi
fi
# SELinuxLabel=disable (berth.container(5)): no label of berth's; the payload stays in the domain
# of berth, its supervisor, and the root keeps its own label.
container nolabel <<'C'
exec sleep 100000
C
printf '[Security]\nSELinuxLabel=disable\n' >> /etc/berth/nolabel.container
before=$(stat -c %C /var/lib/berth-vm/nolabel/payload)
if start_ok nolabel "container nolabel (SELinuxLabel=disable) starts"; then
        p=$(leader nolabel)
        sup=$(label_of "$(prop berth@nolabel.service MainPID)")
        check_eq "SELinuxLabel=disable: the payload runs in its supervisor's label" "$(label_of "${p:-0}")" "${sup:-unknown}"
        check_eq "SELinuxLabel=disable: the root is not relabelled" \
                "$(stat -c %C /var/lib/berth-vm/nolabel/payload)" "$before"
        systemctl stop berth@nolabel
fi

# The system suite (tests/system) on real cgroup v2 and SELinux: each test as bed 1 runs it, a
# service of the manager (here the real PID 1) with BERTH_SRC, BERTH_BUILD, BED_SHARE and the
# test's environment, as an administrator's unconfined_t. BED_SEED's tree is copied into / and,
# as the guest booted before, the manager reloads (generators run) and machines.target is started
# again. Values naming src/ or build/ files point into the guest's copy of them.
# One boot has 1700 s: the suite runs in the permissive boot (SELinux on, denials logged, not
# enforced): its containers share host directories and binaries with the default confined label,
# which enforcing would refuse by design. The enforcing boot proves the confinement above, and
# runs the few system tests that prove what the policy lets a container do (Boot=yes).
# The enforcing boot runs only what vm-test.sh gave it (BERTH_VM_ENFORCING_TESTS, by default
# system-boot-debian: a booted Debian in berth_container_t under enforcing).
if [ -e system-tests.filter ]; then
        diag "BERTH_VM_SYSTEM_TESTS=$(cat system-tests.filter): only these system tests: $(cut -f1 system-tests | tr '\n' ' ')"
elif [ "$mode" != permissive ]; then
        diag "the enforcing boot runs the system tests BERTH_VM_ENFORCING_TESTS names (default system-boot-debian): $(cut -f1 system-tests | tr '\n' ' ')"
else
        check "the system suite has tests to run here" test -s system-tests
fi
# The suite's files are copied to the guest's own disk: a container whose root is the guest's /
# (an overlay of it) does not see submounts such as the 9p share.
tree=/usr/local/share/berth-vm-tree
if [ -s system-tests ]; then
        rm -rf "$tree" && mkdir -p "$tree" && cp -a "$job/src" "$job/build" "$tree/" && restorecon -R "$tree"
fi
in_job() { case $1 in src/* | build/*) echo "$tree/$1" ;; *) echo "$1" ;; esac; }
# Prepared roots (BED_PREPARE, made on the host by vm-test.sh): disk pN is mounted at the path
# the host printed, below a root-only 0700 directory as Directory= requires; a test naming that
# BED_PREPARE gets the path as BED_PREPARED, as bed.sh gives it in bed 1.
declare -A prepared=()
if [ -s system-tests ]; then
        while IFS=$'\t' read -r cmd disk dir; do
                udevadm settle
                mkdir -p "$dir" && chmod 0700 "$(dirname "$dir")" &&
                        mount "/dev/disk/by-id/virtio-$disk" "$dir" && prepared[$cmd]=$dir
                check "prepared root $disk ($cmd) mounted at $dir" test -n "${prepared[$cmd]:-}"
        done < prepared/list
fi
# The audit log's length before the system tests: the checks above provoke denials on purpose
# (MCS separation); the tests below must cause none.
avc_from=$(($(wc -l < /var/log/audit/audit.log 2> /dev/null || echo 0) + 1))
while IFS=$'\t' read -r -a t; do
        name=${t[0]}
        envs=() seed= timeout=240 argv=()
        for kv in ${t[1]//;/ }; do
                [ "$kv" = - ] && continue
                v=$(in_job "${kv#*=}")
                case ${kv%%=*} in
                BED_PREPARE) envs+=(-E "BED_PREPARED=${prepared[${kv#*=}]:-}") ;;
                BED_SEED) seed=$v ;;
                BED_TIMEOUT) timeout=$v ;;
                *) envs+=(-E "${kv%%=*}=$v") ;;
                esac
        done
        for a in "${t[@]:2}"; do argv+=("$(in_job "$a")"); done
        # The clean slate a fresh boot of bed 1 gives each test: no berth unit of the checks or
        # tests before, running or failed, and no container config of theirs.
        systemctl stop 'berth@*.service' 2> /dev/null
        systemctl reset-failed 'berth@*.service' 'berth-*.scope' 2> /dev/null
        rm -f /etc/berth/*.container
        if [ -n "$seed" ]; then
                tar -C "$seed" -cf - . | tar -C / -xf - --keep-directory-symlink --no-same-owner
                (cd "$seed" && find . -mindepth 1 | cut -c2-) | xargs -r restorecon
                systemctl daemon-reload
                systemctl start machines.target
        fi
        share=$(mktemp -d /var/tmp/berth-system-share.XXXXXX)
        # Output through a file, not --pipe: the policy lets no system_dbusd_t use an fd of
        # unconfined_t, so passing our stdout over D-Bus is denied under enforcing.
        systemd-run --wait --quiet --collect -p RuntimeMaxSec="$timeout" \
                -p SELinuxContext=unconfined_u:unconfined_r:unconfined_t:s0-s0:c0.c1023 \
                -p WorkingDirectory="$tree/src" -E BERTH_SRC="$tree/src" -E BERTH_BUILD="$tree/build" \
                -E BED_SHARE="$share" -E HARDENING_CONTAINERS=12 "${envs[@]}" \
                /bin/sh -c 'exec "$@" > "$BED_SHARE/tap.out" 2>&1 < /dev/null' - "${argv[@]}"
        rc=$?
        cp "$share/tap.out" "$job/$name.tap"
        tap_relay "$name: " "$job/$name.tap"
        [ $rc -eq 0 ] || [ "$RELAY_FAILED" -gt 0 ] || fail "$name: exit status $rc without a failed check"
        rm -rf "$share"
done < system-tests

# Under enforcing, what the system tests did in berth_container_t (a booted systemd: its
# delegated cgroup, memfds, watches on its /run) was all allowed by berth's module: no denial of
# the container domain while they ran. (Permissive logs what a suite sharing host files with
# containers does, by design; only the enforcing boot asserts this.)
if [ "$mode" = enforcing ] && [ -s system-tests ]; then
        sleep 1
        denials=$(tail -n "+$avc_from" /var/log/audit/audit.log | grep -a 'avc: .*denied' |
                grep -aF 'scontext=system_u:system_r:berth_container_t:' |
                sed 's/^.*avc: *//; s/ pid=[0-9]*//; s/ ino=[0-9]*//; s/:s0:c[0-9]*,c[0-9]*/:s0:cX,cY/g' | sort | uniq -c)
        check_eq "enforcing: no AVC denial of berth_container_t during the system tests ($(cut -f1 system-tests | tr '\n' ' '))" \
                "$(printf '%s' "$denials" | grep -c .)" 0
        printf '%s\n' "$denials" | grep . | head -n 40 | sed 's/^/# denied: /'
fi
# For debugging from the host: the guest's AVCs and journal of this boot.
cp /var/log/audit/audit.log "$job/audit.log"
journalctl -b --no-pager > "$job/journal.txt" 2>&1
tap_done
