"""Operator manifests as input: SparkApplication and ScheduledSparkApplication documents
(`sparkoperator.k8s.io/v1beta2`) that teams write by hand, over tests/operator/.

- examples/: the Spark operator's own examples. `validate` passes each clean, `compile`
  passes each through with the same data (PyYAML reads back what the input holds), to
  stdout and to `-o DIR/<namespace>/<name>.yaml`.
- mutations.yaml: one change to an example per schema keyword of the operator's CRD and
  per meaning rule that applies to a CR's own fields, each with the rule sparkc must
  report. The expected line:column is computed here from PyYAML's node marks in the
  mutated text (`yaml.compose`), never from sparkc.
- a differential test: Python jsonschema (Draft 7) with the strict CRD schema of the
  default operator release (tests/schemas/, tests/crd.py) over the examples, every
  mutation and the hand-written edge/ files reaches the same verdict as sparkc's schema
  layer, and its error paths are the paths sparkc names.
- operator releases: each mutation that uses a field only a later release has is an
  error (operator-version) under the default release, as jsonschema with that release's
  CRD says, and clean under --operator-version of the release that has it, as jsonschema
  with that release's CRD says too.
- explain: pod memory per role, computed here from the CR with Spark's rule written in
  its simplest form, against `sparkc explain --format json`.

tools/compare-operator-diagnostics.py prints sparkc's findings beside jsonschema's for
every mutated file, from the same functions."""
import copy
import json
import os
import re
import shutil
import tempfile

import jsonschema
import yaml

import crd
from corpus import Core12Loader
from harness import HERE, ROOT, run

OPERATOR = os.path.join(HERE, "operator")
EXAMPLES = os.path.join(OPERATOR, "examples")
EDGE = os.path.join(OPERATOR, "edge")
MUTATIONS = os.path.join(OPERATOR, "mutations.yaml")
KINDS = ("SparkApplication", "ScheduledSparkApplication")

# What an example draws besides nothing, stated one by one: file -> [(rule, severity, line)].
# The operator ships spark-pi-prometheus.yaml with {IMAGE_REGISTRY}/{IMAGE_REPOSITORY}
# placeholders in its image, which YAML reads as a flow mapping: it is not YAML as shipped.
EXAMPLE_DIAGNOSTICS = {
    "spark-pi-prometheus.yaml": [("yaml-syntax", "error", 25)],
    # the two Secrets beside spark-pi-pod-template hold their stringData as text, which in
    # a repository is a secret committed to git: the same error as one written in a job
    "spark-pi-pod-template.yaml": [("secret-literal", "error", 31), ("secret-literal", "error", 49)],
}


def is_schema_rule(rule):
    """The schema layer's rule ids (schema.c): what the CRD's JSON Schema decides (a field
    the operator release lacks is its unknown key)."""
    return rule.startswith("schema-") or rule in ("yaml-leading-zero", "operator-version")


def is_yaml_stop(rule):
    """A YAML problem that stops sparkc before its schema layer."""
    return rule.startswith(("yaml-", "limit-")) and rule != "yaml-leading-zero" or rule == "empty"


# ---- reading and writing manifests ------------------------------------------------------

class Dumper12(yaml.SafeDumper):
    """PyYAML's writer, quoting every string that a YAML 1.2 reader (sparkc) would not
    read back as that string (`1e3`, `0o17`), besides what YAML 1.1 needs quoted."""


def _represent_str(dumper, s):
    try:
        plain_ok = yaml.load(s, Loader=Core12Loader) == s
    except yaml.YAMLError:
        plain_ok = False
    node = dumper.represent_scalar("tag:yaml.org,2002:str", s)
    if not plain_ok and node.style is None:
        node.style = '"'
    return node


Dumper12.add_representer(str, _represent_str)


def dump(docs):
    return yaml.dump_all(docs, Dumper=Dumper12, sort_keys=False, default_flow_style=False,
                         width=4096, allow_unicode=False, explicit_start=len(docs) > 1)


def load_all(text):
    return [d for d in yaml.load_all(text, Loader=Core12Loader) if d is not None]


def is_manifest(doc):
    return isinstance(doc, dict) and str(doc.get("apiVersion", "")).startswith("sparkoperator.k8s.io/")


def example_manifest(name):
    """The operator manifest of an example (its last document of an operator kind)."""
    with open(os.path.join(EXAMPLES, name)) as f:
        docs = load_all(f.read())
    return [d for d in docs if is_manifest(d) and d.get("kind") in KINDS][-1]


# ---- mutations ----------------------------------------------------------------------------

def mutations():
    with open(MUTATIONS) as f:
        return yaml.safe_load(f)


def _parent(doc, path):
    node = doc
    for step in path[:-1]:
        node = node[step]
    return node


def _set(doc, path, value):
    _parent(doc, path)[path[-1]] = copy.deepcopy(value)


def _rename(doc, path, new):
    parent = _parent(doc, path)
    items = [(new if k == path[-1] else k, v) for k, v in parent.items()]
    parent.clear()
    parent.update(items)


