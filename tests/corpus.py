"""The validation corpus (tests/validation/): each file's `# expect: RULE LINE:COL` lines
name exactly what `sparkc validate` reports, and Python jsonschema, reading the file as
YAML 1.2 with the printed schema, reaches the same verdict as sparkc's schema layer."""
import json
import os
import re

import jsonschema
import yaml

from harness import HERE, ROOT, result, run


EXPECT = re.compile(r"^# expect: (\S+) (\d+):(\d+)$")


class Core12Loader(yaml.SafeLoader):
    """PyYAML reading scalars by the YAML 1.2 core schema, as sparkc does:
    yes/no/on/off are strings, 010 is ten, 1e3 is a float."""


Core12Loader.yaml_implicit_resolvers = {}
for tag, pattern, first in (
        ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
        ("null", r"^(?:~|null|Null|NULL|)$", "~nN"),
        ("int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
        ("float", r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
         "-+.0123456789")):
    Core12Loader.add_implicit_resolver("tag:yaml.org,2002:" + tag, re.compile(pattern), list(first) + ([""] if tag == "null" else []))


def _int12(loader, node):
    v = loader.construct_scalar(node)
    return int(v[2:], 8) if v.startswith("0o") else int(v, 16) if v.startswith("0x") else int(v, 10)


def _float12(loader, node):
    v = loader.construct_scalar(node).lower()
    return float(v.replace(".inf", "inf").replace(".nan", "nan"))


Core12Loader.add_constructor("tag:yaml.org,2002:int", _int12)
Core12Loader.add_constructor("tag:yaml.org,2002:float", _float12)


def job_validator():
    job = json.load(open(os.path.join(ROOT, "schemas", "sparkjob.schema.json")))
    jsonschema.Draft202012Validator.check_schema(job)
    return jsonschema.Draft202012Validator(job)


def run_corpus(sanitized, update):
    validator = job_validator()
    result("schemas are valid draft 2020-12", True)
    for kind in ("valid", "invalid"):
        d = os.path.join(HERE, "validation", kind)
        for fname in sorted(os.listdir(d)):
            path = os.path.join(d, fname)
            text = open(path, encoding="utf-8", errors="surrogateescape").read()
            body = [l for l in text.splitlines(True) if not EXPECT.match(l.rstrip("\n"))]
            want = sorted((m.group(1), int(m.group(2)), int(m.group(3)))
                          for m in map(EXPECT.match, text.splitlines()) if m)
            code, out, err = run([sanitized, "validate", "--format", "json", path], ROOT)
            diags = [json.loads(l) for l in out.splitlines() if l.strip()]
            got = sorted((g["rule"], g["line"], g["column"]) for g in diags)
            if update:
                with open(path, "w", encoding="utf-8", errors="surrogateescape") as f:
                    f.write("".join(body) + "".join(f"# expect: {r} {l}:{c}\n" for r, l, c in got))
                want = got
            errors = any(g["severity"] == "error" for g in diags)
            problems = []
            if got != want:
                problems.append(f"diagnostics {got}, expected {want}")
            if (kind == "valid") == errors or code != (1 if errors else 0):
                problems.append(f"exit {code} for a {kind} file\n{out}{err}")
            if any(m in err for m in ("Sanitizer", "runtime error:")):
                problems.append(err)
            result(f"validation/{kind}/{fname}", not problems, "\n".join(problems))
            # differential: Python jsonschema vs sparkc's schema layer, valid or not
            try:
                docs = [x for x in yaml.load_all("".join(body), Loader=Core12Loader) if x is not None]
            except yaml.YAMLError:
                docs = None
            # the schema also carries the name rule (a DNS-1035 label), for editors
            sparkc_schema_ok = not any(g["rule"].startswith("schema-") or g["rule"] == "name" for g in diags)
            # a YAML error stops sparkc before its schema layer: nothing to compare
            stopped = any(g["rule"].startswith(("yaml-", "limit-", "empty")) and g["rule"] != "yaml-leading-zero"
                          for g in diags)
            if stopped:
                agree, detail = True, ""
            elif docs is None or not docs:
                agree, detail = False, "PyYAML could not read it; sparkc reported no YAML error"
            else:
                py_errors = [e.message for doc in docs for e in validator.iter_errors(doc)]
                agree = (not py_errors) == sparkc_schema_ok
                detail = f"jsonschema: {py_errors[:5]}; sparkc schema layer: {[g for g in got if g[0].startswith('schema-')]}"
            result(f"differential jsonschema {kind}/{fname}", agree, detail)


# ---- the command line: help, option forms, colour, make install -----------------------
