#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# berth audit end to end: every check on a small declaration (read back from -o json with
# Python's json module), the shipped demo container scoring OK, a container with the classic
# mistakes scoring UNSAFE with each one named, --threshold exit statuses, the JSON schema, and
# what --offline leaves unjudged. Usage: test-audit.sh BERTH SOURCE_ROOT
set -u
BERTH=$1 SRC=$2
. "$SRC/tests/lib/tap.sh"

T=$(mktemp -d /tmp/berth-test-audit.XXXXXX)
trap 'rm -rf "$T"' EXIT
chmod 0755 "$T" # so that only $T/shield below protects what lies under it
mkdir -p "$T/etc" "$T/open/root" "$T/shield/root"
chmod 0755 "$T/open"
chmod 0700 "$T/shield"
ln -s /dev/null "$T/mydev"
export BERTH_CONFIG_PATH=$T/etc

# declare NAME LINES...: writes $T/etc/NAME.container
declare_() {
        local name=$1
        shift
        printf '%s\n' "$@" >"$T/etc/$name.container"
}

# row NAME CHECK [OPTIONS...]: "STATUS EXPOSURE ITEM|ITEM..." of one check of `berth audit -o json`.
row() {
        local name=$1 check=$2
        shift 2
        "$BERTH" audit -o json "$@" "$name" | python3 -c '
import json, sys
c = [c for c in json.load(sys.stdin)[0]["checks"] if c["name"] == sys.argv[1]][0]
print(c["status"], c["exposure"], "|".join(f["item"] for f in c["findings"]))' "$check"
}
# score NAME [OPTIONS...]: "SCORE VERDICT"
score() {
        local name=$1
        shift
        "$BERTH" audit -o json "$@" "$name" | python3 -c '
import json, sys
d = json.load(sys.stdin)[0]
print(d["score"], d["verdict"])'
}

# --- The shipped demo is OK; the classic mistakes are UNSAFE and each is named. ---
out=$("$BERTH" audit --file "$SRC/units/examples/demo.container")
check_eq "demo.container: exit status 0" $? 0
check_eq "demo.container scores OK" "$(tail -1 <<<"$out")" "-> Overall exposure level for demo: 0.8 OK"
check_eq "demo.container scores OK offline too" \
        "$("$BERTH" audit --offline --file "$SRC/units/examples/demo.container" | tail -1)" \
        "-> Overall exposure level for demo: 0.8 OK"

declare_ bad "[Security]" "PrivateUsers=no" "Capability=CAP_SYS_ADMIN" "SystemCallFilter=@mount" \
        "[Files]" "Bind=/:/host"
out=$("$BERTH" audit bad)
check_eq "bad: exit status 0 without --threshold" $? 0
check_eq "bad scores UNSAFE" "$(tail -1 <<<"$out")" "-> Overall exposure level for bad: 10.0 UNSAFE"
for pat in "^x user-namespace .*PrivateUsers=no" "^x capabilities .*CAP_SYS_ADMIN (4.0)" \
        "^x syscall-filter .*@mount (1.5)" "^x sensitive-binds .*/:/host" "^x writable-binds .*/:/host" \
        "^x memory-limit *MemoryMax= " "^x cpu-limit *CPUQuota= "; do
        if grep -q -- "$pat" <<<"$out"; then ok "bad: a row matches '$pat'"; else fail "bad: a row matches '$pat'"; diag "$out"; fi
done
check_eq "bad: user-namespace" "$(row bad user-namespace)" "fail 4.0 PrivateUsers=no"
check_eq "bad: capabilities" "$(row bad capabilities)" "fail 4.0 CAP_SYS_ADMIN"
check_eq "bad: syscall-filter" "$(row bad syscall-filter)" "fail 1.5 @mount"
check_eq "bad: sensitive-binds names the bind" "$(row bad sensitive-binds | cut -d' ' -f1,3)" "fail /:/host"
check_eq "bad: memory-limit" "$(row bad memory-limit)" "fail 0.5 "
check_eq "bad: cpu-limit" "$(row bad cpu-limit)" "fail 0.3 "

