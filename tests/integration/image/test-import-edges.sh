#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# berth import against hostile images (issue 13): device nodes refused naming the member,
# setuid/setgid bits and file capabilities removed unless --keep-setuid, symlinked OCI blobs
# refused, decompression bombs bounded by --max-size= and by free space ("disk full"), nothing
# left behind, a killed import's staging directory removed by the next one, and the image
# directory kept 0700. Needs root. Usage: test-import-edges.sh BERTH TAP_SH MAKE_OCI
set -u
BERTH=$1
. "$2"
MAKE_OCI=$3

# Own mount namespace for the small tmpfs of the disk-full case.
if [ -z "${EDGE_OWN_NS:-}" ]; then
        EDGE_OWN_NS=1 exec unshare --mount --propagation private bash "$0" "$@"
fi
T=$(mktemp -d /tmp/berth-test-import-edges.XXXXXX)
LOCKER=
cleanup() {
        [ -n "$LOCKER" ] && kill "$LOCKER" 2>/dev/null && wait "$LOCKER" 2>/dev/null
        umount "$T/small" 2>/dev/null
        rm -rf "$T"
}
trap cleanup EXIT
export BERTH_IMAGE_DIR=$T/images BERTH_CONFIG_PATH=$T/etc
unset BERTH_STATE_DIR
mkdir -p "$BERTH_IMAGE_DIR"
chmod 0755 "$BERTH_IMAGE_DIR"

nothing_left() {
        [ ! -e "$BERTH_IMAGE_DIR/$1" ] && [ ! -e "$T/etc/$1.container" ] &&
                [ -z "$(find "$BERTH_IMAGE_DIR" -maxdepth 1 -name '.import-*' 2>/dev/null)" ]
}
has() { # has TEXT FILE: a check that shows the file when it fails
        grep -qF -- "$1" "$2" || { diag "$(cat "$2")"; return 1; }
}

# --- device nodes ---------------------------------------------------------------------------------
for kind in c b; do
        rm -rf "$T/dev-src"
        mkdir -p "$T/dev-src/etc" "$T/dev-src/lib"
        echo x >"$T/dev-src/etc/motd"
        if [ $kind = c ]; then mknod "$T/dev-src/lib/evil" c 1 3; else mknod "$T/dev-src/lib/evil" b 7 0; fi
        tar --numeric-owner -C "$T/dev-src" -cf "$T/dev-$kind.tar" .
        "$BERTH" import "dev-$kind" "$T/dev-$kind.tar" >/dev/null 2>"$T/err"
        check "an image with a $kind device node is refused" test $? -ne 0
        check "the error names the member and says why ($kind)" has "member 'lib/evil' is a" "$T/err"
        check "nothing left of the refused image ($kind)" nothing_left "dev-$kind"
done
# The usual nodes of a root file system tarball's /dev are left out, not refused.
rm -rf "$T/dev-src"
mkdir -p "$T/dev-src/dev/pts" "$T/dev-src/etc"
echo x >"$T/dev-src/etc/motd"
mknod "$T/dev-src/dev/null" c 1 3
mknod "$T/dev-src/dev/loop0" b 7 0
ln -s /proc/self/fd "$T/dev-src/dev/fd"
tar --numeric-owner -C "$T/dev-src" -cf "$T/dev-usual.tar" .
"$BERTH" import dev-usual "$T/dev-usual.tar" >"$T/out" 2>&1
check "an image with nodes only in /dev imports" test $? -eq 0
check "the nodes in /dev were left out" test ! -e "$BERTH_IMAGE_DIR/dev-usual/dev/null" -a \
        ! -e "$BERTH_IMAGE_DIR/dev-usual/dev/loop0"
check "the rest of /dev is kept" test -d "$BERTH_IMAGE_DIR/dev-usual/dev/pts" -a -L "$BERTH_IMAGE_DIR/dev-usual/dev/fd"
check "the import says so" has "Left out 2 device node(s) in /dev" "$T/out"
check_eq "the image directory was made 0700 (it existed 0755)" "$(stat -c %a "$BERTH_IMAGE_DIR")" 700

