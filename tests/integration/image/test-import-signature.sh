#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# berth import with cosign key-based signatures (issue 18). Keys and signatures are minted here
# with the openssl CLI; the layout is what `cosign sign --key` + `cosign save` write
# (make-cosign-sig.py). A good signature imports and its digest and key fingerprint are recorded
# in IMAGE_DIR/.images/NAME; every bad case is refused with its own one-line message and leaves
# nothing in the image directory. Needs root (ownership in the imported tree).
# Usage: test-import-signature.sh BERTH TAP_SH MAKE_OCI MAKE_SIG
set -u
BERTH=$1
. "$2"
MAKE_OCI=$3 MAKE_SIG=$4

T=$(mktemp -d /tmp/berth-test-import-sig.XXXXXX)
trap 'rm -rf "$T"' EXIT
export BERTH_IMAGE_DIR=$T/images BERTH_CONFIG_PATH=$T/etc
unset BERTH_STATE_DIR
mkdir -p "$T/etc"

nothing_left() {
        [ ! -e "$BERTH_IMAGE_DIR/$1" ] && [ ! -e "$T/etc/$1.container" ] &&
                [ ! -e "$BERTH_IMAGE_DIR/.images/$1" ] &&
                [ -z "$(find "$BERTH_IMAGE_DIR" -maxdepth 1 -name '.import-*' 2>/dev/null)" ]
}
has() { # has TEXT FILE: a check that shows the file when it fails
        grep -qF -- "$1" "$2" || { diag "$(cat "$2")"; return 1; }
}
one_line() { [ "$(grep -c . "$1")" -eq 1 ] || { diag "$(cat "$1")"; return 1; }; }

# Keys: the signer's P-256 pair, another P-256 pair, a P-384 and an RSA public key.
openssl ecparam -name prime256v1 -genkey -noout -out "$T/signer.pem" 2>/dev/null
openssl ec -in "$T/signer.pem" -pubout -out "$T/signer.pub" 2>/dev/null
openssl ecparam -name prime256v1 -genkey -noout -out "$T/other.pem" 2>/dev/null
openssl ec -in "$T/other.pem" -pubout -out "$T/other.pub" 2>/dev/null
openssl ecparam -name secp384r1 -genkey -noout -out "$T/p384.pem" 2>/dev/null
openssl ec -in "$T/p384.pem" -pubout -out "$T/p384.pub" 2>/dev/null
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$T/rsa.pem" 2>/dev/null
openssl pkey -in "$T/rsa.pem" -pubout -out "$T/rsa.pub" 2>/dev/null
FPR=sha256:$(openssl pkey -pubin -in "$T/signer.pub" -outform DER | sha256sum | cut -d' ' -f1)

mkdir -p "$T/src/etc"
echo signed >"$T/src/etc/motd"
tar --numeric-owner -C "$T/src" -cf "$T/layer.tar" .
# layout NAME [make-cosign-sig.py options | none]: a fresh image layout, signed unless "none"
layout() {
        local dir=$T/$1
        shift
        rm -rf "$dir"
        python3 "$MAKE_OCI" "$dir" '{"Cmd":["/bin/true"]}' "$T/layer.tar" || return 1
        [ "${1:-}" = none ] || python3 "$MAKE_SIG" "$dir" "${SIGNER:-$T/signer.pem}" "$@" >/dev/null
}
manifest_of() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["manifests"][0]["digest"])' "$T/$1/index.json"; }

# --- a good signature -------------------------------------------------------------------------------
layout good
"$BERTH" import --verify-key="$T/signer.pub" good --oci "$T/good" >"$T/out" 2>&1
check "a layout signed by the key imports" test $? -eq 0
check "the import says which key verified it" has "by key $FPR" "$T/out"
check "the image's file is there" has signed "$BERTH_IMAGE_DIR/good/etc/motd"
check "the provenance records the manifest digest" has "Digest=$(manifest_of good)" "$BERTH_IMAGE_DIR/.images/good"
check "the provenance records the key's fingerprint (sha256 of its DER SubjectPublicKeyInfo)" \
        has "SignedBy=$FPR" "$BERTH_IMAGE_DIR/.images/good"
check "the provenance is not inside the container's root" test ! -e "$BERTH_IMAGE_DIR/good/.images"

