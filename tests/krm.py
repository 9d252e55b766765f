"""`sparkc krm` against the KRM functions specification (kustomize, kpt).

The cases are tests/cases/krm-*/ (run.py compares their output exactly): a ResourceList
as an orchestrator hands it over in `stdin` (several were made by `kpt fn source`).
Here each output is read back with PyYAML (or json) and checked for what the
specification and the orchestrators rely on:
- the output is a ResourceList (a List for a List) of the input's apiVersion, keeping
  its functionConfig;
- items that are not `kind: spark` pass through with the same values, in order; a job
  that does not compile comes back as it came, but for the secrets its results flag,
  masked;
- each compiled job is exactly what `sparkc compile --format json` gives for that job,
  plus the annotations naming the file it belongs in (<namespace>/<name>.yaml), and it
  passes the operator's strict CRD schema;
- every result has a severity (error, warning or info) and a message; field.path where
  the diagnostic has one; file.path and file.index equal to the annotations of the
  item it is about; the message starts with the ResourceList's line:column (or, for a
  template file, that file's);
- the exit status is 1 exactly when a result is an error; an input the function
  cannot process (not YAML, not a ResourceList) still gets a ResourceList back, with
  no item and the errors as results.
With kpt installed, `kpt fn source` | sparkc krm | `kpt fn sink` renders a directory of
jobs to the same manifests as `sparkc compile -o`. The fuzzer's corpus goes through
too, as items and as raw input.

Called from tests/run.py as check(sparkc, result, env)."""
import json
import os
import re
import shlex
import shutil
import subprocess
import tempfile

import jsonschema
import yaml

import crd

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SANITIZER = ("AddressSanitizer", "LeakSanitizer", "runtime error:")
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


def masked_values(a, b):
    """How many values b has as ******** where a has something else; None if b differs
    from a in any other way."""
    if isinstance(a, dict) and isinstance(b, dict) and a.keys() == b.keys():
        counts = [masked_values(a[k], b[k]) for k in a]
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        counts = [masked_values(x, y) for x, y in zip(a, b)]
    else:
        return 0 if a == b else 1 if b == "********" and not isinstance(a, (dict, list)) else None
    return None if None in counts else sum(counts)


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
    data = open(os.path.join(case_dir, "stdin")).read()
    try:
        given = yaml.safe_load(data)
        got = yaml.safe_load(text)
    except yaml.YAMLError as e:
        result(f"{name} [pyyaml]", False, str(e))
        return
    problems = []
    if not isinstance(got, dict) or got.get("kind") != given["kind"] or got.get("apiVersion") != given["apiVersion"]:
        result(f"{name} [a {given['kind']} comes back]", False, text[:2000])
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
            # an operator manifest is checked: a secret it flags comes back masked
            secrets = sum(r.get("tags", {}).get("rule") == "secret-literal"
                          and r.get("resourceRef", {}).get("kind") == a.get("kind")
                          and r["resourceRef"].get("name") == (a.get("metadata") or {}).get("name")
                          for r in results) if isinstance(a, dict) else 0
            if (masked_values(a, b) != secrets) if secrets else a != b:
                problems.append(f"item {i} did not pass through unchanged but for {secrets} secrets masked:\n{a}\n{b}")
            continue
        index = str(annotation(a, "index") or "0")
        file = {"path": annotation(a, "path"), "index": int(index)} if index.isdigit() \
            else {"path": annotation(a, "path")}     # not a number: a warning, the file without one
        mine = [r for r in results if r.get("file") == file
                or (annotation(a, "path") is None and r.get("resourceRef", {}).get("name") == a["metadata"].get("name")
                    and r["resourceRef"].get("kind") == "spark")]
        if b.get("kind") == "spark":    # not compiled: it must have drawn an error (unless the config failed)
            if not any(r["severity"] == "error" for r in mine) and not any("resourceRef" not in r for r in errors):
                problems.append(f"item {i} came back uncompiled without an error result")
            secrets = sum(r.get("tags", {}).get("rule") == "secret-literal" for r in mine)
            masked = masked_values(a, b)
            if masked is None or masked != secrets:
                problems.append(f"item {i} came back changed other than {secrets} secrets masked:\n{a}\n{b}")
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
        for release in crd.RELEASES:     # compiled for the default (v2.5.2, the oldest): every release takes it
            for e in crd.crd_errors(b, release) or []:
                problems.append(f"item {i} [operator {release}]: {'/'.join(map(str, e.path))}: {e.message[:200]}")
    result(f"{name} [spec conventions, compile agrees, CRD schema]", not problems, "\n".join(problems))