# --- setuid, setgid, file capabilities ---------------------------------------------------------
mkdir -p "$T/suid-src/bin" "$T/suid-src/shared"
cp /bin/true "$T/suid-src/bin/su-like"
chmod 4755 "$T/suid-src/bin/su-like"
cp /bin/true "$T/suid-src/bin/sg-like"
chmod 2755 "$T/suid-src/bin/sg-like"
cp /bin/true "$T/suid-src/bin/ping-like"
setcap cap_net_raw+ep "$T/suid-src/bin/ping-like"
chmod 2775 "$T/suid-src/shared"
tar --numeric-owner --xattrs --xattrs-include='*' -C "$T/suid-src" -cf "$T/suid.tar" .
"$BERTH" import suid "$T/suid.tar" >"$T/out" 2>&1
check "an image with setuid files imports" test $? -eq 0
r=$BERTH_IMAGE_DIR/suid
check_eq "setuid bit removed" "$(stat -c %a "$r/bin/su-like")" 755
check_eq "setgid bit removed from a file" "$(stat -c %a "$r/bin/sg-like")" 755
check_eq "file capability removed" "$(getfattr --absolute-names -n security.capability "$r/bin/ping-like" 2>/dev/null | grep -c capability)" 0
check_eq "a directory keeps its setgid bit" "$(stat -c %a "$r/shared")" 2775
check "the import says what it removed and how to keep it" has "from 3 file(s); import with --keep-setuid" "$T/out"

"$BERTH" import --keep-setuid suid-kept "$T/suid.tar" >"$T/out" 2>&1
check "--keep-setuid imports" test $? -eq 0
r=$BERTH_IMAGE_DIR/suid-kept
check_eq "--keep-setuid keeps the setuid bit" "$(stat -c %a "$r/bin/su-like")" 4755
check_eq "--keep-setuid keeps the setgid bit" "$(stat -c %a "$r/bin/sg-like")" 2755
check "--keep-setuid keeps the file capability" has "cap_net_raw" <(getcap "$r/bin/ping-like")

# --- the host's extended attributes: security.* (SELinux labels) and trusted.* (overlayfs) ------
# Set by the image, they would pick the SELinux type and categories its files are read under, or
# steer overlayfs (opaque, redirect) where the image is a lower layer. Never imported, also with
# --keep-setuid; user.* is the image's own.
python3 - "$T/xattr.tar" <<'PY'
import io, sys, tarfile
with tarfile.open(sys.argv[1], "w", format=tarfile.PAX_FORMAT) as t:
    plain = tarfile.TarInfo("plain")
    t.addfile(plain, io.BytesIO(b""))
    for name, kind in (("labelled", tarfile.REGTYPE), ("opaque", tarfile.DIRTYPE)):
        i = tarfile.TarInfo(name)
        i.type = kind
        i.mode = 0o755 if kind == tarfile.DIRTYPE else 0o644
        i.pax_headers = {"SCHILY.xattr.security.selinux": "system_u:object_r:shadow_t:s0",
                         "SCHILY.xattr.trusted.overlay.opaque": "y",
                         "SCHILY.xattr.security.ima": "x"}
        t.addfile(i, io.BytesIO(b"") if kind == tarfile.REGTYPE else None)
PY
for keep in "" --keep-setuid; do
        "$BERTH" import $keep "xattr${keep:+-kept}" "$T/xattr.tar" >"$T/out" 2>&1
        check "an image with security.* and trusted.* xattrs imports ${keep:-(default)}" test $? -eq 0
        r=$BERTH_IMAGE_DIR/xattr${keep:+-kept}
        for f in labelled opaque; do
                check_eq "${keep:-import}: $f carries no trusted.* xattr" \
                        "$(getfattr --absolute-names -d -m '^trusted\.' "$r/$f" 2>/dev/null | grep -c '^trusted')" 0
                check_eq "${keep:-import}: $f carries no security.ima" \
                        "$(getfattr --absolute-names -d -m '^security\.ima' "$r/$f" 2>/dev/null | grep -c '^security')" 0
                # Without SELinux none; with it, what the host's policy gives a new file there.
                check_eq "${keep:-import}: $f has the label of a file the image did not label" \
                        "$(getfattr --absolute-names --only-values -n security.selinux "$r/$f" 2>/dev/null)" \
                        "$(getfattr --absolute-names --only-values -n security.selinux "$r/plain" 2>/dev/null)"
        done
