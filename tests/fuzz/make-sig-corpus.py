#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Writes the sig-* files of corpus-oci: images signed as `cosign save` lays them out, by
fuzz-sig-test-key.pem (a key for these tests only; its public half is compiled into fuzz-oci.c),
good and bad. make-sig-corpus.py CORPUS_DIR. Needs the openssl CLI. ECDSA signatures are
randomized, so each run writes different (equally valid) bytes."""
import base64
import hashlib
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
KEY = os.path.join(HERE, "fuzz-sig-test-key.pem")
MARKER = "\n--- blob\n"


def digest(b):
    return "sha256:" + hashlib.sha256(b).hexdigest()


def sign(payload, key=KEY):
    return subprocess.run(["openssl", "dgst", "-sha256", "-sign", key], input=payload,
                          stdout=subprocess.PIPE, check=True).stdout


def payload_for(d, extra=None):
    p = {"critical": {"identity": {"docker-reference": "example.org/fuzz"},
                      "image": {"docker-manifest-digest": d},
                      "type": "cosign container image signature"}, "optional": None}
    if extra:
        p["critical"].update(extra)
    return json.dumps(p, separators=(",", ":")).encode()


def layout(mode):
    config = json.dumps({"architecture": "amd64", "os": "linux", "config": {"Cmd": ["/bin/true"]}}).encode()
    layer = b"layer bytes"
    manifest = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                           "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                                      "digest": digest(config), "size": len(config)},
                           "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar",
                                       "digest": digest(layer), "size": len(layer)}]}).encode()
    named = digest(manifest) if mode != "other-digest" else "sha256:" + "0" * 64
    payload = payload_for(named, {"evil": 1} if mode == "unknown-field" else None)
    if mode == "not-json":
        payload = b"{not json"
    sig = sign(payload)
    if mode == "truncated":
        sig = sig[:30]
    if mode == "other-key":
        other = subprocess.run(["openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout"],
                               stdout=subprocess.PIPE, check=True).stdout
        path = os.path.join(os.environ.get("TMPDIR", "/tmp"), "berth-fuzz-other-%d.pem" % os.getpid())
        with open(path, "wb") as f:
            f.write(other)
        sig = sign(payload, path)
        os.unlink(path)
    sig_config = json.dumps({"architecture": "", "os": "", "config": {},
                             "rootfs": {"type": "layers", "diff_ids": [digest(payload)]}}).encode()
    sig_manifest = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                               "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                                          "digest": digest(sig_config), "size": len(sig_config)},
                               "layers": [{"mediaType": "application/vnd.dev.cosign.simplesigning.v1+json",
                                           "digest": digest(payload), "size": len(payload),
                                           "annotations": {"dev.cosignproject.cosign/signature":
                                                           base64.b64encode(sig).decode()}}]}).encode()
    sig_entry = {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": digest(sig_manifest),
                 "size": len(sig_manifest)}
    if mode == "tag":
        sig_entry["annotations"] = {"org.opencontainers.image.ref.name":
                                    "sha256-%s.sig" % digest(manifest)[7:]}
    else:
        sig_entry["annotations"] = {"kind": "dev.cosignproject.cosign/sigs"}
    index = json.dumps({"schemaVersion": 2, "manifests": [
        {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": digest(manifest),
         "size": len(manifest), "annotations": {"kind": "dev.cosignproject.cosign/image"}}, sig_entry]}).encode()
    parts = [index, manifest, config, layer, sig_manifest, sig_config, payload]
    return MARKER.encode().join(parts)


def main():
    out = sys.argv[1]
    for name, mode in [("sig-valid-kind", "kind"), ("sig-valid-tag", "tag"),
                       ("sig-bad-other-digest", "other-digest"), ("sig-bad-truncated", "truncated"),
                       ("sig-bad-unknown-field", "unknown-field"), ("sig-bad-payload-not-json", "not-json"),
                       ("sig-bad-other-key", "other-key")]:
        with open(os.path.join(out, name), "wb") as f:
            f.write(layout(mode))


if __name__ == "__main__":
    main()