# --- One check at a time. ---
declare_ users "[Security]" "PrivateUsers=identity"
check_eq "user-namespace: identity is partial" "$(row users user-namespace)" "partial 2.5 PrivateUsers=identity"
declare_ users "[Security]" "PrivateUsers=pick"
check_eq "user-namespace: pick passes" "$(row users user-namespace)" "pass 0.0 "
declare_ users "[Security]" "PrivateUsers=0x100000"
check_eq "user-namespace: a fixed range passes" "$(row users user-namespace)" "pass 0.0 "

declare_ caps "[Security]" "Capability=CAP_SYS_PTRACE net_admin CAP_CHOWN"
check_eq "capabilities: each added capability with its weight, default ones not counted" \
        "$(row caps capabilities)" "fail 4.5 CAP_NET_ADMIN|CAP_SYS_PTRACE"
declare_ caps "[Security]" "Capability=CAP_SYS_ADMIN" "DropCapability=CAP_SYS_ADMIN"
check_eq "capabilities: added then dropped passes" "$(row caps capabilities)" "pass 0.0 "
declare_ caps "[Security]" "Capability=CAP_WAKE_ALARM"
check_eq "capabilities: an unlisted capability weighs 1.0" "$(row caps capabilities)" "fail 1.0 CAP_WAKE_ALARM"

declare_ nnp "[Security]" "NoNewPrivileges=no"
check_eq "no-new-privileges: no fails" "$(row nnp no-new-privileges)" "fail 2.0 "
declare_ nnp "[Security]" "NoNewPrivileges=yes"
check_eq "no-new-privileges: yes passes" "$(row nnp no-new-privileges)" "pass 0.0 "

declare_ sc "[Security]" "SystemCallFilter=@debug @file-system"
check_eq "syscall-filter: a set beyond the default counts, a default one does not" \
        "$(row sc syscall-filter)" "fail 2.0 @debug"
declare_ sc "[Security]" "SystemCallFilter=@mount ~@mount ~@clock"
check_eq "syscall-filter: allowed then denied again passes" "$(row sc syscall-filter)" "pass 0.0 "
declare_ sc "[Security]" "SystemCallFilter=ptrace read"
check_eq "syscall-filter: a single syscall is weighed by its set" "$(row sc syscall-filter)" "fail 2.0 ptrace (@debug)"

declare_ se "[Security]" "SELinuxLabel=disable"
check_eq "selinux: disable fails" "$(row se selinux)" "fail 3.0 SELinuxLabel=disable"
declare_ se "[Security]" "SELinuxType=spc_t"
check_eq "selinux: an unconfined type fails" "$(row se selinux)" "fail 3.0 SELinuxType=spc_t"
declare_ se "[Security]" "SELinuxLabel=system_u:system_r:unconfined_t:s0"
check_eq "selinux: a label with an unconfined type fails" "$(row se selinux)" \
        "fail 3.0 SELinuxLabel=system_u:system_r:unconfined_t:s0"
declare_ se "[Security]" "SELinuxType=my_container_t"
check_eq "selinux: a confined type passes" "$(row se selinux)" "pass 0.0 "

declare_ hostnet "[Network]" "Private=no"
check_eq "host-network: Private=no fails" "$(row hostnet host-network)" "fail 2.5 "
check_eq "privileged-ports: not with a user namespace" "$(row hostnet privileged-ports)" "pass 0.0 "
declare_ hostnet "[Network]" "Private=no" "[Security]" "PrivateUsers=no"
check_eq "privileged-ports: host network as host root fails" "$(row hostnet privileged-ports)" "fail 1.0 "
declare_ hostnet "[Network]" "Private=no" "[Security]" "PrivateUsers=no" "DropCapability=CAP_NET_BIND_SERVICE"
check_eq "privileged-ports: not without CAP_NET_BIND_SERVICE" "$(row hostnet privileged-ports)" "pass 0.0 "