def apply(m):
    """The mutated file's text, (path, at) of the node sparkc must point at, and the index
    of the document that holds it."""
    if "replace" in m:      # a change to the example's own text, its layout and comments kept
        with open(os.path.join(EXAMPLES, m["base"])) as f:
            original = f.read()
        old, new = m["replace"]
        assert original.count(old) == 1, f"mutation {m['id']}: {old!r} is not once in {m['base']}"
        text = original.replace(old, new)
        kinds = [d.get("kind") for d in yaml.load_all(text, Loader=Core12Loader) if d is not None]
        index = max(i for i, k in enumerate(kinds) if k in KINDS)
        return text, m["at_path"], m.get("at", "value"), index
    doc = copy.deepcopy(example_manifest(m["base"]))
    for change in m.get("also", []):
        _set(doc, change["set"], change["value"])
    if "set" in m:
        path, at = m["set"], "value"
        _set(doc, path, m["value"])
    elif "delete" in m:
        path, at = m["delete"], "holder"
        del _parent(doc, path)[path[-1]]
    elif "rename" in m:
        path, at = m["rename"][:-1] + [m["to"]], "key"
        _rename(doc, m["rename"], m["to"])
    elif "append" in m:
        lst = _parent(doc, m["append"] + [None])
        lst.append(copy.deepcopy(m["value"]))
        path, at = m["append"] + [len(lst) - 1], "value"
    elif m.get("duplicate"):
        path, at = ["metadata", "name"], "value"
    else:
        raise ValueError(f"mutation {m['id']}: no change")
    docs = [doc, copy.deepcopy(doc)] if m.get("duplicate") else [doc]
    return dump(docs), m.get("at_path", path), m.get("at", at), len(docs) - 1


def dotted(path):
    """sparkc's path notation: keys joined by '.', list indexes as [i]."""
    out = ""
    for step in path:
        if isinstance(step, int):
            out += f"[{step}]"
        else:
            out += ("." if out else "") + str(step)
    return out


def _node_at(root, path):
    """(key node or None, value node) at path in a composed document."""
    key, node = None, root
    for step in path:
        if isinstance(node, yaml.SequenceNode):
            key, node = None, node.value[step]
        else:
            for k, v in node.value:
                if k.value == step:
                    key, node = k, v
                    break
            else:
                raise KeyError(f"{dotted(path)}: no {step!r} in the mutated document")
    return key, node


def expected_position(text, path, at, doc_index=0):
    """(line, column, path) where sparkc must report, from PyYAML's marks (0-based there)."""
    root = list(yaml.compose_all(text, Loader=yaml.SafeLoader))[doc_index]
    if at == "holder":
        holder = path[:-1]
        if not holder:
            first = text.count("\n", 0, root.start_mark.index)
            return first + 1, 1, ""
        key, node = _node_at(root, holder)
        mark = (key or node).start_mark
        return mark.line + 1, mark.column + 1, dotted(holder)
    key, node = _node_at(root, path)
    if at == "key":
        return key.start_mark.line + 1, key.start_mark.column + 1, dotted(path)
    if at.startswith("char "):
        quoted = 1 if node.style in ('"', "'") else 0
        return node.start_mark.line + 1, node.start_mark.column + 1 + quoted + int(at.split()[1]), dotted(path)
    return node.start_mark.line + 1, node.start_mark.column + 1, dotted(path)


# ---- running sparkc ------------------------------------------------------------------------

def validate(sparkc, path, *options):
    code, out, err = run([sparkc, "validate", "--format", "json", *options, path], ROOT)
    diags = []
    for line in out.splitlines():
        if line.strip():
            try:
                diags.append(json.loads(line))
            except ValueError:
                diags.append({"rule": "?", "line": 0, "column": 0, "path": "", "severity": "error",
                              "message": f"not JSON: {line}", "hint": None})
    return code, diags, err


def sanitizer_trouble(err):
    return any(m in err for m in ("Sanitizer", "runtime error:"))


def show(diags):
    return "\n".join(f"  {d['line']}:{d['column']} {d['severity']} {d['rule']} [{d['path']}] {d['message']}"
                     + (f" (hint: {d['hint']})" if d.get("hint") else "") for d in diags) or "  (none)"


# ---- Python jsonschema with the operator's strict CRD schema ---------------------------

_validators = {}


def validator(kind, release=crd.DEFAULT):
    if (kind, release) not in _validators:
        schema = crd.SCHEMAS[release][kind]
        jsonschema.Draft7Validator.check_schema(schema)
        _validators[kind, release] = jsonschema.Draft7Validator(schema)
    return _validators[kind, release]


def prune_nulls(x):
    """What the API server validates: a CR's fields set to null are dropped first unless the
    schema says nullable (apiextensions-apiserver, pkg/apiserver/schema/defaulting/
    prunenulls.go, PruneNonNullableNullsWithoutDefaults, Kubernetes 1.20; "Defaulting and
    Nullable" in the CRD documentation), as sparkc reads null as "not set". The CRD's only
    nullable fields, under status, keep their null, which it allows; list items are not
    pruned. JSON Schema has no nullable, so they are dropped here too."""
    if isinstance(x, dict):
        return {k: prune_nulls(v) for k, v in x.items() if v is not None}
    if isinstance(x, list):
        return [prune_nulls(v) for v in x]
    return x


