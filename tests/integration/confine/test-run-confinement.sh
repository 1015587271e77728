#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# berth run: the confinement of a default container, seen from inside and from the host: the
# seccomp allowlist (each denied operation with the errno the policy promises), capabilities,
# no_new_privs, fds, the user namespace mapping and file ownership, and two containers at once
# getting different UID ranges and MCS pairs.
. "${IT_LIB:?}"
it_setup
IT_ROOT=$IT_WORK/root
it_build_root "$IT_ROOT"
cp "${CONFINE_PROBE:?}" "$IT_ROOT/confine-probe"
src=${SOURCE_ROOT:?}

# The capability mask the config asks for, computed from the policy file and the kernel headers
# (not from berth): CAP_X names -> bit numbers.
cap_mask() {
        local mask=0 name n
        for name in "$@"; do
                n=$(sed -n "s/^#define $name[[:space:]]\+\([0-9]\+\).*/\1/p" /usr/include/linux/capability.h)
                [ -n "$n" ] || { echo "unknown $name"; return 1; }
                mask=$((mask | (1 << n)))
        done
        printf '%016x\n' "$mask"
}
mapfile -t default_caps < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$src/policy/seccomp/capabilities.conf")
default_mask=$(cap_mask "${default_caps[@]}")
diag "default capabilities: ${default_caps[*]} = $default_mask"

# --- the seccomp allowlist and capabilities, as a probe inside a default container sees them ---
declare -A expect=(
        [keyctl]=EPERM [add_key]=EPERM [request_key]=EPERM [bpf]=EPERM [perf_event_open]=EPERM
        [kexec_load]=EPERM [kexec_file_load]=EPERM [init_module]=EPERM [finit_module]=EPERM
        [delete_module]=EPERM [open_by_handle_at]=EPERM [unshare_newuser]=EPERM [unshare_newns]=EPERM
        [unshare_newnet]=EPERM [clone_newuser]=EPERM [clone3]=ENOSYS [setns]=EPERM [mount]=EPERM
        [umount2]=EPERM [pivot_root]=EPERM [open_tree]=EPERM [swapon]=EPERM [swapoff]=EPERM
        [reboot]=EPERM [ptrace_pid1]=EPERM [process_vm_readv]=EPERM [quotactl]=EPERM
        [userfaultfd]=EPERM [io_uring_setup]=EPERM [fanotify_init]=EPERM [clock_settime]=EPERM
        [settimeofday]=EPERM [adjtimex]=EPERM [syslog]=EPERM [acct]=EPERM [iopl]=EPERM
        [sethostname]=EPERM [personality_norandom]=EPERM [socket_alg]=EAFNOSUPPORT
        [socket_vsock]=EAFNOSUPPORT [socket_netlink_audit]=EPROTONOSUPPORT
        [socket_packet]=EPERM [mknod_chr]=EPERM [syscall_1000]=ENOSYS [x86_keyctl]=EPERM
        [x86_syscall_1000]=ENOSYS [tiocsti]=EPERM
        [getpid]=ok [socket_inet]=ok [fork]=ok [chroot]=ok [x86_getpid]=ok
        [x86_socket_alg]=EAFNOSUPPORT [x86_socket_vsock]=EAFNOSUPPORT [x86_socketcall_inet]=ENOSYS
        [x86_socketcall_alg]=ENOSYS [x86_socket_inet]=ok
)
# The 32-bit x86 ABI: where the kernel has IA32 emulation the filter must answer int $0x80 like
# the 64-bit calls; where it has none (ia32_emulation=0), int $0x80 is SIGSEGV for every process
# and must stay so inside the container (the probe runs these ops in a child and prints the signal).
host_ia32=$("$CONFINE_PROBE" ops x86_getpid | sed -n 's/^x86_getpid //p')
if [ "$host_ia32" = ok ]; then
        diag "host kernel has the 32-bit ABI: the filter's i386 rules are checked"
        # Unfiltered, socketcall(SYS_SOCKET) makes a socket: the ENOSYS inside is the filter's.
        check_eq "unfiltered i386 socketcall(SYS_SOCKET, AF_INET) works on this host" \
                "$("$CONFINE_PROBE" ops x86_socketcall_inet | sed -n 's/^x86_socketcall_inet //p')" ok
        diag "unfiltered i386 socket(AF_VSOCK), socket(AF_ALG) on this host:" \
                "$("$CONFINE_PROBE" ops x86_socket_vsock x86_socket_alg | tr '\n' ' ')"
else
        diag "host kernel has no 32-bit ABI (int \$0x80 unfiltered: $host_ia32): checked that it stays unreachable"
        check_eq "unfiltered int \$0x80 on this host is killed by SIGSEGV" "$host_ia32" SIGSEGV
        for name in "${!expect[@]}"; do [[ $name != x86_* ]] || expect[$name]=SIGSEGV; done