declare_ rw "[Container]" "Directory=$T/shield/root"
check_eq "read-only-root: writable Directory= fails" "$(row rw read-only-root)" "fail 0.5 "
check_eq "ephemeral: Directory= is persistent by default" "$(row rw ephemeral)" "fail 0.3 "
declare_ rw "[Container]" "Directory=$T/shield/root" "Ephemeral=yes" "ReadOnly=no"
check_eq "read-only-root: writable but ephemeral is partial" "$(row rw read-only-root)" "partial 0.2 "
check_eq "ephemeral: yes passes" "$(row rw ephemeral)" "pass 0.0 "
declare_ rw "[Container]" "Directory=$T/shield/root" "ReadOnly=yes"
check_eq "read-only-root: ReadOnly=yes passes" "$(row rw read-only-root)" "pass 0.0 "

declare_ bind "[Files]" "BindReadOnly=/etc/ssl:/ssl"
check_eq "sensitive-binds: read-only below /etc is partial, half weight" "$(row bind sensitive-binds)" \
        "partial 1.5 /etc/ssl:/ssl:ro"
check_eq "writable-binds: a read-only bind passes" "$(row bind writable-binds)" "pass 0.0 "
declare_ bind "[Files]" "BindReadOnly=/run/docker.sock:/run/docker.sock"
check_eq "sensitive-binds: the docker socket, read-only or not" "$(row bind sensitive-binds --offline)" \
        "fail 5.0 /run/docker.sock:/run/docker.sock:ro"
declare_ bind "[Files]" "Bind=$T/open:/data"
check_eq "sensitive-binds: an ordinary directory passes" "$(row bind sensitive-binds)" "pass 0.0 "
check_eq "writable-binds: each writable bind" "$(row bind writable-binds)" "fail 0.5 $T/open:/data"
declare_ bind "[Files]" "BindReadOnly=/var:/v"
check_eq "sensitive-binds: a directory above a sensitive one names what it exposes" \
        "$(row bind sensitive-binds --offline)" "fail 5.0 /var:/v:ro exposes /var/run/docker.sock"

declare_ dev "[Files]" "Bind=/dev/fuse"
check_eq "devices: a node below /dev fails" "$(row dev devices)" "fail 2.0 /dev/fuse"
declare_ dev "[Files]" "Bind=/dev/shm:/shm"
check_eq "devices: a directory below /dev is no device on this host" "$(row dev devices)" "pass 0.0 "
check_eq "devices: --offline counts everything below /dev" "$(row dev devices --offline)" "fail 2.0 /dev/shm"
declare_ dev "[Files]" "BindReadOnly=/dev"
check_eq "devices: /dev itself" "$(row dev devices)" "fail 2.0 /dev"
declare_ dev "[Files]" "Bind=$T/mydev:/x"
# The loader resolves the admin's own symlinks in host paths once (berth verify notes them), so
# audit judges the device the bind really names, with or without --offline.
check_eq "devices: a symlink to a device node fails" "$(row dev devices)" "fail 2.0 /dev/null"
check_eq "devices: --offline judges the resolved path too" "$(row dev devices --offline)" "fail 2.0 /dev/null"
# DeviceAllow= (issue 21): each entry opens the device cgroup, a block device weighs more
declare_ dev "[Security]" "DeviceAllow=/dev/fuse rw" "[Files]" "Bind=/dev/fuse"
check_eq "devices: a DeviceAllow= entry counts beside its bind" "$(row dev devices)" \
        "fail 3.0 /dev/fuse|DeviceAllow=/dev/fuse rw"
declare_ dev "[Security]" "DeviceAllow=block-loop r" "DeviceAllow=char-drm"
check_eq "devices: a block group weighs more than a character group" "$(row dev devices --offline)" \
        "fail 4.0 DeviceAllow=block-loop r|DeviceAllow=char-drm rwm"

declare_ lim "[Resources]" "MemoryHigh=1G" "CPUWeight=50" "TasksMax=infinity"
check_eq "memory-limit: MemoryHigh= alone is partial" "$(row lim memory-limit)" "partial 0.3 "
check_eq "cpu-limit: CPUWeight= alone is partial" "$(row lim cpu-limit)" "partial 0.2 "
check_eq "tasks-limit: infinity fails" "$(row lim tasks-limit)" "fail 1.0 "
declare_ lim "[Resources]" "MemoryMax=1G" "CPUQuota=50%"
check_eq "memory-limit: MemoryMax= passes" "$(row lim memory-limit)" "pass 0.0 "
check_eq "cpu-limit: CPUQuota= passes" "$(row lim cpu-limit)" "pass 0.0 "
check_eq "tasks-limit: the default passes" "$(row lim tasks-limit)" "pass 0.0 "