def schema_kind(doc):
    """The CRD schema a document is checked with: its kind's, or for a kind that is neither,
    the one it was meant to be (a spec with a template is a scheduled one)."""
    if doc.get("kind") in KINDS:
        return doc["kind"]
    spec = doc.get("spec")
    return KINDS[1] if isinstance(spec, dict) and "template" in spec else KINDS[0]


def jsonschema_errors(text, release=crd.DEFAULT):
    """[(sparkc-style path, JSON pointer, keyword, message)] for every operator document of
    the text under release's CRD, one entry per unknown key; None if PyYAML cannot read it."""
    try:
        docs = load_all(text)
    except yaml.YAMLError:
        return None
    found = []
    for doc in docs:
        if not is_manifest(doc):
            continue
        for e in validator(schema_kind(doc), release).iter_errors(prune_nulls(doc)):
            path = list(e.path)
            pointer = "/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in path)
            if e.validator == "additionalProperties":
                allowed = set(e.schema.get("properties", {}))
                for key in e.instance:
                    if key not in allowed:
                        found.append((dotted(path + [key]), f"{pointer.rstrip('/')}/{key}", e.validator,
                                      f"unknown key {key!r}"))
            else:
                found.append((dotted(path), pointer, e.validator, e.message))
    return found


def differential(sparkc_diags, py_errors):
    """Problems (list of text) where jsonschema and sparkc's schema layer disagree."""
    if any(is_yaml_stop(d["rule"]) for d in sparkc_diags):
        return [] if py_errors is None else [
            f"sparkc stopped at YAML ({[d['rule'] for d in sparkc_diags]}), PyYAML read it"]
    if py_errors is None:
        return ["PyYAML could not read it; sparkc reported no YAML error"]
    schema = [d for d in sparkc_diags if is_schema_rule(d["rule"]) and d["severity"] == "error"]
    problems = []
    if bool(py_errors) != bool(schema):
        problems.append(f"verdicts differ: jsonschema {'rejects' if py_errors else 'accepts'}, "
                        f"sparkc's schema layer {'rejects' if schema else 'accepts'}")
    want = sorted({p for p, _, _, _ in py_errors})
    got = sorted({d["path"] for d in schema})
    if py_errors and schema and want != got:
        problems.append(f"locations differ: jsonschema at {want}, sparkc at {got}")
    if problems:
        problems.append("jsonschema: " + ("; ".join(f"{ptr} ({kw}): {msg[:120]}" for _, ptr, kw, msg in py_errors)
                                          or "no error (on the document as the API server validates it: "
                                             "fields set to null that the CRD does not mark nullable dropped)"))
        problems.append("sparkc:\n" + show(sparkc_diags))
    return problems


# ---- pod sizes by hand ---------------------------------------------------------------------

def jvm_mib(s, unit_mib=True):
    """JavaUtils.byteStringAs (Spark's common/utils), as MiB: whole numbers with a suffix
    b k kb m mb g gb t tb p pb in any case; a bare number is in the key's unit (MiB, or
    bytes for spark.memory.offHeap.size); converting down truncates."""
    m = re.fullmatch(r"([0-9]+)([a-z]+)?", str(s).strip().lower())
    factor = {"b": 1, "k": 2**10, "kb": 2**10, "m": 2**20, "mb": 2**20, "g": 2**30, "gb": 2**30,
              "t": 2**40, "tb": 2**40, "p": 2**50, "pb": 2**50}
    value, suffix = int(m.group(1)), m.group(2)
    return value * factor[suffix] // 2**20 if suffix else value if unit_mib else value // 2**20


