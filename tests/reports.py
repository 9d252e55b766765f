"""The test reports of `sparkc validate` (--format junit, --format tap), read by the
parsers CI systems rely on rather than compared as text:

- JUnit: xmllint (libxml2) validates the report against tests/reports/junit.xsd, the
  structure GitLab and Jenkins read; Python's expat reader then checks the counts, one
  test case per input in order, and each failure's file:line:col and messages against
  what `--format json` reports for the same inputs.
- TAP: Perl's TAP::Parser (tests/reports/tap.pl) reads the stream; the plan, one test
  line per input, ok/not ok, and the YAML diagnostics must match `--format json`.

The inputs are made to break careless writers: file names with XML and TAP
metacharacters, control characters, a line break and bytes that are not UTF-8; values
with control characters and YAML 1.1 line breaks in messages; an empty file, a syntax
error, warnings only, and a clean job; and, apart, a clean job alone and the errors of
no input read (a directory without a job, a missing file).

Called from tests/run.py as check(sparkc, result, env)."""
import json
import os
import subprocess
import tempfile
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

BAD_VALUE = 'kind: spark\nmetadata:\n  name: "bad\\x07\\x1bname\\u0085\\u2028x"\nspec:\n  command: /a.py\n  image: s\n'
INPUTS = [
    (b"clean.yaml", open(os.path.join(ROOT, "samples", "sparkreadcsv.yaml"), "rb").read()),
    (b"bad.yaml", b"kind: spark\nmetadata: {name: Bad_Name}\nspec:\n  command: /a.py\n  image: s\n  replica: 2\n"),
    (b"warn.yaml", b"kind: spark\nmetadata: {name: w}\nspec:\n  command: /a.py\n  image: s\n"
                   b"  driver_resources: {limits: {memory: 1g}}\n"),
    (b"empty.yaml", b""),
    (b"syntax.yaml", b"kind: spark\nmetadata: [\n"),
    (b"multi.yaml", open(os.path.join(ROOT, "samples", "sparkreadcsv.yaml"), "rb").read() + b"---\n"
                    + b"kind: spark\nmetadata: {name: m}\nspec: {command: rel.py, image: s}\n"),
    ("we<i>rd &\"#'1 ]]>.yaml".encode(), BAD_VALUE.encode()),
    (b"ctl\x01\x1fname.yaml", BAD_VALUE.encode()),
    (b"tab\tand\nline.yaml", BAD_VALUE.encode()),
    (b"bytes\xff\xfe.yaml", BAD_VALUE.encode()),
]


def control_escape(c):
    """How sparkc shows a control character in every text it writes (escape.h), or
    None: \\n, \\r, \\t; \\xhh for the other C0 controls, DEL and the C1 controls;
    \\uhhhh for the line and paragraph separators and the bidirectional controls."""
    o = ord(c)
    if c in "\n\r\t":
        return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}[c]
    if o < 0x20 or 0x7f <= o <= 0x9f:
        return "\\x%02x" % o
    if o in (0x2028, 0x2029) or 0x202a <= o <= 0x202e or 0x2066 <= o <= 0x2069:
        return "\\u%04x" % o
    return None


def xml_text(s):
    """What an XML reader gets back for text sparkc wrote: control characters escaped
    as text (C0 ones XML 1.0 cannot hold at all) but tab, line feed and carriage
    return, which XML keeps; U+FFFE/U+FFFF as U+FFFD."""
    out = []
    for c in s:
        if c in "\ufffe\uffff":
            out.append("\ufffd")
        elif c not in "\t\n\r" and control_escape(c):
            out.append(control_escape(c))
        else:
            out.append(c)
    return "".join(out)


def tap_description(s):
    out = []
    for c in s:
        if c in "#\\":
            out.append("\\" + c)
        else:
            out.append(control_escape(c) or c)
    return "".join(out)


def tap_text(s):
    """What a TAP reader gets back: the characters escape.h shows as \\uhhhh are that
    text (YAMLish has no \\u escape); the others are the characters themselves."""
    return "".join(control_escape(c) if (control_escape(c) or "").startswith("\\u") else c for c in s)


def summary(g):
    where = f"{g['file']}:{g['line']}:{g['column']}" if g["line"] else g["file"]
    return f"{where}: " + (f"{g['path']}: " if g["path"] else "") + g["message"]


