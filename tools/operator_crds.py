"""The Spark operator's CRDs as JSON Schemas, per release: shared by
tools/bundle-operator-schema.py (the operator schema sparkc checks manifests with, and
the strict schemas the tests validate with) and tools/bundle-schema.py (the Kubernetes
objects a job embeds).

The releases are schemas/upstreams.yaml's operator.releases, oldest first; each one's
two CRD files are kept verbatim in tests/schemas/<dir>/crds/ (kubeflow/spark-operator,
config/crd/bases/, at the commit upstreams.yaml names).

A CRD becomes a strict JSON Schema (draft 7) of a whole manifest as follows: the storage
version's openAPIV3Schema, with
  - every x-kubernetes-* keyword dropped (x-kubernetes-int-or-string fields are already
    an anyOf of integer and string in the CRD);
  - additionalProperties: false added to every object that lists properties and has no
    additionalProperties or x-kubernetes-preserve-unknown-fields of its own, since the
    API server's strict field validation rejects unknown fields there;
  - apiVersion and kind as consts, and metadata as the object the API server takes
    (name required; name, namespace, labels, annotations, generateName), required at
    the root with spec.
A field that a release's CRD has and the previous release's lacks is marked with
"x-operator-since": <release> in the newest release's schema, which sparkc reads.
"""
import copy
import json
import os
import sys

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KINDS = {"SparkApplication": "sparkapplications", "ScheduledSparkApplication": "scheduledsparkapplications"}
SINCE = "x-operator-since"
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

METADATA = {
    "additionalProperties": False,
    "properties": {
        "annotations": {"additionalProperties": {"type": "string"}, "type": "object"},
        "generateName": {"type": "string"},
        "labels": {"additionalProperties": {"type": "string"}, "type": "object"},
        "name": {"maxLength": 253, "pattern": "^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$", "type": "string"},
        "namespace": {"maxLength": 63, "pattern": "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", "type": "string"},
    },
    "required": ["name"],
    "type": "object",
}


def releases():
    """schemas/upstreams.yaml's operator releases, oldest first."""
    with open(os.path.join(ROOT, "schemas", "upstreams.yaml")) as f:
        return yaml.load(f, Loader=Loader)["operator"]["releases"]


def crd_path(release, kind):
    return os.path.join(ROOT, "tests", "schemas", release["dir"], "crds",
                        f"sparkoperator.k8s.io_{KINDS[kind]}.yaml")


def strict_path(release, kind):
    return os.path.join(ROOT, "tests", "schemas", release["dir"], f"{kind.lower()}.v1beta2-strict.json")


def _strict(node):
    if isinstance(node, list):
        return [_strict(x) for x in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for k, v in node.items():
        if k.startswith("x-kubernetes-"):
            continue
        if k == "properties":
            out[k] = {name: _strict(sub) for name, sub in v.items()}
        elif k in ("enum", "default", "required", "example"):
            out[k] = v
        else:
            out[k] = _strict(v)
    if node.get("type") == "object" and "properties" in node and "additionalProperties" not in node \
            and not node.get("x-kubernetes-preserve-unknown-fields"):
        out["additionalProperties"] = False
    return out


def strict_schema(release, kind):
    """The release's CRD of kind as a strict JSON Schema of a whole manifest."""
    with open(crd_path(release, kind)) as f:
        crd = yaml.load(f, Loader=Loader)
    version = next(v for v in crd["spec"]["versions"] if v.get("storage"))
    s = _strict(version["schema"]["openAPIV3Schema"])
    group = crd["spec"]["group"]
    s["properties"]["apiVersion"] = {"const": f"{group}/{version['name']}"}
    s["properties"]["kind"] = {"const": crd["spec"]["names"]["kind"]}
    s["properties"]["metadata"] = copy.deepcopy(METADATA)
    s["required"] = ["apiVersion", "kind", "metadata"] + [r for r in s.get("required", []) if r not in
                                                         ("apiVersion", "kind", "metadata")]
    s["additionalProperties"] = False
    s["title"] = f"{kind} {group}/{version['name']} (strict)"
    s["$schema"] = "http://json-schema.org/draft-07/schema#"
    return s


def dump(schema):
    return json.dumps(schema, indent=1, sort_keys=True) + "\n"


def without_descriptions(s):
    """s without its descriptions (enum, const and default values kept as they are)."""
    if isinstance(s, list):
        return [without_descriptions(x) for x in s]
    if not isinstance(s, dict):
        return s
    return {k: (without_descriptions(v) if k not in ("enum", "const", "default") else v)
            for k, v in s.items() if k != "description" or not isinstance(v, str)}


def _only_added(older, newer, since, path=""):
    """Stop unless newer (a release's schema, descriptions left out) is older plus fields."""
    if isinstance(older, dict) and isinstance(newer, dict):
        for k, v in older.items():
            if k not in newer:
                sys.exit(f"operator_crds: {path}/{k} is in an older release's CRD but not in {since}'s: "
                         "a release that drops or changes a field needs more than x-operator-since")
            _only_added(v, newer[k], since, f"{path}/{k}")
        for k in newer:
            if k not in older and not path.endswith("/properties"):
                sys.exit(f"operator_crds: {path} changed in {since}: only added fields can be marked")
    elif older != newer:
        sys.exit(f"operator_crds: {path} changed in {since}: only added fields can be marked")


def _mark(node, olders, rels):
    """Mark each property of node with the first release whose schema has it (olders:
    the same place in each older release's schema, None where it has none)."""
    if isinstance(node, list):
        for i, v in enumerate(node):
            _mark(v, [o[i] if isinstance(o, list) and i < len(o) else None for o in olders], rels)
        return
    if not isinstance(node, dict):
        return
    for k, v in node.items():
        subs = [o.get(k) if isinstance(o, dict) else None for o in olders]
        if k == "properties":
            for name, prop in v.items():
                has = [isinstance(p, dict) and name in p for p in subs]
                first = has.index(True) if True in has else len(rels) - 1
                if first > 0:
                    prop[SINCE] = rels[first]["version"]
                _mark(prop, [p.get(name) if isinstance(p, dict) else None for p in subs], rels)
        else:
            _mark(v, subs, rels)


def marked_schema(kind):
    """The newest release's strict schema of kind, each field an older release lacks
    marked with the release that added it."""
    rels = releases()
    plain = [without_descriptions(strict_schema(r, kind)) for r in rels[:-1]]
    newest = strict_schema(rels[-1], kind)
    for older, newer, rel in zip(plain, plain[1:] + [without_descriptions(newest)], rels[1:]):
        _only_added(older, newer, rel["version"])
    _mark(newest, plain, rels)
    return newest


def marked_paths(schema, path=""):
    """(JSON pointer, release) of every field marked in schema."""
    if isinstance(schema, dict):
        if SINCE in schema:
            yield path, schema[SINCE]
        for k, v in schema.items():
            yield from marked_paths(v, f"{path}/{k}")
    elif isinstance(schema, list):
        for i, v in enumerate(schema):
            yield from marked_paths(v, f"{path}/{i}")
