"""Differential: sparkc's verdict on YAML syntax against PyYAML's, on every input the
tests hold (the fuzz corpus and regressions, the validation corpus, the cases).

sparkc reads YAML with libyaml's event parser and words its errors itself; PyYAML's
C parser (yaml.parse with CSafeLoader, events only, nothing constructed) is the
same parser as Python programs use it. An input is a syntax error for sparkc (a
yaml-syntax or yaml-encoding diagnostic) exactly when PyYAML's parse fails. Inputs
where sparkc stops earlier for a reason of its own (a limit, an alias to nothing)
cannot be compared, nor UTF-16 input, which PyYAML decodes and sparkc refuses.

Called from tests/run.py: check_syntax_verdicts(result, run, sparkc, root)."""
import glob
import json
import os

import yaml


def _inputs(root):
    pats = ("tests/fuzz/corpus/*", "tests/fuzz/regressions/*", "tests/validation/*/*.yaml",
            "tests/cases/*/*.yaml", "tests/cases/*/stdin")
    return sorted(f for p in pats for f in glob.glob(os.path.join(root, p)) if os.path.isfile(f))


def check_syntax_verdicts(result, run, sparkc, root):
    files = _inputs(root)
    rules = {f: set() for f in files}
    differ = []
    # in batches: one process per few hundred files
    for i in range(0, len(files), 400):
        _, out, _ = run([sparkc, "validate", "--format", "json"] + files[i:i + 400], root)
        for line in filter(None, out.split("\n")):     # not splitlines: U+2028 is no break here
            try:
                g = json.loads(line)
            except ValueError:
                differ.append(f"not a JSON diagnostic: {line[:200]}")
                continue
            rules.setdefault(os.path.join(root, g["file"]), set()).add(g["rule"])
    compared = 0
    for f in files:
        data = open(f, "rb").read()
        ours = rules.get(f, set())
        if any(r.startswith("limit-") or r in ("yaml-alias", "empty") for r in ours) \
                or data.startswith((b"\xff\xfe", b"\xfe\xff")):
            continue
        try:
            for _ in yaml.parse(data, Loader=yaml.CSafeLoader):
                pass
            theirs = None
        except yaml.YAMLError as e:
            theirs = " ".join(str(e).split())[:200]
        compared += 1
        if bool(ours & {"yaml-syntax", "yaml-encoding"}) != (theirs is not None):
            differ.append(f"{os.path.relpath(f, root)}: sparkc {sorted(ours)}, PyYAML {theirs or 'reads it'}")
    result(f"pyyaml: the same YAML syntax verdict as PyYAML's libyaml parser ({compared} inputs)",
           compared > 1000 and not differ, "\n".join(differ[:20]))