def pod_memory_by_hand(cr):
    """{role: (overheadMiB, podMiB)} as Spark sizes the pods the operator asks for.

    The operator (internal/controller/sparkapplication/submission.go, buildSparkSubmitArgs)
    passes spec.memoryOverheadFactor as spark.kubernetes.memoryOverheadFactor, then sparkConf,
    then the roles' fields: spec.<role>.memory -> spark.<role>.memory, spec.<role>.memoryOverhead
    -> spark.<role>.memoryOverhead; of one key given twice the later --conf wins. Then Spark
    (resource-managers/kubernetes/core/.../features/BasicDriverFeatureStep.scala and
    BasicExecutorFeatureStep.scala, core/.../resource/ResourceProfile.scala):
      heap     = spark.<role>.memory, default 1g
      overhead = spark.<role>.memoryOverhead if set, else max((int)(factor * heap), floor)
      factor   = spark.<role>.memoryOverheadFactor (from 3.3, SPARK-38194), else
                 spark.kubernetes.memoryOverheadFactor if set, else 0.4 for a Python or R
                 app (NON_JVM_MEMORY_OVERHEAD_FACTOR; the operator submits in cluster mode),
                 else 0.1
      floor    = 384 MiB; from 4.0 spark.<role>.minMemoryOverhead, default 384m (SPARK-47208)
      executor pod adds spark.memory.offHeap.size when spark.memory.offHeap.enabled (from
                 3.1, SPARK-33288) and spark.executor.pyspark.memory for a Python app."""
    spec = cr["spec"]["template"] if cr["kind"] == "ScheduledSparkApplication" else cr["spec"]
    version = tuple(int(x) for x in re.match(r"v?(\d+)\.(\d+)", spec["sparkVersion"]).groups())
    conf = {}
    if spec.get("memoryOverheadFactor") is not None:     # memoryOverheadFactorOption
        conf["spark.kubernetes.memoryOverheadFactor"] = spec["memoryOverheadFactor"]
    conf.update({k: str(v) for k, v in (spec.get("sparkConf") or {}).items()})    # sparkConfOption
    for role in ("driver", "executor"):                  # driverConfOption, executorConfOption
        for field in ("memory", "memoryOverhead"):
            if (spec.get(role) or {}).get(field) is not None:
                conf[f"spark.{role}.{field}"] = spec[role][field]
    python = spec["type"] == "Python"
    out = {}
    for role in ("driver", "executor"):
        heap = jvm_mib(conf.get(f"spark.{role}.memory", "1g"))
        if f"spark.{role}.memoryOverheadFactor" in conf and version >= (3, 3):
            factor = float(conf[f"spark.{role}.memoryOverheadFactor"])
        elif "spark.kubernetes.memoryOverheadFactor" in conf:
            factor = float(conf["spark.kubernetes.memoryOverheadFactor"])
        else:
            factor = 0.4 if spec["type"] in ("Python", "R") else 0.1
        floor = jvm_mib(conf.get(f"spark.{role}.minMemoryOverhead", "384m")) if version >= (4, 0) else 384
        if f"spark.{role}.memoryOverhead" in conf:
            overhead = jvm_mib(conf[f"spark.{role}.memoryOverhead"])
        else:
            overhead = max(int(factor * heap), floor)   # Java's (int) truncates the double
        pod = heap + overhead
        if role == "executor":
            if version >= (3, 1) and conf.get("spark.memory.offHeap.enabled", "false").lower() == "true":
                pod += jvm_mib(conf.get("spark.memory.offHeap.size", "0"), unit_mib=False)
            if python and "spark.executor.pyspark.memory" in conf:
                pod += jvm_mib(conf["spark.executor.pyspark.memory"])
        out[role] = (overhead, pod)
    return out


def pod_cpu_by_hand(cr):
    """{role: (request, limit)}: spec.<role>.coreRequest (spark.kubernetes.<role>.request.cores)
    else spec.<role>.cores (spark.<role>.cores, default 1), verbatim; the limit
    spec.<role>.coreLimit, else none (BasicDriverFeatureStep, BasicExecutorFeatureStep)."""
    spec = cr["spec"]["template"] if cr["kind"] == "ScheduledSparkApplication" else cr["spec"]
    out = {}
    for role in ("driver", "executor"):
        r = spec.get(role) or {}
        out[role] = (str(r.get("coreRequest") or r.get("cores") or 1), r.get("coreLimit"))
    return out


def _v(version):
    return [{"set": ["spec", "sparkVersion"], "value": version},
            {"set": ["spec", "image"], "value": f"docker.io/apache/spark:{version}"}]


def _mem(driver, executor):
    return [{"set": ["spec", "driver", "memory"], "value": driver},
            {"set": ["spec", "executor", "memory"], "value": executor}]


def _conf(**kv):
    return [{"set": ["spec", "sparkConf", k.replace("_", ".")], "value": v} for k, v in kv.items()]


