"""The case runner: each directory of tests/cases/ runs sparkc (cmd, script.sh, stdin)
and compares stdout, stderr and the exit status; every manifest printed is also checked
by the strict CRD schema of every operator release sparkc knows (tests/crd.py), PyYAML
against --format json, and yamllint. A script.sh that compiles into files names them
*.manifest.yaml, and they get the CRD schemas' check too."""
import json
import os
import shlex
import shutil
import subprocess
import tempfile

import yaml

import crd
from harness import HERE, ROOT, ENV, result, run, diff

YAMLLINT = "{extends: default, rules: {line-length: disable, document-start: disable}}"


def operator_release(cmd_args):
    """The operator release a command compiles for."""
    for i, a in enumerate(cmd_args):
        if a == "--operator-version" and i + 1 < len(cmd_args):
            return cmd_args[i + 1].lstrip("v")
        if a.startswith("--operator-version="):
            return a.split("=", 1)[1].lstrip("v")
    return crd.DEFAULT


def crd_problems(i, doc, compiled_for):
    """Every release's strict CRD schema: a release at least as new as the one compiled
    for takes the manifest; an older one may refuse only fields it lacks (unknown keys
    that the bundled schema marks as added later)."""
    problems = []
    for release in crd.RELEASES:
        errors = crd.crd_errors(doc, release)
        if errors is None:
            return [f"document {i}: unknown kind"]
        newer_only = crd.RELEASES.index(release) < crd.RELEASES.index(compiled_for)
        for e in errors:
            if newer_only and e.validator == "additionalProperties" and \
                    all(k in crd.ADDED_LATER for k in e.instance if k not in e.schema.get("properties", {})):
                continue
            problems.append(f"document {i} [operator {release}]: {'/'.join(map(str, e.path))}: {e.message[:200]}")
    return problems


def check_manifests(name, text, sparkc, cmd_args, cwd, stdin):
    """Every release's strict CRD schema, a PyYAML round trip against JSON output, and
    yamllint."""
    problems = []
    try:
        docs = [d for d in yaml.safe_load_all(text) if d is not None]
    except yaml.YAMLError as e:
        result(name + " [pyyaml]", False, str(e))
        return
    compiled_for = operator_release(cmd_args)
    for i, doc in enumerate(docs):
        if isinstance(doc, dict) and doc.get("kind") not in crd.KINDS and \
                "/" not in str(doc.get("apiVersion", "sparkoperator")):
            continue  # a core object beside an application (a ConfigMap, a Secret): passed through
        problems += crd_problems(i, doc, compiled_for)
    result(name + " [crd schema of every operator release]", not problems, "\n".join(problems))
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
            for fname in sorted(f for f in os.listdir(work) if f.endswith(".manifest.yaml")):
                with open(os.path.join(work, fname)) as f:
                    docs = [d for d in yaml.safe_load_all(f) if d is not None]
                problems = [p for i, d in enumerate(docs) for p in crd_problems(i, d, crd.DEFAULT)]
                result(f"{name} [{fname}: crd schema of every operator release]", docs and not problems,
                       "\n".join(problems))
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
