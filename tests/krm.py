"""`sparkc krm` against the KRM functions specification (kustomize, kpt).

Each directory in tests/krm/ is a case: a ResourceList as an orchestrator hands it over
(input.yaml or input.json, fed to stdin), optionally `args` (more arguments, one line),
and what must come out: expected.out, expected.err, exit (default 0), compared exactly.
Beyond the exact text, every output is read back with PyYAML (or json) and checked for
what the specification and the orchestrators rely on:
- the output is a ResourceList (a List for a List) of the input's apiVersion, keeping
  its functionConfig;
- items that are not `kind: spark` pass through with the same values, in order;
- each compiled job is exactly what `sparkc compile --format json` gives for that job,
  plus the annotations naming the file it belongs in (<namespace>/<name>.yaml), and it
  passes the operator's strict CRD schema;
- every result has a severity (error, warning or info) and a message; field.path where
  the diagnostic has one; file.path and file.index equal to the annotations of the
  item it is about; the message starts with the ResourceList's line:column (or, for a
  template file, that file's);
- the exit status is 1 exactly when a result is an error.
With kpt installed, `kpt fn source` | sparkc krm | `kpt fn sink` renders a directory of
jobs to the same manifests as `sparkc compile -o`.

Called from tests/run.py as check(sparkc, result, env, update)."""
import json
import os
import re
import shlex
import shutil
import subprocess
import tempfile

import jsonschema
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CASES = os.path.join(HERE, "krm")
SCHEMAS = {
    kind: json.load(open(os.path.join(HERE, "schemas", f"{kind.lower()}.v1beta2-strict.json")))
    for kind in ("SparkApplication", "ScheduledSparkApplication")
}
ORCHESTRATION = ("config.kubernetes.io/", "internal.config.kubernetes.io/", "config.k8s.io/")
RESULT_SCHEMA = {
    "type": "object",
    "required": ["message", "severity"],
    "additionalProperties": False,
    "properties": {
        "message": {"type": "string", "minLength": 1},
        "severity": {"enum": ["error", "warning", "info"]},
        "resourceRef": {"type": "object", "properties": {k: {"type": "string"} for k in
                                                         ("apiVersion", "kind", "name", "namespace")},
                        "additionalProperties": False},
        "field": {"type": "object", "required": ["path"], "properties": {"path": {"type": "string"}},
                  "additionalProperties": False},
        "file": {"type": "object", "required": ["path"], "additionalProperties": False,
                 "properties": {"path": {"type": "string"}, "index": {"type": "integer", "minimum": 0}}},
        "tags": {"type": "object", "additionalProperties": {"type": "string"}},
    },
}


def annotation(item, key):
    ann = (item.get("metadata") or {}).get("annotations") or {}
    return ann.get("internal.config.kubernetes.io/" + key, ann.get("config.kubernetes.io/" + key))


def without_orchestration(item):
    item = json.loads(json.dumps(item))
    meta = item.get("metadata") or {}
    ann = {k: v for k, v in (meta.get("annotations") or {}).items() if not k.startswith(ORCHESTRATION)}
    if "annotations" in meta:
        if ann:
            meta["annotations"] = ann
        else:
            del meta["annotations"]
    return item


def compiled(sparkc, job, namespace, templates, cwd, env):
    """What `sparkc compile` makes of one job, or None when it does not compile."""
    args = [sparkc, "compile", "--format", "json", "-"]
    if namespace:
        args[2:2] = ["-n", namespace]
    if templates:
        args[2:2] = ["--templates", templates]
    p = subprocess.run(args, input=yaml.safe_dump(job).encode(), cwd=cwd, capture_output=True, env=env)
    return json.loads(p.stdout) if p.returncode == 0 else None


