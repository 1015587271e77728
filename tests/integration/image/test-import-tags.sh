#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# berth import --oci DIR:TAG (issue 15): an index.json with two tagged manifests for the same
# platform (as `skopeo copy ... oci:DIR:TAG` leaves after two copies) is imported by tag; an
# unknown tag is refused naming the tags there are; without a tag, an index that cannot be
# decided says how to pick one. A root with an init system gets a commented Boot=yes in its
# starter file, and one without does not. Usage: test-import-tags.sh BERTH TAP_SH MAKE_OCI
set -u
BERTH=$1
. "$2"
MAKE_OCI=$3

T=$(mktemp -d /tmp/berth-test-import-tags.XXXXXX)
trap 'rm -rf "$T"' EXIT
export BERTH_IMAGE_DIR=$T/images BERTH_CONFIG_PATH=$T/etc
unset BERTH_STATE_DIR

# Layer "one": a plain root. Layer "two": a root with an init (/sbin/init -> /lib/systemd/systemd).
mkdir -p "$T/one/etc" "$T/two/etc" "$T/two/sbin" "$T/two/lib/systemd"
echo one > "$T/one/etc/which"
echo two > "$T/two/etc/which"
printf '#!/bin/sh\n' > "$T/two/lib/systemd/systemd"
chmod 0755 "$T/two/lib/systemd/systemd"
ln -s /lib/systemd/systemd "$T/two/sbin/init"
tar --numeric-owner -C "$T/one" -cf "$T/one.tar" .
tar --numeric-owner -C "$T/two" -cf "$T/two.tar" .
python3 "$MAKE_OCI" "$T/oci-one" '{"Cmd":["/bin/sh"]}' "$T/one.tar"
python3 "$MAKE_OCI" "$T/oci-two" '{}' "$T/two.tar"
# One layout holding both, each manifest tagged, both linux/amd64 (no platform decides).
mkdir -p "$T/oci:dir"
cp -a "$T/oci-one/." "$T/oci:dir/"
cp -a "$T/oci-two/blobs/." "$T/oci:dir/blobs/"
python3 - "$T/oci-one/index.json" "$T/oci-two/index.json" "$T/oci:dir/index.json" <<'PY'
import json, sys
a, b = (json.load(open(p))["manifests"][0] for p in sys.argv[1:3])
for m in (a, b):
    m.pop("platform", None)
a["annotations"] = {"org.opencontainers.image.ref.name": "one"}
b["annotations"] = {"org.opencontainers.image.ref.name": "2.0"}
json.dump({"schemaVersion": 2, "manifests": [a, b]}, open(sys.argv[3], "w"))
PY

"$BERTH" import untagged --oci "$T/oci:dir" > "$T/out" 2>&1
check_eq "without a tag, two manifests: import fails" "$?" 1
diag "$(cat "$T/out")"
check "the error says to pick one by tag and lists the tags" \
        grep -q "pick one by its tag with --oci DIR:TAG (tags: one, 2.0)" "$T/out"

"$BERTH" import a --oci "$T/oci:dir:one" > "$T/out" 2>&1
check_eq "DIR:TAG imports the manifest tagged 'one'" "$?:$(cat "$BERTH_IMAGE_DIR/a/etc/which" 2>&1)" "0:one"
check "a root without an init: no Boot= suggestion" bash -c "! grep -q 'Boot=' '$T/etc/a.container'"

"$BERTH" import b --oci "$T/oci:dir:2.0" > "$T/out" 2>&1
check_eq "DIR:TAG imports the manifest tagged '2.0'" "$?:$(cat "$BERTH_IMAGE_DIR/b/etc/which" 2>&1)" "0:two"
diag "$(cat "$T/etc/b.container")"
check "a root with an init: the starter suggests Boot=yes, commented" grep -qx '#Boot=yes' "$T/etc/b.container"
check "import says so" grep -q "commented Boot=yes" "$T/out"
check "the starter file passes berth verify" "$BERTH" verify -q b

"$BERTH" import c --oci "$T/oci:dir:nope" > "$T/out" 2>&1
check_eq "an unknown tag: import fails" "$?" 1
check "the error names the tag and the tags there are" \
        grep -q 'no manifest tagged "nope" .*its tags: one, 2.0' "$T/out"
check "an unknown tag leaves nothing" test ! -e "$BERTH_IMAGE_DIR/c" -a ! -e "$T/etc/c.container"

# A directory whose own name ends in ":TAG" is that directory, not DIR plus a tag.
mkdir -p "$T/plain"
cp -a "$T/oci-one" "$T/plain/layout:v1"
"$BERTH" import d --oci "$T/plain/layout:v1" > "$T/out" 2>&1
check_eq "an existing directory named DIR:X is taken whole" "$?:$(cat "$BERTH_IMAGE_DIR/d/etc/which" 2>&1)" "0:one"

# A plain tarball of a root with an init gets the suggestion too.
"$BERTH" import e "$T/two.tar" > "$T/out" 2>&1
check "a tarball with an init: Boot=yes suggested" grep -qx '#Boot=yes' "$T/etc/e.container"
tap_done
