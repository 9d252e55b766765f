#!/usr/bin/env python3
"""Write schemas/sparkjob.schema.json, the one self-contained JSON Schema of the job
format that sparkc builds in, prints (`sparkc schema`) and installs.

Its sources:
  schemas/src/sparkjob.schema.yaml         the job format, written by hand
  tests/schemas/<release>/crds/            the Spark operator's CRDs (tools/operator_crds.py),
                                           for the Kubernetes objects a job embeds
  schemas/spark-config.tsv                 Spark's configuration keys, for completion of
                                           spark_conf: each key Spark on Kubernetes reads
                                           (not internal, not another cluster manager's),
                                           with its description, type and first release

The embedded objects (env vars, envFrom sources, volumes, volume mounts, tolerations,
affinity) must be exactly what the operator accepts, so their schemas are taken from the
newest release's CRD, with its descriptions (editors show them) and the release that
added a field where an older one lacks it (x-operator-since, which sparkc reads for
--operator-version), and become $defs beside the hand-written ones; every
$ref is local, so editors, ajv and Python jsonschema need no second file. Two changes
to the CRD's schemas: since the job format takes a plain number or boolean as the text
written wherever text is expected, each plain string type becomes
["string", "number", "boolean"]; but an int-or-string quantity (sizeLimit, divisor,
storage requests) stays an integer or a string, as the CRD's x-kubernetes-int-or-string
demands, and gets a title that sparkc's messages use.

A field the job format gained in an MLRun release after 1.7 says so in the source
(x-mlrun-since: the release, which sparkc reads for --mlrun-version); its description
gets a sentence naming the release.

null means "not set" for every optional key (sparkc's validator skips a key whose value
is null unless the key is required), so every property that its object does not require
also accepts null in the bundle: "null" joins its type list or enum, or, where its value
is a $ref or a choice of forms, a {"type": "null"} branch joins an anyOf beside its own
description, which editors keep showing.

usage: tools/bundle-schema.py             write schemas/sparkjob.schema.json
       tools/bundle-schema.py --check     exit 1 if it differs from what the sources give
"""
import json
import os
import sys

import yaml

import operator_crds
from generated import write_or_check

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOURCE = os.path.join(ROOT, "schemas", "src", "sparkjob.schema.yaml")
OUTPUT = os.path.join(ROOT, "schemas", "sparkjob.schema.json")

KEEP = {"type", "properties", "additionalProperties", "required", "items", "enum", "anyOf",
        "pattern", "minimum", "maximum", "minLength", "maxLength", "minItems", "description",
        operator_crds.SINCE}
TEXT = ["string", "number", "boolean"]
QUANTITY_TITLE = "a Kubernetes quantity such as 1Gi, 500m or 2"
NOT_DNS1035 = "[^-a-z0-9]|^[^a-z]|-$"   # a character outside the label's, a first one not a letter, a last '-'

REGISTRY = os.path.join(ROOT, "schemas", "spark-config.tsv")
UNITS = {"b": "bytes", "k": "KiB", "m": "MiB", "g": "GiB", "t": "TiB", "p": "PiB", "us": "microseconds",
         "ms": "milliseconds", "s": "seconds", "min": "minutes", "h": "hours", "d": "days"}
TYPES = {"bool": "true or false", "int": "a whole number", "long": "a whole number", "double": "a number",
         "string": "text"}


def spark_conf_keys():
    """spark_conf's properties: every key of the registry that Spark on Kubernetes reads
    in some release, described by its newest row (the editor's hover and completion)."""
    keys, cluster_managers = {}, ()
    with open(REGISTRY, encoding="utf-8") as f:
        for line in f:
            c = line.rstrip("\n").split("\t")
            if c[0] == "cm":
                cluster_managers += (c[1],)
            if line.startswith("#") or len(c) != 13:
                continue
            key, lines, typ, unit, since, dep, dep_note, _, _, values, default, flags, doc = c
            if key.startswith(cluster_managers):
                continue
            if set(flags) & {"i", "m", "r", "u"}:
                keys.pop(key, None) if set(flags) & {"i", "m"} else None
                continue
            first = keys.get(key, {}).get("first") or lines.split()[0].partition(":")[2] or lines.split()[0] + ".0"
            kind = TYPES.get(typ) or "a %s; a bare number is in %s" % (
                "size such as 64m or 1g" if typ == "bytes" else "time such as 30s", UNITS.get(unit, unit))
            text = doc[:157] + "..." if len(doc) > 160 else doc
            text = text.replace("<", "‹").replace(">", "›")     # markdown would take <...> for HTML
            facts = [kind if not values else "one of " + values.replace(",", ", ")]
            if default:
                facts.append("default " + default)
            older = since and tuple(map(int, since.split("."))) < tuple(map(int, first.split(".")))
            facts.append("since Spark " + (since if older else first))
            if dep:
                facts.append("deprecated since Spark %s%s" % (dep, ": " + dep_note if dep_note else ""))
            keys[key] = {"first": first, "description": ((text + " ") if text else "") + "(" + "; ".join(facts) + ")"}
    shared = {}
    for k, v in keys.items():
        shared[v["description"]] = shared.get(v["description"], 0) + 1
    # Each key its own text: one whose text another key shares starts with its name.
    return {k: {"type": TEXT, "description": (k + ": " if shared[v["description"]] > 1 else "") + v["description"]}
            for k, v in sorted(keys.items())}


def is_int_or_string(s):
    return [b.get("type") for b in s.get("anyOf", [])] == ["integer", "string"]