done

# --- symlinked OCI blobs -----------------------------------------------------------------------
# A host file that happens to be a valid layer: with the blob a symlink to it, import would read
# it (and a symlink to any file makes import report that file's digest).
mkdir -p "$T/ok-src/etc"
echo host-only >"$T/ok-src/etc/secret"
tar -C "$T/ok-src" -cf "$T/layer.tar" .
python3 "$MAKE_OCI" "$T/oci-link" '{}' "$T/layer.tar"
digest=$(sha256sum "$T/layer.tar" | cut -d' ' -f1)
mv "$T/oci-link/blobs/sha256/$digest" "$T/host-file.tar"
ln -s "$T/host-file.tar" "$T/oci-link/blobs/sha256/$digest"
"$BERTH" import oci-link --oci "$T/oci-link" >/dev/null 2>"$T/err"
check "a blob that is a symlink is refused" test $? -ne 0
check "the error says it is a symlink" has "is a symlink" "$T/err"
check "nothing left of the symlinked-blob image" nothing_left oci-link

python3 "$MAKE_OCI" "$T/oci-dirlink" '{}' "$T/layer.tar"
mv "$T/oci-dirlink/blobs" "$T/elsewhere"
ln -s "$T/elsewhere" "$T/oci-dirlink/blobs"
"$BERTH" import oci-dirlink --oci "$T/oci-dirlink" >/dev/null 2>"$T/err"
check "blobs/ that is a symlink is refused" test $? -ne 0
check "nothing left of the symlinked-blobs image" nothing_left oci-dirlink

python3 "$MAKE_OCI" "$T/oci-index" '{}' "$T/layer.tar"
mv "$T/oci-index/index.json" "$T/index-elsewhere.json"
ln -s "$T/index-elsewhere.json" "$T/oci-index/index.json"
"$BERTH" import oci-index --oci "$T/oci-index" >/dev/null 2>"$T/err"
check "an index.json that is a symlink is refused" test $? -ne 0

# --- terminal escapes in what the image names ------------------------------------------------
# Member names and an OCI media type are the image's bytes: an error quoting them must not write
# escape sequences (a title change, a screen clear, OSC 52 into the clipboard) to the admin's
# terminal.
python3 - "$T/esc.tar" <<'PY'
import io, sys, tarfile
with tarfile.open(sys.argv[1], "w", format=tarfile.PAX_FORMAT) as t:
    ti = tarfile.TarInfo("../\x1b]0;PWNED\x07\x1b[2J\u009b31m")
    ti.size = 1
    t.addfile(ti, io.BytesIO(b"x"))
PY
"$BERTH" import esc "$T/esc.tar" >/dev/null 2>"$T/err"
check "an image whose member escapes the root is refused" test $? -ne 0
check "the error shows the member name escaped" has "'../\x1b]0;PWNED\a\x1b[2J\xc2\x9b31m'" "$T/err"
check "the error carries no ESC, BEL or C1 byte" bash -c '! LC_ALL=C grep -q $'"'"'[\x07\x1b\x9b]'"'"' "$1"' - "$T/err"
python3 "$MAKE_OCI" "$T/oci-esc" '{}' "$T/layer.tar"
python3 - "$T/oci-esc/index.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["manifests"][0]["mediaType"] = "x\x1b]52;c;cm0gLXJmIH4K\x07"
json.dump(d, open(sys.argv[1], "w"))
PY
"$BERTH" import oci-esc --oci "$T/oci-esc" >/dev/null 2>"$T/err"
check "an OCI manifest with an odd media type is refused" test $? -ne 0
check "the media type is shown escaped" has 'x\x1b]52;c;cm0gLXJmIH4K\a' "$T/err"
check "the OCI error carries no ESC or BEL byte" bash -c '! LC_ALL=C grep -q $'"'"'[\x07\x1b]'"'"' "$1"' - "$T/err"