def check_output(name, sparkc, case_dir, text, code, env, result):
    data = open(os.path.join(case_dir, "input.json" if os.path.exists(os.path.join(case_dir, "input.json"))
                             else "input.yaml")).read()
    try:
        given = yaml.safe_load(data)
        got = yaml.safe_load(text)
    except yaml.YAMLError as e:
        result(f"krm {name} [pyyaml]", False, str(e))
        return
    problems = []
    if not isinstance(got, dict) or got.get("kind") != given["kind"] or got.get("apiVersion") != given["apiVersion"]:
        result(f"krm {name} [a {given['kind']} comes back]", False, text[:2000])
        return
    if got.get("functionConfig") != given.get("functionConfig"):
        problems.append("functionConfig changed")
    config = ((given.get("functionConfig") or {}).get("data")) or {}
    results = got.get("results") or []
    for r in results:
        for e in jsonschema.Draft7Validator(RESULT_SCHEMA).iter_errors(r):
            problems.append(f"result {r}: {e.message}")
        where = re.escape(r["file"]["path"]) if "resourceRef" not in r and "file" in r else "<stdin>"
        if not re.match(rf"^{where}(:\d+:\d+)?: ", r.get("message", "")):
            problems.append(f"result message without the ResourceList position: {r.get('message')!r}")
    errors = [r for r in results if r["severity"] == "error"]
    if (code == 1) != bool(errors) or code not in (0, 1):
        problems.append(f"exit {code} with {len(errors)} error results")
    items_in, items_out = given.get("items") or [], got.get("items") or []
    if len(items_in) != len(items_out):
        problems.append(f"{len(items_in)} items in, {len(items_out)} out")
    for i, (a, b) in enumerate(zip(items_in, items_out)):
        if not (isinstance(a, dict) and a.get("kind") == "spark"):
            if a != b:
                problems.append(f"item {i} did not pass through unchanged:\n{a}\n{b}")
            continue
        mine = [r for r in results if r.get("file") == {"path": annotation(a, "path"), "index": int(annotation(a, "index") or 0)}
                or (annotation(a, "path") is None and r.get("resourceRef", {}).get("name") == a["metadata"].get("name"))]
        if b == a:      # not compiled: it must have drawn an error (unless the config failed)
            if not any(r["severity"] == "error" for r in mine) and not any("resourceRef" not in r for r in errors):
                problems.append(f"item {i} came back uncompiled without an error result")
            continue
        if any(r["severity"] == "error" for r in mine):
            problems.append(f"item {i} compiled despite errors {mine}")
        want = compiled(sparkc, without_orchestration(a), config.get("namespace"), config.get("templates"),
                        case_dir, env)
        meta = b.get("metadata", {})
        file = f"{meta.get('namespace')}/{meta.get('name')}.yaml"
        if {k: v for k, v in meta.get("annotations", {}).items() if k.startswith(ORCHESTRATION)} != {
                "config.kubernetes.io/path": file, "internal.config.kubernetes.io/path": file,
                "config.kubernetes.io/index": "0", "internal.config.kubernetes.io/index": "0"}:
            problems.append(f"item {i}: annotations {meta.get('annotations')}")
        if want != without_orchestration(b):
            problems.append(f"item {i} is not what sparkc compile makes of the job:\n{json.dumps(want)}\n{json.dumps(b)}")
        schema = SCHEMAS.get(b.get("kind"))
        for e in jsonschema.Draft7Validator(schema).iter_errors(b) if schema else []:
            problems.append(f"item {i}: {'/'.join(map(str, e.path))}: {e.message[:200]}")
    result(f"krm {name} [spec conventions, compile agrees, CRD schema]", not problems, "\n".join(problems))