def check_failed_list(name, got, code, result):
    """An input the function cannot process still gets a ResourceList back: no item,
    the errors as results, exit 1."""
    problems = []
    if got.get("apiVersion") != "config.kubernetes.io/v1" or got.get("kind") != "ResourceList":
        problems.append(f"not a ResourceList: {got}")
    for r in got["results"]:
        for e in jsonschema.Draft7Validator(RESULT_SCHEMA).iter_errors(r):
            problems.append(f"result {r}: {e.message}")
        if not re.match(r"^<stdin>(:\d+:\d+)?: ", r.get("message", "")):
            problems.append(f"result message without the ResourceList position: {r.get('message')!r}")
    if code != 1 or not any(r["severity"] == "error" for r in got["results"]):
        problems.append(f"exit {code} with results {got['results']}")
    result(f"{name} [a ResourceList with the errors as results]", not problems, "\n".join(problems))


def check_cases(sparkc, result, env):
    """Each case's output, read back."""
    cases = os.path.join(HERE, "cases")
    for name in sorted(n for n in os.listdir(cases) if n.startswith("krm-")):
        case_dir = os.path.join(cases, name)
        args = shlex.split(open(os.path.join(case_dir, "cmd")).read())
        p = subprocess.run([sparkc] + args, stdin=open(os.path.join(case_dir, "stdin"), "rb"),
                           cwd=case_dir, capture_output=True, env=env, timeout=60)
        text = p.stdout.decode("utf-8", "replace")
        try:
            got = yaml.safe_load(text) if p.stdout else None
        except yaml.YAMLError:
            got = None
        if isinstance(got, dict) and got.get("items") == [] and got.get("results") \
                and not any("resourceRef" in r for r in got["results"]):
            check_failed_list(name, got, p.returncode, result)
        elif p.stdout:
            check_output(name, sparkc, case_dir, text, p.returncode, env, result)
        else:
            result(f"{name} [nothing on stdout means exit 1 and a diagnostic]",
                   p.returncode == 1 and b"error: " in p.stderr, p.stderr.decode("utf-8", "replace"))


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


def check_hostile(sparkc, result, env):
    """The fuzzer's corpus as items of one ResourceList (every file PyYAML reads as a
    mapping, marked kind: spark), and a tenth of it, with the regression inputs, as the
    whole of stdin: no crash, no sanitizer report, a ResourceList back."""
    fuzz = os.path.join(HERE, "fuzz")
    corpus = sorted(os.path.join(fuzz, "corpus", f) for f in os.listdir(os.path.join(fuzz, "corpus")))
    items = []
    for i, path in enumerate(corpus):
        try:
            doc = yaml.safe_load(open(path, "rb"))
            json.dumps(doc)
        except Exception:   # not YAML, or not data JSON can hold: fine for the raw runs below
            continue
        if isinstance(doc, dict):
            doc["kind"] = "spark"
            meta = doc.get("metadata") if isinstance(doc.get("metadata"), dict) else {}
            doc["metadata"] = meta
            if not isinstance(meta.get("annotations"), dict):
                meta["annotations"] = {}
            meta["annotations"].update({"internal.config.kubernetes.io/path": os.path.basename(path),
                                        "internal.config.kubernetes.io/index": str(i)})
            items.append(doc)
    rl = json.dumps({"apiVersion": "config.kubernetes.io/v1", "kind": "ResourceList", "items": items})
    p = subprocess.run([sparkc, "krm", "--max-document-size", "1000000000", "--max-nodes", "100000000"],
                       input=rl.encode(), capture_output=True, env=env, timeout=300)
    err = p.stderr.decode("utf-8", "replace")
    ok = p.returncode in (0, 1) and not any(m in err for m in SANITIZER)
    if ok:
        out = json.loads(p.stdout)
        ok = len(out["items"]) == len(items) and len(items) > 100
    result(f"krm: {len(items)} fuzz corpus jobs as items of one ResourceList", ok, f"exit {p.returncode}\n{err[-3000:]}")
    raw = corpus[::10] + sorted(os.path.join(fuzz, "regressions", f) for f in os.listdir(os.path.join(fuzz, "regressions")))
    bad = []
    for path in raw:
        p = subprocess.run([sparkc, "krm"], stdin=open(path, "rb"), capture_output=True, env=env, timeout=60)
        err = p.stderr.decode("utf-8", "replace")
        if p.returncode not in (0, 1) or any(m in err for m in SANITIZER) or (p.returncode and "error" not in err
                                                                              and not p.stdout):
            bad.append(f"{path}: exit {p.returncode}\n{err[-1000:]}")
    result(f"krm: {len(raw)} fuzz inputs as stdin", not bad, "\n".join(bad[:5]))


def check(sparkc, result, env):
    check_cases(sparkc, result, env)
    check_kpt(sparkc, result, env)
    check_hostile(sparkc, result, env)
