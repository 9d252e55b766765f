#!/usr/bin/env python3
"""sparkc's test runner: walks tests/cases/*/ and checks what sparkc does with each.

A case is a directory. What it runs:
  cmd        arguments for sparkc, one line (default: compile input.yaml)
  script.sh  or a shell script, run with $SPARKC set (for -o, --check, directories)
  stdin      fed to standard input if present
What it expects (each optional, compared exactly):
  expected.out   standard output
  expected.err   standard error
  exit           exit status (default 0)
Every YAML manifest a case prints is also checked by tools sparkc does not share code
with: the Spark operator's strict CRD schema (Python jsonschema), PyYAML (a YAML 1.1
reader) reading back the same values as `--format json` gives, and yamllint.
Then tests/validation/: each file ends with `# expect: RULE LINE:COL` lines naming
exactly the diagnostics `sparkc validate` must report, and Python jsonschema, reading
the same file as YAML 1.2 with schemas/sparkjob.schema.json, must reach the same
valid/invalid verdict as sparkc's schema layer. Then the fuzzer's regression inputs and corpus
run, and valgrind runs sparkc over samples/.

usage: tests/run.py SPARKC_SANITIZED SPARKC [--valgrind=SPARKC_DYNAMIC] [--update] [CASE...]
(valgrind needs a dynamically linked sparkc; SPARKC by default)
"""
import glob
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor

import jsonschema
import yaml

