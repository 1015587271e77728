#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""berth@.service(8) describes the unit that is installed: every setting of units/berth@.service.in
is named in the page (as *Key=*), and where the page states a value (*Key=value*) it is the
unit's; every page the unit's Documentation= names is one the build installs.
Usage: test-man-unit.py SOURCE_ROOT (prints TAP)."""
import os
import re
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.realpath(__file__)), "..", "lib"))
from tap import check, done  # noqa: E402

root = sys.argv[1]
unit = open(f"{root}/units/berth@.service.in").read()
man = open(f"{root}/src/man/berth@.service.8.scd").read()
man_build = open(f"{root}/src/man/meson.build").read()

settings = []
for line in unit.splitlines():
    m = re.match(r"^([A-Z][A-Za-z]+)=(.*)$", line)
    if m:
        settings.append((m.group(1), m.group(2).strip()))
check(len(settings) > 5, "the unit file has settings")

# Said by the page's own NAME/SYNOPSIS rather than as a setting.
implicit = {"Description", "Documentation", "ExecStart"}
flat = re.sub(r"\s+", " ", man)
for key, value in settings:
    if key in implicit:
        continue
    check(f"*{key}=" in man or re.search(rf"\*{key}=\*", man) is not None, f"berth@.service(8) names {key}=")
    stated = re.findall(rf"\*{key}=([^*_]+)\*", flat)
    for v in stated:
        check(v.strip() in value.split() or v.strip() == value,
              f"berth@.service(8) states {key}={v.strip()} as the unit has it", f"unit: {key}={value}")

docs = dict((k, v) for k, v in settings)["Documentation"].split()
pages = set(re.findall(r"'([a-z@.]+\.[0-9])'", man_build))
for d in docs:
    m = re.match(r"man:([^()]+)\(([0-9])\)$", d)
    check(m is not None and f"{m.group(1)}.{m.group(2)}" in pages, f"Documentation={d} is a page the build installs",
          f"built pages: {sorted(pages)}")

done()
