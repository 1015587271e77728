#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Compiles berth's seccomp and capability policy (policy/seccomp/*.conf) into C tables.

usage: gen-policy.py SYSCALL-SETS ALLOWLIST CAPABILITIES OUT.c OUT-CAPS.h

Sets are expanded here, at build time, so the binary carries flat name lists and reads no file
at run time. Any syntax error, unknown @set, reference cycle or duplicate section fails the build.
"""
import re
import sys

NAME_RE = re.compile(r"^[a-z_][a-z0-9_]*$")
SET_RE = re.compile(r"^@[a-z0-9-]+$")
CAP_RE = re.compile(r"^CAP_[A-Z_]+$")
OPS = {"any-bit": "RESTRICT_ANY_BIT", "one-of": "RESTRICT_ONE_OF", "none-of": "RESTRICT_NONE_OF"}
VALUES_MAX = 8
CLAUSES_MAX = 2


class PolicyError(Exception):
    pass


def read_sections(path):
    """Yields (header, [(lineno, line)]) for each [section], comments stripped."""
    sections, current = [], None
    with open(path, encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            if line.startswith("["):
                if not line.endswith("]"):
                    raise PolicyError(f"{path}:{n}: bad section header: {line}")
                current = (line[1:-1].strip(), n, [])
                sections.append(current)
            elif current is None:
                raise PolicyError(f"{path}:{n}: text before the first section")
            else:
                current[2].append((n, line))
    return sections


def tokens(path, body):
    for n, line in body:
        for t in line.split():
            if not (NAME_RE.match(t) or SET_RE.match(t)):
                raise PolicyError(f"{path}:{n}: not a syscall name or @set: {t}")
            yield t


def load_sets(path):
    raw = {}
    for header, n, body in read_sections(path):
        if not SET_RE.match(header):
            raise PolicyError(f"{path}:{n}: set names look like [@name]: [{header}]")
        if header in raw:
            raise PolicyError(f"{path}:{n}: set {header} defined twice")
        raw[header] = list(tokens(path, body))

    flat = {}

    def expand(name, stack):
        if name in flat:
            return flat[name]
        if name not in raw:
            raise PolicyError(f"{path}: unknown set {name} (referenced from {stack[-1]})")
        if name in stack:
            raise PolicyError(f"{path}: set reference cycle: {' -> '.join(stack + [name])}")
        out = []
        for t in raw[name]:
            for s in expand(t, stack + [name]) if t.startswith("@") else [t]:
                if s not in out:
                    out.append(s)
        flat[name] = out
        return out

    for name in raw:
        expand(name, ["(top)"])
    return flat


def expand_list(sets, items, where):
    out = []
    for t in items:
        if t.startswith("@") and t not in sets:
            raise PolicyError(f"{where}: unknown set {t}")
        for s in sets[t] if t.startswith("@") else [t]:
            if s not in out:
                out.append(s)
    return out


def parse_condition(text, where):
    words = text.split()
    m = re.match(r"^arg([0-5])$", words[0]) if words else None
    if not m or len(words) < 3 or words[1] not in OPS:
        raise PolicyError(f"{where}: condition must be 'argN OP VALUE...': {text}")
    values = words[2:]
    if len(values) > VALUES_MAX:
        raise PolicyError(f"{where}: at most {VALUES_MAX} values")
    return (int(m.group(1)), OPS[words[1]], values)


def load_allowlist(path, sets):
    default, caps, restrictions = None, [], []
    for header, n, body in read_sections(path):
        where = f"{path}:{n}"
        if header == "default":
            default = expand_list(sets, tokens(path, body), where)
        elif header.startswith("capability "):
            cap = header.split(None, 1)[1]
            if not CAP_RE.match(cap):
                raise PolicyError(f"{where}: not a capability: {cap}")
            caps.append((cap, expand_list(sets, tokens(path, body), where)))
        elif header == "restrict":
            for ln, line in body:
                where = f"{path}:{ln}"
                words = line.split(None, 3)
                if len(words) != 4:
                    raise PolicyError(f"{where}: want SYSCALL ERRNO LIFTED-BY CONDITION")
                syscall, err, lifted, cond = words
                if not NAME_RE.match(syscall) or not re.match(r"^E[A-Z]+$", err):
                    raise PolicyError(f"{where}: bad syscall or errno")
                lifters = lifted.split(",")
                boot = "Boot=yes" in lifters
                others = [x for x in lifters if x != "Boot=yes"]
                if len(others) > 1 or (boot and others == ["-"]) or not others and not boot:
                    raise PolicyError(f"{where}: LIFTED-BY is -, CAP_* or a @set, optionally with ,Boot=yes: {lifted}")
                lifted = others[0] if others else "-"
                if not (lifted == "-" or CAP_RE.match(lifted) or lifted in sets):
                    raise PolicyError(f"{where}: LIFTED-BY is -, CAP_* or a known @set: {lifted}")
                clauses = [] if cond == "always" else [parse_condition(c, where) for c in cond.split(";")]
                if len(clauses) > CLAUSES_MAX:
                    raise PolicyError(f"{where}: at most {CLAUSES_MAX} conditions")
                restrictions.append((syscall, err, lifted, boot, clauses))
        else:
            raise PolicyError(f"{where}: unknown section [{header}]")
    if default is None:
        raise PolicyError(f"{path}: no [default] section")
    return default, caps, restrictions


def load_caps(path):
    caps = []
    with open(path, encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            if not CAP_RE.match(line) or line in caps:
                raise PolicyError(f"{path}:{n}: not a capability name, or listed twice: {line}")
            caps.append(line)
    return caps


def c_strv(names):
    return "(const char *const[]){ " + "".join(f'"{s}", ' for s in names) + "NULL }"


def write_c(out, sets, default, caps, restrictions):
    w = out.write
    w("/* Generated by policy/seccomp/gen-policy.py from the .conf files in policy/seccomp/: edit those. */\n")
    w('#include "seccomp-policy.h"\n\n')
    w("const SyscallSet seccomp_syscall_sets[] = {\n")
    for name in sorted(sets):
        w(f'        {{ "{name}", {c_strv(sets[name])} }},\n')
    w("        { NULL, NULL },\n};\n\n")
    w(f"const char *const *const seccomp_default_allow = {c_strv(default)};\n\n")
    w("const CapabilitySyscalls seccomp_capability_syscalls[] = {\n")
    for cap, names in caps:
        w(f"        {{ {cap}, {c_strv(names)} }},\n")
    w("        { -1, NULL },\n};\n\n")
    w("const SyscallRestriction seccomp_restrictions[] = {\n")
    for syscall, err, lifted, boot, clauses in restrictions:
        w(f'        {{ .syscall = "{syscall}", .error = {err},\n')
        w(f'          .lifted_by_set = {f"{chr(34)}{lifted}{chr(34)}" if lifted.startswith("@") else "NULL"},\n')
        w(f"          .lifted_by_cap = {lifted if lifted.startswith('CAP_') else -1},\n")
        w(f"          .lifted_by_boot = {'true' if boot else 'false'},\n")
        w(f"          .n_clauses = {len(clauses)},\n          .clauses = {{\n")
        for arg, op, values in clauses:
            vals = ", ".join(f"(uint64_t)({v})" for v in values)
            w(f"                  {{ .arg = {arg}, .op = {op}, .n_values = {len(values)}, .values = {{ {vals} }} }},\n")
        w("          } },\n")
    w("        { .syscall = NULL },\n};\n")


def write_caps_h(out, caps):
    out.write("/* Generated by policy/seccomp/gen-policy.py from policy/seccomp/capabilities.conf. */\n")
    out.write("#pragma once\n#include <linux/capability.h>\n#include <stdint.h>\n\n")
    out.write("#define CAPS_DEFAULT_SET ( \\\n")
    for cap in caps:
        out.write(f"        (UINT64_C(1) << {cap}) | \\\n")
    out.write("        UINT64_C(0))\n")


def main(argv):
    if len(argv) != 6:
        sys.stderr.write(__doc__)
        return 2
    try:
        sets = load_sets(argv[1])
        default, caps, restrictions = load_allowlist(argv[2], sets)
        default_caps = load_caps(argv[3])
    except (PolicyError, OSError) as e:
        sys.stderr.write(f"gen-policy: {e}\n")
        return 1
    with open(argv[4], "w", encoding="utf-8") as f:
        write_c(f, sets, default, caps, restrictions)
    with open(argv[5], "w", encoding="utf-8") as f:
        write_caps_h(f, default_caps)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
