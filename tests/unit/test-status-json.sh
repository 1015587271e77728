#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# berth status --output=json|json-pretty: one object with the documented field names, numbers
# as numbers, null for unknown, for a running and a stopped container; exit status as in text
# mode. Parsed with Python's json module. oom_kills is also checked against the text mode's
# "OOM kills:" line. Usage: test-status-json.sh BERTH TAP_SH
set -u
BERTH=$1
. "$2"

T=$(mktemp -d /tmp/berth-test-status-json.XXXXXX)
trap 'rm -rf "$T"' EXIT
mkdir -p "$T/state/web" "$T/state/api" "$T/etc/db.container.d"
touch "$T/etc/web.container" "$T/etc/db.container" "$T/etc/db.container.d/10-limits.conf"
printf 'NAME=web\nSUPERVISOR=%s\nLEADER=%s\nSINCE=1700000000000000\nUID_BASE=524288\nUID_SIZE=65536\nLABEL=system_u:system_r:container_t:s0:c1,c2\nROOT=/var/lib/berth/web\nSCOPE=\nCONFIG=%s\n' \
        $$ $$ "$T/etc/web.container" >"$T/state/web/state"
# VirtualEthernet=: the address, link and published ports (src/launch/lock.c writes these lines).
printf 'ADDRESS=10.213.7.6/30\nINTERFACE=bt-web\nPORTS=tcp:8080:80 udp:5353:53\nFORWARD_BLOCKED=\nHOST_ACCESS=1\n' >>"$T/state/web/state"
exec {lockfd}>"$T/state/web/lock"
flock -x "$lockfd"
export BERTH_STATE_DIR=$T/state BERTH_CONFIG_PATH=$T/etc

# field NAME JSON: prints the Python repr of a field (so null is None, numbers unquoted).
field() { python3 -c 'import json,sys; print(repr(json.loads(sys.argv[2])[sys.argv[1]]))' "$1" "$2"; }

out=$("$BERTH" status -o json web)
check_eq "running: exit status 0" $? 0
check_eq "running: one line" "$(wc -l <<<"$out")" 1
fields=$(python3 -c 'import json,sys; print(" ".join(json.loads(sys.argv[1])))' "$out")
check_eq "running: field names" "$fields" \
        "name unit state active sub since config dropins root supervisor_pid leader_pid uid_base uid_size label scope address address6 interface ports forward_blocked host_access link_local_access memory oom_kills tasks cgroup result reason error"
check_eq "name" "$(field name "$out")" "'web'"
check_eq "unit" "$(field unit "$out")" "'berth@web.service'"
check_eq "state" "$(field state "$out")" "'running'"
check_eq "since is a number (µs)" "$(field since "$out")" 1700000000000000
check_eq "supervisor_pid is a number" "$(field supervisor_pid "$out")" $$
check_eq "uid_base" "$(field uid_base "$out")" 524288
check_eq "uid_size" "$(field uid_size "$out")" 65536
check_eq "label" "$(field label "$out")" "'system_u:system_r:container_t:s0:c1,c2'"
check_eq "root" "$(field root "$out")" "'/var/lib/berth/web'"
check_eq "config" "$(field config "$out")" "'$T/etc/web.container'"
check_eq "no scope: null" "$(field scope "$out")" None
check_eq "address" "$(field address "$out")" "'10.213.7.6/30'"
check_eq "no IPv6: address6 null" "$(field address6 "$out")" None
check_eq "interface" "$(field interface "$out")" "'bt-web'"
check_eq "ports: a list" "$(field ports "$out")" "['tcp:8080:80', 'udp:5353:53']"
check_eq "forward not blocked: null" "$(field forward_blocked "$out")" None
check_eq "HostAccess=yes: host_access true" "$(field host_access "$out")" True
check_eq "no LINK_LOCAL_ACCESS= in the state: link_local_access false" "$(field link_local_access "$out")" False
check_eq "no scope: memory null" "$(field memory "$out")" None
check_eq "no scope: oom_kills null" "$(field oom_kills "$out")" None

# With a scope that is not among the leader's cgroups, berth reads the leader's own cgroup: ours.
# oom_kills is its memory.events oom_kill count, null without a memory controller there.
printf 'NAME=api\nSUPERVISOR=%s\nLEADER=%s\nSCOPE=berth-api.scope\nCONFIG=%s\n' \
        $$ $$ "$T/etc/web.container" >"$T/state/api/state"