def check(sparkc, result, env):
    with tempfile.TemporaryDirectory() as tmp:
        tmpb = tmp.encode()
        for name, data in INPUTS:
            with open(os.path.join(tmpb, name), "wb") as f:
                f.write(data)
        names = [n for n, _ in INPUTS]
        shown = [n.decode("utf-8", "replace") for n in names]

        def validate(fmt, files):
            p = subprocess.run([sparkc, "validate", "--format", fmt] + files, cwd=tmpb,
                               capture_output=True, env=env, timeout=60)
            return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")

        code, out, err = validate("json", names)
        found = {}
        for line in out.decode("utf-8", "replace").split("\n")[:-1]:
            g = json.loads(line)
            found.setdefault(g["file"], []).append(g)
        failing = [n for n in shown if any(g["severity"] == "error" for g in found.get(n, []))]
        result("reports: the inputs draw errors and warnings", code == 1 and len(failing) == 8
               and "warn.yaml" in found and "clean.yaml" not in found, out.decode("utf-8", "replace") + err)
        for fmt, checker in (("junit", check_junit), ("tap", check_tap)):
            c, o, e = validate(fmt, names)
            try:
                text = o.decode("utf-8")
            except UnicodeDecodeError as ex:
                result(f"reports: {fmt} is UTF-8", False, repr(ex))
                continue
            result(f"reports: {fmt} exits as validate does, stderr empty", c == 1 and not e, e)
            checker(tmp, text, shown, found, result)
            # all clean: every test case passes
            c, o, e = validate(fmt, [b"clean.yaml", b"warn.yaml"])
            checker(tmp, o.decode("utf-8"), ["clean.yaml", "warn.yaml"],
                    {"warn.yaml": found["warn.yaml"]}, result, "clean ")
            result(f"reports: clean {fmt} exits 0", c == 0, e)
            # no diagnostic at all in the run
            c, o, e = validate(fmt, [b"clean.yaml"])
            checker(tmp, o.decode("utf-8"), ["clean.yaml"], {}, result, "clean-only ")
            result(f"reports: clean-only {fmt} exits 0, stderr empty", c == 0 and not e, e)
        check_run_errors(sparkc, tmp, env, result)


def check_run_errors(sparkc, tmp, env, result):
    """Errors about no file read (a directory without a job, a file that is not there)
    are failing test cases too: a failing run never reports green or an empty plan."""
    os.mkdir(os.path.join(tmp, "emptydir"))
    os.mkdir(os.path.join(tmp, "jsondir"))
    with open(os.path.join(tmp, "jsondir", "function.json"), "w") as f:
        f.write("{}\n")
    args = ["clean.yaml", "emptydir", "jsondir", "missing.yaml"]
    for fmt in ("junit", "tap"):
        for files, want_exit in ((args, 2), (["emptydir"], 1), (["jsondir"], 1), (["missing.yaml"], 2)):
            p = subprocess.run([sparkc, "validate", "--format", fmt] + files, cwd=tmp, capture_output=True,
                               env=env, timeout=60)
            text = p.stdout.decode()
            err = p.stderr.decode("utf-8", "replace")
            failing = [f for f in files if f != "clean.yaml"]
            problems = []
            if p.returncode != want_exit or "runtime error" in err or "Sanitizer" in err:
                problems.append(f"exit {p.returncode}, expected {want_exit}; stderr {err}")
            if fmt == "junit":
                path = os.path.join(tmp, "run.xml")
                with open(path, "w") as f:
                    f.write(text)
                x = subprocess.run(["xmllint", "--noout", "--schema", os.path.join(HERE, "reports", "junit.xsd"),
                                    path], capture_output=True)
                if x.returncode:
                    problems.append(x.stderr.decode())
                else:
                    root = ET.fromstring(text.encode())
                    cases = root.findall("testsuite/testcase")
                    io = "missing.yaml" in files
                    want = {"tests": str(len(files)), "failures": str(len(failing) - io), "errors": str(int(io))}
                    got = {k: root.get(k) for k in want}
                    if got != want:
                        problems.append(f"counts {got}, expected {want}")
                    for c in cases:
                        kind = [e.tag for e in c if e.tag in ("failure", "error")]
                        exp = [] if c.get("name") == "clean.yaml" else \
                            ["error"] if c.get("name") == "missing.yaml" else ["failure"]
                        if kind != exp:
                            problems.append(f"{c.get('name')}: {kind}, expected {exp}")
                    if sorted(c.get("name") for c in cases) != sorted(files):
                        problems.append(f"test cases {[c.get('name') for c in cases]}")
            else:
                t = subprocess.run(["perl", os.path.join(HERE, "reports", "tap.pl")], input=p.stdout,
                                   capture_output=True)
                if t.returncode:
                    problems.append(t.stderr.decode())
                else:
                    tap = json.loads(t.stdout)
                    if tap["plan"] != str(len(files)) or tap["tests_run"] != len(files):
                        problems.append(f"plan {tap['plan']}, {tap['tests_run']} tests run")
                    bad = sorted(x["description"][2:] for x in tap["tests"] if not x["ok"])
                    if bad != sorted(failing):
                        problems.append(f"not ok: {bad}, expected {failing}")
                    for x in tap["tests"]:
                        if not x["ok"] and not (x["yaml"] or {}).get("message"):
                            problems.append(f"{x['description']}: no message")
            result(f"reports: {fmt} of {' '.join(files)}: run errors are failing test cases", not problems,
                   "\n".join(problems) + "\n" + text[:3000])