# (example, changes, driver pod MiB, executor pod MiB, the arithmetic): the figures are
# Spark's own, worked case by case; pod_memory_by_hand must reach them too.
EXPLAIN_CASES = [
    ("spark-pi.yaml", [], 896, 896, "4.0 Scala: 512 + max(int(0.1*512)=51, 384)"),
    ("spark-pi-python.yaml", [], 896, 896, "4.0 Python: 512 + max(int(0.4*512)=204, 384)"),
    ("spark-pi-scheduled.yaml", [], 896, 896, "the template's sizes"),
    ("spark-pi-pod-template.yaml", [], 1024, 1536, "memoryOverhead 512m given: 512+512, 1024+512"),
    ("spark-pi-custom-resource.yaml", [], 896, 896, "coreRequest/coreLimit change no memory"),
    ("spark-pi-python.yaml", _v("2.4.8") + _mem("2g", "4g") + _conf(spark_executor_pyspark_memory="1g"),
     2867, 6758, "2.4 Python: 2048+int(0.4*2048)=819; 4096+1638+1024 pyspark"),
    ("spark-pi-python.yaml", _v("3.2.4") + _mem("2g", "5g") + _conf(spark_executor_memoryOverheadFactor="0.2"),
     2867, 7168, "3.2: the per-role factor does not exist yet: 5120+2048"),
    ("spark-pi-python.yaml", _v("3.5.5") + _mem("2g", "5g") + _conf(spark_executor_memoryOverheadFactor="0.2"),
     2867, 6144, "3.5: executor factor 0.2: 5120+1024; the driver keeps 0.4"),
    ("spark-pi.yaml", _v("3.5.5") + _mem("512m", "1300m") + _conf(spark_executor_memoryOverheadFactor="0.35"),
     896, 1754, "0.35*1300 = 454.99999999999994 in a double: (int) gives 454"),
    ("spark-pi.yaml", _mem("4g", "4g") + _conf(spark_driver_minMemoryOverhead="1g", spark_executor_minMemoryOverhead="1g"),
     5120, 5120, "4.0: minMemoryOverhead 1g raises the floor: max(409, 1024)"),
    ("spark-pi.yaml", _v("3.5.5") + _mem("4g", "4g") + _conf(spark_driver_minMemoryOverhead="1g",
                                                              spark_executor_minMemoryOverhead="1g"),
     4505, 4505, "3.5 knows no minMemoryOverhead: 4096+409"),
    ("spark-pi-python.yaml", _v("3.5.5") + _mem("2g", "5g") +
     [{"set": ["spec", "memoryOverheadFactor"], "value": "0.1"}],
     2432, 5632, "spec.memoryOverheadFactor is spark.kubernetes.memoryOverheadFactor: beats Python's 0.4"),
    ("spark-pi-python.yaml", _v("3.5.5") + _mem("2g", "5g") + _conf(spark_kubernetes_memoryOverheadFactor="0.2") +
     [{"set": ["spec", "memoryOverheadFactor"], "value": "0.1"}],
     2457, 6144, "sparkConf comes after spec.memoryOverheadFactor: 0.2 wins: 2048+409, 5120+1024"),
    ("spark-pi.yaml", _v("3.5.5") + _mem("512m", "4g") + _conf(spark_memory_offHeap_enabled="true",
                                                                spark_memory_offHeap_size="4g"),
     896, 8601, "3.1+: off-heap joins the executor pod: 4096+409+4096"),
    ("spark-pi.yaml", _v("3.0.3") + _mem("512m", "4g") + _conf(spark_memory_offHeap_enabled="true",
                                                                spark_memory_offHeap_size="4g"),
     896, 4505, "3.0: off-heap not in the pod: 4096+409"),
    # Spark 4.2: core's ResourceProfile.calculateOverHeadMemory (read at 4.1.1) is
    # max((int)(factor * heap), minMemoryOverhead), the 4.0 rule; 4.2's own feature steps
    # were not readable here (see the registry's header), so these hold 4.2 to that rule.
    ("spark-pi.yaml", _v("4.2.0") + _mem("2g", "700m") + _conf(spark_executor_minMemoryOverhead="512m"),
     2432, 1212, "4.2 Scala: 2048+max(204, 384); 700+max(70, 512)"),
    ("spark-pi-python.yaml", _v("4.2.0") + _mem("2g", "1300m") + _conf(spark_executor_memoryOverheadFactor="0.35",
                                                                        spark_executor_pyspark_memory="100m"),
     2867, 1854, "4.2 Python: 2048+819; 1300+int(0.35*1300)=454+100 pyspark"),
    ("spark-pi.yaml", [{"set": ["spec", "driver", "memoryOverhead"], "value": "300m"},
                       {"set": ["spec", "executor", "memoryOverhead"], "value": "1g"}],
     812, 1536, "explicit memoryOverhead skips factor and floor: 512+300, 512+1024"),
    ("spark-pi.yaml", _conf(spark_driver_memoryOverhead="700m") +
     [{"set": ["spec", "driver", "memoryOverhead"], "value": "300m"}],
     812, 896, "the CR's memoryOverhead comes after sparkConf's: 300m wins"),
    ("spark-pi.yaml", _mem("2g", "2g"), 2432, 2432, "4.0 Scala 2g: max(int(0.1*2048)=204, 384)"),
    ("spark-pi.yaml", _mem("2g", "2g") + [{"set": ["spec", "type"], "value": "Java"}],
     2432, 2432, "Java is a JVM app as Scala is"),
    ("spark-pi.yaml", _mem("2g", "2g") + [{"set": ["spec", "type"], "value": "Python"},
                                          {"set": ["spec", "mainApplicationFile"], "value": "local:///opt/app/pi.py"}],
     2867, 2867, "the same as Python: 0.4*2048 = 819.2 -> 819"),
    ("spark-pi.yaml", _mem("2g", "2g") + [{"set": ["spec", "type"], "value": "R"},
                                          {"set": ["spec", "mainApplicationFile"], "value": "local:///opt/app/pi.R"}],
     2867, 2867, "R is non-JVM too: 0.4"),
    ("spark-pi-scheduled.yaml", _v("2.4.8") + _mem("1g", "3g"), 1408, 3456,
     "a scheduled app sizes by its template: 1024+384, 3072+384 (int(0.1*3072)=307)"),
    ("spark-pi-python.yaml", _mem("8g", "8g") + _conf(spark_driver_memoryOverheadFactor="0.25"),
     10240, 11468, "4.0: driver factor 0.25: 8192+2048; executors keep 0.4: 8192+3276"),
]


def explain_case(base, changes):
    doc = copy.deepcopy(example_manifest(base))
    for change in changes:
        spec = doc["spec"]["template"] if doc["kind"] == KINDS[1] else doc["spec"]
        path = change["set"]
        target = spec if path[0] == "spec" else doc
        for step in path[1:-1]:
            target = target.setdefault(step, {})
        target[path[-1]] = change["value"]
    return doc


# ---- the checks ----------------------------------------------------------------------------