def run_case(sparkc, case_dir, env, update, result):
    name = os.path.basename(case_dir)
    files = set(os.listdir(case_dir))
    stdin_name = "input.json" if "input.json" in files else "input.yaml"
    args = shlex.split(open(os.path.join(case_dir, "args")).read()) if "args" in files else []
    p = subprocess.run([sparkc, "krm"] + args, stdin=open(os.path.join(case_dir, stdin_name), "rb"),
                       cwd=case_dir, capture_output=True, env=env, timeout=60)
    out, err = p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")
    if update:
        for fname, text in (("expected.out", out), ("expected.err", err)):
            path = os.path.join(case_dir, fname)
            if text:
                open(path, "w").write(text)
            elif os.path.exists(path):
                os.remove(path)
        if p.returncode:
            open(os.path.join(case_dir, "exit"), "w").write(f"{p.returncode}\n")
        elif "exit" in files:
            os.remove(os.path.join(case_dir, "exit"))
    want_exit = int(open(os.path.join(case_dir, "exit")).read()) if os.path.exists(os.path.join(case_dir, "exit")) else 0
    problems = [] if p.returncode == want_exit else [f"exit status {p.returncode}, expected {want_exit}"]
    for fname, got in (("expected.out", out), ("expected.err", err)):
        path = os.path.join(case_dir, fname)
        want = open(path).read() if os.path.exists(path) else ""
        if want != got:
            import difflib
            problems.append(f"{fname}:\n" + "".join(difflib.unified_diff(
                want.splitlines(True), got.splitlines(True), "expected", "actual")))
    if any(m in err for m in ("AddressSanitizer", "LeakSanitizer", "runtime error:")):
        problems.append("sanitizer report:\n" + err)
    result(f"krm {name}", not problems, "\n".join(problems))
    if out:
        check_output(name, sparkc, case_dir, out, p.returncode, env, result)


def check_kpt(sparkc, result, env):
    """kpt reads a directory into a ResourceList and writes one back into files by
    their path annotations: the manifests land where compile -o puts them."""
    if not shutil.which("kpt"):
        print("note: kpt is not installed; the kpt fn source | sparkc krm | kpt fn sink test did not run")
        return
    with tempfile.TemporaryDirectory() as tmp:
        pkg, out, ref = (os.path.join(tmp, d) for d in ("pkg", "out", "ref"))
        os.makedirs(os.path.join(pkg, "jobs"))
        for sample in ("sparkreadcsv.yaml", "hourly-report.yaml"):
            shutil.copy(os.path.join(ROOT, "samples", sample), os.path.join(pkg, "jobs", sample))
        with open(os.path.join(pkg, "config.yaml"), "w") as f:
            f.write("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: \"on\"\n")
        source = subprocess.run(["kpt", "fn", "source", pkg], capture_output=True)
        fn = subprocess.run([sparkc, "krm"], input=source.stdout, capture_output=True, env=env)
        sink = subprocess.run(["kpt", "fn", "sink", out], input=fn.stdout, capture_output=True)
        ok = source.returncode == 0 and fn.returncode == 0 and sink.returncode == 0
        result("krm: kpt fn source | sparkc krm | kpt fn sink", ok,
               (source.stderr + fn.stderr + sink.stderr).decode("utf-8", "replace"))
        if not ok:
            return
        subprocess.run([sparkc, "compile", "-o", ref, os.path.join(pkg, "jobs")], capture_output=True, env=env)
        problems = []
        want = sorted(os.path.relpath(os.path.join(d, f), ref) for d, _, fs in os.walk(ref) for f in fs
                      if not f.startswith("."))
        got = sorted(os.path.relpath(os.path.join(d, f), out) for d, _, fs in os.walk(out) for f in fs)
        if got != sorted(want + ["config.yaml"]):
            problems.append(f"files {got}, expected {want} and config.yaml")
        for rel in want:
            if os.path.exists(os.path.join(out, rel)):
                a = yaml.safe_load(open(os.path.join(ref, rel)))
                b = without_orchestration(yaml.safe_load(open(os.path.join(out, rel))))
                if a != b:
                    problems.append(f"{rel} differs from compile -o's")
        cm = yaml.safe_load(open(os.path.join(out, "config.yaml"))) if "config.yaml" in got else None
        if cm != {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "settings"}, "data": {"mode": "on"}}:
            problems.append(f"config.yaml came back as {cm}")
        result("krm: kpt fn sink writes the manifests compile -o writes, other files unchanged", not problems,
               "\n".join(problems))


def check(sparkc, result, env, update=False):
    for name in sorted(os.listdir(CASES)):
        run_case(sparkc, os.path.join(CASES, name), env, update, result)
    check_kpt(sparkc, result, env)
