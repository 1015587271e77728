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
        # (stdout only: their roots are not here, which verify warns about on stderr)
        out=$("$berth" verify --file "$f" 2>/dev/null)
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

# verify warns (exit status still 0) about what the root lacks: the root itself, User= in its
# /etc/passwd, the Exec= program (resolved inside the root: a symlink to an absolute path is the
# root's, not the host's).
r=$tmp/root
mkdir -p "$r/bin" "$r/etc" "$r/usr/sbin"
printf '#!/bin/sh\n' > "$r/bin/tool" && chmod 0755 "$r/bin/tool"
printf 'data\n' > "$r/bin/notexec"
ln -s /bin/tool "$r/usr/sbin/viasymlink"
ln -s /bin/bash "$r/usr/sbin/hostbash" # exists on the host, not in the root
printf 'root:x:0:0::/root:/bin/sh\nwww-data:x:33:33::/var/www:/bin/sh\n' > "$r/etc/passwd"
printf '[Container]\nDirectory=%s\nExec=/usr/sbin/viasymlink\nUser=www-data\n' "$r" > "$tmp/good-root.container"
printf '[Container]\nDirectory=%s\nExec=/usr/sbin/nginx\nUser=nginx\n' "$r" > "$tmp/lacks.container"
printf '[Container]\nDirectory=%s\nExec=/usr/sbin/hostbash\n' "$r" > "$tmp/escape.container"
printf '[Container]\nDirectory=%s\nExec=/bin/notexec\n' "$r" > "$tmp/notexec.container"
printf '[Container]\nDirectory=%s/missing\n' "$tmp" > "$tmp/nodir.container"
"$berth" verify "$tmp/good-root.container" > "$tmp/out" 2> "$tmp/err"
check_eq "verify of a complete root: exit 0, no warning" "$?:$(cat "$tmp/err")" "0:"
"$berth" verify "$tmp/lacks.container" "$tmp/escape.container" "$tmp/notexec.container" \
        "$tmp/nodir.container" > "$tmp/out" 2> "$tmp/err"
check_eq "verify with warnings only exits 0" "$?" 0
diag "$(cat "$tmp/err")"
check "warns about a User= not in the root's /etc/passwd" \
        grep -q "^$tmp/lacks.container: warning: \[Container\] User=nginx: no such user in the root's /etc/passwd" "$tmp/err"
check "warns about an Exec= missing in the root" \
        grep -q "^$tmp/lacks.container: warning: \[Container\] Exec=/usr/sbin/nginx: No such file" "$tmp/err"
check "an Exec= symlink is resolved inside the root" \
        grep -q "^$tmp/escape.container: warning: \[Container\] Exec=/usr/sbin/hostbash: No such file" "$tmp/err"
check "warns about an Exec= that is not executable" \
        grep -q "^$tmp/notexec.container: warning: \[Container\] Exec=/bin/notexec: not an executable" "$tmp/err"
check "warns about a missing Directory=" \
        grep -q "^$tmp/nodir.container: warning: \[Container\] Directory=$tmp/missing: No such file" "$tmp/err"
check "the summary counts the warnings" grep -q "^4 checked, 4 valid, 0 with errors (0 errors), 5 warnings$" "$tmp/out"
# The values a warning quotes may be an image's (berth import writes Exec= and User= from its
# config): escape sequences in them reach the terminal escaped.
printf '[Container]\nDirectory=%s\nExec="/bin/\\x1b]0;PWNED\\x07\\x1b[2J"\n' "$r" > "$tmp/esc.container"
"$berth" verify "$tmp/esc.container" > "$tmp/out" 2> "$tmp/err"
check "warns about an Exec= with escapes, escaped" \
        grep -qF 'Exec=/bin/\x1b]0;PWNED\a\x1b[2J: No such file' "$tmp/err"
check "the warning carries no ESC or BEL byte" bash -c '! LC_ALL=C grep -q $'"'"'[\x07\x1b]'"'"' "$1"' - "$tmp/err"

# The root's /etc/passwd is the image's: a FIFO there neither hangs verify nor is opened for
# reading, a symlink (even to a real file inside the root) is refused, as berth run refuses it.
for kind in fifo symlink; do
        rr=$tmp/root-$kind
        mkdir -p "$rr/etc" "$rr/bin"
        printf '#!/bin/sh\n' > "$rr/bin/tool" && chmod 0755 "$rr/bin/tool"
        if [ $kind = fifo ]; then mkfifo "$rr/etc/passwd"; else
                printf 'app:x:1:1::/:/bin/sh\n' > "$rr/etc/passwd.real"; ln -s passwd.real "$rr/etc/passwd"; fi
        printf '[Container]\nDirectory=%s\nExec=/bin/tool\nUser=app\n' "$rr" > "$tmp/db-$kind.container"
        timeout 10 "$berth" verify "$tmp/db-$kind.container" > /dev/null 2> "$tmp/err"
        check_eq "verify with /etc/passwd a $kind: exit 0 (a warning), not a hang" "$?" 0
        check "verify with /etc/passwd a $kind: refuses the file, says why" \
                grep -q "User=app: berth refuses the root's /etc/passwd: " "$tmp/err"
done
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
done < <(sed -n 's/^ *{ *"\([A-Za-z]*\)", "\([A-Za-z]*\)", parse_.*/\1 \2/p' "$src/src/config/keys.c")
n=$(sed -n 's/^ *{ *"\([A-Za-z]*\)", "\([A-Za-z]*\)", parse_.*/\1 \2/p' "$src/src/config/keys.c" | wc -l)
check_eq "berth.container(5) documents all $n keys" "$missing" ""
[ "$n" -ge 31 ] && ok "key table found ($n keys)" || fail "key table found ($n keys)"

tap_done