def check_junit(tmp, text, inputs, found, result, label=""):
    name = f"reports: {label}junit"
    path = os.path.join(tmp, "report.xml")
    with open(path, "w") as f:
        f.write(text)
    p = subprocess.run(["xmllint", "--noout", "--schema", os.path.join(HERE, "reports", "junit.xsd"), path],
                       capture_output=True)
    result(f"{name}: xmllint validates it against the JUnit schema", p.returncode == 0,
           p.stderr.decode("utf-8", "replace") + text[:3000])
    if p.returncode:
        return
    root = ET.fromstring(text.encode())
    suites = root.findall("testsuite")
    cases = root.findall("testsuite/testcase")
    failing = [c for c in cases if c.find("failure") is not None]
    want_failing = [n for n in inputs if any(g["severity"] == "error" for g in found.get(n, []))]
    problems = []
    for el in [root] + suites:
        got = {k: el.get(k) for k in ("tests", "failures", "errors", "skipped")}
        want = {"tests": str(len(inputs)), "failures": str(len(want_failing)), "errors": "0", "skipped": "0"}
        if got != want:
            problems.append(f"<{el.tag}> counts {got}, expected {want}")
    if [c.get("name") for c in cases] != [xml_text(n) for n in inputs]:
        problems.append(f"test cases {[c.get('name') for c in cases]}, expected {inputs}")
    for case, shown in zip(cases, inputs):
        diags = found.get(shown, [])
        errors = [g for g in diags if g["severity"] == "error"]
        fails = case.findall("failure")
        if len(fails) != (1 if errors else 0):
            problems.append(f"{shown!r}: {len(fails)} failures")
            continue
        body = fails[0].text if fails else "".join(o.text or "" for o in case.findall("system-out"))
        if errors and not fails[0].get("message").startswith(xml_text(summary(errors[0]))):
            problems.append(f"{shown!r}: failure message {fails[0].get('message')!r}, "
                            f"expected it to start with {xml_text(summary(errors[0]))!r}")
        for g in diags:
            if xml_text(g["message"]) not in (body or ""):
                problems.append(f"{shown!r}: {g['message']!r} is not in the test case's text")
    result(f"{name}: counts, a test case per input, failures at file:line:col", not problems,
           "\n".join(problems) + "\n" + text[:3000])


def check_tap(tmp, text, inputs, found, result, label=""):
    name = f"reports: {label}tap"
    p = subprocess.run(["perl", os.path.join(HERE, "reports", "tap.pl")], input=text.encode(),
                       capture_output=True)
    result(f"{name}: TAP::Parser reads it", p.returncode == 0, p.stderr.decode() + text[:3000])
    if p.returncode:
        return
    tap = json.loads(p.stdout)
    problems = []
    if tap["parse_errors"] or tap["unknown"]:
        problems.append(f"parse errors {tap['parse_errors']}, lines not TAP {tap['unknown']}")
    if tap["version"] != 13 or tap["plan"] != str(len(inputs)) or tap["tests_run"] != len(inputs):
        problems.append(f"version {tap['version']}, plan {tap['plan']}, {tap['tests_run']} tests run")
    for i, (test, shown) in enumerate(zip(tap["tests"], inputs)):
        diags = found.get(shown, [])
        errors = [g for g in diags if g["severity"] == "error"]
        if test["number"] != i + 1 or test["ok"] == bool(errors):
            problems.append(f"test {test['number']} ({shown!r}): ok={test['ok']} with {len(errors)} errors")
        if test["description"] != "- " + tap_description(shown):
            problems.append(f"test {i + 1}: description {test['description']!r}")
        yaml = test["yaml"] or {}
        if bool(yaml) != bool(diags):
            problems.append(f"test {i + 1}: YAML block {yaml!r} for {len(diags)} diagnostics")
            continue
        if errors and yaml["message"] != tap_text(summary(errors[0])):
            problems.append(f"test {i + 1}: message {yaml['message']!r}, expected {summary(errors[0])!r}")
        want = [{k: tap_text(str(g[k])) for k in ("file", "line", "column", "severity", "rule", "path", "message", "hint")
                 if g[k] is not None} for g in diags]
        if yaml and yaml["diagnostics"] != want:
            problems.append(f"test {i + 1}: diagnostics {yaml['diagnostics']!r}, expected {want!r}")
    result(f"{name}: plan, a test line per input, ok/not ok and diagnostics", not problems,
           "\n".join(problems) + "\n" + text[:3000])