# --- decompression bombs ----------------------------------------------------------------------
mkdir -p "$T/bomb-src"
head -c 64M /dev/zero >"$T/bomb-src/zeros"
tar -C "$T/bomb-src" -cf - . | zstd -q -19 -o "$T/bomb.tar.zst"
rm -rf "$T/bomb-src"
diag "bomb: $(stat -c %s "$T/bomb.tar.zst") bytes compressed, 64 MiB unpacked"
"$BERTH" import --max-size=16M bomb "$T/bomb.tar.zst" >/dev/null 2>"$T/err"
check "an archive unpacking past --max-size= is refused" test $? -ne 0
check "the error names the limit" has "past the limit of 16 MiB (--max-size=)" "$T/err"
check "nothing left of the bomb" nothing_left bomb
"$BERTH" import --max-size=1k bad "$T/layer.tar" >/dev/null 2>"$T/err"
check "a tiny --max-size= refuses even a small image" test $? -ne 0
"$BERTH" import --max-size=lots bad "$T/layer.tar" >/dev/null 2>&1
check_eq "--max-size= with a bad value is a usage error" $? 2

# Bounded by free space: a 32 MiB image directory.
mkdir -p "$T/small"
mount -t tmpfs -o size=32M tmpfs "$T/small"
BERTH_IMAGE_DIR=$T/small/images "$BERTH" import bomb "$T/bomb.tar.zst" >/dev/null 2>"$T/err"
check "an archive larger than the free space is refused" test $? -ne 0
check "the error says disk full" has "disk full" "$T/err"
check_eq "nothing left in the full file system" "$(find "$T/small/images" -mindepth 1 | wc -l)" 0
check_eq "no config left" "$(ls "$T/etc" | grep -c bomb)" 0
# An OCI layer whose blob alone does not fit: the copy into the staging area fills the disk.
mkdir -p "$T/big-src"
head -c 40M /dev/urandom >"$T/big-src/noise"
tar -C "$T/big-src" -cf "$T/big.tar" .
rm -rf "$T/big-src"
python3 "$MAKE_OCI" "$T/oci-big" '{}' "$T/big.tar"
rm -f "$T/big.tar"
BERTH_IMAGE_DIR=$T/small/images "$BERTH" import big --oci "$T/oci-big" >/dev/null 2>"$T/err"
check "an OCI layer larger than the free space is refused" test $? -ne 0
check "the blob copy says disk full" has "disk full" "$T/err"
check_eq "nothing left in the full file system after the OCI import" "$(find "$T/small/images" -mindepth 1 | wc -l)" 0

# --- very deep trees: import, whiteouts, a failed import's cleanup, rm-image ------------------
# PAX paths have no length limit and libarchive creates them component by component, so an image
# may be as deep as it likes. With fewer fds than levels (ulimit) the recursive remover stopped
# with EMFILE: a refused image's staging directory was left, a whiteout failed the import,
# rm-image failed.
DEEP=1000
python3 - "$T" "$DEEP" <<'PY'
import io, os, sys, tarfile
out, deep = sys.argv[1], int(sys.argv[2])
def add_dir(t, name):
    ti = tarfile.TarInfo(name); ti.type = tarfile.DIRTYPE; ti.mode = 0o755; t.addfile(ti)
