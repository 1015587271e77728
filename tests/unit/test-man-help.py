#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""berth(1) and --help agree: the man page's command table lists exactly the verbs `berth --help`
lists; every verb has a "## berth VERB" section whose options (short and long) are exactly those
its `berth VERB --help` lists; the OPTIONS section matches the global options. -h/--help, which
every verb has, is left out. Usage: test-man-help.py BERTH SOURCE_ROOT (prints TAP)."""
import os
import re
import subprocess
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.realpath(__file__)), "..", "lib"))
from tap import check, done  # noqa: E402

berth, root = sys.argv[1], sys.argv[2]
man = open(f"{root}/src/man/berth.1.scd").read()


def help_text(*args):
    p = subprocess.run([berth, *args, "--help"], capture_output=True, text=True)
    return p.returncode, p.stdout


def help_options(text):
    """Options from --help lines that start with an option: {"-o", "--output", ...}."""
    opts = set()
    for line in text.splitlines():
        m = re.match(r"^ +((?:-[A-Za-z][ ,]+)?--[a-z][a-z0-9-]*)", line)
        if m:
            opts.update(re.findall(r"(?<![\w-])(-[A-Za-z]|--[a-z][a-z0-9-]*)", m.group(1)))
    return opts - {"-h", "--help"}


OPTION = r"(-[A-Za-z](?![\w-])|--[a-z][a-z0-9-]*)"


def man_options(heading, body):
    """Options a man page section documents: all in its heading ([--no-block], [-n LINES]) and,
    in its text, those set in bold as an option (*-q*, *--quiet*, *-o json*), not the options of
    other commands quoted there (*journalctl -u ...*)."""
    found = set(re.findall(r"(?<![\w\-/.])" + OPTION, heading))
    found |= set(re.findall(r"\*" + OPTION + r"(?=[*=]| [^*\n]*\*)", body))
    return found - {"-h", "--help"}


def man_sections(text, level):
    """{heading: body} for headings of the given level ("#" or "##")."""
    parts = re.split(rf"^{level} (.+)$", text, flags=re.M)
    return {parts[i].strip(): parts[i + 1] for i in range(1, len(parts), 2)}


rc, top = help_text()
verbs = re.findall(r"^  ([a-z][a-z-]*) ", top.split("Commands:")[1].split("\n\n")[0], flags=re.M)
check(rc == 0 and len(verbs) > 0, "berth --help lists commands")

table = man_sections(man, "#").get("COMMANDS", "")
man_verbs = re.findall(r"^\|\s+\*([a-z][a-z-]*)\*", table, flags=re.M)
check(sorted(man_verbs) == sorted(verbs), "the COMMANDS table of berth(1) lists exactly the commands of berth --help",
      f"man:  {sorted(man_verbs)}\nhelp: {sorted(verbs)}")

# "## berth start|stop|restart [--no-block] NAME..." documents three verbs.
sections = {}
for heading, body in man_sections(man, "##").items():
    m = re.match(r"berth ([a-z|-]+)(.*)$", heading)
    if m:
        for v in m.group(1).split("|"):
            sections[v] = (m.group(2), body.split("\n# ")[0])

for verb in verbs:
    check(verb in sections, f"berth(1) has a section for '{verb}'")
    rc, text = help_text(verb)
    if rc != 0:
        # A verb without a working --help yet has nothing to compare; not counted either way.
        print(f"# '{verb} --help' failed (exit {rc}): not compared")
        continue
    h, m = help_options(text), man_options(*sections.get(verb, ("", "")))
    check(h == m, f"'{verb}': options in --help and in berth(1) agree",
          f"only in --help: {sorted(h - m)}\nonly in berth(1): {sorted(m - h)}")

options = man_sections(man, "#").get("OPTIONS", "")
h, m = help_options(top), man_options("", options)
check(h == m, "global options in berth --help and in the OPTIONS section agree",
      f"only in --help: {sorted(h - m)}\nonly in berth(1): {sorted(m - h)}")

done()