# The same through the trust policy, with the signature tagged sha256-HEX.sig as in a registry.
layout tagged --tag
printf '[Trust]\nRequireSignature=yes\nTrustedKey=%s\n' "$T/other.pub" >"$T/etc/trust.conf"
mkdir -p "$T/etc/trust.conf.d"
printf '[Trust]\nTrustedKey=%s\n' "$T/signer.pub" >"$T/etc/trust.conf.d/50-signer.conf"
"$BERTH" import tagged --oci "$T/tagged" >"$T/out" 2>&1
check "trust.conf + drop-in: a signature by one of the trusted keys imports" test $? -eq 0

# --- refusals: each with its own message, nothing left ----------------------------------------------
# refuse NAME TEXT [import args...]: the import fails, says TEXT on one line, leaves nothing
refuse() {
        local name=$1 text=$2
        shift 2
        "$BERTH" import "$@" >"$T/out" 2>&1
        check "$name: refused" test $? -ne 0
        check "$name: the error says '$text'" has "$text" "$T/out"
        check "$name: the error is one line" one_line "$T/out"
        check "$name: nothing left in the image directory" nothing_left "$name"
}
VK=--verify-key=$T/signer.pub

SIGNER=$T/other.pem layout otherkey
refuse otherkey "does not verify with the trusted key $T/signer.pub" "$VK" otherkey --oci "$T/otherkey"

layout otherdigest --digest=sha256:$(printf '%064d' 0)
refuse otherdigest "signed payload names image sha256:$(printf '%064d' 0), not the imported image" \
        "$VK" otherdigest --oci "$T/otherdigest"

layout truncated --truncate=40
refuse truncated "is not a DER ECDSA signature" "$VK" truncated --oci "$T/truncated"

layout unsigned none
refuse unsigned "no cosign signature for sha256:" "$VK" unsigned --oci "$T/unsigned"
refuse unsignedpolicy "no cosign signature for sha256:" unsignedpolicy --oci "$T/unsigned"

layout extra "--payload={\"critical\":{\"identity\":{\"docker-reference\":\"x\"},\"image\":{\"docker-manifest-digest\":\"$(manifest_of good)\"},\"type\":\"cosign container image signature\",\"evil\":1}}"
refuse extra 'unknown field "critical.evil"' "$VK" extra --oci "$T/extra"

refuse p384 "not P-256" --verify-key="$T/p384.pub" p384 --oci "$T/good"
refuse rsakey "is an RSA key, not ECDSA P-256" --verify-key="$T/rsa.pub" rsakey --oci "$T/good"