def check_examples(sparkc, result, tmp):
    names = sorted(f for f in os.listdir(EXAMPLES) if f.endswith(".yaml"))
    result("operator examples: the operator's 14 examples are here", len(names) == 14, str(names))
    for name in names:
        path = os.path.join(EXAMPLES, name)
        code, diags, err = validate(sparkc, path)
        want = sorted(EXAMPLE_DIAGNOSTICS.get(name, []))
        got = sorted((d["rule"], d["severity"], d["line"]) for d in diags)
        want_code = 1 if any(s == "error" for _, s, _ in want) else 0
        ok = got == want and code == want_code and not sanitizer_trouble(err)
        result(f"operator example {name}: validate draws {want or 'nothing'}", ok,
               f"exit {code} (expected {want_code}), diagnostics:\n{show(diags)}\n{err}")
        if not want_code:
            check_compile(sparkc, result, tmp, path, f"operator example {name}")


# Edge files that are valid manifests without nulls: compile passes them through too.
EDGE_COMPILED = ["anchors.yaml", "int-or-string.yaml", "prometheus-filled.yaml", "two-kinds.yaml"]


def check_compile(sparkc, result, tmp, path, label):
    """compile passes the manifests of path through with the same data (as PyYAML reads
    input and output), to stdout and to -o DIR/<namespace>/<name>.yaml."""
    with open(path) as f:
        text = f.read()
    expected = [d for d in load_all(text) if is_manifest(d)]
    code, out, err = run([sparkc, "compile", path], ROOT)
    try:
        got_docs = [d for d in yaml.safe_load_all(out) if d is not None] if code == 0 else None
    except yaml.YAMLError as e:
        got_docs = f"PyYAML cannot read the output: {e}"
    got_manifests = [d for d in got_docs if is_manifest(d)] if isinstance(got_docs, list) else got_docs
    result(f"{label}: compile passes it through with the same data",
           code == 0 and got_manifests == expected and not sanitizer_trouble(err),
           f"exit {code}\n{err}" + ("" if got_manifests == expected else
                                    "\n" + first_difference(expected, got_manifests)))
    # -o DIR: one file per manifest, DIR/<namespace>/<name>.yaml
    out_dir = os.path.join(tmp, "out-" + os.path.basename(os.path.dirname(path)) + "-" + os.path.basename(path))
    code, _, err = run([sparkc, "compile", "-o", out_dir, path], ROOT)
    problems = [] if code == 0 else [f"exit {code}\n{err}"]
    for doc in expected:
        ns = doc["metadata"].get("namespace")
        if not ns:
            continue    # where a manifest without namespace goes is sparkc's choice
        target = os.path.join(out_dir, ns, doc["metadata"]["name"] + ".yaml")
        if not os.path.exists(target):
            problems.append(f"no {os.path.relpath(target, out_dir)}; written: {_tree(out_dir)}")
            continue
        with open(target) as f:
            written = [d for d in yaml.safe_load_all(f) if d is not None]
        if written != [doc]:
            problems.append(f"{target}: " + first_difference([doc], written))
    result(f"{label}: compile -o DIR writes <namespace>/<name>.yaml", not problems, "\n".join(problems))


def first_difference(want, got, path=()):
    """Where two data trees first differ, in words."""
    where = dotted(list(path)) or "the documents"
    if isinstance(want, dict) and isinstance(got, dict):
        for k in list(want) + [k for k in got if k not in want]:
            if k not in got:
                return f"{dotted(list(path) + [k])}: missing from the output"
            if k not in want:
                return f"{dotted(list(path) + [k])}: added by the output ({json.dumps(got[k])[:200]})"
            if want[k] != got[k]:
                return first_difference(want[k], got[k], path + (k,))
    if isinstance(want, list) and isinstance(got, list) and len(want) == len(got):
        for i, (a, b) in enumerate(zip(want, got)):
            if a != b:
                return first_difference(a, b, path + (i,))
    return f"{where}: input {json.dumps(want)[:300]}, output {json.dumps(got)[:300]}"


def _tree(d):
    return sorted(os.path.relpath(os.path.join(r, f), d) for r, _, fs in os.walk(d) for f in fs)


def check_mixed_folder(sparkc, result, tmp):
    """A folder holding an MLRun job and operator manifests compiles as one; a job and a
    manifest of one namespace and name clash."""
    d = os.path.join(tmp, "mixed")
    os.makedirs(d)
    shutil.copy(os.path.join(ROOT, "samples", "sparkreadcsv.yaml"), d)
    shutil.copy(os.path.join(EXAMPLES, "spark-pi-python.yaml"), d)
    shutil.copy(os.path.join(EXAMPLES, "spark-pi-scheduled.yaml"), d)
    out = os.path.join(tmp, "mixed-out")
    code, _, err = run([sparkc, "compile", "-o", out, d], ROOT)
    files = _tree(out) if os.path.isdir(out) else []
    want = {"default/spark-pi-python.yaml", "default/spark-pi-scheduled.yaml"}
    job_files = [f for f in files if f.endswith("/sparkreadcsv.yaml")]
    result("operator: compile -o over a folder of a job and two manifests writes all three",
           code == 0 and want <= set(files) and len(job_files) == 1,
           f"exit {code}, wrote {files}\n{err}")
    with open(os.path.join(EXAMPLES, "spark-pi.yaml")) as f:
        manifest = f.read()
    clash = os.path.join(tmp, "clash")
    os.makedirs(clash)
    with open(os.path.join(clash, "a-job.yaml"), "w") as f:
        f.write("kind: spark\nmetadata:\n  name: spark-pi\n  namespace: default\nspec:\n"
                "  command: local:///app/pi.py\n  image: apache/spark:3.5.5\n")
    with open(os.path.join(clash, "b-manifest.yaml"), "w") as f:
        f.write(manifest)
    code, diags, err = validate(sparkc, clash)
    line, col, _ = expected_position(manifest, ["metadata", "name"], "value")
    hit = [d for d in diags if d["rule"] == "duplicate-job" and d["file"].endswith("b-manifest.yaml")
           and (d["line"], d["column"]) == (line, col)]
    result("operator: a job and a manifest of one namespace and name clash, at the second",
           code == 1 and hit, f"exit {code}, expected duplicate-job at b-manifest.yaml:{line}:{col}\n{show(diags)}\n{err}")