fi
it_container ops <<C
[Container]
Directory=$IT_ROOT
Exec=/confine-probe ops ${!expect[*]}
C
it_run ops
check_eq "probe ran (exit status)" "$IT_RC" 0
denied=0
for name in "${!expect[@]}"; do
        got=$(sed -n "s/^$name //p" "$IT_OUT")
        check_eq "$name: ${expect[$name]}" "$got" "${expect[$name]}"
        [ "${expect[$name]}" != ok ] && [ "$got" = "${expect[$name]}" ] && denied=$((denied + 1))
done
check "at least 30 denied operations fail as promised ($denied)" test "$denied" -ge 30

field() { sed -n "s/^$1=//p" "$IT_OUT"; }
it_container status <<C
[Container]
Directory=$IT_ROOT
Exec=/confine-probe status
C
it_run status
check_eq "CapBnd is the default set" "$(field CapBnd)" "$default_mask"
check_eq "CapEff is the default set" "$(field CapEff)" "$default_mask"
check_eq "CapPrm is the default set" "$(field CapPrm)" "$default_mask"
check_eq "CapInh is the default set" "$(field CapInh)" "$default_mask"
check_eq "CapAmb is empty" "$(field CapAmb)" "0000000000000000"
check_eq "NoNewPrivs is 1" "$(field NoNewPrivs)" "1"
check_eq "seccomp filter mode" "$(field Seccomp)" "2"

it_container status-user <<C
[Container]
Directory=$IT_ROOT
User=tester
Exec=/confine-probe status
C
it_run status-user
check_eq "User=tester: CapBnd is still the default set" "$(field CapBnd)" "$default_mask"
check_eq "User=tester: CapEff is empty" "$(field CapEff)" "0000000000000000"

# Capability= adds (and widens the filter), DropCapability= removes.
it_container widened <<C
[Container]
Directory=$IT_ROOT
Exec=/bin/sh -c '/confine-probe status; /confine-probe ops clock_settime chroot'
[Security]
Capability=CAP_SYS_TIME
DropCapability=CAP_SYS_CHROOT
C
it_run widened
want=$(cap_mask CAP_SYS_TIME $(printf '%s\n' "${default_caps[@]}" | grep -vx CAP_SYS_CHROOT))
check_eq "Capability=CAP_SYS_TIME DropCapability=CAP_SYS_CHROOT: CapBnd" "$(field CapBnd)" "$want"
check_eq "... CapEff" "$(field CapEff)" "$want"
# CLOCK_MONOTONIC cannot be set: EINVAL means the call got past the filter to the kernel.
check_eq "CAP_SYS_TIME lets clock_settime through the filter" "$(sed -n 's/^clock_settime //p' "$IT_OUT")" EINVAL
check_eq "without CAP_SYS_CHROOT chroot is refused" "$(sed -n 's/^chroot //p' "$IT_OUT")" EPERM

it_container filtered <<C
[Container]
Directory=$IT_ROOT
Exec=/confine-probe ops keyctl socket_inet bpf
[Security]
SystemCallFilter=@keyring ~socket
C
it_run filtered
check "SystemCallFilter=@keyring lets keyctl through" bash -c "! grep -qx 'keyctl EPERM' '$IT_OUT' && grep -q '^keyctl ' '$IT_OUT'"
check_eq "SystemCallFilter=~socket refuses socket" "$(sed -n 's/^socket_inet //p' "$IT_OUT")" EPERM
check_eq "... bpf still refused" "$(sed -n 's/^bpf //p' "$IT_OUT")" EPERM

it_container badfilter <<C
[Container]
Directory=$IT_ROOT
Exec=/confine-probe status
[Security]
SystemCallFilter=@no-such-set
C
it_run badfilter
check_eq "unknown SystemCallFilter= set: exit 125" "$IT_RC" 125
check "... the error names it" grep -q "@no-such-set" "$IT_ERR"

it_container fds <<C
[Container]
Directory=$IT_ROOT
Exec=/confine-probe fds
C
it_run fds
check_eq "/proc/self/fd holds only 0 1 2" "$(cat "$IT_OUT")" "0 1 2"

# --- user namespace: mapping and ownership, inside and on the host ---------------------------------
chown 1000:1000 "$IT_ROOT/home/tester"
it_container owner <<C
[Container]
Directory=$IT_ROOT
Exec=/bin/sh -c 'trap "exit 0" TERM; cat /proc/self/uid_map /proc/self/gid_map; ls -nd /home/tester; /confine-probe create /created-inside; ls -n /created-inside; sleep 30 & wait'
C
it_start owner || fail "owner container started"
base=$(sed -n 's/^UID_BASE=//p' "$BERTH_STATE_DIR/owner/state")
size=$(sed -n 's/^UID_SIZE=//p' "$BERTH_STATE_DIR/owner/state")
leader=$(it_leader owner)
check_eq "range size is 65536" "$size" 65536
check "range base $base is 64K-aligned inside 0x80000..0x6fff0000" \
        test $((base % 65536)) -eq 0 -a "$base" -ge $((0x80000)) -a "$base" -le $((0x6fff0000))
