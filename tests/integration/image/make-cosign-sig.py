#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Signs an OCI layout (from make-oci-layout.py) the way `cosign sign --key` + `cosign save` lay
it out: make-cosign-sig.py LAYOUT KEY.pem [--digest=sha256:X] [--payload-extra] [--truncate=N]
[--tag] [--payload=TEXT].

Appends to index.json a manifest annotated "kind": "dev.cosignproject.cosign/sigs" (with --tag:
"org.opencontainers.image.ref.name": "sha256-HEX.sig" instead) whose one layer is the simple-signing
payload naming the image's manifest digest (or --digest), with the base64 ECDSA signature over the
payload bytes, made by `openssl dgst -sha256 -sign KEY.pem`, in the annotation
dev.cosignproject.cosign/signature (cut to N bytes of DER with --truncate). Standard library only,
plus the openssl CLI."""
import base64
import hashlib
import json
import os
import subprocess
import sys


def add_blob(out, data):
    digest = hashlib.sha256(data).hexdigest()
    with open(os.path.join(out, "blobs", "sha256", digest), "wb") as f:
        f.write(data)
    return {"digest": "sha256:" + digest, "size": len(data)}


def main():
    out, key = sys.argv[1], sys.argv[2]
    opts = dict(a[2:].split("=", 1) if "=" in a else (a[2:], "") for a in sys.argv[3:])
    with open(os.path.join(out, "index.json")) as f:
        index = json.load(f)
    image = index["manifests"][0]
    image.setdefault("annotations", {})["kind"] = "dev.cosignproject.cosign/image"
    digest = opts.get("digest", image["digest"])
    if "payload" in opts:
        payload = opts["payload"].encode()
    else:
        payload = json.dumps({"critical": {"identity": {"docker-reference": "example.org/berth/test"},
                                           "image": {"docker-manifest-digest": digest},
                                           "type": "cosign container image signature"},
                              "optional": None}, separators=(",", ":")).encode()
    sig = subprocess.run(["openssl", "dgst", "-sha256", "-sign", key], input=payload,
                         stdout=subprocess.PIPE, check=True).stdout
    if "truncate" in opts:
        sig = sig[:int(opts["truncate"])]
    layer = add_blob(out, payload)
    layer["mediaType"] = "application/vnd.dev.cosign.simplesigning.v1+json"
    layer["annotations"] = {"dev.cosignproject.cosign/signature": base64.b64encode(sig).decode()}
    cfg = add_blob(out, json.dumps({"architecture": "", "os": "", "config": {},
                                    "rootfs": {"type": "layers", "diff_ids": [layer["digest"]]}}).encode())
    cfg["mediaType"] = "application/vnd.oci.image.config.v1+json"
    manifest = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                "config": cfg, "layers": [layer]}
    desc = add_blob(out, json.dumps(manifest).encode())
    desc["mediaType"] = "application/vnd.oci.image.manifest.v1+json"
    if "tag" in opts:
        desc["annotations"] = {"org.opencontainers.image.ref.name": "sha256-%s.sig" % image["digest"][7:]}
    else:
        desc["annotations"] = {"kind": "dev.cosignproject.cosign/sigs"}
    index["manifests"].append(desc)
    with open(os.path.join(out, "index.json"), "w") as f:
        json.dump(index, f)
    print(layer["digest"])


if __name__ == "__main__":
    main()