# MLRun's job fields: a diagnostic about a CR names the CR's own fields, never these.
JOB_FIELDS = re.compile(r"\b(spark_conf|hadoop_conf|spark_version|driver_cores|executor_cores|job_type|main_class|"
                        r"python_version|(driver|executor)_resources|replicas|volume_mounts|dynamic_allocation|"
                        r"image_pull_(policy|secret)|node_selector|restart_policy|service_account)\b")


def check_mutations(sparkc, result, tmp, mutated):
    seen = set()
    for m in mutations():
        assert m["id"] not in seen, m["id"]
        seen.add(m["id"])
        text, path, at, doc_index = apply(m)
        fname = os.path.join(tmp, f"mutation-{m['id']}.yaml")
        with open(fname, "w") as f:
            f.write(text)
        mutated.append((m["id"], fname, text))
        line, col, want_path = expected_position(text, path, at, doc_index)
        code, diags, err = validate(sparkc, fname)
        if m["expect"] == "none":
            result(f"operator mutation {m['id']}: a change that is fine for a CR draws nothing",
                   code == 0 and not diags and not sanitizer_trouble(err),
                   f"exit {code}, diagnostics:\n{show(diags)}\n{err}--- {fname}\n{text}")
            continue
        severity = m.get("severity", "error")
        problems = []
        hits = [d for d in diags if d["rule"] == m["expect"] and (d["line"], d["column"]) == (line, col)]
        if not hits:
            problems.append(f"expected {m['expect']} at {line}:{col}")
        elif not any(d["severity"] == severity for d in hits):
            problems.append(f"{m['expect']} at {line}:{col} is not a{'n' if severity == 'error' else ''} {severity}")
        else:
            hit = next(d for d in hits if d["severity"] == severity)
            # the diagnostic names the CR's own field (or the mapping that holds it)
            names = {want_path} | ({dotted(path)} if at == "holder" else set())
            if hit["path"] not in names and not any(n.startswith(hit["path"] + ".") or
                                                    n.startswith(hit["path"] + "[") for n in names if hit["path"]):
                problems.append(f"path {hit['path']!r}, expected {sorted(names)} (or a mapping holding it)")
            if m.get("hint") and m["hint"] not in (hit.get("hint") or ""):
                problems.append(f"hint {hit.get('hint')!r} should name {m['hint']!r}")
            if m.get("text") and m["text"] not in hit["message"] + (hit.get("hint") or ""):
                problems.append(f"message and hint should name {m['text']!r}")
        errors = any(d["severity"] == "error" for d in diags)
        if code != (1 if errors else 0) or (severity == "error" and code != 1):
            problems.append(f"exit {code}")
        schema = sorted((d["rule"], d["line"], d["column"]) for d in diags if is_schema_rule(d["rule"]))
        if m.get("keyword"):
            want = [(m["expect"], line, col)]
            for rule, where, p in m.get("more", []):
                pl, pc, _ = expected_position(text, p, where, doc_index)
                want.append((rule, pl, pc))
            if schema != sorted(want):
                problems.append(f"schema errors {schema}, expected exactly {sorted(want)}")
        elif schema:
            problems.append(f"a meaning mutation drew schema errors {schema}")
        for d in diags:
            said = f"{d['path']} {d['message']} {d.get('hint') or ''}"
            if JOB_FIELDS.search(said):
                problems.append(f"{d['rule']} names an MLRun job field, not the CR's: {said}")
        if m.get("only") and len(diags) != 1:
            problems.append(f"expected one diagnostic, got {len(diags)}")
        if sanitizer_trouble(err):
            problems.append(err)
        label = f"keyword {m['keyword']}" if m.get("keyword") else "rule"
        result(f"operator mutation {m['id']} ({label}): {m['expect']} at {line}:{col}", not problems,
               "\n".join(problems) + f"\n{m['id']}: diagnostics:\n{show(diags)}\n--- {fname}\n{text}")


def corpus_files(tmp, mutated):
    """Every file of the differential test: (name, path, text)."""
    files = []
    for d, label in ((EXAMPLES, "example"), (EDGE, "edge")):
        for name in sorted(os.listdir(d)):
            if name.endswith(".yaml"):
                with open(os.path.join(d, name)) as f:
                    files.append((f"{label} {name}", os.path.join(d, name), f.read()))
    files += [(f"mutation {mid}", path, text) for mid, path, text in mutated]
    return files


