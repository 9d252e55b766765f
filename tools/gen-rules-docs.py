#!/usr/bin/env python3
"""Write what comes from the table of rules in compiler/rules.c into the files that are
committed: docs/rules.md (`sparkc rules --format markdown`), the man page's list
between its BEGIN RULES and END RULES lines (`sparkc rules --format man`), and the rule
names the configuration's schema offers (schemas/sparkc-config.schema.json, `rules`).

usage: tools/gen-rules-docs.py [--check] [SPARKC]   (SPARKC: build/sparkc by default)
With --check, exit 1 naming each file that is not what the table gives."""
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MAN_SECTION = re.compile(r'(\.\\" BEGIN RULES\n).*?(\.\\" END RULES\n)', re.S)


def rules_output(sparkc, fmt):
    return subprocess.run([sparkc, "rules", "--format", fmt], check=True, capture_output=True,
                          text=True).stdout


LEVELS = {
    "enum": ["off", "warning", "error"],
    "markdownEnumDescriptions": [
        "Not reported.",
        "Reported as a warning (fails the run only under fail-on: warning).",
        "Reported as an error: the run fails.",
    ],
}


def config_schema(path, table):
    """The configuration's schema with a property per rule under `rules`."""
    schema = json.load(open(path, encoding="utf-8"))
    schema.setdefault("$defs", {})["level"] = LEVELS
    props = {}
    for r in table:
        if r["severity"] == "warning":
            note = "a warning by default"
        elif r["ignorable"]:
            note = "an error by default, a policy: it may be turned off or down to a warning"
        else:
            note = "an error by default, which sparkc does not let be turned off or down"
        props[r["id"]] = {"$ref": "#/$defs/level", "description": f"{r['summary'].replace('`', '')} ({note})."}
    schema["properties"]["rules"]["properties"] = props
    return json.dumps(schema, indent=1, ensure_ascii=False) + "\n"


def generated(sparkc):
    """{path: the text it must hold}"""
    man_path = os.path.join(ROOT, "doc", "sparkc.1")
    man = open(man_path, encoding="utf-8").read()
    listing = rules_output(sparkc, "man")
    config_path = os.path.join(ROOT, "schemas", "sparkc-config.schema.json")
    return {
        os.path.join(ROOT, "docs", "rules.md"): rules_output(sparkc, "markdown"),
        man_path: MAN_SECTION.sub(lambda m: m.group(1) + listing + m.group(2), man),
        config_path: config_schema(config_path, json.loads(rules_output(sparkc, "json"))),
    }


def main():
    args = sys.argv[1:]
    check = "--check" in args
    args = [a for a in args if a != "--check"]
    sparkc = args[0] if args else os.path.join(ROOT, "build", "sparkc")
    stale = []
    for path, text in generated(sparkc).items():
        current = open(path, encoding="utf-8").read() if os.path.exists(path) else ""
        if current == text:
            continue
        if check:
            stale.append(os.path.relpath(path, ROOT))
            continue
        with open(path + ".tmp", "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(path + ".tmp", path)
    if stale:
        sys.exit(f"not what compiler/rules.c gives: {', '.join(stale)}; run tools/gen-rules-docs.py "
                 "(then rebuild: the configuration's schema is built in)")


if __name__ == "__main__":
    main()
