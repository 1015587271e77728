#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# berth import: tarballs (plain/gz/xz/zst) and OCI image layouts built here at test time, with
# ownership, modes and xattrs kept, whiteouts applied, and hostile or tampered input refused
# with nothing left behind. Needs root (ownership). Usage: test-import.sh BERTH TAP_SH MAKE_OCI
set -u
BERTH=$1
. "$2"
MAKE_OCI=$3

T=$(mktemp -d /tmp/berth-test-import.XXXXXX)
trap 'rm -rf "$T"' EXIT
export BERTH_IMAGE_DIR=$T/images BERTH_CONFIG_PATH=$T/etc:$T/lib
unset BERTH_STATE_DIR

# Nothing of NAME, and no staging directory, anywhere.
nothing_left() {
        [ ! -e "$BERTH_IMAGE_DIR/$1" ] && [ ! -e "$T/etc/$1.container" ] &&
                [ -z "$(find "$BERTH_IMAGE_DIR" "$T/etc" -maxdepth 1 -name ".*$1*" 2>/dev/null)" ]
}

# --- a root file system tarball, in each compression -----------------------------------------
mkdir -p "$T/src/bin" "$T/src/etc" "$T/src/srv/data"
echo 'hello from the image' >"$T/src/etc/motd"
printf '#!/bin/sh\necho hi\n' >"$T/src/bin/hello"
chmod 0750 "$T/src/bin/hello"
chown 1234:5678 "$T/src/srv/data"
chmod 1770 "$T/src/srv/data"
ln -s ../etc/motd "$T/src/bin/motd-link"
setfattr -n user.berth -v kept "$T/src/etc/motd" 2>/dev/null && have_xattr=1 || have_xattr=0
tar --numeric-owner --xattrs --xattrs-include='*' -C "$T/src" -cf "$T/root.tar" .
gzip -k "$T/root.tar"
xz -k "$T/root.tar"
zstd -q -k "$T/root.tar"

for ext in tar tar.gz tar.xz tar.zst; do
        name=t-${ext//./-}
        out=$("$BERTH" import "$name" "$T/root.$ext" 2>&1)
        check "import $ext succeeds" test $? -eq 0
        r=$BERTH_IMAGE_DIR/$name
        check_eq "import $ext: file content" "$(cat "$r/etc/motd" 2>&1)" "hello from the image"
        check_eq "import $ext: numeric owner and mode of a directory" "$(stat -c '%u:%g %a' "$r/srv/data" 2>&1)" \
                "1234:5678 1770"
        check_eq "import $ext: mode of an executable" "$(stat -c '%a' "$r/bin/hello" 2>&1)" "750"
        check_eq "import $ext: symlink kept as a symlink" "$(readlink "$r/bin/motd-link")" "../etc/motd"
        check "import $ext: starter config names the root" grep -qxF "Directory=$r" "$T/etc/$name.container"
        case $out in *"$T/etc/$name.container"*) ok "import $ext: says where the config went" ;;
        *) fail "import $ext: says where the config went"; diag "$out" ;; esac
done
if [ $have_xattr = 1 ]; then
        check_eq "xattrs kept" "$(getfattr --only-values -n user.berth "$BERTH_IMAGE_DIR/t-tar/etc/motd" 2>/dev/null)" kept
fi
check_eq "a plain tarball's starter config has no Exec=" "$(grep -c '^Exec=' "$T/etc/t-tar.container")" 0
check_eq "image directory is private" "$(stat -c %a "$BERTH_IMAGE_DIR")" 700

"$BERTH" import t-tar "$T/root.tar" >/dev/null 2>"$T/err"
check "importing over an existing name is refused" test $? -ne 0
check "existing image untouched" test -f "$BERTH_IMAGE_DIR/t-tar/etc/motd"
"$BERTH" import ../evil "$T/root.tar" >/dev/null 2>&1
check_eq "invalid name is a usage error" $? 2
check "invalid name wrote nothing" test ! -e "$T/evil"

# --- hostile tarballs ----------------------------------------------------------------------
python3 - "$T" <<'PY'
import io, sys, tarfile
t = sys.argv[1]
def member(tf, name, data=b"x", **kw):
    ti = tarfile.TarInfo(name); ti.size = len(data)
    for k, v in kw.items(): setattr(ti, k, v)
    tf.addfile(ti, io.BytesIO(data) if ti.isfile() else None)
with tarfile.open(f"{t}/abs.tar", "w") as tf:
    member(tf, "./ok"); member(tf, f"{t}/escaped-abs")
with tarfile.open(f"{t}/dotdot.tar", "w") as tf:
    member(tf, "./ok"); member(tf, "./a/../../escaped-dotdot")
with tarfile.open(f"{t}/hardlink.tar", "w") as tf:
    member(tf, "./ok"); member(tf, "./h", b"", type=tarfile.LNKTYPE, linkname="../../etc/passwd")