VERDICT = re.compile(r"^# verdict: (valid|invalid) ")


def check_differential(sparkc, result, files):
    agree = 0
    for name, path, text in files:
        stated = VERDICT.match(text)
        if name.startswith("edge "):
            # an edge file says what it is; jsonschema must agree, or the file is not that case
            errors = jsonschema_errors(text)
            verdict = "invalid" if errors is None or errors else "valid"
            result(f"operator edge file {name[5:]} is {stated and stated.group(1)} to jsonschema",
                   stated is not None and stated.group(1) == verdict, f"jsonschema: {errors}")
        _, diags, err = validate(sparkc, path)
        problems = differential(diags, jsonschema_errors(text))
        agree += not problems
        result(f"operator differential {name}: jsonschema and sparkc's schema layer agree", not problems,
               "\n".join(problems))
    result(f"operator differential: {len(files)} files compared", len(files) > 100, f"{agree} agree")


def check_explain(sparkc, result, tmp):
    for i, (base, changes, want_driver, want_executor, why) in enumerate(EXPLAIN_CASES):
        doc = explain_case(base, changes)
        by_hand = pod_memory_by_hand(doc)
        label = f"operator explain {base} {dotted_changes(changes) or '(as shipped)'}"
        result(f"{label}: the hand rule gives Spark's figures ({why})",
               (by_hand["driver"][1], by_hand["executor"][1]) == (want_driver, want_executor),
               f"hand rule {by_hand}, Spark's figures {want_driver}/{want_executor}")
        fname = os.path.join(tmp, f"explain-{i}.yaml")
        with open(fname, "w") as f:
            f.write(dump([doc]))
        code, out, err = run([sparkc, "explain", "--format", "json", fname], ROOT)
        try:
            report = json.loads(out)
        except ValueError:
            result(f"{label}: explain --format json", False, f"exit {code}, not one JSON object:\n{out[:500]}\n{err}")
            continue
        problems = []
        cpu = pod_cpu_by_hand(doc)
        for role in ("driver", "executor"):
            r = report.get(role) or {}
            got = (r.get("overheadMiB"), r.get("podMemoryMiB"))
            if got != by_hand[role]:
                problems.append(f"{role}: sparkc overhead/pod MiB {got}, by hand {by_hand[role]}")
            got = (r.get("cpuRequest"), r.get("cpuLimit"))
            if got != cpu[role]:
                problems.append(f"{role}: sparkc cpu request/limit {got}, by hand {cpu[role]}")
        result(f"{label}: explain's pod sizes match the hand rule", code == 0 and not problems,
               f"exit {code}\n" + "\n".join(problems) + f"\n{err}")


def check_operator_releases(sparkc, result, mutated):
    """A mutation that uses a field a later operator release added: clean under that
    release, for sparkc and for jsonschema with that release's CRD."""
    ids = {m["id"]: m for m in mutations() if m["expect"] == "operator-version"}
    for mid, path, text in mutated:
        if mid not in ids:
            continue
        release = ids[mid]["release"]
        code, diags, err = validate(sparkc, path, "--operator-version", release)
        py = jsonschema_errors(text, release)
        result(f"operator mutation {mid} under --operator-version {release}: clean for sparkc and jsonschema",
               code == 0 and not diags and py == [] and not sanitizer_trouble(err),
               f"exit {code}\n{show(diags)}\njsonschema: {py}\n{err}")
    result("operator releases: a mutation per field only a later release has",
           len(ids) >= 5, f"{sorted(ids)}")


def dotted_changes(changes):
    return ", ".join(f"{dotted(c['set'][1:])}={c['value']}" for c in changes if c["set"][-1] != "image")


def check_comparison_tool(sparkc, result):
    """tools/compare-operator-diagnostics.py runs, with a row for every file it compares."""
    code, out, err = run(["/usr/bin/env", "python3", os.path.join(ROOT, "tools", "compare-operator-diagnostics.py"),
                          sparkc], ROOT)
    n = len(mutations()) + len([f for f in os.listdir(EDGE) if f.endswith(".yaml")])
    labels = [line for line in out.splitlines() if re.match(r"^\| (mutation|edge) ", line)]
    result("tools/compare-operator-diagnostics.py: one table row or more per mutation and edge file",
           code == 0 and f"- files: {n}" in out and len(labels) == n, f"exit {code}, {len(labels)} of {n}\n{err[-2000:]}")


def check(sparkc, result):
    tmp = tempfile.mkdtemp(prefix="sparkc-operator-")
    try:
        check_examples(sparkc, result, tmp)
        for name in EDGE_COMPILED:
            check_compile(sparkc, result, tmp, os.path.join(EDGE, name), f"operator edge file {name}")
        check_mixed_folder(sparkc, result, tmp)
        mutated = []
        check_mutations(sparkc, result, tmp, mutated)
        check_differential(sparkc, result, corpus_files(tmp, mutated))
        check_operator_releases(sparkc, result, mutated)
        check_explain(sparkc, result, tmp)
        check_comparison_tool(sparkc, result)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
