#!/usr/bin/env python3
"""compare-operator-diagnostics.py [SPARKC]: for every mutated operator manifest of
tests/operator/mutations.yaml and every file of tests/operator/edge/, what sparkc reports
(`line:col rule message`) beside what Python jsonschema reports with the operator's strict
CRD schema (JSON pointer and message; a JSON Schema validator has no positions), as a
Markdown table, then the totals.

Python jsonschema stands in for kubeconform, which reads the same CRD schema and reports
the same JSON pointers. Both sides come from the functions tests/operator_manifests.py
uses, so the table shows what the test checks. SPARKC defaults to build/sparkc."""
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests"))
import operator_manifests as om  # noqa: E402


def cell(s, width=110):
    s = " ".join(str(s).split()).replace("|", "\\|")
    return s if len(s) <= width else s[:width - 1] + "…"


def main():
    sparkc = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build", "sparkc"))
    rows = []
    totals = {"files": 0, "both reject": 0, "both accept": 0, "verdicts differ": 0,
              "locations agree": 0, "locations differ": 0, "sparkc schema errors": 0,
              "jsonschema errors": 0, "sparkc other diagnostics": 0}
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for m in om.mutations():
            text, _, _, _ = om.apply(m)
            path = os.path.join(tmp, m["id"] + ".yaml")
            with open(path, "w") as f:
                f.write(text)
            files.append((f"mutation {m['id']} (expects {m['expect']})", path, text))
        for name in sorted(os.listdir(om.EDGE)):
            with open(os.path.join(om.EDGE, name)) as f:
                files.append((f"edge {name}", os.path.join(om.EDGE, name), f.read()))
        for label, path, text in files:
            p = subprocess.run([sparkc, "validate", "--format", "json", path], capture_output=True, text=True,
                               env=dict(os.environ, NO_COLOR="1"))
            diags = [json.loads(line) for line in p.stdout.splitlines() if line.strip()]
            py = om.jsonschema_errors(text)
            schema = [d for d in diags if om.is_schema_rule(d["rule"]) and d["severity"] == "error"]
            totals["files"] += 1
            totals["sparkc schema errors"] += len(schema)
            totals["sparkc other diagnostics"] += len(diags) - len(schema)
            totals["jsonschema errors"] += len(py or [])
            if py is not None:
                if bool(py) != bool(schema):
                    totals["verdicts differ"] += 1
                elif py:
                    totals["both reject"] += 1
                    same = sorted({e[0] for e in py}) == sorted({d["path"] for d in schema})
                    totals["locations agree" if same else "locations differ"] += 1
                else:
                    totals["both accept"] += 1
            # one row per finding, a jsonschema error beside sparkc's diagnostic at its path
            pending = [] if py is None else list(py)
            pairs = []
            for d in diags:
                left = f"{d['line']}:{d['column']} {d['rule']} {d['message']}" + \
                    (f" ({d['hint']})" if d.get("hint") else "") + \
                    ("" if om.is_schema_rule(d["rule"]) else f" [{d['severity']}]")
                match = next((e for e in pending if om.is_schema_rule(d["rule"]) and e[0] == d["path"]), None)
                if match:
                    pending.remove(match)
                pairs.append((left, f"{match[1]}: {match[3]}" if match else ""))
            pairs += [("", f"{ptr}: {msg}") for _, ptr, _, msg in pending]
            if py is None:
                pairs.append(("", "(not YAML)"))
            for i, (left, right) in enumerate(pairs or [("", "")]):
                rows.append((label if i == 0 else "", cell(left), cell(right)))
    print("| file | sparkc: line:col rule message | jsonschema (strict CRD schema): JSON pointer: message |")
    print("|---|---|---|")
    for r in rows:
        print("| " + " | ".join(r) + " |")
    print()
    for k, v in totals.items():
        print(f"- {k}: {v}")


main()
