"""The Spark operator's strict CRD schemas, one set per operator release sparkc knows
(tests/schemas/<release>/*-strict.json, derived from each release's own CRDs by
tools/bundle-operator-schema.py), for the tests' Python jsonschema checks of manifests."""
import json
import os

import jsonschema
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

KINDS = ("SparkApplication", "ScheduledSparkApplication")
with open(os.path.join(ROOT, "schemas", "upstreams.yaml")) as _f:
    _operator = yaml.safe_load(_f)["operator"]
RELEASES = [r["version"] for r in _operator["releases"]]     # oldest first
DEFAULT = _operator["default"]
SCHEMAS = {
    r["version"]: {kind: json.load(open(os.path.join(HERE, "schemas", r["dir"], f"{kind.lower()}.v1beta2-strict.json")))
                   for kind in KINDS}
    for r in _operator["releases"]
}


def _marked(s):
    """The names of the fields marked (not those inside them)."""
    if isinstance(s, dict):
        props = s.get("properties", {})
        for name, sub in props.items():
            if isinstance(sub, dict) and "x-operator-since" in sub:
                yield name
        for k, v in s.items():
            if k == "properties":
                for name, sub in v.items():
                    if not (isinstance(sub, dict) and "x-operator-since" in sub):
                        yield from _marked(sub)
            else:
                yield from _marked(v)
    elif isinstance(s, list):
        for v in s:
            yield from _marked(v)


# The fields an operator release added after the oldest, by name, as the schema sparkc
# builds in marks them (x-operator-since).
with open(os.path.join(ROOT, "schemas", "sparkoperator.schema.json")) as _f:
    ADDED_LATER = set(_marked(json.load(_f)))


def crd_errors(doc, release=DEFAULT):
    """jsonschema's errors for doc (an operator manifest) under release's CRD; None when
    doc is no operator manifest."""
    schema = SCHEMAS[release].get(doc.get("kind") if isinstance(doc, dict) else None)
    if schema is None:
        return None
    return list(jsonschema.Draft7Validator(schema).iter_errors(doc))
