#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Builds a small OCI image layout for tests: make-oci-layout.py OUT CONFIG_JSON LAYER.tar[.gz|.zst]...

CONFIG_JSON is the image config's "config" object (Entrypoint, Cmd, Env, ...). Layers are used
as given, in order; their media type follows from the file name. Only the standard library."""
import hashlib
import json
import os
import shutil
import sys

MEDIA = {".tar": "application/vnd.oci.image.layer.v1.tar",
         ".gz": "application/vnd.oci.image.layer.v1.tar+gzip",
         ".zst": "application/vnd.oci.image.layer.v1.tar+zstd"}


def add_blob(out, data):
    digest = hashlib.sha256(data).hexdigest()
    with open(os.path.join(out, "blobs", "sha256", digest), "wb") as f:
        f.write(data)
    return {"digest": "sha256:" + digest, "size": len(data)}


def main():
    out, config, layers = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3:]
    os.makedirs(os.path.join(out, "blobs", "sha256"), exist_ok=True)
    descs = []
    for path in layers:
        with open(path, "rb") as f:
            d = add_blob(out, f.read())
        d["mediaType"] = MEDIA[os.path.splitext(path)[1]]
        descs.append(d)
    cfg = {"architecture": "amd64", "os": "linux", "config": config,
           "rootfs": {"type": "layers", "diff_ids": [d["digest"] for d in descs]}}
    cfg_desc = add_blob(out, json.dumps(cfg).encode())
    cfg_desc["mediaType"] = "application/vnd.oci.image.config.v1+json"
    manifest = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                "config": cfg_desc, "layers": descs}
    man_desc = add_blob(out, json.dumps(manifest).encode())
    man_desc["mediaType"] = "application/vnd.oci.image.manifest.v1+json"
    man_desc["platform"] = {"architecture": "amd64", "os": "linux"}
    with open(os.path.join(out, "index.json"), "w") as f:
        json.dump({"schemaVersion": 2, "manifests": [man_desc]}, f)
    with open(os.path.join(out, "oci-layout"), "w") as f:
        json.dump({"imageLayoutVersion": "1.0.0"}, f)


if __name__ == "__main__":
    main()