# A flipped byte in any blob: the image manifest, its config, its layer, the signature manifest,
# the payload. Each is refused by its digest check, before anything is unpacked.
layout flip
for blob in "$T"/flip/blobs/sha256/*; do
        hex=$(basename "$blob")
        rm -rf "$T/flipped"
        cp -a "$T/flip" "$T/flipped"
        python3 -c 'import sys; p=sys.argv[1]; b=bytearray(open(p,"rb").read()); b[len(b)//2]^=1; open(p,"wb").write(b)' \
                "$T/flipped/blobs/sha256/$hex"
        refuse "flip-${hex:0:12}" "does not match its digest: expected sha256:$hex" "$VK" "flip-${hex:0:12}" --oci "$T/flipped"
done

# --- tarballs: TARBALL.sig, ECDSA-SHA256 over the tarball's bytes, base64 --------------------------
cp "$T/layer.tar" "$T/rootfs.tar"
openssl dgst -sha256 -sign "$T/signer.pem" "$T/rootfs.tar" | base64 -w0 >"$T/rootfs.tar.sig"
"$BERTH" import "$VK" tarball "$T/rootfs.tar" >"$T/out" 2>&1
check "a tarball with a good .sig imports" test $? -eq 0
check "its provenance records the tarball's sha256" \
        has "Digest=sha256:$(sha256sum "$T/rootfs.tar" | cut -d' ' -f1)" "$BERTH_IMAGE_DIR/.images/tarball"
check "its provenance records the signer" has "SignedBy=$FPR" "$BERTH_IMAGE_DIR/.images/tarball"
cp "$T/rootfs.tar" "$T/flipped.tar"
cp "$T/rootfs.tar.sig" "$T/flipped.tar.sig"
printf 'X' | dd of="$T/flipped.tar" bs=1 seek=600 conv=notrunc 2>/dev/null
refuse tarflip "flipped.tar.sig does not verify over" "$VK" tarflip "$T/flipped.tar"
cp "$T/rootfs.tar" "$T/nosig.tar"
refuse tarnosig "no signature file $T/nosig.tar.sig" "$VK" tarnosig "$T/nosig.tar"

# --- the policy: errors name file:line; RequireSignature=no lets unsigned images in ----------------
printf '[Trust]\nRequireSignatures=yes\n' >"$T/etc/trust.conf.d/60-typo.conf"
"$BERTH" import badpolicy --oci "$T/good" >"$T/out" 2>&1
check "a bad trust.conf.d file refuses the import" test $? -ne 0
check "the error names file:line and key" has "$T/etc/trust.conf.d/60-typo.conf:2: [Trust] RequireSignatures=yes: unknown key" "$T/out"
rm "$T/etc/trust.conf.d/60-typo.conf"
printf '[Trust]\nRequireSignature=yes\nTrustedKey=%s\n' "$T/signer.pub" >"$T/etc/trust.conf"
printf '[Trust]\nRequireSignature=no\n' >"$T/etc/trust.conf.d/70-optional.conf"
"$BERTH" import optional --oci "$T/unsigned" >"$T/out" 2>&1
check "RequireSignature=no (a drop-in overriding trust.conf): an unsigned image imports" test $? -eq 0
check "an unsigned image's provenance has no signer" test -z "$(grep SignedBy= "$BERTH_IMAGE_DIR/.images/optional")"
refuse otherkeyoptional "does not verify" otherkeyoptional --oci "$T/otherkey"

# --- berth status of a running container whose root is a signed image ----------------------------
# (a running container as berth status sees it: a state file and its held lock)
mkdir -p "$T/state/tagged"
printf 'NAME=tagged\nSUPERVISOR=%s\nLEADER=%s\nROOT=%s\nSCOPE=\nCONFIG=%s\n' $$ $$ \
        "$BERTH_IMAGE_DIR/tagged" "$T/etc/tagged.container" >"$T/state/tagged/state"
exec {lockfd}>"$T/state/tagged/lock"
flock -x "$lockfd"
BERTH_STATE_DIR=$T/state "$BERTH" status --no-pager -n 0 tagged >"$T/out" 2>&1
check "berth status shows the image and its digest" has "Image: tagged ($(manifest_of tagged))" "$T/out"
check "berth status shows the signer's fingerprint" has "Signed by: $FPR" "$T/out"
exec {lockfd}>&-

# --- berth images, berth rm-image ----------------------------------------------------------------
"$BERTH" images -o json >"$T/images.json" 2>&1
check "berth images -o json runs" test $? -eq 0
python3 - "$T/images.json" "$(manifest_of good)" "$FPR" >"$T/out" 2>&1 <<'PY'
import json, sys
rows = {r["name"]: r for r in json.load(open(sys.argv[1]))}
g = rows["good"]
assert g["digest"] == sys.argv[2] and g["signed_by"] == sys.argv[3], g
assert g["used_by"] == "good" and g["size"] > 0 and g["imported"] > 0, g
assert rows["optional"]["signed_by"] is None, rows["optional"]
assert "otherkey" not in rows and ".images" not in rows, rows.keys()
PY
check "berth images lists digest, signer, size, time and the container using it" test $? -eq 0 -a ! -s "$T/out"
"$BERTH" images --no-legend >"$T/out" 2>&1
check "berth images (text) shows the signer" has "good" "$T/out"
"$BERTH" rm-image good >"$T/out" 2>&1
check "rm-image refuses an image a declared container uses" test $? -ne 0
check "rm-image names the container" has "used by container good" "$T/out"
check "the refused image is still there" test -e "$BERTH_IMAGE_DIR/good/etc/motd"
rm "$T/etc/good.container"
"$BERTH" rm-image good >"$T/out" 2>&1
check "rm-image removes an image no container uses" test $? -eq 0
check "its root is gone" test ! -e "$BERTH_IMAGE_DIR/good"
check "its provenance record is gone" test ! -e "$BERTH_IMAGE_DIR/.images/good"
check "nothing else left behind" test -z "$(find "$BERTH_IMAGE_DIR" -maxdepth 1 -name '.import-*')"
"$BERTH" rm-image good >"$T/out" 2>&1
check "rm-image of a missing image fails" test $? -ne 0
echo Imported=1 >"$BERTH_IMAGE_DIR/.images/ghost"
"$BERTH" rm-image ghost >"$T/out" 2>&1
check "rm-image of a record whose root is gone removes the record" test $? -eq 0 -a ! -e "$BERTH_IMAGE_DIR/.images/ghost"

tap_done