check_eq "host sees the payload's uid_map as 0 $base 65536" "$(awk '{print $1, $2, $3}' /proc/"$leader"/uid_map)" "0 $base 65536"
check_eq "host sees the payload running as uid $base" "$(awk '/^Uid:/ {print $2}' /proc/"$leader"/status)" "$base"
for i in $(seq 300); do [ -e "$IT_ROOT/created-inside" ] && break; sleep 0.1; done
check_eq "a file root creates inside is owned by 0 on disk (idmapped root, no chown)" \
        "$(stat -c %u:%g "$IT_ROOT/created-inside" 2>&1)" "0:0"
kill -TERM "$IT_BG_PID"
it_wait
check_eq "inside, uid_map reads 0 $base 65536" "$(sed -n 1p "$IT_OUT" | awk '{print $1, $2, $3}')" "0 $base 65536"
check_eq "inside, gid_map reads 0 $base 65536" "$(sed -n 2p "$IT_OUT" | awk '{print $1, $2, $3}')" "0 $base 65536"
check_eq "inside, /home/tester (1000 on disk) is owned by 1000" "$(sed -n 3p "$IT_OUT" | awk '{print $3":"$4}')" "1000:1000"
check_eq "inside, the created file is owned by 0" "$(sed -n 5p "$IT_OUT" | awk '{print $3":"$4}')" "0:0"

# The host-root demo (no Directory=) is not idmapped: host files stay owned by unmapped IDs, so
# the container's root cannot read the host's root-only files.
it_container demo <<C
[Container]
Exec=/bin/sh -c 'if cat /etc/shadow >/dev/null 2>&1; then echo shadow-readable; else echo shadow-refused; fi; stat -c %%u /etc/shadow'
C
it_run demo
check_eq "demo: the host's /etc/shadow is out of the container root's reach" "$(sed -n 1p "$IT_OUT")" shadow-refused
check_eq "demo: host root's files show as the overflow uid" "$(sed -n 2p "$IT_OUT")" "$(cat /proc/sys/kernel/overflowuid)"

# --- two containers at once: different ranges and MCS pairs ---------------------------------------
for n in one two; do
        it_container $n <<C
[Container]
Directory=$IT_ROOT
Exec=/bin/sh -c 'trap "exit 0" TERM; sleep 30 & wait'
C
done
it_start one || fail "first container started"
pid_one=$IT_BG_PID
it_start two || fail "second container started"
pid_two=$IT_BG_PID
base_one=$(sed -n 's/^UID_BASE=//p' "$BERTH_STATE_DIR/one/state")
base_two=$(sed -n 's/^UID_BASE=//p' "$BERTH_STATE_DIR/two/state")
label_one=$(sed -n 's/^LABEL=//p' "$BERTH_STATE_DIR/one/state")
label_two=$(sed -n 's/^LABEL=//p' "$BERTH_STATE_DIR/two/state")
diag "one: $base_one $label_one; two: $base_two $label_two"
check "two running containers have different UID ranges" test -n "$base_one" -a "$base_one" != "$base_two"
check "... which do not overlap" test $((base_one > base_two ? base_one - base_two : base_two - base_one)) -ge 65536
mcs() { sed -n 's/.*:s0:c\([0-9]\+\),c\([0-9]\+\)$/\1 \2/p' <<<"$1"; }
read -r a1 a2 <<<"$(mcs "$label_one")"
read -r b1 b2 <<<"$(mcs "$label_two")"
check "first label has a pair c1<c2<1024 ($label_one)" test -n "${a1:-}" -a "${a1:-0}" -lt "${a2:-0}" -a "${a2:-1024}" -lt 1024
check "second label has a pair c1<c2<1024 ($label_two)" test -n "${b1:-}" -a "${b1:-0}" -lt "${b2:-0}" -a "${b2:-1024}" -lt 1024
check "the two MCS pairs differ" test "${a1:-x},${a2:-x}" != "${b1:-y},${b2:-y}"
kill -TERM "$pid_one" "$pid_two"
wait "$pid_one" "$pid_two"
check "their range locks are released at stop" bash -c \
        "flock -n '$BERTH_STATE_DIR/uid/$base_one.lock' true && flock -n '$BERTH_STATE_DIR/uid/$base_two.lock' true"
check "their MCS locks are released at stop" bash -c \
        "flock -n '$BERTH_STATE_DIR/mcs/c$a1.c$a2.lock' true && flock -n '$BERTH_STATE_DIR/mcs/c$b1.c$b2.lock' true"

tap_done