def mk(path, evil):
    with tarfile.open(path, "w", format=tarfile.PAX_FORMAT) as t:
        add_dir(t, "etc")
        p = "deep"
        for _ in range(deep):
            add_dir(t, p)
            p += "/d"
        ti = tarfile.TarInfo(p + "/bottom"); ti.size = 2; t.addfile(ti, io.BytesIO(b"x\n"))
        if evil:
            ti = tarfile.TarInfo("lib/evil"); ti.type = tarfile.CHRTYPE; ti.devmajor = 1; ti.devminor = 3
            t.addfile(ti)
mk(os.path.join(out, "deep.tar"), False)
mk(os.path.join(out, "deep-evil.tar"), True)
with tarfile.open(os.path.join(out, "deep-wh.tar"), "w") as t:
    ti = tarfile.TarInfo(".wh.deep"); t.addfile(ti, io.BytesIO(b""))
PY
deep_file=deep$(printf '/d%.0s' $(seq "$DEEP"))/bottom
(ulimit -Sn 256 && exec "$BERTH" import deep "$T/deep.tar") >/dev/null 2>"$T/err"
check "an image $DEEP directories deep imports" test $? -eq 0
check "its deepest file is there" test -f "$BERTH_IMAGE_DIR/deep/$deep_file"
rm -f "$T/etc/deep.container"
(ulimit -Sn 256 && exec "$BERTH" rm-image deep) >"$T/out" 2>&1
check "rm-image removes it" has "Removed image deep" "$T/out"
check "nothing left of it" nothing_left deep
(ulimit -Sn 256 && exec "$BERTH" import deep-evil "$T/deep-evil.tar") >/dev/null 2>"$T/err"
check "a deep image with a device node is refused" has "member 'lib/evil' is a" "$T/err"
check "nothing left of the refused deep image (its staging removed)" nothing_left deep-evil
python3 "$MAKE_OCI" "$T/oci-deep" '{}' "$T/deep.tar" "$T/deep-wh.tar"
(ulimit -Sn 256 && exec "$BERTH" import deep-wh --oci "$T/oci-deep") >/dev/null 2>"$T/err"
rc=$?
[ $rc -eq 0 ] || diag "$(cat "$T/err")"
check "a whiteout of a deep directory applies (the import succeeds)" test $rc -eq 0
check "the image is there, without the deep directory" test -d "$BERTH_IMAGE_DIR/deep-wh/etc" -a ! -e "$BERTH_IMAGE_DIR/deep-wh/deep"
check "nothing of it left in the image directory" test -z "$(find "$BERTH_IMAGE_DIR" -maxdepth 1 -name '.import-*')"
rm -rf "$T/oci-deep" "$T/deep.tar" "$T/deep-evil.tar" "$T/deep-wh.tar"

# --- a killed import's staging directory ------------------------------------------------------
mkdir -p "$BERTH_IMAGE_DIR/.import-killed-Ab12Cd/root/etc"
echo left >"$BERTH_IMAGE_DIR/.import-killed-Ab12Cd/root/etc/motd"
# One still running (its lock held) must survive.
mkdir -p "$BERTH_IMAGE_DIR/.import-running-Ef34Gh/root"
# The sleep itself holds the lock (no flock(1) child left behind when it is killed).
(exec 9<"$BERTH_IMAGE_DIR/.import-running-Ef34Gh" && flock 9 && exec sleep 300) >/dev/null 2>&1 &
LOCKER=$!
for i in $(seq 50); do # until flock holds it (a lock attempt that fails means it does)
        flock -n "$BERTH_IMAGE_DIR/.import-running-Ef34Gh" true || break
        sleep 0.1
done
"$BERTH" import after-kill "$T/layer.tar" >/dev/null 2>"$T/err"
check "an import after a killed one succeeds" test $? -eq 0
check "the killed import's staging directory is removed" test ! -e "$BERTH_IMAGE_DIR/.import-killed-Ab12Cd"
check "a running import's staging directory is kept" test -d "$BERTH_IMAGE_DIR/.import-running-Ef34Gh/root"
kill "$LOCKER"
wait "$LOCKER" 2>/dev/null
LOCKER=

tap_done
