#!/usr/bin/env python3
"""Write what comes from the table of rules in compiler/rules.c into the files that are
committed: docs/rules.md (`sparkc rules --format markdown`) and the man page's list
between its BEGIN RULES and END RULES lines (`sparkc rules --format man`).

usage: tools/gen-rules-docs.py [--check] [SPARKC]   (SPARKC: build/sparkc by default)
With --check, exit 1 naming each file that is not what the table gives."""
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MAN_SECTION = re.compile(r'(\.\\" BEGIN RULES\n).*?(\.\\" END RULES\n)', re.S)


def rules_output(sparkc, fmt):
    return subprocess.run([sparkc, "rules", "--format", fmt], check=True, capture_output=True,
                          text=True).stdout


def generated(sparkc):
    """{path: the text it must hold}"""
    man_path = os.path.join(ROOT, "doc", "sparkc.1")
    man = open(man_path, encoding="utf-8").read()
    listing = rules_output(sparkc, "man")
    return {
        os.path.join(ROOT, "docs", "rules.md"): rules_output(sparkc, "markdown"),
        man_path: MAN_SECTION.sub(lambda m: m.group(1) + listing + m.group(2), man),
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
        sys.exit(f"not what compiler/rules.c gives: {', '.join(stale)}; run tools/gen-rules-docs.py")


if __name__ == "__main__":
    main()