exec {apilockfd}>"$T/state/api/lock"
flock -x "$apilockfd"
mnt=/sys/fs/cgroup
[ "$(stat -f -c %T $mnt)" = cgroup2fs ] || mnt=/sys/fs/cgroup/unified
cg=$(sed -n 's/^0:://p' /proc/self/cgroup)
kills=$(sed -n 's/^oom_kill //p' "$mnt$cg/memory.events" 2>/dev/null)
api=$("$BERTH" status -o json api)
text=$("$BERTH" status --lines=0 api)
check_eq "scope: cgroup is the leader's own" "$(field cgroup "$api")" "'$cg'"
check_eq "without VirtualEthernet=: host_access null" "$(field host_access "$api")" None
check_eq "without VirtualEthernet=: link_local_access null" "$(field link_local_access "$api")" None
if [ -n "$kills" ]; then
        check_eq "scope: oom_kills is memory.events oom_kill ($mnt$cg)" "$(field oom_kills "$api")" "$kills"
        check "scope: text has an 'OOM kills:' line aligned with Memory" grep -qx "  OOM kills: $kills" <<<"$text"
else
        check_eq "scope without memory.events ($mnt$cg): oom_kills null" "$(field oom_kills "$api")" None
        check "scope without memory.events: no 'OOM kills:' line" bash -c '! grep -q "OOM kills:" <<<"$1"' _ "$text"
fi

# The text mode shows the same network facts.
webtext=$("$BERTH" status --lines=0 --no-pager web 2>/dev/null)
check "text: the address and its link" grep -q "^ *Address: 10.213.7.6/30 on bt-web$" <<<"$webtext"
check "text: the published ports" grep -q "^ *Ports: tcp:8080:80 udp:5353:53$" <<<"$webtext"
check "text: HostAccess=yes" grep -q "^Host access: yes" <<<"$webtext"
check "text: LinkLocalAccess=no" grep -qx " Link-local: no" <<<"$webtext"
pretty=$("$BERTH" status --output=json-pretty web)
check "json-pretty is indented" test "$(wc -l <<<"$pretty")" -gt 10
check_eq "json-pretty has the same object" \
        "$(python3 -c 'import json,sys; print(json.loads(sys.argv[1]) == json.loads(sys.argv[2]))' "$out" "$pretty")" True

out=$("$BERTH" status -o json db)
check_eq "stopped: exit status 3" $? 3
check_eq "stopped: state" "$(field state "$out")" "'inactive'"
check_eq "stopped: config file found" "$(field config "$out")" "'$T/etc/db.container'"
check_eq "stopped: drop-ins listed" "$(field dropins "$out")" "['$T/etc/db.container.d/10-limits.conf']"
check_eq "stopped: pids null" "$(field leader_pid "$out")" None
"$BERTH" status -o json nosuch >/dev/null 2>&1
check_eq "no such container: exit status 4" $? 4
"$BERTH" status -o yaml web >/dev/null 2>&1
check_eq "unknown output mode: exit status 2" $? 2

# What a state records can come from the container's side (paths, labels): every control
# character leaves as a \u escape and bytes that are not UTF-8 as \ufffd, so both JSON outputs
# stay valid UTF-8 JSON and never carry a raw terminal escape (ESC, C1 CSI). The same writer
# serves status and list.
mkdir -p "$T/state/hostile"
printf 'NAME=hostile\nSUPERVISOR=%s\nLEADER=%s\nROOT=/srv/a\033[31mb\377\302\233c\342\200\250d\300\257\nSCOPE=\nCONFIG=%s\n' \
        $$ $$ "$T/etc/web.container" >"$T/state/hostile/state"
exec {hostilelockfd}>"$T/state/hostile/lock"
flock -x "$hostilelockfd"
want="'/srv/a\\x1b[31mb\\ufffd\\x9bc\\u2028d\\ufffd\\ufffd'"
# root_of: the Python ascii() of the hostile container's root as parsed from strict UTF-8.
root_of() {
        python3 -c '
import json, sys
doc = json.loads(sys.stdin.buffer.read().decode("utf-8", "strict"))
if isinstance(doc, list):
    doc = [o for o in doc if o["name"] == "hostile"][0]
print(ascii(doc["root"]))'
}
# raw_is_clean FILE: no C0 (but the final newline), DEL, C1 (UTF-8 C2 80..9F) or U+2028/9 bytes.
raw_is_clean() { ! LC_ALL=C grep -qP '[\x00-\x09\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xa8\xa9]' "$1"; }
"$BERTH" status -o json hostile >"$T/hostile.json"
check_eq "hostile root: status JSON is UTF-8 and decodes to the bytes, invalid ones as U+FFFD" \
        "$(root_of <"$T/hostile.json")" "$want"
check "hostile root: status JSON carries no raw control character" raw_is_clean "$T/hostile.json"
"$BERTH" status -o json-pretty hostile >"$T/hostile-pretty.json"
check_eq "hostile root: json-pretty the same" "$(root_of <"$T/hostile-pretty.json")" "$want"
"$BERTH" list -o json >"$T/list.json"
check_eq "hostile root: list JSON is UTF-8 and decodes the same" "$(root_of <"$T/list.json")" "$want"
check "hostile root: list JSON carries no raw control character" raw_is_clean "$T/list.json"

tap_done