import argocd
import bounds
import krm
import linkage
import makefile
import options
import pyyaml_syntax
import reports
import spark_registry

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SCHEMAS = {
    kind: json.load(open(os.path.join(HERE, "schemas", f"{kind.lower()}.v1beta2-strict.json")))
    for kind in ("SparkApplication", "ScheduledSparkApplication")
}
YAMLLINT = "{extends: default, rules: {line-length: disable, document-start: disable}}"
ENV = dict(os.environ, NO_COLOR="1", ASAN_OPTIONS="detect_leaks=1:abort_on_error=0",
           UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1")

passed = failed = 0
failures = []
lock = threading.Lock()


def result(name, ok, detail=""):
    """Count a check; print it if it failed. Checks run on several threads."""
    global passed, failed
    with lock:
        if ok:
            passed += 1
        else:
            failed += 1
            failures.append((name, detail))
            print(f"FAIL {name}\n{detail}".rstrip(), flush=True)


def run(argv, cwd, stdin=None):
    p = subprocess.run(argv, cwd=cwd, input=stdin, capture_output=True, env=ENV, timeout=120)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def diff(want, got):
    import difflib
    return "".join(difflib.unified_diff(want.splitlines(True), got.splitlines(True), "expected", "actual"))


def check_manifests(name, text, sparkc, cmd_args, cwd, stdin):
    """The strict CRD schema, a PyYAML round trip against JSON output, and yamllint."""
    problems = []
    try:
        docs = [d for d in yaml.safe_load_all(text) if d is not None]
    except yaml.YAMLError as e:
        result(name + " [pyyaml]", False, str(e))
        return
    for i, doc in enumerate(docs):
        schema = SCHEMAS.get(doc.get("kind") if isinstance(doc, dict) else None)
        if schema is None:
            problems.append(f"document {i}: unknown kind")
            continue
        for e in jsonschema.Draft7Validator(schema).iter_errors(doc):
            problems.append(f"document {i}: {'/'.join(map(str, e.path))}: {e.message[:200]}")
    result(name + " [crd schema]", not problems, "\n".join(problems))
    if not any(a.startswith("--format") for a in cmd_args):
        code, out, err = run([sparkc] + cmd_args + ["--format", "json"], cwd, stdin)
        if code == 0:
            js = json.loads(out)
            items = js["items"] if js.get("kind") == "List" else [js]
            result(name + " [pyyaml reads the values json has]", items == docs,
                   diff(json.dumps(items, indent=1, sort_keys=True), json.dumps(docs, indent=1, sort_keys=True)))
    if shutil.which("yamllint"):
        p = subprocess.run(["yamllint", "-d", YAMLLINT, "-"], input=text.encode(), capture_output=True)
        result(name + " [yamllint]", p.returncode == 0, p.stdout.decode())


def check_sarif(text):
    """The parts of SARIF 2.1.0 that code scanning reads."""
    try:
        log = json.loads(text)
        assert log["version"] == "2.1.0" and "sarif-2.1.0" in log["$schema"]
        assert len(log["runs"]) == 1
        run_ = log["runs"][0]
        assert run_["tool"]["driver"]["name"] == "sparkc" and run_["tool"]["driver"]["version"]
        for r in run_["results"]:
            assert isinstance(r["ruleId"], str) and r["ruleId"]
            assert r["level"] in ("error", "warning", "note")
            assert isinstance(r["message"]["text"], str) and r["message"]["text"]
            loc = r["locations"][0]["physicalLocation"]
            assert isinstance(loc["artifactLocation"]["uri"], str)
            if "region" in loc:
                assert loc["region"]["startLine"] >= 1 and loc["region"]["startColumn"] >= 1
        return True, ""
    except (ValueError, KeyError, IndexError, TypeError, AssertionError) as e:
        return False, f"not SARIF 2.1.0: {e!r}\n{text[:2000]}"


def run_case(case_dir, sparkc, update):
    name = os.path.basename(case_dir)
    files = set(os.listdir(case_dir))
    stdin = open(os.path.join(case_dir, "stdin"), "rb").read() if "stdin" in files else None
    with tempfile.TemporaryDirectory() as tmp:
        work = os.path.join(tmp, name)
        shutil.copytree(case_dir, work)
        if "script.sh" in files:
            env_sparkc = os.path.abspath(sparkc)
            ENV["SPARKC"] = env_sparkc
            ENV["SPARKC_REPO"] = ROOT
            code, out, err = run(["sh", "-e", "script.sh"], work, stdin)
            args = None
        else:
            args = shlex.split(open(os.path.join(case_dir, "cmd")).read()) if "cmd" in files \
                else ["compile", "input.yaml"]
            code, out, err = run([os.path.abspath(sparkc)] + args, work, stdin)
        want_exit = int(open(os.path.join(case_dir, "exit")).read()) if "exit" in files else 0
        if update:
            for fname, text in (("expected.out", out), ("expected.err", err)):
                path = os.path.join(case_dir, fname)
                if text:
                    open(path, "w").write(text)
                elif os.path.exists(path):
                    os.remove(path)
            if code:
                open(os.path.join(case_dir, "exit"), "w").write(f"{code}\n")
            elif "exit" in files:
                os.remove(os.path.join(case_dir, "exit"))
            want_exit = code
        problems = []
        if code != want_exit:
            problems.append(f"exit status {code}, expected {want_exit}")
        for fname, got in (("expected.out", out), ("expected.err", err)):
            path = os.path.join(case_dir, fname)
            want = open(path).read() if os.path.exists(path) else ""
            if want != got:
                problems.append(f"{fname}:\n{diff(want, got)}")
        for marker in ("AddressSanitizer", "LeakSanitizer", "runtime error:"):
            if marker in err:
                problems.append("sanitizer report:\n" + err)
        result(name, not problems, "\n".join(problems))
        if args is not None and any("sarif" in a for a in args):
            result(name + " [sarif 2.1.0 structure]", *check_sarif(out))
        if code == 0 and args is not None and args[0] == "compile" and out.strip() \
                and not any("json" in a for a in args) and "-o" not in args and "--output" not in args:
            check_manifests(name, out, sparkc, args, work, stdin)


def run_valgrind(sparkc):
    if not shutil.which("valgrind"):
        result("valgrind samples", False, "valgrind is not installed")
        return
    p = subprocess.run(["valgrind", "-q", "--leak-check=full", "--show-leak-kinds=all",
                        "--errors-for-leak-kinds=all", "--error-exitcode=99",
                        os.path.abspath(sparkc), "compile", "samples/"],
                       cwd=ROOT, capture_output=True, timeout=300)
    result("valgrind samples", p.returncode == 0, p.stderr.decode()[-4000:])


# ---- the validation corpus and the differential test ---------------------------------

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
            sparkc_schema_ok = not any(g["rule"].startswith("schema-") for g in diags)
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

SAMPLE_VALUE = {"FMT": "json", "DIR": ".", "NS": "ns", "BYTES": "1000", "N": "10", "CRON": "@daily", "PATH": "x"}


def run_cli(sanitized):
    env = dict(ENV)
    # the commands and their options come from --help; tests/options.py checks that
    # the completions and the man page list the same
    for command in options.help_commands(sanitized):
        code, out, err = run([sanitized, command, "--help"], ROOT)
        # and every option the help names is one the parser takes
        listed = re.findall(r"^\s+(?:-\w, )?(--[a-z-]+)(?: ([A-Z]+))?", out, re.M)
        bad = []
        for opt, metavar in listed:
            argv = [sanitized, command, opt] + ([SAMPLE_VALUE.get(metavar, "x")] if metavar else []) + ["--help"]
            c2, o2, e2 = run(argv, ROOT)
            if c2 != 0:
                bad.append(f"{opt}: exit {c2} {e2.strip()}")
        result(f"cli: {command} accepts every option its help names", not bad and listed, "\n".join(bad))
    # --opt=value and --opt value, short options, and -- ending the options
    job = os.path.join(ROOT, "samples", "sparkreadcsv.yaml")
    a = run([sanitized, "compile", "--format=json", "--namespace=prod", job], ROOT)
    b = run([sanitized, "compile", job, "--format", "json", "-n", "prod"], ROOT)
    result("cli: --opt=value, --opt value and options after files agree", a == b and a[0] == 0, f"{a[2]}{b[2]}")
    c = run([sanitized, "compile", "--", "-n"], ROOT)
    result("cli: -- ends the options", c[0] == 2 and "cannot read -n" in c[2], c[2])
    d = run([sanitized, "validate", "--output", "x", job], ROOT)
    result("cli: an option of another command is refused", d[0] == 2 and "does not take" in d[2], d[2])
    # colour only on a terminal, and never with NO_COLOR
    import pty
    bad_job = os.path.join(HERE, "cases", "err-name", "a.yaml")
    def on_tty(extra_env):
        pid, fd = pty.fork()
        if pid == 0:
            e = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
            e.update(TERM="xterm", ASAN_OPTIONS="detect_leaks=0", **extra_env)
            os.execve(sanitized, [sanitized, "validate", bad_job], e)
        chunks = []
        while True:
            try:
                data = os.read(fd, 4096)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
        os.waitpid(pid, 0)
        return b"".join(chunks).decode("utf-8", "replace")
    result("cli: colour on a terminal", "\x1b[" in on_tty({}), "")
    result("cli: no colour with NO_COLOR", "\x1b[" not in on_tty({"NO_COLOR": "1"}), "")
    piped = run([sanitized, "validate", bad_job], ROOT)
    result("cli: no colour when not a terminal", "\x1b[" not in piped[2], piped[2])


def run_install():
    with tempfile.TemporaryDirectory() as prefix:
        p = subprocess.run(["make", "-s", "install", f"PREFIX={prefix}"], cwd=ROOT, capture_output=True, env=ENV)
        result("install: make install PREFIX=...", p.returncode == 0, p.stderr.decode()[-2000:])
        if p.returncode:
            return
        page = os.path.join(prefix, "share", "man", "man1", "sparkc.1")
        m = subprocess.run(["man", "--warnings", "-l", page], capture_output=True,
                           env=dict(ENV, MANWIDTH="80", MANPAGER="cat", PAGER="cat"))
        text = m.stdout.decode()
        result("install: man -l renders sparkc.1 without warnings",
               m.returncode == 0 and "SYNOPSIS" in text and "EXIT STATUS" in text and not m.stderr.strip(),
               m.stderr.decode())
        comp = os.path.join(prefix, "share", "bash-completion", "completions", "sparkc")
        script = (f"source {shlex.quote(comp)} && complete -p sparkc && "
                  "COMP_WORDS=(sparkc val) COMP_CWORD=1 && _sparkc && echo \"${COMPREPLY[@]}\" && "
                  "COMP_WORDS=(sparkc validate --for) COMP_CWORD=2 && _sparkc && echo \"${COMPREPLY[@]}\" && "
                  "COMP_WORDS=(sparkc validate --format s) COMP_CWORD=3 && _sparkc && echo \"${COMPREPLY[@]}\"")
        b = subprocess.run(["bash", "-c", script], capture_output=True)
        out = b.stdout.decode().splitlines()
        result("install: bash completion loads and completes",
               b.returncode == 0 and not b.stderr and out[1:] == ["validate", "--format", "sarif"],
               b.stdout.decode() + b.stderr.decode())
        installed = os.path.join(prefix, "bin", "sparkc")
        i = subprocess.run([installed, "init", "job"], capture_output=True)
        first = i.stdout.decode().splitlines()[0] if i.stdout else ""
        result("install: init names the installed schema",
               first == f"# yaml-language-server: $schema={os.path.realpath(prefix)}/share/sparkc/sparkjob.schema.json", first)


# ---- hostile input -----------------------------------------------------------------

def hostile_inputs():
    """Inputs no job file should ever be: each must end in exit 0 or 1 with a diagnostic
    for 1, quickly, with nothing from the sanitizers."""
    sample = open(os.path.join(ROOT, "samples", "sparkreadcsv.yaml"), "rb").read()
    big = open(os.path.join(ROOT, "samples", "shared-volumes.yaml"), "rb").read()
    rnd = __import__("random").Random(20261126)
    yield "empty", b""
    for cut in range(0, len(big), 64):
        yield f"truncated-at-{cut}", big[:cut]
    for i in range(20):
        yield f"random-bytes-{i}", bytes(rnd.randrange(256) for _ in range(rnd.randrange(1, 2000)))
    for i in range(10):
        b = bytearray(sample)
        for _ in range(5):
            b[rnd.randrange(len(b))] = rnd.randrange(256)
        yield f"flipped-bytes-{i}", bytes(b)
    yield "invalid-utf8-lead", sample.replace(b"sparkreadcsv", b"spark\xffcsv")
    yield "invalid-utf8-overlong", sample.replace(b"admin", b"adm\xc0\xafn")
    yield "invalid-utf8-surrogate", sample.replace(b"admin", b"\xed\xa0\x80")
    yield "invalid-utf8-truncated-at-end", sample + b"# \xe2\x82"
    yield "directive-then-lone-lead-byte", b"kind: spark\n%e\xd3"
    yield "utf16-bom", b"\xff\xfe" + sample
    yield "nul-bytes", sample.replace(b"spark_read", b"spark\x00read")
    yield "utf8-bom", b"\xef\xbb\xbf" + sample
    yield "crlf", sample.replace(b"\n", b"\r\n")
    yield "lone-cr", sample.replace(b"\n", b"\r")
    yield "tabs", sample.replace(b"  ", b"\t")
    yield "scalar-10mb", sample.replace(b"image: ", b"image: " + b"x" * (10 << 20), 1)
    yield "key-10mb", sample + b"  " + b"k" * (10 << 20) + b": v\n"
    yield "nesting-100000-flow", b"kind: spark\nmetadata: " + b"[" * 100000 + b"]" * 100000 + b"\n"
    yield "nesting-100000-map", b"a: {" * 100000 + b"}" * 100000
    yield "nesting-block-1000", b"".join(b"  " * i + b"k:\n" for i in range(1000))
    bomb = [b"a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 12):
        bomb.append(f"a{i}: &a{i} [".encode() + b", ".join([f"*a{i-1}".encode()] * 10) + b"]")
    yield "alias-bomb", b"kind: spark\n" + b"\n".join(bomb) + b"\n"
    yield "alias-self", b"a: &x [*x]\n"
    yield "duplicate-keys-1000", b"kind: spark\nmetadata:\n" + b"".join(b"  name: a\n" for _ in range(1000))
    yield "keys-100000", b"kind: spark\nspec:\n  spark_conf:\n" + b"".join(f"    k{i}: v\n".encode() for i in range(100000))
    yield "documents-10000-empty", b"---\n" * 10000
    yield "many-documents", b"---\n".join([sample] * 200)
    yield "deep-anchors", b"".join(f"k{i}: &a{i} v\n".encode() for i in range(50000))
    yield "long-line-of-commas", b"a: [" + b"1," * 500000 + b"1]\n"
    yield "complex-keys", b"? [a, b]\n: c\n? {x: y}\n: z\n"
    yield "tags", b"!!map {kind: !!str spark, metadata: !custom {name: a}}\n"
    yield "directives", b"%YAML 1.1\n%TAG ! tag:example.com,2000:\n---\nkind: spark\n"
    yield "control-chars", sample.replace(b"admin", b"ad\x07\x1bmin")
    # every field with every wrong type
    fields = ["kind", "metadata.name", "metadata.labels", "metadata.annotations", "spec.command", "spec.image",
              "spec.replicas", "spec.args", "spec.env", "spec.volumes", "spec.volume_mounts", "spec.deps",
              "spec.spark_conf", "spec.driver_resources", "spec.driver_resources.requests",
              "spec.driver_resources.requests.cpu", "spec.executor_resources.limits", "spec.igz_spark",
              "spec.schedule", "spec.dynamic_allocation", "spec.monitoring", "spec.restart_policy",
              "spec.node_selector", "spec.driver_affinity", "spec.driver_tolerations", "spec.job_type",
              "spec.driver_cores", "spec.python_version", "spec.workdir", "spec.build"]
    values = ["null", "true", "-7", "3.5", "''", "[]", "{}", "[1, {a: b}]", "{a: [1]}", "'x'", "0777", ".nan"]
    for f in fields:
        for v in values:
            doc = {"kind": "spark", "metadata": {"name": "a"}, "spec": {"command": "/a.py", "image": "s",
                   "driver_resources": {"requests": {"cpu": "1"}}, "executor_resources": {"limits": {}}}}
            *path, last = f.split(".")
            node = doc
            for p in path:
                node = node.setdefault(p, {}) if isinstance(node.get(p), dict) or p not in node else node[p]
                if not isinstance(node, dict):
                    break
            else:
                node[last] = "@@"
                text = yaml.safe_dump(doc, sort_keys=False).replace("'@@'", v).replace("@@", v)
                yield f"wrong-type-{f}-{v}", text.encode()


def check_utf8_across_reads(sanitized):
    """sparkc reads its input in blocks and holds back a UTF-8 sequence cut by the end
    of one: values made of 2-, 3- and 4-byte characters, cut at every offset, come out
    whole."""
    with tempfile.TemporaryDirectory() as tmp:
        for ch in ("é", "€", "𝄞"):
            value = ch * (700000 // len(ch.encode()))
            path = os.path.join(tmp, "job.yaml")
            with open(path, "w") as f:
                f.write(f"kind: spark\nmetadata: {{name: a}}\nspec:\n  command: /a.py\n  image: s\n"
                        f"  args: ['{value}']\n")
            code, out, err = run([sanitized, "compile", "--format", "json", path], tmp)
            ok = code == 0 and json.loads(out)["spec"]["arguments"] == [value]
            result(f"hostile: {len(ch.encode())}-byte characters across read blocks", ok, err[-2000:])


def check_readme(sparkc):
    """The README's tour shows real output: each ```-block that starts with
    `$ sparkc ...` is run (in a directory holding samples/ and tests/readme/'s files)
    and must print what the block shows, up to a closing `...` line."""
    text = open(os.path.join(ROOT, "README.md")).read()
    blocks = re.findall(r"```\n\$ (sparkc [^\n]*)\n(.*?)```", text, re.S)
    with tempfile.TemporaryDirectory() as tmp:
        os.symlink(os.path.join(ROOT, "samples"), os.path.join(tmp, "samples"))
        for name in os.listdir(os.path.join(HERE, "readme")):
            shutil.copy(os.path.join(HERE, "readme", name), tmp)
        for command, shown in blocks:
            argv = shlex.split(command)
            code, out, err = run([sparkc] + argv[1:], tmp)
            lines = shown.splitlines()
            if lines and lines[-1].strip() == "...":
                lines = lines[:-1]
                got = (out + err).splitlines()[:len(lines)]
            else:
                got = (out + err).splitlines()
            result(f"README: {command}", got == lines, diff("\n".join(lines) + "\n", "\n".join(got) + "\n"))
    result("README: the tour shows compile, validate and explain", len(blocks) >= 3, f"{len(blocks)} blocks")


def run_hostile(sanitized, plain):
    """Small inputs go through one sparkc process per command (fast); should that
    fail, each input is run alone to name the one that broke it. The sanitized build
    checks for crashes and leaks; the time limit is the release build's, since ASan's
    realloc makes a parser's buffer growth on a 10 MB value slow by itself."""
    import time

    def check_one(name, path, command):
        try:
            code, out, err = run([sanitized, command, path], os.path.dirname(path))
            start = time.monotonic()
            run([plain, command, path], os.path.dirname(path))
            took = time.monotonic() - start
        except subprocess.TimeoutExpired:
            return ["timed out"], ""
        problems = []
        if code not in (0, 1):
            problems.append(f"exit {code}")
        if code == 1 and "error:" not in err:
            problems.append("exit 1 without a diagnostic")
        if code == 1 and command == "compile" and out:
            problems.append("a failed compile printed manifests")
        if any(m in err for m in ("Sanitizer", "runtime error:")):
            problems.append("sanitizer report")
        if took > 10:
            problems.append(f"the release build took {took:.1f} s")
        return problems, err

    with tempfile.TemporaryDirectory() as tmp:
        small, large = [], []
        for i, (name, data) in enumerate(hostile_inputs()):
            path = os.path.join(tmp, f"{i:04d}-{name[:60].replace('/', '_')}.yaml")
            with open(path, "wb") as f:
                f.write(data)
            (large if len(data) > (1 << 20) else small).append((name, path))
        # ASan's realloc copies a growing buffer each time, so a multi-megabyte value
        # is slow under it: those run alone, and validate only
        def check_large(name, path):
            problems, err = check_one(name, path, "validate")
            result(f"hostile {name} (validate)", not problems, "; ".join(problems) + "\n" + err[-2000:])

        with ThreadPoolExecutor(max_workers=len(large) or 1) as pool:
            for done in [pool.submit(check_large, name, path) for name, path in large]:
                done.result()
        paths = [p for _, p in small]
        for command in ("compile", "validate"):
            start = time.monotonic()
            code, out, err = run([sanitized, command, "--format", "json"] + paths if command == "validate"
                                 else [sanitized, command] + paths, tmp)
            per_file = {}
            if command == "validate":
                for line in out.splitlines():
                    g = json.loads(line)
                    per_file.setdefault(g["file"], []).append(g["severity"])
            ok = (code == 1 and not any(m in err for m in ("Sanitizer", "runtime error:"))
                  and (command != "compile" or not out) and time.monotonic() - start < 120)
            if ok:
                result(f"hostile: {len(paths)} inputs ({command}), none crashes, a failed run prints nothing", True)
                if command == "validate":
                    silent = [p for p in paths if os.path.getsize(p) and p not in per_file
                              and check_one("", p, "validate")[0]]
                    result("hostile: every rejected input has a diagnostic", not silent, "\n".join(silent))
                continue
            for name, path in small:
                problems, e = check_one(name, path, command)
                result(f"hostile {name} ({command})", not problems, "; ".join(problems) + "\n" + e[-2000:])


def check_fuzz_inputs(sanitized):
    """Inputs the fuzzer once broke sparkc with, and its whole corpus: each must end in
    a diagnostic or a manifest, without a sanitizer report."""
    reg_dir = os.path.join(HERE, "fuzz", "regressions")
    for fname in sorted(os.listdir(reg_dir)):
        for command in ("compile", "explain"):
            try:
                code, out, err = run([sanitized, command, os.path.join(reg_dir, fname)], ROOT)
            except subprocess.TimeoutExpired:
                code, out, err = "timed out", "", ""
            bad = code not in (0, 1) or any(m in err for m in ("Sanitizer", "runtime error:"))
            result(f"fuzz regression {fname} ({command})", not bad, f"exit {code}\n{err[-3000:]}")
    # the corpus replays in one process per command
    corpus = sorted(glob.glob(os.path.join(HERE, "fuzz", "corpus", "*")))
    for command in ("compile", "validate"):
        code, out, err = run([sanitized, command] + corpus, ROOT)
        bad = code not in (0, 1) or any(m in err for m in ("Sanitizer", "runtime error:"))
        result(f"fuzz corpus: {len(corpus)} inputs ({command})", corpus and not bad, f"exit {code}\n{err[-3000:]}")


def check_samples(sanitized, plain):
    """The samples compile and pass the manifest checks; the release build agrees."""
    code, out, err = run([sanitized, "compile", "samples/"], ROOT)
    result("samples compile", code == 0 and not err, err)
    if code == 0:
        check_manifests("samples", out, sanitized, ["compile", "samples/"], ROOT, None)
    release = run([plain, "compile", "samples/"], ROOT)
    result("the release build prints what the sanitized build prints", release == (code, out, err))


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    update = "--update" in sys.argv
    grind = next((a.split("=", 1)[1] for a in sys.argv if a.startswith("--valgrind=")), args[1])
    sanitized, plain = os.path.abspath(args[0]), os.path.abspath(args[1])
    only = set(args[2:])
    cases_dir = os.path.join(HERE, "cases")
    # Every case and every section is independent of the others (each works in its own
    # temporary directory), so they run side by side, the longest sections first.
    jobs = []
    if not only or "hostile" in only:
        jobs += [(run_hostile, sanitized, plain), (check_utf8_across_reads, sanitized),
                 (bounds.run, result, run, sanitized, plain, os.path.join(os.path.dirname(plain), "runstat"))]
    if not only:
        jobs += [(check_fuzz_inputs, sanitized), (run_valgrind, os.path.abspath(grind)),
                 (linkage.check_linkage, result, plain, os.path.abspath(grind)),
                 (pyyaml_syntax.check_syntax_verdicts, result, run, plain, ROOT),
                 (check_samples, sanitized, plain)]
    if not only or "files" in only:
        import files  # tests/files.py: hostile file systems, signals, scale
        jobs += [(check, sanitized, plain, result) for check in files.CHECKS]
    if not only or "validation" in only:
        jobs.append((run_corpus, sanitized, update))
    if not only or "secrets" in only:
        import secret_masking
        jobs.append((secret_masking.run, sanitized, result, ENV))
    if not only or "registry" in only:
        jobs.append((spark_registry.check_registry, result))
    if not only or "cli" in only:
        jobs += [(check_readme, sanitized), (run_cli, sanitized), (run_install,), (makefile.check_makefile, ROOT, result)]
        jobs.append((options.check_options, sanitized, ROOT, result))
    if not only or "editor" in only:
        import editor
        jobs += editor.jobs(sanitized, plain, result, Core12Loader)
    if not only or "reports" in only:
        jobs.append((reports.check, sanitized, result, ENV))
    if not only or "krm" in only:
        jobs.append((krm.check, sanitized, result, ENV))
    if not only or "argocd" in only:
        jobs.append((argocd.check, sanitized, result, ENV))
    jobs += [(run_case, os.path.join(cases_dir, name), sanitized, update)
             for name in sorted(os.listdir(cases_dir)) if not only or name in only]

    def guarded(fn, *a):
        try:
            fn(*a)
        except Exception as e:  # a check that breaks is a failed check, not a lost run
            result(f"{fn.__name__}{tuple(os.path.basename(str(x)) for x in a)}", False, repr(e))

    with ThreadPoolExecutor(max_workers=2 * (os.cpu_count() or 1)) as pool:
        for job in jobs:
            pool.submit(guarded, *job)
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


main()