declare_ reach "[Container]" "Directory=$T/open/root"
check_eq "root-reachable: no 0700 directory above the root fails" "$(row reach root-reachable)" \
        "fail 2.0 $T/open/root: no directory above it has mode 0700"
check_eq "root-reachable: --offline does not judge it" "$(row reach root-reachable --offline)" "unknown 0.0 "
check_eq "root-reachable: --offline says so" "$("$BERTH" audit -o json --offline reach | python3 -c '
import json, sys
print([(c["description"], d["offline"]) for d in json.load(sys.stdin) for c in d["checks"] if c["name"] == "root-reachable"])')" \
        "[('Not judged', True)]"
if [ "$(id -u)" = 0 ]; then
        declare_ reach "[Container]" "Directory=$T/shield/root"
        check_eq "root-reachable: below a root-only 0700 directory passes" "$(row reach root-reachable)" "pass 0.0 "
else
        echo "ok $((TAP_N += 1)) # SKIP root-reachable needs a directory owned by root"
fi

# A file audited may be anyone's: its paths reach the terminal escaped.
declare_ esc "[Files]" "$(printf 'Bind=/srv/a\033[31mb:/x')"
out=$("$BERTH" audit --offline esc | grep '^x writable-binds')
check_eq "text output escapes control characters of the file" "${out##*: }" '/srv/a\x1b[31mb:/x (0.5)'

# Marks: Unicode on a terminal with a UTF-8 locale, ASCII otherwise.
on_tty() { env "$@" script -qec "$(printf '%q ' "$BERTH" audit tty)" /dev/null </dev/null | tr -d '\r'; }
declare_ tty "[Resources]" "MemoryHigh=1G" "CPUQuota=50%"
out=$(on_tty NO_COLOR=1 LC_ALL=C.UTF-8)
check_eq "UTF-8 terminal: Unicode marks" "$(grep -oE '^(✓ user-namespace|◐ memory-limit|→ Overall)' <<<"$out" | tr '\n' ,)" \
        "✓ user-namespace,◐ memory-limit,→ Overall,"
out=$(on_tty NO_COLOR=1 LC_ALL=C)
check_eq "ASCII terminal: ASCII marks" "$(grep -oE '^(\+ user-namespace|~ memory-limit|-> Overall)' <<<"$out" | tr '\n' ,)" \
        "+ user-namespace,~ memory-limit,-> Overall,"
out=$(on_tty LC_ALL=C.UTF-8 TERM=xterm)
[[ $out == *$'\033[0;1;32m✓\033[0m user-namespace'* ]]
check_eq "colour on a terminal: a passed row in green" $? 0
out=$(LC_ALL=C.UTF-8 "$BERTH" audit tty)
[[ $out != *$'\033'* && $out != *✓* && $out == *"+ user-namespace"* ]]
check_eq "not a terminal: ASCII marks, no escape sequences" $? 0

# --- Scores, --threshold, exit statuses. ---
check_eq "score: the sum of the rows" "$(score lim)" "0.0 OK"
declare_ med "[Security]" "PrivateUsers=no"
check_eq "score: no user namespace alone is MEDIUM" "$(score med)" "4.8 MEDIUM"
"$BERTH" audit --threshold=9.9 bad >/dev/null
check_eq "--threshold: above it exits 5" $? 5
"$BERTH" audit --threshold=10 bad >/dev/null
check_eq "--threshold: equal to it exits 0" $? 0
"$BERTH" audit --threshold=0.7 --file "$SRC/units/examples/demo.container" >/dev/null
check_eq "--threshold=0.7: demo (0.8) exits 5" $? 5
"$BERTH" audit --threshold=0.8 --file "$SRC/units/examples/demo.container" >/dev/null
check_eq "--threshold=0.8: demo exits 0" $? 0
"$BERTH" audit --threshold=11 bad >/dev/null 2>&1
check_eq "--threshold above 10 is a usage error" $? 2
"$BERTH" audit --threshold=x bad >/dev/null 2>&1
check_eq "--threshold not a number is a usage error" $? 2
"$BERTH" audit --threshold=1 nosuch bad >/dev/null 2>"$T/err"
check_eq "a missing container exits 1, before the threshold" $? 1
grep -q "^nosuch: no such container" "$T/err" && ok "the missing container is named" || fail "the missing container is named"

