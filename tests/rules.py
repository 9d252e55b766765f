"""The table of rules (compiler/rules.c) and everything made from it agree.

- Every rule id the code reports (the rule argument of each diag_add, diag_node, ERR,
  WARN, ... call in compiler/*.c) is in the table, and every rule of the table is
  reported somewhere: no diagnostic names a rule `sparkc rules` does not list.
- docs/rules.md is `sparkc rules --format markdown`, the man page's list is
  `sparkc rules --format man`, and the configuration schema's `rules` name every rule
  (tools/gen-rules-docs.py writes the three); `sparkc schema --config` prints that
  schema.
- `sparkc rules` lists every rule once, with a severity and a source.
- SARIF's tool.driver.rules describe the rules its results name, with the table's
  texts; each result's ruleIndex points at its rule, and each helpUri's #anchor is an
  anchor of docs/rules.md as a Markdown renderer makes them (Python-Markdown's toc
  extension, whose ids are GitHub's for these headings).
- SARIF's helpUris are docs/rules.md at the release's tag in the project's home
  (compiler/version.h's SPARKC_REPOSITORY and SPARKC_VERSION), which is also its
  tool.driver.informationUri and what `sparkc --help` names; each rule's `help` holds
  its text, for a viewer that cannot load the page.
- The text format's `[rule]` is the rule JSON names, diagnostic by diagnostic.

Called from tests/run.py: check(sparkc, result, env).
"""
import glob
import html.parser
import json
import os
import re
import subprocess
import tempfile
import urllib.parse

from harness import ROOT

_VERSION_H = open(os.path.join(ROOT, "compiler", "version.h"), encoding="utf-8").read()
VERSION = re.search(r'#define SPARKC_VERSION "(.*)"', _VERSION_H)[1]
HOME = re.search(r'#define SPARKC_REPOSITORY "(.*)"', _VERSION_H)[1]

# Where each reporting function takes its rule id (0-based argument index).
RULE_ARGUMENT = {"diag_add": 4, "diag_node": 3, "ERR": 2, "WARN": 2}
FILE_RULE_ARGUMENT = {("sparkconf.c", "report"): 3, ("schema.c", "report"): 2, ("load.c", "fail"): 2}


def _arguments(text, start):
    """The top-level arguments of the call whose '(' is at text[start - 1]."""
    args, depth, i, begin = [], 1, start, start
    while depth and i < len(text):
        c = text[i]
        if c == '"':
            i += 1
            while text[i] != '"':
                i += 2 if text[i] == "\\" else 1
        elif c == "'":
            i += 3 if text[i + 1] != "\\" else 4
            continue
        elif c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
            if not depth:
                args.append(text[begin:i].strip())
        elif c == "," and depth == 1:
            args.append(text[begin:i].strip())
            begin = i + 1
        i += 1
    return args


def reported_rules():
    """{rule id: [file:function]} of every literal rule id the code reports."""
    found = {}
    for path in sorted(glob.glob(os.path.join(ROOT, "compiler", "*.c"))):
        name = os.path.basename(path)
        text = open(path, encoding="utf-8").read()
        calls = dict(RULE_ARGUMENT)
        calls.update({fn: i for (f, fn), i in FILE_RULE_ARGUMENT.items() if f == name})
        for m in re.finditer(r"\b(%s)\s*\(" % "|".join(calls), text):
            args = _arguments(text, m.end())
            index = calls[m.group(1)]
            if len(args) > index and re.fullmatch(r'"[a-z0-9-]+"', args[index]):
                found.setdefault(args[index].strip('"'), []).append(f"{name}:{m.group(1)}")
    return found


def _run(argv, env, cwd=None):
    p = subprocess.run(argv, capture_output=True, env=env, cwd=cwd, timeout=120)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


