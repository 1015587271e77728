#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# berth verify / berth cat as a user sees them: output, exit statuses, shipped examples, and the
# man page documenting every key. Args: BERTH_BINARY SOURCE_ROOT
set -u
berth=$1
src=$2
. "$src/tests/lib/tap.sh"

tmp=$(mktemp -d /tmp/berth-test-cli-config.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/etc" "$tmp/lib/web.container.d" "$tmp/etc/web.container.d"
export BERTH_CONFIG_PATH="$tmp/etc:$tmp/lib"

# Shipped examples are valid.
for f in "$src"/units/examples/*.container; do
        out=$("$berth" verify --file "$f" 2>&1)
        check_eq "example $(basename "$f") verifies" "$?:$(echo "$out" | head -1)" "0:$f: ok"
done

printf '[Container]\nExec=/bin/true\n' > "$tmp/lib/web.container"
printf '[Resources]\nTasksMax=5\n' > "$tmp/lib/web.container.d/10-tasks.conf"
printf '[Container]\nHostname=w\n' > "$tmp/etc/web.container.d/20-host.conf"
printf '[Container]\nBoot=perhaps\n[Resources]\nMemoryMax=12X\n' > "$tmp/etc/bad.container"
: > "$tmp/etc/masked.container"

out=$("$berth" verify web 2>"$tmp/err")
check_eq "verify of a valid name exits 0" "$?" 0
check_eq "verify prints the file it checked" "$(head -1 <<<"$out")" "$tmp/lib/web.container: ok (with drop-ins)"
check_eq "verify of a valid name prints no errors" "$(cat "$tmp/err")" ""

out=$("$berth" verify bad 2>"$tmp/err")
check_eq "verify of an invalid name exits 1" "$?" 1
check_eq "verify prints every error line" "$(cat "$tmp/err")" \
"$tmp/etc/bad.container:2: [Container] Boot=perhaps: invalid boolean (expected yes, no, true, false, on, off, 1 or 0)
$tmp/etc/bad.container:4: [Resources] MemoryMax=12X: invalid size (expected bytes with K, M, G or T suffix, or \"infinity\")"
check_eq "verify summary" "$out" "1 checked, 0 valid, 1 with errors (2 errors)"

out=$("$berth" verify 2>"$tmp/err")
check_eq "verify of the whole search path exits 1 when one is bad" "$?" 1
check_eq "verify without arguments checks every container, skips masked ones" "$out" \
"$tmp/etc/masked.container: masked, skipped
$tmp/lib/web.container: ok (with drop-ins)
2 checked, 1 valid, 1 with errors (2 errors)"
grep -q "^$tmp/etc/bad.container:4: " "$tmp/err" && ok "errors of all files are printed" || fail "errors of all files are printed"

"$berth" verify masked >/dev/null 2>"$tmp/err"
check_eq "verify of a masked name exits 1" "$?" 1
check_eq "masked error line" "$(cat "$tmp/err")" \
        "$tmp/etc/masked.container: container masked is masked (the file is empty or a symlink to /dev/null)"

"$berth" verify nosuch >/dev/null 2>"$tmp/err"
check_eq "verify of a missing name exits 1" "$?" 1
check_eq "missing name says where it looked" "$(cat "$tmp/err")" \
        "nosuch: no such container (looked for nosuch.container in $tmp/etc:$tmp/lib)"

"$berth" verify --bogus >/dev/null 2>&1
check_eq "unknown option is a usage error (2)" "$?" 2
"$berth" verify --help | grep -q '^berth verify \[OPTIONS...\] \[NAME|FILE...\]$'
check_eq "verify --help shows the synopsis" "$?" 0

out=$("$berth" verify -q bad 2>/dev/null)
check_eq "--quiet prints no summary" "$out" ""

(cd "$tmp/etc" && "$berth" verify bad.container >/dev/null 2>&1)
check_eq "a bare FILE.container argument is a file in the current directory" "$?" 1

out=$(BERTH_CONFIG_PATH=/nonexistent "$berth" --config-path="$tmp/etc:$tmp/lib" verify web 2>&1)
check_eq "--config-path= overrides the search path" "$?:$(head -1 <<<"$out")" "0:$tmp/lib/web.container: ok (with drop-ins)"

# berth cat
out=$("$berth" cat web)
check_eq "cat exits 0" "$?" 0
check_eq "cat prints the file and drop-ins under # headers, in order" "$out" \
"# $tmp/lib/web.container
[Container]
Exec=/bin/true

# $tmp/lib/web.container.d/10-tasks.conf
[Resources]
TasksMax=5

# $tmp/etc/web.container.d/20-host.conf
[Container]
Hostname=w"
"$berth" cat nosuch >/dev/null 2>&1
check_eq "cat of a missing container exits 4" "$?" 4
check_eq "cat of a masked container" "$("$berth" cat masked)" \
        "# $tmp/etc/masked.container is masked (empty or a symlink to /dev/null)"
"$berth" cat >/dev/null 2>&1
check_eq "cat without a name is a usage error" "$?" 2

# DeviceAllow= (issue 21): a path that is no device node on this host is an error with the file's
# line; a node no Bind= makes reachable is a warning that does not fail the check.
printf '[Security]\nDeviceAllow=/dev/null rw\nDeviceAllow=/dev/shm r\nDeviceAllow=/dev/berth-no-such-node\n' \
        >"$tmp/etc/dev.container"
"$berth" verify dev >/dev/null 2>"$tmp/err"
check_eq "verify: DeviceAllow= of a directory or a missing node exits 1" "$?" 1
check_eq "verify: DeviceAllow= names the file, line and what is wrong" "$(cat "$tmp/err")" \
"$tmp/etc/dev.container:3: [Security] DeviceAllow=/dev/shm r: /dev/shm is not a device node (expected a character or block device node below /dev, such as /dev/fuse, or char-GROUP/block-GROUP as listed in /proc/devices)
$tmp/etc/dev.container:4: [Security] DeviceAllow=/dev/berth-no-such-node: /dev/berth-no-such-node does not exist (expected a character or block device node below /dev, such as /dev/fuse)"
printf '[Security]\nDeviceAllow=/dev/null rw\nDeviceAllow=/dev/full w\nDeviceAllow=/dev/zero\n[Files]\nBind=/dev/zero:/dev/z\n' \
        >"$tmp/etc/dev.container"
"$berth" verify dev >/dev/null 2>"$tmp/err"
check_eq "verify: DeviceAllow= of device nodes exits 0" "$?" 0
check_eq "verify: warns only about a node neither bound nor in berth's /dev" "$(cat "$tmp/err")" ""
printf '[Security]\nDeviceAllow=/dev/kmsg w\n' >"$tmp/etc/dev.container"
"$berth" verify dev >/dev/null 2>"$tmp/err"
check_eq "verify: an unbound DeviceAllow= node is a warning (exit 0)" "$?" 0
check_eq "verify: the warning names the missing Bind=" "$(cat "$tmp/err")" \
        "$tmp/etc/dev.container:2: [Security] DeviceAllow=/dev/kmsg w: warning: no Bind= makes /dev/kmsg reachable in the container, DeviceAllow= only lets it open a node it has (expected also Bind=/dev/kmsg in [Files])"
rm -f "$tmp/etc/dev.container"

# The man page documents every key of the parser's table.
missing=""
while read -r section key; do
        grep -q "^\*$key=\*\$" "$src/src/man/berth.container.5.scd" || missing="$missing $key"
        grep -q "^# \[$section\] SECTION\$" "$src/src/man/berth.container.5.scd" || missing="$missing [$section]"
done < <(sed -n 's/^ *{"\([A-Za-z]*\)", "\([A-Za-z]*\)", parse_.*/\1 \2/p' "$src/src/config/keys.c")
n=$(sed -n 's/^ *{"\([A-Za-z]*\)", "\([A-Za-z]*\)", parse_.*/\1 \2/p' "$src/src/config/keys.c" | wc -l)
check_eq "berth.container(5) documents all $n keys" "$missing" ""
[ "$n" -ge 31 ] && ok "key table found ($n keys)" || fail "key table found ($n keys)"

tap_done