# --- Every container in the search path, masked ones skipped. ---
rm -f "$T"/etc/*.container
declare_ one "[Container]" "Exec=/bin/true"
declare_ two "[Network]" "Private=no"
: >"$T/etc/masked.container"
names=$("$BERTH" audit -o json | python3 -c 'import json,sys; print(" ".join(c["name"] + ":" + c["verdict"] for c in json.load(sys.stdin)))')
check_eq "without arguments: every container, masked skipped" "$names" "one:OK two:MEDIUM"

# --- JSON schema. ---
"$BERTH" audit -o json one two | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert isinstance(d, list) and len(d) == 2, d
checks = ["user-namespace", "capabilities", "no-new-privileges", "syscall-filter", "selinux", "host-network",
          "privileged-ports", "read-only-root", "ephemeral", "sensitive-binds", "writable-binds", "devices",
          "memory-limit", "cpu-limit", "tasks-limit", "root-reachable"]
for c in d:
    assert list(c) == ["name", "path", "offline", "score", "verdict", "checks"], list(c)
    assert isinstance(c["score"], float) and 0 <= c["score"] <= 10, c["score"]
    assert c["verdict"] in ("OK", "MEDIUM", "EXPOSED", "UNSAFE") and c["offline"] is False
    assert [k["name"] for k in c["checks"]] == checks, [k["name"] for k in c["checks"]]
    for k in c["checks"]:
        assert list(k) == ["name", "key", "cis", "status", "exposure", "description", "findings"], list(k)
        assert k["key"].endswith("=") and k["status"] in ("pass", "partial", "fail", "unknown")
        assert isinstance(k["exposure"], float) and isinstance(k["findings"], list)
        for f in k["findings"]:
            assert list(f) == ["item", "exposure"] and isinstance(f["item"], str) and isinstance(f["exposure"], float)
    assert abs(sum(k["exposure"] for k in c["checks"]) - c["score"]) < 0.01 or c["score"] == 10.0
' 2>"$T/err"
check_eq "-o json: the documented schema" "$?:$(cat "$T/err")" "0:"
pretty=$("$BERTH" audit -o json-pretty one | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["name"])')
check_eq "-o json-pretty parses" "$pretty" "one"
"$BERTH" audit -o yaml one >/dev/null 2>&1
check_eq "-o with an unknown mode is a usage error" $? 2
# berth(1), section AUDIT, documents every check with its key.
"$BERTH" audit -o json one | python3 -c '
import json, re, sys
man = open(sys.argv[1]).read().split("\n# AUDIT\n")[1].split("\n# ")[0]
for c in json.load(sys.stdin)[0]["checks"]:
    m = re.search(r"^\*" + re.escape(c["name"]) + r"\* \((.*); CIS (.*)\)$", man, re.M)
    assert m, c["name"] + " is not in berth(1) AUDIT"
    assert "*" + c["key"] + "*" in m.group(1), c["name"] + ": key " + c["key"]
    assert m.group(2) == c["cis"], c["name"] + ": CIS " + m.group(2) + " != " + c["cis"]
' "$SRC/src/man/berth.1.scd" 2>"$T/err"
check_eq "berth(1) AUDIT lists every check with its key and CIS item" "$?:$(cat "$T/err")" "0:"
"$BERTH" audit --help | grep -q '^berth audit \[OPTIONS...\] \[NAME|FILE...\]$'
check_eq "--help shows the synopsis" $? 0

tap_done