class _Anchors(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids = set()

    def handle_starttag(self, tag, attrs):
        self.ids.update(v for k, v in attrs if k == "id")


def markdown_anchors(text):
    import markdown  # python3-markdown
    parser = _Anchors()
    parser.feed(markdown.markdown(text, extensions=["toc", "tables"]))
    return parser.ids


# Inputs that draw several rules, errors and warnings, for the formats.
INPUTS = {
    "warn.yaml": "kind: spark\nmetadata: {name: w}\nspec:\n  command: /a.py\n  image: i:3.5.5\n"
                 "  executor_resources:\n    requests: {cpu: \"4\"}\n  spark_conf:\n"
                 "    spark.executor.memoryOverHead: 2g\n",
    "bad.yaml": "kind: spark\nmetadata: {name: Bad_Name}\nspec:\n  command: /a.py\n  image: i\n  replica: 2\n",
}


def check(sparkc, result, env):
    table = json.loads(_run([sparkc, "rules", "--format", "json"], env)[1])
    ids = [r["id"] for r in table]
    result("rules: the table is sorted, each id once", ids == sorted(set(ids)), f"{ids}")
    result("rules: each rule has a severity, summary, text and source",
           all(r["severity"] in ("error", "warning") and r["summary"] and r["text"] and r["source"] for r in table),
           "\n".join(r["id"] for r in table if not (r["summary"] and r["text"] and r["source"])))
    code = reported_rules()
    result("rules: every rule the code reports is in the table", code and not set(code) - set(ids),
           "\n".join(f"{r}: {code[r]}" for r in sorted(set(code) - set(ids))))
    result("rules: every rule of the table is reported by the code", not set(ids) - set(code),
           f"{sorted(set(ids) - set(code))}")
    text = _run([sparkc, "rules"], env)[1]
    listed = re.findall(r"^([a-z0-9-]+) +(warning|error\S*)", text, re.M)
    result("rules: sparkc rules lists each rule with its severity", [i for i, _ in listed] == ids,
           f"{listed[:5]}...")

    # the generated files
    p = subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "tools", "gen-rules-docs.py"), "--check", sparkc],
                       capture_output=True, text=True, env=env)
    result("rules: docs/rules.md, the man page's list and the configuration schema's rules are what the table "
           "gives", p.returncode == 0, p.stderr)
    _, printed, _ = _run([sparkc, "schema", "--config"], env)
    committed = open(os.path.join(ROOT, "schemas", "sparkc-config.schema.json"), encoding="utf-8").read()
    result("rules: sparkc schema --config prints schemas/sparkc-config.schema.json", printed == committed,
           printed[:300])
    doc = open(os.path.join(ROOT, "docs", "rules.md"), encoding="utf-8").read()
    anchors = markdown_anchors(doc)
    result("rules: docs/rules.md has an anchor per rule", set(ids) <= anchors, f"{sorted(set(ids) - anchors)}")

    with tempfile.TemporaryDirectory() as tmp:
        for name, body in INPUTS.items():
            open(os.path.join(tmp, name), "w").write(body)
        files = sorted(INPUTS)
        _, out, _ = _run([sparkc, "validate", "--format", "sarif"] + files, env, tmp)
        run_ = json.loads(out)["runs"][0]
        described = run_["tool"]["driver"]["rules"]
        by_id = {r["id"]: r for r in table}
        problems = []
        for i, res in enumerate(run_["results"]):
            idx = res.get("ruleIndex")
            if idx is None or described[idx]["id"] != res["ruleId"]:
                problems.append(f"result {i}: ruleIndex {idx} is not {res['ruleId']}")
        named = {res["ruleId"] for res in run_["results"]}
        if [d["id"] for d in described] != [i for i in ids if i in named]:
            problems.append(f"driver rules {[d['id'] for d in described]}, results name {sorted(named)}")
        for d in described:
            r = by_id[d["id"]]
            if d["shortDescription"]["text"] != r["summary"].replace("`", ""):
                problems.append(f"{d['id']}: shortDescription {d['shortDescription']}")
            if d["fullDescription"]["text"] != r["text"].replace("`", ""):
                problems.append(f"{d['id']}: fullDescription differs from the table's text")
            if d["defaultConfiguration"]["level"] != r["severity"] or r["source"] not in d["help"]["markdown"] \
                    or r["text"] not in d["help"]["markdown"] or r["text"].replace("`", "") not in d["help"]["text"]:
                problems.append(f"{d['id']}: level or help differ from the table")
            uri = urllib.parse.urlparse(d["helpUri"])
            if uri.scheme != "https" or not uri.path.endswith("/docs/rules.md") or uri.fragment not in anchors:
                problems.append(f"{d['id']}: helpUri {d['helpUri']} is no anchor of docs/rules.md")
            if not d["helpUri"].startswith(f"{HOME}/blob/v{VERSION}/docs/rules.md#"):
                problems.append(f"{d['id']}: helpUri {d['helpUri']} is not docs/rules.md of v{VERSION} at {HOME}")
        result("rules: SARIF's tool.driver.rules describe the rules of its results, with their text as help and "
               "helpUris into docs/rules.md of this release", described and not problems, "\n".join(problems))
        home = run_["tool"]["driver"].get("informationUri")
        _, usage, _ = _run([sparkc, "--help"], env)
        result("rules: the project's home (version.h) is SARIF's informationUri and sparkc --help names it",
               home == HOME and usage.rstrip().endswith(HOME), f"{home}\n{usage[-200:]}")

        _, jtext, _ = _run([sparkc, "validate", "--format", "json"] + files, env, tmp)
        json_rules = [json.loads(line)["rule"] for line in jtext.splitlines()]
        _, _, err = _run([sparkc, "validate"] + files, env, tmp)
        text_rules = re.findall(r"^\S+:\d+:\d+: (?:error|warning): .* \[([a-z0-9-]+)\]$", err, re.M)
        result("rules: each text diagnostic ends with the rule JSON names", text_rules == json_rules and json_rules,
               f"text {text_rules}\njson {json_rules}")