PY
for bad in abs dotdot hardlink; do
        "$BERTH" import "h-$bad" "$T/$bad.tar" >/dev/null 2>"$T/err"
        check "$bad member: import fails" test $? -eq 1
        check "$bad member: error names the member" grep -q "outside the root" "$T/err"
        check "$bad member: nothing half-imported" nothing_left "h-$bad"
done
check "nothing escaped the root" test ! -e "$T/escaped-abs" -a ! -e "$T/../escaped-dotdot"

# --- OCI image layout with two layers and whiteouts ------------------------------------------
mkdir -p "$T/l1/etc" "$T/l1/gone-dir/sub" "$T/l1/keep" "$T/l1/opq" "$T/l2/keep" "$T/l2/opq"
echo one >"$T/l1/etc/version"
echo a >"$T/l1/gone-file"
echo b >"$T/l1/gone-dir/sub/file"
echo c >"$T/l1/keep/x"
echo d >"$T/l1/keep/y"
echo e >"$T/l1/opq/old1"
echo f >"$T/l1/opq/old2"
echo two >"$T/l2/etc-version-new"
touch "$T/l2/.wh.gone-file" "$T/l2/.wh.gone-dir" "$T/l2/keep/.wh.x" "$T/l2/opq/.wh..wh..opq"
echo g >"$T/l2/opq/new"
tar --numeric-owner -C "$T/l1" -czf "$T/layer1.tar.gz" .
tar --numeric-owner -C "$T/l2" -cf "$T/layer2.tar" .
zstd -q "$T/layer2.tar" -o "$T/layer2.tar.zst"
config='{"Entrypoint":["/bin/sh","-c"],"Cmd":["echo \"hi\" there; echo 100%"],"Env":["PATH=/usr/bin:/bin","GREETING=a b"],"WorkingDir":"/srv","User":"1000:1000"}'
python3 "$MAKE_OCI" "$T/oci" "$config" "$T/layer1.tar.gz" "$T/layer2.tar.zst"
cp -a "$T/oci" "$T/oci-tampered"

"$BERTH" import web --oci "$T/oci" >"$T/out" 2>&1
check "OCI import succeeds" test $? -eq 0 || diag "$(cat "$T/out")"
r=$BERTH_IMAGE_DIR/web
check_eq "lower layer file present" "$(cat "$r/etc/version" 2>&1)" one
check_eq "upper layer file present" "$(cat "$r/etc-version-new" 2>&1)" two
check "whiteout removed a file" test ! -e "$r/gone-file"
check "whiteout removed a directory tree" test ! -e "$r/gone-dir"
check "whiteout in a subdirectory removed only its file" test ! -e "$r/keep/x" -a -f "$r/keep/y"
check_eq "opaque whiteout hid the lower directory but kept the layer's own file" "$(ls -A "$r/opq" | tr '\n' ' ')" "new "
check_eq "no whiteout markers left in the image" "$(find "$r" -name '.wh.*' | wc -l)" 0
c=$T/etc/web.container
check_eq "Exec= from Entrypoint+Cmd, quoted" "$(grep '^Exec=' "$c")" 'Exec=/bin/sh -c "echo \"hi\" there; echo 100%%"'
check_eq "Environment= from Env" "$(grep '^Environment=' "$c" | tr '\n' '|')" 'Environment=PATH=/usr/bin:/bin|Environment="GREETING=a b"|'
check_eq "WorkingDirectory= from WorkingDir" "$(grep '^WorkingDirectory=' "$c")" "WorkingDirectory=/srv"
check_eq "User= from User (user part)" "$(grep '^User=' "$c")" "User=1000"
check "the starter config passes berth verify" "$BERTH" verify -q web
check "a plain tarball's starter config passes berth verify" "$BERTH" verify -q t-tar-gz

# --- a tampered blob: refused with both digests, nothing left ---------------------------------
layer=$(ls -S "$T/oci-tampered/blobs/sha256" | head -1) # the largest blob: layer 1
expected=sha256:$layer
printf 'X' | dd of="$T/oci-tampered/blobs/sha256/$layer" bs=1 seek=100 conv=notrunc status=none
actual=sha256:$(sha256sum "$T/oci-tampered/blobs/sha256/$layer" | cut -d' ' -f1)
"$BERTH" import tampered --oci "$T/oci-tampered" >/dev/null 2>"$T/err"
check_eq "tampered blob: import fails" $? 1
check "tampered blob: error gives the expected digest" grep -qF "expected $expected" "$T/err"
check "tampered blob: error gives the actual digest" grep -qF "actual $actual" "$T/err"
check "tampered blob: nothing half-imported" nothing_left tampered
diag "$(cat "$T/err")"

# A tampered manifest is refused too (its digest is in index.json).
cp -a "$T/oci" "$T/oci-man"
man=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["manifests"][0]["digest"][7:])' "$T/oci-man/index.json")
sed -i 's/"schemaVersion": 2/"schemaVersion":  2/' "$T/oci-man/blobs/sha256/$man"
"$BERTH" import tampered-manifest --oci "$T/oci-man" >/dev/null 2>"$T/err"
check_eq "tampered manifest: import fails" $? 1
check "tampered manifest: error gives the expected digest" grep -qF "expected sha256:$man" "$T/err"
check "tampered manifest: nothing half-imported" nothing_left tampered-manifest