def k8s(s):
    """A CRD schema node as the job format reads it."""
    if isinstance(s, list):
        return [k8s(x) for x in s]
    if not isinstance(s, dict):
        return s
    if is_int_or_string(s):
        out = {k: v for k, v in s.items() if k in KEEP}
        if "[KMGTPE]i" in s.get("pattern", ""):
            out["title"] = QUANTITY_TITLE
        return out
    out = {}
    for k, v in s.items():
        if k == "properties":
            out[k] = {name: k8s(sub) for name, sub in v.items()}
        elif k in KEEP:
            out[k] = k8s(v)
    if out.get("type") == "string" and "enum" not in out:
        out["type"] = TEXT
    return out


# The CRD leaves the metadata of an ephemeral volume's claim template undescribed; an
# editor shows these (Kubernetes' ObjectMeta documentation, shortened) instead.
CLAIM_TEMPLATE_METADATA = {
    "annotations": "Annotations copied to the PersistentVolumeClaim created from this template.",
    "finalizers": "Finalizers of the PersistentVolumeClaim created from this template.",
    "labels": "Labels copied to the PersistentVolumeClaim created from this template.",
    "name": "Ignored: the claim is named after the pod and the volume (POD-VOLUME).",
    "namespace": "Ignored: the claim is created in the pod's namespace.",
}


def embedded_defs():
    crd = operator_crds.marked_schema("SparkApplication")
    spec = crd["properties"]["spec"]["properties"]
    driver = spec["driver"]["properties"]
    defs = {
        "EnvVar": k8s(driver["env"]["items"]),
        "EnvFromSource": k8s(driver["envFrom"]["items"]),
        "Volume": k8s(spec["volumes"]["items"]),
        "VolumeMount": k8s(driver["volumeMounts"]["items"]),
        "Toleration": k8s(driver["tolerations"]["items"]),
        "Affinity": k8s(driver["affinity"]),
    }
    template = defs["Volume"]["properties"]["ephemeral"]["properties"]["volumeClaimTemplate"]
    for name, sub in template["properties"]["metadata"]["properties"].items():
        sub.setdefault("description", CLAIM_TEMPLATE_METADATA[name])
    return defs


NOT_SET = "Not set: the same as leaving the key out."
SCHEMA_LISTS = ("anyOf", "oneOf")


def accepts_null(s):
    """The property schema s, also taking null (not set)."""
    if not s or any(b.get("type") == "null" for k in SCHEMA_LISTS for b in s.get(k, [])):
        return s
    if "enum" in s:
        if None not in s["enum"]:
            s["enum"].append(None)
            if "markdownEnumDescriptions" in s:
                s["markdownEnumDescriptions"].append(NOT_SET)
        if "type" not in s:
            return s
    if "type" in s:
        types = s["type"] if isinstance(s["type"], list) else [s["type"]]
        s["type"] = types + ["null"] if "null" not in types else types
        return s
    for k in SCHEMA_LISTS:
        if k in s:
            s[k].append({"type": "null"})
            return s
    if "$ref" in s:
        out = {k: v for k, v in s.items() if k != "$ref"}
        out["anyOf"] = [{"$ref": s["$ref"]}, {"type": "null"}]
        return out
    return s


def optional_nullable(s):
    """Every optional property anywhere in schema s accepts null."""
    if isinstance(s, list):
        for x in s:
            optional_nullable(x)
        return
    if not isinstance(s, dict):
        return
    for k, v in s.items():
        if k == "properties":
            required = set(s.get("required", []))
            for name, sub in v.items():
                optional_nullable(sub)
                if name not in required:
                    v[name] = accepts_null(sub)
        elif k in ("$defs", "items", "additionalProperties") + SCHEMA_LISTS:
            for sub in (v.values() if k == "$defs" else [v]):
                optional_nullable(sub)


def refs(s):
    if isinstance(s, dict):
        if isinstance(s.get("$ref"), str):
            yield s["$ref"]
        for k, v in s.items():
            if k not in ("defaultSnippets", "enum", "const"):
                yield from refs(v)
    elif isinstance(s, list):
        for x in s:
            yield from refs(x)


MLRUN_SINCE = "x-mlrun-since"


def mlrun_since(s):
    """Each property's x-mlrun-since, also in its description (and markdownDescription)."""
    if isinstance(s, list):
        for x in s:
            mlrun_since(x)
        return
    if not isinstance(s, dict):
        return
    if MLRUN_SINCE in s:
        sentence = f" Written by MLRun {s[MLRUN_SINCE]} and later."
        for key in ("description", "markdownDescription"):
            if key in s:
                s[key] = s[key].rstrip() + sentence
    for k, v in s.items():
        if k not in ("defaultSnippets", "enum", "const", "default"):
            mlrun_since(v)


def bundle():
    job = yaml.safe_load(open(SOURCE))
    mlrun_since(job)
    defs = job["$defs"]
    for name, schema in embedded_defs().items():
        if name in defs:
            sys.exit(f"bundle-schema: $defs/{name} is both in {SOURCE} and taken from the CRD")
        defs[name] = schema
    for ref in refs(job):
        if not ref.startswith("#/$defs/") or ref[len("#/$defs/"):] not in defs:
            sys.exit(f"bundle-schema: $ref {ref} does not name a $defs entry of the bundle")
    spec = defs["Spec"]["properties"]
    spec["spark_conf"]["properties"] = spark_conf_keys()
    # The name rule sparkc checks (check.c, a DNS-1035 label), for editors to flag too: as a
    # "not" of the names it refuses, a keyword sparkc's own validator leaves to check.c,
    # whose message names the fix.
    defs["Metadata"]["properties"]["name"]["not"] = {"type": "string", "pattern": NOT_DNS1035}
    optional_nullable(job)
    return json.dumps(job, indent=1, ensure_ascii=False) + "\n"


write_or_check(OUTPUT, bundle(), "bundle-schema.py", __doc__.split("usage:")[1])