# A FIFO planted as a blob is refused at once instead of hanging the import.
cp -a "$T/oci" "$T/oci-fifo"
layer=$(ls -S "$T/oci-fifo/blobs/sha256" | head -1)
rm "$T/oci-fifo/blobs/sha256/$layer"
mkfifo "$T/oci-fifo/blobs/sha256/$layer"
timeout 20 "$BERTH" import fifo --oci "$T/oci-fifo" >/dev/null 2>"$T/err"
check_eq "a FIFO as a blob: import fails (does not hang)" $? 1
check "a FIFO as a blob: error says it is not a regular file" grep -q "not a regular file" "$T/err"
check "a FIFO as a blob: nothing half-imported" nothing_left fifo

# --- a symlink in a lower layer must not let an upper layer write outside --------------------
# (Layer 2 carries only "evil/pwned", no "evil/" directory entry that would replace the link.)
mkdir -p "$T/host-target" "$T/s1" "$T/s2/evil"
ln -s "$T/host-target" "$T/s1/evil"
echo pwned >"$T/s2/evil/pwned"
tar -C "$T/s1" -cf "$T/s1.tar" .
tar -C "$T/s2" -cf "$T/s2.tar" evil/pwned
python3 "$MAKE_OCI" "$T/oci-symlink" '{}' "$T/s1.tar" "$T/s2.tar"
# libarchive replaces the link by a directory inside the root (as an upper layer hides a lower
# one) rather than following it.
"$BERTH" import symlinked --oci "$T/oci-symlink" >/dev/null 2>"$T/err"
check "layer below a lower layer's symlink: import succeeds" test $? -eq 0
check "layer below a lower layer's symlink: host directory untouched" test -z "$(ls -A "$T/host-target")"
check "layer below a lower layer's symlink: written inside the root" \
        test ! -L "$BERTH_IMAGE_DIR/symlinked/evil" -a -f "$BERTH_IMAGE_DIR/symlinked/evil/pwned"

# Whiteouts below a symlink resolve inside the root: a link to a host directory deletes nothing there.
mkdir -p "$T/victim" "$T/w1" "$T/w2/hostlink"
echo precious >"$T/victim/precious"
ln -s "$T/victim" "$T/w1/hostlink"
touch "$T/w2/hostlink/.wh.precious" "$T/w2/hostlink/.wh..wh..opq"
tar -C "$T/w1" -cf "$T/w1.tar" .
tar -C "$T/w2" -cf "$T/w2.tar" hostlink/.wh.precious hostlink/.wh..wh..opq
python3 "$MAKE_OCI" "$T/oci-wh-link" '{}' "$T/w1.tar" "$T/w2.tar"
"$BERTH" import whlink --oci "$T/oci-wh-link" >/dev/null 2>"$T/err"
check "whiteouts below a symlink to the host: import succeeds" test $? -eq 0
check_eq "whiteouts below a symlink to the host: host file untouched" "$(cat "$T/victim/precious")" precious

# --- an interrupted import (Ctrl-C) leaves nothing ------------------------------------------
# Freeze it once its staging directory exists, queue SIGINT, let it go on: it stops mid-way.
mkdir -p "$T/huge"
for i in $(seq 40); do head -c $((4 * 1024 * 1024)) /dev/urandom >"$T/huge/f$i"; done
tar -C "$T/huge" -cf "$T/huge.tar" .
rm -rf "$T/huge"
"$BERTH" import interrupted "$T/huge.tar" >/dev/null 2>"$T/err" &
pid=$!
for _ in $(seq 500); do
        [ -n "$(find "$BERTH_IMAGE_DIR" -maxdepth 1 -name '.import-interrupted-*' 2>/dev/null)" ] && break
        sleep 0.01
done
kill -STOP $pid
kill -INT $pid
kill -CONT $pid
wait $pid
check_eq "interrupted import: fails" $? 1
check "interrupted import: says so" grep -q "interrupted" "$T/err"
check "interrupted import: nothing half-imported" nothing_left interrupted
rm -f "$T/huge.tar"

# --- progress bar: on a terminal for a large import, never in a pipe -------------------------
mkdir -p "$T/big"
head -c $((6 * 1024 * 1024)) /dev/urandom >"$T/big/blob"
tar -C "$T/big" -cf "$T/big.tar" .
script -qec "$BERTH import big-tty $T/big.tar" /dev/null >"$T/tty-out" 2>&1
check "progress bar drawn on a terminal" grep -q '100% 6.0M/6.0M' "$T/tty-out"
"$BERTH" import big-pipe "$T/big.tar" >"$T/pipe-out" 2>&1
check "no progress bar in a pipe" test -z "$(grep -e '%' -e $'\r' "$T/pipe-out")"

tap_done
